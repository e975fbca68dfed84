import { npsGroups, npsOf } from '#app/lib/nps.ts'
import type {
  BreadthDetail,
  EngagementDetail,
  EventsDetail,
  HardRisk,
  MeasureOutcome,
  MeasureResult,
  OnboardingDetail,
  SelfServiceDetail,
  SentimentDetail,
  SupportLoadDetail,
  TrendDetail,
} from './measures.ts'
import { type BilingualText, hardRiskReason, measureReason, summaryLine } from './reasons.ts'
import type { HealthBand, HealthLevel, HealthMeasure, HealthSettings, ScoringSettings } from './settings.ts'
import { type TouchTier, touchTiers } from './tiers.ts'

/** Everything account health is computed from, for one account as of one day. Filled by set-based SQL
 *  (one query per measure for all accounts); every figure is a plain number so the maths stays pure. */
export type AccountHealthInput = {
  accountId: number
  tier: TouchTier
  seats: number | null // null or 0 → per-seat measures have no data
  /** Days since the account's start (contract_start, else created_at) as of the date. */
  ageDays: number
  /** Σ of the account's members' decayed engagement points (memberPoints) as of the date. */
  engagementPoints: number
  /** Weighted activity (ledger rows with points > 0, decayed NOT applied: raw points) in the last `trend.days` and the `trend.days` before. */
  activityRecent: number
  activityPrevious: number
  /** Distinct members with any ledger row in the last `breadth.days`. */
  activeMembers: number
  /** Tickets filed (all sources) and explicit deflections in the last `supportLoad.days` / `selfService.days`. */
  tickets: number
  deflections: number
  /** Event attendances by the account's members in the last `events.days`. */
  eventsAttended: number
  /** NPS answers (0–10) from event surveys in the last `sentiment.days`. */
  npsScores: number[]
  /** Ledger rows in the account's first `onboarding.firstDays` days. */
  firstDaysActivity: number
  /** Days since the account's last ledger row, null if it never had one. */
  daysSinceLastActivity: number | null
  /** Members at the champion level. */
  champions: number
}

/** What the measures compare an account with: the other accounts of its touch tier. */
export type HealthContext = {
  /** Engagement points per seat of every account of the tier that has seats, ascending. */
  engagementPerSeat: Record<TouchTier, number[]>
  /** The median of tickets per seat over the accounts of the tier that have seats; null without any. */
  ticketsPerSeatMedian: Record<TouchTier, number | null>
}

export type HealthComponent = {
  measure: HealthMeasure
  band: HealthBand | null
  value: number | null
  /** The measure's weight for this account (events scaled by tier; 0 when the measure does not apply). */
  weight: number
  /** What the band is worth (100 / 60 / 0 by default); null without data. */
  score: number | null
  reason: BilingualText
}

export type AccountHealth = {
  level: HealthLevel
  /** 0–100, one decimal; null when no measure has data. */
  score: number | null
  /** Share (0–1, two decimals) of the weight of the measures that apply which has data. */
  coverage: number
  components: HealthComponent[]
  hardRisk: HardRisk | null
  hardRiskReason: BilingualText | null
  /** One line for lists: "BAD: activity fell 45%; breadth 23%". */
  summary: BilingualText
}

/** Rounds half away from zero, so a fall of 20.5% and a rise of 20.5% both show as 21%. Never −0. */
export function roundHalfAway(value: number, digits = 0): number {
  const factor = 10 ** digits
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor + 0
}

/** A share setting (0.15) as a percent without floating-point noise (15, not 15.000000000000002). */
function asPercent(share: number): number {
  return Math.round(share * 1_000_000) / 10_000
}

/** Whole percent of `part` in `whole` (whole > 0). Multiplying first keeps 9 of 40 exactly 22.5 → 23. */
function percentOf(part: number, whole: number): number {
  return roundHalfAway((part * 100) / whole)
}

function hasSeats(seats: number | null): seats is number {
  return seats !== null && seats > 0
}

/** Engagement points per seat, unrounded: the one formula both the context and each account use, so an
 *  account's value is found among its tier's values. */
function engagementPerSeat(points: number, seats: number): number {
  return points / seats
}

/** Where `value` stands among `sortedValues` (ascending), 0–100, by mid-rank: the share of values
 *  below it plus half the share equal to it. Ties therefore share one rank, a single account (or an
 *  empty list) is at 50, and the top of n distinct values is at 100 × (n − ½) / n. */
export function percentileRank(value: number, sortedValues: readonly number[]): number {
  const n = sortedValues.length
  if (n === 0) return 50
  const below = boundary(sortedValues, (x) => x < value)
  const notAbove = boundary(sortedValues, (x) => x <= value)
  return ((below + (notAbove - below) / 2) / n) * 100
}

/** The number of leading values for which `test` holds, by binary search (values sorted ascending). */
function boundary(values: readonly number[], test: (x: number) => boolean): number {
  let low = 0
  let high = values.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (test(values[middle]!)) low = middle + 1
    else high = middle
  }
  return low
}

/** The median of some numbers (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The tier-wide figures the measures compare each account with, from all accounts' inputs. Accounts
 *  without seats take no part: they have no per-seat figures. */
export function healthContext(
  inputs: readonly Pick<AccountHealthInput, 'tier' | 'seats' | 'engagementPoints' | 'tickets'>[],
): HealthContext {
  const perSeat = Object.fromEntries(touchTiers.map((tier) => [tier, [] as number[]])) as Record<TouchTier, number[]>
  const tickets = Object.fromEntries(touchTiers.map((tier) => [tier, [] as number[]])) as Record<TouchTier, number[]>
  for (const input of inputs) {
    if (!hasSeats(input.seats)) continue
    perSeat[input.tier].push(engagementPerSeat(input.engagementPoints, input.seats))
    tickets[input.tier].push(input.tickets / input.seats)
  }
  for (const tier of touchTiers) perSeat[tier].sort((a, b) => a - b)
  const medians = Object.fromEntries(touchTiers.map((tier) => [tier, median(tickets[tier])])) as Record<
    TouchTier,
    number | null
  >
  return { engagementPerSeat: perSeat, ticketsPerSeatMedian: medians }
}

/** Higher is better: GOOD from `good`, NORMAL from `normal`, else BAD. */
function bandFrom(value: number, good: number, normal: number): HealthBand {
  if (value >= good) return 'GOOD'
  if (value >= normal) return 'NORMAL'
  return 'BAD'
}

/** 1. Engagement points per seat as a whole percentile among the accounts of the same tier (GOOD from
 *  the 60th, NORMAL from the 25th by default). No seats: no data. An account whose members have no
 *  point at all is BAD even when its peers are as quiet: ranking among nothing says nothing. */
export function engagementBand(
  input: Pick<AccountHealthInput, 'tier' | 'seats' | 'engagementPoints'>,
  context: HealthContext,
  settings: ScoringSettings,
): MeasureResult<EngagementDetail> {
  if (!hasSeats(input.seats)) return { band: null, value: null, detail: { kind: 'no_seats' } }
  const { goodFromPercentile, normalFromPercentile } = settings.health.engagement
  const peers = context.engagementPerSeat[input.tier]
  const perSeat = engagementPerSeat(input.engagementPoints, input.seats)
  const percentile = roundHalfAway(percentileRank(perSeat, peers))
  const none = input.engagementPoints <= 0
  return {
    band: none ? 'BAD' : bandFrom(percentile, goodFromPercentile, normalFromPercentile),
    value: percentile,
    detail: {
      kind: none ? 'none' : 'ranked',
      perSeat: roundHalfAway(perSeat, 1),
      percentile,
      peers: peers.length,
      tier: input.tier,
    },
  }
}

/** 2. Activity in the last `days` against the `days` before, as a whole signed percent: a decline over
 *  20% is BAD, over 5% NORMAL, anything else GOOD (defaults). No activity in either window: no data.
 *  None before and some now: GOOD, with no percent (it would be infinite). */
export function trendBand(
  input: Pick<AccountHealthInput, 'activityRecent' | 'activityPrevious'>,
  settings: ScoringSettings,
): MeasureResult<TrendDetail> {
  const { days, badDeclineOver, normalDeclineOver } = settings.health.trend
  const recent = roundHalfAway(input.activityRecent, 1)
  const previous = roundHalfAway(input.activityPrevious, 1)
  const detail = { days, recent, previous }
  if (input.activityPrevious <= 0) {
    return input.activityRecent > 0
      ? { band: 'GOOD', value: null, detail: { kind: 'started', ...detail } }
      : { band: null, value: null, detail: { kind: 'none', ...detail } }
  }
  const change = roundHalfAway(((input.activityRecent - input.activityPrevious) * 100) / input.activityPrevious)
  const decline = -change
  const band: HealthBand =
    decline > asPercent(badDeclineOver) ? 'BAD' : decline > asPercent(normalDeclineOver) ? 'NORMAL' : 'GOOD'
  return { band, value: change, detail: { kind: 'change', ...detail } }
}

/** 3. Members active in the last `days` ÷ seats, as a whole percent: GOOD from 40%, NORMAL from 15%
 *  (defaults). No seats: no data. */
export function breadthBand(
  input: Pick<AccountHealthInput, 'seats' | 'activeMembers'>,
  settings: ScoringSettings,
): MeasureResult<BreadthDetail> {
  const { days, goodFrom, normalFrom } = settings.health.breadth
  if (!hasSeats(input.seats)) return { band: null, value: null, detail: { kind: 'no_seats', days } }
  const percent = percentOf(input.activeMembers, input.seats)
  return {
    band: bandFrom(percent, asPercent(goodFrom), asPercent(normalFrom)),
    value: percent,
    detail: { kind: 'ratio', active: input.activeMembers, seats: input.seats, days },
  }
}

/** 4. Tickets filed per seat in `days` against the tier's median: up to 1× GOOD, up to 1.5× NORMAL,
 *  above BAD (defaults), on the ratio rounded to two decimals. The value is tickets per seat (two
 *  decimals). No ticket is GOOD. When the tier median is 0 (most accounts of the tier filed none) there
 *  is no multiple to take, and an account with tickets is NORMAL. No seats, or no ticket from an account
 *  with no activity at all in the window (quiet is not self-sufficient): no data. */
export function supportLoadBand(
  input: Pick<AccountHealthInput, 'tier' | 'seats' | 'tickets' | 'daysSinceLastActivity'>,
  context: HealthContext,
  settings: ScoringSettings,
): MeasureResult<SupportLoadDetail> {
  const { days, goodUpTo, normalUpTo } = settings.health.supportLoad
  if (!hasSeats(input.seats)) return { band: null, value: null, detail: { kind: 'no_seats', days } }
  const quiet = input.daysSinceLastActivity === null || input.daysSinceLastActivity >= days
  if (input.tickets <= 0 && quiet) return { band: null, value: null, detail: { kind: 'quiet', days } }
  const perSeat = input.tickets / input.seats
  const median = context.ticketsPerSeatMedian[input.tier] ?? 0
  const ratio = median > 0 ? roundHalfAway(perSeat / median, 2) : null
  const value = roundHalfAway(perSeat, 2)
  const detail = {
    tickets: input.tickets,
    seats: input.seats,
    days,
    perSeat: value,
    median: roundHalfAway(median, 2),
    ratio,
    tier: input.tier,
  }
  if (input.tickets <= 0) return { band: 'GOOD', value, detail: { kind: 'none', ...detail } }
  if (ratio === null) return { band: 'NORMAL', value, detail: { kind: 'zero_median', ...detail } }
  const band: HealthBand = ratio <= goodUpTo ? 'GOOD' : ratio <= normalUpTo ? 'NORMAL' : 'BAD'
  return { band, value, detail: { kind: 'ratio', ...detail } }
}

/** 5. Explicit deflections ÷ (explicit deflections + tickets filed) in `days`, as a whole percent:
 *  GOOD from 40%, NORMAL from 20% (defaults). Neither: no data. */
export function selfServiceBand(
  input: Pick<AccountHealthInput, 'tickets' | 'deflections'>,
  settings: ScoringSettings,
): MeasureResult<SelfServiceDetail> {
  const { days, goodFrom, normalFrom } = settings.health.selfService
  const detail = { deflections: input.deflections, tickets: input.tickets, days }
  const total = input.deflections + input.tickets
  if (total <= 0) return { band: null, value: null, detail: { kind: 'none', ...detail } }
  const percent = percentOf(input.deflections, total)
  return {
    band: bandFrom(percent, asPercent(goodFrom), asPercent(normalFrom)),
    value: percent,
    detail: { kind: 'ratio', ...detail },
  }
}

/** 6. Event attendances by the account's members in `days`: GOOD from 3, NORMAL from 1 (defaults);
 *  none is BAD, not missing data. Its weight grows per tier (see `measureWeight`). */
export function eventsBand(
  input: Pick<AccountHealthInput, 'eventsAttended'>,
  settings: ScoringSettings,
): MeasureResult<EventsDetail> {
  const { days, goodFrom, normalFrom } = settings.health.events
  return {
    band: bandFrom(input.eventsAttended, goodFrom, normalFrom),
    value: input.eventsAttended,
    detail: { attended: input.eventsAttended, days },
  }
}

/** 7. NPS from event surveys in `days`, when at least `minAnswers` (and at least one) answered: GOOD
 *  from 30, NORMAL from 0 (defaults). Fewer answers: no data. */
export function sentimentBand(
  input: Pick<AccountHealthInput, 'npsScores'>,
  settings: ScoringSettings,
): MeasureResult<SentimentDetail> {
  const { days, minAnswers, goodFrom, normalFrom } = settings.health.sentiment
  const answers = input.npsScores.length
  const nps = npsOf(input.npsScores)
  if (nps === null || answers < minAnswers) {
    return { band: null, value: null, detail: { kind: answers === 0 ? 'none' : 'few', answers, minAnswers, days } }
  }
  const { promoters, detractors } = npsGroups(input.npsScores)
  return {
    band: bandFrom(nps, goodFrom, normalFrom),
    value: nps,
    detail: { kind: 'nps', answers, promoters, detractors, days },
  }
}

/** 8. Onboarding, for accounts younger than `youngerThanDays` only: any activity in the first
 *  `firstDays` is GOOD; none once those days are over (age ≥ firstDays) is BAD. No data while the first
 *  days are still running with nothing done yet, and for older accounts (to which it does not apply:
 *  `accountHealth` gives it no weight then). The value is the activity in the first days. */
export function onboardingBand(
  input: Pick<AccountHealthInput, 'ageDays' | 'firstDaysActivity'>,
  settings: ScoringSettings,
): MeasureResult<OnboardingDetail> {
  const { youngerThanDays, firstDays } = settings.health.onboarding
  const detail = { ageDays: input.ageDays, activity: input.firstDaysActivity, firstDays, youngerThanDays }
  if (input.ageDays >= youngerThanDays)
    return { band: null, value: null, detail: { kind: 'not_applicable', ...detail } }
  if (input.firstDaysActivity > 0) {
    return { band: 'GOOD', value: input.firstDaysActivity, detail: { kind: 'active', ...detail } }
  }
  if (input.ageDays >= firstDays) return { band: 'BAD', value: 0, detail: { kind: 'silent', ...detail } }
  return { band: null, value: null, detail: { kind: 'too_early', ...detail } }
}

/** Every measure's result for one account, in the order of `healthMeasures`. */
export function measureOutcomes(
  input: AccountHealthInput,
  context: HealthContext,
  settings: ScoringSettings,
): MeasureOutcome[] {
  return [
    { measure: 'engagement', ...engagementBand(input, context, settings) },
    { measure: 'trend', ...trendBand(input, settings) },
    { measure: 'breadth', ...breadthBand(input, settings) },
    { measure: 'supportLoad', ...supportLoadBand(input, context, settings) },
    { measure: 'selfService', ...selfServiceBand(input, settings) },
    { measure: 'events', ...eventsBand(input, settings) },
    { measure: 'sentiment', ...sentimentBand(input, settings) },
    { measure: 'onboarding', ...onboardingBand(input, settings) },
  ]
}

/** A measure's weight for an account: the setting, times the tier's factor for events, and 0 for
 *  onboarding once the account is past its window (the measure does not apply, so it neither counts nor
 *  lowers coverage). */
export function measureWeight(outcome: MeasureOutcome, tier: TouchTier, health: HealthSettings): number {
  if (outcome.measure === 'events') return health.weights.events * health.eventsWeightByTier[tier]
  if (outcome.measure === 'onboarding' && outcome.detail.kind === 'not_applicable') return 0
  return health.weights[outcome.measure]
}

/** The overall level of a score (one decimal, 0–100) with its coverage: INSUFFICIENT_DATA below the
 *  minimum coverage or without a score, else GOOD from 75, NORMAL from 50, BAD below (defaults). */
export function healthLevelFor(score: number | null, coverage: number, settings: ScoringSettings): HealthLevel {
  const { goodFrom, normalFrom, minCoverage } = settings.health.overall
  if (score === null || coverage < minCoverage) return 'INSUFFICIENT_DATA'
  return bandFrom(score, goodFrom, normalFrom)
}

/** The hard risk an account carries, if any: active before, and silent for `silentDays` or more. */
export function hardRiskOf(
  input: Pick<AccountHealthInput, 'daysSinceLastActivity'>,
  settings: ScoringSettings,
): HardRisk | null {
  const days = input.daysSinceLastActivity
  return days !== null && days >= settings.health.silentDays ? 'silent' : null
}

/** An account's health as of a day (docs/architecture.md section 6). Overall score = Σ wᵢ·sᵢ ÷ Σ wᵢ over the
 *  measures with data, one decimal; coverage = their weight ÷ the weight of every measure that applies,
 *  two decimals; both are rounded before the level is decided on them, so what is shown is what was
 *  decided. Below the minimum coverage the level is INSUFFICIENT_DATA, never GOOD by default, and so it
 *  is while the account is younger than the onboarding measure's first days. A hard
 *  risk (silent after being active) makes the level BAD whatever the rest says, even with insufficient
 *  data; the score stays the measures' own. Deterministic: same input, same output. */
export function accountHealth(
  input: AccountHealthInput,
  context: HealthContext,
  settings: ScoringSettings,
): AccountHealth {
  const health = settings.health
  const components: HealthComponent[] = measureOutcomes(input, context, settings).map((outcome) => ({
    measure: outcome.measure,
    band: outcome.band,
    value: outcome.value,
    weight: measureWeight(outcome, input.tier, health),
    score: outcome.band === null ? null : health.bandScore[outcome.band],
    reason: measureReason(outcome),
  }))
  let allWeight = 0
  let presentWeight = 0
  let weighted = 0
  for (const component of components) {
    allWeight += component.weight
    if (component.score === null) continue
    presentWeight += component.weight
    weighted += component.weight * component.score
  }
  const score = presentWeight > 0 ? roundHalfAway(weighted / presentWeight, 1) : null
  const coverage = allWeight > 0 ? roundHalfAway(presentWeight / allWeight, 2) : 0
  const hardRisk = hardRiskOf(input, settings)
  // An account still in its first days is compared with no one yet: its measures would call it BAD
  // for not having done what it has not had time to do.
  const tooNew = input.ageDays < health.onboarding.firstDays
  const level = hardRisk ? 'BAD' : tooNew ? 'INSUFFICIENT_DATA' : healthLevelFor(score, coverage, settings)
  const silentFor = hardRisk ? input.daysSinceLastActivity : null
  return {
    level,
    score,
    coverage,
    components,
    hardRisk,
    hardRiskReason: silentFor === null ? null : hardRiskReason(silentFor),
    summary: summaryLine(
      { level, coverage, components, silentFor, newFor: tooNew && !hardRisk ? input.ageDays : null },
      settings,
    ),
  }
}
