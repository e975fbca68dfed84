import { Form } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { formatDateTime } from '#app/lib/format.ts'
import type { Locale } from '#app/lib/i18n.ts'

/** The period picker: a GET form, so it works without JavaScript and the choice is in the address
 *  (and in every CSV link made from it). */
export function PeriodForm({
  action,
  days,
  periods,
  from,
  to,
  locale,
  timeZone,
  keep,
}: {
  action: string
  days: number
  periods: readonly number[]
  from: Date
  to: Date
  locale: Locale
  timeZone: string
  /** Other choices in the address that a new period keeps (the dashboard's tier). */
  keep?: Record<string, string>
}) {
  const { t } = useT()
  return (
    <div className="stack">
      <Form method="get" action={action} className="toolbar" aria-label={t('manage_dashboard.period.form')}>
        <div className="field">
          <label htmlFor="manage-period-days">{t('manage_dashboard.period.label')}</label>
          <select id="manage-period-days" name="days" key={days} defaultValue={String(days)}>
            {periods.map((option) => (
              <option key={option} value={option}>
                {t('manage_dashboard.period.days', { count: option })}
              </option>
            ))}
          </select>
        </div>
        {/* After the period, so the address reads `?days=…&tier=…` like the tier form's. */}
        {Object.entries(keep ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className="button">
          {t('manage_dashboard.period.apply')}
        </button>
      </Form>
      <p className="field-hint">
        {t('manage_dashboard.period.range', {
          from: formatDateTime(from, locale, timeZone),
          to: formatDateTime(to, locale, timeZone),
        })}
      </p>
    </div>
  )
}
