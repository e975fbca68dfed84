import { sql } from 'drizzle-orm'
import { rowsOf } from '#db/client.server.ts'
import { db } from '#tests/db.ts'
import routes from '../../app/routes.ts'
import type { Reply } from './app-server.ts'

export { type Policy, policy, type Rule } from '#tests/page-policy.ts'

/** Every route of the route table, by id (the file, unless the route names an id of its own). */
export function routeIds(): string[] {
  const ids: string[] = []
  const walk = (entries: readonly { id?: string; file: string; children?: unknown }[]) => {
    for (const entry of entries) {
      ids.push(entry.id ?? entry.file)
      if (Array.isArray(entry.children)) walk(entry.children)
    }
  }
  walk(routes)
  return ids
}

/** What one answer means, in the letters of the policy. */
export function classify(reply: Reply, kind: 'read' | 'change'): string {
  if (reply.status >= 500) return '5'
  if (reply.status === 405) return '-'
  if (reply.status === 401) return /^Bearer/i.test(reply.headers.get('www-authenticate') ?? '') ? 't' : 'l'
  if (reply.status === 403 || reply.status === 404) return 'n'
  if (reply.status >= 300 && reply.status < 400) {
    return new URL(reply.location ?? '/', 'http://x').pathname === '/login' ? 'l' : 'y'
  }
  if (reply.status < 300) return 'y'
  return kind === 'change' ? 'y' : `?${reply.status}`
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T)
    }),
  )
}

/** A fingerprint of every table but the ones a visit is meant to touch (sessions sliding, the visit
 *  and view counters, search analytics), to show that no GET changes anything. */
export async function stateFingerprint(): Promise<Record<string, string>> {
  const telemetry = new Set([
    'sessions',
    'activity_events',
    'question_views',
    'article_views',
    'search_queries',
    'search_terms',
    'rate_limits',
    // Counters a page view bumps (view_count) are left out column-wise below, not the whole table.
  ])
  const tables = rowsOf<{ name: string }>(
    await db.execute(sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`),
  )
    .map((t) => t.name)
    .filter((name) => !telemetry.has(name) && !name.startsWith('__'))
  const fingerprint: Record<string, string> = {}
  for (const name of tables) {
    const [row] = rowsOf<{ digest: string | null }>(
      await db.execute(
        sql.raw(
          `select md5(string_agg((to_jsonb(t) - 'view_count' - 'updated_at')::text, '|' order by (to_jsonb(t) - 'view_count' - 'updated_at')::text)) as digest from "${name}" t`,
        ),
      ),
    )
    fingerprint[name] = row?.digest ?? 'empty'
  }
  return fingerprint
}
