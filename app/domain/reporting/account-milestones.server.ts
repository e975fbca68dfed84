import { sql } from 'drizzle-orm'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'

// How a customer account got started, for its CSM on the account page (docs/decisions/039): the dates of
// its first member, first activity, first question and first event attended, and how many of its seats
// were active in its first 30 days. Read from users and the activity ledger; nothing is stored.

const DAY_MS = 86_400_000
/** The window in which seats count as activated. */
export const SEAT_WINDOW_DAYS = 30
/** An account is young, and its milestones lead the page, for this many days from its start. */
export const YOUNG_ACCOUNT_DAYS = 90

export type Milestone = { at: Date | null; day: number | null }

export type AccountMilestones = {
  /** The contract's start day; else the day the first member joined; else the day the account was
   *  created (`YYYY-MM-DD`, UTC). */
  startDay: string
  ageDays: number
  young: boolean
  memberJoined: Milestone
  memberActive: Milestone
  firstQuestion: Milestone
  firstEvent: Milestone
  seats: {
    seats: number | null
    /** Members with any ledger activity from the start day to the end of day 30. */
    active: number
    share: number | null
    /** The first day after the window (`YYYY-MM-DD`); the count is final once it has come. */
    windowEnd: string
    final: boolean
  }
}

type Row = {
  contract_start: string | null
  created_ms: number
  seats: number | null
  joined_ms: number | null
  active_ms: number | null
  question_ms: number | null
  event_ms: number | null
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** The account's onboarding milestones, each with the date it was reached (and the day of the account
 *  it fell on, day 1 being the start), or null while not reached. Staff and managers read it. */
export async function getAccountMilestones(
  db: Db,
  { actor, accountId, now = new Date() }: { actor: SessionUser; accountId: number; now?: Date },
): Promise<Outcome<AccountMilestones>> {
  if (!can(actor, 'manage.dashboard')) return fail(403, 'errors.forbidden')
  const epoch = (column: string) => sql.raw(`extract(epoch from ${column}) * 1000`)
  const [row] = rowsOf<Row>(
    await db.execute(sql`
      select a.contract_start::text as contract_start, ${epoch('a.created_at')}::float8 as created_ms, a.seats,
        (select ${epoch('min(greatest(u.created_at, u.email_verified_at))')}::float8 from users u
          where u.account_id = a.id and u.role = 'member' and u.email_verified_at is not null) as joined_ms,
        (select ${epoch('min(e.occurred_at)')}::float8 from activity_events e
          where e.account_id = a.id and e.user_id is not null) as active_ms,
        (select ${epoch('min(e.occurred_at)')}::float8 from activity_events e
          where e.account_id = a.id and e.type = 'question_asked') as question_ms,
        (select ${epoch('min(e.occurred_at)')}::float8 from activity_events e
          where e.account_id = a.id and e.type = 'event_attended') as event_ms
      from accounts a where a.id = ${accountId}::int`),
  )
  if (!row) return fail(404, 'errors.not_found')
  const num = (value: number | string | null) => (value === null ? null : Number(value))
  const joinedMs = num(row.joined_ms)
  const startDay = row.contract_start ?? day(joinedMs ?? Number(row.created_ms))
  const startMs = Date.parse(`${startDay}T00:00:00.000Z`)
  const windowEndMs = startMs + SEAT_WINDOW_DAYS * DAY_MS
  const [counted] = rowsOf<{ active: number | string }>(
    await db.execute(sql`
      select count(distinct user_id) as active from activity_events
      where account_id = ${accountId}::int and user_id is not null
        and occurred_at >= ${new Date(startMs).toISOString()}::timestamptz
        and occurred_at < ${new Date(windowEndMs).toISOString()}::timestamptz`),
  )
  const milestone = (ms: number | null): Milestone =>
    ms === null
      ? { at: null, day: null }
      : { at: new Date(ms), day: Math.max(1, Math.floor((ms - startMs) / DAY_MS) + 1) }
  const ageDays = Math.max(0, Math.floor((now.getTime() - startMs) / DAY_MS))
  const active = Number(counted?.active ?? 0)
  const seats = row.seats === null ? null : Number(row.seats)
  return ok({
    startDay,
    ageDays,
    young: ageDays < YOUNG_ACCOUNT_DAYS,
    memberJoined: milestone(joinedMs),
    memberActive: milestone(num(row.active_ms)),
    firstQuestion: milestone(num(row.question_ms)),
    firstEvent: milestone(num(row.event_ms)),
    seats: {
      seats,
      active,
      share: seats ? Math.min(1, active / seats) : null,
      windowEnd: day(windowEndMs),
      final: now.getTime() >= windowEndMs,
    },
  })
}
