/** The one period model of every report. A report covers a period [from, to): `from` included, `to`
 *  excluded, so consecutive periods never count a row twice. Pages pick it as a number of days back
 *  from now (`?days=`), from one list; each page offers a subset of that list. The help insights take
 *  whole UTC calendar days instead (`?from=&to=`, a `DayRange`), which is the same period with `to`
 *  moved to the start of the day after. A plain module: the period pickers import it. */

const DAY_MS = 86_400_000

/** A period [from, to). */
export type ReportPeriod = { from: Date; to: Date }

/** Every period a report may offer, in days back from now. */
export const periodDays = [7, 30, 90, 365] as const
export type PeriodDays = (typeof periodDays)[number]
/** The period a page shows when the address names none, or one it does not offer. */
export const DEFAULT_PERIOD_DAYS = 30 satisfies InsightPeriod & DashboardPeriod

/** What the manager dashboard and the account page offer: every period. */
export const dashboardPeriods = periodDays
export type DashboardPeriod = (typeof dashboardPeriods)[number]
/** What the search and support insights offer: up to a quarter. */
export const insightPeriods = [7, 30, 90] as const satisfies readonly PeriodDays[]
export type InsightPeriod = (typeof insightPeriods)[number]

/** Rows per table of the insights pages. */
export const INSIGHT_ROWS = 20

/** Whether `value` is one of the `offered` periods. */
export function isOfferedPeriod<D extends PeriodDays>(value: unknown, offered: readonly D[]): value is D {
  return (offered as readonly unknown[]).includes(value)
}

/** The `days` query parameter as one of the `offered` periods; anything else (missing, hand-edited)
 *  is the default, so an odd link shows the usual view rather than an error. */
export function parsePeriodDays<D extends PeriodDays>(value: string | null | undefined, offered: readonly D[]): D {
  const days = Number(value)
  return isOfferedPeriod(days, offered) ? days : (DEFAULT_PERIOD_DAYS as D)
}

/** The period [now − days, now). */
export function lastDays(days: number, now: Date): ReportPeriod {
  return { from: new Date(now.getTime() - days * DAY_MS), to: now }
}

/** Inclusive UTC calendar days, `YYYY-MM-DD`; a missing end is open. */
export type DayRange = { from: string | null; to: string | null }
