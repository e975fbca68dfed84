/** The health check page's tables (`/manage/health-check`): what each cell shows on the page and
 *  writes to its CSV file (`/manage/health-check.csv?table=…`). A plain module. */
import type { Column } from './columns.ts'
import { accountLink, day, int, level, percent, text } from './columns.ts'
import type { Formatters } from './formatters.ts'
import type { EventRow, LevelRow, MeasureRow } from './track-record.ts'

export type EventTableRow = EventRow & { accountName: string }

/** An AUC with three decimals ("0.781"), or the none mark. */
export function aucText(f: Formatters, value: number | null): string {
  return value === null ? f.none : f.decimal(value, 3)
}

const aucCell = (f: Formatters, value: number | null) => ({
  text: aucText(f, value),
  csv: value === null ? null : Math.round(value * 1000) / 1000,
})

const levelColumns: Column<LevelRow>[] = [
  { header: 'health_check.col.level', cell: (row, f) => level(f, row.level) },
  { header: 'health_check.col.samples', numeric: true, cell: (row, f) => int(f, row.samples) },
  { header: 'health_check.col.churned', numeric: true, cell: (row, f) => int(f, row.churned) },
  { header: 'health_check.col.churn_rate', numeric: true, cell: (row, f) => percent(f, row.rate) },
  {
    header: 'health_check.col.churned_or_contracted',
    numeric: true,
    cell: (row, f) => int(f, row.churnedOrContracted),
  },
  { header: 'health_check.col.any_rate', numeric: true, cell: (row, f) => percent(f, row.rateAny) },
]

const measureColumns: Column<MeasureRow>[] = [
  {
    header: 'health_check.col.measure',
    cell: (row, f) => text(f.t(`scoring.measure.${row.measure}.title`), row.measure),
  },
  { header: 'health_check.col.samples_with_data', numeric: true, cell: (row, f) => int(f, row.samples) },
  { header: 'health_check.col.churned', numeric: true, cell: (row, f) => int(f, row.churned) },
  { header: 'health_check.col.auc', numeric: true, cell: (row, f) => aucCell(f, row.auc) },
  { header: 'health_check.col.auc_any', numeric: true, cell: (row, f) => aucCell(f, row.aucAny) },
]

const lookback = (index: number, header: string): Column<EventTableRow> => ({
  header,
  cell: (row, f) => level(f, row.before[index]?.level ?? null),
})

const eventColumns: Column<EventTableRow>[] = [
  { header: 'health_check.col.account', cell: (row) => accountLink(row.accountName, row.accountId) },
  { header: 'health_check.col.account_id', csvOnly: true, cell: (row) => text(String(row.accountId), row.accountId) },
  { header: 'health_check.col.kind', cell: (row, f) => text(f.t(`health_check.kind.${row.kind}`), row.kind) },
  { header: 'health_check.col.day', nowrap: true, cell: (row, f) => day(f, row.day) },
  lookback(0, 'health_check.col.before_30'),
  lookback(1, 'health_check.col.before_60'),
  lookback(2, 'health_check.col.before_90'),
]

export const healthCheckTables = {
  levels: { caption: 'health_check.levels.caption', columns: levelColumns },
  measures: { caption: 'health_check.measures.caption', columns: measureColumns },
  events: { caption: 'health_check.events.caption', columns: eventColumns },
} as const

export type HealthCheckTable = keyof typeof healthCheckTables

export function isHealthCheckTable(name: string | null): name is HealthCheckTable {
  return name !== null && Object.hasOwn(healthCheckTables, name)
}

/** The link of a table's CSV file. */
export function healthCheckCsvHref(table: HealthCheckTable): string {
  return `/manage/health-check.csv?table=${table}`
}
