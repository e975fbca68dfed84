import { sql } from 'drizzle-orm'
import type { ActivityType } from '#app/domain/activity/ledger.server.ts'
import { rowsOf } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import type { AccountHealthInput } from './health.ts'
import type { MemberEngagement } from './member-engagement.server.ts'
import type { ScoringSettings } from './settings.ts'
import { touchTierOf } from './tiers.ts'

const DAY_MS = 86_400_000

/** The end of the UTC day `asOf` falls in: a snapshot for a day counts everything up to its end. */
export function endOfUtcDay(asOf: Date): Date {
  return new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate()) + DAY_MS)
}

type AccountRow = {
  id: number
  seats: number | null
  arr_minor: number | null
  arr_currency: string
  touch_tier_override: 'high' | 'low' | 'tech' | null
  started_at: string | Date
}
type WindowRow = { account_id: number; type: string; age_days: number; n: number }
type BreadthRow = { account_id: number; n: number }
type LifetimeRow = { account_id: number; last_at: string | Date | null; first_days: number }
type NpsRow = { account_id: number; scores: number[] | string }

/** The inputs of every account's health as of the end of a UTC day, from set-based queries: one per
 *  measure group over the ledger (windows by day, distinct active members, lifetime), one over event
 *  surveys, and the members' engagement already computed for the day. Never a query per account.
 *  Accounts that did not exist yet, or had churned by then, are left out. */
export async function accountHealthInputs(
  db: Db,
  {
    asOf,
    settings,
    members,
    memberAccounts,
  }: {
    asOf: Date
    settings: ScoringSettings
    /** Engagement per user for the day (memberEngagement). */
    members: ReadonlyMap<number, MemberEngagement>
    /** The account each member belongs to. */
    memberAccounts: ReadonlyMap<number, number | null>
  },
): Promise<AccountHealthInput[]> {
  const end = endOfUtcDay(asOf)
  const h = settings.health
  const windowDays = Math.max(2 * h.trend.days, h.supportLoad.days, h.selfService.days, h.events.days)

  const [accountRows, windowRows, breadthRows, lifetimeRows, npsRows] = await Promise.all([
    db.execute(sql`
      select id, seats, arr_minor, arr_currency, touch_tier_override,
             coalesce(contract_start::timestamptz, created_at) as started_at
      from accounts
      where created_at < ${end.toISOString()}::timestamptz
        and (churned_at is null or churned_at >= ${end.toISOString()}::timestamptz)`),
    // Rows per account, type and age in whole days, for the windowed measures.
    db.execute(sql`
      select account_id, type,
             floor(extract(epoch from (${end.toISOString()}::timestamptz - occurred_at)) / 86400)::int as age_days,
             count(*)::int as n
      from activity_events
      where account_id is not null
        and occurred_at < ${end.toISOString()}::timestamptz
        and occurred_at >= ${end.toISOString()}::timestamptz - make_interval(days => ${windowDays})
      group by 1, 2, 3`),
    db.execute(sql`
      select account_id, count(distinct user_id)::int as n
      from activity_events
      where account_id is not null and user_id is not null
        and occurred_at < ${end.toISOString()}::timestamptz
        and occurred_at >= ${end.toISOString()}::timestamptz - make_interval(days => ${h.breadth.days})
      group by 1`),
    db.execute(sql`
      select e.account_id, max(e.occurred_at) as last_at,
             count(*) filter (
               where e.occurred_at < coalesce(a.contract_start::timestamptz, a.created_at)
                 + make_interval(days => ${h.onboarding.firstDays})
             )::int as first_days
      from activity_events e
      join accounts a on a.id = e.account_id
      where e.occurred_at < ${end.toISOString()}::timestamptz
      group by 1`),
    db.execute(sql`
      select u.account_id, array_agg(s.nps) as scores
      from event_surveys s
      join users u on u.id = s.user_id
      where u.account_id is not null
        and s.created_at < ${end.toISOString()}::timestamptz
        and s.created_at >= ${end.toISOString()}::timestamptz - make_interval(days => ${h.sentiment.days})
      group by 1`),
  ])

  type Totals = {
    recent: number
    previous: number
    tickets: number
    deflections: number
    attended: number
  }
  const totals = new Map<number, Totals>()
  const totalsOf = (id: number) => {
    let entry = totals.get(id)
    if (!entry) {
      entry = { recent: 0, previous: 0, tickets: 0, deflections: 0, attended: 0 }
      totals.set(id, entry)
    }
    return entry
  }
  for (const row of rowsOf<WindowRow>(windowRows)) {
    const entry = totalsOf(Number(row.account_id))
    const age = Number(row.age_days)
    const n = Number(row.n)
    const points = settings.points[row.type as ActivityType] ?? 0
    if (points > 0 && age < h.trend.days) entry.recent += n * points
    else if (points > 0 && age < 2 * h.trend.days) entry.previous += n * points
    if (row.type === 'ticket_filed' && age < h.supportLoad.days) entry.tickets += n
    if (row.type === 'ticket_deflected' && age < h.selfService.days) entry.deflections += n
    if (row.type === 'event_attended' && age < h.events.days) entry.attended += n
  }
  const breadth = new Map(rowsOf<BreadthRow>(breadthRows).map((r) => [Number(r.account_id), Number(r.n)]))
  const lifetime = new Map(rowsOf<LifetimeRow>(lifetimeRows).map((r) => [Number(r.account_id), r]))
  const nps = new Map(rowsOf<NpsRow>(npsRows).map((r) => [Number(r.account_id), parseIntArray(r.scores)] as const))

  const engagement = new Map<number, { points: number; champions: number }>()
  for (const [userId, member] of members) {
    const accountId = memberAccounts.get(userId)
    if (accountId === null || accountId === undefined) continue
    const entry = engagement.get(accountId) ?? { points: 0, champions: 0 }
    entry.points += member.points
    if (member.level === 'champion') entry.champions += 1
    engagement.set(accountId, entry)
  }

  return rowsOf<AccountRow>(accountRows).map((row) => {
    const id = Number(row.id)
    const t = totals.get(id)
    const life = lifetime.get(id)
    const lastAt = life?.last_at ? new Date(life.last_at) : null
    const startedAt = new Date(row.started_at)
    return {
      accountId: id,
      tier: touchTierOf(
        {
          arrMinor: row.arr_minor === null ? null : Number(row.arr_minor),
          arrCurrency: row.arr_currency,
          touchTierOverride: row.touch_tier_override,
        },
        settings,
      ),
      seats: row.seats === null ? null : Number(row.seats),
      ageDays: Math.max(0, Math.floor((end.getTime() - startedAt.getTime()) / DAY_MS)),
      engagementPoints: Math.round((engagement.get(id)?.points ?? 0) * 10) / 10,
      activityRecent: t?.recent ?? 0,
      activityPrevious: t?.previous ?? 0,
      activeMembers: breadth.get(id) ?? 0,
      tickets: t?.tickets ?? 0,
      deflections: t?.deflections ?? 0,
      eventsAttended: t?.attended ?? 0,
      npsScores: nps.get(id) ?? [],
      firstDaysActivity: Number(life?.first_days ?? 0),
      daysSinceLastActivity: lastAt ? Math.floor((end.getTime() - lastAt.getTime()) / DAY_MS) : null,
      champions: engagement.get(id)?.champions ?? 0,
    }
  })
}

/** PGlite returns int[] as an array; postgres.js may return it as `{1,2,3}` text. */
function parseIntArray(value: number[] | string): number[] {
  if (Array.isArray(value)) return value.map(Number)
  return value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number)
}
