/** The relationship NPS trend table: what the page shows and the CSV file writes. A plain module. */
import { type Column, int, text } from './columns.ts'
import type { NpsTrendRow } from './nps-report.server.ts'

export const npsTrendTable: { caption: string; columns: Column<NpsTrendRow>[] } = {
  caption: 'nps.manage.trend_caption',
  columns: [
    { header: 'nps.manage.columns.quarter', nowrap: true, cell: (row) => text(row.quarter) },
    {
      header: 'nps.manage.columns.tier',
      nowrap: true,
      cell: (row, f) =>
        text(row.tier === 'all' ? f.t('nps.manage.all_tiers') : f.t(`nps.manage.tier_names.${row.tier}`), row.tier),
    },
    { header: 'nps.manage.columns.answers', numeric: true, cell: (row, f) => int(f, row.answers) },
    { header: 'nps.manage.columns.promoters', numeric: true, cell: (row, f) => int(f, row.promoters) },
    { header: 'nps.manage.columns.passives', numeric: true, cell: (row, f) => int(f, row.passives) },
    { header: 'nps.manage.columns.detractors', numeric: true, cell: (row, f) => int(f, row.detractors) },
    {
      header: 'nps.manage.columns.nps',
      numeric: true,
      cell: (row, f) => (row.nps === null ? text(f.none, null) : { text: f.int(row.nps), csv: row.nps }),
    },
  ],
}
