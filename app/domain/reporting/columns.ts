/** Column specs: what each cell of a report table shows on the page and writes to its CSV file, and
 *  the cell helpers the tables share. The tables themselves are in `dashboard-columns.ts` and
 *  `account-columns.ts`; the React table in `app/components/manage/data-table.tsx` draws them. A plain
 *  module. */
import { currencyDigits } from '#app/lib/format.ts'
import type { AccountPage } from './account-page.server.ts'
import type { ManagerDashboard } from './dashboard.server.ts'
import type { Formatters } from './formatters.ts'

/** A CSV value: text, a number, or empty. */
export type CsvValue = string | number | null

/** One cell: what the page shows (`text`, as a link or a list when given) and what the CSV file gets
 *  (`csv`, the raw value, when it differs from the text). */
export type Cell = {
  text: string
  csv?: CsvValue
  href?: string
  list?: string[]
  /** A health level: shown as a badge whose word carries the meaning and colour only repeats it. */
  level?: string
}

export type Column<Row> = {
  /** Catalogue key of the header. */
  header: string
  numeric?: boolean
  /** Kept on one line (dates and times). */
  nowrap?: boolean
  /** Only in the CSV file (a raw companion of a formatted column, such as a currency code). */
  csvOnly?: boolean
  cell(row: Row, f: Formatters): Cell
}

type Source = 'dashboard' | 'account'
type DataOf<S extends Source> = S extends 'dashboard' ? ManagerDashboard : AccountPage

export type TableSpec<Row, S extends Source = Source> = {
  source: S
  /** Catalogue key of the caption (also the CSV file's subject). */
  caption: string
  columns: Column<Row>[]
  rows(data: DataOf<S>): Row[]
}

export const text = (value: string, csv?: CsvValue): Cell =>
  csv === undefined ? { text: value } : { text: value, csv }
export const int = (f: Formatters, value: number): Cell => ({ text: f.int(value), csv: value })
/** A ratio shown as a percentage, written to CSV as a percentage rounded to one decimal. */
export const percent = (f: Formatters, value: number | null): Cell => ({
  text: f.percent(value),
  csv: value === null ? null : Math.round(value * 1000) / 10,
})
export const money = (f: Formatters, minor: number | null, currency: string): Cell =>
  minor === null
    ? { text: f.none, csv: null }
    : { text: f.money(minor, currency), csv: minor / 10 ** currencyDigits(currency) }
export const day = (f: Formatters, value: string | null): Cell => ({ text: f.day(value), csv: value })
export const dateTime = (f: Formatters, value: Date | string | null): Cell => ({
  text: f.dateTime(value),
  csv: value ? isoInZone(new Date(value), f.timeZone) : null,
})
export const level = (f: Formatters, value: string | null): Cell =>
  value ? { text: f.t(`scoring.level.${value}`), csv: value, level: value } : { text: f.none, csv: null }
export const tier = (f: Formatters, value: string): Cell => ({
  text: f.t(`manage_dashboard.tier.${value}`),
  csv: value,
})
export const memberLevel = (f: Formatters, value: string): Cell => ({
  text: f.t(`manage_dashboard.member_level.${value}`),
  csv: value,
})
export const play = (f: Formatters, value: string): Cell => ({ text: f.t(`scoring.play.${value}.title`), csv: value })
export const accountLink = (name: string, id: number): Cell => ({ text: name, href: `/manage/accounts/${id}` })

/** "2026-05-01 09:30" in the reader's zone: a form spreadsheets read as a date and time. */
function isoInZone(value: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(value)
  } catch {
    return value.toISOString()
  }
}

export const score = (f: Formatters, value: number | null): Cell =>
  value === null ? { text: f.none, csv: null } : { text: f.decimal(value, 1), csv: value }
