// The worlds `npm run simulate` tries the health score against. "baseline" is the original world
// (simulateAccount in simulate-lib.ts: latent health that stays, declines or dips). "causes" draws each
// account one profile: a churn cause (the general decline, the champion leaving, breadth shrinking, a
// surge of tickets, unhappy people, failed onboarding) or a healthy profile whose ledger is noisy (a
// holiday lull, passive readers, fast growth, few surveys, a key contributor on vacation) or steady.
// As in the baseline, churn is drawn from each account's latent state alone, never from what the
// ledger shows or a score says: the scoring has to find the cause in the ledger by itself.
import type { ActivityType } from '#app/domain/activity/ledger.server.ts'
import {
  type Cause,
  type ChurnCause,
  churnModel,
  clamp,
  createRng,
  DAY_MS,
  dailyChurnProbability,
  deriveSeed,
  drawTraits,
  intRange,
  isHealthyProfile,
  latentSignals,
  memberActiveChance,
  memberDay,
  type Profile,
  pickTier,
  type Rng,
  range,
  type SimAccount,
  type SimActivity,
  type SimEvent,
  type SimMember,
  type SimSurvey,
  type SimulatedAccount,
  sigmoid,
  simulateAccount,
  targetHealth,
  type WorldOptions,
  worldModel,
} from './simulate-lib.ts'

const HOUR_MS = 3_600_000

export const worldNames = ['baseline', 'causes'] as const
export type WorldName = (typeof worldNames)[number]

/** A world: its period, the days it is sampled on, and the generator of one account. */
export type WorldDefinition = {
  name: WorldName
  /** One line for the report. */
  description: string
  /** The first simulated day, `YYYY-MM-DD` (UTC). */
  start: string
  days: number
  /** Sample days, counted from `start`: every `every` days from `first` to `last`. */
  sampling: { first: number; every: number; last: number }
  /** One account, deterministic in (seed, index); the sampling lets a generator time its causes. */
  generate: (
    index: number,
    options: WorldOptions,
    calendar: readonly SimEvent[],
    sampling: WorldDefinition['sampling'],
  ) => SimulatedAccount
}

/** The profiles of the causes world other than the baseline's dips. */
export type CausesProfile = Exclude<Profile, 'dip'>

/** A recurring period of the generator's own holiday calendar, `MM-DD` to `MM-DD` (across the new year
 *  when `to` comes first). Deliberately wider than the scoring's default holidays: real offices close
 *  for longer than the calendar says, and the score must not depend on knowing the exact days. */
export type LullPeriod = { from: string; to: string }

/** The figures the causes world draws from, on top of `worldModel` (whose tiers, seats, activity,
 *  support and events it shares). Like the baseline's, they describe the world, not a score. */
export const causesModel = {
  /** Causes ≈ 45%, healthy-but-noisy ≈ 35%, steady ≈ 20%. */
  profileShares: {
    decline: 0.075,
    champion: 0.075,
    breadth: 0.075,
    surge: 0.075,
    detractor: 0.075,
    onboarding: 0.075,
    holiday: 0.07,
    passive: 0.07,
    growth: 0.07,
    fewSurveys: 0.07,
    vacation: 0.07,
    steady: 0.2,
  } satisfies Record<CausesProfile, number>,
  /** A cause sets in between `after` days after the first sample day and `before` days before the
   *  last one (negative: before the first), so most of the churn it brings (weeks to months later)
   *  falls inside a follow-up. */
  onset: { after: -45, before: 45 },
  /** The general decline sets in earlier: it takes months to bite. */
  declineOnset: { after: -90, before: 60 },
  /** Healthy accounts that start during the period (so the score meets new accounts that do well), and
   *  when new accounts start, relative to the sample days as the onsets are. */
  newAccountShare: 0.1,
  newStart: { after: -75, before: 30 },
  /** The causes that are about some members against the others need at least these many members
   *  (seats grow to match); an account carried by one or two people has at most `carriedMax` (more
   *  could not be carried by so few: their share of the contributions would be small). */
  minMembers: { champion: 4, breadth: 4, vacation: 4 },
  carriedMax: 20,
  /** A champion or the key contributor: far more active and helpful than the rest. */
  keyMember: { propensity: [2.5, 3.2], helpfulness: [4, 8] },
  champion: {
    /** 1 or 2 champions (1 in accounts of fewer than `twoFrom` members). */
    twoFrom: 8,
    /** The hazard rises after a lag (the others carry on for a while) over `rampDays`. */
    lagDays: [14, 42],
    rampDays: 30,
    hazard: 6,
  },
  breadth: {
    /** Members drop out one by one over these days, until this share of them is left (the core). */
    spanDays: [30, 90],
    remain: [0.3, 0.6],
    /** Times the share of members lost. */
    hazard: 10,
  },
  surge: {
    /** Support needs rise to this multiple over `rampDays`, and self-service falls (its logit by
     *  `selfServeDrop`). Churn feels the surge as `churnModel` measures ticket load, over the last
     *  `feltDays`: the account's quarter of trouble, not its worst day. */
    factor: [3, 6],
    rampDays: [14, 28],
    selfServeDrop: [1.0, 1.5],
    feltDays: 90,
    /** On top of what the ticket-load and self-service terms of `churnModel` already add. */
    hazard: 2,
  },
  detractor: {
    /** Unhappiness builds over `rampDays`, turning this share of survey answers to 0–6; the hazard
     *  rises after a lag (an unhappy customer leaves at its next review, not the next day). */
    rampDays: [14, 42],
    detractorShare: 0.85,
    lagDays: [14, 42],
    hazardRampDays: 30,
    hazard: 5.5,
  },
  onboarding: {
    /** Health starts this much lower (the baseline's slow start), and only this share of the members
     *  ever sign up. */
    drop: worldModel.slowStart.drop,
    joinShare: [0.2, 0.5],
    /** The account decides after this many days (a trial, a first review), over 30 days. */
    lagDays: [45, 90],
    hazard: 4,
  },
  /** Own holiday calendar: a lull of `days` days (at least the period) starting up to `earlyDays`
   *  before each period, with activity, tickets and events at `factor`. */
  lulls: [
    { from: '12-24', to: '01-10' },
    { from: '04-27', to: '05-10' },
    { from: '08-08', to: '08-20' },
  ] satisfies LullPeriod[],
  holiday: { factor: [0.1, 0.2], days: [14, 21], earlyDays: 3 },
  /** The share of members who only visit and read (no posts, votes or events). */
  passive: { share: [0.7, 0.9] },
  /** Members at the end of the period against the start: +50% to +150%, joining through the period. */
  growth: { extra: [0.5, 1.5] },
  /** Happy accounts (health at least average, NPS a little higher) that answer few surveys. */
  fewSurveys: { surveyFactor: 0.1, npsLift: 1 },
  /** The key contributor is away this many days, once or twice in the sampled months. */
  vacation: { days: [14, 21], times: [1, 2] },
}

/** Salts the causes world's streams, so its account 0 draws nothing like the baseline's account 0. */
const CAUSES_SALT = 0xca05e5

const profileOrder = Object.keys(causesModel.profileShares) as CausesProfile[]

function pickProfile(rng: Rng): CausesProfile {
  const draw = rng.next()
  let sum = 0
  for (const profile of profileOrder) {
    sum += causesModel.profileShares[profile]
    if (draw < sum) return profile
  }
  return 'steady'
}

/** The day ranges (from, to exclusive; counted from `start`) of a lull period in every year the world
 *  touches, each stretched to `length` days starting `early` days before the period. */
export function lullDays(
  period: LullPeriod,
  { start, days }: Pick<WorldOptions, 'start' | 'days'>,
  { early, length }: { early: number; length: number },
): [number, number][] {
  const firstYear = new Date(start).getUTCFullYear() - 1
  const lastYear = new Date(start + days * DAY_MS).getUTCFullYear()
  const ranges: [number, number][] = []
  for (let year = firstYear; year <= lastYear; year++) {
    const from = Date.parse(`${year}-${period.from}T00:00:00Z`)
    let to = Date.parse(`${year}-${period.to}T00:00:00Z`)
    if (to < from) to = Date.parse(`${year + 1}-${period.to}T00:00:00Z`)
    const first = Math.round((from - start) / DAY_MS) - early
    const periodDays = Math.round((to - from) / DAY_MS) + 1 + early
    const last = first + Math.max(length, periodDays)
    if (last > 0 && first < days) ranges.push([first, last])
  }
  return ranges
}

function inRanges(day: number, ranges: readonly (readonly [number, number])[]): boolean {
  return ranges.some(([from, to]) => day >= from && day < to)
}

/** Where a cause stands on a day: 0 before its onset, rising to 1. */
function ramp(day: number, from: number, days: number): number {
  return days > 0 ? clamp((day - from) / days, 0, 1) : day >= from ? 1 : 0
}

/** How much of the last `window` days a surge that ramps up over `rampDays` from `onset` has been
 *  on: the mean of its ramp over those days, 0 before the onset and 1 once it has run at full strength
 *  for the whole window. */
export function surgeFelt(day: number, onset: number, rampDays: number, window: number): number {
  let sum = 0
  for (let d = day - window + 1; d <= day; d++) sum += ramp(d, onset, rampDays)
  return sum / window
}

/** One account of the causes world: its profile, traits, ledger and surveys, and its churn. Deterministic
 *  in (seed, index). Every day the latent health takes a step and churn is drawn (`churnModel` from the
 *  account's latent signals, plus its cause's own term once the cause has set in); only then is the
 *  day's activity drawn. The noisy profiles change what the ledger shows, never the latent state churn
 *  is drawn from, so they churn as steady accounts do. */
export function simulateCausesAccount(
  index: number,
  options: WorldOptions,
  calendar: readonly SimEvent[],
  sampling: WorldDefinition['sampling'],
): SimulatedAccount {
  const rng = createRng(deriveSeed(options.seed, index, CAUSES_SALT))
  const model = worldModel
  const cm = causesModel
  const profile = pickProfile(rng)
  const cause: Cause | null = isHealthyProfile(profile) ? null : (profile as Cause)
  const tier = pickTier(rng)
  const arrJpy = Math.round(range(rng, model.arrJpy[tier]) / 10_000) * 10_000
  const usd = rng.chance(model.usdShare)
  let seats = intRange(rng, model.seats[tier])
  let memberCount = Math.max(1, Math.round(seats * range(rng, model.memberShare[tier])))
  const window = (shift: { after: number; before: number }) =>
    clamp(rng.int(sampling.first + shift.after, sampling.last - shift.before), 0, options.days - 1)

  const isNew = profile === 'onboarding' || (cause === null && rng.chance(cm.newAccountShare))
  const startDay = isNew ? window(cm.newStart) : -rng.int(120, 1400)
  const onsetDay =
    cause === null ? null : cause === 'onboarding' ? startDay : window(cause === 'decline' ? cm.declineOnset : cm.onset)

  if (profile === 'onboarding') memberCount = Math.max(1, Math.round(memberCount * range(rng, cm.onboarding.joinShare)))
  const minMembers = (cm.minMembers as Partial<Record<CausesProfile, number>>)[profile] ?? 1
  memberCount = Math.max(memberCount, minMembers)
  if (profile === 'champion' || profile === 'vacation') memberCount = Math.min(memberCount, cm.carriedMax)
  seats = Math.max(seats, memberCount)

  const happy = profile === 'fewSurveys'
  const drawn = rng.normal(model.health.meanLevel, model.health.levelSd)
  const level = happy
    ? Math.max(drawn, 2 * model.health.meanLevel - drawn)
    : drawn - (profile === 'onboarding' ? cm.onboarding.drop : 0)
  const decline = {
    onset: onsetDay ?? 0,
    days: range(rng, model.decline.days),
    drop: range(rng, model.decline.drop),
    plateau: 0,
    recoveryDays: 0,
  }

  const growth = profile === 'growth' ? range(rng, cm.growth.extra) : 0
  const initialMembers = Math.max(1, Math.round(memberCount / (1 + growth)))
  const firstDay = Math.max(0, startDay)
  const members: SimMember[] = Array.from({ length: memberCount }, (_, m) => ({
    propensity: rng.normal(0, model.activity.memberSd),
    helpfulness: Math.exp(rng.normal(-0.5, 0.8)),
    joinDay:
      m >= initialMembers
        ? rng.int(firstDay, options.days - 1)
        : isNew
          ? startDay + (m === 0 ? 0 : Math.floor(rng.next() ** 2 * 60))
          : startDay,
  }))
  // The champions, or the key contributor who goes on vacation: the first members, made far more
  // active and helpful than the rest, so most of the account's contributions are theirs.
  const keyCount =
    profile === 'champion' ? (memberCount >= cm.champion.twoFrom ? rng.int(1, 2) : 1) : profile === 'vacation' ? 1 : 0
  for (let m = 0; m < keyCount; m++) {
    members[m]!.propensity = range(rng, cm.keyMember.propensity)
    members[m]!.helpfulness = range(rng, cm.keyMember.helpfulness)
  }
  const passiveShare = profile === 'passive' ? range(rng, cm.passive.share) : 0
  const passive = members.map(() => rng.chance(passiveShare))

  // The day each member stops for good (champions at the onset; breadth: all but the core, one by one),
  // and the days a member is away (the key contributor's vacations).
  const leaves: number[] = members.map(() => Number.POSITIVE_INFINITY)
  if (profile === 'champion') for (let m = 0; m < keyCount; m++) leaves[m] = onsetDay!
  if (profile === 'breadth') {
    const core = Math.max(1, Math.ceil(memberCount * range(rng, cm.breadth.remain)))
    const span = intRange(rng, cm.breadth.spanDays)
    const byPropensity = members.map((member, m) => ({ m, p: member.propensity })).sort((a, b) => b.p - a.p)
    for (const { m } of byPropensity.slice(core)) leaves[m] = onsetDay! + rng.int(0, span)
  }
  const away: [number, number][] = []
  if (profile === 'vacation') {
    for (let i = intRange(rng, cm.vacation.times); i > 0; i--) {
      const from = window({ after: -28, before: 0 })
      away.push([from, from + intRange(rng, cm.vacation.days)])
    }
  }
  const lulls =
    profile === 'holiday'
      ? cm.lulls.flatMap((period) =>
          lullDays(period, options, {
            early: rng.int(0, cm.holiday.earlyDays),
            length: intRange(rng, cm.holiday.days),
          }),
        )
      : []
  const lullFactor = profile === 'holiday' ? range(rng, cm.holiday.factor) : 1

  const championLag = intRange(rng, cm.champion.lagDays)
  const surge = {
    factor: range(rng, cm.surge.factor),
    days: intRange(rng, cm.surge.rampDays),
    selfServeDrop: range(rng, cm.surge.selfServeDrop),
  }
  const detractorDays = intRange(rng, cm.detractor.rampDays)
  const detractorLag = intRange(rng, cm.detractor.lagDays)
  const onboardingLag = intRange(rng, cm.onboarding.lagDays)

  const traits = drawTraits(rng, seats, members)
  const account: SimAccount = {
    index,
    name: `Simulated account ${index + 1}`,
    tier,
    arrMinor: usd ? Math.round((arrJpy / model.jpyPerUsd) * 100) : arrJpy,
    arrCurrency: usd ? 'USD' : 'JPY',
    seats,
    startDay,
    trajectory: profile === 'decline' ? 'decline' : 'steady',
    slowStart: profile === 'onboarding',
    profile,
    onsetDay,
    members,
    churnedAt: null,
    churnCause: null,
    churnChance: [],
  }

  const activity: SimActivity[] = []
  const surveys: SimSurvey[] = []
  const eventsByDay = new Map(calendar.map((event) => [event.day, event]))
  let subject = 0
  const emit = (at: number, member: number, type: ActivityType, subjectType: string | null = null) => {
    subject += 1
    activity.push({ at, member, type, subjectType, subjectId: subjectType ? `sim-${index}-${subject}` : null })
  }
  const target = (day: number) => (profile === 'decline' ? targetHealth(level, 'decline', decline, day) : level)
  let health = target(firstDay) + rng.normal(0, 0.25)
  account.churnChance = Array.from({ length: firstDay }, () => 0)

  for (let day = firstDay; day < options.days; day++) {
    const dayStart = options.start + day * DAY_MS
    health += model.health.reversion * (target(day) - health) + model.health.dailySd * rng.normal()

    // Churn: the baseline's hazard from the latent signals, plus the cause's own term. A surge
    // raises the latent ticket load and lowers self-service, so `churnModel` feels it as well, over
    // the quarter it has lasted so far.
    const surged = profile === 'surge' ? ramp(day, onsetDay!, surge.days) : 0
    const felt = profile === 'surge' ? surgeFelt(day, onsetDay!, surge.days, cm.surge.feltDays) : 0
    const unhappy = profile === 'detractor' ? ramp(day, onsetDay!, detractorDays) : 0
    let extra = 0
    if (profile === 'champion') extra = cm.champion.hazard * ramp(day, onsetDay! + championLag, cm.champion.rampDays)
    if (profile === 'breadth') extra = (cm.breadth.hazard * leaves.filter((leave) => leave <= day).length) / memberCount
    if (profile === 'surge') extra = cm.surge.hazard * felt
    if (profile === 'detractor') {
      extra = cm.detractor.hazard * ramp(day, onsetDay! + detractorLag, cm.detractor.hazardRampDays)
    }
    if (profile === 'onboarding') extra = cm.onboarding.hazard * ramp(day, startDay + onboardingLag, 30)
    const needsFactor = 1 + (surge.factor - 1) * surged
    const selfServeOffset = traits.selfServeOffset - surge.selfServeDrop * surged
    const signals = latentSignals(health, {
      ...traits,
      ticketProneness: traits.ticketProneness * (1 + (surge.factor - 1) * felt),
      selfServeOffset: traits.selfServeOffset - surge.selfServeDrop * felt,
    })
    const churnChance = dailyChurnProbability(signals, churnModel, extra)
    account.churnChance[day] = churnChance
    if (rng.chance(churnChance)) {
      account.churnedAt = dayStart + rng.int(8, 18) * HOUR_MS
      account.churnCause = (cause !== null && day >= onsetDay! ? cause : 'other') satisfies ChurnCause
      break
    }

    const weekday = new Date(dayStart).getUTCDay()
    const lull = inRanges(day, lulls) ? lullFactor : 1
    const dayFactor = (weekday === 0 || weekday === 6 ? model.activity.weekendFactor : 1) * lull
    const at = () => dayStart + rng.int(0, 86_399) * 1000
    const present = members.flatMap((member, m) =>
      member.joinDay <= day && leaves[m]! > day && !(m === 0 && inRanges(day, away)) ? [m] : [],
    )

    for (const m of present) {
      const member = members[m]!
      if (!rng.chance(memberActiveChance(health, traits.activityOffset, member.propensity) * dayFactor)) continue
      memberDay(rng, { emit, at, m, helpfulness: member.helpfulness, passive: passive[m] ?? false })
    }

    // Support needs scale with the seats (with the members who have joined, for a growing account, so
    // its tickets per member stay the same) and rise in a surge.
    const { needsPerSeatDay, needHealthSlope } = model.support
    const joinedShare = growth > 0 ? members.filter((member) => member.joinDay <= day).length / memberCount : 1
    const needs = rng.poisson(
      seats *
        joinedShare *
        needsPerSeatDay *
        traits.ticketProneness *
        needsFactor *
        Math.exp(-needHealthSlope * health) *
        dayFactor,
    )
    const selfServe = sigmoid(selfServeOffset + model.selfServeHealthSlope * health)
    for (let i = 0; i < needs && present.length > 0; i++) {
      const m = rng.pick(present)
      emit(at(), m, rng.chance(selfServe) ? 'ticket_deflected' : 'ticket_filed', 'support')
    }

    const event = eventsByDay.get(day)
    if (event) {
      const e = model.events
      const surveyShare = e.surveyShare * (happy ? cm.fewSurveys.surveyFactor : 1)
      for (const m of present) {
        if (passive[m]) continue
        const member = members[m]!
        const register =
          sigmoid(e.registerBase + e.registerHealthSlope * health + 0.5 * member.propensity + e.tierBoost[tier]) * lull
        if (!rng.chance(register)) continue
        const subjectId = `sim-event-${event.index}`
        const earliest = options.start + Math.max(0, member.joinDay) * DAY_MS
        const registeredAt = Math.max(event.startsAt - rng.int(1, 240) * HOUR_MS, earliest)
        activity.push({ at: registeredAt, member: m, type: 'event_registered', subjectType: 'event', subjectId })
        if (!rng.chance(sigmoid(e.attendBase + e.attendHealthSlope * health))) continue
        activity.push({ at: event.startsAt, member: m, type: 'event_attended', subjectType: 'event', subjectId })
        if (!rng.chance(surveyShare)) continue
        const answeredAt = event.startsAt + rng.int(2, 48) * HOUR_MS
        activity.push({ at: answeredAt, member: m, type: 'survey_answered', subjectType: 'event', subjectId })
        const lift = happy ? cm.fewSurveys.npsLift : 0
        const nps = rng.chance(cm.detractor.detractorShare * unhappy)
          ? rng.int(0, 6)
          : Math.round(clamp(7.5 + lift + 1.8 * health + rng.normal(0, 1.6), 0, 10))
        surveys.push({
          event: event.index,
          member: m,
          at: answeredAt,
          nps,
          rating: Math.round(clamp(3.5 + 0.8 * health - 2 * unhappy + rng.normal(0, 0.8), 1, 5)),
        })
      }
    }
  }

  const end = Math.min(account.churnedAt ?? Number.POSITIVE_INFINITY, options.start + options.days * DAY_MS)
  return {
    account,
    activity: activity.filter((row) => row.at < end),
    surveys: surveys.filter((row) => row.at < end),
  }
}

/** The worlds, by name. */
export const worlds: Record<WorldName, WorldDefinition> = {
  baseline: {
    name: 'baseline',
    description: 'the original world: latent health that stays, declines or dips',
    start: '2025-01-01',
    days: 365,
    sampling: { first: 158, every: 28, last: 270 },
    generate: simulateAccount,
  },
  causes: {
    name: 'causes',
    description:
      'churn causes (decline, champion, breadth, surge, detractor, onboarding), ' +
      'healthy-but-noisy profiles (holiday, passive, growth, fewSurveys, vacation) and steady accounts',
    // Sample days from Golden Week 2025 through Obon and the year-end to two months after it, one
    // inside each of the generator's lulls (Apr 29, Aug 19, Jan 6) and two in the months after.
    start: '2025-01-01',
    days: 525,
    sampling: { first: 118, every: 28, last: 426 },
    generate: simulateCausesAccount,
  },
}
