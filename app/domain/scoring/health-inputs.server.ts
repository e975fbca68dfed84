import { sql } from 'drizzle-orm'
import { addDays, utcDay } from '#app/lib/days.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { type AccountHealthInput, trendWeeks } from './health.ts'
import { type HolidayTest, holidayTest, workingDaysBack } from './holidays.ts'
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
  name: string
  seats: number | null
  arr_minor: number | null
  arr_currency: string
  touch_tier_override: 'high' | 'low' | 'tech' | null
  started_at: string | Date
  last_at: string | Date | null
  first_days: number
  members_joined: number | null
  active_days: number | null
  contributed: boolean | null
}
type WindowRow = {
  account_id: number
  weeks: (number | string | null)[] | string
  tickets: number
  deflections: number
  attended: number
  active: number
  active_before: number
  support_members: number
  surge_tickets: number
  surge_baseline_tickets: number
  surge_members: number
  surge_baseline_members: number
  contribution: number | string | null
  others_active: number
  key_members: [number, number | string, string | null][] | string | null
}
type NpsRow = { account_id: number; answers: [number, number | string][] | string }
type NameRow = { id: number; display_name: string }

/** Ledger types that describe reading or need rather than contributing to the community: they are left
 *  out of the contribution points that tell who carries an account. */
const notContributions = new Set([
  'visit_day',
  'article_viewed',
  'search_performed',
  'ticket_deflected',
  'ticket_filed',
  'profile_completed',
])

/** The start of a `YYYY-MM-DD` day, as the timestamp SQL compares with. */
function dayStart(day: string): string {
  return `${day}T00:00:00.000Z`
}

/** Working days after each day up to `lastDay` (the silence in working days of a member or an account
 *  last active that day), for the `span` days before it; older days count calendar days beyond. */
function silenceCounter(lastDay: string, isHoliday: HolidayTest, span = 800): (day: string) => number {
  const counts = new Map<string, number>()
  let working = 0
  let day = lastDay
  for (let step = 0; step < span; step++) {
    counts.set(day, working)
    if (!isHoliday(day)) working += 1
    day = addDays(day, -1)
  }
  const oldest = day
  return (at) => {
    const known = counts.get(at)
    if (known !== undefined) return known
    if (at > lastDay) return 0
    return working + Math.round((Date.parse(dayStart(oldest)) - Date.parse(dayStart(at))) / DAY_MS)
  }
}

/** The inputs of every account's health as of the end of a UTC day, from set-based queries, never one
 *  per account: the accounts with their last activity, first-days activity and onboarding milestones
 *  (probes of the ledger's account index, the milestones for young accounts only); one pass over the
 *  ledger's recent window grouped by member, then by account (the trend's weeks, tickets, deflections,
 *  attendance, distinct active members per window, and the contribution points that name the members
 *  who carry the account); one over survey answers; and the members' engagement already computed for
 *  the day. Windows in working days are laid out here from the holiday calendar (holidays.ts), so the
 *  SQL compares plain timestamps. Accounts that did not exist yet, or had churned by then, are left out. */
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
  const endAt = endOfUtcDay(asOf)
  const end = endAt.toISOString()
  const day = utcDay(new Date(endAt.getTime() - 1))
  const h = settings.health
  const isHoliday = holidayTest(h.holidays)
  const silence = silenceCounter(day, isHoliday)

  // Working-day windows, newest day first, as [first day 00:00, day after the last) ranges.
  const weeks = trendWeeks(settings)
  const trendDays = workingDaysBack(day, 2 * weeks * 7, isHoliday)
  const weekStarts = Array.from({ length: 2 * weeks }, (_, k) => dayStart(trendDays[7 * k + 6] ?? trendDays.at(-1)!))
  const weekEnds = Array.from({ length: 2 * weeks }, (_, k) => dayStart(addDays(trendDays[7 * k] ?? day, 1)))
  const breadthDays = workingDaysBack(day, h.breadthChange.agoDays + h.breadth.days, isHoliday)
  const breadthStart = dayStart(breadthDays[h.breadth.days - 1] ?? breadthDays.at(-1)!)
  const beforeStart = dayStart(breadthDays.at(-1)!)
  const beforeEnd = dayStart(addDays(breadthDays[h.breadthChange.agoDays] ?? breadthDays.at(-1)!, 1))
  const championDays = workingDaysBack(day, h.champions.silentDays + h.champions.baselineDays, isHoliday)
  const quietStart = dayStart(championDays[h.champions.silentDays - 1] ?? championDays.at(-1)!)
  const contributionStart = dayStart(championDays.at(-1)!)
  const calendarStart = (days: number) => new Date(endAt.getTime() - days * DAY_MS).toISOString()
  const surgeStart = calendarStart(h.ticketSurge.days)
  const surgeBaselineStart = calendarStart(h.ticketSurge.days + h.ticketSurge.baselineDays)
  const scanStart = [
    weekStarts.at(-1)!,
    beforeStart,
    contributionStart,
    surgeBaselineStart,
    calendarStart(Math.max(h.supportLoad.days, h.selfService.days, h.events.days)),
  ].sort()[0]!

  const since = (days: number) => sql`occurred_at > ${end}::timestamptz - make_interval(days => ${days})`
  const from = (start: string) => sql`occurred_at >= ${start}::timestamptz`
  const between = (start: string, until: string) =>
    sql`occurred_at >= ${start}::timestamptz and occurred_at < ${until}::timestamptz`
  // Raw points of each row (no decay, so windows compare like with like), summed as exact decimals: in
  // floating point the total of many 0.2s depends on the order the plan adds them in.
  const points = sql`coalesce((${JSON.stringify(settings.points)}::jsonb ->> type)::numeric, 0)`
  const contributionPoints = Object.fromEntries(
    Object.entries(settings.points).filter(([type]) => !notContributions.has(type)),
  )
  const contribution = sql`coalesce((${JSON.stringify(contributionPoints)}::jsonb ->> type)::numeric, 0)`
  const weekSums = sql.join(
    weekStarts.map((start, k) => sql`sum(pts) filter (where ${between(start, weekEnds[k]!)})`),
    sql`, `,
  )
  const young = h.onboarding.youngerThanDays
  const milestoneEnd = sql`least(s.started_at + make_interval(days => ${h.onboarding.milestoneDays}), ${end}::timestamptz)`

  const [accountRows, windowRows, npsRows] = await Promise.all([
    // Last activity, first-days activity and the onboarding milestones are probes of the (account,
    // time) index per account rather than passes over the whole ledger; the milestones only for
    // accounts young enough for the onboarding measure (a CASE runs its subqueries only when chosen).
    db.execute(sql`
      select a.id, a.name, a.seats, a.arr_minor, a.arr_currency, a.touch_tier_override, s.started_at,
             (select max(e.occurred_at) from activity_events e
              where e.account_id = a.id and e.occurred_at < ${end}::timestamptz) as last_at,
             (select count(*) from activity_events e
              where e.account_id = a.id and e.occurred_at < ${end}::timestamptz
                and e.occurred_at < s.started_at + make_interval(days => ${h.onboarding.firstDays}))::int as first_days,
             case when s.started_at > ${end}::timestamptz - make_interval(days => ${young}) then
               (select count(*) from users u where u.account_id = a.id and u.created_at < ${milestoneEnd})::int
             end as members_joined,
             case when s.started_at > ${end}::timestamptz - make_interval(days => ${young}) then
               (select count(distinct (e.occurred_at at time zone 'UTC')::date) from activity_events e
                where e.account_id = a.id and e.occurred_at >= s.started_at and e.occurred_at < ${milestoneEnd})::int
             end as active_days,
             case when s.started_at > ${end}::timestamptz - make_interval(days => ${young}) then
               exists (select 1 from activity_events e
                       where e.account_id = a.id and e.occurred_at < ${milestoneEnd}
                         and e.type in ('question_asked', 'answer_posted', 'event_attended'))
             end as contributed
      from accounts a
      cross join lateral (select coalesce(a.contract_start::timestamptz, a.created_at) as started_at) s
      where a.created_at < ${end}::timestamptz
        and (a.churned_at is null or a.churned_at >= ${end}::timestamptz)`),
    // Grouped by member first, then by account: distinct active members become plain counts over small
    // groups, where count(distinct) would sort every account's rows.
    db.execute(sql`
      with rows as (
        select account_id, user_id, occurred_at, type, ${points} as pts, ${contribution} as contribution
        from activity_events
        where account_id is not null
          and occurred_at < ${end}::timestamptz
          and occurred_at >= ${scanStart}::timestamptz
      ),
      by_member as (
        select account_id, user_id,
               array[${weekSums}] as weeks,
               count(*) filter (where type = 'ticket_filed' and ${since(h.supportLoad.days)}) as tickets,
               count(*) filter (where type = 'ticket_deflected' and ${since(h.selfService.days)}) as deflections,
               count(*) filter (where type = 'event_attended' and ${since(h.events.days)}) as attended,
               count(*) filter (where type = 'ticket_filed' and ${from(surgeStart)}) as surge_tickets,
               count(*) filter (where type = 'ticket_filed' and ${between(surgeBaselineStart, surgeStart)})
                 as surge_baseline_tickets,
               bool_or(${from(breadthStart)}) as active,
               bool_or(${between(beforeStart, beforeEnd)}) as active_before,
               bool_or(${since(h.supportLoad.days)}) as support_active,
               bool_or(${from(surgeStart)}) as surge_active,
               bool_or(${between(surgeBaselineStart, surgeStart)}) as surge_baseline_active,
               sum(contribution) filter (where ${between(contributionStart, quietStart)}) as contribution,
               max(occurred_at) as last_at
        from rows
        group by 1, 2
      ),
      with_total as (
        select *, coalesce(sum(contribution) over (partition by account_id), 0) as total,
               coalesce(contribution, 0) > 0
                 and contribution >= ${h.champions.minShare} * sum(contribution) over (partition by account_id)
                 as key
        from by_member
      )
      select account_id,
             array[${sql.join(
               weekStarts.map((_, k) => sql`coalesce(sum(weeks[${k + 1}]), 0)::float8`),
               sql`, `,
             )}] as weeks,
             sum(tickets)::int as tickets, sum(deflections)::int as deflections, sum(attended)::int as attended,
             count(*) filter (where active)::int as active,
             count(*) filter (where active_before)::int as active_before,
             count(*) filter (where support_active)::int as support_members,
             sum(surge_tickets)::int as surge_tickets, sum(surge_baseline_tickets)::int as surge_baseline_tickets,
             count(*) filter (where surge_active)::int as surge_members,
             count(*) filter (where surge_baseline_active)::int as surge_baseline_members,
             max(total)::float8 as contribution,
             count(*) filter (where not key and last_at >= ${quietStart}::timestamptz)::int as others_active,
             json_agg(json_build_array(user_id, contribution::float8, last_at)) filter (where key) as key_members
      from with_total
      group by 1`),
    // Event survey answers (the member's account now) and relationship NPS answers (the account the
    // survey was sent for, at the time of the answer), each one answer alike.
    db.execute(sql`
      select account_id,
             json_agg(json_build_array(score, extract(epoch from (${end}::timestamptz - answered_at)) / 86400)) as answers
      from (
        select u.account_id, s.nps as score, s.created_at as answered_at
        from event_surveys s
        join users u on u.id = s.user_id
        where u.account_id is not null
          and s.created_at < ${end}::timestamptz
          and s.created_at > ${end}::timestamptz - make_interval(days => ${h.sentiment.days})
        union all
        select n.account_id, n.score, n.answered_at
        from nps_surveys n
        where n.account_id is not null
          and n.score is not null
          and n.answered_at < ${end}::timestamptz
          and n.answered_at > ${end}::timestamptz - make_interval(days => ${h.sentiment.days})
      ) answers
      group by 1`),
  ])

  const windows = new Map(rowsOf<WindowRow>(windowRows).map((r) => [Number(r.account_id), r]))
  const nps = new Map(
    rowsOf<NpsRow>(npsRows).map((r) => [
      Number(r.account_id),
      parseJson<[number, number | string][]>(r.answers).map(([score, age]) => ({
        score: Number(score),
        ageDays: Number(age),
      })),
    ]),
  )
  const keyIds = new Set<number>()
  for (const row of windows.values()) {
    for (const [userId] of parseJson<WindowRow['key_members']>(row.key_members) ?? []) keyIds.add(Number(userId))
  }
  const names = new Map<number, string>()
  if (keyIds.size > 0) {
    const nameRows = await db.execute(
      sql`select id, display_name from users where id = any(${`{${[...keyIds].join(',')}}`}::int[])`,
    )
    for (const row of rowsOf<NameRow>(nameRows)) names.set(Number(row.id), row.display_name)
  }

  const engagement = new Map<number, { points: number; champions: number }>()
  for (const member of members.values()) {
    if (member.accountId === null || member.accountId === undefined) continue
    const entry = engagement.get(member.accountId) ?? { points: 0, champions: 0 }
    entry.points += member.points
    if (member.level === 'champion') entry.champions += 1
    engagement.set(member.accountId, entry)
  }

  const endMs = endAt.getTime()
  return rowsOf<AccountRow>(accountRows).map((row) => {
    const id = Number(row.id)
    const w = windows.get(id)
    const lastAt = row.last_at ? new Date(row.last_at) : null
    const startedAt = new Date(row.started_at)
    const keyMembers = parseJson(w?.key_members ?? null) ?? []
    return {
      accountId: id,
      accountName: row.name,
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
      activityWeeks: parseJson<(number | string | null)[]>(w?.weeks ?? []).map((week) => Number(week ?? 0)),
      activeMembers: Number(w?.active ?? 0),
      activeMembersBefore: Number(w?.active_before ?? 0),
      contributionPoints: Number(w?.contribution ?? 0),
      keyContributors: keyMembers.map(([userId, points, last]) => ({
        name: names.get(Number(userId)) ?? '',
        points: Number(points),
        silentDays: last ? silence(utcDay(new Date(last))) : h.champions.silentDays,
      })),
      othersActive: Number(w?.others_active ?? 0) > 0,
      tickets: Number(w?.tickets ?? 0),
      deflections: Number(w?.deflections ?? 0),
      supportMembers: Number(w?.support_members ?? 0),
      surgeTickets: Number(w?.surge_tickets ?? 0),
      surgeBaselineTickets: Number(w?.surge_baseline_tickets ?? 0),
      surgeMembers: Number(w?.surge_members ?? 0),
      surgeBaselineMembers: Number(w?.surge_baseline_members ?? 0),
      eventsAttended: Number(w?.attended ?? 0),
      npsAnswers: nps.get(id) ?? [],
      firstDaysActivity: Number(row.first_days),
      membersJoined: Number(row.members_joined ?? 0),
      onboardingActiveDays: Number(row.active_days ?? 0),
      onboardingContributed: row.contributed === true,
      daysSinceLastActivity: lastAt ? silence(utcDay(lastAt)) : null,
      champions: engagement.get(id)?.champions ?? 0,
    }
  })
}

/** postgres.js returns json and arrays parsed; PGlite may return json as text. */
function parseJson<T>(value: T | string): Exclude<T, string> {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Exclude<T, string>
}
