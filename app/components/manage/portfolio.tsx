import { Form } from 'react-router'
import { DivergingBarChart } from '#app/components/manage/charts.tsx'
import { DataTable, StatCards } from '#app/components/manage/data-table.tsx'
import { useT } from '#app/components/translation.tsx'
import { csvHref } from '#app/domain/reporting/csv.ts'
import { dashboardTables } from '#app/domain/reporting/dashboard-columns.ts'
import type { Formatters } from '#app/domain/reporting/formatters.ts'
import type { MovementRow, PortfolioKpis, PortfolioReport, PortfolioTier } from '#app/domain/reporting/portfolio.ts'
import { addDays } from '#app/lib/days.ts'
import { intlLocale } from '#app/lib/format.ts'
import './manage.css'
import './portfolio.css'

/** What the section reads: the loader's `PortfolioReport` (`portfolio.ts`), as it serialises it. */
export type PortfolioSectionData = PortfolioReport

/** Rows shown of the renewing accounts; the CSV file has them all. */
const RENEWING_ROWS = 50

/** The tier selector: a GET form that keeps the period (`days`), so it works without JavaScript and the
 *  choice is in the address and in every CSV link. */
export function PortfolioTierForm({
  days,
  tier,
  tiers,
}: {
  days: number
  tier: PortfolioTier
  tiers: readonly PortfolioTier[]
}) {
  const { t } = useT()
  return (
    <Form method="get" action="/manage" className="toolbar" aria-label={t('manage_dashboard.portfolio.tier_form')}>
      <input type="hidden" name="days" value={days} />
      <div className="field">
        <label htmlFor="manage-portfolio-tier">{t('manage_dashboard.portfolio.tier_label')}</label>
        <select id="manage-portfolio-tier" name="tier" key={tier} defaultValue={tier}>
          {tiers.map((option) => (
            <option key={option} value={option}>
              {option === 'all' ? t('manage_dashboard.portfolio.tier.all') : t(`manage_dashboard.tier.${option}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button">
        {t('manage_dashboard.portfolio.apply')}
      </button>
    </Form>
  )
}

/** The headline KPIs of the selected tier, each with its formula in words and with its numbers. */
export function PortfolioStatCards({ kpis, days, f }: { kpis: PortfolioKpis; days: number; f: Formatters }) {
  const { t } = f
  const yen = (value: number | null) => (value === null ? f.none : f.money(Math.round(value), 'JPY'))
  const movement = kpis.movement
  const ltvHint =
    kpis.ltvJpy === null ? (
      t(
        kpis.ltvUndefined === 'no_loss'
          ? 'manage_dashboard.portfolio.ltv_no_loss'
          : 'manage_dashboard.portfolio.ltv_no_customers',
      )
    ) : (
      <>
        {t('manage_dashboard.portfolio.ltv_hint', {
          arpa: yen(kpis.arpaJpy),
          margin: f.percent(kpis.grossMargin),
          rate: f.percent(kpis.revenueChurnAnnual),
        })}{' '}
        {t('manage_dashboard.portfolio.ltv_rate_hint', { period: f.percent(kpis.revenueChurnPeriod), days })}
      </>
    )
  return (
    <StatCards
      stats={[
        {
          id: 'logo-churn',
          label: t('manage_dashboard.portfolio.logo_churn'),
          value: f.percent(kpis.logoChurnRate),
          hint: t('manage_dashboard.portfolio.logo_churn_hint', {
            churned: f.int(kpis.churnedLogos),
            logos: f.int(kpis.logosStart),
          }),
        },
        {
          id: 'grr',
          label: t('manage_dashboard.portfolio.grr'),
          value: f.percent(kpis.grr),
          hint: t('manage_dashboard.portfolio.grr_hint', {
            start: yen(kpis.arrStartJpy),
            contraction: yen(kpis.cohort.contraction),
            churn: yen(kpis.cohort.churn),
          }),
        },
        {
          id: 'nrr',
          label: t('manage_dashboard.portfolio.nrr'),
          value: f.percent(kpis.nrr),
          hint: t('manage_dashboard.portfolio.nrr_hint', {
            start: yen(kpis.arrStartJpy),
            expansion: yen(kpis.cohort.expansion),
            contraction: yen(kpis.cohort.contraction),
            churn: yen(kpis.cohort.churn),
          }),
        },
        {
          id: 'ltv',
          label: t('manage_dashboard.portfolio.ltv'),
          value: kpis.ltvJpy === null ? t('manage_dashboard.portfolio.ltv_undefined_short') : yen(kpis.ltvJpy),
          hint: ltvHint,
        },
        {
          id: 'arr',
          label: t('manage_dashboard.portfolio.arr'),
          value: yen(kpis.arrEndJpy),
          hint: t('manage_dashboard.portfolio.arr_hint', {
            start: yen(kpis.arrStartJpy),
            end: yen(kpis.arrEndJpy),
            new: yen(movement.new),
            expansion: yen(movement.expansion),
            contraction: yen(movement.contraction),
            churn: yen(movement.churn),
          }),
        },
      ]}
    />
  )
}

/** The "Retention and revenue" section of the manager dashboard: tier selector, KPI cards, the ARR
 *  movement as a chart (server-rendered SVG with its summary and table) and as a table, the KPIs per
 *  tier, and the renewals of the next 30/60/90 days with their health and the ARR at risk. */
export function PortfolioSection({
  portfolio,
  days,
  f,
}: {
  portfolio: PortfolioSectionData
  days: number
  f: Formatters
}) {
  const { t } = useT()
  const { tier, kpis, series, movement } = portfolio
  const csv = (table: keyof typeof dashboardTables) => csvHref(table, { days, tier })
  const yen = (value: number) => f.money(value, 'JPY')
  const compact = new Intl.NumberFormat(intlLocale(f.locale), {
    style: 'currency',
    currency: 'JPY',
    notation: 'compact',
    maximumFractionDigits: 1,
  })
  const total = (kind: MovementRow['kind']) => movement.find((row) => row.kind === kind)?.jpy ?? 0
  return (
    <section className="stack manage-section manage-portfolio" aria-labelledby="manage-portfolio">
      <h2 id="manage-portfolio">{t('manage_dashboard.portfolio.title')}</h2>
      <p>{t('manage_dashboard.portfolio.lead')}</p>
      <PortfolioTierForm days={days} tier={tier} tiers={portfolio.tiers} />
      <p className="manage-snapshot-note">
        {t('manage_dashboard.portfolio.period_note', {
          from: f.day(portfolio.startDay),
          last: f.day(addDays(portfolio.endDay, -1)),
          days: portfolio.days,
        })}
      </p>
      <PortfolioStatCards kpis={kpis} days={portfolio.days} f={f} />

      <DivergingBarChart
        id="manage-portfolio-chart"
        title={t('manage_dashboard.portfolio.chart_title')}
        summary={t(`manage_dashboard.portfolio.chart_summary_${portfolio.granularity}`, {
          from: f.day(portfolio.startDay),
          new: yen(total('new')),
          expansion: yen(total('expansion')),
          contraction: yen(total('contraction')),
          churn: yen(total('churn')),
          net: yen(total('net')),
        })}
        tableLabel={t('manage_dashboard.chart_table')}
        series={[
          { label: t('manage_dashboard.portfolio.kind.new'), direction: 'up' },
          { label: t('manage_dashboard.portfolio.kind.expansion'), direction: 'up' },
          { label: t('manage_dashboard.portfolio.kind.contraction'), direction: 'down' },
          { label: t('manage_dashboard.portfolio.kind.churn'), direction: 'down' },
        ]}
        groups={series.map((bucket) => ({
          label: f.shortDay(bucket.bucket),
          values: [bucket.new, bucket.expansion, bucket.contraction, bucket.churn],
        }))}
        formatValue={(value) => compact.format(value)}
        table={
          <div id="manage-portfolio-series">
            <DataTable
              spec={dashboardTables['portfolio-series']}
              rows={series}
              f={f}
              csv={csv('portfolio-series')}
              empty={t('manage_dashboard.portfolio.series_empty')}
              rowKey={(row) => row.bucket}
            />
          </div>
        }
      />

      <h3>{t('manage_dashboard.portfolio.movement_title')}</h3>
      <div id="manage-portfolio-movement">
        <DataTable
          spec={dashboardTables['portfolio-movement']}
          rows={movement}
          f={f}
          csv={csv('portfolio-movement')}
          empty={t('manage_dashboard.portfolio.series_empty')}
          rowKey={(row) => row.kind}
        />
      </div>

      <h3>{t('manage_dashboard.portfolio.tiers_title')}</h3>
      <div id="manage-portfolio-tiers">
        <DataTable
          spec={dashboardTables['portfolio-tiers']}
          rows={portfolio.byTier}
          f={f}
          csv={csv('portfolio-tiers')}
          empty={t('manage_dashboard.portfolio.series_empty')}
          rowKey={(row) => row.tier}
        />
      </div>

      <h3>{t('manage_dashboard.portfolio.renewals_title')}</h3>
      <p>{t('manage_dashboard.portfolio.renewals_lead', { today: f.day(portfolio.today) })}</p>
      <div id="manage-portfolio-renewals">
        <DataTable
          spec={dashboardTables['portfolio-renewals']}
          rows={portfolio.renewals}
          f={f}
          csv={csv('portfolio-renewals')}
          empty={t('manage_dashboard.portfolio.renewing_empty')}
          rowKey={(row) => row.days}
        />
      </div>
      <h3>{t('manage_dashboard.portfolio.renewing_title')}</h3>
      <div id="manage-portfolio-renewing">
        <DataTable
          spec={dashboardTables['portfolio-renewing']}
          rows={portfolio.renewing}
          f={f}
          csv={csv('portfolio-renewing')}
          empty={t('manage_dashboard.portfolio.renewing_empty')}
          limit={RENEWING_ROWS}
          rowKey={(row) => row.accountId}
        />
      </div>
    </section>
  )
}
