import { Form } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { getSearchInsights } from '#app/domain/search/insights.server.ts'
import { DEFAULT_INSIGHT_PERIOD, insightPeriods, isInsightPeriod } from '#app/domain/search/periods.ts'
import { getDb, requireCapability } from '#app/lib/auth.server.ts'
import { formatDate, formatDateTime } from '#app/lib/format.ts'
import { failureResponse } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { useRootData } from '#app/root.tsx'
import type { Route } from './+types/insights'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'search.insights.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'search.insights')
  // A period the page does not offer (a hand-edited URL) shows the default one.
  const requested = Number(new URL(request.url).searchParams.get('days'))
  const days = isInsightPeriod(requested) ? requested : DEFAULT_INSIGHT_PERIOD
  const outcome = await getSearchInsights(getDb(context), { actor, days })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return outcome.value
}

export default function SearchInsights({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const root = useRootData()
  const locale = root?.locale ?? 'en'
  const timeZone = root?.timeZone ?? 'UTC'
  const { totals, topQueries, zeroResultQueries, unclickedQueries } = loaderData
  const numbers = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', { maximumFractionDigits: 1 })
  const percents = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', {
    style: 'percent',
    maximumFractionDigits: 1,
  })
  const rate = (value: number | null) => (value === null ? t('search.insights.totals.none') : percents.format(value))
  const when = (value: Date) => formatDateTime(value, locale, timeZone)

  return (
    <div className="stack search-insights">
      <h1>{t('search.insights.title')}</h1>
      <p className="lead">{t('search.insights.lead')}</p>

      <Form method="get" action="/search/insights" className="toolbar" aria-label={t('search.insights.period.legend')}>
        <div className="field">
          <label htmlFor="insights-days">{t('search.insights.period.label')}</label>
          <select id="insights-days" name="days" key={loaderData.days} defaultValue={String(loaderData.days)}>
            {insightPeriods.map((days) => (
              <option key={days} value={days}>
                {t('search.insights.period.days', { count: days })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('search.insights.period.apply')}
        </button>
      </Form>
      <p className="field-hint">
        {t('search.insights.period.range', {
          from: formatDate(loaderData.since, locale, timeZone),
          to: formatDate(loaderData.until, locale, timeZone),
        })}
      </p>

      <section className="stack" aria-labelledby="search-insights-totals">
        <h2 id="search-insights-totals">{t('search.insights.totals.title')}</h2>
        <dl className="search-insights-totals">
          <div>
            <dt>{t('search.insights.totals.searches')}</dt>
            <dd>
              <span className="search-insights-number">{numbers.format(totals.searches)}</span>
            </dd>
          </div>
          <div>
            <dt>{t('search.insights.totals.searchers')}</dt>
            <dd>
              <span className="search-insights-number">{numbers.format(totals.searchers)}</span>
              <span className="search-insights-hint">
                {t('search.insights.totals.searchers_hint', { searches: numbers.format(totals.visitorSearches) })}
              </span>
            </dd>
          </div>
          <div>
            <dt>{t('search.insights.totals.ctr')}</dt>
            <dd>
              <span className="search-insights-number">{rate(totals.clickThroughRate)}</span>
              <span className="search-insights-hint">{t('search.insights.totals.ctr_hint')}</span>
            </dd>
          </div>
          <div>
            <dt>{t('search.insights.totals.zero')}</dt>
            <dd>
              <span className="search-insights-number">{rate(totals.zeroResultRate)}</span>
              <span className="search-insights-hint">{t('search.insights.totals.zero_hint')}</span>
            </dd>
          </div>
        </dl>
      </section>

      <section className="stack" aria-labelledby="search-insights-top">
        <h2 id="search-insights-top">{t('search.insights.top.title')}</h2>
        {topQueries.length === 0 ? (
          <p className="empty">{t('search.insights.top.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table className="insights-table">
              <caption>{t('search.insights.top.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('search.insights.column.query')}</th>
                  <th scope="col" className="numeric">
                    {t('search.insights.column.searches')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('search.insights.column.avg_results')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('search.insights.column.clicks')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('search.insights.column.ctr')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {topQueries.map((row) => (
                  <tr key={row.normalized}>
                    <th scope="row" className="search-insights-query">
                      {row.normalized}
                    </th>
                    <td className="numeric">{numbers.format(row.searches)}</td>
                    <td className="numeric">{numbers.format(row.avgResults)}</td>
                    <td className="numeric">{numbers.format(row.clicks)}</td>
                    <td className="numeric">{rate(row.clickThroughRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="stack" aria-labelledby="search-insights-zero">
        <h2 id="search-insights-zero">{t('search.insights.zero.title')}</h2>
        <p>{t('search.insights.zero.lead')}</p>
        {zeroResultQueries.length === 0 ? (
          <p className="empty">{t('search.insights.zero.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table className="insights-table">
              <caption>{t('search.insights.zero.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('search.insights.column.query')}</th>
                  <th scope="col" className="numeric">
                    {t('search.insights.column.searches')}
                  </th>
                  <th scope="col">{t('search.insights.column.last')}</th>
                </tr>
              </thead>
              <tbody>
                {zeroResultQueries.map((row) => (
                  <tr key={row.normalized}>
                    <th scope="row" className="search-insights-query">
                      {row.normalized}
                    </th>
                    <td className="numeric">{numbers.format(row.searches)}</td>
                    <td>
                      <time dateTime={new Date(row.lastSearchedAt).toISOString()}>{when(row.lastSearchedAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="stack" aria-labelledby="search-insights-unclicked">
        <h2 id="search-insights-unclicked">{t('search.insights.unclicked.title')}</h2>
        <p>{t('search.insights.unclicked.lead')}</p>
        {unclickedQueries.length === 0 ? (
          <p className="empty">{t('search.insights.unclicked.empty')}</p>
        ) : (
          <div className="table-scroll">
            <table className="insights-table">
              <caption>{t('search.insights.unclicked.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('search.insights.column.query')}</th>
                  <th scope="col" className="numeric">
                    {t('search.insights.column.searches')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('search.insights.column.avg_results')}
                  </th>
                  <th scope="col">{t('search.insights.column.last')}</th>
                </tr>
              </thead>
              <tbody>
                {unclickedQueries.map((row) => (
                  <tr key={row.normalized}>
                    <th scope="row" className="search-insights-query">
                      {row.normalized}
                    </th>
                    <td className="numeric">{numbers.format(row.searches)}</td>
                    <td className="numeric">{numbers.format(row.avgResults)}</td>
                    <td>
                      <time dateTime={new Date(row.lastSearchedAt).toISOString()}>{when(row.lastSearchedAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}
