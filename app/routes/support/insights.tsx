import type { ReactNode } from 'react'
import { Form, Link, useSearchParams } from 'react-router'
import { Pagination } from '#app/components/pagination.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { can } from '#app/domain/identity/permissions.ts'
import type { SupportFigures } from '#app/domain/reporting/deflection.ts'
import { insightPeriods, parsePeriodDays } from '#app/domain/reporting/periods.ts'
import { getSupportInsights } from '#app/domain/reporting/support.server.ts'
import { type DeflectionOutcome, deflectionOutcomes } from '#app/domain/support/options.ts'
import { formatDateTime, formatMoney, intlLocale } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import type { Route } from './+types/insights'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'support_insights.title')

function isOutcome(value: unknown): value is DeflectionOutcome {
  return deflectionOutcomes.includes(value as DeflectionOutcome)
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'support.insights')
  const params = new URL(request.url).searchParams
  // Values the page does not offer (a hand-edited URL) fall back to the default view.
  const days = parsePeriodDays(params.get('days'), insightPeriods)
  const accountText = params.get('account') ?? ''
  const accountId = /^\d{1,9}$/.test(accountText) && Number(accountText) > 0 ? Number(accountText) : undefined
  const outcomeText = params.get('outcome')
  const outcome = isOutcome(outcomeText) ? outcomeText : undefined
  const page = pageParam(new URL(request.url))
  const result = await getSupportInsights(getDb(context), { actor, days, accountId, outcome, page })
  if (!result.ok) throw failureResponse(context, result)
  redirectPastLastPage(new URL(request.url), result.value.attempts)
  return {
    ...result.value,
    links: {
      import: can(actor, 'support.import'),
      deliveries: can(actor, 'support.view_tickets'),
      settings: can(actor, 'support.configure'),
      cost: can(actor, 'support.cost'),
      tickets: can(actor, 'support.view_tickets'),
    },
  }
}

export default function SupportInsights({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const [searchParams] = useSearchParams()
  const { figures, byAccount, attempts, topQueries, account, links } = loaderData
  const intl = intlLocale(locale)
  const numbers = new Intl.NumberFormat(intl, { maximumFractionDigits: 1 })
  const percents = new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 1 })
  const none = t('support_insights.none')
  const rate = (value: number | null) => (value === null ? none : percents.format(value))
  const money = (minor: number) => formatMoney(minor, figures.cost.currency, locale)
  const outcomeLabel = (value: DeflectionOutcome) => t(`support_insights.outcome.${value}`)
  /** The page's own link with some parameters changed (null removes one); paging starts over. */
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams)
    next.delete('page')
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key)
      else next.set(key, value)
    }
    const search = next.toString()
    return search ? `/support/insights?${search}` : '/support/insights'
  }
  const accountOptions = byAccount.map((row) => ({ id: row.accountId, name: row.accountName }))
  if (account && !accountOptions.some((option) => option.id === account.id)) accountOptions.unshift(account)

  return (
    <div className="stack support-insights">
      <h1>{t('support_insights.title')}</h1>
      <p className="lead">{t('support_insights.lead')}</p>
      {links.import || links.deliveries || links.settings || links.cost ? (
        <nav aria-label={t('support_insights.links.label')}>
          <ul className="tag-list">
            {links.import ? (
              <li>
                <Link to="/support/import">{t('support_insights.links.import')}</Link>
              </li>
            ) : null}
            {links.deliveries ? (
              <li>
                <Link to="/support/deliveries">{t('support_insights.links.deliveries')}</Link>
              </li>
            ) : null}
            {links.settings ? (
              <li>
                <Link to="/support/settings">{t('support_insights.links.settings')}</Link>
              </li>
            ) : null}
            {links.cost ? (
              <li>
                <Link to="/manage/settings#cost-title">{t('support_insights.links.cost')}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}

      <Form
        method="get"
        action="/support/insights"
        className="toolbar"
        aria-label={t('support_insights.filters.legend')}
      >
        <div className="field">
          <label htmlFor="support-insights-days">{t('support_insights.filters.period')}</label>
          <select id="support-insights-days" name="days" key={loaderData.days} defaultValue={String(loaderData.days)}>
            {insightPeriods.map((days) => (
              <option key={days} value={days}>
                {t('search.insights.period.days', { count: days })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="support-insights-account">{t('support_insights.filters.account')}</label>
          <select
            id="support-insights-account"
            name="account"
            key={account?.id ?? 'all'}
            defaultValue={account ? String(account.id) : ''}
          >
            <option value="">{t('support_insights.filters.all_accounts')}</option>
            {accountOptions.map((option) => (
              <option key={option.id} value={option.id}>
                {option.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="support-insights-outcome">{t('support_insights.filters.outcome')}</label>
          <select
            id="support-insights-outcome"
            name="outcome"
            key={loaderData.outcome ?? 'all'}
            defaultValue={loaderData.outcome ?? ''}
          >
            <option value="">{t('support_insights.filters.all_outcomes')}</option>
            {deflectionOutcomes.map((value) => (
              <option key={value} value={value}>
                {outcomeLabel(value)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('support_insights.filters.apply')}
        </button>
      </Form>
      <p className="field-hint">
        {t('support_insights.filters.range', {
          from: formatDateTime(loaderData.since, locale, timeZone),
          to: formatDateTime(loaderData.until, locale, timeZone),
        })}{' '}
        {t('support_insights.filters.attempt_period')}
      </p>

      <section className="stack" aria-labelledby="support-insights-figures">
        <h2 id="support-insights-figures">
          {account
            ? t('support_insights.figures.title_account', { account: account.name })
            : t('support_insights.figures.title')}
        </h2>
        {account ? (
          <p>
            <Link to={withParams({ account: null })}>{t('support_insights.figures.show_all')}</Link>
          </p>
        ) : null}
        <FigureCards figures={figures} numbers={numbers} rate={rate} money={money} />
      </section>

      <section className="stack" aria-labelledby="support-insights-accounts">
        <h2 id="support-insights-accounts">{t('support_insights.accounts.title')}</h2>
        <p>{t('support_insights.accounts.lead')}</p>
        {byAccount.length === 0 ? (
          <p className="empty">{t('support_insights.accounts.empty')}</p>
        ) : (
          <TableScroll label={t('support_insights.accounts.title')}>
            <table className="insights-table">
              <caption>{t('support_insights.accounts.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('support_insights.accounts.account')}</th>
                  <th scope="col" className="numeric">
                    {t('support_insights.accounts.tickets')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('support_insights.accounts.explicit')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('support_insights.accounts.implicit')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('support_insights.accounts.rate')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('support_insights.accounts.cost_saved')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {byAccount.map((row) => (
                  <tr key={row.accountId} aria-current={account?.id === row.accountId ? 'true' : undefined}>
                    <th scope="row">
                      <Link to={withParams({ account: String(row.accountId) })}>{row.accountName}</Link>
                    </th>
                    <td className="numeric">{numbers.format(row.tickets)}</td>
                    <td className="numeric">{numbers.format(row.explicit)}</td>
                    <td className="numeric">{numbers.format(row.implicit)}</td>
                    <td className="numeric">
                      {t('support_insights.range', {
                        low: rate(row.deflectionRate),
                        high: rate(row.deflectionRateUpper),
                      })}
                    </td>
                    <td className="numeric">
                      {t('support_insights.range', {
                        low: money(row.costSavedMinor),
                        high: money(row.costSavedUpperMinor),
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <p className="field-hint">{t('support_insights.accounts.range_hint')}</p>
        {loaderData.ticketsWithoutAccount > 0 ? (
          <p>{t('support_insights.accounts.without_account', { count: loaderData.ticketsWithoutAccount })}</p>
        ) : null}
      </section>

      <section className="stack" aria-labelledby="support-insights-queries">
        <h2 id="support-insights-queries">{t('support_insights.queries.title')}</h2>
        <p>{t('support_insights.queries.lead')}</p>
        {topQueries.length === 0 ? (
          <p className="empty">{t('support_insights.queries.empty')}</p>
        ) : (
          <TableScroll label={t('support_insights.queries.title')}>
            <table className="insights-table">
              <caption>{t('support_insights.queries.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('support_insights.queries.query')}</th>
                  <th scope="col" className="numeric">
                    {t('support_insights.queries.tickets')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('support_insights.queries.explicit')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('support_insights.queries.implicit')}
                  </th>
                  <th scope="col">{t('support_insights.queries.last')}</th>
                </tr>
              </thead>
              <tbody>
                {topQueries.map((row) => (
                  <tr key={row.normalized}>
                    <th scope="row">{row.normalized}</th>
                    <td className="numeric">{numbers.format(row.tickets)}</td>
                    <td className="numeric">{numbers.format(row.explicit)}</td>
                    <td className="numeric">{numbers.format(row.implicit)}</td>
                    <td>
                      <time dateTime={new Date(row.lastFiledAt).toISOString()}>
                        {formatDateTime(row.lastFiledAt, locale, timeZone)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section className="stack" aria-labelledby="support-insights-attempts">
        <h2 id="support-insights-attempts">{t('support_insights.attempts.title')}</h2>
        <p>
          {t('support_insights.attempts.lead', { count: attempts.total })}
          {loaderData.outcome ? (
            <>
              {' '}
              <Link to={withParams({ outcome: null })}>{t('support_insights.attempts.all_outcomes')}</Link>
            </>
          ) : null}
        </p>
        {attempts.rows.length === 0 ? (
          <p className="empty">{t('support_insights.attempts.empty')}</p>
        ) : (
          <TableScroll label={t('support_insights.attempts.title')}>
            <table className="insights-table">
              <caption>{t('support_insights.attempts.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('support_insights.attempts.query')}</th>
                  <th scope="col">{t('support_insights.attempts.when')}</th>
                  <th scope="col">{t('support_insights.attempts.member')}</th>
                  <th scope="col">{t('support_insights.attempts.shown')}</th>
                  <th scope="col">{t('support_insights.attempts.opened')}</th>
                  <th scope="col">{t('support_insights.attempts.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {attempts.rows.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">{row.query || <span className="muted">{none}</span>}</th>
                    <td>
                      <time dateTime={new Date(row.createdAt).toISOString()}>
                        {formatDateTime(row.createdAt, locale, timeZone)}
                      </time>
                    </td>
                    <td>
                      {row.user ? row.user.displayName : <span className="muted">{none}</span>}
                      {row.account ? (
                        <>
                          <br />
                          <Link to={withParams({ account: String(row.account.id) })}>{row.account.name}</Link>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {row.shown.length === 0 ? (
                        <span className="muted">{t('support_insights.attempts.nothing_shown')}</span>
                      ) : (
                        <ul className="insights-comments">
                          {row.shown.map((suggestion) => (
                            <li key={suggestion.doc}>
                              {t('support_insights.attempts.ranked', {
                                rank: suggestion.rank,
                                title: suggestion.title,
                              })}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      {row.opened.length === 0 ? (
                        <span className="muted">{t('support_insights.attempts.nothing_opened')}</span>
                      ) : (
                        <ul className="insights-comments">
                          {row.opened.map((opened) => (
                            <li key={opened.doc}>{opened.title ?? opened.doc}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <span className="badge">{outcomeLabel(row.outcome)}</span>
                      {row.solved ? (
                        <>
                          <br />
                          {t('support_insights.attempts.solved_by', { title: row.solved.title ?? row.solved.doc })}
                        </>
                      ) : null}
                      {row.ticketId !== null ? (
                        <>
                          <br />
                          {links.tickets ? (
                            <Link to={`/support/tickets/${row.ticketId}`}>
                              {t('support_insights.attempts.ticket', { id: row.ticketId })}
                            </Link>
                          ) : (
                            t('support_insights.attempts.ticket', { id: row.ticketId })
                          )}
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <Pagination page={attempts.page} perPage={attempts.perPage} total={attempts.total} />
      </section>
    </div>
  )
}

/** The figures as cards: each number with what it counts; the implicit figures always as a range. */
function FigureCards({
  figures,
  numbers,
  rate,
  money,
}: {
  figures: SupportFigures
  numbers: Intl.NumberFormat
  rate: (value: number | null) => string
  money: (minor: number) => string
}) {
  const { t } = useT()
  const card = (id: string, label: string, value: ReactNode, hint: ReactNode) => (
    <div key={id}>
      <dt>{label}</dt>
      <dd>{value}</dd>
      <dd className="followup-stat-hint">{hint}</dd>
    </div>
  )
  return (
    <dl className="followup-stats">
      {card(
        'tickets',
        t('support_insights.figures.tickets'),
        numbers.format(figures.tickets),
        t('support_insights.figures.tickets_hint', {
          portal: numbers.format(figures.ticketsPortal),
          imported: numbers.format(figures.ticketsImported),
        }),
      )}
      {card(
        'explicit',
        t('support_insights.figures.explicit'),
        numbers.format(figures.explicit),
        t('support_insights.figures.explicit_hint'),
      )}
      {card(
        'implicit',
        t('support_insights.figures.implicit'),
        numbers.format(figures.implicit),
        t('support_insights.figures.implicit_hint'),
      )}
      {card(
        'rate',
        t('support_insights.figures.rate'),
        rate(figures.deflectionRate),
        <>
          {t('support_insights.figures.rate_hint', {
            explicit: numbers.format(figures.explicit),
            filed: numbers.format(figures.filed),
          })}{' '}
          <strong>
            {t('support_insights.figures.rate_range', {
              low: rate(figures.deflectionRate),
              high: rate(figures.deflectionRateUpper),
            })}
          </strong>
        </>,
      )}
      {card(
        'cost',
        t('support_insights.figures.cost_saved'),
        money(figures.costSavedMinor),
        <>
          <strong>
            {t('support_insights.figures.cost_range', {
              low: money(figures.costSavedMinor),
              high: money(figures.costSavedUpperMinor),
            })}
          </strong>{' '}
          {t('support_insights.figures.cost_hint', { cost: money(figures.cost.amountMinor) })}
        </>,
      )}
      {card(
        'self-service',
        t('support_insights.figures.self_service'),
        figures.selfServiceRatio === null ? t('support_insights.none') : numbers.format(figures.selfServiceRatio),
        t('support_insights.figures.self_service_hint', {
          readers: numbers.format(figures.helpReaders),
          filers: numbers.format(figures.ticketFilers),
        }),
      )}
      {card(
        'community',
        t('support_insights.figures.community'),
        rate(figures.communityAnswerRate),
        t('support_insights.figures.community_hint', {
          community: numbers.format(figures.communityAnswered),
          answered: numbers.format(figures.answeredQuestions),
        }),
      )}
      {card(
        'open',
        t('support_insights.figures.undecided'),
        numbers.format(figures.pending),
        t('support_insights.figures.undecided_hint', { abandoned: numbers.format(figures.abandoned) }),
      )}
    </dl>
  )
}
