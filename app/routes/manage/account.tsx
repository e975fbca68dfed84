import { Link } from 'react-router'
import { ScoreHistoryChart } from '#app/components/manage/charts.tsx'
import { DataTable, LevelBadge, SupportFigureCards } from '#app/components/manage/data-table.tsx'
import { PeriodForm } from '#app/components/manage/period-form.tsx'
import { OutcomeHistoryTable } from '#app/components/outcome-history.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { accountTables, measureRows } from '#app/domain/reporting/account-columns.ts'
import { type AccountMilestones, getAccountMilestones } from '#app/domain/reporting/account-milestones.server.ts'
import { getAccountPage } from '#app/domain/reporting/account-page.server.ts'
import { csvHref } from '#app/domain/reporting/csv.ts'
import { createFormatters, type Formatters } from '#app/domain/reporting/formatters.ts'
import { dashboardPeriods, parsePeriodDays } from '#app/domain/reporting/periods.ts'
import { formatDate } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import type { Route } from './+types/account'

/** Rows shown of the long lists; the CSV file has them all. */
const LIST_ROWS = 50

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  pageTitle(matches, (t) => loaderData?.account.name ?? t('manage_dashboard.account.title'), {
    section: 'manage_dashboard.title',
  })

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'manage.dashboard')
  const accountId = intParam(params.accountId)
  const days = parsePeriodDays(new URL(request.url).searchParams.get('days'), dashboardPeriods)
  const db = getDb(context)
  const outcome = await getAccountPage(db, { actor, accountId, days })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const milestones = await getAccountMilestones(db, { actor, accountId })
  if (!milestones.ok) throw failureResponse(context, milestones)
  return { ...outcome.value, milestones: milestones.value }
}

export default function ManageAccount({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const f = createFormatters(t, locale, timeZone)
  const { account, latest, previous, history, days, support } = loaderData
  const csv = (table: keyof typeof accountTables) => csvHref(table, { days, accountId: account.id })
  const firstDay = new Date(loaderData.from).toISOString().slice(0, 10)
  const lastDay = new Date(loaderData.to).toISOString().slice(0, 10)
  const scored = history.filter((point) => point.score !== null)
  const first = scored[0]
  const last = scored[scored.length - 1]
  const chartSummary =
    first && last
      ? t('manage_dashboard.account.chart_summary', {
          from: f.decimal(first.score ?? 0, 1),
          fromDay: f.day(first.day),
          to: f.decimal(last.score ?? 0, 1),
          toDay: f.day(last.day),
          level: t(`scoring.level.${last.level}`),
          count: history.length,
        })
      : t('manage_dashboard.account.chart_empty')

  return (
    <div className="stack manage-account">
      <p>
        <Link to={`/manage?days=${days}`}>{t('manage_dashboard.account.back')}</Link>
      </p>
      <h1>{account.name}</h1>
      <dl className="facts">
        <dt>{t('manage_dashboard.col.tier')}</dt>
        <dd>{latest ? t(`manage_dashboard.tier.${latest.tier}`) : f.none}</dd>
        <dt>{t('manage_dashboard.account.plan')}</dt>
        <dd>{account.plan ?? f.none}</dd>
        <dt>{t('manage_dashboard.col.arr')}</dt>
        <dd>{account.arrMinor === null ? f.none : f.money(account.arrMinor, account.arrCurrency)}</dd>
        <dt>{t('manage_dashboard.account.seats')}</dt>
        <dd>{account.seats === null ? f.none : f.int(account.seats)}</dd>
        <dt>{t('manage_dashboard.account.contract_start')}</dt>
        <dd>{f.day(account.contractStart)}</dd>
        <dt>{t('manage_dashboard.col.renewal')}</dt>
        <dd>{f.day(account.renewalDate)}</dd>
        <dt>{t('manage_dashboard.col.csm')}</dt>
        <dd>{account.csmName ?? f.none}</dd>
        {account.churnedAt ? (
          <>
            <dt>{t('manage_dashboard.account.churned')}</dt>
            <dd>{f.dateTime(account.churnedAt)}</dd>
          </>
        ) : null}
      </dl>
      <PeriodForm
        action={`/manage/accounts/${account.id}`}
        days={days}
        periods={loaderData.periods}
        from={loaderData.from}
        to={loaderData.to}
        locale={locale}
        timeZone={timeZone}
      />
      {loaderData.milestones.young ? <MilestonesSection milestones={loaderData.milestones} f={f} /> : null}

      <section className="stack manage-section" aria-labelledby="account-health">
        <h2 id="account-health">{t('manage_dashboard.account.health_title')}</h2>
        {latest ? (
          <div className="manage-health-now">
            <p className="manage-health-level">
              <LevelBadge level={latest.level} />{' '}
              {t('manage_dashboard.account.score', {
                score: latest.score === null ? f.none : f.decimal(latest.score, 1),
                coverage: f.percent(latest.coverage),
              })}
            </p>
            <p>{t('manage_dashboard.account.as_of', { day: f.day(latest.day), since: f.day(latest.levelSince) })}</p>
            <p>{f.pick(latest.summary)}</p>
            <h3>{t('manage_dashboard.account.changed_title')}</h3>
            <p>
              {previous
                ? latest.change
                  ? t('manage_dashboard.account.changed_since', {
                      day: f.day(previous.day),
                      change: f.pick(latest.change),
                    })
                  : t('manage_dashboard.account.changed_nothing', { day: f.day(previous.day) })
                : t('manage_dashboard.account.no_previous')}
            </p>
            <h3>{t('manage_dashboard.account.play_title')}</h3>
            <p>
              <strong>{t(`scoring.play.${latest.play}.title`)}</strong>
            </p>
            <p>{f.pick(latest.playReason)}</p>
          </div>
        ) : (
          <p className="empty">{t('manage_dashboard.account.no_snapshot')}</p>
        )}
        {latest ? (
          <>
            <h3>{t('manage_dashboard.account.measures_title')}</h3>
            <DataTable
              spec={accountTables['account-measures']}
              rows={measureRows({ latest, previous })}
              f={f}
              csv={csv('account-measures')}
              empty={t('manage_dashboard.account.no_snapshot')}
              rowKey={(row) => row.component.measure}
            />
          </>
        ) : null}
      </section>

      <section className="stack manage-section" aria-labelledby="account-history">
        <h2 id="account-history">{t('manage_dashboard.account.history_title')}</h2>
        <ScoreHistoryChart
          id="account-history-chart"
          title={t('manage_dashboard.account.chart_title')}
          summary={chartSummary}
          tableLabel={t('manage_dashboard.chart_table')}
          points={history}
          from={firstDay}
          to={lastDay}
          thresholds={loaderData.thresholds}
          labels={{
            good: t('manage_dashboard.account.band_label', {
              level: t('scoring.level.GOOD'),
              from: f.int(loaderData.thresholds.goodFrom),
            }),
            normal: t('manage_dashboard.account.band_label', {
              level: t('scoring.level.NORMAL'),
              from: f.int(loaderData.thresholds.normalFrom),
            }),
            bad: t('scoring.level.BAD'),
          }}
          formatDay={f.shortDay}
          table={
            <DataTable
              spec={accountTables['account-history']}
              rows={history}
              f={f}
              csv={csv('account-history')}
              empty={t('manage_dashboard.account.chart_empty')}
              rowKey={(row) => row.day}
            />
          }
        />
      </section>

      <section className="stack manage-section" aria-labelledby="account-outcomes">
        <h2 id="account-outcomes">{t('outcomes.section.manage_title')}</h2>
        <OutcomeHistoryTable rows={loaderData.outcomes} compact />
      </section>

      <section className="stack manage-section" aria-labelledby="account-members">
        <h2 id="account-members">{t('manage_dashboard.account.members_title')}</h2>
        <DataTable
          spec={accountTables['account-members']}
          rows={loaderData.members}
          f={f}
          csv={csv('account-members')}
          empty={t('manage_dashboard.account.members_empty')}
          rowKey={(row) => row.userId}
        />
      </section>

      <section className="stack manage-section" aria-labelledby="account-support">
        <h2 id="account-support">{t('manage_dashboard.account.support_title')}</h2>
        <SupportFigureCards support={support} f={f} only={['tickets', 'deflected', 'rate', 'cost']} />
        <h3>{t('manage_dashboard.account.tickets_title')}</h3>
        <DataTable
          spec={accountTables['account-tickets']}
          rows={loaderData.tickets}
          f={f}
          csv={csv('account-tickets')}
          empty={t('manage_dashboard.account.tickets_empty')}
          limit={LIST_ROWS}
          rowKey={(row) => row.id}
        />
        <h3>{t('manage_dashboard.account.deflections_title')}</h3>
        <DataTable
          spec={accountTables['account-deflections']}
          rows={loaderData.deflections}
          f={f}
          csv={csv('account-deflections')}
          empty={t('manage_dashboard.account.deflections_empty')}
          limit={LIST_ROWS}
          rowKey={(row) => row.id}
        />
      </section>

      <section className="stack manage-section" aria-labelledby="account-events">
        <h2 id="account-events">{t('manage_dashboard.account.events_title')}</h2>
        <DataTable
          spec={accountTables['account-events']}
          rows={loaderData.eventsAttended}
          f={f}
          csv={csv('account-events')}
          empty={t('manage_dashboard.account.events_empty')}
          limit={LIST_ROWS}
          rowKey={(row, index) => `${row.eventId}-${index}`}
        />
      </section>
      {loaderData.milestones.young ? null : <MilestonesSection milestones={loaderData.milestones} f={f} />}
    </div>
  )
}

/** The account's onboarding milestones (docs/decisions/039): near the top while the account is young
 *  (its first 90 days), at the end, folded, after that. */
function MilestonesSection({ milestones, f }: { milestones: AccountMilestones; f: Formatters }) {
  const { t } = useT()
  const reached = (milestone: AccountMilestones['memberJoined']) =>
    milestone.at
      ? t('onboarding.milestones.reached_on', {
          date: formatDate(milestone.at, f.locale, f.timeZone),
          day: f.int(milestone.day ?? 1),
        })
      : t('onboarding.milestones.not_yet', { days: f.int(milestones.ageDays) })
  const { seats } = milestones
  const seatsText = !seats.final
    ? t('onboarding.milestones.seats_so_far', { active: f.int(seats.active), date: f.day(seats.windowEnd) })
    : seats.share === null || seats.seats === null
      ? t('onboarding.milestones.seats_unknown', { active: f.int(seats.active) })
      : t('onboarding.milestones.seats_share', {
          share: f.percent(seats.share),
          active: f.int(seats.active),
          seats: f.int(seats.seats),
        })
  const rows = [
    { id: 'member_joined', value: reached(milestones.memberJoined), done: !!milestones.memberJoined.at },
    { id: 'member_active', value: reached(milestones.memberActive), done: !!milestones.memberActive.at },
    { id: 'first_question', value: reached(milestones.firstQuestion), done: !!milestones.firstQuestion.at },
    { id: 'first_event', value: reached(milestones.firstEvent), done: !!milestones.firstEvent.at },
    { id: 'seats_active', value: seatsText, done: seats.final },
  ] as const
  const table = (
    <dl className="facts milestones">
      {rows.map((row) => (
        <div key={row.id} className="milestone" data-milestone={row.id}>
          <dt>{t(`onboarding.milestones.${row.id}`)}</dt>
          <dd>{row.value}</dd>
        </div>
      ))}
    </dl>
  )
  const started = t('onboarding.milestones.started', {
    date: f.day(milestones.startDay),
    days: f.int(milestones.ageDays),
  })
  if (!milestones.young) {
    return (
      <section className="stack manage-section" aria-labelledby="account-milestones">
        <h2 id="account-milestones">{t('onboarding.milestones.title')}</h2>
        <details>
          <summary>{t('onboarding.milestones.lead_older')}</summary>
          <p>{started}</p>
          {table}
        </details>
      </section>
    )
  }
  return (
    <section className="stack manage-section panel" aria-labelledby="account-milestones">
      <h2 id="account-milestones">{t('onboarding.milestones.title')}</h2>
      <p>{t('onboarding.milestones.lead_young')}</p>
      <p>{started}</p>
      {table}
    </section>
  )
}
