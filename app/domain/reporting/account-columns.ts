/** The tables of an account page (`/manage/accounts/:id`), by the name their CSV link uses. A plain
 *  module. */
import type { StoredHealthComponent } from '#db/schema/scoring.ts'
import type {
  AccountDeflection,
  AccountEventAttended,
  AccountMember,
  AccountPage,
  AccountTicket,
  HistoryPoint,
} from './account-page.server.ts'
import { type Cell, dateTime, day, level, memberLevel, percent, score, type TableSpec, text } from './columns.ts'
import type { Formatters } from './formatters.ts'

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

/** Every table of the account page, by the name its CSV link uses. */
export const accountTables = {
  'account-measures': measures,
  'account-history': history,
  'account-members': members,
  'account-tickets': accountTickets,
  'account-deflections': accountDeflections,
  'account-events': accountEvents,
} as const

export type AccountTableName = keyof typeof accountTables
