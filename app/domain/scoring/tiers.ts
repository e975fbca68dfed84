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

/** An account's touch tier: its override when staff set one, otherwise from its ARR in JPY against the
 *  thresholds (high ≥ 5,000,000, low ≥ 1,000,000, else tech, by default). Unknown ARR is tech touch. */
export function touchTierOf(account: TierAccount, settings: ScoringSettings): TouchTier {
  if (account.touchTierOverride) return account.touchTierOverride
  const jpy = arrInJpy(account, settings)
  if (jpy === null) return 'tech'
  if (jpy >= settings.tiers.highFromJpy) return 'high'
  if (jpy >= settings.tiers.lowFromJpy) return 'low'
  return 'tech'
}
