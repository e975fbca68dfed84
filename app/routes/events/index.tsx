import { data, Form, Link } from 'react-router'
import { EventRow } from '#app/components/events/event-row.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { useT } from '#app/components/translation.tsx'
import { calendarFeedToken, resetCalendarFeedToken } from '#app/domain/events/calendar.server.ts'
import { listEvents } from '#app/domain/events/events.server.ts'
import { listMyEvents } from '#app/domain/events/registrations.server.ts'
import { EVENTS_PER_PAGE, eventKinds } from '#app/domain/events/schemas.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser, requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'events.list.title')

const tabs = ['upcoming', 'past', 'mine'] as const

export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url)
  const viewer = getOptionalUser(context)
  const tab = tabs.find((value) => value === url.searchParams.get('tab')) ?? 'upcoming'
  const kind = eventKinds.find((value) => value === url.searchParams.get('kind'))
  const db = getDb(context)
  const canManage = can(viewer, 'events.manage')
  if (tab === 'mine') {
    const user = requireUser(context, request)
    const [upcoming, past, token] = await Promise.all([
      listMyEvents(db, { user, scope: 'upcoming' }),
      listMyEvents(db, { user, scope: 'past' }),
      calendarFeedToken(db, user.id),
    ])
    return {
      tab,
      kind: kind ?? '',
      canManage,
      mine: { upcoming, past, feedUrl: `${env().APP_URL}/calendar/${token}.ics` },
      list: null,
    }
  }
  const list = await listEvents(db, { viewer, scope: tab, kind, page: pageParam(url) })
  redirectPastLastPage(url, { page: list.page, total: list.total, perPage: EVENTS_PER_PAGE })
  return { tab, kind: kind ?? '', canManage, list, mine: null }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = ['intent']

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  if (formData.get('intent') !== 'reset-feed') return data({ reset: false }, { status: 400 })
  await resetCalendarFeedToken(getDb(context), user.id)
  return { reset: true }
}

export default function Events({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { tab, kind } = loaderData
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>{t('events.list.title')}</h1>
        {loaderData.canManage ? (
          <Link to="/events/new" className="button">
            {t('events.new.button')}
          </Link>
        ) : null}
      </div>
      <nav aria-label={t('events.list.tabs')} className="tabs">
        {tabs.map((value) => (
          <Link
            key={value}
            to={value === 'upcoming' ? '/events' : `/events?tab=${value}`}
            aria-current={tab === value ? 'page' : undefined}
            className={tab === value ? 'tab active' : 'tab'}
          >
            {t(`events.list.tab.${value}`)}
          </Link>
        ))}
      </nav>
      {loaderData.list ? (
        <>
          <Form method="get" className="toolbar" aria-label={t('events.list.filter')}>
            {tab !== 'upcoming' ? <input type="hidden" name="tab" value={tab} /> : null}
            <div className="field">
              <label htmlFor="kind-filter">{t('events.fields.kind')}</label>
              <select id="kind-filter" name="kind" defaultValue={kind}>
                <option value="">{t('events.list.all_kinds')}</option>
                {eventKinds.map((value) => (
                  <option key={value} value={value}>
                    {t(`events.kinds.${value}`)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button-secondary">
              {t('events.list.apply')}
            </button>
          </Form>
          {loaderData.list.events.length ? (
            <ol className="event-list">
              {loaderData.list.events.map((event) => (
                <EventRow key={event.id} event={event} />
              ))}
            </ol>
          ) : (
            <p className="empty">{t(`events.list.empty.${tab}`)}</p>
          )}
          <Pagination page={loaderData.list.page} perPage={EVENTS_PER_PAGE} total={loaderData.list.total} />
        </>
      ) : null}
      {loaderData.mine ? (
        <>
          <section aria-labelledby="my-upcoming" className="stack">
            <h2 id="my-upcoming">{t('events.mine.upcoming')}</h2>
            {loaderData.mine.upcoming.length ? (
              <ol className="event-list">
                {loaderData.mine.upcoming.map((event) => (
                  <EventRow key={event.id} event={event} />
                ))}
              </ol>
            ) : (
              <p className="empty">{t('events.mine.none')}</p>
            )}
          </section>
          <section aria-labelledby="my-feed" className="panel stack">
            <h2 id="my-feed">{t('events.mine.feed_title')}</h2>
            <p>{t('events.mine.feed_lead')}</p>
            <label htmlFor="feed-url">{t('events.mine.feed_label')}</label>
            <input id="feed-url" type="text" readOnly value={loaderData.mine.feedUrl} className="feed-url" />
            <Form method="post">
              <button type="submit" name="intent" value="reset-feed" className="button button-small button-secondary">
                {t('events.mine.feed_reset')}
              </button>
            </Form>
            {actionData?.reset ? (
              <p className="notice" role="status">
                {t('events.mine.feed_was_reset')}
              </p>
            ) : null}
          </section>
          {loaderData.mine.past.length ? (
            <section aria-labelledby="my-past" className="stack">
              <h2 id="my-past">{t('events.mine.past')}</h2>
              <ol className="event-list">
                {loaderData.mine.past.map((event) => (
                  <EventRow key={event.id} event={event} />
                ))}
              </ol>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  )
}
