import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, redirect } from 'react-router'
import { z } from 'zod'
import { SelectField } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { deliveryErrorMessage } from '#app/domain/notify/delivery-errors.ts'
import { listDeliveries, listDeliveryAttempts, retryDelivery } from '#app/domain/notify/webhook-deliveries.server.ts'
import { PING_EVENT, webhookTargets } from '#app/domain/notify/webhooks.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { redactUrl } from '#app/lib/outbound.server.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/deliveries'

const PER_PAGE = 50
/** The delivery statuses (webhook_status), listed here because the filter renders in the browser. */
const webhookStatuses = ['pending', 'delivered', 'failed'] as const

const RetrySchema = z.object({ deliveryId: z.coerce.number().int().positive() })

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'support_helpdesk.deliveries.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'support.view_tickets')
  const db = getDb(context)
  const url = new URL(request.url)
  const wanted = url.searchParams.get('status')
  const status = webhookStatuses.find((s) => s === wanted) ?? null
  const wantedTarget = url.searchParams.get('target')
  const target = webhookTargets.find((s) => s === wantedTarget) ?? null
  const rawBefore = url.searchParams.get('before')
  const before = rawBefore ? intParam(rawBefore) : null
  // One more than shown tells whether an older page exists.
  const rows = await listDeliveries(db, { status, target, before, limit: PER_PAGE + 1 })
  const deliveries = rows.slice(0, PER_PAGE)
  const attempts = await listDeliveryAttempts(
    db,
    deliveries.map((d) => d.id),
  )
  return {
    status,
    target,
    // From the server: the filter renders in the browser, which cannot import the schema.
    targets: [...webhookTargets],
    // Errors go to the page as a translated kind only (older rows held receivers' bodies and socket
    // messages), and URLs without credentials.
    deliveries: deliveries.map(({ lastError, ...delivery }) => ({
      ...delivery,
      url: redactUrl(delivery.url),
      lastError: deliveryErrorMessage(lastError, delivery.lastStatusCode),
      isTest: delivery.event === PING_EVENT,
      tries: attempts
        .filter((attempt) => attempt.deliveryId === delivery.id)
        .map(({ error, ...attempt }) => ({ ...attempt, error: deliveryErrorMessage(error, attempt.statusCode) })),
    })),
    older: rows.length > PER_PAGE ? (deliveries.at(-1)?.id ?? null) : null,
    paged: before !== null,
    retried: url.searchParams.get('retried'),
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(RetrySchema)

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'support.view_tickets')
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), { schema: RetrySchema })
  if (submission.status !== 'success') throw failureResponse(context, fail(400, 'errors.bad_request'))
  const outcome = await retryDelivery(getDb(context), { actor, deliveryId: submission.value.deliveryId })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const back = new URL(request.url)
  back.searchParams.set('retried', String(outcome.value.id))
  return redirect(`${back.pathname}${back.search}`)
}

function listHref(status: string | null, target: string | null, before?: number) {
  const params = new URLSearchParams()
  if (status) params.set('status', status)
  if (target) params.set('target', target)
  if (before) params.set('before', String(before))
  const query = params.toString()
  return `/support/deliveries${query ? `?${query}` : ''}`
}

export default function SupportDeliveries({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { deliveries, status, target } = loaderData
  const time = (value: Date | string | null) =>
    value ? (
      <time dateTime={new Date(value).toISOString()}>{formatDateTime(value, locale, timeZone)}</time>
    ) : (
      <span className="muted">{t('support_helpdesk.deliveries.never')}</span>
    )

  return (
    <div className="stack">
      <h1>{t('support_helpdesk.deliveries.title')}</h1>
      <p className="lead">{t('support_helpdesk.deliveries.lead')}</p>
      {loaderData.retried ? (
        <p className="notice" role="status">
          {t('support_helpdesk.deliveries.retried', { id: loaderData.retried })}
        </p>
      ) : null}
      <Form method="get" className="toolbar" aria-label={t('support_helpdesk.deliveries.filters')}>
        <SelectField
          label={t('support_helpdesk.deliveries.status')}
          selectProps={{ key: status ?? 'all', name: 'status', defaultValue: status ?? '' }}
          options={[
            { value: '', label: t('support_helpdesk.deliveries.all') },
            ...webhookStatuses.map((value) => ({ value, label: t(`support_helpdesk.deliveries.statuses.${value}`) })),
          ]}
        />
        <SelectField
          label={t('support_helpdesk.deliveries.target')}
          selectProps={{ key: target ?? 'all', name: 'target', defaultValue: target ?? '' }}
          options={[
            { value: '', label: t('support_helpdesk.deliveries.all') },
            ...loaderData.targets.map((value) => ({ value, label: t(`support_helpdesk.deliveries.targets.${value}`) })),
          ]}
        />
        <button type="submit" className="button">
          {t('support_helpdesk.deliveries.apply')}
        </button>
      </Form>

      {deliveries.length === 0 ? (
        <p className="empty">{t('support_helpdesk.deliveries.empty')}</p>
      ) : (
        <TableScroll label={t('support_helpdesk.deliveries.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('support_helpdesk.deliveries.columns.delivery')}</th>
                <th scope="col">{t('support_helpdesk.deliveries.columns.about')}</th>
                <th scope="col">{t('support_helpdesk.deliveries.columns.status')}</th>
                <th scope="col" className="numeric">
                  {t('support_helpdesk.deliveries.columns.attempts')}
                </th>
                <th scope="col">{t('support_helpdesk.deliveries.columns.last_answer')}</th>
                <th scope="col">{t('support_helpdesk.deliveries.columns.times')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <th scope="row">
                    #{delivery.id} <code>{delivery.event}</code>
                    <div className="muted">{t(`support_helpdesk.deliveries.targets.${delivery.target}`)}</div>
                  </th>
                  <td>
                    {delivery.accountId ? (
                      <Link to={`/manage/accounts/${delivery.accountId}`}>
                        {t('support_helpdesk.deliveries.account', { name: delivery.accountName ?? '' })}
                      </Link>
                    ) : delivery.ticketId ? (
                      <Link to={`/support/tickets/${delivery.ticketId}`}>
                        {t('support_helpdesk.deliveries.ticket', {
                          id: delivery.ticketId,
                          subject: delivery.ticketSubject ?? '',
                        })}
                      </Link>
                    ) : delivery.isTest ? (
                      <span className="muted">{t('support_helpdesk.deliveries.test_delivery')}</span>
                    ) : delivery.target === 'crm' ? (
                      <span className="muted">{t('support_helpdesk.deliveries.no_account')}</span>
                    ) : (
                      <span className="muted">{t('support_helpdesk.deliveries.no_ticket')}</span>
                    )}
                  </td>
                  <td>
                    <span className={delivery.status === 'failed' ? 'badge badge-danger' : 'badge'}>
                      {t(`support_helpdesk.deliveries.statuses.${delivery.status}`)}
                    </span>
                    {delivery.status === 'failed' ? (
                      <Form method="post" className="inline-actions">
                        <input type="hidden" name="deliveryId" value={delivery.id} />
                        <button type="submit" className="button button-small button-secondary">
                          {t('support_helpdesk.deliveries.retry')}
                          <span className="visually-hidden">{` – #${delivery.id}`}</span>
                        </button>
                      </Form>
                    ) : null}
                  </td>
                  <td className="numeric">{delivery.attempts}</td>
                  <td>
                    {delivery.lastStatusCode !== null ? <code>{delivery.lastStatusCode}</code> : null}
                    {delivery.lastError ? (
                      <div className="muted">{t(delivery.lastError.key, delivery.lastError.params)}</div>
                    ) : null}
                    {delivery.lastStatusCode === null && !delivery.lastError ? (
                      <span className="muted">{t('support_helpdesk.deliveries.no_answer_yet')}</span>
                    ) : null}
                    {delivery.tries.length > 0 ? (
                      <details>
                        <summary>
                          {t('support_helpdesk.deliveries.show_attempts', { count: delivery.tries.length })}
                        </summary>
                        <ol>
                          {delivery.tries.map((attempt) => (
                            <li key={attempt.id}>
                              {time(attempt.attemptedAt)}{' '}
                              {attempt.statusCode !== null ? <code>{attempt.statusCode}</code> : null}{' '}
                              {attempt.error ? (
                                <span className="muted">{t(attempt.error.key, attempt.error.params)}</span>
                              ) : null}{' '}
                              <span className="muted">
                                {t('support_helpdesk.deliveries.duration', { ms: attempt.durationMs })}
                              </span>
                            </li>
                          ))}
                        </ol>
                      </details>
                    ) : null}
                  </td>
                  <td>
                    <dl className="facts">
                      <dt>{t('support_helpdesk.deliveries.created')}</dt>
                      <dd>{time(delivery.createdAt)}</dd>
                      <dt>{t('support_helpdesk.deliveries.last_attempt')}</dt>
                      <dd>{time(delivery.lastAttemptAt)}</dd>
                      {delivery.deliveredAt ? (
                        <>
                          <dt>{t('support_helpdesk.deliveries.delivered')}</dt>
                          <dd>{time(delivery.deliveredAt)}</dd>
                        </>
                      ) : null}
                    </dl>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav className="pagination" aria-label={t('common.pagination')}>
        {loaderData.paged ? <Link to={listHref(status, target)}>{t('support_helpdesk.deliveries.newest')}</Link> : null}
        {loaderData.older ? (
          <Link to={listHref(status, target, loaderData.older)} rel="next">
            {t('support_helpdesk.deliveries.older')}
          </Link>
        ) : null}
      </nav>
    </div>
  )
}
