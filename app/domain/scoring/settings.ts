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
  'supportLoad',
  'selfService',
  'events',
  'sentiment',
  'onboarding',
] as const
export type HealthMeasure = (typeof healthMeasures)[number]

export type HealthSettings = {
  /** What each band is worth in the overall score. */
  bandScore: Record<HealthBand, number>
  /** Overall score bands, and the share of measure weight that must have data for any band. */
  overall: { goodFrom: number; normalFrom: number; minCoverage: number }
  /** Weight of each measure in the overall score. */
  weights: Record<HealthMeasure, number>
  /** The events measure's weight is multiplied by this per touch tier (low-touch accounts meet the
   *  team mostly at events, so attendance says more about them). */
  eventsWeightByTier: Record<'high' | 'low' | 'tech', number>
  /** 1. Engagement per seat, as a percentile (0–100) among accounts of the same touch tier. */
  engagement: { goodFromPercentile: number; normalFromPercentile: number }
  /** 2. Activity in the last `days` against the `days` before: a decline over `badDeclineOver` (a
   *  share, 0.2 = 20%) is BAD, over `normalDeclineOver` NORMAL. */
  trend: { days: number; badDeclineOver: number; normalDeclineOver: number }
  /** 3. Members active in the last `days` ÷ seats. */
  breadth: { days: number; goodFrom: number; normalFrom: number }
  /** 4. Tickets filed per seat in `days`, as a multiple of the tier's median: up to `goodUpTo` GOOD,
   *  up to `normalUpTo` NORMAL. */
  supportLoad: { days: number; goodUpTo: number; normalUpTo: number }
  /** 5. Explicit deflections ÷ (explicit deflections + tickets filed) in `days`. */
  selfService: { days: number; goodFrom: number; normalFrom: number }
  /** 6. Events attended by the account's members in `days`. */
  events: { days: number; goodFrom: number; normalFrom: number }
  /** 7. NPS (−100 to 100) from event surveys in `days`, when at least `minAnswers` answered. */
  sentiment: { days: number; minAnswers: number; goodFrom: number; normalFrom: number }
  /** 8. An account younger than `youngerThanDays` with no activity in its first `firstDays` is BAD. */
  onboarding: { youngerThanDays: number; firstDays: number }
  /** Hard risk: an account active before and silent for this many days is BAD whatever the rest says. */
  silentDays: number
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
    overall: { goodFrom: 75, normalFrom: 50, minCoverage: 0.5 },
    weights: {
      engagement: 3,
      trend: 2,
      breadth: 2,
      supportLoad: 1.5,
      selfService: 1,
      events: 1,
      sentiment: 1,
      onboarding: 2,
    },
    eventsWeightByTier: { high: 1, low: 2, tech: 1.5 },
    engagement: { goodFromPercentile: 60, normalFromPercentile: 25 },
    trend: { days: 30, badDeclineOver: 0.2, normalDeclineOver: 0.05 },
    breadth: { days: 28, goodFrom: 0.4, normalFrom: 0.15 },
    supportLoad: { days: 90, goodUpTo: 1, normalUpTo: 1.5 },
    selfService: { days: 90, goodFrom: 0.4, normalFrom: 0.2 },
    events: { days: 90, goodFrom: 3, normalFrom: 1 },
    sentiment: { days: 180, minAnswers: 3, goodFrom: 30, normalFrom: 0 },
    onboarding: { youngerThanDays: 90, firstDays: 14 },
    silentDays: 30,
  },
}
