import holidayJp from '@holiday-jp/holiday_jp'
import { addDays } from '#app/lib/days.ts'
import type { HolidaySettings } from './settings.ts'

// The days the health windows skip (decision 035): Japan's national holidays from the maintained
// `@holiday-jp/holiday_jp` table (1970–2050), and the periods staff list at /manage/settings: recurring
// ones (`MM-DD` to `MM-DD`, across the new year when `to` comes first) and one-off ones (`YYYY-MM-DD`).
// A quiet spell over those days is not a fall: windows counted in working days stretch over them.

const nationalHolidays: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays))

/** Whether a `YYYY-MM-DD` day is a holiday under some settings. */
export type HolidayTest = (day: string) => boolean

const RECURRING = /^\d{2}-\d{2}$/

/** The holiday test for some settings; cheap to call once per day of a window. */
export function holidayTest(settings: HolidaySettings): HolidayTest {
  const recurring = settings.periods.filter((period) => RECURRING.test(period.from) && RECURRING.test(period.to))
  const oneOff = settings.periods.filter((period) => !RECURRING.test(period.from) || !RECURRING.test(period.to))
  return (day) => {
    if (settings.japan && nationalHolidays.has(day)) return true
    const monthDay = day.slice(5)
    for (const { from, to } of recurring) {
      if (from <= to ? monthDay >= from && monthDay <= to : monthDay >= from || monthDay <= to) return true
    }
    for (const { from, to } of oneOff) if (day >= from && day <= to) return true
    return false
  }
}

/** The first day of the window of `count` working days that ends with `lastDay` (included): the days
 *  from it to `lastDay` hold exactly `count` days that are not holidays, and it is not a holiday itself
 *  (a holiday just before the window's first working day is left out). At most a year is searched, so a
 *  calendar of nothing but holidays still ends. */
export function workingWindowStart(lastDay: string, count: number, isHoliday: HolidayTest): string {
  let day = lastDay
  let found = 0
  let first = lastDay
  for (let step = 0; step < 366 + count && found < count; step++) {
    if (!isHoliday(day)) {
      found += 1
      first = day
    }
    day = addDays(day, -1)
  }
  return first
}

/** Working days after `fromDay` up to and including `toDay` (0 when `toDay` is not after it): the
 *  silence measured in days that are not holidays. */
export function workingDaysAfter(fromDay: string, toDay: string, isHoliday: HolidayTest): number {
  let days = 0
  for (let day = addDays(fromDay, 1); day <= toDay; day = addDays(day, 1)) {
    if (!isHoliday(day)) days += 1
  }
  return days
}

/** The working days of a range, newest first: `count` of them ending with `lastDay`. */
export function workingDaysBack(lastDay: string, count: number, isHoliday: HolidayTest): string[] {
  const days: string[] = []
  let day = lastDay
  for (let step = 0; step < 366 + count && days.length < count; step++) {
    if (!isHoliday(day)) days.push(day)
    day = addDays(day, -1)
  }
  return days
}
