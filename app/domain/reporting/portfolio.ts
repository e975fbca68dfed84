/** The arithmetic of the portfolio KPIs on the manager dashboard (issue 21), apart from the queries that
 *  sum the outcomes (`portfolio.server.ts`), so the page, its CSV files and the tests derive every rate
 *  the same way. A plain module: the browser bundle may import it.
 *
 *  For a period [from, to) and a touch tier (or all accounts), every amount in JPY at the scoring
 *  settings' rates (`jpyPerUnit`):
 *  - logos at start: accounts whose latest outcome before the period is not a churn; ARR at start: the
 *    ARR after that outcome.
 *  - ARR movement, from the outcomes dated in the period: `new` adds new ARR; a renewal, an expansion
 *    or a contraction adds its ARR change as expansion when the ARR rose and as contraction when it
 *    fell; a churn loses the ARR it had before (`movementOf`).
 *  - logo churn rate = churned logos ÷ logos at start, counting the accounts of the start.
 *  - GRR = (ARR at start − contraction − churn) ÷ ARR at start; NRR = (ARR at start + expansion −
 *    contraction − churn) ÷ ARR at start. Both count the movements of the accounts that were customers
 *    at the start only (the start's cohort): an account won in the period has no start to retain.
 *  - revenue churn rate = (contraction + churn) ÷ ARR at start over the period, annualised by
 *    compounding: 1 − (1 − rate) ^ (365 ÷ days in the period).
 *  - average LTV = ARPA × gross margin ÷ annual revenue churn rate, ARPA = ARR at start ÷ logos at
 *    start; not defined when nothing was lost (the customer would stay for ever) or nobody was a
 *    customer at the start. Never Infinity or NaN: every rate here is a number or null.
 *
 *  An account's tier for a period is its override, else the tier of its ARR at the period's start, else
 *  (an account won in the period) the tier of its ARR after its first outcome in the period. */
import type { TouchTier } from '#app/domain/scoring/tiers.ts'

const DAY_MS = 86_400_000
const YEAR_DAYS = 365

/** The tier selector of the section: every account, or one touch tier. */
export const portfolioTiers = ['all', 'high', 'low', 'tech'] as const
export type PortfolioTier = (typeof portfolioTiers)[number]

/** The `tier` query parameter as a tier; anything else (missing, hand-edited) is all accounts. */
export function parsePortfolioTier(value: string | null | undefined): PortfolioTier {
  return (portfolioTiers as readonly string[]).includes(value ?? '') ? (value as PortfolioTier) : 'all'
}

export type OutcomeKind = 'new' | 'renewal' | 'expansion' | 'contraction' | 'churn'
export const movementKinds = ['new', 'expansion', 'contraction', 'churn'] as const
export type MovementKind = (typeof movementKinds)[number]
export type Movement = Record<MovementKind, number>

export const noMovement = (): Movement => ({ new: 0, expansion: 0, contraction: 0, churn: 0 })

/** What one outcome adds to each movement, all amounts positive: the SQL of `portfolio.server.ts` says
 *  the same thing in `case` expressions. */
export function movementOf(kind: OutcomeKind, before: number, after: number): Movement {
  const movement = noMovement()
  if (kind === 'new') movement.new = Math.max(0, after - before)
  else if (kind === 'churn') movement.churn = Math.max(0, before - after)
  else if (after > before) movement.expansion = after - before
  else movement.contraction = before - after
  return movement
}

/** Net change of ARR: new + expansion − contraction − churn. */
export function netMovement(movement: Movement): number {
  return movement.new + movement.expansion - movement.contraction - movement.churn
}

/** The UTC days of a period [from, to): an outcome dated D counts as happening at D 00:00 UTC, so it is in
 *  the period when `startDay ≤ D < endDay` (the first days whose midnight is at or after `from` and `to`),
 *  and the state at the start is the one after every outcome dated before `startDay`. */
export function periodDayRange({ from, to }: { from: Date; to: Date }): {
  startDay: string
  endDay: string
  days: number
} {
  const ceilDay = (at: Date) => Math.ceil(at.getTime() / DAY_MS) * DAY_MS
  const start = ceilDay(from)
  const end = Math.max(start, ceilDay(to))
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return { startDay: iso(start), endDay: iso(end), days: Math.round((end - start) / DAY_MS) }
}

/** The raw sums of one tier (or all) for a period, in JPY. */
export type PortfolioFigures = {
  logosStart: number
  /** Accounts of the start that churned in the period. */
  churnedLogos: number
  arrStartJpy: number
  /** Every movement in the period, accounts won in it included. */
  movement: Movement
  /** The movements of the start's accounts only (no `new`): what GRR, NRR and LTV read. */
  cohort: Omit<Movement, 'new'>
}

export const noFigures = (): PortfolioFigures => ({
  logosStart: 0,
  churnedLogos: 0,
  arrStartJpy: 0,
  movement: noMovement(),
  cohort: { expansion: 0, contraction: 0, churn: 0 },
})

/** The figures of several tiers added up (all accounts from the three tiers). */
export function sumFigures(rows: PortfolioFigures[]): PortfolioFigures {
  const total = noFigures()
  for (const row of rows) {
    total.logosStart += row.logosStart
    total.churnedLogos += row.churnedLogos
    total.arrStartJpy += row.arrStartJpy
    for (const kind of movementKinds) total.movement[kind] += row.movement[kind]
    total.cohort.expansion += row.cohort.expansion
    total.cohort.contraction += row.cohort.contraction
    total.cohort.churn += row.cohort.churn
  }
  return total
}

/** Why the average LTV has no value. */
export type LtvUndefined = 'no_customers' | 'no_loss'

export type PortfolioKpis = PortfolioFigures & {
  tier: PortfolioTier
  /** ARR at the end: ARR at start + the net of every movement. */
  arrEndJpy: number
  logoChurnRate: number | null
  grr: number | null
  nrr: number | null
  /** (contraction + churn) of the start's accounts ÷ ARR at start, over the period. */
  revenueChurnPeriod: number | null
  /** The same, annualised: 1 − (1 − period rate) ^ (365 ÷ days). */
  revenueChurnAnnual: number | null
  /** ARR at start ÷ logos at start. */
  arpaJpy: number | null
  grossMargin: number
  ltvJpy: number | null
  /** Set when `ltvJpy` is null. */
  ltvUndefined: LtvUndefined | null
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)

/** A rate over `days` days as a rate over a year, compounding: the share lost in a year when the same
 *  share is lost every `days` days (1% in 30 days → 11.5% a year). 100% stays 100%. */
export function annualise(rate: number, days: number): number {
  if (days <= 0) return rate
  const kept = 1 - Math.min(1, Math.max(0, rate))
  return 1 - kept ** (YEAR_DAYS / days)
}

/** Every KPI of one tier's figures, for a period of `days` days and a gross margin (0–1). */
export function portfolioKpis(
  tier: PortfolioTier,
  figures: PortfolioFigures,
  { days, grossMargin }: { days: number; grossMargin: number },
): PortfolioKpis {
  const start = figures.arrStartJpy
  const lost = figures.cohort.contraction + figures.cohort.churn
  const revenueChurnPeriod = ratio(lost, start)
  const revenueChurnAnnual = revenueChurnPeriod === null ? null : annualise(revenueChurnPeriod, days)
  const arpaJpy = ratio(start, figures.logosStart)
  let ltvJpy: number | null = null
  let ltvUndefined: LtvUndefined | null = null
  if (arpaJpy === null || start <= 0) ltvUndefined = 'no_customers'
  else if (!revenueChurnAnnual || revenueChurnAnnual <= 0) ltvUndefined = 'no_loss'
  else ltvJpy = (arpaJpy * grossMargin) / revenueChurnAnnual
  return {
    ...figures,
    tier,
    arrEndJpy: start + netMovement(figures.movement),
    logoChurnRate: ratio(figures.churnedLogos, figures.logosStart),
    grr: ratio(start - lost, start),
    nrr: ratio(start + figures.cohort.expansion - lost, start),
    revenueChurnPeriod,
    revenueChurnAnnual,
    arpaJpy,
    grossMargin,
    ltvJpy,
    ltvUndefined,
  }
}

/** The KPIs of all accounts and of each tier, all first. */
export function kpisByTier(
  byTier: Record<TouchTier, PortfolioFigures>,
  options: { days: number; grossMargin: number },
): PortfolioKpis[] {
  const tiers = ['high', 'low', 'tech'] as const
  return [
    portfolioKpis('all', sumFigures(tiers.map((tier) => byTier[tier])), options),
    ...tiers.map((tier) => portfolioKpis(tier, byTier[tier], options)),
  ]
}

/** Bars of the movement chart: a week each for periods up to 30 days, a calendar month each for longer. */
export type Granularity = 'week' | 'month'

export function granularityOf(days: number): Granularity {
  return days <= 30 ? 'week' : 'month'
}

/** The first day of every bucket of a period: weeks of seven days from its first day (the last one may
 *  be shorter), or the calendar months it touches (the first and last may be partial). */
export function movementBuckets(startDay: string, endDay: string, granularity: Granularity): string[] {
  const buckets: string[] = []
  if (startDay >= endDay) return buckets
  if (granularity === 'week') {
    for (let ms = Date.parse(`${startDay}T00:00:00Z`); ms < Date.parse(`${endDay}T00:00:00Z`); ms += 7 * DAY_MS) {
      buckets.push(new Date(ms).toISOString().slice(0, 10))
    }
    return buckets
  }
  const month = new Date(`${startDay.slice(0, 7)}-01T00:00:00Z`)
  while (month.toISOString().slice(0, 10) < endDay) {
    buckets.push(month.toISOString().slice(0, 10))
    month.setUTCMonth(month.getUTCMonth() + 1)
  }
  return buckets
}

/** The bucket a day falls in (its first day), as `movementBuckets` makes them. */
export function bucketOf(day: string, startDay: string, granularity: Granularity): string {
  if (granularity === 'month') return `${day.slice(0, 7)}-01`
  const offset = Math.floor((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${startDay}T00:00:00Z`)) / DAY_MS)
  return new Date(Date.parse(`${startDay}T00:00:00Z`) + Math.floor(offset / 7) * 7 * DAY_MS).toISOString().slice(0, 10)
}

/** One bar group of the movement chart. */
export type MovementBucket = Movement & { bucket: string; net: number }

/** One row of the movement table: a kind with its ARR and the outcomes behind it. */
export type MovementRow = { kind: MovementKind | 'net'; jpy: number }

/** The movement table: each kind, then the net change. */
export function movementRows(movement: Movement): MovementRow[] {
  return [...movementKinds.map((kind) => ({ kind, jpy: movement[kind] })), { kind: 'net', jpy: netMovement(movement) }]
}

/** Renewals windows of the section, in days from today. */
export const renewalWindows = [30, 60, 90] as const
export type RenewalWindow = (typeof renewalWindows)[number]

/** Whether an account renewing soon puts its ARR at risk: its latest health level is BAD, or it is
 *  NORMAL or GOOD with BAD as the candidate level waiting for confirmation. */
export function renewalAtRisk(level: string | null, candidateLevel: string | null): boolean {
  if (level === 'BAD') return true
  return (level === 'NORMAL' || level === 'GOOD') && candidateLevel === 'BAD'
}

export type RenewingAccount = {
  accountId: number
  accountName: string
  renewalDate: string
  /** Days from today to the renewal day: 0 is today. */
  daysUntil: number
  tier: TouchTier
  arrMinor: number | null
  arrCurrency: string
  arrJpy: number | null
  level: string | null
  candidateLevel: string | null
  atRisk: boolean
}

export type RenewalWindowRow = {
  days: RenewalWindow
  accounts: number
  arrJpy: number
  atRiskAccounts: number
  atRiskArrJpy: number
}

/** The renewals table: for each window, the accounts renewing from today to the day before today +
 *  window (so 30 is today and the 29 days after), their ARR, and the part of it at risk. */
export function renewalWindowRows(accounts: RenewingAccount[]): RenewalWindowRow[] {
  return renewalWindows.map((days) => {
    const inside = accounts.filter((account) => account.daysUntil < days)
    const atRisk = inside.filter((account) => account.atRisk)
    const sum = (rows: RenewingAccount[]) => rows.reduce((total, row) => total + (row.arrJpy ?? 0), 0)
    return {
      days,
      accounts: inside.length,
      arrJpy: sum(inside),
      atRiskAccounts: atRisk.length,
      atRiskArrJpy: sum(atRisk),
    }
  })
}

/** The dashboard's retention and revenue section. */
export type PortfolioReport = {
  tier: PortfolioTier
  tiers: readonly PortfolioTier[]
  /** The period's first day and the day after its last (`portfolio.ts`, `periodDayRange`). */
  startDay: string
  endDay: string
  days: number
  today: string
  /** The selected tier's KPIs. */
  kpis: PortfolioKpis
  /** All accounts, then high, low and tech. */
  byTier: PortfolioKpis[]
  /** The selected tier's movement by kind, then the net. */
  movement: MovementRow[]
  granularity: Granularity
  series: MovementBucket[]
  renewals: RenewalWindowRow[]
  renewing: RenewingAccount[]
}
