// The pure parts of `npm run simulate` (scripts/simulate.ts): seeded randomness, the synthetic world
// the health score is tried against, the churn model, the AUC and the printed tables. Nothing here
// reads the database or a score: the world, churn included, comes from each account's latent state
// alone, so whatever the real scoring finds in the ledger it found by itself.
import type { ActivityType } from '#app/domain/activity/ledger.server.ts'
import {
  measureArrays,
  type TrackEvent,
  type TrackRecord,
  type TrackSample,
} from '#app/domain/reporting/track-record.ts'
import type { HealthLevel, HealthMeasure } from '#app/domain/scoring/settings.ts'
import type { TouchTier } from '#app/domain/scoring/tiers.ts'

export const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

// ---------------------------------------------------------------------------------------------------
// Seeded randomness

/** A seeded pseudo-random source: the same seed gives the same sequence on every machine and run. */
export type Rng = {
  /** Uniform in [0, 1). */
  next: () => number
  /** Uniform in [min, max). */
  uniform: (min: number, max: number) => number
  /** A whole number from `min` to `max`, both included. */
  int: (min: number, max: number) => number
  chance: (probability: number) => boolean
  normal: (mean?: number, sd?: number) => number
  /** A Poisson count with the given mean. */
  poisson: (mean: number) => number
  pick: <T>(items: readonly T[]) => T
}

/** The splitmix32 finaliser: spreads every input bit over the whole 32-bit word. */
function mix32(value: number): number {
  let x = value >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad)
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97)
  return (x ^ (x >>> 15)) >>> 0
}

/** One 32-bit seed from several numbers (the run's seed, an account's index, …), so every account
 *  draws from its own stream: adding accounts leaves the earlier ones exactly as they were. */
export function deriveSeed(...parts: number[]): number {
  let hash = 0x2545f491
  for (const part of parts) {
    // Both halves of numbers beyond 32 bits count, so seed 1 and seed 2^32 + 1 differ.
    const low = part >>> 0
    const high = Math.floor(part / 2 ** 32) >>> 0
    hash = mix32((hash ^ mix32(low + 0x9e3779b9)) + mix32(high + 0x7f4a7c15))
  }
  return hash
}

/** A mulberry32 generator: small, fast and good enough for simulation (not for secrets). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0
  let spareNormal: number | null = null

  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }

  function normal(mean = 0, sd = 1): number {
    if (spareNormal !== null) {
      const value = spareNormal
      spareNormal = null
      return mean + sd * value
    }
    // Box–Muller; 1 − next() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - next()))
    const angle = 2 * Math.PI * next()
    spareNormal = radius * Math.sin(angle)
    return mean + sd * radius * Math.cos(angle)
  }

  function poisson(mean: number): number {
    if (!(mean > 0)) return 0
    if (mean > 30) return Math.max(0, Math.round(normal(mean, Math.sqrt(mean))))
    // Knuth's method: exact, and quick for the small means the simulation uses.
    const limit = Math.exp(-mean)
    let count = 0
    let product = next()
    while (product > limit) {
      count += 1
      product *= next()
    }
    return count
  }

  return {
    next,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    normal,
    poisson,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

// ---------------------------------------------------------------------------------------------------
// The world: accounts with a latent health, their members' activity, and churn

/** How an account's latent health moves over the year: it stays near its level, declines for good,
 *  or dips and recovers (so not every decline ends in churn). */
export type Trajectory = 'steady' | 'decline' | 'dip'

/** The reasons an account churns for, each a latent state the scoring has to find in the ledger:
 *  its health declines in general, its champion leaves, its breadth shrinks, its tickets surge, its
 *  people turn unhappy, or it never gets going. */
export const churnCauses = ['decline', 'champion', 'breadth', 'surge', 'detractor', 'onboarding'] as const
export type Cause = (typeof churnCauses)[number]
/** A churn that came before an account's cause set in, or from an account without one: the small
 *  hazard every account carries (budget cuts, acquisitions) or its latent health's drift. */
export type ChurnCause = Cause | 'other'

/** Healthy accounts whose ledger is noisy: a lull over the holidays, mostly passive readers, fast
 *  growth bringing tickets, few survey answers, a key contributor away for a while. They churn no more
 *  than steady accounts, so a score that calls them BAD is wrong. */
export const noisyProfiles = ['holiday', 'passive', 'growth', 'fewSurveys', 'vacation'] as const
export type NoisyProfile = (typeof noisyProfiles)[number]

/** What an account was drawn as: a churn cause, a noisy healthy profile, or steady (the baseline world
 *  also has dips, and its slow starters count as onboarding). */
export type Profile = Cause | NoisyProfile | 'steady' | 'dip'

/** Whether a profile is a healthy one (steady or noisy): one that churns only as steady accounts do. */
export function isHealthyProfile(profile: Profile): boolean {
  return profile === 'steady' || (noisyProfiles as readonly string[]).includes(profile)
}

/** The figures the generator draws from. They were chosen as plausible for a B2B community before
 *  any score was looked at, and nothing in them refers to a score. */
export const worldModel = {
  tierShares: { high: 0.15, low: 0.35, tech: 0.5 } satisfies Record<TouchTier, number>,
  /** ARR in JPY (half-open ranges inside the default tier thresholds). */
  arrJpy: { high: [5_200_000, 30_000_000], low: [1_100_000, 4_800_000], tech: [150_000, 950_000] },
  usdShare: 0.2,
  jpyPerUsd: 150,
  seats: { high: [30, 150], low: [10, 50], tech: [3, 15] },
  /** The share of seats that have a community account. */
  memberShare: { high: [0.25, 0.6], low: [0.35, 0.75], tech: [0.45, 0.95] },
  /** Accounts that start during the simulated year (the rest started one to four years before). */
  newAccountShare: 0.15,
  /** New accounts that never really get going: their health starts this much lower. */
  slowStart: { share: 0.3, drop: 1.0 },
  trajectoryShares: { decline: 0.28, dip: 0.12 },
  /** Latent health: a mean-reverting walk around a target that declines and dips move. */
  health: { meanLevel: 0.6, levelSd: 0.45, reversion: 0.04, dailySd: 0.07 },
  decline: { onsetDay: [-30, 330], days: [30, 150], drop: [1.0, 2.2] },
  dip: { onsetDay: [0, 300], days: [20, 60], drop: [0.8, 1.6], plateau: [15, 45], recoveryDays: [30, 90] },
  /** A member's chance to be active on a weekday: sigmoid(base + health·slope + account + member). */
  activity: { base: -2.5, healthSlope: 1.5, accountSd: 0.4, memberSd: 0.9, weekendFactor: 0.25 },
  /** Signals per active day (means of Poisson counts, or chances). */
  perActiveDay: {
    articleViews: 0.7,
    searches: 0.3,
    question: 0.05,
    answer: 0.04,
    comment: 0.06,
    votes: 0.25,
    articleFeedback: 0.03,
  },
  answerAccepted: 0.3,
  votesPerAnswer: 0.8,
  /** Support needs per seat per weekday, × the account's proneness × exp(−slope·health); each need
   *  is self-served (an explicit deflection) with sigmoid(account offset + slope·health), otherwise
   *  it becomes a ticket. */
  support: { needsPerSeatDay: 0.004, needHealthSlope: 0.6, pronenessSd: 0.4, selfServeMean: -0.2, selfServeSd: 0.5 },
  selfServeHealthSlope: 1.3,
  /** A webinar, workshop or training every `everyDays`; registration chance by tier and health. */
  events: {
    everyDays: 14,
    firstDay: 3,
    hourUtc: 5,
    registerBase: -3.0,
    registerHealthSlope: 1.0,
    tierBoost: { high: 0.2, low: 0.7, tech: -0.3 } satisfies Record<TouchTier, number>,
    attendBase: 0.4,
    attendHealthSlope: 0.8,
    surveyShare: 0.5,
  },
}

/** What churn depends on: the account's expected (latent) figures on a day, not anything observed
 *  or scored. Engagement: a member's mean chance to be active on a day. Breadth: the expected share of
 *  seats active in 28 days. Self-service: the chance a support need is self-served. Ticket load:
 *  expected tickets per seat in 90 days. */
export type LatentSignals = { engagement: number; breadth: number; selfService: number; ticketLoad: number }

/** The churn hazard: logit(daily probability) = intercept − engagement·(E − E₀) − breadth·(B − B₀)
 *  − selfService·(S − S₀) + ticketLoad·(T − T₀), around the figures of a typical healthy account, plus
 *  a small hazard for reasons no signal shows (budget cuts, acquisitions). A typical healthy account
 *  churns about 3% a year; one whose health has collapsed, within a few months. */
export const churnModel = {
  intercept: -9.6,
  reference: { engagement: 0.15, breadth: 0.4, selfService: 0.6, ticketLoad: 0.1 },
  weights: { engagement: 12, breadth: 4, selfService: 2.5, ticketLoad: 5 },
  otherReasonsDaily: 0.00008,
}

/** The chance an account churns on a day, from its latent signals only (see `churnModel`), plus
 *  `extraLogit` for a churn cause the four signals do not carry (a champion gone, unhappy people). */
export function dailyChurnProbability(signals: LatentSignals, model = churnModel, extraLogit = 0): number {
  const { reference: r, weights: w } = model
  const logit =
    model.intercept -
    w.engagement * (signals.engagement - r.engagement) -
    w.breadth * (signals.breadth - r.breadth) -
    w.selfService * (signals.selfService - r.selfService) +
    w.ticketLoad * (signals.ticketLoad - r.ticketLoad) +
    extraLogit
  return 1 - (1 - sigmoid(logit)) * (1 - model.otherReasonsDaily)
}

export type SimMember = {
  /** Added to the logit of the daily chance to be active: lurkers below 0, regulars above. */
  propensity: number
  /** Multiplies the chance to answer on an active day. */
  helpfulness: number
  /** The first day (of the simulated year) the member can be active; negative: before the year. */
  joinDay: number
}

export type SimAccount = {
  index: number
  name: string
  /** The tier the ARR was drawn for; the scoring derives its own from ARR. */
  tier: TouchTier
  arrMinor: number
  arrCurrency: 'JPY' | 'USD'
  seats: number
  /** The day the contract started; negative: before the simulated year. */
  startDay: number
  trajectory: Trajectory
  slowStart: boolean
  /** What the account was drawn as (see `Profile`). */
  profile: Profile
  /** The day (of the simulated period) its cause set in; null without a cause. */
  onsetDay: number | null
  members: SimMember[]
  /** When the account churned (ms since the epoch); null when it stayed through the year. */
  churnedAt: number | null
  /** Why it churned: its cause when the churn came after the cause's onset, else 'other'; null when
   *  it stayed. */
  churnCause: ChurnCause | null
  /** The latent chance to churn on each day of the period (0 before the start; ends with the churn):
   *  what the world knows and no score sees, printed beside the score as a reference. */
  churnChance: number[]
}

export type SimActivity = {
  at: number
  /** Index into the account's members. */
  member: number
  type: ActivityType
  subjectType: string | null
  subjectId: string | null
}

export type SimSurvey = { event: number; member: number; at: number; rating: number; nps: number }

export type SimEvent = { index: number; day: number; startsAt: number; kind: 'webinar' | 'workshop' | 'training' }

export type SimulatedAccount = { account: SimAccount; activity: SimActivity[]; surveys: SimSurvey[] }

export type WorldOptions = {
  seed: number
  /** Midnight UTC of the first simulated day, ms since the epoch. */
  start: number
  days: number
}

/** The events of the simulated year: one every `everyDays`, at the same hour, kinds in turn. */
export function eventCalendar({ start, days }: Pick<WorldOptions, 'start' | 'days'>): SimEvent[] {
  const { everyDays, firstDay, hourUtc } = worldModel.events
  const kinds = ['webinar', 'workshop', 'training'] as const
  const calendar: SimEvent[] = []
  for (let day = firstDay; day < days; day += everyDays) {
    const index = calendar.length
    calendar.push({
      index,
      day,
      startsAt: start + day * DAY_MS + hourUtc * HOUR_MS,
      kind: kinds[index % kinds.length]!,
    })
  }
  return calendar
}

/** A member's chance to be active on a weekday at a given latent health. */
export function memberActiveChance(health: number, accountOffset: number, propensity: number): number {
  const { base, healthSlope } = worldModel.activity
  return sigmoid(base + healthSlope * health + accountOffset + propensity)
}

/** What an account's expected figures are computed from (see `latentSignals`). */
export type AccountTraits = {
  seats: number
  members: readonly SimMember[]
  activityOffset: number
  selfServeOffset: number
  ticketProneness: number
}

/** The mean of a week's day factors: weekdays count 1, weekend days `weekendFactor`. */
export const WEEK_FACTOR = (5 + 2 * worldModel.activity.weekendFactor) / 7

/** An account's expected figures at a latent health: what churn is drawn from (`LatentSignals`). */
export function latentSignals(health: number, traits: AccountTraits): LatentSignals {
  let active = 0
  let activeIn28 = 0
  for (const member of traits.members) {
    const daily = memberActiveChance(health, traits.activityOffset, member.propensity) * WEEK_FACTOR
    active += daily
    activeIn28 += 1 - (1 - daily) ** 28
  }
  const count = Math.max(1, traits.members.length)
  const selfService = sigmoid(traits.selfServeOffset + worldModel.selfServeHealthSlope * health)
  const { needsPerSeatDay, needHealthSlope } = worldModel.support
  const needs = needsPerSeatDay * traits.ticketProneness * Math.exp(-needHealthSlope * health) * WEEK_FACTOR
  return {
    engagement: active / count,
    breadth: activeIn28 / Math.max(1, traits.seats),
    selfService,
    ticketLoad: 90 * needs * (1 - selfService),
  }
}

/** Where an account's health is heading on a day, for its trajectory. */
export function targetHealth(
  level: number,
  trajectory: Trajectory,
  shape: { onset: number; days: number; drop: number; plateau: number; recoveryDays: number },
  day: number,
): number {
  if (trajectory === 'steady' || day <= shape.onset) return level
  const falling = clamp((day - shape.onset) / shape.days, 0, 1)
  if (trajectory === 'decline') return level - shape.drop * falling
  const recoveryStart = shape.onset + shape.days + shape.plateau
  const recovered = clamp((day - recoveryStart) / shape.recoveryDays, 0, 1)
  return level - shape.drop * falling * (1 - recovered)
}

/** Uniform in a `[min, max]` pair. */
export function range(rng: Rng, [min, max]: readonly number[]): number {
  return rng.uniform(min!, max!)
}

/** A whole number in a `[min, max]` pair, both included. */
export function intRange(rng: Rng, [min, max]: readonly number[]): number {
  return rng.int(min!, max!)
}

/** A touch tier, in the shares of `worldModel.tierShares`. */
export function pickTier(rng: Rng): TouchTier {
  const { high, low } = worldModel.tierShares
  const draw = rng.next()
  return draw < high ? 'high' : draw < high + low ? 'low' : 'tech'
}

/** An account's traits, drawn in one fixed order (both worlds share it, so the baseline world stays the
 *  same draw for draw): how active its members are, how often its needs are self-served, how prone it
 *  is to need support. */
export function drawTraits(rng: Rng, seats: number, members: readonly SimMember[]): AccountTraits {
  const model = worldModel
  return {
    seats,
    members,
    activityOffset: rng.normal(0, model.activity.accountSd),
    selfServeOffset: rng.normal(model.support.selfServeMean, model.support.selfServeSd),
    ticketProneness: Math.exp(rng.normal(0, model.support.pronenessSd)),
  }
}

/** Records one account's ledger row (the generators' `emit`). */
export type Emit = (at: number, member: number, type: ActivityType, subjectType?: string | null) => void

/** What an active member does on a day, in one fixed order of draws (both worlds share it, so the
 *  baseline world stays the same draw for draw): a visit, article views and searches; then, unless the
 *  member only reads (`passive`), votes, a question, a comment, article feedback and an answer, which
 *  may be accepted and draw votes in the following days. */
export function memberDay(
  rng: Rng,
  {
    emit,
    at,
    m,
    helpfulness,
    passive,
  }: { emit: Emit; at: () => number; m: number; helpfulness: number; passive: boolean },
): void {
  const per = worldModel.perActiveDay
  emit(at(), m, 'visit_day')
  for (let i = rng.poisson(per.articleViews); i > 0; i--) emit(at(), m, 'article_viewed', 'article')
  for (let i = rng.poisson(per.searches); i > 0; i--) emit(at(), m, 'search_performed')
  if (passive) return
  for (let i = rng.poisson(per.votes); i > 0; i--) emit(at(), m, 'vote_cast', 'answer')
  if (rng.chance(per.question)) emit(at(), m, 'question_asked', 'question')
  if (rng.chance(per.comment)) emit(at(), m, 'comment_posted', 'comment')
  if (rng.chance(per.articleFeedback)) emit(at(), m, 'article_feedback', 'article')
  if (rng.chance(per.answer * helpfulness)) {
    const posted = at()
    emit(posted, m, 'answer_posted', 'answer')
    if (rng.chance(worldModel.answerAccepted)) emit(posted + rng.int(1, 7) * DAY_MS, m, 'answer_accepted', 'answer')
    for (let i = rng.poisson(worldModel.votesPerAnswer); i > 0; i--) {
      emit(posted + rng.int(0, 14 * 24) * HOUR_MS, m, 'vote_received', 'answer')
    }
  }
}

/** One account's year: its traits, its members' ledger activity, event surveys and, if it comes to
 *  that, the moment it churned. Deterministic in (seed, index). Each day the latent health takes a
 *  step, churn is drawn from `latentSignals` of that health, and only then is the day's activity
 *  drawn from the same health: the ledger is what a real community would have recorded, never an
 *  input to the churn. Activity stops at churn. */
export function simulateAccount(index: number, options: WorldOptions, calendar: readonly SimEvent[]): SimulatedAccount {
  const rng = createRng(deriveSeed(options.seed, index))
  const model = worldModel
  const tier = pickTier(rng)
  const arrJpy = Math.round(range(rng, model.arrJpy[tier]) / 10_000) * 10_000
  const usd = rng.chance(model.usdShare)
  const seats = intRange(rng, model.seats[tier])
  const memberCount = Math.max(1, Math.round(seats * range(rng, model.memberShare[tier])))
  const isNew = rng.chance(model.newAccountShare)
  const startDay = isNew ? rng.int(0, 260) : -rng.int(120, 1400)
  const slowStart = isNew && rng.chance(model.slowStart.share)
  const trajectoryDraw = rng.next()
  const trajectory: Trajectory =
    trajectoryDraw < model.trajectoryShares.decline
      ? 'decline'
      : trajectoryDraw < model.trajectoryShares.decline + model.trajectoryShares.dip
        ? 'dip'
        : 'steady'
  const shapeModel = trajectory === 'dip' ? model.dip : model.decline
  const shape = {
    onset: Math.max(startDay, intRange(rng, shapeModel.onsetDay)),
    days: range(rng, shapeModel.days),
    drop: range(rng, shapeModel.drop),
    plateau: range(rng, model.dip.plateau),
    recoveryDays: range(rng, model.dip.recoveryDays),
  }
  const level = rng.normal(model.health.meanLevel, model.health.levelSd) - (slowStart ? model.slowStart.drop : 0)
  const members: SimMember[] = Array.from({ length: memberCount }, (_, m) => ({
    propensity: rng.normal(0, model.activity.memberSd),
    helpfulness: Math.exp(rng.normal(-0.5, 0.8)),
    // A new account's first member is there on day one; the others sign up over its first weeks.
    joinDay: isNew ? startDay + (m === 0 ? 0 : Math.floor(rng.next() ** 2 * 60)) : startDay,
  }))
  const traits = drawTraits(rng, seats, members)
  const account: SimAccount = {
    index,
    name: `Simulated account ${index + 1}`,
    tier,
    arrMinor: usd ? Math.round((arrJpy / model.jpyPerUsd) * 100) : arrJpy,
    arrCurrency: usd ? 'USD' : 'JPY',
    seats,
    startDay,
    trajectory,
    slowStart,
    profile: slowStart ? 'onboarding' : trajectory,
    onsetDay: trajectory === 'steady' ? (slowStart ? startDay : null) : shape.onset,
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
  const firstDay = Math.max(0, startDay)
  let health = targetHealth(level, trajectory, shape, firstDay) + rng.normal(0, 0.25)
  account.churnChance = Array.from({ length: firstDay }, () => 0)

  for (let day = firstDay; day < options.days; day++) {
    const dayStart = options.start + day * DAY_MS
    const target = targetHealth(level, trajectory, shape, day)
    health += model.health.reversion * (target - health) + model.health.dailySd * rng.normal()
    const churnChance = dailyChurnProbability(latentSignals(health, traits))
    account.churnChance[day] = churnChance
    if (rng.chance(churnChance)) {
      account.churnedAt = dayStart + rng.int(8, 18) * HOUR_MS
      // A slow start is the cause all along; a decline or a dip once it has begun.
      account.churnCause = slowStart
        ? 'onboarding'
        : trajectory !== 'steady' && day >= shape.onset
          ? 'decline'
          : 'other'
      break
    }
    const weekday = new Date(dayStart).getUTCDay()
    const dayFactor = weekday === 0 || weekday === 6 ? model.activity.weekendFactor : 1
    const at = () => dayStart + rng.int(0, 86_399) * 1000

    members.forEach((member, m) => {
      if (member.joinDay > day) return
      if (!rng.chance(memberActiveChance(health, traits.activityOffset, member.propensity) * dayFactor)) return
      memberDay(rng, { emit, at, m, helpfulness: member.helpfulness, passive: false })
    })

    const joined = members.flatMap((member, m) => (member.joinDay <= day ? [m] : []))
    const { needsPerSeatDay, needHealthSlope } = model.support
    const needs = rng.poisson(
      seats * needsPerSeatDay * traits.ticketProneness * Math.exp(-needHealthSlope * health) * dayFactor,
    )
    const selfServe = sigmoid(traits.selfServeOffset + model.selfServeHealthSlope * health)
    for (let i = 0; i < needs && joined.length > 0; i++) {
      const m = rng.pick(joined)
      emit(at(), m, rng.chance(selfServe) ? 'ticket_deflected' : 'ticket_filed', 'support')
    }

    const event = eventsByDay.get(day)
    if (event) {
      const e = model.events
      for (const m of joined) {
        const member = members[m]!
        const register = sigmoid(
          e.registerBase + e.registerHealthSlope * health + 0.5 * member.propensity + e.tierBoost[tier],
        )
        if (!rng.chance(register)) continue
        const subjectId = `sim-event-${event.index}`
        // Up to ten days ahead, but not before the member joined nor before the simulated year.
        const earliest = options.start + Math.max(0, member.joinDay) * DAY_MS
        const registeredAt = Math.max(event.startsAt - rng.int(1, 240) * HOUR_MS, earliest)
        activity.push({ at: registeredAt, member: m, type: 'event_registered', subjectType: 'event', subjectId })
        if (!rng.chance(sigmoid(e.attendBase + e.attendHealthSlope * health))) continue
        activity.push({ at: event.startsAt, member: m, type: 'event_attended', subjectType: 'event', subjectId })
        if (!rng.chance(e.surveyShare)) continue
        const answeredAt = event.startsAt + rng.int(2, 48) * HOUR_MS
        activity.push({ at: answeredAt, member: m, type: 'survey_answered', subjectType: 'event', subjectId })
        surveys.push({
          event: event.index,
          member: m,
          at: answeredAt,
          nps: Math.round(clamp(7.5 + 1.8 * health + rng.normal(0, 1.6), 0, 10)),
          rating: Math.round(clamp(3.5 + 0.8 * health + rng.normal(0, 0.8), 1, 5)),
        })
      }
    }
  }

  // Signals dated after the account left (an answer accepted days later) or after the year never happened.
  const end = Math.min(account.churnedAt ?? Number.POSITIVE_INFINITY, options.start + options.days * DAY_MS)
  return {
    account,
    activity: activity.filter((row) => row.at < end),
    surveys: surveys.filter((row) => row.at < end),
  }
}

// ---------------------------------------------------------------------------------------------------
// Measuring the score against what happened

/** Mid-ranks (1-based) of some values: tied values share the mean of the ranks they span. */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value)
  const ranks = new Array<number>(values.length)
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++
    const rank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank
    start = end + 1
  }
  return ranks
}

/** The AUC of a score as a churn predictor where a lower score means more risk: the chance that an
 *  account that stayed scores higher than one that churned, ties counted half (Mann–Whitney U over
 *  mid-ranks). 1 separates perfectly, 0.5 is a coin toss. Null without both a churner and a stayer. */
export function churnAuc(samples: readonly { score: number; churned: boolean }[]): number | null {
  const stayed = samples.filter((sample) => !sample.churned).length
  const churned = samples.length - stayed
  if (stayed === 0 || churned === 0) return null
  const ranks = midRanks(samples.map((sample) => sample.score))
  let stayedRanks = 0
  samples.forEach((sample, i) => {
    if (!sample.churned) stayedRanks += ranks[i]!
  })
  return (stayedRanks - (stayed * (stayed + 1)) / 2) / (stayed * churned)
}

/** One scored account on one sample day, and whether it churned within the follow-up window. */
export type ScoredSample = {
  /** The account's index in its world (`SimAccount.index`). */
  account: number
  /** The sample day, counted from the world's first day. */
  day: number
  profile: Profile
  level: HealthLevel
  score: number | null
  /** Whether the account churned within the follow-up window after `day`. */
  churned: boolean
  /** The day the account churned, whenever in the simulated period; null when it stayed throughout. */
  churnDay: number | null
  churnCause: ChurnCause | null
  /** The day the account's cause set in (`SimAccount.onsetDay`); null without one. */
  onsetDay: number | null
  /** The account's latent chance to churn on the sample day (`SimAccount.churnChance`): a reference
   *  no score can see. */
  churnChance: number
  tier: TouchTier
  /** The hard risk the scoring found ('silent', 'champion_lost', …), if any. */
  hardRisk: string | null
  components: readonly { measure: string; score: number | null; value: number | null; weight?: number }[]
}

/** The days a world is scored on: SAMPLES every `every` days from `first` to `last` (each followed up
 *  afterwards), and RECOMPUTES on a regular `cadence` from `leadDays` before the first sample, since the
 *  scoring compares each snapshot with the one before (hysteresis, a level confirmed over several
 *  days). Every sample day is a recompute day; all ascending. */
export function scheduleDays({
  first,
  every,
  last,
  cadence,
  leadDays,
}: {
  first: number
  every: number
  last: number
  cadence: number
  leadDays: number
}): { sampleDays: number[]; recomputeDays: number[] } {
  if (!(every > 0 && cadence > 0) || last < first)
    throw new Error('scheduleDays: needs every, cadence > 0, last ≥ first')
  const sampleDays: number[] = []
  for (let day = first; day <= last; day += every) sampleDays.push(day)
  const recompute = new Set(sampleDays)
  for (let day = Math.max(0, first - leadDays); day < sampleDays.at(-1)!; day += cadence) recompute.add(day)
  return { sampleDays, recomputeDays: [...recompute].sort((a, b) => a - b) }
}

/** The AUC of the overall score over the samples that have one. */
export function scoreAuc(samples: readonly ScoredSample[]): number | null {
  return churnAuc(
    samples.flatMap((sample) => (sample.score === null ? [] : [{ score: sample.score, churned: sample.churned }])),
  )
}

/** The AUC of the latent churn chance on the sample day (a higher chance is riskier): how well the
 *  world's own state foretells the next follow-up, a reference for the score's AUC. It is not a
 *  ceiling: a cause that has begun shows in the ledger before it raises the chance (a champion gone
 *  quiet), and neither foretells a cause that begins after the sample day. */
export function latentAuc(samples: readonly ScoredSample[]): number | null {
  return churnAuc(samples.map((sample) => ({ score: -sample.churnChance, churned: sample.churned })))
}

export const levelOrder = ['GOOD', 'NORMAL', 'BAD', 'INSUFFICIENT_DATA'] as const satisfies readonly HealthLevel[]

export type LevelRow = { level: HealthLevel; accounts: number; churned: number; share: number | null }

/** Accounts and churners per level, in the order GOOD, NORMAL, BAD, INSUFFICIENT_DATA. */
export function levelTable(samples: readonly ScoredSample[]): LevelRow[] {
  return levelOrder.map((level) => {
    const rows = samples.filter((sample) => sample.level === level)
    const churned = rows.filter((sample) => sample.churned).length
    return { level, accounts: rows.length, churned, share: rows.length > 0 ? churned / rows.length : null }
  })
}

export type Verdict = { ok: boolean; ratio: number | null; message: string }

/** Whether BAD accounts churned markedly more often than GOOD ones: at least `factor` times the share. */
export function separationVerdict(rows: readonly LevelRow[], factor = 2): Verdict {
  const good = rows.find((row) => row.level === 'GOOD')
  const bad = rows.find((row) => row.level === 'BAD')
  if (!good?.accounts || !bad?.accounts || good.share === null || bad.share === null) {
    return { ok: false, ratio: null, message: 'FAIL: there are no GOOD or no BAD accounts to compare.' }
  }
  const ratio = good.share > 0 ? bad.share / good.share : bad.share > 0 ? Number.POSITIVE_INFINITY : null
  const ok = ratio !== null && ratio >= factor
  const verdict = ok ? 'OK' : 'FAIL'
  const needs = `needs ${factor}×`
  const message =
    ratio === null
      ? `${verdict}: neither BAD nor GOOD accounts churned (${needs}).`
      : Number.isFinite(ratio)
        ? `${verdict}: BAD accounts churned ${ratio.toFixed(1)}× as often as GOOD ` +
          `(${percent(bad.share)} against ${percent(good.share)}; ${needs}).`
        : `${verdict}: BAD accounts churned (${percent(bad.share)}) and no GOOD account did (${needs}).`
  return { ok, ratio, message }
}

export type GroupRow = { group: string; samples: number; churned: number; auc: number | null }

/** Snapshots, churners and the overall score's AUC per touch tier: the score ranks engagement within
 *  a tier, so each tier is worth seeing on its own. */
export function tierTable(samples: readonly ScoredSample[]): GroupRow[] {
  return (['high', 'low', 'tech'] as const).map((tier) => {
    const rows = samples.filter((sample) => sample.tier === tier)
    return {
      group: tier,
      samples: rows.length,
      churned: rows.filter((sample) => sample.churned).length,
      auc: churnAuc(rows.flatMap((row) => (row.score === null ? [] : [{ score: row.score, churned: row.churned }]))),
    }
  })
}

/** Which way a measure's stored value points: 1 when a higher value is healthier, −1 when lower is. */
export const valueDirection: Record<HealthMeasure, 1 | -1> = {
  engagement: 1,
  trend: 1,
  breadth: 1,
  // A signed percent change of the active members against the account's own past.
  breadthChange: 1,
  // The share (%) of the contributions given by members who have gone silent.
  champions: -1,
  supportLoad: -1,
  // Recent tickets as a multiple of the account's own past rate.
  ticketSurge: -1,
  selfService: 1,
  events: 1,
  sentiment: 1,
  onboarding: 1,
}

export type CauseRow = {
  cause: ChurnCause
  /** Accounts that churned of this cause inside some sample's follow-up, and their samples that did. */
  accounts: number
  samples: number
  /** The overall score's AUC: this cause's churning samples against every sample that stayed; and
   *  the latent churn chance's (see `latentAuc`). */
  auc: number | null
  latentAuc: number | null
  /** The same AUC over the churning samples taken once the cause had begun (sample day on or after its
   *  onset): a score can only be asked to see a cause that exists. The per-cause targets use it. */
  aucOnceBegun: number | null
  /** Of those accounts with a sample day 30–90 days before their churn, how many were GOOD on one. */
  goodBefore: GoodBeforeChurn
}

/** The overall score's AUC per churn cause: the samples that churned of that cause within their
 *  follow-up against all the samples that stayed (of every profile), so each cause is judged on its
 *  own against the same healthy crowd. Causes without a churner show a dash. */
export function causeTable(samples: readonly ScoredSample[], causes: readonly ChurnCause[]): CauseRow[] {
  const stayed = samples.filter((sample) => !sample.churned)
  return causes.map((cause) => {
    const churned = samples.filter((sample) => sample.churned && sample.churnCause === cause)
    const begun = churned.filter((sample) => sample.onsetDay === null || sample.day >= sample.onsetDay)
    return {
      cause,
      accounts: new Set(churned.map((sample) => sample.account)).size,
      samples: churned.length,
      auc: churned.length > 0 ? scoreAuc([...churned, ...stayed]) : null,
      latentAuc: churned.length > 0 ? latentAuc([...churned, ...stayed]) : null,
      aucOnceBegun: begun.length > 0 ? scoreAuc([...begun, ...stayed]) : null,
      goodBefore: goodBeforeChurn(samples.filter((sample) => sample.churnCause === cause)),
    }
  })
}

export type GoodBeforeChurn = { churners: number; good: number; share: number | null }

/** How many churners were GOOD on a sample day `from`–`to` days (both included) before the day they
 *  churned: a score that is GOOD a month or more before a churn missed it. Counted per account, among
 *  the churners with at least one sample day in that range. */
export function goodBeforeChurn(samples: readonly ScoredSample[], { from = 30, to = 90 } = {}): GoodBeforeChurn {
  const byAccount = new Map<number, boolean>()
  for (const sample of samples) {
    if (sample.churnDay === null) continue
    const ahead = sample.churnDay - sample.day
    if (ahead < from || ahead > to) continue
    byAccount.set(sample.account, (byAccount.get(sample.account) ?? false) || sample.level === 'GOOD')
  }
  const good = [...byAccount.values()].filter(Boolean).length
  return { churners: byAccount.size, good, share: byAccount.size > 0 ? good / byAccount.size : null }
}

export type ShareRow = { group: string; samples: number; hits: number; share: number | null }

function shareRow(group: string, samples: readonly ScoredSample[], hit: (sample: ScoredSample) => boolean): ShareRow {
  const hits = samples.filter(hit).length
  return { group, samples: samples.length, hits, share: samples.length > 0 ? hits / samples.length : null }
}

/** The samples of healthy profiles that did not churn within their follow-up and were scored BAD: per
 *  noisy profile, all noisy profiles together, and steady accounts for comparison. Profiles the world
 *  does not have are left out. */
export function wronglyBadTable(samples: readonly ScoredSample[]): ShareRow[] {
  const stayed = samples.filter((sample) => !sample.churned)
  const isBad = (sample: ScoredSample) => sample.level === 'BAD'
  const rows = noisyProfiles.flatMap((profile) => {
    const rows = stayed.filter((sample) => sample.profile === profile)
    return rows.length > 0 ? [shareRow(profile, rows, isBad)] : []
  })
  const noisy = stayed.filter((sample) => (noisyProfiles as readonly string[]).includes(sample.profile))
  return [
    ...rows,
    ...(noisy.length > 0 ? [shareRow('all noisy', noisy, isBad)] : []),
    shareRow(
      'steady',
      stayed.filter((sample) => sample.profile === 'steady'),
      isBad,
    ),
  ]
}

/** Month on month, how often the level of a healthy account that never churned changed: over every
 *  pair of consecutive sample days (`every` days apart) of the same account, the share whose level
 *  differs. A pair that starts INSUFFICIENT_DATA is left out (a new account taking its first level is
 *  not a change of mind); one that ends there counts. Per healthy profile, and all together. */
export function levelChangeTable(samples: readonly ScoredSample[], every: number): ShareRow[] {
  const steady = samples.filter((sample) => isHealthyProfile(sample.profile) && sample.churnDay === null)
  const byKey = new Map(steady.map((sample) => [`${sample.account}:${sample.day}`, sample]))
  const pairs: { profile: Profile; changed: boolean }[] = []
  for (const later of steady) {
    const earlier = byKey.get(`${later.account}:${later.day - every}`)
    if (!earlier || earlier.level === 'INSUFFICIENT_DATA') continue
    pairs.push({ profile: later.profile, changed: earlier.level !== later.level })
  }
  const row = (group: string, rows: typeof pairs): ShareRow => {
    const hits = rows.filter((pair) => pair.changed).length
    return { group, samples: rows.length, hits, share: rows.length > 0 ? hits / rows.length : null }
  }
  const profiles = (['steady', ...noisyProfiles] as const).filter((p) => pairs.some((pair) => pair.profile === p))
  return [
    ...profiles.map((p) =>
      row(
        p,
        pairs.filter((pair) => pair.profile === p),
      ),
    ),
    row('all steady', pairs),
  ]
}

/** Samples and churn per hard risk the scoring reported (and 'none'), most frequent first. */
export function hardRiskTable(samples: readonly ScoredSample[]): ShareRow[] {
  const kinds = new Map<string, ScoredSample[]>()
  for (const sample of samples) {
    const kind = sample.hardRisk ?? 'none'
    const rows = kinds.get(kind) ?? []
    rows.push(sample)
    kinds.set(kind, rows)
  }
  return [...kinds]
    .map(([kind, rows]) => shareRow(kind, rows, (sample) => sample.churned))
    .sort((a, b) => (a.group === 'none' ? 1 : b.group === 'none' ? -1 : b.samples - a.samples))
}

export type MeasureRow = {
  measure: string
  /** Samples in which the measure had data (a band). */
  withData: number
  /** Churn in 90 days among samples with the measure BAD, and among the rest with data. */
  badChurn: number | null
  otherChurn: number | null
  /** AUC of the measure's band score (100 / 60 / 0) and of its raw value, where it has data. */
  bandAuc: number | null
  valueAuc: number | null
}

/** Each measure as a churn predictor on its own, to see which carry the signal the overall score
 *  has (or lacks). */
export function measureTable(samples: readonly ScoredSample[], measures: readonly HealthMeasure[]): MeasureRow[] {
  return measures.map((measure) => {
    const banded: { score: number; churned: boolean }[] = []
    const valued: { score: number; churned: boolean }[] = []
    let bad = 0
    let badChurned = 0
    let otherChurned = 0
    for (const sample of samples) {
      const component = sample.components.find((c) => c.measure === measure)
      if (!component || component.score === null) continue
      banded.push({ score: component.score, churned: sample.churned })
      if (component.score === 0) {
        bad += 1
        if (sample.churned) badChurned += 1
      } else if (sample.churned) otherChurned += 1
      if (component.value !== null) {
        valued.push({ score: valueDirection[measure] * component.value, churned: sample.churned })
      }
    }
    return {
      measure,
      withData: banded.length,
      badChurn: bad > 0 ? badChurned / bad : null,
      otherChurn: banded.length - bad > 0 ? otherChurned / (banded.length - bad) : null,
      bandAuc: churnAuc(banded),
      valueAuc: churnAuc(valued),
    }
  })
}

/** What the score must achieve on the causes world (the issue's targets). */
export const causeTargets = {
  /** The overall score's AUC, over every sample with a score. */
  auc: 0.85,
  /** The AUC for the churners of each cause against all stayers, once the cause had begun. */
  causeAuc: 0.75,
  /** BAD samples churn at least this many times as often as GOOD ones. */
  badOverGood: 5,
  /** Under this share of the healthy-but-noisy samples that stayed may be BAD. */
  wronglyBad: 0.1,
  /** Under this share of a steady account's month-on-month pairs may change level. */
  levelChange: 0.1,
}

export type TargetRow = { target: string; figure: string; ok: boolean }

/** Each target with the world's figure and whether it is met. A figure that cannot be computed (no
 *  churner of a cause, no GOOD sample) fails: a target nobody can check is not met. */
export function evaluateTargets(
  figures: {
    auc: number | null
    causes: readonly CauseRow[]
    badOverGood: number | null
    wronglyBad: number | null
    levelChange: number | null
  },
  targets = causeTargets,
): TargetRow[] {
  const atLeast = (value: number | null, min: number) => value !== null && value >= min
  const below = (value: number | null, max: number) => value !== null && value < max
  const ratio = figures.badOverGood
  return [
    { target: `AUC overall ≥ ${targets.auc}`, figure: formatAuc(figures.auc), ok: atLeast(figures.auc, targets.auc) },
    ...figures.causes.map((row) => ({
      target: `AUC for ${row.cause} once begun ≥ ${targets.causeAuc}`,
      figure: formatAuc(row.aucOnceBegun),
      ok: atLeast(row.aucOnceBegun, targets.causeAuc),
    })),
    {
      target: `BAD churn ≥ ${targets.badOverGood}× GOOD`,
      figure: ratio === null ? '–' : Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : '∞',
      ok: atLeast(ratio, targets.badOverGood),
    },
    {
      target: `healthy-noisy wrongly BAD < ${percent(targets.wronglyBad)}`,
      figure: percent(figures.wronglyBad),
      ok: below(figures.wronglyBad, targets.wronglyBad),
    },
    {
      target: `steady accounts changing level < ${percent(targets.levelChange)} a month`,
      figure: percent(figures.levelChange),
      ok: below(figures.levelChange, targets.levelChange),
    },
  ]
}

// ---------------------------------------------------------------------------------------------------
// Printing

/** A share as a percent with one decimal; a dash for none. */
export function percent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)}%`
}

/** An AUC with three decimals; a dash when it cannot be computed. */
export function formatAuc(auc: number | null): string {
  return auc === null ? '–' : auc.toFixed(3)
}

/** A whole number with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString('en-US')
}

/** A plain-text table: the first column left-aligned, the others right-aligned, a rule under the
 *  header and before a final total row when `total` is given. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  total?: readonly string[],
) {
  const all = total ? [header, ...rows, total] : [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)))
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  const lines = [line(header), rule, ...rows.map(line)]
  if (total) lines.push(rule, line(total))
  return lines.join('\n')
}

/** The per-level table as printed: accounts, churned within the follow-up, share. */
export function formatLevelTable(rows: readonly LevelRow[], followUpDays: number): string {
  const accounts = rows.reduce((sum, row) => sum + row.accounts, 0)
  const churned = rows.reduce((sum, row) => sum + row.churned, 0)
  return formatTable(
    ['level', 'accounts', `churned in ${followUpDays} days`, 'share'],
    rows.map((row) => [row.level, count(row.accounts), count(row.churned), percent(row.share)]),
    ['all', count(accounts), count(churned), percent(accounts > 0 ? churned / accounts : null)],
  )
}

/** The per-measure table as printed. */
export function formatMeasureTable(rows: readonly MeasureRow[], followUpDays: number): string {
  return formatTable(
    ['measure', 'with data', `churn if BAD`, 'churn otherwise', 'AUC of band', 'AUC of value'],
    rows.map((row) => [
      row.measure,
      count(row.withData),
      percent(row.badChurn),
      percent(row.otherChurn),
      formatAuc(row.bandAuc),
      formatAuc(row.valueAuc),
    ]),
  ).concat(`\n(churn within ${followUpDays} days; AUC: lower = riskier, ties count half)`)
}

/** The per-tier table as printed. */
export function formatTierTable(rows: readonly GroupRow[], followUpDays: number): string {
  return formatTable(
    ['tier', 'snapshots', `churned in ${followUpDays} days`, 'share', 'AUC'],
    rows.map((row) => [
      row.group,
      count(row.samples),
      count(row.churned),
      percent(row.samples > 0 ? row.churned / row.samples : null),
      formatAuc(row.auc),
    ]),
  )
}

/** The per-cause table as printed. */
export function formatCauseTable(rows: readonly CauseRow[], followUpDays: number): string {
  return formatTable(
    [
      'churn cause',
      'accounts',
      `samples churned in ${followUpDays} days`,
      'AUC vs all stayers',
      'once begun',
      'latent AUC',
      'GOOD 30–90 days before',
    ],
    rows.map((row) => [
      row.cause,
      count(row.accounts),
      count(row.samples),
      formatAuc(row.auc),
      formatAuc(row.aucOnceBegun),
      formatAuc(row.latentAuc),
      row.goodBefore.churners > 0
        ? `${count(row.goodBefore.good)} of ${count(row.goodBefore.churners)} (${percent(row.goodBefore.share)})`
        : '–',
    ]),
  )
}

/** A table of shares (wrongly BAD, level changes, hard risks) as printed, under the given headers for
 *  the group, the samples and the hits. */
export function formatShareTable(rows: readonly ShareRow[], [group, samples, hits]: readonly [string, string, string]) {
  return formatTable(
    [group, samples, hits, 'share'],
    rows.map((row) => [row.group, count(row.samples), count(row.hits), percent(row.share)]),
  )
}

/** The targets block as printed: each target, the figure and OK or FAIL. */
export function formatTargets(rows: readonly TargetRow[]): string {
  return formatTable(
    ['target', 'figure', 'verdict'],
    rows.map((row) => [row.target, row.figure, row.ok ? 'OK' : 'FAIL']),
  )
}

// ---------------------------------------------------------------------------------------------------
// The health track record on the simulation's own samples

/** The day `day` days after `start` (`YYYY-MM-DD`, UTC). */
function dateOf(start: string, day: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + day * DAY_MS).toISOString().slice(0, 10)
}

/** The simulation's samples as the track record takes them (app/domain/reporting/track-record.ts):
 *  the account is its index in the world, the day the sample day's date. */
export function trackSamples(samples: readonly ScoredSample[], start: string): TrackSample[] {
  return samples.map((sample) => ({
    accountId: sample.account,
    day: dateOf(start, sample.day),
    level: sample.level,
    score: sample.score,
    ...measureArrays(
      Object.fromEntries(
        sample.components.map((component) => [
          component.measure,
          { score: component.score, weight: component.weight ?? 0 },
        ]),
      ),
    ),
  }))
}

/** Each simulated churn as an outcome: a `churn` on the UTC day the account churned. */
export function churnEvents(
  accounts: readonly { index: number; churnedAt: number | null }[],
  start: string,
): TrackEvent[] {
  const startMs = Date.parse(`${start}T00:00:00Z`)
  return accounts.flatMap((account) =>
    account.churnedAt === null
      ? []
      : [
          {
            accountId: account.index,
            day: dateOf(start, Math.floor((account.churnedAt - startMs) / DAY_MS)),
            kind: 'churn' as const,
          },
        ],
  )
}

export type TrackRecordCheck = { ok: boolean; problems: string[] }

/** Whether the page's track record, computed on the same samples and horizon, agrees with the
 *  simulation's own figures: the AUC (both Mann–Whitney with ties half over the samples with a score;
 *  this file by mid-ranks, the page by counts per score), the samples and churners per level, and BAD
 *  ÷ GOOD. They must agree by construction; beyond rounding (1e-9) is a bug in one of them. */
export function compareTrackRecord(
  record: TrackRecord,
  own: { auc: number | null; levels: readonly LevelRow[]; ratio: number | null },
): TrackRecordCheck {
  const problems: string[] = []
  const close = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9)
  if (!close(record.churn.auc, own.auc)) {
    problems.push(`AUC ${formatAuc(record.churn.auc)} against the simulation's ${formatAuc(own.auc)}`)
  }
  for (const row of own.levels) {
    const theirs = record.levels.find((level) => level.level === row.level)
    if (!theirs || theirs.samples !== row.accounts || theirs.churned !== row.churned) {
      problems.push(
        `${row.level}: ${theirs?.samples ?? 0} samples, ${theirs?.churned ?? 0} churned against the simulation's ` +
          `${row.accounts}, ${row.churned}`,
      )
    }
  }
  const ownRatio = own.ratio !== null && Number.isFinite(own.ratio) ? own.ratio : null
  if (!close(record.lift, ownRatio)) {
    problems.push(`BAD ÷ GOOD ${record.lift} against the simulation's ${ownRatio}`)
  }
  return { ok: problems.length === 0, problems }
}

/** The track record as the page shows it, beside the simulation's own figures. */
export function formatTrackRecord(record: TrackRecord, check: TrackRecordCheck, own: { auc: number | null }): string {
  const interval = record.churn.interval
  const before = [30, 60, 90].map((days, index) => {
    const churns = record.events.filter((event) => event.kind === 'churn')
    const seen = churns.filter((event) => event.before[index]?.level)
    const counts = levelOrder.map(
      (level) => `${level} ${count(seen.filter((event) => event.before[index]!.level === level).length)}`,
    )
    return `  ${days} days before (${count(seen.length)} of ${count(churns.length)} churns had a snapshot): ${counts.join(', ')}`
  })
  return [
    `Health track record (the page's function, on the same samples and ${record.horizonDays}-day horizon; each churn ` +
      'recorded as a churn outcome on its day):',
    `  AUC ${formatAuc(record.churn.auc)}` +
      (interval
        ? ` (95% bootstrap interval over accounts ${formatAuc(interval.low)}–${formatAuc(interval.high)})`
        : '') +
      ` against the simulation's own ${formatAuc(own.auc)}: ${check.ok ? 'they agree' : 'DISAGREE'}.`,
    `  BAD ÷ GOOD ${record.lift === null ? '–' : `${record.lift.toFixed(1)}×`}; by level: ` +
      record.levels
        .map(
          (row) => `${row.level} ${count(row.samples)} samples, ${count(row.churned)} churned (${percent(row.rate)})`,
        )
        .join('; ') +
      '.',
    '  Level of each churned account before it churned (its weekly snapshot nearest on or before):',
    ...before,
    ...(check.ok ? [] : check.problems.map((problem) => `  DISAGREE: ${problem}`)),
  ].join('\n')
}
