import { expect, test } from 'vitest'
import { holidayTest, workingDaysAfter, workingDaysBack, workingWindowStart } from './holidays.ts'
import type { HolidaySettings } from './settings.ts'

const yearEnd = { from: '12-28', to: '01-04', label: 'Year-end / 年末年始' }
const none: HolidaySettings = { japan: false, periods: [] }
const japan: HolidaySettings = { japan: true, periods: [] }

test("Japan's national holidays count only when switched on", () => {
  const on = holidayTest(japan)
  const off = holidayTest(none)
  // Golden Week 2026: 3 May (Constitution Day), 4 May (Greenery Day), 5 May (Children's Day), and
  // 6 May, the substitute for the 3rd, a Sunday.
  for (const day of ['2026-05-03', '2026-05-04', '2026-05-05', '2026-05-06']) {
    expect(on(day), day).toBe(true)
    expect(off(day), day).toBe(false)
  }
  expect(on('2026-05-07')).toBe(false)
  expect(on('2026-01-01')).toBe(true)
  // Happy Monday holidays move with the calendar: Coming of Age Day is the second Monday of January.
  expect(on('2026-01-12')).toBe(true)
  expect(on('2027-01-12')).toBe(false)
  expect(on('2027-01-11')).toBe(true)
  // A day between two holidays is one too (kokumin no kyūjitsu), 22 September 2026.
  expect(on('2026-09-22')).toBe(true)
  // Weekends are not holidays: working days are the days that are not holidays.
  expect(on('2026-03-07')).toBe(false) // a Saturday
  expect(on('2026-03-08')).toBe(false) // a Sunday
})

test('a recurring period across the new year covers its days in both years, and no others', () => {
  const isHoliday = holidayTest({ japan: false, periods: [yearEnd] })
  for (const day of ['2026-12-28', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-04', '2025-12-30']) {
    expect(isHoliday(day), day).toBe(true)
  }
  for (const day of ['2026-12-27', '2027-01-05', '2026-06-15', '2026-01-05']) {
    expect(isHoliday(day), day).toBe(false)
  }
})

test('a recurring period within a year covers both ends', () => {
  const isHoliday = holidayTest({ japan: false, periods: [{ from: '08-11', to: '08-16', label: 'Obon / お盆' }] })
  expect(['08-10', '08-11', '08-13', '08-16', '08-17'].map((day) => isHoliday(`2026-${day}`))).toEqual([
    false,
    true,
    true,
    true,
    false,
  ])
  // Every year alike.
  expect(isHoliday('2031-08-11')).toBe(true)
  // A single day.
  const oneDay = holidayTest({ japan: false, periods: [{ from: '06-01', to: '06-01', label: 'Founding day' }] })
  expect([oneDay('2026-05-31'), oneDay('2026-06-01'), oneDay('2026-06-02')]).toEqual([false, true, false])
})

test('a one-off period covers its days in its year only', () => {
  const isHoliday = holidayTest({
    japan: false,
    periods: [{ from: '2026-07-20', to: '2026-07-24', label: 'Office move / 移転' }],
  })
  expect(['2026-07-19', '2026-07-20', '2026-07-22', '2026-07-24', '2026-07-25'].map(isHoliday)).toEqual([
    false,
    true,
    true,
    true,
    false,
  ])
  expect(isHoliday('2027-07-22')).toBe(false)
  // A one-off period may cross the new year.
  const across = holidayTest({ japan: false, periods: [{ from: '2026-12-30', to: '2027-01-02', label: 'Closure' }] })
  expect(['2026-12-29', '2026-12-30', '2027-01-01', '2027-01-02', '2027-01-03'].map(across)).toEqual([
    false,
    true,
    true,
    true,
    false,
  ])
  expect(across('2027-12-31')).toBe(false)
})

test('national holidays and periods add up', () => {
  const isHoliday = holidayTest({ japan: true, periods: [yearEnd] })
  expect(isHoliday('2026-05-04')).toBe(true) // national
  expect(isHoliday('2026-12-29')).toBe(true) // the period
  expect(isHoliday('2026-12-25')).toBe(false)
})

test('working days back: the days that are not holidays, newest first', () => {
  const isHoliday = holidayTest(japan)
  // From Friday 8 May 2026 back over Golden Week (3–6 May).
  expect(workingDaysBack('2026-05-08', 5, isHoliday)).toEqual([
    '2026-05-08',
    '2026-05-07',
    '2026-05-02',
    '2026-05-01',
    '2026-04-30',
  ])
  // A holiday as the last day is skipped too.
  expect(workingDaysBack('2026-05-05', 2, isHoliday)).toEqual(['2026-05-02', '2026-05-01'])
  // Without holidays: calendar days.
  expect(workingDaysBack('2026-03-02', 3, holidayTest(none))).toEqual(['2026-03-02', '2026-03-01', '2026-02-28'])
  expect(workingDaysBack('2026-03-02', 0, isHoliday)).toEqual([])
  // Over the year-end period: 28 December to 4 January are left out.
  const yearEndOnly = holidayTest({ japan: false, periods: [yearEnd] })
  expect(workingDaysBack('2027-01-05', 3, yearEndOnly)).toEqual(['2027-01-05', '2026-12-27', '2026-12-26'])
  // A calendar of nothing but holidays still ends.
  const always = () => true
  expect(workingDaysBack('2026-03-02', 5, always)).toEqual([])
})

test('the start of a window of working days is its oldest working day', () => {
  const isHoliday = holidayTest(japan)
  expect(workingWindowStart('2026-05-08', 5, isHoliday)).toBe('2026-04-30')
  expect(workingWindowStart('2026-05-08', 5, isHoliday)).toBe(workingDaysBack('2026-05-08', 5, isHoliday).at(-1))
  // A holiday just before the first working day is left out of the window.
  expect(workingWindowStart('2026-05-08', 2, isHoliday)).toBe('2026-05-07')
  expect(workingWindowStart('2026-03-02', 1, holidayTest(none))).toBe('2026-03-02')
})

test('working days after a day: the silence in days that are not holidays', () => {
  const isHoliday = holidayTest(japan)
  // From Thursday 30 April to Friday 8 May: 1, 2, 7 and 8 May (3–6 May are holidays).
  expect(workingDaysAfter('2026-04-30', '2026-05-08', isHoliday)).toBe(4)
  expect(workingDaysAfter('2026-04-30', '2026-05-08', holidayTest(none))).toBe(8)
  // The first day is not counted, the last is.
  expect(workingDaysAfter('2026-05-07', '2026-05-08', isHoliday)).toBe(1)
  expect(workingDaysAfter('2026-05-08', '2026-05-08', isHoliday)).toBe(0)
  // Not after it: none.
  expect(workingDaysAfter('2026-05-08', '2026-05-01', isHoliday)).toBe(0)
  // Over the year-end: 27 December to 5 January is one working day (the 5th).
  const yearEndOnly = holidayTest({ japan: false, periods: [yearEnd] })
  expect(workingDaysAfter('2026-12-27', '2027-01-05', yearEndOnly)).toBe(1)
  // It agrees with the days counted back.
  const back = workingDaysBack('2026-05-08', 6, isHoliday)
  expect(workingDaysAfter(back.at(-1)!, '2026-05-08', isHoliday)).toBe(back.length - 1)
})
