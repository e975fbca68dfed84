// Calendar days as the app stores and compares them: UTC, written `YYYY-MM-DD`, so a string comparison
// orders them. One place for the handful of operations that scoring, reporting and forms share.

const DAY_MS = 86_400_000
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/

/** The UTC day an instant falls in. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10)
}

/** True for a real calendar day written `YYYY-MM-DD`: "2027-02-30" parses (into March) but does not
 *  print back as typed. */
export function isDay(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && utcDay(date) === value
}

/** The day `days` after (or before, when negative) a `YYYY-MM-DD` day. */
export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS))
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  return days
}
