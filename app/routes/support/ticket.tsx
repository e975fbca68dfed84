import { Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { TicketStatusBadge } from '#app/components/support/ticket-status.tsx'
import { useT } from '#app/components/translation.tsx'
import { can } from '#app/domain/identity/permissions.ts'
import { getTicket } from '#app/domain/support/tickets.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import type { Route } from './+types/ticket'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'support.ticket.title')

/** One request, for its requester (or staff who may read tickets); anyone else gets a 404. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const outcome = await getTicket(getDb(context), { user, ticketId: intParam(params.ticketId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return {
    ticket: outcome.value,
    sent: new URL(request.url).searchParams.get('sent') === '1',
    staffView: can(user, 'support.view_tickets'),
  }
}

export default function TicketPage({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { ticket, sent, staffView } = loaderData
  const attempt = ticket.attempt
  return (
    <div className="narrow stack">
      <p>
        <Link to={staffView ? '/support/tickets?all=1' : '/support/tickets'}>{t('support.ticket.back')}</Link>
      </p>
      {sent ? (
        <p className="notice" role="status">
          {t('support.ticket.sent', { id: ticket.id })}
        </p>
      ) : null}
      <h1>
        <span className="muted">#{ticket.id}</span> {ticket.subject}
      </h1>
      <p>
        <TicketStatusBadge status={ticket.status} staff={staffView} />
      </p>
      <dl className="facts">
        <dt>{t('support.fields.created')}</dt>
        <dd>{formatDateTime(ticket.createdAt, locale, timeZone)}</dd>
        <dt>{t('support.fields.updated')}</dt>
        <dd>{formatDateTime(ticket.updatedAt, locale, timeZone)}</dd>
        {ticket.productArea ? (
          <>
            <dt>{t('support.fields.product_area')}</dt>
            <dd>{t(`support.area.${ticket.productArea}`, { defaultValue: ticket.productArea })}</dd>
          </>
        ) : null}
        <dt>{t('support.fields.urgency')}</dt>
        <dd>{t(`support.urgency.${ticket.urgency}`)}</dd>
        {ticket.externalId ? (
          <>
            <dt>{t('support.fields.external_id')}</dt>
            <dd>{ticket.externalId}</dd>
          </>
        ) : null}
        {staffView ? (
          <>
            <dt>{t('support.fields.requester')}</dt>
            <dd>
              {ticket.requester ?? '—'} ({ticket.requesterEmail})
            </dd>
            <dt>{t('support.fields.account')}</dt>
            <dd>{ticket.accountName ?? '—'}</dd>
            <dt>{t('support.fields.source')}</dt>
            <dd>{t(`support.source.${ticket.source}`)}</dd>
          </>
        ) : null}
      </dl>
      {ticket.body ? (
        <section className="stack" aria-labelledby="ticket-description">
          <h2 id="ticket-description">{t('support.fields.description')}</h2>
          <p className="support-ticket-body" lang={ticket.locale}>
            {ticket.body}
          </p>
        </section>
      ) : null}
      {attempt?.shown.length ? (
        <section className="stack" aria-labelledby="ticket-suggestions">
          <h2 id="ticket-suggestions">{t('support.ticket.suggested')}</h2>
          <ol className="support-shown-list">
            {attempt.shown.map((shown) => (
              <li key={shown.doc}>
                {shown.title}{' '}
                {attempt.opened.some((o) => o.doc === shown.doc) ? (
                  <span className="badge">{t('support.ticket.opened')}</span>
                ) : null}
                {attempt.solvedDoc === shown.doc ? (
                  <span className="badge">{t('support.ticket.marked_solved')}</span>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  )
}
