/** A report table as a CSV file, and the links to those files. The text of the file (quoting, formula
 *  guard, BOM) is written by `app/lib/csv.server.ts` (`csvResponse`); this module picks the rows and
 *  the raw value of every column. A plain module: the pages build the links with it. */
import type { AccountTableName } from './account-columns.ts'
import { accountTables } from './account-columns.ts'
import type { AccountPage } from './account-page.server.ts'
import type { Column, CsvValue, TableSpec } from './columns.ts'
import type { ManagerDashboard } from './dashboard.server.ts'
import type { DashboardTableName } from './dashboard-columns.ts'
import { dashboardTables } from './dashboard-columns.ts'
import type { Formatters } from './formatters.ts'

export type TableName = DashboardTableName | AccountTableName

export function isDashboardTable(name: string): name is DashboardTableName {
  return Object.hasOwn(dashboardTables, name)
}

export function isAccountTable(name: string): name is AccountTableName {
  return Object.hasOwn(accountTables, name)
}

/** The link of a table's CSV file; `tier` keeps the dashboard's touch-tier choice (all when absent). */
export function csvHref(
  table: TableName,
  { days, accountId, tier }: { days: number; accountId?: number; tier?: string },
): string {
  const params = new URLSearchParams({ days: String(days) })
  if (accountId !== undefined) params.set('account', String(accountId))
  if (tier && tier !== 'all') params.set('tier', tier)
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
