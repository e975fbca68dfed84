import type { ActivityType } from '#app/domain/activity/activity-types.ts'

export const memberLevels = ['observer', 'participant', 'contributor', 'champion'] as const
export type MemberLevel = (typeof memberLevels)[number]

export const healthBands = ['GOOD', 'NORMAL', 'BAD'] as const
export type HealthBand = (typeof healthBands)[number]
/** An account's overall health: a band, or too little data to say (never GOOD by default). */
export type HealthLevel = HealthBand | 'INSUFFICIENT_DATA'

/** The measures of account health, docs/architecture.md section 6, in the order they are shown. */
export const healthMeasures = [
  'engagement',
  'trend',
  'breadth',
  'breadthChange',
  'champions',
  'supportLoad',
  'ticketSurge',
  'selfService',
  'events',
  'sentiment',
  'onboarding',
] as const
export type HealthMeasure = (typeof healthMeasures)[number]

export type HealthSettings = {
  /** What each band is worth in the overall score. */
  bandScore: Record<HealthBand, number>
  /** Overall score bands, and the share of measure weight that must have data for any band. A level is
   *  left only when the score passes its boundary by `margin` points (hysteresis), and a new level is
   *  taken only once the measures have called for it on every snapshot for `confirmDays` days (a hard
   *  risk or a cap applies at once). */
  overall: { goodFrom: number; normalFrom: number; minCoverage: number; margin: number; confirmDays: number }
  /** Weight of each measure in the overall score. */
  weights: Record<HealthMeasure, number>
  /** The events measure's weight is multiplied by this per touch tier (low-touch accounts meet the
   *  team mostly at events, so attendance says more about them). */
  eventsWeightByTier: Record<'high' | 'low' | 'tech', number>
  /** 1. Engagement per seat, as a percentile (0–100) among accounts of the same touch tier. */
  engagement: { goodFromPercentile: number; normalFromPercentile: number }
  /** 2. Activity in the last `days` working days against the `days` before, each window cut into weeks
   *  of seven working days and its quietest week left out: a decline over `badDeclineOver` (a share,
   *  0.3 = 30%) is BAD, over `normalDeclineOver` NORMAL. */
  trend: { days: number; badDeclineOver: number; normalDeclineOver: number }
  /** 3. Members active in the last `days` working days ÷ seats. */
  breadth: { days: number; goodFrom: number; normalFrom: number }
  /** 3b. Members active in the last `breadth.days` working days against the same account's members
   *  active in as many working days ending `agoDays` working days earlier (its own baseline): a fall over
   *  `badDeclineOver` is BAD, over `normalDeclineOver` NORMAL. No data below `minBaseline` members then. */
  breadthChange: { agoDays: number; badDeclineOver: number; normalDeclineOver: number; minBaseline: number }
  /** 3c. Champion loss: the members who each gave at least `minShare` of the account's contribution
   *  points in the `baselineDays` working days before the last `silentDays`, and are silent since, while
   *  others in the account are not. The share they gave: from `normalFrom` NORMAL, from `badFrom` BAD
   *  and a hard risk. An account whose baseline has fewer than `minPoints` contribution points has no
   *  data. */
  champions: {
    baselineDays: number
    silentDays: number
    minShare: number
    minPoints: number
    normalFrom: number
    badFrom: number
  }
  /** 4. Tickets filed per active member in `days`, as a multiple of the tier's median: up to `goodUpTo`
   *  GOOD, up to `normalUpTo` NORMAL. */
  supportLoad: { days: number; goodUpTo: number; normalUpTo: number }
  /** 4b. A surge of tickets against the account's own past: tickets in the last `days` against the
   *  `baselineDays` before, scaled to the same length and to the members active in each: up to
   *  `goodUpTo` times GOOD, up to `normalUpTo` NORMAL. Fewer than `minTickets` recent tickets is GOOD. */
  ticketSurge: { days: number; baselineDays: number; goodUpTo: number; normalUpTo: number; minTickets: number }
  /** 5. Explicit deflections ÷ (explicit deflections + tickets filed) in `days`. */
  selfService: { days: number; goodFrom: number; normalFrom: number }
  /** 6. Events attended by the account's members in `days`. */
  events: { days: number; goodFrom: number; normalFrom: number }
  /** 7. NPS (−100 to 100) from every survey answer in `days`, each weighing 0.5 ^ (age ÷ `halfLifeDays`);
   *  the measure's weight grows with the answers up to `fullWeightAnswers`. Detractors: at least
   *  `detractorMin` answers of 0–6 in the last `detractorDays`, making up at least `detractorShare` of
   *  the answers then, cap the level at `detractorCap`. */
  sentiment: {
    days: number
    halfLifeDays: number
    fullWeightAnswers: number
    goodFrom: number
    normalFrom: number
    detractorDays: number
    detractorMin: number
    detractorShare: number
    detractorCap: 'NORMAL' | 'BAD'
  }
  /** 8. Onboarding, for accounts younger than `youngerThanDays`: no activity at all in the first
   *  `firstDays` is BAD; by `milestoneDays` three milestones are due: members joined (`membersFrom` of
   *  the seats, at least 2), `activeDaysFrom` days with activity, and a first question, answer or event
   *  attended. All three GOOD, two NORMAL, fewer BAD. */
  onboarding: {
    youngerThanDays: number
    firstDays: number
    milestoneDays: number
    membersFrom: number
    activeDaysFrom: number
  }
  /** Hard risk: an account active before and silent for this many working days is BAD whatever the rest
   *  says. */
  silentDays: number
  /** Days that the trend, the windows counted in working days and the silence rules skip. */
  holidays: HolidaySettings
}

/** A recurring period (`MM-DD` to `MM-DD`, across the new year when `to` comes first) or a one-off one
 *  (`YYYY-MM-DD` to `YYYY-MM-DD`). */
export type HolidayPeriod = { from: string; to: string; label: string }
export type HolidaySettings = {
  /** Japan's national holidays (from the maintained `@holiday-jp/holiday_jp` table). */
  japan: boolean
  periods: HolidayPeriod[]
}

/** Everything that tunes the scores. One object, passed to every scoring function, so managers can
 *  change it without touching code. */
export type ScoringSettings = {
  /** Points per ledger row of each type, before caps and decay. */
  points: Record<ActivityType, number>
  /** A signal loses half its worth every this many days. */
  halfLifeDays: number
  /** At most this many rows of a type count per user per UTC day; types not listed are uncapped. */
  dailyCaps: Partial<Record<ActivityType, number>>
  levels: {
    /** Points at which a member reaches each level; observer is everyone below participant. */
    thresholds: Record<Exclude<MemberLevel, 'observer'>, number>
    /** A member keeps a level until their points fall below this share of its threshold. */
    demoteBelow: number
  }
  tiers: {
    /** The currency the two thresholds are written in (any currency with a rate below). */
    currency: string
    /** Annual recurring revenue, in major units of `currency`, at which an account is high touch or
     *  low touch; below the low threshold it is tech touch. */
    highFrom: number
    lowFrom: number
    /** JPY per one unit of each currency accounts are billed in, to compare ARR across currencies. */
    jpyPerUnit: Record<string, number>
  }
  health: HealthSettings
  /** The share of revenue kept after the cost of serving it (0–1): the average LTV on the manager
   *  dashboard is ARPA × this ÷ the annual revenue churn rate (`app/domain/reporting/portfolio.ts`). */
  grossMargin: number
}

export const defaultScoringSettings: ScoringSettings = {
  points: {
    answer_accepted: 10,
    answer_posted: 3,
    question_asked: 2,
    event_attended: 8,
    event_registered: 2,
    comment_posted: 1,
    vote_cast: 0.5,
    article_feedback: 1,
    survey_answered: 2,
    visit_day: 1,
    article_viewed: 0.2,
    // A vote received rewards being useful to others, as an accepted answer does, on a smaller scale.
    vote_received: 1,
    // Staff promoting an answer into help content is a strong signal of quality.
    answer_promoted: 5,
    // Searching and contacting support describe need, not participation.
    search_performed: 0,
    ticket_deflected: 0,
    ticket_filed: 0,
    // Saving one's profile ticks a first step; it is not participation.
    profile_completed: 0,
  },
  halfLifeDays: 30,
  dailyCaps: {
    vote_cast: 10,
    vote_received: 10,
    article_viewed: 10,
    visit_day: 1,
  },
  levels: {
    thresholds: { participant: 5, contributor: 25, champion: 80 },
    demoteBelow: 0.9,
  },
  tiers: {
    currency: 'JPY',
    highFrom: 5_000_000,
    lowFrom: 1_000_000,
    jpyPerUnit: { JPY: 1, USD: 150, EUR: 160, GBP: 190 },
  },
  health: {
    bandScore: { GOOD: 100, NORMAL: 60, BAD: 0 },
    overall: { goodFrom: 75, normalFrom: 50, minCoverage: 0.5, margin: 7.5, confirmDays: 14 },
    weights: {
      engagement: 4,
      trend: 1.5,
      breadth: 3,
      breadthChange: 1.5,
      champions: 3,
      supportLoad: 1.5,
      ticketSurge: 2,
      selfService: 1,
      events: 1,
      sentiment: 3.5,
      onboarding: 2,
    },
    eventsWeightByTier: { high: 1, low: 2, tech: 1.5 },
    engagement: { goodFromPercentile: 60, normalFromPercentile: 25 },
    trend: { days: 28, badDeclineOver: 0.3, normalDeclineOver: 0.15 },
    breadth: { days: 28, goodFrom: 0.4, normalFrom: 0.15 },
    breadthChange: { agoDays: 60, badDeclineOver: 0.35, normalDeclineOver: 0.15, minBaseline: 3 },
    champions: { baselineDays: 180, silentDays: 28, minShare: 0.2, minPoints: 15, normalFrom: 0.2, badFrom: 0.4 },
    supportLoad: { days: 90, goodUpTo: 1.5, normalUpTo: 3 },
    ticketSurge: { days: 30, baselineDays: 90, goodUpTo: 1.5, normalUpTo: 2.5, minTickets: 4 },
    selfService: { days: 90, goodFrom: 0.4, normalFrom: 0.2 },
    events: { days: 90, goodFrom: 3, normalFrom: 1 },
    sentiment: {
      days: 180,
      halfLifeDays: 60,
      fullWeightAnswers: 3,
      goodFrom: 30,
      normalFrom: 0,
      detractorDays: 90,
      detractorMin: 2,
      detractorShare: 0.5,
      detractorCap: 'BAD',
    },
    onboarding: { youngerThanDays: 90, firstDays: 14, milestoneDays: 45, membersFrom: 0.2, activeDaysFrom: 5 },
    silentDays: 30,
    holidays: {
      japan: true,
      periods: [
        { from: '12-28', to: '01-04', label: 'Year-end / 年末年始' },
        { from: '04-29', to: '05-06', label: 'Golden Week / ゴールデンウィーク' },
        { from: '08-11', to: '08-16', label: 'Obon / お盆' },
      ],
    },
  },
  grossMargin: 0.75,
}
