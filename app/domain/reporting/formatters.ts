/** How reports write values, in the reader's language and time zone: one set of formatters serves the
 *  tables on the page and their CSV files. A plain module. */
import type { TFunction } from 'i18next'
import { ordinal } from '#app/domain/scoring/reasons.ts'
import { formatDate, formatDateTime, formatMoney, intlLocale } from '#app/lib/format.ts'
import type { Locale } from '#app/lib/i18n.ts'

/** How the page and the CSV file write values, in the reader's language and time zone. */
export type Formatters = {
  t: TFunction
  locale: Locale
  timeZone: string
  none: string
  int(value: number): string
  decimal(value: number, digits?: number): string
  percent(value: number | null): string
  money(minor: number, currency: string): string
  /** A `YYYY-MM-DD` day. */
  day(value: string | null): string
  /** A `YYYY-MM-DD` day without its year, for chart axes: "May 4" / "5月4日". */
  shortDay(value: string): string
  /** A length of time given in seconds, in the unit that reads best: minutes, hours or days. */
  duration(seconds: number | null): string
  dateTime(value: Date | string | null): string
  /** Stored text in both languages, in the reader's. */
  pick(value: { en: string; ja: string } | null | undefined): string
  /** A measure's value with its unit ("42%", "the 62nd percentile"). */
  measureValue(measure: string, value: number | null): string
}

export function createFormatters(t: TFunction, locale: Locale, timeZone: string): Formatters {
  const intl = intlLocale(locale)
  const ints = new Intl.NumberFormat(intl, { maximumFractionDigits: 0 })
  const percents = new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 1 })
  const none = t('manage_dashboard.none')
  const shortDays = new Intl.DateTimeFormat(intl, { month: 'short', day: 'numeric', timeZone: 'UTC' })
  const decimals = new Map<number, Intl.NumberFormat>()
  const decimal = (value: number, digits = 1) => {
    let format = decimals.get(digits)
    if (!format) {
      format = new Intl.NumberFormat(intl, { maximumFractionDigits: digits })
      decimals.set(digits, format)
    }
    return format.format(value)
  }
  return {
    t,
    locale,
    timeZone,
    none,
    int: (value) => ints.format(value),
    decimal,
    percent: (value) => (value === null ? none : percents.format(value)),
    money: (minor, currency) => formatMoney(minor, currency, locale),
    day: (value) => (value ? formatDate(value, locale) : none),
    shortDay: (value) => shortDays.format(new Date(`${value}T00:00:00Z`)),
    duration: (seconds) => {
      if (seconds === null) return none
      if (seconds < 3600) return t('manage_dashboard.duration.minutes', { value: decimal(seconds / 60, 0) })
      if (seconds < 48 * 3600) return t('manage_dashboard.duration.hours', { value: decimal(seconds / 3600, 1) })
      return t('manage_dashboard.duration.days', { value: decimal(seconds / 86_400, 1) })
    },
    dateTime: (value) => (value ? formatDateTime(value, locale, timeZone) : none),
    pick: (value) => (value ? value[locale] : ''),
    measureValue: (measure, value) => {
      if (value === null) return none
      if (measure === 'engagement') return t('manage_dashboard.value.percentile', { rank: ordinal(value, locale) })
      if (measure === 'trend' || measure === 'breadth' || measure === 'selfService') {
        return t('manage_dashboard.value.percent', { value: decimal(value, 0) })
      }
      if (measure === 'supportLoad') return t('manage_dashboard.value.per_seat', { value: decimal(value, 2) })
      return decimal(value, 1)
    },
  }
}
