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
export type BreadthChangeDetail = {
  /** `young`: the account did not exist through the earlier window; `few`: fewer members were active
   *  then than the minimum; `change`: compared. */
  kind: 'young' | 'few' | 'change'
  now: number
  before: number
  days: number
  agoDays: number
  minBaseline: number
}
/** A member who carried the account: their share (whole percent) of its contribution points in the
 *  baseline, and the working days since their last activity. */
export type KeyMember = { name: string; share: number; silentDays: number }
export type ChampionsDetail =
  /** `none`: too few contribution points in the baseline; `all_quiet`: nobody else is active either
   *  (the silence rule judges that). */
  | { kind: 'none' | 'all_quiet'; baselineDays: number; silentDays: number }
  | {
      /** `kept`: every key member is still active; `lost`: some are silent. */
      kind: 'kept' | 'lost'
      account: string
      keyMembers: KeyMember[]
      /** The silent key members, and the whole percent of the contributions they gave. */
      lost: KeyMember[]
      lostShare: number
      baselineDays: number
      silentDays: number
    }
export type SupportLoadDetail =
  /** No ticket, and no activity at all in the window: silence says nothing about the support load. */
  | { kind: 'quiet'; days: number }
  | {
      /** `none`: no ticket; `zero_median`: tickets where most accounts of the tier filed none. */
      kind: 'none' | 'zero_median' | 'ratio'
      tickets: number
      /** Members active in the window (at least 1 in the division). */
      members: number
      days: number
      perMember: number
      median: number
      /** Tickets per active member ÷ the tier median, two decimals; null when the median is 0. */
      ratio: number | null
      tier: TouchTier
    }
export type TicketSurgeDetail =
  /** `young`: no baseline yet; `none`: no ticket in either window. */
  | { kind: 'young' | 'none'; days: number; baselineDays: number }
  | {
      /** `few`: fewer recent tickets than the minimum; `ratio`: compared with the expected number. */
      kind: 'few' | 'ratio'
      recent: number
      baseline: number
      /** Tickets expected in the recent window at the baseline's rate per active member, one decimal. */
      expected: number
      days: number
      baselineDays: number
      minTickets: number
    }
export type SelfServiceDetail = { kind: 'none' | 'ratio'; deflections: number; tickets: number; days: number }
export type EventsDetail = { attended: number; days: number }
export type SentimentDetail =
  | { kind: 'none'; days: number }
  | {
      kind: 'nps'
      answers: number
      promoters: number
      detractors: number
      days: number
      /** Answers and detractors in the last `detractorDays`, and whether they make the detractor signal. */
      recentAnswers: number
      recentDetractors: number
      detractorDays: number
      detractorSignal: boolean
    }
export type OnboardingDetail = {
  /** `not_applicable`: older than the window; `too_early`: its first days are not over and it has
   *  done nothing yet; `silent`: nothing in its first days; `milestones`: judged on the milestones
   *  (`due` once `milestoneDays` are over). */
  kind: 'not_applicable' | 'too_early' | 'silent' | 'milestones'
  ageDays: number
  activity: number
  firstDays: number
  youngerThanDays: number
  milestoneDays: number
  due: boolean
  membersJoined: number
  membersNeeded: number
  activeDays: number
  activeDaysNeeded: number
  contributed: boolean
  met: number
}

export type MeasureDetails = {
  engagement: EngagementDetail
  trend: TrendDetail
  breadth: BreadthDetail
  breadthChange: BreadthChangeDetail
  champions: ChampionsDetail
  supportLoad: SupportLoadDetail
  ticketSurge: TicketSurgeDetail
  selfService: SelfServiceDetail
  events: EventsDetail
  sentiment: SentimentDetail
  onboarding: OnboardingDetail
}

/** A measure's result tagged with its measure, so reasons can be written for it. */
export type MeasureOutcome = { [M in HealthMeasure]: { measure: M } & MeasureResult<MeasureDetails[M]> }[HealthMeasure]

/** What caps an account's level whatever its score: no activity at all for the configured days
 *  (`silent`), the members who carried it gone quiet (`champion_lost`), a clear detractor signal
 *  (`detractors`, capped at the configured level). */
export const hardRisks = ['silent', 'champion_lost', 'detractors'] as const
export type HardRisk = (typeof hardRisks)[number]
