import type { ActivityType } from '#app/domain/activity/ledger.server.ts'

export const memberLevels = ['observer', 'participant', 'contributor', 'champion'] as const
export type MemberLevel = (typeof memberLevels)[number]

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
    /** Annual recurring revenue, in JPY, at which an account is high touch or low touch; below the
     *  low threshold it is tech touch. */
    highFromJpy: number
    lowFromJpy: number
    /** JPY per one unit of each currency accounts are billed in, to compare ARR across currencies. */
    jpyPerUnit: Record<string, number>
  }
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
    highFromJpy: 5_000_000,
    lowFromJpy: 1_000_000,
    jpyPerUnit: { JPY: 1, USD: 150, EUR: 160, GBP: 190 },
  },
}
