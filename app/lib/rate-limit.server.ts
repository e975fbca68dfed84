import { sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { env } from './env.server.ts'

type CounterRow = { count: number; window_start: string | Date }

export type RateRule = { limit: number; windowSeconds: number }
export type RateResult = { allowed: boolean; remaining: number; retryAfterSeconds: number }

/** The limits in one place, so they can be read and tuned together. */
export const rateRules = {
  /** Failed sign-ins from one IP address (browsers that never signed in from there). */
  loginPerIp: { limit: 30, windowSeconds: 15 * 60 },
  /** Failed sign-ins for one email address from one IP address: the guesser is slowed, then refused;
   *  the owner elsewhere is not. */
  loginPerEmailAndIp: { limit: 5, windowSeconds: 15 * 60 },
  /** Failed sign-ins for one email address from browsers it never signed in on, whatever their address:
   *  a guesser spread over many addresses. Browsers that signed in before (a device cookie) still can. */
  loginPerEmail: { limit: 100, windowSeconds: 60 * 60 },
  /** Failed sign-ins from one browser that signed in to this email before. */
  loginPerDevice: { limit: 10, windowSeconds: 15 * 60 },
  signupPerIp: { limit: 10, windowSeconds: 60 * 60 },
  /** "You already have an account" notices to one address, from sign-ups with it. */
  signupNoticePerEmail: { limit: 3, windowSeconds: 60 * 60 },
  /** Confirmation links (sent again, or for a new address) one member asks for. */
  verificationPerUser: { limit: 5, windowSeconds: 60 * 60 },
  verificationPerIp: { limit: 20, windowSeconds: 60 * 60 },
  passwordResetPerEmail: { limit: 3, windowSeconds: 60 * 60 },
  passwordResetPerIp: { limit: 20, windowSeconds: 60 * 60 },
  /** Requests sent through the contact form by one member. */
  ticketsPerUser: { limit: 10, windowSeconds: 60 * 60 },
  /** Suggestions a member opens or marks as the answer: a person reads a few, a script thousands. */
  supportActionsPerUser: { limit: 30, windowSeconds: 10 * 60 },
  /** "This solved my problem" by one member: each is a deflection in the figures managers report, and
   *  nobody solves dozens of support problems a day. */
  supportSolvedPerUser: { limit: 10, windowSeconds: 24 * 60 * 60 },
  /** Suggestion lookups as a member types a subject (each is recorded on the attempt). */
  supportSuggestPerUser: { limit: 120, windowSeconds: 60 },
  /** Markdown previews (questions, answers, articles, events) by one user: each costs a render. */
  previewPerUser: { limit: 60, windowSeconds: 60 },
  /** Draft saves by one member: autosave sends one a second or two while they type, a script far more. */
  draftSavesPerUser: { limit: 120, windowSeconds: 60 },
  /** Profile pictures one member sets or removes: each upload is decoded and re-encoded. */
  avatarChangesPerUser: { limit: 10, windowSeconds: 60 * 60 },
} satisfies Record<string, RateRule>

/** The parameters of a "wait and try again" message: the wait in seconds (which becomes Retry-After)
 *  and in whole minutes, and `count` for the message's plural in the unit it speaks of. */
export function waitParams(retryAfterSeconds: number, unit: 'seconds' | 'minutes') {
  const seconds = Math.max(1, retryAfterSeconds)
  const minutes = Math.max(1, Math.ceil(seconds / 60))
  return { seconds, minutes, count: unit === 'seconds' ? seconds : minutes }
}

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

/** Takes back one hit of an attempt that turned out to be allowed (a sign-in with the right
 *  password), so counters of attempts end up counting failures. */
export async function releaseRateLimit(db: Db, key: string): Promise<void> {
  await db.execute(sql`update rate_limits set count = greatest(count - 1, 0) where key = ${key}`)
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
