import { parseWithZod } from '@conform-to/zod/v4'
import { Form, Link, redirect } from 'react-router'
import { Pagination } from '#app/components/pagination.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { actorLabel } from '#app/domain/notify/actor.ts'
import { listNotifications, markAllRead, markRead, unreadCount } from '#app/domain/notify/notifications.server.ts'
import { NotificationActionSchema } from '#app/domain/notify/schemas.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'notify.page.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const db = getDb(context)
  const [list, unread] = await Promise.all([
    listNotifications(db, { user, page: pageParam(new URL(request.url)) }),
    unreadCount(db, user.id),
  ])
  redirectPastLastPage(new URL(request.url), list)
  return { ...list, unread }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(NotificationActionSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const db = getDb(context)
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), {
    schema: NotificationActionSchema,
  })
  if (submission.status !== 'success') throw failureResponse(context, fail(400, 'errors.bad_request'))
  if (submission.value.intent === 'read-all') {
    await markAllRead(db, user)
    const url = new URL(request.url)
    return redirect(url.pathname + url.search)
  }
  const outcome = await markRead(db, { user, notificationId: submission.value.id })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return redirect(outcome.value.href)
}

export default function Notifications({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { items, unread } = loaderData
  return (
    <div className="narrow stack">
      <div className="notification-heading">
        <h1>{t('notify.page.title')}</h1>
        {unread > 0 ? (
          <Form method="post">
            <button type="submit" name="intent" value="read-all" className="button button-secondary button-small">
              {t('notify.page.mark_all')}
            </button>
          </Form>
        ) : null}
      </div>
      <p className="muted">
        {t('notify.page.lead')} {unread > 0 ? t('notify.page.unread', { count: unread }) : null}
      </p>
      <p>
        <Link to="/settings/notifications">{t('notify.page.settings')}</Link>
      </p>
      {loaderData.total === 0 ? <p className="notification-empty">{t('notify.page.empty')}</p> : null}
      {items.length > 0 ? (
        <ul className="notification-list" aria-label={t('notify.page.list')}>
          {items.map((item) => (
            <li key={item.id} className={item.read ? 'notification-item' : 'notification-item notification-unread'}>
              <Form method="post" className="notification-form">
                <input type="hidden" name="id" value={item.id} />
                {item.read ? null : <span className="badge notification-new">{t('notify.page.new')}</span>}
                <button type="submit" name="intent" value="read" className="link-button notification-open">
                  {t(`notify.kind.${item.type}`, {
                    actor: actorLabel(t, item.actorName),
                    title: item.title,
                  })}
                </button>
                <time className="notification-time" dateTime={new Date(item.createdAt).toISOString()}>
                  {formatDateTime(item.createdAt, locale, timeZone)}
                </time>
              </Form>
            </li>
          ))}
        </ul>
      ) : null}
      <Pagination page={loaderData.page} perPage={loaderData.perPage} total={loaderData.total} />
    </div>
  )
}
