import type { Locale } from './i18n.ts'

/** The tag Intl formats a language's dates and numbers with. */
export function intlLocale(locale: string): 'ja-JP' | 'en-US' {
  return locale === 'ja' ? 'ja-JP' : 'en-US'
}

// Building an Intl.DateTimeFormat costs far more than using one, and a page formats dozens of dates in
// a handful of (language, zone, style) combinations: each combination is built once.
const formatters = new Map<string, Intl.DateTimeFormat>()

function dateFormatter(locale: Locale, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`
  let formatter = formatters.get(key)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(intlLocale(locale), {
      dateStyle: 'medium',
      ...(withTime ? { timeStyle: 'short' } : {}),
      timeZone: safeTimeZone(timeZone),
    })
    if (formatters.size > 500) formatters.clear()
    formatters.set(key, formatter)
  }
  return formatter
}

/** Formats an instant in the reader's time zone and language, e.g. "2026年11月23日 23:53" or "Nov 23, 2026, 11:53 PM". */
export function formatDateTime(value: Date | string, locale: Locale, timeZone: string): string {
  const date = typeof value === 'string' ? new Date(value) : value
  return dateFormatter(locale, timeZone, true).format(date)
}

export function formatDate(value: Date | string, locale: Locale, timeZone = 'UTC'): string {
  const date = typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : value
  const zone = value instanceof Date || (typeof value === 'string' && value.length > 10) ? timeZone : 'UTC'
  return dateFormatter(locale, zone, false).format(date)
}

/** Money in minor units, formatted in its currency (JPY has no minor unit; USD has two). */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const digits = currencyDigits(currency)
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency }).format(minor / 10 ** digits)
}

const digitsByCurrency = new Map<string, number>()

/** The decimals a currency is written with (JPY 0, USD 2); 2 for a code Intl does not know. Cached:
 *  building a formatter is far dearer than using one, and scoring asks for every account. */
export function currencyDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency)
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    } catch {
      digits = 2
    }
    digitsByCurrency.set(currency, digits)
  }
  return digits
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

export function safeTimeZone(value: string): string {
  return isTimeZone(value) ? value : 'UTC'
}
