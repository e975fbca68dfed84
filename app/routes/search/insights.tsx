import { parseWithZod } from '@conform-to/zod/v4'
import type { ReactNode } from 'react'
import { data, Form, redirect } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { SynonymRules, type SynonymsNotice } from '#app/components/search/synonym-rules.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { insightPeriods, parsePeriodDays } from '#app/domain/reporting/periods.ts'
import { getSearchInsights } from '#app/domain/reporting/search.server.ts'
import { DeleteSynonymSchema, SynonymFormSchema } from '#app/domain/search/schemas.ts'
import { addSynonym, deleteSynonym, listSynonyms } from '#app/domain/search/synonyms.server.ts'
import { formatDate, formatDateTime, intlLocale } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage, failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs, unknownIntent } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/insights'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'search.insights.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'search.insights')
  // A period the page does not offer (a hand-edited URL) shows the default one.
  const days = parsePeriodDays(new URL(request.url).searchParams.get('days'), insightPeriods)
  const db = getDb(context)
  const [outcome, synonyms] = await Promise.all([getSearchInsights(db, { actor, days }), listSynonyms(db, { actor })])
  if (!outcome.ok) throw failureResponse(context, outcome)
  if (!synonyms.ok) throw failureResponse(context, synonyms)
  const done = new URL(request.url).searchParams.get('done')
  const notice: SynonymsNotice = done === 'synonym-added' || done === 'synonym-deleted' ? done : null
  return { ...outcome.value, synonyms: synonyms.value, notice }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(SynonymFormSchema, DeleteSynonymSchema), 'intent']

/** What each form's handler gets: the staff member, and the page to go back to (its period kept). */
type InsightsIntent = IntentArgs<{ actor: SessionUser; back: URL }>

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'search.insights')
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const back = new URL(request.url)
  return dispatchIntent(
    { context, db: getDb(context), actor, back, formData },
    { 'add-synonym': handleAddSynonym, 'delete-synonym': handleDeleteSynonym },
    unknownIntent,
  )
}

/** Back to the page (its period kept) with what was done, at the synonyms. */
function doneRedirect(back: URL, done: Exclude<SynonymsNotice, null>) {
  back.searchParams.set('done', done)
  return redirect(`${back.pathname}${back.search}#synonyms`)
}

async function handleAddSynonym({ context, db, actor, back, formData }: InsightsIntent) {
  const submission = parseWithZod(formData, { schema: SynonymFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), deleteError: null }, { status: 400 })
  const outcome = await addSynonym(db, { actor, input: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return doneRedirect(back, 'synonym-added')
}

/** A rule already gone or an engine that cannot take the change is said above the list. */
async function handleDeleteSynonym({ context, db, actor, back, formData }: InsightsIntent) {
  const submission = parseWithZod(formData, { schema: DeleteSynonymSchema })
  if (submission.status !== 'success') throw failureResponse(context, fail(400, 'errors.bad_request'))
  const outcome = await deleteSynonym(db, { actor, id: submission.value.id })
  if (!outcome.ok) {
    return data({ result: undefined, deleteError: failureMessage(context, outcome) }, { status: outcome.status })
  }
  return doneRedirect(back, 'synonym-deleted')
}

export default function SearchInsights({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { totals, topQueries, zeroResultQueries, unclickedQueries } = loaderData
  const numbers = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 })
  const percents = new Intl.NumberFormat(intlLocale(locale), {
    style: 'percent',
    maximumFractionDigits: 1,
  })
  const rate = (value: number | null) => (value === null ? t('search.insights.totals.none') : percents.format(value))
  const lastSearched = (value: Date) => (
    <time dateTime={new Date(value).toISOString()}>{formatDateTime(value, locale, timeZone)}</time>
  )

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

      <QueryTable
        id="search-insights-top"
        title={t('search.insights.top.title')}
        empty={t('search.insights.top.empty')}
        caption={t('search.insights.top.caption')}
        rows={topQueries}
        columns={[
          { label: t('search.insights.column.searches'), numeric: true, cell: (row) => numbers.format(row.searches) },
          {
            label: t('search.insights.column.avg_results'),
            numeric: true,
            cell: (row) => numbers.format(row.avgResults),
          },
          { label: t('search.insights.column.clicks'), numeric: true, cell: (row) => numbers.format(row.clicks) },
          { label: t('search.insights.column.ctr'), numeric: true, cell: (row) => rate(row.clickThroughRate) },
        ]}
      />
      <QueryTable
        id="search-insights-zero"
        title={t('search.insights.zero.title')}
        lead={t('search.insights.zero.lead')}
        empty={t('search.insights.zero.empty')}
        caption={t('search.insights.zero.caption')}
        rows={zeroResultQueries}
        columns={[
          { label: t('search.insights.column.searches'), numeric: true, cell: (row) => numbers.format(row.searches) },
          { label: t('search.insights.column.last'), cell: (row) => lastSearched(row.lastSearchedAt) },
        ]}
      />
      <QueryTable
        id="search-insights-unclicked"
        title={t('search.insights.unclicked.title')}
        lead={t('search.insights.unclicked.lead')}
        empty={t('search.insights.unclicked.empty')}
        caption={t('search.insights.unclicked.caption')}
        rows={unclickedQueries}
        columns={[
          { label: t('search.insights.column.searches'), numeric: true, cell: (row) => numbers.format(row.searches) },
          {
            label: t('search.insights.column.avg_results'),
            numeric: true,
            cell: (row) => numbers.format(row.avgResults),
          },
          { label: t('search.insights.column.last'), cell: (row) => lastSearched(row.lastSearchedAt) },
        ]}
      />
      <SynonymRules
        rules={loaderData.synonyms}
        notice={loaderData.notice}
        addResult={actionData && 'result' in actionData ? actionData.result : undefined}
        deleteError={actionData && 'deleteError' in actionData ? (actionData.deleteError ?? null) : null}
      />
    </div>
  )
}

type Column<Row> = { label: string; numeric?: boolean; cell: (row: Row) => ReactNode }

/** One table of queries: the query heads each row, then the given columns. */
function QueryTable<Row extends { normalized: string }>({
  id,
  title,
  lead,
  empty,
  caption,
  rows,
  columns,
}: {
  id: string
  title: string
  lead?: string
  empty: string
  caption: string
  rows: Row[]
  columns: Column<Row>[]
}) {
  const { t } = useT()
  return (
    <section className="stack" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lead ? <p>{lead}</p> : null}
      {rows.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <TableScroll label={title}>
          <table className="insights-table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('search.insights.column.query')}</th>
                {columns.map((column) => (
                  <th key={column.label} scope="col" className={column.numeric ? 'numeric' : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.normalized}>
                  <th scope="row" className="search-insights-query">
                    {row.normalized}
                  </th>
                  {columns.map((column) => (
                    <td key={column.label} className={column.numeric ? 'numeric' : undefined}>
                      {column.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  )
}
