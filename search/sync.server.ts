import { asc, count, inArray } from 'drizzle-orm'
import { enqueue, type JobDefinition } from '#app/lib/jobs.server.ts'
import type { Database, Db } from '#db/client.server.ts'
import { searchDocuments, searchOutbox } from '#db/schema/search.ts'
import { activeSearchEngine } from './active.server.ts'
import { allSearchDocuments, countSearchSources, type DocumentRef, loadSearchDocuments } from './documents.server.ts'
import { parseSearchDocId, type RebuildProgress, type SearchEngine } from './engine.ts'

const BATCH_SIZE = 200

export type DrainResult = { upserted: number; removed: number }

/** Applies waiting content changes to the engine, oldest first, until the outbox is empty. Each
 *  change re-reads the content's current state (so the op recorded does not matter, and applying a
 *  change twice is harmless); outbox rows are deleted only after the engine accepted them. When the
 *  engine fails, the rows stay and the error propagates, for the job to retry. */
export async function drainSearchOutbox(db: Db, engine: SearchEngine): Promise<DrainResult> {
  const result: DrainResult = { upserted: 0, removed: 0 }
  for (;;) {
    const rows = await db
      .select({ id: searchOutbox.id, docType: searchOutbox.docType, docId: searchOutbox.docId })
      .from(searchOutbox)
      .orderBy(asc(searchOutbox.id))
      .limit(BATCH_SIZE)
    if (!rows.length) return result
    const refs: DocumentRef[] = []
    const junk: number[] = []
    for (const row of rows) {
      const parsed = parseSearchDocId(`${row.docType}:${row.docId}`)
      if (parsed) refs.push({ type: parsed.type, id: parsed.docId })
      else junk.push(row.id)
    }
    const { docs, gone } = await loadSearchDocuments(db, refs)
    await engine.upsert(docs)
    await engine.remove(gone)
    await db.delete(searchOutbox).where(
      inArray(
        searchOutbox.id,
        rows.map((r) => r.id),
      ),
    )
    result.upserted += docs.length
    result.removed += gone.length
    if (junk.length) console.warn('[search] dropped outbox rows of unknown kinds', junk)
  }
}

export async function pendingSearchUpdates(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(searchOutbox)
  return Number(row?.n ?? 0)
}

/** Rebuilds the whole index from the database and swaps it in. The outbox is left alone: a change
 *  committed while the rebuild read past it is applied by the next sync (re-applying is harmless). */
export async function reindexAll(db: Db, engine: SearchEngine, onProgress?: RebuildProgress): Promise<number> {
  const total = await countSearchSources(db)
  return engine.rebuild(allSearchDocuments(db), total, onProgress)
}

/** Builds the embedded index when it is empty but there is content (a fresh install, the demo
 *  seed, an upgrade that added search). Meilisearch is rebuilt with `npm run reindex`. */
export async function ensureSearchIndex(db: Db, engine: SearchEngine): Promise<void> {
  if (engine.name !== 'embedded') return
  const [indexed] = await db.select({ id: searchDocuments.id }).from(searchDocuments).limit(1)
  if (indexed) return
  const indexedCount = await reindexAll(db, engine)
  if (indexedCount) console.info(`[search] built the search index: ${indexedCount} documents`)
}

export const SEARCH_SYNC_JOB = 'search.sync'

export const searchJobs: JobDefinition[] = [
  {
    name: SEARCH_SYNC_JOB,
    handler: async (db) => {
      await drainSearchOutbox(db, activeSearchEngine(db))
    },
    // One sync at a time across processes, at most one more waiting: a burst of writes is one drain.
    queue: { policy: 'stately' },
    options: { retryLimit: 8, retryDelay: 2, retryBackoff: true },
    // The sweeper: catches up after retries ran out (engine down for long) or a missed wake-up.
    cron: '* * * * *',
  },
]

/** Wakes the sync job whenever a transaction that wrote to the outbox commits (a trigger NOTIFYs),
 *  and once at start for anything left from before. */
export async function startSearchSync(database: Database): Promise<() => Promise<void>> {
  const wake = () => {
    enqueue(SEARCH_SYNC_JOB, {}).catch((error) => console.error('[search] could not queue a sync', error))
  }
  const stop = await database.listen('search_outbox', wake)
  wake()
  return stop
}
