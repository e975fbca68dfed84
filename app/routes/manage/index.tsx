import { GroupedBarChart } from '#app/components/manage/charts.tsx'
import { DataTable, StatCards, SupportFigureCards } from '#app/components/manage/data-table.tsx'
import { PeriodForm } from '#app/components/manage/period-form.tsx'
import { PortfolioSection } from '#app/components/manage/portfolio.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { csvHref } from '#app/domain/reporting/csv.ts'
import { getManagerDashboard } from '#app/domain/reporting/dashboard.server.ts'
import { bandRows, dashboardTables } from '#app/domain/reporting/dashboard-columns.ts'
import { createFormatters } from '#app/domain/reporting/formatters.ts'
import { dashboardPeriods, parsePeriodDays } from '#app/domain/reporting/periods.ts'
import { parsePortfolioTier } from '#app/domain/reporting/portfolio.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import type { Route } from './+types/index'

/** Rows shown of the long lists; the CSV file has them all. */
const LIST_ROWS = 50

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'manage_dashboard.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'manage.dashboard')
  const params = new URL(request.url).searchParams
  const days = parsePeriodDays(params.get('days'), dashboardPeriods)
  const tier = parsePortfolioTier(params.get('tier'))
  const outcome = await getManagerDashboard(getDb(context), { actor, days, tier })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return outcome.value
}

export default function ManagerDashboard({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const f = createFormatters(t, locale, timeZone)
  const { days, support, weekly, community, health, events } = loaderData
  const csv = (table: keyof typeof dashboardTables) => csvHref(table, { days })
  const totals = weekly.reduce(
    (sum, week) => ({
      tickets: sum.tickets + week.tickets,
      explicit: sum.explicit + week.explicit,
      implicit: sum.implicit + week.implicit,
    }),
    { tickets: 0, explicit: 0, implicit: 0 },
  )

  return (
    <div className="stack manage-dashboard">
      <h1>{t('manage_dashboard.title')}</h1>
      <p className="lead">{t('manage_dashboard.lead')}</p>
      <PeriodForm
        action="/manage"
        keep={loaderData.portfolio.tier === 'all' ? undefined : { tier: loaderData.portfolio.tier }}
        days={days}
        periods={loaderData.periods}
        from={loaderData.from}
        to={loaderData.to}
        locale={locale}
        timeZone={timeZone}
      />

      <PortfolioSection portfolio={loaderData.portfolio} days={days} f={f} />

      <section className="stack manage-section" aria-labelledby="manage-deflection">
        <h2 id="manage-deflection">{t('manage_dashboard.deflection.title')}</h2>
        <p>{t('manage_dashboard.deflection.lead')}</p>
        <SupportFigureCards support={support} f={f} />
        <GroupedBarChart
          id="manage-weekly-chart"
          title={t('manage_dashboard.deflection.chart_title')}
          summary={t('manage_dashboard.deflection.chart_summary', {
            count: weekly.length,
            tickets: f.int(totals.tickets),
            explicit: f.int(totals.explicit),
            implicit: f.int(totals.implicit),
          })}
          tableLabel={t('manage_dashboard.chart_table')}
          series={[
            { label: t('manage_dashboard.col.tickets') },
            { label: t('manage_dashboard.col.explicit') },
            { label: t('manage_dashboard.col.implicit') },
          ]}
          groups={weekly.map((week) => ({
            label: f.shortDay(week.week),
            values: [week.tickets, week.explicit, week.implicit],
          }))}
          formatValue={f.int}
          table={
            <DataTable
              spec={dashboardTables['deflection-weekly']}
              rows={weekly}
              f={f}
              csv={csv('deflection-weekly')}
              empty={t('manage_dashboard.deflection.weekly_empty')}
              rowKey={(row) => row.week}
            />
          }
        />
        <p className="field-hint">{t('manage_dashboard.deflection.weeks_hint')}</p>
        <h3>{t('manage_dashboard.deflection.accounts_title')}</h3>
        <DataTable
          spec={dashboardTables['deflection-accounts']}
          rows={loaderData.byAccount}
          f={f}
          csv={csv('deflection-accounts')}
          empty={t('manage_dashboard.deflection.accounts_empty')}
          limit={LIST_ROWS}
          rowKey={(row) => row.accountId}
        />
      </section>

      <section className="stack manage-section" aria-labelledby="manage-community">
        <h2 id="manage-community">{t('manage_dashboard.community.title')}</h2>
        <StatCards
          stats={[
            {
              id: 'active',
              label: t('manage_dashboard.community.active_members'),
              value: f.int(community.activeMembers),
              hint: t('manage_dashboard.community.active_members_hint'),
            },
            {
              id: 'questions',
              label: t('manage_dashboard.community.questions'),
              value: f.int(community.questions),
            },
            {
              id: 'answered',
              label: t('manage_dashboard.community.answered'),
              value: f.percent(community.answeredRate),
              hint: t('manage_dashboard.community.answered_hint', {
                answered: f.int(community.answered),
                questions: f.int(community.questions),
                accepted: f.int(community.accepted),
              }),
            },
            {
              id: 'median',
              label: t('manage_dashboard.community.median_first_answer'),
              value: f.duration(community.medianFirstAnswerSeconds),
              hint: t('manage_dashboard.community.median_first_answer_hint'),
            },
            {
              id: 'customers',
              label: t('manage_dashboard.community.by_customers'),
              value: f.percent(community.customerFirstAnswerShare),
              hint: t('manage_dashboard.community.by_customers_hint', {
                customers: f.int(community.firstAnswersByCustomers),
                staff: f.int(community.firstAnswersByStaff),
              }),
            },
            {
              id: 'accepted',
              label: t('manage_dashboard.community.accepted_by_customers'),
              value: f.percent(community.customerAcceptedShare),
              hint: t('manage_dashboard.community.accepted_by_customers_hint', {
                customers: f.int(community.acceptedByCustomers),
                staff: f.int(community.acceptedByStaff),
              }),
            },
          ]}
        />
        <h3>{t('manage_dashboard.community.contributors_title')}</h3>
        <SnapshotNote day={health.day} f={f} />
        <DataTable
          spec={dashboardTables['community-contributors']}
          rows={health.contributors}
          f={f}
          csv={csv('community-contributors')}
          empty={t('manage_dashboard.community.contributors_empty')}
          rowKey={(row) => row.userId}
        />
        <h3>{t('manage_dashboard.community.champions_title')}</h3>
        <DataTable
          spec={dashboardTables['community-champions']}
          rows={health.champions}
          f={f}
          csv={csv('community-champions')}
          empty={t('manage_dashboard.community.champions_empty')}
          limit={LIST_ROWS}
          rowKey={(row) => row.userId}
        />
      </section>

      <section className="stack manage-section" aria-labelledby="manage-health">
        <h2 id="manage-health">{t('manage_dashboard.health.title')}</h2>
        {health.day === null ? (
          <p className="empty">{t('manage_dashboard.health.no_snapshot')}</p>
        ) : (
          <>
            <p className="manage-snapshot-note">
              {health.comparedDay
                ? t('manage_dashboard.health.snapshot_compared', {
                    day: f.day(health.day),
                    compared: f.day(health.comparedDay),
                  })
                : t('manage_dashboard.health.snapshot', { day: f.day(health.day) })}
            </p>
            <h3>{t('manage_dashboard.health.bands_title')}</h3>
            <DataTable
              spec={dashboardTables['health-bands']}
              rows={bandRows(health.bands)}
              f={f}
              csv={csv('health-bands')}
              empty={t('manage_dashboard.health.no_snapshot')}
              rowKey={(row) => row.tier ?? 'all'}
            />
            <h3>{t('manage_dashboard.health.at_risk_title')}</h3>
            <p>{t('manage_dashboard.health.at_risk_lead')}</p>
            <DataTable
              spec={dashboardTables['health-at-risk']}
              rows={health.atRisk}
              f={f}
              csv={csv('health-at-risk')}
              empty={t('manage_dashboard.health.at_risk_empty')}
              limit={LIST_ROWS}
              rowKey={(row) => row.accountId}
            />
            <h3>{t('manage_dashboard.health.changed_title')}</h3>
            <DataTable
              spec={dashboardTables['health-changed']}
              rows={health.changed}
              f={f}
              csv={csv('health-changed')}
              empty={
                health.comparedDay
                  ? t('manage_dashboard.health.changed_empty')
                  : t('manage_dashboard.health.changed_no_compare')
              }
              limit={LIST_ROWS}
              rowKey={(row) => row.accountId}
            />
            <h3>{t('manage_dashboard.health.insufficient_title')}</h3>
            <p>{t('manage_dashboard.health.insufficient_lead')}</p>
            <DataTable
              spec={dashboardTables['health-insufficient']}
              rows={health.insufficient}
              f={f}
              csv={csv('health-insufficient')}
              empty={t('manage_dashboard.health.insufficient_empty')}
              limit={LIST_ROWS}
              rowKey={(row) => row.accountId}
            />
          </>
        )}
      </section>

      <section className="stack manage-section" aria-labelledby="manage-events">
        <h2 id="manage-events">{t('manage_dashboard.events.title')}</h2>
        <StatCards
          stats={[
            {
              id: 'registrations',
              label: t('manage_dashboard.events.registrations'),
              value: f.int(events.registrations),
              hint: t('manage_dashboard.events.registrations_hint', {
                waitlisted: f.int(events.waitlisted),
                cancelled: f.int(events.cancelled),
              }),
            },
            {
              id: 'attendance',
              label: t('manage_dashboard.events.attendance_rate'),
              value: f.percent(events.attendanceRate),
              hint: t('manage_dashboard.events.attendance_rate_hint', {
                attended: f.int(events.attended),
                noShows: f.int(events.noShows),
                events: f.int(events.eventsEnded),
                unmarked: f.int(events.unmarked),
              }),
            },
            {
              id: 'rating',
              label: t('manage_dashboard.events.rating'),
              value: events.averageRating === null ? f.none : f.decimal(events.averageRating, 1),
              hint: t('manage_dashboard.events.rating_hint', { answers: f.int(events.answers) }),
            },
            {
              id: 'nps',
              label: t('manage_dashboard.events.nps'),
              value: events.nps === null ? f.none : f.int(events.nps),
              hint: t('manage_dashboard.events.nps_hint', {
                promoters: f.int(events.promoters),
                passives: f.int(events.passives),
                detractors: f.int(events.detractors),
              }),
            },
          ]}
        />
        <h3>{t('manage_dashboard.events.list_title')}</h3>
        <DataTable
          spec={dashboardTables.events}
          rows={events.events}
          f={f}
          csv={csv('events')}
          empty={t('manage_dashboard.events.empty')}
          limit={LIST_ROWS}
          rowKey={(row) => row.eventId}
        />
      </section>
    </div>
  )
}

function SnapshotNote({ day, f }: { day: string | null; f: ReturnType<typeof createFormatters> }) {
  if (!day) return <p className="manage-snapshot-note">{f.t('manage_dashboard.community.no_snapshot')}</p>
  return <p className="manage-snapshot-note">{f.t('manage_dashboard.community.snapshot', { day: f.day(day) })}</p>
}
