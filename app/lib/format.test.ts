import { expect, test } from 'vitest'
import { formatDate, formatDateTime, formatMoney, intlLocale, isTimeZone, safeTimeZone } from './format.ts'

test('an instant is shown in the reader’s zone and language', () => {
  const instant = '2026-11-23T15:30:00Z'
  expect(formatDateTime(instant, 'en', 'UTC')).toBe('Nov 23, 2026, 3:30 PM')
  expect(formatDateTime(instant, 'ja', 'Asia/Tokyo')).toBe('2026/11/24 0:30')
  expect(formatDateTime(instant, 'en', 'America/Los_Angeles')).toBe('Nov 23, 2026, 7:30 AM')
  // An unknown zone falls back to UTC instead of throwing.
  expect(formatDateTime(instant, 'en', 'Nowhere/City')).toBe('Nov 23, 2026, 3:30 PM')
})

test('a calendar date stays the same day whatever the zone', () => {
  expect(formatDate('2027-03-31', 'en', 'Pacific/Honolulu')).toBe('Mar 31, 2027')
  expect(formatDate('2027-03-31', 'ja', 'Asia/Tokyo')).toBe('2027/03/31')
})

test('money in minor units is shown in its currency', () => {
  expect(formatMoney(12_000_000, 'JPY', 'en')).toBe('¥12,000,000')
  expect(formatMoney(18_000_050, 'USD', 'en')).toBe('$180,000.50')
  expect(formatMoney(12_000_000, 'JPY', 'ja')).toBe('￥12,000,000')
})

test('time zones are checked against the runtime’s database', () => {
  expect(isTimeZone('Asia/Tokyo')).toBe(true)
  expect(isTimeZone('Mars/Olympus')).toBe(false)
  expect(safeTimeZone('Mars/Olympus')).toBe('UTC')
})

test('Intl formats Japanese as ja-JP and everything else as en-US', () => {
  expect(intlLocale('ja')).toBe('ja-JP')
  expect(intlLocale('en')).toBe('en-US')
  expect(intlLocale('fr')).toBe('en-US')
})
