/** The periods the insights page offers, in days back from now. */
export const insightPeriods = [7, 30, 90] as const
export type InsightPeriod = (typeof insightPeriods)[number]
export const DEFAULT_INSIGHT_PERIOD: InsightPeriod = 30
/** Rows per table. */
export const INSIGHT_ROWS = 20

export function isInsightPeriod(value: unknown): value is InsightPeriod {
  return insightPeriods.includes(value as InsightPeriod)
}
