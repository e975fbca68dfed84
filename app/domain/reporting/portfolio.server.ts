/** The portfolio KPIs of the manager dashboard (issue 21): logo churn, GRR, NRR, ARR movement, average
 *  LTV per touch tier, and the renewals of the next 90 days with their health. The formulas are in
 *  `portfolio.ts`; here are the three set-based queries that feed them, whatever the number of accounts:
 *  the figures per tier, the movement per week or month, and the accounts renewing soon. Amounts are
 *  converted to JPY inside the queries with the scoring settings' rates (`jpyPerUnit`, per minor unit). */
import { type SQL, sql } from 'drizzle-orm'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import type { ScoringSettings } from '#app/domain/scoring/settings.ts'
import { arrInJpy, type TouchTier, thresholdInJpy, touchTierOf, touchTiers } from '#app/domain/scoring/tiers.ts'
import { addDays, utcDay } from '#app/lib/days.ts'
import { currencyDigits } from '#app/lib/format.ts'
import { type Db, rowsOf } from '#db/client.server.ts'
import type { ReportPeriod } from './periods.ts'
import {
  bucketOf,
  type Granularity,
  granularityOf,
  kpisByTier,
  type MovementBucket,
  movementBuckets,
  movementRows,
  netMovement,
  noFigures,
  type PortfolioFigures,
  type PortfolioReport,
  type PortfolioTier,
  periodDayRange,
  portfolioTiers,
  type RenewingAccount,
  renewalAtRisk,
  renewalWindowRows,
  renewalWindows,
} from './portfolio.ts'

/** JPY per minor unit of each currency with a rate, as JSON for the queries: {"JPY": 1, "USD": 1.5}. */
export function jpyPerMinorUnit(settings: ScoringSettings): Record<string, number> {
  return Object.fromEntries(
    Object.entries(settings.tiers.jpyPerUnit).map(([currency, rate]) => [
      currency.toUpperCase(),
      rate / 10 ** currencyDigits(currency.toUpperCase()),
    ]),
  )
}

/** The common part of the two period queries: each account that was a customer at the start or has an
 *  outcome in the period, with its state at the start (`at_start`, `start_jpy`), its tier for the period,
 *  and the `rates` table. `o` rows before the start are read once, newest first per account. */
function accountsOfPeriod(settings: ScoringSettings, startDay: string, endDay: string): SQL {
  const rates = JSON.stringify(jpyPerMinorUnit(settings))
  const high = thresholdInJpy(settings.tiers.highFrom, settings)
  const low = thresholdInJpy(settings.tiers.lowFrom, settings)
  return sql`
    rates as (
      select key as currency, value::float8 as per_minor from jsonb_each_text(${rates}::jsonb)
    ),
    start_state as (
      select distinct on (o.account_id) o.account_id, o.kind, round(o.arr_after_minor * r.per_minor) as jpy
      from account_outcomes o
      left join rates r on r.currency = upper(o.currency)
      where o.effective_on < ${startDay}::date
      order by o.account_id, o.effective_on desc, o.id desc
    ),
    first_in_period as (
      select distinct on (o.account_id) o.account_id, round(o.arr_after_minor * r.per_minor) as jpy
      from account_outcomes o
      left join rates r on r.currency = upper(o.currency)
      where o.effective_on >= ${startDay}::date and o.effective_on < ${endDay}::date
      order by o.account_id, o.effective_on, o.id
    ),
    period_accounts as (
      select coalesce(s.account_id, f.account_id) as account_id,
             coalesce(s.kind <> 'churn', false) as at_start,
             case when s.kind <> 'churn' then s.jpy end as start_jpy,
             f.jpy as first_jpy
      from start_state s
      full join first_in_period f on f.account_id = s.account_id
      where coalesce(s.kind <> 'churn', false) or f.account_id is not null
    ),
    tiered as (
      select p.account_id, p.at_start, p.start_jpy,
             case
               when a.touch_tier_override is not null then a.touch_tier_override::text
               when (case when p.at_start then p.start_jpy else p.first_jpy end) >= ${high}::float8 then 'high'
               when (case when p.at_start then p.start_jpy else p.first_jpy end) >= ${low}::float8 then 'low'
               else 'tech'
             end as tier
      from period_accounts p
      join accounts a on a.id = p.account_id
    )`
}

/** What one outcome row `o` adds to each movement, in whole JPY (`r.per_minor`): `movementOf` in SQL.
 *  Each row is rounded before any sum, so the series and the totals add up to the same yen. */
const inYen = (minor: SQL) => sql`round(${minor} * r.per_minor)`
const moves = {
  new: inYen(sql`case when o.kind = 'new' then greatest(o.arr_after_minor - o.arr_before_minor, 0) else 0 end`),
  expansion:
    inYen(sql`case when o.kind in ('renewal', 'expansion', 'contraction') and o.arr_after_minor > o.arr_before_minor
    then o.arr_after_minor - o.arr_before_minor else 0 end`),
  contraction:
    inYen(sql`case when o.kind in ('renewal', 'expansion', 'contraction') and o.arr_after_minor < o.arr_before_minor
    then o.arr_before_minor - o.arr_after_minor else 0 end`),
  churn: inYen(sql`case when o.kind = 'churn' then greatest(o.arr_before_minor - o.arr_after_minor, 0) else 0 end`),
}

type FigureRow = {
  tier: TouchTier
  logos_start: number
  churned_logos: number
  arr_start: number | string | null
  new: number | string | null
  expansion: number | string | null
  contraction: number | string | null
  churn: number | string | null
  cohort_expansion: number | string | null
  cohort_contraction: number | string | null
  cohort_churn: number | string | null
}

const yen = (value: number | string | null) => Math.round(Number(value ?? 0))

/** The raw figures of each touch tier for the period: one query. */
export async function portfolioFiguresByTier(
  db: Db,
  { startDay, endDay, settings }: { startDay: string; endDay: string; settings: ScoringSettings },
): Promise<Record<TouchTier, PortfolioFigures>> {
  const result = await db.execute(sql`
    with ${accountsOfPeriod(settings, startDay, endDay)},
    period_moves as (
      select o.account_id,
             sum(${moves.new})::float8 as new,
             sum(${moves.expansion})::float8 as expansion,
             sum(${moves.contraction})::float8 as contraction,
             sum(${moves.churn})::float8 as churn,
             bool_or(o.kind = 'churn') as churned
      from account_outcomes o
      left join rates r on r.currency = upper(o.currency)
      where o.effective_on >= ${startDay}::date and o.effective_on < ${endDay}::date
      group by o.account_id
    )
    select t.tier,
           count(*) filter (where t.at_start)::int as logos_start,
           count(*) filter (where t.at_start and m.churned)::int as churned_logos,
           sum(t.start_jpy) filter (where t.at_start)::float8 as arr_start,
           sum(m.new)::float8 as new,
           sum(m.expansion)::float8 as expansion,
           sum(m.contraction)::float8 as contraction,
           sum(m.churn)::float8 as churn,
           sum(m.expansion) filter (where t.at_start)::float8 as cohort_expansion,
           sum(m.contraction) filter (where t.at_start)::float8 as cohort_contraction,
           sum(m.churn) filter (where t.at_start)::float8 as cohort_churn
    from tiered t
    left join period_moves m on m.account_id = t.account_id
    group by t.tier`)
  const byTier = Object.fromEntries(touchTiers.map((tier) => [tier, noFigures()])) as Record<
    TouchTier,
    PortfolioFigures
  >
  for (const row of rowsOf<FigureRow>(result)) {
    byTier[row.tier] = {
      logosStart: Number(row.logos_start),
      churnedLogos: Number(row.churned_logos),
      arrStartJpy: yen(row.arr_start),
      movement: {
        new: yen(row.new),
        expansion: yen(row.expansion),
        contraction: yen(row.contraction),
        churn: yen(row.churn),
      },
      cohort: {
        expansion: yen(row.cohort_expansion),
        contraction: yen(row.cohort_contraction),
        churn: yen(row.cohort_churn),
      },
    }
  }
  return byTier
}

type BucketRow = {
  bucket: string
  new: number | string | null
  expansion: number | string | null
  contraction: number | string | null
  churn: number | string | null
}

/** The movement of the period per week or month, for one tier or all: one query. Every bucket of the
 *  period is there, empty ones as zeros. */
export async function portfolioMovementSeries(
  db: Db,
  {
    startDay,
    endDay,
    granularity,
    tier,
    settings,
  }: { startDay: string; endDay: string; granularity: Granularity; tier: PortfolioTier; settings: ScoringSettings },
): Promise<MovementBucket[]> {
  const bucket =
    granularity === 'week'
      ? sql`(${startDay}::date + ((o.effective_on - ${startDay}::date) / 7) * 7)`
      : sql`date_trunc('month', o.effective_on)::date`
  const result = await db.execute(sql`
    with ${accountsOfPeriod(settings, startDay, endDay)}
    select to_char(${bucket}, 'YYYY-MM-DD') as bucket,
           sum(${moves.new})::float8 as new,
           sum(${moves.expansion})::float8 as expansion,
           sum(${moves.contraction})::float8 as contraction,
           sum(${moves.churn})::float8 as churn
    from account_outcomes o
    join tiered t on t.account_id = o.account_id
    left join rates r on r.currency = upper(o.currency)
    where o.effective_on >= ${startDay}::date and o.effective_on < ${endDay}::date
      and (${tier}::text = 'all' or t.tier = ${tier}::text)
    group by 1`)
  const found = new Map(rowsOf<BucketRow>(result).map((row) => [row.bucket, row]))
  return movementBuckets(startDay, endDay, granularity).map((day) => {
    const row = found.get(bucketOf(day, startDay, granularity))
    const movement = {
      new: yen(row?.new ?? 0),
      expansion: yen(row?.expansion ?? 0),
      contraction: yen(row?.contraction ?? 0),
      churn: yen(row?.churn ?? 0),
    }
    return { bucket: day, ...movement, net: netMovement(movement) }
  })
}

type RenewalRow = {
  account_id: number
  account_name: string
  renewal_date: string
  arr_minor: number | string | null
  arr_currency: string
  touch_tier_override: TouchTier | null
  level: string | null
  candidate_level: string | null
}

const LONGEST_WINDOW = Math.max(...renewalWindows)

/** The accounts not churned whose renewal day falls from `today` to the day before `today` + 90, with
 *  their latest health snapshot (level and candidate level), soonest first: one query (the latest
 *  snapshot is one index lookup per renewing account). Their tier is today's: the override, else the
 *  tier of the current ARR. */
export async function renewingAccounts(
  db: Db,
  { today, now, tier, settings }: { today: string; now: Date; tier: PortfolioTier; settings: ScoringSettings },
): Promise<RenewingAccount[]> {
  const until = addDays(today, LONGEST_WINDOW)
  const result = await db.execute(sql`
    select a.id as account_id, a.name as account_name, to_char(a.renewal_date, 'YYYY-MM-DD') as renewal_date,
           a.arr_minor, a.arr_currency, a.touch_tier_override, s.level, s.candidate_level
    from accounts a
    left join lateral (
      select level, candidate_level from account_scores
      where account_id = a.id order by as_of desc limit 1
    ) s on true
    where a.renewal_date >= ${today}::date and a.renewal_date < ${until}::date
      and (a.churned_at is null or a.churned_at > ${now.toISOString()}::timestamptz)
    order by a.renewal_date, lower(a.name), a.id`)
  const todayMs = Date.parse(`${today}T00:00:00Z`)
  return rowsOf<RenewalRow>(result).flatMap((row) => {
    const account = {
      arrMinor: row.arr_minor === null ? null : Number(row.arr_minor),
      arrCurrency: row.arr_currency,
      touchTierOverride: row.touch_tier_override,
    }
    const accountTier = touchTierOf(account, settings)
    if (tier !== 'all' && accountTier !== tier) return []
    const jpy = arrInJpy(account, settings)
    return [
      {
        accountId: Number(row.account_id),
        accountName: row.account_name,
        renewalDate: row.renewal_date,
        daysUntil: Math.round((Date.parse(`${row.renewal_date}T00:00:00Z`) - todayMs) / 86_400_000),
        tier: accountTier,
        arrMinor: account.arrMinor,
        arrCurrency: row.arr_currency,
        arrJpy: jpy === null ? null : Math.round(jpy),
        level: row.level,
        candidateLevel: row.candidate_level,
        atRisk: renewalAtRisk(row.level, row.candidate_level),
      },
    ]
  })
}

/** Everything the section shows for a period and a tier. Four queries: the settings, the figures per
 *  tier, the movement series, the renewals. */
export async function portfolioReport(
  db: Db,
  {
    period,
    tier,
    now = period.to,
    settings,
  }: { period: ReportPeriod; tier: PortfolioTier; now?: Date; settings?: ScoringSettings },
): Promise<PortfolioReport> {
  const { startDay, endDay, days } = periodDayRange(period)
  const scoring = settings ?? (await readScoringSettings(db))
  const granularity = granularityOf(days)
  const today = utcDay(now)
  const [figures, series, renewing] = await Promise.all([
    portfolioFiguresByTier(db, { startDay, endDay, settings: scoring }),
    portfolioMovementSeries(db, { startDay, endDay, granularity, tier, settings: scoring }),
    renewingAccounts(db, { today, now, tier, settings: scoring }),
  ])
  const byTier = kpisByTier(figures, { days, grossMargin: scoring.grossMargin })
  const kpis = byTier.find((row) => row.tier === tier) ?? byTier[0]!
  return {
    tier,
    tiers: portfolioTiers,
    startDay,
    endDay,
    days,
    today,
    kpis,
    byTier,
    movement: movementRows(kpis.movement),
    granularity,
    series,
    renewals: renewalWindowRows(renewing),
    renewing,
  }
}
