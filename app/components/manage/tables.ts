import type { TFunction } from 'i18next'
import type { EventInsightRow } from '#app/domain/events/insights.server.ts'
import type {
  AccountDeflection,
  AccountEventAttended,
  AccountMember,
  AccountPage,
  AccountTicket,
  AtRiskAccount,
  BandTierCount,
  Contributor,
  HistoryPoint,
  InsufficientDataAccount,
  LevelChangeRow,
  ManagerDashboard,
} from '#app/domain/scoring/dashboard.server.ts'
import { ordinal } from '#app/domain/scoring/reasons.ts'
import type { AccountFigures, WeeklySupport } from '#app/domain/support/figures.server.ts'
import { currencyDigits, formatDate, formatDateTime, formatMoney } from '#app/lib/format.ts'
import type { Locale } from '#app/lib/i18n.ts'
import type { StoredHealthComponent } from '#db/schema/scoring.ts'

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
  const intl = locale === 'ja' ? 'ja-JP' : 'en-US'
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

const text = (value: string, csv?: CsvValue): Cell => (csv === undefined ? { text: value } : { text: value, csv })
const int = (f: Formatters, value: number): Cell => ({ text: f.int(value), csv: value })
/** A ratio shown as a percentage, written to CSV as a percentage rounded to one decimal. */
const percent = (f: Formatters, value: number | null): Cell => ({
  text: f.percent(value),
  csv: value === null ? null : Math.round(value * 1000) / 10,
})
const money = (f: Formatters, minor: number | null, currency: string): Cell =>
  minor === null
    ? { text: f.none, csv: null }
    : { text: f.money(minor, currency), csv: minor / 10 ** currencyDigits(currency) }
const day = (f: Formatters, value: string | null): Cell => ({ text: f.day(value), csv: value })
const dateTime = (f: Formatters, value: Date | string | null): Cell => ({
  text: f.dateTime(value),
  csv: value ? isoInZone(new Date(value), f.timeZone) : null,
})
const level = (f: Formatters, value: string | null): Cell =>
  value ? { text: f.t(`scoring.level.${value}`), csv: value, level: value } : { text: f.none, csv: null }
const tier = (f: Formatters, value: string): Cell => ({ text: f.t(`manage_dashboard.tier.${value}`), csv: value })
const memberLevel = (f: Formatters, value: string): Cell => ({
  text: f.t(`manage_dashboard.member_level.${value}`),
  csv: value,
})
const play = (f: Formatters, value: string): Cell => ({ text: f.t(`scoring.play.${value}.title`), csv: value })
const accountLink = (name: string, id: number): Cell => ({ text: name, href: `/manage/accounts/${id}` })

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

const weekly: TableSpec<WeeklySupport, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.deflection.weekly_caption',
  rows: (data) => data.weekly,
  columns: [
    { header: 'manage_dashboard.col.week', nowrap: true, cell: (row, f) => day(f, row.week) },
    { header: 'manage_dashboard.col.tickets', numeric: true, cell: (row, f) => int(f, row.tickets) },
    { header: 'manage_dashboard.col.filed', numeric: true, cell: (row, f) => int(f, row.filed) },
    { header: 'manage_dashboard.col.explicit', numeric: true, cell: (row, f) => int(f, row.explicit) },
    { header: 'manage_dashboard.col.implicit', numeric: true, cell: (row, f) => int(f, row.implicit) },
    {
      header: 'manage_dashboard.col.deflection_rate',
      numeric: true,
      cell: (row, f) => percent(f, row.explicit + row.filed === 0 ? null : row.explicit / (row.explicit + row.filed)),
    },
  ],
}

const byAccount: TableSpec<AccountFigures, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.deflection.accounts_caption',
  rows: (data) => data.byAccount,
  columns: [
    { header: 'manage_dashboard.col.account', cell: (row) => accountLink(row.accountName, row.accountId) },
    { header: 'manage_dashboard.col.tickets', numeric: true, cell: (row, f) => int(f, row.tickets) },
    { header: 'manage_dashboard.col.explicit', numeric: true, cell: (row, f) => int(f, row.explicit) },
    { header: 'manage_dashboard.col.implicit', numeric: true, cell: (row, f) => int(f, row.implicit) },
    {
      header: 'manage_dashboard.col.deflection_rate',
      numeric: true,
      cell: (row, f) => percent(f, row.deflectionRate),
    },
    {
      header: 'manage_dashboard.col.deflection_rate_upper',
      numeric: true,
      cell: (row, f) => percent(f, row.deflectionRateUpper),
    },
    {
      header: 'manage_dashboard.col.cost_saved',
      numeric: true,
      cell: (row, f) => money(f, row.costSavedMinor, row.cost.currency),
    },
    {
      header: 'manage_dashboard.col.cost_saved_upper',
      numeric: true,
      cell: (row, f) => money(f, row.costSavedUpperMinor, row.cost.currency),
    },
    { header: 'manage_dashboard.col.currency', csvOnly: true, cell: (row) => text(row.cost.currency) },
    {
      header: 'manage_dashboard.col.self_service',
      numeric: true,
      cell: (row, f) =>
        row.selfServiceRatio === null
          ? { text: f.none, csv: null }
          : { text: f.decimal(row.selfServiceRatio, 2), csv: Math.round(row.selfServiceRatio * 100) / 100 },
    },
    {
      header: 'manage_dashboard.col.community_rate',
      numeric: true,
      cell: (row, f) => percent(f, row.communityAnswerRate),
    },
  ],
}

const contributorColumns: Column<Contributor>[] = [
  { header: 'manage_dashboard.col.member', cell: (row) => ({ text: row.displayName, href: `/users/${row.userId}` }) },
  {
    header: 'manage_dashboard.col.account',
    cell: (row, f) =>
      row.accountId === null ? text(f.none, null) : accountLink(row.accountName ?? f.none, row.accountId),
  },
  { header: 'manage_dashboard.col.level', cell: (row, f) => memberLevel(f, row.level) },
  {
    header: 'manage_dashboard.col.points',
    numeric: true,
    cell: (row, f) => ({ text: f.decimal(row.points, 1), csv: Math.round(row.points * 10) / 10 }),
  },
  { header: 'manage_dashboard.col.last_active', nowrap: true, cell: (row, f) => dateTime(f, row.lastActiveAt) },
]

const contributors: TableSpec<Contributor, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.community.contributors_caption',
  rows: (data) => data.health.contributors,
  columns: contributorColumns,
}

const champions: TableSpec<Contributor, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.community.champions_caption',
  rows: (data) => data.health.champions,
  columns: contributorColumns,
}

/** One row of the band × tier table. */
export type BandRow = { tier: string | null; GOOD: number; NORMAL: number; BAD: number; INSUFFICIENT_DATA: number }

/** The band × tier counts as one row per tier and a total row (tier null). */
export function bandRows(bands: BandTierCount[]): BandRow[] {
  const rows = new Map<string, BandRow>()
  const total: BandRow = { tier: null, GOOD: 0, NORMAL: 0, BAD: 0, INSUFFICIENT_DATA: 0 }
  for (const cell of bands) {
    const row = rows.get(cell.tier) ?? { tier: cell.tier, GOOD: 0, NORMAL: 0, BAD: 0, INSUFFICIENT_DATA: 0 }
    row[cell.level] += cell.accounts
    total[cell.level] += cell.accounts
    rows.set(cell.tier, row)
  }
  return [...rows.values(), total]
}

const bandTotal = (row: BandRow) => row.GOOD + row.NORMAL + row.BAD + row.INSUFFICIENT_DATA

const bands: TableSpec<BandRow, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.health.bands_caption',
  rows: (data) => bandRows(data.health.bands),
  columns: [
    {
      header: 'manage_dashboard.col.tier',
      cell: (row, f) => (row.tier ? tier(f, row.tier) : text(f.t('manage_dashboard.health.all_tiers'), 'all')),
    },
    { header: 'scoring.level.GOOD', numeric: true, cell: (row, f) => int(f, row.GOOD) },
    { header: 'scoring.level.NORMAL', numeric: true, cell: (row, f) => int(f, row.NORMAL) },
    { header: 'scoring.level.BAD', numeric: true, cell: (row, f) => int(f, row.BAD) },
    { header: 'scoring.level.INSUFFICIENT_DATA', numeric: true, cell: (row, f) => int(f, row.INSUFFICIENT_DATA) },
    { header: 'manage_dashboard.col.total', numeric: true, cell: (row, f) => int(f, bandTotal(row)) },
  ],
}

const score = (f: Formatters, value: number | null): Cell =>
  value === null ? { text: f.none, csv: null } : { text: f.decimal(value, 1), csv: value }

const changed: TableSpec<LevelChangeRow, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.health.changed_caption',
  rows: (data) => data.health.changed,
  columns: [
    { header: 'manage_dashboard.col.account', cell: (row) => accountLink(row.accountName, row.accountId) },
    { header: 'manage_dashboard.col.tier', cell: (row, f) => tier(f, row.tier) },
    { header: 'manage_dashboard.col.level_before', cell: (row, f) => level(f, row.from) },
    { header: 'manage_dashboard.col.level_now', cell: (row, f) => level(f, row.to) },
    { header: 'manage_dashboard.col.score_before', numeric: true, cell: (row, f) => score(f, row.previousScore) },
    { header: 'manage_dashboard.col.score_now', numeric: true, cell: (row, f) => score(f, row.score) },
    { header: 'manage_dashboard.col.what_changed', cell: (row, f) => text(f.pick(row.change ?? row.summary)) },
  ],
}

const atRisk: TableSpec<AtRiskAccount, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.health.at_risk_caption',
  rows: (data) => data.health.atRisk,
  columns: [
    { header: 'manage_dashboard.col.account', cell: (row) => accountLink(row.accountName, row.accountId) },
    {
      header: 'manage_dashboard.col.band',
      cell: (row, f) =>
        row.falling
          ? {
              text: f.t('manage_dashboard.health.falling', { level: f.t('scoring.level.NORMAL') }),
              csv: 'NORMAL',
              level: 'NORMAL',
            }
          : level(f, row.level),
    },
    { header: 'manage_dashboard.col.tier', cell: (row, f) => tier(f, row.tier) },
    { header: 'manage_dashboard.col.score', numeric: true, cell: (row, f) => score(f, row.score) },
    { header: 'manage_dashboard.col.arr', numeric: true, cell: (row, f) => money(f, row.arrMinor, row.arrCurrency) },
    { header: 'manage_dashboard.col.arr_currency', csvOnly: true, cell: (row) => text(row.arrCurrency) },
    { header: 'manage_dashboard.col.renewal', nowrap: true, cell: (row, f) => day(f, row.renewalDate) },
    { header: 'manage_dashboard.col.csm', cell: (row, f) => text(row.csmName ?? f.none, row.csmName) },
    {
      header: 'manage_dashboard.col.reasons',
      cell: (row, f) => {
        const list = [f.pick(row.summary), ...row.reasons.map((reason) => f.pick(reason.reason))]
        return { text: list.join(' '), list, csv: list.join('\n') }
      },
    },
    { header: 'manage_dashboard.col.play', cell: (row, f) => play(f, row.play) },
    { header: 'manage_dashboard.col.play_reason', cell: (row, f) => text(f.pick(row.playReason)) },
  ],
}

const insufficient: TableSpec<InsufficientDataAccount, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.health.insufficient_caption',
  rows: (data) => data.health.insufficient,
  columns: [
    { header: 'manage_dashboard.col.account', cell: (row) => accountLink(row.accountName, row.accountId) },
    { header: 'manage_dashboard.col.tier', cell: (row, f) => tier(f, row.tier) },
    { header: 'manage_dashboard.col.coverage', numeric: true, cell: (row, f) => percent(f, row.coverage) },
    { header: 'manage_dashboard.col.since', nowrap: true, cell: (row, f) => day(f, row.levelSince) },
    { header: 'manage_dashboard.col.summary', cell: (row, f) => text(f.pick(row.summary)) },
    { header: 'manage_dashboard.col.play', cell: (row, f) => play(f, row.play) },
  ],
}

const eventRows: TableSpec<EventInsightRow, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.events.caption',
  rows: (data) => data.events.events,
  columns: [
    {
      header: 'manage_dashboard.col.event',
      cell: (row) => ({ text: row.title, href: `/events/${row.eventId}/results` }),
    },
    {
      header: 'manage_dashboard.col.kind',
      cell: (row, f) => ({ text: f.t(`events.kinds.${row.kind}`), csv: row.kind }),
    },
    { header: 'manage_dashboard.col.starts', nowrap: true, cell: (row, f) => dateTime(f, row.startsAt) },
    { header: 'manage_dashboard.col.seats', numeric: true, cell: (row, f) => int(f, row.seats) },
    { header: 'manage_dashboard.col.attended', numeric: true, cell: (row, f) => int(f, row.attended) },
    { header: 'manage_dashboard.col.no_shows', numeric: true, cell: (row, f) => int(f, row.noShows) },
    {
      header: 'manage_dashboard.col.attendance_rate',
      numeric: true,
      cell: (row, f) => percent(f, row.attendanceRate),
    },
    { header: 'manage_dashboard.col.answers', numeric: true, cell: (row, f) => int(f, row.answers) },
    {
      header: 'manage_dashboard.col.rating',
      numeric: true,
      cell: (row, f) =>
        row.averageRating === null
          ? { text: f.none, csv: null }
          : { text: f.decimal(row.averageRating, 1), csv: Math.round(row.averageRating * 10) / 10 },
    },
    {
      header: 'manage_dashboard.col.nps',
      numeric: true,
      cell: (row, f) => (row.nps === null ? { text: f.none, csv: null } : { text: f.int(row.nps), csv: row.nps }),
    },
  ],
}

/** A measure of the latest snapshot with how it stood in the one before. */
export type MeasureRow = { component: StoredHealthComponent; before: StoredHealthComponent | null; compared: boolean }

export function measureRows(page: Pick<AccountPage, 'latest' | 'previous'>): MeasureRow[] {
  if (!page.latest) return []
  const before = new Map((page.previous?.components ?? []).map((component) => [component.measure, component]))
  return page.latest.components.map((component) => ({
    component,
    before: before.get(component.measure) ?? null,
    compared: page.previous !== null,
  }))
}

const band = (f: Formatters, value: string | null): Cell =>
  value
    ? { text: f.t(`scoring.level.${value}`), csv: value, level: value }
    : { text: f.t('manage_dashboard.no_data'), csv: null }

const measures: TableSpec<MeasureRow, 'account'> = {
  source: 'account',
  caption: 'manage_dashboard.account.measures_caption',
  rows: measureRows,
  columns: [
    {
      header: 'manage_dashboard.col.measure',
      cell: (row, f) => ({ text: f.t(`scoring.measure.${row.component.measure}.title`), csv: row.component.measure }),
    },
    { header: 'manage_dashboard.col.band', cell: (row, f) => band(f, row.component.band) },
    {
      header: 'manage_dashboard.col.value',
      numeric: true,
      cell: (row, f) => ({
        text: f.measureValue(row.component.measure, row.component.value),
        csv: row.component.value,
      }),
    },
    {
      header: 'manage_dashboard.col.weight',
      numeric: true,
      cell: (row, f) => ({ text: f.decimal(row.component.weight, 2), csv: row.component.weight }),
    },
    { header: 'manage_dashboard.col.reason', cell: (row, f) => text(f.pick(row.component.reason)) },
    {
      header: 'manage_dashboard.col.since_last',
      cell: (row, f) => {
        if (!row.compared) return text(f.t('manage_dashboard.account.no_previous'))
        const { component, before } = row
        const sameBand = (before?.band ?? null) === component.band
        const sameValue = (before?.value ?? null) === component.value
        if (sameBand && sameValue) return text(f.t('manage_dashboard.account.unchanged'))
        const bandText = (value: string | null | undefined) =>
          value ? f.t(`scoring.level.${value}`) : f.t('manage_dashboard.no_data')
        return text(
          f.t('manage_dashboard.account.moved', {
            from: `${bandText(before?.band)} (${f.measureValue(component.measure, before?.value ?? null)})`,
            to: `${bandText(component.band)} (${f.measureValue(component.measure, component.value)})`,
          }),
        )
      },
    },
  ],
}

const history: TableSpec<HistoryPoint, 'account'> = {
  source: 'account',
  caption: 'manage_dashboard.account.history_caption',
  rows: (data) => data.history,
  columns: [
    { header: 'manage_dashboard.col.day', nowrap: true, cell: (row, f) => day(f, row.day) },
    { header: 'manage_dashboard.col.band', cell: (row, f) => level(f, row.level) },
    { header: 'manage_dashboard.col.score', numeric: true, cell: (row, f) => score(f, row.score) },
    { header: 'manage_dashboard.col.coverage', numeric: true, cell: (row, f) => percent(f, row.coverage) },
  ],
}

const members: TableSpec<AccountMember, 'account'> = {
  source: 'account',
  caption: 'manage_dashboard.account.members_caption',
  rows: (data) => data.members,
  columns: [
    { header: 'manage_dashboard.col.member', cell: (row) => ({ text: row.displayName, href: `/users/${row.userId}` }) },
    { header: 'manage_dashboard.col.level', cell: (row, f) => memberLevel(f, row.level) },
    {
      header: 'manage_dashboard.col.points',
      numeric: true,
      cell: (row, f) => ({ text: f.decimal(row.points, 1), csv: Math.round(row.points * 10) / 10 }),
    },
    { header: 'manage_dashboard.col.last_active', nowrap: true, cell: (row, f) => dateTime(f, row.lastActiveAt) },
    {
      header: 'manage_dashboard.col.status',
      cell: (row, f) =>
        row.disabled
          ? { text: f.t('manage_dashboard.account.disabled'), csv: 'disabled' }
          : { text: f.t('manage_dashboard.account.active'), csv: 'active' },
    },
  ],
}

const accountTickets: TableSpec<AccountTicket, 'account'> = {
  source: 'account',
  caption: 'manage_dashboard.account.tickets_caption',
  rows: (data) => data.tickets,
  columns: [
    {
      header: 'manage_dashboard.col.ticket',
      cell: (row, f) => ({
        text: f.t('manage_dashboard.account.ticket_number', { id: row.id }),
        csv: row.id,
        href: `/support/tickets/${row.id}`,
      }),
    },
    { header: 'manage_dashboard.col.subject', cell: (row) => text(row.subject) },
    { header: 'manage_dashboard.col.requester', cell: (row) => text(row.requester) },
    {
      header: 'manage_dashboard.col.source',
      cell: (row, f) => ({ text: f.t(`manage_dashboard.ticket_source.${row.source}`), csv: row.source }),
    },
    {
      header: 'manage_dashboard.col.status',
      cell: (row, f) => ({ text: f.t(`support.status_staff.${row.status}`), csv: row.status }),
    },
    { header: 'manage_dashboard.col.created', nowrap: true, cell: (row, f) => dateTime(f, row.createdAt) },
  ],
}

const accountDeflections: TableSpec<AccountDeflection, 'account'> = {
  source: 'account',
  caption: 'manage_dashboard.account.deflections_caption',
  rows: (data) => data.deflections,
  columns: [
    { header: 'manage_dashboard.col.created', nowrap: true, cell: (row, f) => dateTime(f, row.createdAt) },
    { header: 'manage_dashboard.col.subject', cell: (row, f) => text(row.query || f.none, row.query) },
    { header: 'manage_dashboard.col.member', cell: (row, f) => text(row.member ?? f.none, row.member) },
    {
      header: 'manage_dashboard.col.outcome',
      cell: (row, f) => ({ text: f.t(`manage_dashboard.outcome.${row.outcome}`), csv: row.outcome }),
    },
  ],
}

const accountEvents: TableSpec<AccountEventAttended, 'account'> = {
  source: 'account',
  caption: 'manage_dashboard.account.events_caption',
  rows: (data) => data.eventsAttended,
  columns: [
    { header: 'manage_dashboard.col.event', cell: (row) => ({ text: row.title, href: `/events/${row.eventId}` }) },
    {
      header: 'manage_dashboard.col.kind',
      cell: (row, f) => ({ text: f.t(`events.kinds.${row.kind}`), csv: row.kind }),
    },
    { header: 'manage_dashboard.col.starts', nowrap: true, cell: (row, f) => dateTime(f, row.startsAt) },
    { header: 'manage_dashboard.col.member', cell: (row) => text(row.member) },
  ],
}

/** Every table of the dashboard and the account page, by the name its CSV link uses. */
export const dashboardTables = {
  'deflection-weekly': weekly,
  'deflection-accounts': byAccount,
  'community-contributors': contributors,
  'community-champions': champions,
  'health-bands': bands,
  'health-changed': changed,
  'health-at-risk': atRisk,
  'health-insufficient': insufficient,
  events: eventRows,
} as const

export const accountTables = {
  'account-measures': measures,
  'account-history': history,
  'account-members': members,
  'account-tickets': accountTickets,
  'account-deflections': accountDeflections,
  'account-events': accountEvents,
} as const

export type DashboardTableName = keyof typeof dashboardTables
export type AccountTableName = keyof typeof accountTables
export type TableName = DashboardTableName | AccountTableName

export function isDashboardTable(name: string): name is DashboardTableName {
  return Object.hasOwn(dashboardTables, name)
}

export function isAccountTable(name: string): name is AccountTableName {
  return Object.hasOwn(accountTables, name)
}

/** The link of a table's CSV file. */
export function csvHref(table: TableName, { days, accountId }: { days: number; accountId?: number }): string {
  const params = new URLSearchParams({ days: String(days) })
  if (accountId !== undefined) params.set('account', String(accountId))
  return `/manage/export/${table}?${params}`
}

/** A table as CSV: translated headers and the raw value of every column, the CSV-only ones included. */
export function tableCsv<Row>(
  spec: { columns: Column<Row>[] },
  rows: Row[],
  f: Formatters,
): { header: string[]; rows: CsvValue[][] } {
  return {
    header: spec.columns.map((column) => f.t(column.header)),
    rows: rows.map((row) =>
      spec.columns.map((column) => {
        const cell = column.cell(row, f)
        return cell.csv === undefined ? cell.text : cell.csv
      }),
    ),
  }
}

/** The CSV file of a dashboard table, from the dashboard's data. */
export function dashboardTableCsv(name: DashboardTableName, data: ManagerDashboard, f: Formatters) {
  // Each spec pairs its rows with its columns; the registry only loses which row type that is.
  const spec = dashboardTables[name] as unknown as TableSpec<unknown, 'dashboard'>
  return tableCsv(spec, spec.rows(data), f)
}

/** The CSV file of an account table, from the account page's data. */
export function accountTableCsv(name: AccountTableName, data: AccountPage, f: Formatters) {
  const spec = accountTables[name] as unknown as TableSpec<unknown, 'account'>
  return tableCsv(spec, spec.rows(data), f)
}
