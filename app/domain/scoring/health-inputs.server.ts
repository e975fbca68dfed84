import { sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
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
  last_at: string | Date | null
  first_days: number
}
type WindowRow = {
  account_id: number
  recent: number | string | null
  previous: number | string | null
  tickets: number
  deflections: number
  attended: number
  active: number
}
type NpsRow = { account_id: number; scores: number[] | string }

/** The inputs of every account's health as of the end of a UTC day, from set-based queries, never one
 *  per account: the accounts with their last activity and activity in their first days (from the
 *  ledger's account index), one pass over the ledger's recent window (activity for the trend, tickets,
 *  deflections, attendance and distinct active members, each with its own window), one over event
 *  surveys, and the members' engagement already computed for the day. Accounts that did not exist yet,
 *  or had churned by then, are left out. */
export async function accountHealthInputs(
  db: Db,
  {
    asOf,
    settings,
    members,
  }: {
    asOf: Date
    settings: ScoringSettings
    /** Engagement per user for the day (memberEngagement), with each member's account. */
    members: ReadonlyMap<number, MemberEngagement>
  },
): Promise<AccountHealthInput[]> {
  const end = endOfUtcDay(asOf).toISOString()
  const h = settings.health
  const windowDays = Math.max(2 * h.trend.days, h.supportLoad.days, h.selfService.days, h.events.days, h.breadth.days)
  const since = (days: number) => sql`occurred_at > ${end}::timestamptz - make_interval(days => ${days})`
  // Trend activity is the raw points of the rows (no decay, so the two windows compare like with like),
  // summed as exact decimals: in floating point the total of many 0.2s depends on the order the rows
  // are added in, which is the plan's, and a decline of exactly 37.5% would round either way.
  const points = sql`coalesce((${JSON.stringify(settings.points)}::jsonb ->> type)::numeric, 0)`

  const [accountRows, windowRows, npsRows] = await Promise.all([
    // Last activity and activity in the first days are two probes of the (account, time) index per
    // account rather than a pass over the whole ledger, whose size grows with the community's age.
    db.execute(sql`
      select a.id, a.seats, a.arr_minor, a.arr_currency, a.touch_tier_override, s.started_at,
             (select max(e.occurred_at) from activity_events e
              where e.account_id = a.id and e.occurred_at < ${end}::timestamptz) as last_at,
             (select count(*) from activity_events e
              where e.account_id = a.id and e.occurred_at < ${end}::timestamptz
                and e.occurred_at < s.started_at + make_interval(days => ${h.onboarding.firstDays}))::int as first_days
      from accounts a
      cross join lateral (select coalesce(a.contract_start::timestamptz, a.created_at) as started_at) s
      where a.created_at < ${end}::timestamptz
        and (a.churned_at is null or a.churned_at >= ${end}::timestamptz)`),
    // Grouped by member first, then by account: distinct active members become a plain count over
    // small groups, where count(distinct) would sort every account's rows.
    db.execute(sql`
      with by_member as (
        select account_id, user_id,
               sum(${points}) filter (where ${since(h.trend.days)}) as recent,
               sum(${points}) filter (where ${since(2 * h.trend.days)} and not ${since(h.trend.days)}) as previous,
               count(*) filter (where type = 'ticket_filed' and ${since(h.supportLoad.days)}) as tickets,
               count(*) filter (where type = 'ticket_deflected' and ${since(h.selfService.days)}) as deflections,
               count(*) filter (where type = 'event_attended' and ${since(h.events.days)}) as attended,
               bool_or(${since(h.breadth.days)}) as active
        from activity_events
        where account_id is not null
          and occurred_at < ${end}::timestamptz
          and ${since(windowDays)}
        group by 1, 2
      )
      select account_id, sum(recent)::float8 as recent, sum(previous)::float8 as previous, sum(tickets)::int as tickets,
             sum(deflections)::int as deflections, sum(attended)::int as attended,
             count(user_id) filter (where active)::int as active
      from by_member
      group by 1`),
    db.execute(sql`
      select u.account_id, array_agg(s.nps) as scores
      from event_surveys s
      join users u on u.id = s.user_id
      where u.account_id is not null
        and s.created_at < ${end}::timestamptz
        and s.created_at > ${end}::timestamptz - make_interval(days => ${h.sentiment.days})
      group by 1`),
  ])

  const windows = new Map(rowsOf<WindowRow>(windowRows).map((r) => [Number(r.account_id), r]))
  const nps = new Map(rowsOf<NpsRow>(npsRows).map((r) => [Number(r.account_id), parseIntArray(r.scores)] as const))

  const engagement = new Map<number, { points: number; champions: number }>()
  for (const member of members.values()) {
    if (member.accountId === null || member.accountId === undefined) continue
    const entry = engagement.get(member.accountId) ?? { points: 0, champions: 0 }
    entry.points += member.points
    if (member.level === 'champion') entry.champions += 1
    engagement.set(member.accountId, entry)
  }

  const endMs = Date.parse(end)
  return rowsOf<AccountRow>(accountRows).map((row) => {
    const id = Number(row.id)
    const w = windows.get(id)
    const lastAt = row.last_at ? new Date(row.last_at) : null
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
      ageDays: Math.max(0, Math.floor((endMs - startedAt.getTime()) / DAY_MS)),
      engagementPoints: Math.round((engagement.get(id)?.points ?? 0) * 10) / 10,
      activityRecent: Number(w?.recent ?? 0),
      activityPrevious: Number(w?.previous ?? 0),
      activeMembers: Number(w?.active ?? 0),
      tickets: Number(w?.tickets ?? 0),
      deflections: Number(w?.deflections ?? 0),
      eventsAttended: Number(w?.attended ?? 0),
      npsScores: nps.get(id) ?? [],
      firstDaysActivity: Number(row.first_days),
      daysSinceLastActivity: lastAt ? Math.floor((endMs - lastAt.getTime()) / DAY_MS) : null,
      champions: engagement.get(id)?.champions ?? 0,
    }
  })
}

/** PGlite returns int[] as an array; postgres.js may return it as `{1,2,3}` text. */
function parseIntArray(value: number[] | string): number[] {
  if (Array.isArray(value)) return value.map(Number)
  return value.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number)
}
