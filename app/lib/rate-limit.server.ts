import { sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { env } from './env.server.ts'

type CounterRow = { count: number; window_start: string | Date }

export type RateRule = { limit: number; windowSeconds: number }
export type RateResult = { allowed: boolean; remaining: number; retryAfterSeconds: number }

/** The limits in one place, so they can be read and tuned together. */
export const rateRules = {
  /** Failed sign-ins from one IP address. */
  loginPerIp: { limit: 30, windowSeconds: 15 * 60 },
  /** Failed sign-ins for one email address. */
  loginPerEmail: { limit: 5, windowSeconds: 15 * 60 },
  signupPerIp: { limit: 10, windowSeconds: 60 * 60 },
  passwordResetPerEmail: { limit: 3, windowSeconds: 60 * 60 },
  passwordResetPerIp: { limit: 20, windowSeconds: 60 * 60 },
  /** Requests sent through the contact form by one member. */
  ticketsPerUser: { limit: 10, windowSeconds: 60 * 60 },
  /** Suggestion lookups as a member types a subject (each is recorded on the attempt). */
  supportSuggestPerUser: { limit: 120, windowSeconds: 60 },
} satisfies Record<string, RateRule>

/** Counts one hit against `key` and says whether it is within the rule. Atomic in the database: one
 *  upsert restarts an expired window or increments the current one, so concurrent hits cannot slip past. */
export async function hitRateLimit(db: Db, key: string, rule: RateRule): Promise<RateResult> {
  const rows = await db.execute<{ count: number; window_start: string }>(sql`
    insert into rate_limits (key, window_start, count) values (${key}, now(), 1)
    on conflict (key) do update set
      count = case when rate_limits.window_start <= now() - make_interval(secs => ${rule.windowSeconds}) then 1 else rate_limits.count + 1 end,
      window_start = case when rate_limits.window_start <= now() - make_interval(secs => ${rule.windowSeconds}) then now() else rate_limits.window_start end
    returning count, window_start`)
  return toResult(rowsOf<CounterRow>(rows)[0], rule)
}

/** Reads the count for `key` without adding to it: "would one more attempt be refused?" */
export async function peekRateLimit(db: Db, key: string, rule: RateRule): Promise<RateResult> {
  const rows = await db.execute<{ count: number; window_start: string }>(sql`
    select count, window_start from rate_limits
    where key = ${key} and window_start > now() - make_interval(secs => ${rule.windowSeconds})`)
  const row = rowsOf<CounterRow>(rows)[0]
  if (!row) return { allowed: true, remaining: rule.limit, retryAfterSeconds: 0 }
  // A peek refuses once the limit is reached: the next attempt would be one too many.
  const result = toResult({ ...row, count: Number(row.count) + 1 }, rule)
  return { ...result, remaining: Math.max(0, rule.limit - Number(row.count)) }
}

export async function clearRateLimit(db: Db, key: string): Promise<void> {
  await db.execute(sql`delete from rate_limits where key = ${key}`)
}

function toResult(row: { count: number; window_start: string | Date } | undefined, rule: RateRule): RateResult {
  if (!env().RATE_LIMITS) return { allowed: true, remaining: rule.limit, retryAfterSeconds: 0 }
  const count = Number(row?.count ?? 0)
  const started = row ? new Date(row.window_start).getTime() : Date.now()
  const retryAfterSeconds = Math.max(1, Math.ceil((started + rule.windowSeconds * 1000 - Date.now()) / 1000))
  return { allowed: count <= rule.limit, remaining: Math.max(0, rule.limit - count), retryAfterSeconds }
}

/** drizzle's execute() returns an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}
