import { Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { TicketStatusBadge } from '#app/components/support/ticket-status.tsx'
import { useT } from '#app/components/translation.tsx'
import { can } from '#app/domain/identity/permissions.ts'
import { listTickets } from '#app/domain/support/tickets.server.ts'
import { formatDate } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'nav.support')

/** The support landing page: the help center and the contact form for everyone, the member's latest
 *  requests, and the staff pages for those who may use them. */
export async function loader({ context }: Route.LoaderArgs) {
  const user = getOptionalUser(context)
  const recent = user ? (await listTickets(getDb(context), { user })).tickets.slice(0, 5) : []
  return {
    signedIn: !!user,
    recent,
    staff: {
      insights: can(user, 'support.insights'),
      tickets: can(user, 'support.view_tickets'),
      import: can(user, 'support.import'),
      settings: can(user, 'support.configure'),
    },
  }
}

export default function SupportIndex({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { signedIn, recent, staff } = loaderData
  return (
    <div className="stack">
      <h1>{t('nav.support')}</h1>
      <p className="lead">{t('support.home.lead')}</p>
      <div className="support-home-actions">
        <Link to="/help" className="button button-secondary">
          {t('support.home.help')}
        </Link>
        <Link to={signedIn ? '/support/new' : '/login?redirectTo=/support/new'} className="button">
          {t('support.new.title')}
        </Link>
      </div>
      {signedIn ? (
        <section className="stack" aria-labelledby="support-recent">
          <h2 id="support-recent">{t('support.home.recent')}</h2>
          {recent.length ? (
            <ul className="support-recent-list">
              {recent.map((ticket) => (
                <li key={ticket.id}>
                  <Link to={`/support/tickets/${ticket.id}`}>
                    <span className="muted">#{ticket.id}</span> {ticket.subject}
                  </Link>{' '}
                  <TicketStatusBadge status={ticket.status} />{' '}
                  <span className="muted">{formatDate(ticket.createdAt, locale, timeZone)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('support.tickets.none')}</p>
          )}
          <p>
            <Link to="/support/tickets">{t('support.home.all_tickets')}</Link>
          </p>
        </section>
      ) : null}
      {staff.insights || staff.tickets || staff.import || staff.settings ? (
        <section className="stack" aria-labelledby="support-staff">
          <h2 id="support-staff">{t('support.home.staff')}</h2>
          <ul className="support-links">
            {staff.insights ? (
              <li>
                <Link to="/support/insights">{t('support.home.insights')}</Link>
              </li>
            ) : null}
            {staff.tickets ? (
              <li>
                <Link to="/support/tickets?all=1">{t('support.tickets.all_title')}</Link>
              </li>
            ) : null}
            {staff.tickets ? (
              <li>
                <Link to="/support/deliveries">{t('support.home.deliveries')}</Link>
              </li>
            ) : null}
            {staff.import ? (
              <li>
                <Link to="/support/import">{t('support.home.import')}</Link>
              </li>
            ) : null}
            {staff.settings ? (
              <li>
                <Link to="/support/settings">{t('support.home.settings')}</Link>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}
    </div>
  )
}
