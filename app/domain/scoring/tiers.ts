import { currencyDigits } from '#app/lib/format.ts'
import type { ScoringSettings } from './settings.ts'

export const touchTiers = ['high', 'low', 'tech'] as const
export type TouchTier = (typeof touchTiers)[number]

type TierAccount = { arrMinor: number | null; arrCurrency: string; touchTierOverride: TouchTier | null }

/** ARR in JPY, or null when it is unknown or billed in a currency without a rate. */
export function arrInJpy(
  account: Pick<TierAccount, 'arrMinor' | 'arrCurrency'>,
  settings: ScoringSettings,
): number | null {
  if (account.arrMinor === null) return null
  const rate = settings.tiers.jpyPerUnit[account.arrCurrency.toUpperCase()]
  if (rate === undefined) return null
  return (account.arrMinor / 10 ** currencyDigits(account.arrCurrency)) * rate
}

/** A tier threshold in JPY: the setting's amount times its currency's rate (null without a rate). */
export function thresholdInJpy(amount: number, settings: ScoringSettings): number | null {
  const rate = settings.tiers.jpyPerUnit[settings.tiers.currency.toUpperCase()]
  return rate === undefined ? null : amount * rate
}

/** An account's touch tier: its override when staff set one, otherwise from its ARR against the
 *  thresholds, both in JPY (high ≥ 5,000,000, low ≥ 1,000,000, else tech, by default). Unknown ARR,
 *  or a threshold currency without a rate, is tech touch. */
export function touchTierOf(account: TierAccount, settings: ScoringSettings): TouchTier {
  if (account.touchTierOverride) return account.touchTierOverride
  const jpy = arrInJpy(account, settings)
  if (jpy === null) return 'tech'
  const high = thresholdInJpy(settings.tiers.highFrom, settings)
  const low = thresholdInJpy(settings.tiers.lowFrom, settings)
  if (high !== null && jpy >= high) return 'high'
  if (low !== null && jpy >= low) return 'low'
  return 'tech'
}
