import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { and, asc, count, eq, gt, lt } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import { RENDER_VERSION, renderMarkdown } from '#app/lib/markdown.server.ts'
import { type Db, openFromEnv } from '#db/client.server.ts'
import { answers, questions } from '#db/schema/qa.ts'

/** A table that stores markdown as typed, the HTML rendered from it and the renderer version. */
type MarkdownTable = PgTable & {
  id: AnyPgColumn<{ data: number; notNull: true }>
  bodyMd: AnyPgColumn<{ data: string; notNull: true }>
  bodyHtml: AnyPgColumn<{ data: string; notNull: true }>
  renderVersion: AnyPgColumn<{ data: number; notNull: true }>
}

type Target = { name: string; table: MarkdownTable }

/** Every table with rendered markdown; a new one needs only an entry here. */
const targets: Target[] = [
  { name: 'questions', table: questions },
  { name: 'answers', table: answers },
]

const BATCH_SIZE = 200

export type RerenderProgress = { name: string; done: number; total: number }

/** Re-renders every row whose HTML came from an older renderer, table by table, in batches by id.
 *  Each row is updated only if its markdown and render version are still what was read, so an edit
 *  made meanwhile is never overwritten. Idempotent: a second run finds nothing to do. Returns how
 *  many rows of each table were re-rendered. */
export async function rerenderMarkdown(
  db: Db,
  { onProgress }: { onProgress?: (progress: RerenderProgress) => void } = {},
): Promise<Record<string, number>> {
  const rerendered: Record<string, number> = {}
  for (const { name, table } of targets) {
    const stale = lt(table.renderVersion, RENDER_VERSION)
    const [counted] = await db.select({ total: count() }).from(table).where(stale)
    const total = counted?.total ?? 0
    let done = 0
    let updated = 0
    let lastId = 0
    while (done < total) {
      const rows = await db
        .select({ id: table.id, bodyMd: table.bodyMd, renderVersion: table.renderVersion })
        .from(table)
        .where(and(stale, gt(table.id, lastId)))
        .orderBy(asc(table.id))
        .limit(BATCH_SIZE)
      if (rows.length === 0) break
      for (const row of rows) {
        const changed = await db
          .update(table)
          .set({ bodyHtml: renderMarkdown(row.bodyMd), renderVersion: RENDER_VERSION })
          .where(and(eq(table.id, row.id), eq(table.renderVersion, row.renderVersion), eq(table.bodyMd, row.bodyMd)))
          .returning({ id: table.id })
        updated += changed.length
      }
      lastId = rows.at(-1)!.id
      // Rows edited meanwhile leave the stale set, so the count read first can overstate the work.
      done = Math.min(done + rows.length, total)
      onProgress?.({ name, done, total })
    }
    rerendered[name] = updated
  }
  return rerendered
}

async function main() {
  const database = await openFromEnv()
  try {
    await database.migrate()
    const counts = await rerenderMarkdown(database.db, {
      onProgress: ({ name, done, total }) => console.info(`${name}: ${done}/${total}`),
    })
    for (const [name, rows] of Object.entries(counts)) {
      console.info(`${name}: ${rows} re-rendered (render version ${RENDER_VERSION})`)
    }
  } finally {
    await database.close()
  }
}

// Run by `npm run markdown:rerender`; imported by its test without running.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main()
