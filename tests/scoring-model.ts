import type { NpsAnswer } from '#app/domain/scoring/health.ts'
import { defaultScoringSettings, type ScoringSettings } from '#app/domain/scoring/settings.ts'

// What the pure health tests (health.test.ts, reasons.test.ts) pin: the model's definition is held
// against these figures, written out rather than read from the defaults, which are tuned on the
// simulated worlds (decision 035) and may move without changing a definition.

/** The model's definition as these tests hold it: every threshold and weight a test relies on. */
export const pinnedSettings: ScoringSettings = {
  ...defaultScoringSettings,
  health: {
    ...defaultScoringSettings.health,
    bandScore: { GOOD: 100, NORMAL: 60, BAD: 0 },
    overall: { goodFrom: 75, normalFrom: 50, minCoverage: 0.5, margin: 5, confirmDays: 7 },
    weights: {
      engagement: 3,
      trend: 1.5,
      breadth: 2,
      breadthChange: 2,
      champions: 2,
      supportLoad: 1,
      ticketSurge: 1.5,
      selfService: 1,
      events: 1,
      sentiment: 2,
      onboarding: 2,
    },
    eventsWeightByTier: { high: 1, low: 2, tech: 1.5 },
    engagement: { goodFromPercentile: 60, normalFromPercentile: 25 },
    trend: { days: 28, badDeclineOver: 0.3, normalDeclineOver: 0.15 },
    breadth: { days: 28, goodFrom: 0.4, normalFrom: 0.15 },
    breadthChange: { agoDays: 60, badDeclineOver: 0.35, normalDeclineOver: 0.15, minBaseline: 3 },
    champions: { baselineDays: 90, silentDays: 28, minShare: 0.25, minPoints: 15, normalFrom: 0.25, badFrom: 0.5 },
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
  },
}

/** Survey answers all given today. */
export function answeredToday(...scores: number[]): NpsAnswer[] {
  return scores.map((score) => ({ score, ageDays: 0 }))
}
