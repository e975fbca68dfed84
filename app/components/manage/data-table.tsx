import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import type { Cell, Column } from '#app/domain/reporting/columns.ts'
import type { SupportFigures } from '#app/domain/reporting/deflection.ts'
import type { Formatters } from '#app/domain/reporting/formatters.ts'
import './manage.css'

function classOf(column: { numeric?: boolean; nowrap?: boolean }): string | undefined {
  if (column.numeric) return 'numeric'
  return column.nowrap ? 'manage-nowrap' : undefined
}

function CellContent({ cell }: { cell: Cell }) {
  if (cell.list && cell.list.length > 0) {
    return (
      <ul className="manage-reasons">
        {cell.list.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: reasons may repeat; their order is their identity.
          <li key={index}>{item}</li>
        ))}
      </ul>
    )
  }
  if (cell.href) return <Link to={cell.href}>{cell.text}</Link>
  if (cell.level) return <span className={`manage-level manage-level-${cell.level}`}>{cell.text}</span>
  return <>{cell.text}</>
}

/** A table of the dashboard: the columns of its spec (the same that write its CSV file), the first
 *  as row headers, a caption, at most `limit` rows with a note when there are more, and the link to
 *  the whole table as CSV. An empty table is a sentence instead. */
export function DataTable<Row>({
  spec,
  rows,
  f,
  csv,
  empty,
  limit,
  rowKey,
  caption,
}: {
  spec: { caption: string; columns: Column<Row>[] }
  rows: Row[]
  f: Formatters
  /** Where the CSV file of the whole table is. */
  csv: string
  empty: string
  limit?: number
  rowKey: (row: Row, index: number) => string | number
  /** Overrides the spec's caption text. */
  caption?: ReactNode
}) {
  const { t } = useT()
  const columns = spec.columns.filter((column) => !column.csvOnly)
  const shown = limit === undefined ? rows : rows.slice(0, limit)
  const captionText = caption ?? t(spec.caption)
  return (
    <div className="stack manage-table">
      {rows.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <TableScroll label={t(spec.caption)}>
          <table className="insights-table">
            {/* The heading above names the table for the eye; the caption names it for screen readers. */}
            <caption className="visually-hidden">{captionText}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header} scope="col" className={classOf(column)}>
                    {t(column.header)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row, index) => (
                <tr key={rowKey(row, index)}>
                  {columns.map((column, columnIndex) => {
                    const cell = column.cell(row, f)
                    const className = classOf(column)
                    return columnIndex === 0 ? (
                      <th key={column.header} scope="row" className={className}>
                        <CellContent cell={cell} />
                      </th>
                    ) : (
                      <td key={column.header} className={className}>
                        <CellContent cell={cell} />
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <p className="manage-table-footer">
        {shown.length < rows.length ? (
          <span>{t('manage_dashboard.showing', { shown: shown.length, total: rows.length })}</span>
        ) : null}
        {rows.length > 0 ? (
          // The name says which table; it starts with the visible words, so speech input finds it.
          <a href={csv} download aria-label={t('manage_dashboard.download_csv_of', { table: t(spec.caption) })}>
            {t('manage_dashboard.download_csv')}
          </a>
        ) : null}
      </p>
    </div>
  )
}

export type Stat = { id: string; label: string; value: string; hint?: ReactNode }

/** Headline figures: each number with what it counts. */
export function StatCards({ stats }: { stats: Stat[] }) {
  return (
    <dl className="followup-stats">
      {stats.map((stat) => (
        <div key={stat.id}>
          <dt>{stat.label}</dt>
          <dd>{stat.value}</dd>
          {stat.hint ? <dd className="followup-stat-hint">{stat.hint}</dd> : null}
        </div>
      ))}
    </dl>
  )
}

export type SupportFigureId = 'rate' | 'cost' | 'tickets' | 'deflected' | 'self-service' | 'community'

/** The support figures of a period as headline cards, each with what it is made of (docs/architecture.md section
 *  7): the dashboard shows them all, an account page the ones that make sense for one account. */
export function SupportFigureCards({
  support,
  f,
  only,
}: {
  support: SupportFigures
  f: Formatters
  only?: SupportFigureId[]
}) {
  const { t } = f
  const money = (minor: number) => f.money(minor, support.cost.currency)
  const stats: (Stat & { id: SupportFigureId })[] = [
    {
      id: 'rate',
      label: t('manage_dashboard.deflection.rate'),
      value: f.percent(support.deflectionRate),
      hint:
        support.deflectionRateUpper === null
          ? undefined
          : t('manage_dashboard.deflection.rate_hint', {
              explicit: f.int(support.explicit),
              filed: f.int(support.filed),
              low: f.percent(support.deflectionRate),
              high: f.percent(support.deflectionRateUpper),
            }),
    },
    {
      id: 'cost',
      label: t('manage_dashboard.deflection.cost_saved'),
      value: money(support.costSavedMinor),
      hint: t('manage_dashboard.deflection.cost_hint', {
        low: money(support.costSavedMinor),
        high: money(support.costSavedUpperMinor),
        cost: money(support.cost.amountMinor),
      }),
    },
    {
      id: 'tickets',
      label: t('manage_dashboard.deflection.tickets'),
      value: f.int(support.tickets),
      hint: t('manage_dashboard.deflection.tickets_hint', {
        portal: f.int(support.ticketsPortal),
        imported: f.int(support.ticketsImported),
      }),
    },
    {
      id: 'deflected',
      label: t('manage_dashboard.deflection.deflected'),
      value: f.int(support.explicit),
      hint: t('manage_dashboard.deflection.deflected_hint', { implicit: f.int(support.implicit) }),
    },
    {
      id: 'self-service',
      label: t('manage_dashboard.deflection.self_service'),
      value: support.selfServiceRatio === null ? f.none : f.decimal(support.selfServiceRatio, 2),
      hint: t('manage_dashboard.deflection.self_service_hint', {
        readers: f.int(support.helpReaders),
        filers: f.int(support.ticketFilers),
      }),
    },
    {
      id: 'community',
      label: t('manage_dashboard.deflection.community_rate'),
      value: f.percent(support.communityAnswerRate),
      hint: t('manage_dashboard.deflection.community_rate_hint', {
        community: f.int(support.communityAnswered),
        answered: f.int(support.answeredQuestions),
      }),
    },
  ]
  return <StatCards stats={only ? only.map((id) => stats.find((stat) => stat.id === id)!) : stats} />
}

/** A health level as a labelled badge: the word carries the meaning, the colour only repeats it. */
export function LevelBadge({ level }: { level: string }) {
  const { t } = useT()
  return <span className={`manage-level manage-level-${level}`}>{t(`scoring.level.${level}`)}</span>
}
