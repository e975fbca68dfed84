import { npsGroups } from '#app/lib/nps.ts'
import type {
  BreadthChangeDetail,
  BreadthDetail,
  ChampionsDetail,
  EngagementDetail,
  EventsDetail,
  HardRisk,
  KeyMember,
  MeasureOutcome,
  MeasureResult,
  OnboardingDetail,
  SelfServiceDetail,
  SentimentDetail,
  SupportLoadDetail,
  TicketSurgeDetail,
  TrendDetail,
} from './measures.ts'
import { type BilingualText, hardRiskReason, measureReason, summaryLine } from './reasons.ts'
import type { HealthBand, HealthLevel, HealthMeasure, HealthSettings, ScoringSettings } from './settings.ts'
import { type TouchTier, touchTiers } from './tiers.ts'

/** A survey answer: the 0–10 score and how many days before the end of the day it was given. */
export type NpsAnswer = { score: number; ageDays: number }

/** A member who gave contribution points in the champions baseline, with the working days since
 *  their last activity. Only members at or above the minimum share are passed. */
export type Contributor = { name: string; points: number; silentDays: number }

/** Everything account health is computed from, for one account as of one day. Filled by set-based SQL
 *  (one query per kind of figure for all accounts); every figure is a plain number so the maths stays
 *  pure. Windows said to be in working days skip the holidays (holidays.ts). */
export type AccountHealthInput = {
  accountId: number
  /** The account's name, for the champion-loss reason. */
  accountName: string
  tier: TouchTier
  seats: number | null // null or 0 → per-seat measures have no data
  /** Days since the account's start (contract_start, else created_at) as of the date. */
  ageDays: number
  /** Σ of the account's members' decayed engagement points (memberPoints) as of the date. */
  engagementPoints: number
  /** Raw activity points per week of seven working days, newest first: the last `trend.days` working
   *  days, then the `trend.days` before (decay not applied, so the windows compare like with like). */
  activityWeeks: number[]
  /** Distinct members with any ledger row in the last `breadth.days` working days. */
  activeMembers: number
  /** Distinct members active in as many working days ending `breadthChange.agoDays` working days before. */
  activeMembersBefore: number
  /** Contribution points of the account in the champions baseline, and the members who each gave at
   *  least `champions.minShare` of them; whether anyone else was active in the last `champions.silentDays`
   *  working days. */
  contributionPoints: number
  keyContributors: Contributor[]
  othersActive: boolean
  /** Tickets filed (all sources) and explicit deflections in the last `supportLoad.days` /
   *  `selfService.days`, and the members active in the support-load window. */
  tickets: number
  deflections: number
  supportMembers: number
  /** Tickets in the last `ticketSurge.days` and the `baselineDays` before, with the members active in each. */
  surgeTickets: number
  surgeBaselineTickets: number
  surgeMembers: number
  surgeBaselineMembers: number
  /** Event attendances by the account's members in the last `events.days`. */
  eventsAttended: number
  /** Survey answers (0–10) in the last `sentiment.days`. */
  npsAnswers: NpsAnswer[]
  /** Ledger rows in the account's first `onboarding.firstDays` days. */
  firstDaysActivity: number
  /** Onboarding milestones in the account's first `onboarding.milestoneDays` days (young accounts only;
   *  0 / false otherwise): members who joined, distinct days with activity, and whether anyone asked,
   *  answered or attended an event. */
  membersJoined: number
  onboardingActiveDays: number
  onboardingContributed: boolean
  /** Working days since the account's last ledger row, null if it never had one. */
  daysSinceLastActivity: number | null
  /** Members at the champion level. */
  champions: number
}

/** What the measures compare an account with: the other accounts of its touch tier. */
export type HealthContext = {
  /** Engagement points per seat of every account of the tier that has seats, ascending. */
  engagementPerSeat: Record<TouchTier, number[]>
  /** The median of tickets per active member over the accounts of the tier with an active member in
   *  the support-load window; null without any. */
  ticketsPerMemberMedian: Record<TouchTier, number | null>
}

export type HealthComponent = {
  measure: HealthMeasure
  band: HealthBand | null
  value: number | null
  /** The measure's weight for this account (events scaled by tier, sentiment by its answers; 0 when
   *  the measure does not apply). */
  weight: number
  /** What the band is worth (100 / 60 / 0 by default); null without data. */
  score: number | null
  reason: BilingualText
}

/** Where the level stood on the previous snapshot: what was shown, since when, and what the measures
 *  called for (the candidate) since when. */
export type PreviousLevel = {
  day: string
  level: HealthLevel
  levelSince: string
  candidate: HealthLevel | null
  candidateSince: string | null
}

export type AccountHealth = {
  /** The level shown: the candidate once it has held for `confirmDays` (or at once for a hard risk). */
  level: HealthLevel
  /** The first day of the shown level's run (the snapshot's day without a previous one). */
  levelSince: string
  /** What the measures call for today, after hysteresis and caps, and since when they have. */
  candidate: HealthLevel
  candidateSince: string
  /** Set while the candidate differs from the level: days it has held, and days it needs. */
  pending: { level: HealthLevel; days: number; needed: number } | null
  /** 0–100, one decimal; null when no measure has data. */
  score: number | null
  /** Share (0–1, two decimals) of the weight of the measures that apply which has data. */
  coverage: number
  components: HealthComponent[]
  hardRisk: HardRisk | null
  hardRiskReason: BilingualText | null
  /** One line for lists: "BAD for 5 days: activity fell 45%; breadth 23%". */
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

/** Tickets per active member in the support-load window, for the context and each account alike. */
function ticketsPerMember(tickets: number, members: number): number {
  return tickets / Math.max(1, members)
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
 *  without seats take no part in engagement per seat, accounts without an active member in the window
 *  none in the ticket median. */
export function healthContext(
  inputs: readonly Pick<AccountHealthInput, 'tier' | 'seats' | 'engagementPoints' | 'tickets' | 'supportMembers'>[],
): HealthContext {
  const perSeat = Object.fromEntries(touchTiers.map((tier) => [tier, [] as number[]])) as Record<TouchTier, number[]>
  const tickets = Object.fromEntries(touchTiers.map((tier) => [tier, [] as number[]])) as Record<TouchTier, number[]>
  for (const input of inputs) {
    if (hasSeats(input.seats)) perSeat[input.tier].push(engagementPerSeat(input.engagementPoints, input.seats))
    if (input.supportMembers > 0) tickets[input.tier].push(ticketsPerMember(input.tickets, input.supportMembers))
  }
  for (const tier of touchTiers) perSeat[tier].sort((a, b) => a - b)
  const medians = Object.fromEntries(touchTiers.map((tier) => [tier, median(tickets[tier])])) as Record<
    TouchTier,
    number | null
  >
  return { engagementPerSeat: perSeat, ticketsPerMemberMedian: medians }
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

/** The weeks of the trend's two windows: `weeks` each (ceil of `trend.days` ÷ 7), newest first. */
export function trendWeeks(settings: ScoringSettings): number {
  return Math.max(1, Math.ceil(settings.health.trend.days / 7))
}

/** The activity of one window of the trend: the sum of its weeks, less its quietest week when it has
 *  three or more, so that a lull of a week outside the holidays is not read as a fall. */
function windowActivity(weeks: readonly number[]): number {
  const total = weeks.reduce((sum, week) => sum + week, 0)
  return weeks.length >= 3 ? total - Math.min(...weeks) : total
}

/** 2. Activity in the last `days` working days against the `days` before, each window's quietest week
 *  left out, as a whole signed percent: a decline over 30% is BAD, over 15% NORMAL, anything else GOOD
 *  (defaults). No activity in either window: no data. None before and some now: GOOD, with no percent. */
export function trendBand(
  input: Pick<AccountHealthInput, 'activityWeeks'>,
  settings: ScoringSettings,
): MeasureResult<TrendDetail> {
  const { days, badDeclineOver, normalDeclineOver } = settings.health.trend
  const weeks = trendWeeks(settings)
  const week = (index: number) => input.activityWeeks[index] ?? 0
  const recentWeeks = Array.from({ length: weeks }, (_, i) => week(i))
  const previousWeeks = Array.from({ length: weeks }, (_, i) => week(weeks + i))
  const activityRecent = windowActivity(recentWeeks)
  const activityPrevious = windowActivity(previousWeeks)
  const recent = roundHalfAway(activityRecent, 1)
  const previous = roundHalfAway(activityPrevious, 1)
  const detail = { days, recent, previous }
  if (activityPrevious <= 0) {
    return activityRecent > 0
      ? { band: 'GOOD', value: null, detail: { kind: 'started', ...detail } }
      : { band: null, value: null, detail: { kind: 'none', ...detail } }
  }
  const change = roundHalfAway(((activityRecent - activityPrevious) * 100) / activityPrevious)
  const decline = -change
  const band: HealthBand =
    decline > asPercent(badDeclineOver) ? 'BAD' : decline > asPercent(normalDeclineOver) ? 'NORMAL' : 'GOOD'
  return { band, value: change, detail: { kind: 'change', ...detail } }
}

/** 3. Members active in the last `days` working days ÷ seats, as a whole percent: GOOD from 40%,
 *  NORMAL from 15% (defaults). No seats: no data. */
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

/** 3b. Breadth against the account's own past: members active in the last `breadth.days` working days
 *  against those active in as many working days ending `agoDays` working days before, as a whole signed
 *  percent: a fall over 35% is BAD, over 15% NORMAL (defaults). No data for an account younger than
 *  both windows together (in calendar days, a lower bound), or with fewer than `minBaseline` members
 *  active then. */
export function breadthChangeBand(
  input: Pick<AccountHealthInput, 'ageDays' | 'activeMembers' | 'activeMembersBefore'>,
  settings: ScoringSettings,
): MeasureResult<BreadthChangeDetail> {
  const { agoDays, badDeclineOver, normalDeclineOver, minBaseline } = settings.health.breadthChange
  const days = settings.health.breadth.days
  const detail = { now: input.activeMembers, before: input.activeMembersBefore, days, agoDays, minBaseline }
  if (input.ageDays < agoDays + days) return { band: null, value: null, detail: { kind: 'young', ...detail } }
  if (input.activeMembersBefore < minBaseline) return { band: null, value: null, detail: { kind: 'few', ...detail } }
  const change = roundHalfAway(((input.activeMembers - input.activeMembersBefore) * 100) / input.activeMembersBefore)
  const decline = -change
  const band: HealthBand =
    decline > asPercent(badDeclineOver) ? 'BAD' : decline > asPercent(normalDeclineOver) ? 'NORMAL' : 'GOOD'
  return { band, value: change, detail: { kind: 'change', ...detail } }
}

/** 3c. Champion loss: of the members who each gave at least `minShare` of the account's contribution
 *  points in the `baselineDays` working days before the last `silentDays`, those silent ever since,
 *  while someone else in the account is active. The share they gave, a whole percent, is the value:
 *  from 50% BAD (and a hard risk), from 25% NORMAL, else GOOD (defaults). Fewer than `minPoints` in the
 *  baseline: no data; nobody else active: no data (the silence rule judges a silent account). */
export function championsBand(
  input: Pick<AccountHealthInput, 'accountName' | 'contributionPoints' | 'keyContributors' | 'othersActive'>,
  settings: ScoringSettings,
): MeasureResult<ChampionsDetail> {
  const { baselineDays, silentDays, minPoints, normalFrom, badFrom } = settings.health.champions
  const windows = { baselineDays, silentDays }
  if (input.contributionPoints <= 0 || input.contributionPoints < minPoints || input.keyContributors.length === 0) {
    return { band: null, value: null, detail: { kind: 'none', ...windows } }
  }
  const keyMembers: KeyMember[] = input.keyContributors
    .map((member) => ({
      name: member.name,
      share: percentOf(member.points, input.contributionPoints),
      silentDays: member.silentDays,
    }))
    .sort((a, b) => b.share - a.share || a.name.localeCompare(b.name))
  const lost = keyMembers.filter((member) => member.silentDays >= silentDays)
  const stillActive = keyMembers.length > lost.length
  if (lost.length > 0 && !stillActive && !input.othersActive) {
    return { band: null, value: null, detail: { kind: 'all_quiet', ...windows } }
  }
  const lostPoints = input.keyContributors
    .filter((member) => member.silentDays >= silentDays)
    .reduce((sum, member) => sum + member.points, 0)
  const lostShare = percentOf(lostPoints, input.contributionPoints)
  const band: HealthBand =
    lostShare >= asPercent(badFrom) ? 'BAD' : lostShare >= asPercent(normalFrom) && lostShare > 0 ? 'NORMAL' : 'GOOD'
  return {
    band,
    value: lostShare,
    detail: {
      kind: lost.length > 0 ? 'lost' : 'kept',
      account: input.accountName,
      keyMembers,
      lost,
      lostShare,
      ...windows,
    },
  }
}

/** 4. Tickets filed per active member in `days` against the tier's median: up to 1.5× GOOD, up to 3×
 *  NORMAL, above BAD (defaults), on the ratio rounded to two decimals. Per active member rather than
 *  per seat, so a fast-growing account's tickets are weighed against the people who file them. The
 *  value is tickets per active member (two decimals). No ticket is GOOD. When the tier median is 0
 *  there is no multiple to take, and an account with tickets is NORMAL. No ticket from an account with
 *  no activity at all in the window (quiet is not self-sufficient): no data. */
export function supportLoadBand(
  input: Pick<AccountHealthInput, 'tier' | 'tickets' | 'supportMembers' | 'daysSinceLastActivity'>,
  context: HealthContext,
  settings: ScoringSettings,
): MeasureResult<SupportLoadDetail> {
  const { days, goodUpTo, normalUpTo } = settings.health.supportLoad
  const quiet = input.supportMembers <= 0
  if (input.tickets <= 0 && quiet) return { band: null, value: null, detail: { kind: 'quiet', days } }
  const perMember = ticketsPerMember(input.tickets, input.supportMembers)
  const median = context.ticketsPerMemberMedian[input.tier] ?? 0
  const ratio = median > 0 ? roundHalfAway(perMember / median, 2) : null
  const value = roundHalfAway(perMember, 2)
  const detail = {
    tickets: input.tickets,
    members: Math.max(1, input.supportMembers),
    days,
    perMember: value,
    median: roundHalfAway(median, 2),
    ratio,
    tier: input.tier,
  }
  if (input.tickets <= 0) return { band: 'GOOD', value, detail: { kind: 'none', ...detail } }
  if (ratio === null) return { band: 'NORMAL', value, detail: { kind: 'zero_median', ...detail } }
  const band: HealthBand = ratio <= goodUpTo ? 'GOOD' : ratio <= normalUpTo ? 'NORMAL' : 'BAD'
  return { band, value, detail: { kind: 'ratio', ...detail } }
}

/** 4b. A surge of tickets against the account's own past: the tickets of the last `days` against those
 *  expected at the rate of the `baselineDays` before, per active member (so growth in members is not a
 *  surge): ratio up to 1.5 GOOD, up to 2.5 NORMAL, above BAD (defaults); the expected number is at
 *  least 1. Fewer than `minTickets` recent tickets is GOOD, and so is no ticket in either window from
 *  an account with active members. No data for an account younger than the recent window and half the
 *  baseline, or with neither tickets nor active members. */
export function ticketSurgeBand(
  input: Pick<
    AccountHealthInput,
    'ageDays' | 'surgeTickets' | 'surgeBaselineTickets' | 'surgeMembers' | 'surgeBaselineMembers'
  >,
  settings: ScoringSettings,
): MeasureResult<TicketSurgeDetail> {
  const { days, baselineDays, goodUpTo, normalUpTo, minTickets } = settings.health.ticketSurge
  const windows = { days, baselineDays }
  if (input.ageDays < days + baselineDays / 2) return { band: null, value: null, detail: { kind: 'young', ...windows } }
  if (input.surgeTickets <= 0 && input.surgeBaselineTickets <= 0) {
    // No ticket from an account where nobody was active either says nothing (as for support load).
    const quiet = input.surgeMembers <= 0 && input.surgeBaselineMembers <= 0
    return { band: quiet ? null : 'GOOD', value: quiet ? null : 0, detail: { kind: 'none', ...windows } }
  }
  const baselineRate = (input.surgeBaselineTickets * (days / baselineDays)) / Math.max(1, input.surgeBaselineMembers)
  const expected = Math.max(1, baselineRate * Math.max(1, input.surgeMembers))
  const ratio = roundHalfAway(input.surgeTickets / expected, 2)
  const detail = {
    recent: input.surgeTickets,
    baseline: input.surgeBaselineTickets,
    expected: roundHalfAway(expected, 1),
    minTickets,
    ...windows,
  }
  if (input.surgeTickets < minTickets) return { band: 'GOOD', value: ratio, detail: { kind: 'few', ...detail } }
  const band: HealthBand = ratio <= goodUpTo ? 'GOOD' : ratio <= normalUpTo ? 'NORMAL' : 'BAD'
  return { band, value: ratio, detail: { kind: 'ratio', ...detail } }
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

/** Whether a 0–10 answer is a detractor's (0–6). */
function isDetractor(score: number): boolean {
  return score <= 6
}

/** 7. NPS from every survey answer in `days`, each weighing 0.5 ^ (age ÷ `halfLifeDays`), so that
 *  recent answers count more: whole number from −100 to 100, GOOD from 30, NORMAL from 0 (defaults).
 *  No answer: no data. The measure's weight grows with the answers (see `measureWeight`). The detractor
 *  signal — at least `detractorMin` answers of 0–6 in the last `detractorDays`, at least
 *  `detractorShare` of the answers then — caps the level (see `hardRiskOf`). */
export function sentimentBand(
  input: Pick<AccountHealthInput, 'npsAnswers'>,
  settings: ScoringSettings,
): MeasureResult<SentimentDetail> {
  const { days, halfLifeDays, goodFrom, normalFrom, detractorDays, detractorMin, detractorShare } =
    settings.health.sentiment
  const answers = input.npsAnswers.filter((answer) => answer.ageDays < days)
  if (answers.length === 0) return { band: null, value: null, detail: { kind: 'none', days } }
  let total = 0
  let promoters = 0
  let detractors = 0
  for (const answer of answers) {
    const weight = 0.5 ** (answer.ageDays / halfLifeDays)
    total += weight
    if (answer.score >= 9) promoters += weight
    else if (isDetractor(answer.score)) detractors += weight
  }
  const nps = roundHalfAway(((promoters - detractors) * 100) / total)
  const recent = answers.filter((answer) => answer.ageDays < detractorDays)
  const recentDetractors = recent.filter((answer) => isDetractor(answer.score)).length
  const detractorSignal = recentDetractors >= detractorMin && recentDetractors >= detractorShare * recent.length - 1e-9
  const { promoters: promoterCount, detractors: detractorCount } = npsGroups(answers.map((answer) => answer.score))
  return {
    band: bandFrom(nps, goodFrom, normalFrom),
    value: nps,
    detail: {
      kind: 'nps',
      answers: answers.length,
      promoters: promoterCount,
      detractors: detractorCount,
      days,
      recentAnswers: recent.length,
      recentDetractors,
      detractorDays,
      detractorSignal,
    },
  }
}

/** 8. Onboarding, for accounts younger than `youngerThanDays` only. No activity at all in the first
 *  `firstDays` is BAD once those days are over (no data before). Otherwise three milestones are
 *  counted in the first `milestoneDays`: members joined (`membersFrom` of the seats, at least 2), days
 *  with activity (`activeDaysFrom`), and a first question, answer or event attended. While the
 *  milestones are not due yet: two or three met GOOD, fewer NORMAL; once due: three GOOD, two NORMAL,
 *  fewer BAD. The value is the milestones met. Older accounts: not applicable (no weight). */
export function onboardingBand(
  input: Pick<
    AccountHealthInput,
    'ageDays' | 'seats' | 'firstDaysActivity' | 'membersJoined' | 'onboardingActiveDays' | 'onboardingContributed'
  >,
  settings: ScoringSettings,
): MeasureResult<OnboardingDetail> {
  const { youngerThanDays, firstDays, milestoneDays, membersFrom, activeDaysFrom } = settings.health.onboarding
  const membersNeeded = Math.max(2, Math.ceil(membersFrom * (hasSeats(input.seats) ? input.seats : 0) - 1e-9))
  const met =
    Number(input.membersJoined >= membersNeeded) +
    Number(input.onboardingActiveDays >= activeDaysFrom) +
    Number(input.onboardingContributed)
  const due = input.ageDays >= milestoneDays
  const detail = {
    ageDays: input.ageDays,
    activity: input.firstDaysActivity,
    firstDays,
    youngerThanDays,
    milestoneDays,
    due,
    membersJoined: input.membersJoined,
    membersNeeded,
    activeDays: input.onboardingActiveDays,
    activeDaysNeeded: activeDaysFrom,
    contributed: input.onboardingContributed,
    met,
  }
  if (input.ageDays >= youngerThanDays) {
    return { band: null, value: null, detail: { kind: 'not_applicable', ...detail } }
  }
  if (input.firstDaysActivity <= 0) {
    if (input.ageDays >= firstDays) return { band: 'BAD', value: null, detail: { kind: 'silent', ...detail } }
    return { band: null, value: null, detail: { kind: 'too_early', ...detail } }
  }
  const band: HealthBand = due ? (met >= 3 ? 'GOOD' : met === 2 ? 'NORMAL' : 'BAD') : met >= 2 ? 'GOOD' : 'NORMAL'
  return { band, value: met, detail: { kind: 'milestones', ...detail } }
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
    { measure: 'breadthChange', ...breadthChangeBand(input, settings) },
    { measure: 'champions', ...championsBand(input, settings) },
    { measure: 'supportLoad', ...supportLoadBand(input, context, settings) },
    { measure: 'ticketSurge', ...ticketSurgeBand(input, settings) },
    { measure: 'selfService', ...selfServiceBand(input, settings) },
    { measure: 'events', ...eventsBand(input, settings) },
    { measure: 'sentiment', ...sentimentBand(input, settings) },
    { measure: 'onboarding', ...onboardingBand(input, settings) },
  ]
}

/** A measure's weight for an account: the setting, times the tier's factor for events, times the share
 *  of `fullWeightAnswers` answered for sentiment (one answer weighs a third by default), 0 for
 *  onboarding once the account is past its window, and 0 for the comparisons with the account's own
 *  past while it is too young to have one (a measure that does not apply neither counts nor lowers
 *  coverage). */
export function measureWeight(outcome: MeasureOutcome, tier: TouchTier, health: HealthSettings): number {
  if (outcome.measure === 'events') return health.weights.events * health.eventsWeightByTier[tier]
  if (outcome.measure === 'onboarding' && outcome.detail.kind === 'not_applicable') return 0
  // A comparison with the account's own past has nothing to compare with before it has a past: like
  // onboarding for an old account, it does not apply, so it neither counts nor lowers coverage.
  if ((outcome.measure === 'breadthChange' || outcome.measure === 'ticketSurge') && outcome.detail.kind === 'young') {
    return 0
  }
  if (outcome.measure === 'sentiment') {
    const answers = outcome.detail.kind === 'nps' ? outcome.detail.answers : 0
    const share = Math.min(1, answers / health.sentiment.fullWeightAnswers)
    return roundHalfAway(health.weights.sentiment * (answers > 0 ? share : 1), 2)
  }
  return health.weights[outcome.measure]
}

/** The overall level of a score (one decimal, 0–100) with its coverage: INSUFFICIENT_DATA below the
 *  minimum coverage or without a score, else GOOD from 75, NORMAL from 50, BAD below (defaults). */
export function healthLevelFor(score: number | null, coverage: number, settings: ScoringSettings): HealthLevel {
  const { goodFrom, normalFrom, minCoverage } = settings.health.overall
  if (score === null || coverage < minCoverage) return 'INSUFFICIENT_DATA'
  return bandFrom(score, goodFrom, normalFrom)
}

/** The level a score calls for given the level held before: the held band is kept while the score
 *  stays within `margin` points of it, so a score wavering on a boundary does not flip the level. */
export function levelWithHysteresis(
  score: number | null,
  coverage: number,
  held: HealthLevel | null,
  settings: ScoringSettings,
): HealthLevel {
  const plain = healthLevelFor(score, coverage, settings)
  if (plain === 'INSUFFICIENT_DATA' || score === null || held === null || held === 'INSUFFICIENT_DATA') return plain
  const { goodFrom, normalFrom, margin } = settings.health.overall
  const [low, high] =
    held === 'GOOD'
      ? [goodFrom, Number.POSITIVE_INFINITY]
      : held === 'NORMAL'
        ? [normalFrom, goodFrom]
        : [Number.NEGATIVE_INFINITY, normalFrom]
  return score >= low - margin && score < high + margin ? held : plain
}

/** The hard risk an account carries, if any, and the level it caps the account at: silent for
 *  `silentDays` working days after being active (BAD); the members who carried it gone quiet, the
 *  champions measure BAD (BAD); the detractor signal (`sentiment.detractorCap`). The first that applies
 *  in that order. */
export function hardRiskOf(
  input: Pick<AccountHealthInput, 'daysSinceLastActivity'>,
  outcomes: readonly MeasureOutcome[],
  settings: ScoringSettings,
): { risk: HardRisk; cap: HealthBand } | null {
  const days = input.daysSinceLastActivity
  if (days !== null && days >= settings.health.silentDays) return { risk: 'silent', cap: 'BAD' }
  for (const outcome of outcomes) {
    if (outcome.measure === 'champions' && outcome.band === 'BAD') return { risk: 'champion_lost', cap: 'BAD' }
  }
  for (const outcome of outcomes) {
    if (outcome.measure === 'sentiment' && outcome.detail.kind === 'nps' && outcome.detail.detractorSignal) {
      return { risk: 'detractors', cap: settings.health.sentiment.detractorCap }
    }
  }
  return null
}

/** A score no higher than the top of the band a hard risk caps the level at (49.9 under a BAD cap,
 *  74.9 under a NORMAL one, by default), so that the score and the level never disagree in a list
 *  sorted by score. */
function scoreUnderCap(score: number, cap: HealthBand, settings: ScoringSettings): number {
  const { goodFrom, normalFrom } = settings.health.overall
  if (cap === 'BAD') return Math.min(score, roundHalfAway(normalFrom - 0.1, 1))
  if (cap === 'NORMAL') return Math.min(score, roundHalfAway(goodFrom - 0.1, 1))
  return score
}

/** The silent key members the champions measure found, if any. */
function lostChampions(outcomes: readonly MeasureOutcome[]): KeyMember[] {
  for (const outcome of outcomes) {
    if (outcome.measure === 'champions' && outcome.detail.kind === 'lost') return outcome.detail.lost
  }
  return []
}

/** A level no better than a cap: BAD stays BAD; GOOD and INSUFFICIENT_DATA under a NORMAL cap are NORMAL. */
function capped(level: HealthLevel, cap: HealthBand): HealthLevel {
  if (cap === 'BAD') return 'BAD'
  if (cap === 'NORMAL') return level === 'BAD' ? 'BAD' : 'NORMAL'
  return level
}

const bandRank: Record<HealthBand, number> = { BAD: 0, NORMAL: 1, GOOD: 2 }

/** Whether a level is a band below another band (never when either is INSUFFICIENT_DATA or missing). */
function isBelow(level: HealthLevel, other: HealthLevel | undefined): boolean {
  if (level === 'INSUFFICIENT_DATA' || other === undefined || other === 'INSUFFICIENT_DATA') return false
  return bandRank[level] < bandRank[other]
}

/** Whole days from one `YYYY-MM-DD` day to another. */
function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** The level shown, from what the measures call for today (the candidate) and the previous snapshot:
 *  a new level is taken once the candidate has held on every snapshot for `confirmDays` days (counted
 *  from the first snapshot that called for it), at once when a hard risk caps the level at BAD, and at
 *  once to or from INSUFFICIENT_DATA (there is nothing to confirm). Without a previous snapshot the
 *  candidate is taken as it is. */
export function settleLevel(
  candidate: HealthLevel,
  { day, previous, immediate }: { day: string; previous: PreviousLevel | null; immediate: boolean },
  settings: ScoringSettings,
): Pick<AccountHealth, 'level' | 'levelSince' | 'candidate' | 'candidateSince' | 'pending'> {
  if (!previous) return { level: candidate, levelSince: day, candidate, candidateSince: day, pending: null }
  // A move keeps its start while it heads the same way: NORMAL for three days, then BAD, is a move
  // down from GOOD held for four days, not a new one.
  const sameWay =
    previous.candidate !== null &&
    previous.candidate !== previous.level &&
    candidate !== previous.level &&
    (previous.candidate === candidate ||
      (isBelow(previous.candidate, previous.level) && isBelow(candidate, previous.level)) ||
      (isBelow(previous.level, previous.candidate) && isBelow(previous.level, candidate)))
  const candidateSince = sameWay && previous.candidateSince ? previous.candidateSince : day
  if (candidate === previous.level) {
    return { level: candidate, levelSince: previous.levelSince, candidate, candidateSince, pending: null }
  }
  // A jump across two bands (GOOD to BAD or back) is a large move, not noise at a boundary: half the
  // days confirm it.
  const jump =
    candidate !== 'INSUFFICIENT_DATA' &&
    previous.level !== 'INSUFFICIENT_DATA' &&
    Math.abs(bandRank[candidate] - bandRank[previous.level]) === 2
  const days = settings.health.overall.confirmDays
  const needed = jump ? Math.ceil(days / 2) : days
  const held = dayDiff(candidateSince, day) + 1
  const now = immediate || candidate === 'INSUFFICIENT_DATA' || previous.level === 'INSUFFICIENT_DATA' || held >= needed
  if (now) return { level: candidate, levelSince: day, candidate, candidateSince, pending: null }
  return {
    level: previous.level,
    levelSince: previous.levelSince,
    candidate,
    candidateSince,
    pending: { level: candidate, days: held, needed },
  }
}

/** The overall score: Σ wᵢ·sᵢ ÷ Σ wᵢ over the measures with data, one decimal; null when none has data
 *  (or those that have weigh nothing). The health track record's "what if" recomputes stored history
 *  with it, so a weight set is judged by the very formula the snapshots use. */
export function weightedScore(components: readonly { weight: number; score: number | null }[]): number | null {
  let presentWeight = 0
  let weighted = 0
  for (const component of components) {
    if (component.score === null) continue
    presentWeight += component.weight
    weighted += component.weight * component.score
  }
  return presentWeight > 0 ? roundHalfAway(weighted / presentWeight, 1) : null
}

/** An account's health as of a day (docs/architecture.md section 6). Overall score = Σ wᵢ·sᵢ ÷ Σ wᵢ
 *  over the measures with data, one decimal; coverage = their weight ÷ the weight of every measure that
 *  applies, two decimals; both are rounded before the level is decided on them, so what is shown is
 *  what was decided. Below the minimum coverage the level is INSUFFICIENT_DATA, never GOOD by default,
 *  and so it is while the account is younger than the onboarding measure's first days. The candidate
 *  level keeps the previous level while the score stays within the margin of it, a hard risk caps it
 *  (and the score with it, `scoreUnderCap`), and the level shown follows the candidate once confirmed
 *  (`settleLevel`; at once with `rejudge`, after a settings change). Deterministic: same input, same
 *  output. */
export function accountHealth(
  input: AccountHealthInput,
  context: HealthContext,
  settings: ScoringSettings,
  {
    day = '1970-01-01',
    previous = null,
    rejudge = false,
  }: {
    day?: string
    previous?: PreviousLevel | null
    /** Take the candidate at once, as after a settings change: confirmation guards against noise in
     *  the data, not against a manager's new rules. */
    rejudge?: boolean
  } = {},
): AccountHealth {
  const health = settings.health
  const outcomes = measureOutcomes(input, context, settings)
  const components: HealthComponent[] = outcomes.map((outcome) => ({
    measure: outcome.measure,
    band: outcome.band,
    value: outcome.value,
    weight: measureWeight(outcome, input.tier, health),
    score: outcome.band === null ? null : health.bandScore[outcome.band],
    reason: measureReason(outcome),
  }))
  let allWeight = 0
  let presentWeight = 0
  for (const component of components) {
    allWeight += component.weight
    if (component.score !== null) presentWeight += component.weight
  }
  const score = weightedScore(components)
  const coverage = allWeight > 0 ? roundHalfAway(presentWeight / allWeight, 2) : 0
  const risk = hardRiskOf(input, outcomes, settings)
  // An account still in its first days is compared with no one yet: its measures would call it BAD
  // for not having done what it has not had time to do.
  const tooNew = input.ageDays < health.onboarding.firstDays
  const measured = tooNew
    ? 'INSUFFICIENT_DATA'
    : levelWithHysteresis(score, coverage, previous?.level ?? null, settings)
  const candidate = risk ? capped(measured, risk.cap) : measured
  // A hard risk lowers the level at once; a rise under one (a NORMAL cap over a BAD level) is confirmed
  // like any other.
  const settled = settleLevel(
    candidate,
    { day, previous, immediate: rejudge || (risk !== null && isBelow(candidate, previous?.level)) },
    settings,
  )
  const hardRisk = risk?.risk ?? null
  const silentFor = hardRisk === 'silent' ? input.daysSinceLastActivity : null
  return {
    ...settled,
    score: risk && score !== null ? scoreUnderCap(score, risk.cap, settings) : score,
    coverage,
    components,
    hardRisk,
    hardRiskReason: risk ? hardRiskReason(risk, outcomes, input.daysSinceLastActivity ?? 0) : null,
    summary: summaryLine(
      {
        level: settled.level,
        coverage,
        components,
        hardRisk,
        silentFor,
        newFor: tooNew && !hardRisk ? input.ageDays : null,
        heldDays: dayDiff(settled.levelSince, day) + 1,
        pending: settled.pending,
        lostChampions: lostChampions(outcomes),
      },
      settings,
    ),
  }
}
