import { and, asc, count, eq, gt, lt, ne } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db } from '#db/client.server.ts'
import { events } from '#db/schema/events.ts'
import { articles } from '#db/schema/help.ts'
import { answers, questions } from '#db/schema/qa.ts'
import type { JobDefinition } from './jobs.server.ts'
import { GAVE_UP_RENDER_VERSION, markdownColumns, RENDER_VERSION, REPAIR_DEADLINE_MS } from './markdown.server.ts'

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
  { name: 'articles', table: articles },
  { name: 'events', table: events },
]

const BATCH_SIZE = 200

/** Work on a row's freshly rendered HTML before it is stored, per table (questions and answers link
 *  their mentions): given by the caller, since this module knows no domain. */
export type HtmlEnricher = (db: Db, columns: { bodyMd: string; bodyHtml: string }) => Promise<{ bodyHtml: string }>
export type HtmlEnrichers = Partial<Record<string, HtmlEnricher>>

export type RerenderProgress = { name: string; done: number; total: number }

/** Re-renders every row whose HTML came from an older renderer or is the plain-text fallback, table by
 *  table, in batches by id, with REPAIR_DEADLINE_MS per render. Each row is updated only if its
 *  markdown and render version are still what was read, so an edit made meanwhile is never
 *  overwritten. A row whose render runs out of time again keeps its HTML and is marked
 *  GAVE_UP_RENDER_VERSION, which the job leaves alone (`retryGaveUp: false`) and the command tries
 *  again. Idempotent otherwise: a second run finds nothing to do. Returns how many rows of each table
 *  were re-rendered. */
export async function rerenderMarkdown(
  db: Db,
  {
    onProgress,
    retryGaveUp = true,
    enrich = {},
  }: { onProgress?: (progress: RerenderProgress) => void; retryGaveUp?: boolean; enrich?: HtmlEnrichers } = {},
): Promise<Record<string, number>> {
  const rerendered: Record<string, number> = {}
  for (const { name, table } of targets) {
    const older = lt(table.renderVersion, RENDER_VERSION)
    const stale = retryGaveUp ? older : and(older, ne(table.renderVersion, GAVE_UP_RENDER_VERSION))!
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
        const rendered = await markdownColumns(row.bodyMd, { deadlineMs: REPAIR_DEADLINE_MS })
        const { renderVersion } = rendered
        const complete = renderVersion === RENDER_VERSION
        const enricher = enrich[name]
        const { bodyHtml } = complete && enricher ? await enricher(db, rendered) : rendered
        const unchanged = and(
          eq(table.id, row.id),
          eq(table.renderVersion, row.renderVersion),
          eq(table.bodyMd, row.bodyMd),
        )
        // Out of time again: plain text would replace nothing better than what is stored.
        const changed = await db
          .update(table)
          .set(complete ? { bodyHtml, renderVersion } : { renderVersion: GAVE_UP_RENDER_VERSION })
          .where(unchanged)
          .returning({ id: table.id })
        if (complete) updated += changed.length
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

/** Every ten minutes, the rows a request had to show as plain text, and every row after the renderer
 *  changed, are rendered again in the background with REPAIR_DEADLINE_MS (and `enrich`ed as saving
 *  them does). */
export function markdownJobs(enrich: HtmlEnrichers = {}): JobDefinition[] {
  return [
    {
      name: 'markdown.rerender',
      handler: async (db) => {
        await rerenderMarkdown(db, { retryGaveUp: false, enrich })
      },
      cron: '*/10 * * * *',
      queue: { policy: 'singleton' },
    },
  ]
}
