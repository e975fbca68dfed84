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

test('thresholds written in another currency are compared in JPY at its rate', () => {
  const inUsd = { ...settings, tiers: { ...settings.tiers, currency: 'USD', highFrom: 100_000, lowFrom: 20_000 } }
  const account = (arrMinor: number, arrCurrency: string) => ({ arrMinor, arrCurrency, touchTierOverride: null })
  // 100,000 USD = 15,000,000 JPY: an account billed 15,000,000 JPY is high touch, one cent of USD less is not.
  expect(touchTierOf(account(15_000_000, 'JPY'), inUsd)).toBe('high')
  expect(touchTierOf(account(9_999_999, 'USD'), inUsd)).toBe('low')
  expect(touchTierOf(account(1_999_999, 'USD'), inUsd)).toBe('tech')
  const noRate = { ...settings, tiers: { ...settings.tiers, currency: 'CHF' } }
  expect(touchTierOf(account(900_000_000, 'JPY'), noRate)).toBe('tech')
})

test('an override wins over ARR', () => {
  expect(touchTierOf({ arrMinor: 100, arrCurrency: 'JPY', touchTierOverride: 'high' }, settings)).toBe('high')
})
