import { expect, test } from 'vitest'
import { dashboardPeriods, insightPeriods, isOfferedPeriod, lastDays, parsePeriodDays } from './periods.ts'

test('the days parameter is one of the offered periods, the default otherwise', () => {
  expect(parsePeriodDays('7', dashboardPeriods)).toBe(7)
  expect(parsePeriodDays('365', dashboardPeriods)).toBe(365)
  expect(parsePeriodDays('12', dashboardPeriods)).toBe(30)
  expect(parsePeriodDays(null, dashboardPeriods)).toBe(30)
  expect(parsePeriodDays('7; drop table', dashboardPeriods)).toBe(30)
})

test('each page offers its own subset of the one list: the insights stop at 90 days', () => {
  expect(dashboardPeriods).toEqual([7, 30, 90, 365])
  expect(insightPeriods).toEqual([7, 30, 90])
  expect(parsePeriodDays('90', insightPeriods)).toBe(90)
  expect(parsePeriodDays('365', insightPeriods)).toBe(30)
  expect(isOfferedPeriod(365, insightPeriods)).toBe(false)
  expect(isOfferedPeriod('30', insightPeriods)).toBe(false)
})

test('a period of days back is [now − days, now)', () => {
  const now = new Date('2026-05-10T12:00:00Z')
  expect(lastDays(7, now)).toEqual({ from: new Date('2026-05-03T12:00:00Z'), to: now })
})
