/** The tables of the manager dashboard (`/manage`), by the name their CSV link uses. A plain module. */

import {
  accountLink,
  type Cell,
  type Column,
  dateTime,
  day,
  int,
  level,
  memberLevel,
  money,
  percent,
  play,
  score,
  type TableSpec,
  text,
  tier,
} from './columns.ts'
import type { AccountFigures, WeeklySupport } from './deflection.server.ts'
import { deflectionRate } from './deflection.ts'
import type { EventInsightRow } from './event-results.server.ts'
import type {
  AtRiskAccount,
  BandTierCount,
  Contributor,
  InsufficientDataAccount,
  LevelChangeRow,
} from './health-overview.server.ts'
import type { MovementBucket, MovementRow, PortfolioKpis, RenewalWindowRow, RenewingAccount } from './portfolio.ts'

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
      cell: (row, f) => percent(f, deflectionRate(row.explicit, row.filed)),
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
      nowrap: true,
      cell: (row, f) => (row.tier ? tier(f, row.tier) : text(f.t('manage_dashboard.health.all_tiers'), 'all')),
    },
    { header: 'scoring.level.GOOD', numeric: true, cell: (row, f) => int(f, row.GOOD) },
    { header: 'scoring.level.NORMAL', numeric: true, cell: (row, f) => int(f, row.NORMAL) },
    { header: 'scoring.level.BAD', numeric: true, cell: (row, f) => int(f, row.BAD) },
    { header: 'scoring.level.INSUFFICIENT_DATA', numeric: true, cell: (row, f) => int(f, row.INSUFFICIENT_DATA) },
    { header: 'manage_dashboard.col.total', numeric: true, cell: (row, f) => int(f, bandTotal(row)) },
  ],
}

const changed: TableSpec<LevelChangeRow, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.health.changed_caption',
  rows: (data) => data.health.changed,
  columns: [
    { header: 'manage_dashboard.col.account', cell: (row) => accountLink(row.accountName, row.accountId) },
    { header: 'manage_dashboard.col.tier', nowrap: true, cell: (row, f) => tier(f, row.tier) },
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
    { header: 'manage_dashboard.col.tier', nowrap: true, cell: (row, f) => tier(f, row.tier) },
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
    { header: 'manage_dashboard.col.tier', nowrap: true, cell: (row, f) => tier(f, row.tier) },
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

/** An amount in whole JPY (the portfolio tables convert every currency at the scoring rates). */
const yen = (f: Parameters<typeof money>[0], value: number | null): Cell => money(f, value, 'JPY')

/** A tier of the portfolio section, or all accounts. */
const portfolioTier = (f: Parameters<typeof money>[0], value: string): Cell =>
  value === 'all' ? text(f.t('manage_dashboard.portfolio.tier.all'), 'all') : tier(f, value)

const portfolioTiersTable: TableSpec<PortfolioKpis, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.portfolio.tiers_caption',
  rows: (data) => data.portfolio.byTier,
  // On the page the rates and their base; the movement by kind, ARR at end and ARPA are in the CSV file
  // (and, for the chosen tier, in the cards and the movement table).
  columns: [
    { header: 'manage_dashboard.col.tier', nowrap: true, cell: (row, f) => portfolioTier(f, row.tier) },
    { header: 'manage_dashboard.portfolio.col.logos_start', numeric: true, cell: (row, f) => int(f, row.logosStart) },
    {
      header: 'manage_dashboard.portfolio.col.churned_logos',
      numeric: true,
      cell: (row, f) => int(f, row.churnedLogos),
    },
    {
      header: 'manage_dashboard.portfolio.col.logo_churn',
      numeric: true,
      cell: (row, f) => percent(f, row.logoChurnRate),
    },
    { header: 'manage_dashboard.portfolio.col.arr_start', numeric: true, cell: (row, f) => yen(f, row.arrStartJpy) },
    {
      header: 'manage_dashboard.portfolio.kind.new',
      csvOnly: true,
      numeric: true,
      cell: (row, f) => yen(f, row.movement.new),
    },
    {
      header: 'manage_dashboard.portfolio.kind.expansion',
      csvOnly: true,
      numeric: true,
      cell: (row, f) => yen(f, row.movement.expansion),
    },
    {
      header: 'manage_dashboard.portfolio.kind.contraction',
      csvOnly: true,
      numeric: true,
      cell: (row, f) => yen(f, row.movement.contraction),
    },
    {
      header: 'manage_dashboard.portfolio.kind.churn',
      csvOnly: true,
      numeric: true,
      cell: (row, f) => yen(f, row.movement.churn),
    },
    {
      header: 'manage_dashboard.portfolio.col.arr_end',
      csvOnly: true,
      numeric: true,
      cell: (row, f) => yen(f, row.arrEndJpy),
    },
    { header: 'manage_dashboard.portfolio.col.grr', numeric: true, cell: (row, f) => percent(f, row.grr) },
    { header: 'manage_dashboard.portfolio.col.nrr', numeric: true, cell: (row, f) => percent(f, row.nrr) },
    {
      header: 'manage_dashboard.portfolio.col.revenue_churn',
      numeric: true,
      cell: (row, f) => percent(f, row.revenueChurnAnnual),
    },
    {
      header: 'manage_dashboard.portfolio.col.arpa',
      csvOnly: true,
      numeric: true,
      cell: (row, f) => yen(f, row.arpaJpy),
    },
    {
      header: 'manage_dashboard.portfolio.col.ltv',
      numeric: true,
      cell: (row, f) =>
        row.ltvJpy === null
          ? { text: f.t('manage_dashboard.portfolio.ltv_undefined_short'), csv: null }
          : yen(f, Math.round(row.ltvJpy)),
    },
  ],
}

const movementTable: TableSpec<MovementRow, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.portfolio.movement_caption',
  rows: (data) => data.portfolio.movement,
  columns: [
    {
      header: 'manage_dashboard.portfolio.col.movement',
      cell: (row, f) => text(f.t(`manage_dashboard.portfolio.kind.${row.kind}`), row.kind),
    },
    { header: 'manage_dashboard.portfolio.col.arr_jpy', numeric: true, cell: (row, f) => yen(f, row.jpy) },
  ],
}

const seriesTable: TableSpec<MovementBucket, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.portfolio.series_caption',
  rows: (data) => data.portfolio.series,
  columns: [
    {
      header: 'manage_dashboard.portfolio.col.bucket',
      nowrap: true,
      cell: (row, f) => day(f, row.bucket),
    },
    { header: 'manage_dashboard.portfolio.kind.new', numeric: true, cell: (row, f) => yen(f, row.new) },
    { header: 'manage_dashboard.portfolio.kind.expansion', numeric: true, cell: (row, f) => yen(f, row.expansion) },
    {
      header: 'manage_dashboard.portfolio.kind.contraction',
      numeric: true,
      cell: (row, f) => yen(f, row.contraction),
    },
    { header: 'manage_dashboard.portfolio.kind.churn', numeric: true, cell: (row, f) => yen(f, row.churn) },
    { header: 'manage_dashboard.portfolio.kind.net', numeric: true, cell: (row, f) => yen(f, row.net) },
  ],
}

const renewalsTable: TableSpec<RenewalWindowRow, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.portfolio.renewals_caption',
  rows: (data) => data.portfolio.renewals,
  columns: [
    {
      header: 'manage_dashboard.portfolio.col.window',
      cell: (row, f) => text(f.t('manage_dashboard.portfolio.window', { count: row.days }), row.days),
    },
    { header: 'manage_dashboard.portfolio.col.renewing', numeric: true, cell: (row, f) => int(f, row.accounts) },
    { header: 'manage_dashboard.portfolio.col.arr_jpy', numeric: true, cell: (row, f) => yen(f, row.arrJpy) },
    {
      header: 'manage_dashboard.portfolio.col.at_risk_accounts',
      numeric: true,
      cell: (row, f) => int(f, row.atRiskAccounts),
    },
    {
      header: 'manage_dashboard.portfolio.col.arr_at_risk',
      numeric: true,
      cell: (row, f) => yen(f, row.atRiskArrJpy),
    },
  ],
}

const renewingTable: TableSpec<RenewingAccount, 'dashboard'> = {
  source: 'dashboard',
  caption: 'manage_dashboard.portfolio.renewing_caption',
  rows: (data) => data.portfolio.renewing,
  columns: [
    { header: 'manage_dashboard.col.account', cell: (row) => accountLink(row.accountName, row.accountId) },
    { header: 'manage_dashboard.col.renewal', nowrap: true, cell: (row, f) => day(f, row.renewalDate) },
    {
      header: 'manage_dashboard.portfolio.col.days_until',
      numeric: true,
      cell: (row, f) => int(f, row.daysUntil),
    },
    { header: 'manage_dashboard.col.tier', nowrap: true, cell: (row, f) => tier(f, row.tier) },
    { header: 'manage_dashboard.col.arr', numeric: true, cell: (row, f) => money(f, row.arrMinor, row.arrCurrency) },
    { header: 'manage_dashboard.col.arr_currency', csvOnly: true, cell: (row) => text(row.arrCurrency) },
    { header: 'manage_dashboard.portfolio.col.arr_jpy', numeric: true, cell: (row, f) => yen(f, row.arrJpy) },
    {
      header: 'manage_dashboard.col.level',
      cell: (row, f) =>
        row.level && row.level !== 'BAD' && row.candidateLevel === 'BAD'
          ? {
              text: f.t('manage_dashboard.portfolio.heading_bad', { level: f.t(`scoring.level.${row.level}`) }),
              csv: row.level,
              level: row.level,
            }
          : level(f, row.level),
    },
    {
      header: 'manage_dashboard.portfolio.col.candidate',
      csvOnly: true,
      cell: (row) => text(row.candidateLevel ?? '', row.candidateLevel),
    },
    {
      header: 'manage_dashboard.portfolio.col.at_risk',
      cell: (row, f) =>
        text(
          f.t(row.atRisk ? 'manage_dashboard.portfolio.yes' : 'manage_dashboard.portfolio.no'),
          row.atRisk ? 'yes' : 'no',
        ),
    },
  ],
}

/** Every table of the dashboard, by the name its CSV link uses. */
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
  'portfolio-tiers': portfolioTiersTable,
  'portfolio-movement': movementTable,
  'portfolio-series': seriesTable,
  'portfolio-renewals': renewalsTable,
  'portfolio-renewing': renewingTable,
} as const

export type DashboardTableName = keyof typeof dashboardTables
