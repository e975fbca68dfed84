import type { HealthBand, HealthMeasure } from './settings.ts'
import type { TouchTier } from './tiers.ts'

// What each health measure decides and the figures its reason quotes: the shapes shared by the model
// (health.ts) and the words written for it (reasons.ts), kept apart so neither imports the other.

/** One measure's verdict: a band (null = no data), the value it was decided on, as shown, and the
 *  figures its reason quotes. */
export type MeasureResult<Detail> = { band: HealthBand | null; value: number | null; detail: Detail }

export type EngagementDetail =
  | { kind: 'no_seats' }
  /** `none`: no member earned a point, BAD whatever the tier's other accounts did. */
  | { kind: 'ranked' | 'none'; perSeat: number; percentile: number; peers: number; tier: TouchTier }
export type TrendDetail = {
  /** `none`: no activity in either window; `started`: none before, some now. */
  kind: 'none' | 'started' | 'change'
  days: number
  recent: number
  previous: number
}
export type BreadthDetail =
  | { kind: 'no_seats'; days: number }
  | { kind: 'ratio'; active: number; seats: number; days: number }
export type SupportLoadDetail =
  | { kind: 'no_seats'; days: number }
  /** No ticket, and no activity at all in the window: silence says nothing about the support load. */
  | { kind: 'quiet'; days: number }
  | {
      /** `none`: no ticket; `zero_median`: tickets where most accounts of the tier filed none. */
      kind: 'none' | 'zero_median' | 'ratio'
      tickets: number
      seats: number
      days: number
      perSeat: number
      median: number
      /** Tickets per seat ÷ the tier median, two decimals; null when the median is 0. */
      ratio: number | null
      tier: TouchTier
    }
export type SelfServiceDetail = { kind: 'none' | 'ratio'; deflections: number; tickets: number; days: number }
export type EventsDetail = { attended: number; days: number }
export type SentimentDetail =
  | { kind: 'none' | 'few'; answers: number; minAnswers: number; days: number }
  | { kind: 'nps'; answers: number; promoters: number; detractors: number; days: number }
export type OnboardingDetail = {
  /** `not_applicable`: older than the window; `too_early`: its first days are not over and it has
   *  done nothing yet; `active` / `silent`: it had activity in its first days, or none. */
  kind: 'not_applicable' | 'too_early' | 'active' | 'silent'
  ageDays: number
  activity: number
  firstDays: number
  youngerThanDays: number
}

export type MeasureDetails = {
  engagement: EngagementDetail
  trend: TrendDetail
  breadth: BreadthDetail
  supportLoad: SupportLoadDetail
  selfService: SelfServiceDetail
  events: EventsDetail
  sentiment: SentimentDetail
  onboarding: OnboardingDetail
}

/** A measure's result tagged with its measure, so reasons can be written for it. */
export type MeasureOutcome = { [M in HealthMeasure]: { measure: M } & MeasureResult<MeasureDetails[M]> }[HealthMeasure]

/** The one hard risk: an account with no activity at all for the configured days. */
export type HardRisk = 'silent'
