import { Link } from 'react-router'
import { Pagination } from '#app/components/pagination.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TicketStatusBadge } from '#app/components/support/ticket-status.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { can } from '#app/domain/identity/permissions.ts'
import { TICKETS_PER_PAGE } from '#app/domain/support/options.ts'
import { listTickets } from '#app/domain/support/tickets.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import type { Route } from './+types/tickets'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'support.tickets.title')

/** The member's requests; staff who may read tickets can switch to everyone's (`?all=1`). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const url = new URL(request.url)
  const list = await listTickets(getDb(context), {
    user,
    all: url.searchParams.get('all') === '1',
    page: pageParam(url),
  })
  redirectPastLastPage(url, { page: pageParam(url), total: list.total, perPage: TICKETS_PER_PAGE })
  return { ...list, page: pageParam(url), canSeeAll: can(user, 'support.view_tickets') }
}

export default function Tickets({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { tickets, total, all, page, canSeeAll } = loaderData
  return (
    <div className="stack">
      <div className="support-heading">
        <h1>{all ? t('support.tickets.all_title') : t('support.tickets.title')}</h1>
        <Link to="/support/new" className="button">
          {t('support.new.title')}
        </Link>
      </div>
      {canSeeAll ? (
        <nav className="sub-nav" aria-label={t('support.tickets.views')}>
          <Link to="/support/tickets" aria-current={all ? undefined : 'page'}>
            {t('support.tickets.mine')}
          </Link>
          <Link to="/support/tickets?all=1" aria-current={all ? 'page' : undefined}>
            {t('support.tickets.everyone')}
          </Link>
        </nav>
      ) : null}
      {total === 0 ? (
        <p className="muted">{all ? t('support.tickets.none_all') : t('support.tickets.none')}</p>
      ) : (
        <TableScroll label={all ? t('support.tickets.all_title') : t('support.tickets.title')}>
          <table>
            <caption className="visually-hidden">{t('support.tickets.caption', { count: total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('support.fields.subject')}</th>
                <th scope="col">{t('support.fields.status')}</th>
                {all ? <th scope="col">{t('support.fields.requester')}</th> : null}
                {all ? <th scope="col">{t('support.fields.account')}</th> : null}
                <th scope="col">{t('support.fields.created')}</th>
                <th scope="col">{t('support.fields.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td>
                    <Link to={`/support/tickets/${ticket.id}`}>
                      <span className="muted">#{ticket.id}</span> {ticket.subject}
                    </Link>
                    {ticket.source === 'import' ? <span className="badge">{t('support.tickets.imported')}</span> : null}
                  </td>
                  <td>
                    <TicketStatusBadge status={ticket.status} staff={all} />
                  </td>
                  {all ? <td>{ticket.requester ?? '—'}</td> : null}
                  {all ? <td>{ticket.accountName ?? '—'}</td> : null}
                  <td>{formatDateTime(ticket.createdAt, locale, timeZone)}</td>
                  <td>{formatDateTime(ticket.updatedAt, locale, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={page} perPage={TICKETS_PER_PAGE} total={total} />
    </div>
  )
}
