import { expect, test } from 'vitest'
import { defaultScoringSettings as settings } from './settings.ts'
import { arrInJpy, touchTierOf } from './tiers.ts'

test('touch tiers follow ARR in JPY: high from 5,000,000, low from 1,000,000, else tech', () => {
  const account = (arrMinor: number | null, arrCurrency = 'JPY') => ({ arrMinor, arrCurrency, touchTierOverride: null })
  expect(touchTierOf(account(12_000_000), settings)).toBe('high')
  expect(touchTierOf(account(5_000_000), settings)).toBe('high')
  expect(touchTierOf(account(4_999_999), settings)).toBe('low')
  expect(touchTierOf(account(1_000_000), settings)).toBe('low')
  expect(touchTierOf(account(360_000), settings)).toBe('tech')
  expect(touchTierOf(account(null), settings)).toBe('tech')
  // 18,000,000 cents = 180,000 USD = 27,000,000 JPY.
  expect(arrInJpy(account(18_000_000, 'USD'), settings)).toBe(27_000_000)
  expect(touchTierOf(account(18_000_000, 'USD'), settings)).toBe('high')
  expect(touchTierOf(account(100, 'XXX'), settings)).toBe('tech')
})

test('an override wins over ARR', () => {
  expect(touchTierOf({ arrMinor: 100, arrCurrency: 'JPY', touchTierOverride: 'high' }, settings)).toBe('high')
})
