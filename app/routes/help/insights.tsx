import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { markReviewed, setReviewInterval } from '#app/domain/help/review.server.ts'
import { MarkReviewedSchema, ReviewIntervalSchema } from '#app/domain/help/schemas.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { type ArticleInsight, getHelpInsights } from '#app/domain/reporting/help.server.ts'
import { formatDate, formatDateTime, intlLocale } from '#app/lib/format.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureMessage, failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Db } from '#db/client.server.ts'
import type { Route } from './+types/insights'

/** The default period: the last 90 days, today included (UTC days, as views are counted). */
const DEFAULT_DAYS = 90

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'help_insights.title')

function defaultPeriod() {
  const to = new Date()
  const from = new Date(to.getTime() - (DEFAULT_DAYS - 1) * 24 * 60 * 60 * 1000)
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) }
}

/** The period asked for in the query (`from`, `to`), each end defaulting to the last 90 days. */
function requestedPeriod(request: Request) {
  const url = new URL(request.url)
  const fallback = defaultPeriod()
  return {
    from: url.searchParams.get('from')?.trim() || fallback.from,
    to: url.searchParams.get('to')?.trim() || fallback.to,
  }
}

/** The insights for the requested period; a period that cannot be used falls back to the default and
 *  says why, so a typo in the URL never costs the page. */
async function loadInsights(db: Db, actor: SessionUser, period: { from: string; to: string }) {
  const outcome = await getHelpInsights(db, { actor, ...period })
  if (outcome.ok || outcome.status !== 400) return { outcome, periodError: null }
  return { outcome: await getHelpInsights(db, { actor, ...defaultPeriod() }), periodError: outcome }
}

/** `?format=csv` answers with the articles table as a CSV file. It runs as route middleware because a
 *  page's loader cannot replace the HTML document with a file. */
const csvExport: Route.MiddlewareFunction = async ({ request, context }, next) => {
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.searchParams.get('format') !== 'csv') return next()
  const actor = requireCapability(context, request, 'help.insights')
  const { outcome } = await loadInsights(getDb(context), actor, requestedPeriod(request))
  if (!outcome.ok) throw failureResponse(context, outcome)
  const { period, articles } = outcome.value
  const filename = `help-insights-${period?.from ?? 'start'}-${period?.to ?? 'today'}.csv`
  // A byte-order mark, so spreadsheet programs read Japanese titles as UTF-8.
  return new Response(`\uFEFF${insightsCsv(articles, context.get(localeContext))}`, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    },
  })
}

export const middleware: Route.MiddlewareFunction[] = [csvExport]

function insightsCsv(articles: ArticleInsight[], locale: Locale): string {
  const t = translator(locale)
  const header = [
    'ID',
    t('help_insights.table.article'),
    t('help_insights.table.category'),
    t('help_insights.table.language'),
    t('help_insights.table.status'),
    t('help_insights.table.views'),
    t('help_insights.table.readers'),
    t('help_insights.table.helpful_yes'),
    t('help_insights.table.helpful_no'),
    t('help_insights.table.helpful_percent'),
  ]
  const rows = articles.map((article) => [
    article.id,
    article.title,
    article.categorySlug,
    article.locale,
    article.status,
    article.views,
    article.uniqueReaders,
    article.helpfulYes,
    article.helpfulNo,
    article.helpfulPercent ?? '',
  ])
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}

/** Quotes a cell when needed, and defuses text a spreadsheet would run as a formula. */
function csvCell(value: string | number): string {
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'help.insights')
  const url = new URL(request.url)
  const requested = requestedPeriod(request)
  const { outcome, periodError } = await loadInsights(getDb(context), actor, requested)
  if (!outcome.ok) throw failureResponse(context, outcome)
  return {
    ...outcome.value,
    requested,
    periodError: periodError ? failureMessage(context, periodError) : null,
    done: url.searchParams.get('done') === 'reviewed' ? ('reviewed' as const) : null,
    intervalSaved: url.searchParams.get('done') === 'interval',
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(MarkReviewedSchema, ReviewIntervalSchema), 'intent']

/** What each form's handler gets: the editor, and the page to go back to (its filters kept). */
type InsightsIntent = IntentArgs<{ actor: SessionUser; back: URL }>

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'help.insights')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const back = new URL(request.url)
  back.searchParams.delete('format')
  return dispatchIntent({ context, db, actor, back, formData }, { 'mark-reviewed': handleMarkReviewed }, handleInterval)
}

async function handleMarkReviewed({ context, db, actor, back, formData }: InsightsIntent) {
  const submission = parseWithZod(formData, { schema: MarkReviewedSchema })
  if (submission.status !== 'success') throw failureResponse(context, fail(400, 'errors.bad_request'))
  const outcome = await markReviewed(db, { actor, articleId: submission.value.articleId })
  if (!outcome.ok) throw failureResponse(context, outcome)
  back.searchParams.set('done', 'reviewed')
  return redirect(`${back.pathname}${back.search}`)
}

/** The review interval form (`review-interval`, and any other intent). */
async function handleInterval({ context, db, actor, back, formData }: InsightsIntent) {
  const submission = parseWithZod(formData, { schema: ReviewIntervalSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await setReviewInterval(db, { actor, days: submission.value.days })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  back.searchParams.set('done', 'interval')
  return redirect(`${back.pathname}${back.search}`)
}

export default function HelpInsights({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { articles, needsReview, reviewAfterDays, requested, period } = loaderData
  const numbers = new Intl.NumberFormat(intlLocale(locale))
  const csvHref = `?${new URLSearchParams({ from: period?.from ?? '', to: period?.to ?? '', format: 'csv' })}`
  const [intervalForm, intervalFields] = useForm({
    id: 'review-interval',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ReviewIntervalSchema),
    defaultValue: { days: String(reviewAfterDays) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ReviewIntervalSchema }),
    shouldValidate: 'onBlur',
  })

  return (
    <div className="stack help-insights">
      <h1>{t('help_insights.title')}</h1>
      <p className="lead">{t('help_insights.lead')}</p>

      <Form method="get" className="toolbar" aria-label={t('help_insights.period.legend')}>
        <Field
          label={t('help_insights.period.from')}
          inputProps={{ key: requested.from, name: 'from', type: 'date', defaultValue: requested.from, required: true }}
        />
        <Field
          label={t('help_insights.period.to')}
          inputProps={{ key: requested.to, name: 'to', type: 'date', defaultValue: requested.to, required: true }}
        />
        <button type="submit" className="button">
          {t('help_insights.period.apply')}
        </button>
      </Form>
      <p className="field-hint">{t('help_insights.period.hint')}</p>
      {loaderData.periodError ? (
        <div className="form-errors" role="alert">
          <p>{loaderData.periodError}</p>
          <p>{t('help_insights.period.invalid')}</p>
        </div>
      ) : null}

      <section className="stack" aria-labelledby="insights-articles-title">
        <div className="page-heading">
          <h2 id="insights-articles-title">{t('help_insights.table.title')}</h2>
          {articles.length > 0 ? (
            <a href={csvHref} download>
              {t('help_insights.export_csv')}
            </a>
          ) : null}
        </div>
        {articles.length === 0 ? (
          <p className="empty">{t('help_insights.table.empty')}</p>
        ) : (
          <TableScroll label={t('help_insights.table.title')}>
            <table className="insights-table">
              <caption>
                {t('help_insights.table.caption', {
                  from: period?.from ? formatDate(period.from, locale) : '',
                  to: period?.to ? formatDate(period.to, locale) : '',
                })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('help_insights.table.article')}</th>
                  <th scope="col">{t('help_insights.table.language')}</th>
                  <th scope="col" className="numeric">
                    {t('help_insights.table.views')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('help_insights.table.readers')}
                  </th>
                  <th scope="col">{t('help_insights.table.helpful')}</th>
                  <th scope="col">{t('help_insights.table.comments')}</th>
                </tr>
              </thead>
              <tbody>
                {articles.map((article) => (
                  <tr key={article.id}>
                    <th scope="row">
                      <Link to={`/help/${article.categorySlug}/${article.slug}`}>{article.title}</Link>
                      {article.status === 'archived' ? (
                        <>
                          {' '}
                          <span className="badge">{t('help_insights.table.archived')}</span>
                        </>
                      ) : null}
                    </th>
                    <td lang={article.locale}>{t(`identity.languages.${article.locale}`)}</td>
                    <td className="numeric">{numbers.format(article.views)}</td>
                    <td className="numeric">{numbers.format(article.uniqueReaders)}</td>
                    <td>
                      {article.helpfulPercent === null ? (
                        <span className="muted">{t('help_insights.table.no_answers')}</span>
                      ) : (
                        t('help_insights.table.helpful_value', {
                          percent: article.helpfulPercent,
                          yes: numbers.format(article.helpfulYes),
                          no: numbers.format(article.helpfulNo),
                        })
                      )}
                    </td>
                    <td>
                      {article.latestComments.length === 0 ? (
                        <span className="muted">{t('help_insights.table.no_comments')}</span>
                      ) : (
                        <ul className="insights-comments">
                          {article.latestComments.map((comment) => (
                            <li key={`${new Date(comment.at).toISOString()}-${comment.comment}`}>
                              <span className={comment.helpful ? 'badge' : 'badge badge-danger'}>
                                {comment.helpful
                                  ? t('help_insights.table.comment_yes')
                                  : t('help_insights.table.comment_no')}
                              </span>{' '}
                              <q>{comment.comment}</q>{' '}
                              <time className="muted" dateTime={new Date(comment.at).toISOString()}>
                                {formatDateTime(comment.at, locale, timeZone)}
                              </time>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section className="stack" aria-labelledby="insights-review-title">
        <h2 id="insights-review-title">{t('help_insights.review.title')}</h2>
        <p>{t('help_insights.review.lead', { days: reviewAfterDays })}</p>
        {loaderData.done === 'reviewed' ? (
          <p className="notice" role="status">
            {t('help_insights.review.done')}
          </p>
        ) : null}
        {needsReview.length === 0 ? (
          <p className="empty">{t('help_insights.review.none')}</p>
        ) : (
          <ul className="insights-review-list">
            {needsReview.map((article) => (
              <li key={article.id}>
                <div>
                  <Link to={`/help/${article.categorySlug}/${article.slug}`}>{article.title}</Link>{' '}
                  <span className="muted">
                    {t('help_insights.review.since', { date: formatDate(article.lastReviewedAt, locale, timeZone) })}
                  </span>
                </div>
                <Form method="post">
                  <input type="hidden" name="intent" value="mark-reviewed" />
                  <input type="hidden" name="articleId" value={article.id} />
                  <button type="submit" className="button button-small button-secondary">
                    {t('help_insights.review.mark')}
                    <span className="visually-hidden">{` – ${article.title}`}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel stack narrow" aria-labelledby="insights-interval-title">
        <h2 id="insights-interval-title">{t('help_insights.interval.title')}</h2>
        {loaderData.intervalSaved ? (
          <p className="notice" role="status">
            {t('help_insights.interval.done', { days: reviewAfterDays })}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(intervalForm)} className="toolbar">
          <input type="hidden" name="intent" value="review-interval" />
          <FormErrors id={intervalForm.errorId} errors={intervalForm.errors} />
          <Field
            label={t('help_insights.interval.label')}
            hint={t('help_insights.interval.hint')}
            errors={intervalFields.days.errors}
            inputProps={{ ...getInputProps(intervalFields.days, { type: 'number' }), step: 1 }}
          />
          <button type="submit" className="button">
            {t('help_insights.interval.save')}
          </button>
        </Form>
      </section>
    </div>
  )
}
