import type { ReactNode } from 'react'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { formatDate, formatMoney } from '#app/lib/format.ts'

/** One row of an account's outcome history as the pages show it. */
export type OutcomeHistoryItem = {
  id: number
  kind: string
  effectiveOn: string
  arrBeforeMinor: number
  arrAfterMinor: number
  currency: string
  nextRenewalOn: string | null
  reason: string | null
  note: string | null
  source: string
  recordedByName: string | null
}

/** An account's outcomes, newest first: kind, effective day, ARR before → after in the account's
 *  currency, next renewal, reason, note, source and who recorded it. `actions` adds a last column (the
 *  admin's remove button); `compact` leaves out the note, source and recorder (the manager's page). */
export function OutcomeHistoryTable({
  rows,
  actions,
  compact = false,
}: {
  rows: readonly OutcomeHistoryItem[]
  actions?: (row: OutcomeHistoryItem) => ReactNode
  compact?: boolean
}) {
  const { t } = useT()
  const { locale } = useViewer()
  const none = <span className="muted">—</span>
  if (rows.length === 0) return <p>{t('outcomes.section.empty')}</p>
  return (
    <TableScroll label={t('outcomes.section.history_caption')}>
      <table>
        <caption className="visually-hidden">{t('outcomes.section.history_caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('outcomes.section.columns.kind')}</th>
            <th scope="col">{t('outcomes.section.columns.effective')}</th>
            <th scope="col">{t('outcomes.section.columns.arr')}</th>
            <th scope="col">{t('outcomes.section.columns.next_renewal')}</th>
            <th scope="col">{t('outcomes.section.columns.reason')}</th>
            {compact ? null : (
              <>
                <th scope="col">{t('outcomes.section.columns.note')}</th>
                <th scope="col">{t('outcomes.section.columns.source')}</th>
                <th scope="col">{t('outcomes.section.columns.by')}</th>
              </>
            )}
            {actions ? <th scope="col">{t('outcomes.section.columns.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-outcome={row.kind}>
              <td>{t(`outcomes.kinds.${row.kind}`)}</td>
              <td>{formatDate(row.effectiveOn, locale)}</td>
              <td>
                {formatMoney(row.arrBeforeMinor, row.currency, locale)} →{' '}
                {formatMoney(row.arrAfterMinor, row.currency, locale)}
              </td>
              <td>{row.nextRenewalOn ? formatDate(row.nextRenewalOn, locale) : none}</td>
              <td>{row.reason ? t(`outcomes.reasons.${row.reason}`) : none}</td>
              {compact ? null : (
                <>
                  <td>{row.note ?? none}</td>
                  <td>{t(`outcomes.sources.${row.source}`)}</td>
                  <td>{row.recordedByName ?? t('outcomes.section.nobody')}</td>
                </>
              )}
              {actions ? <td>{actions(row)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  )
}
