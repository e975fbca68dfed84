import { PGlite } from '@electric-sql/pglite'
import { asc, count, inArray, sql } from 'drizzle-orm'
import { enqueue, type JobDefinition } from '#app/lib/jobs.server.ts'
import { type Database, type Db, rowsOf } from '#db/client.server.ts'
import { searchDocuments, searchOutbox } from '#db/schema/search.ts'
import { activeSearchEngine } from './active.server.ts'
import { allSearchDocuments, countSearchSources, type DocumentRef, loadSearchDocuments } from './documents.server.ts'
import { parseSearchDocId, type RebuildProgress, type SearchEngine } from './engine.ts'
import { MeilisearchEngine, MeilisearchVersionError } from './meilisearch.server.ts'

const BATCH_SIZE = 200

/** Names "a search rebuild is running" among the advisory locks (docs/decisions/046): while one is
 *  held, the sync leaves the outbox alone. */
const REBUILD_LOCK = 7_245_046

/** Whether a rebuild, in any process, holds the outbox. */
async function rebuildRunning(db: Db): Promise<boolean> {
  // A one-number advisory lock shows in pg_locks as classid (high half), objid (low half), objsubid 1.
  const [row] = rowsOf<{ held: boolean }>(
    await db.execute(sql`select exists (
      select 1 from pg_locks
      where locktype = 'advisory' and classid = 0 and objid = ${REBUILD_LOCK}::oid and objsubid = 1 and granted
    ) as held`),
  )
  return row?.held === true
}

type Reservable = {
  reserve(): Promise<((strings: TemplateStringsArray, ...values: unknown[]) => Promise<unknown>) & { release(): void }>
}

/** Runs `rebuild` holding the outbox: the sync applies no change meanwhile, so none is lost when the
 *  rebuilt index (read from the database before it) takes the live one's place; they are applied
 *  after. A session-level advisory lock: on PostgreSQL on a connection of its own, kept for the whole
 *  rebuild (a second rebuild waits for it); PGlite has a single connection, in this process. */
async function holdingOutbox<T>(db: Db, rebuild: () => Promise<T>): Promise<T> {
  const client = (db as unknown as { $client?: unknown }).$client
  if (client instanceof PGlite) {
    await db.execute(sql`select pg_advisory_lock(${REBUILD_LOCK})`)
    try {
      return await rebuild()
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${REBUILD_LOCK})`)
    }
  }
  if (typeof (client as Partial<Reservable> | undefined)?.reserve !== 'function') {
    throw new Error('reindexAll needs the database itself (not a transaction) to hold the search outbox')
  }
  const connection = await (client as Reservable).reserve()
  try {
    await connection`select pg_advisory_lock(${REBUILD_LOCK})`
    try {
      return await rebuild()
    } finally {
      await connection`select pg_advisory_unlock(${REBUILD_LOCK})`
    }
  } finally {
    connection.release()
  }
}

export type DrainResult = { upserted: number; removed: number }

/** Applies waiting content changes to the engine, oldest first, until the outbox is empty. Each
 *  change re-reads the content's current state (so the op recorded does not matter, and applying a
 *  change twice is harmless); outbox rows are deleted only after the engine accepted them. When the
 *  engine fails, the rows stay and the error propagates, for the job to retry. While a rebuild runs
 *  it stops, leaving the rows: the rebuild applies them once its index is live. */
export async function drainSearchOutbox(db: Db, engine: SearchEngine): Promise<DrainResult> {
  const result: DrainResult = { upserted: 0, removed: 0 }
  for (;;) {
    if (await rebuildRunning(db)) return result
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
    // A rebuild that started meanwhile may have read these documents before the change: its index
    // would undo them, so they stay for it to apply after its swap.
    if (await rebuildRunning(db)) return result
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

/** Rebuilds the whole index from the database and swaps it in, holding the outbox meanwhile: a
 *  change committed during the rebuild waits, then is applied to the new index (re-applying one the
 *  rebuild already read is harmless). Without the hold, the sync would apply it to the index about to
 *  be replaced and clear it, and the swap would bring back what it changed (hidden content included). */
export async function reindexAll(db: Db, engine: SearchEngine, onProgress?: RebuildProgress): Promise<number> {
  const indexed = await holdingOutbox(db, async () => {
    const total = await countSearchSources(db)
    return engine.rebuild(allSearchDocuments(db), total, onProgress)
  })
  await drainSearchOutbox(db, engine)
  return indexed
}

/** At start: builds the embedded index when it is empty but there is content (a fresh install, the
 *  demo seed, an upgrade that added search). Meilisearch: checks the server's version and the live
 *  index's settings (a version too old stops the start, with the reason); a live index that had to be
 *  created is filled in the background when there is content. An unreachable server does not stop the
 *  start: searches answer 503 and changes wait in the outbox. */
export async function ensureSearchIndex(db: Db, engine: SearchEngine): Promise<void> {
  if (engine instanceof MeilisearchEngine) {
    let created: boolean
    try {
      created = await engine.prepare()
    } catch (error) {
      if (error instanceof MeilisearchVersionError) throw error
      console.error('[search] Meilisearch is not reachable at start; searches fail until it is', error)
      return
    }
    if (created && (await countSearchSources(db)) > 0) {
      reindexAll(db, engine)
        .then((n) => console.info(`[search] filled the new Meilisearch index: ${n} documents`))
        .catch((error) => console.error('[search] could not fill the new Meilisearch index (npm run reindex)', error))
    }
    return
  }
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
