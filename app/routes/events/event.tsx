import { data, Form, Link, redirect } from 'react-router'
import { EventTime } from '#app/components/events/event-time.tsx'
import { FormErrors } from '#app/components/forms.tsx'
import { Prose } from '#app/components/prose.tsx'
import { useRootData, useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { VerifyFirstNotice } from '#app/components/verify-email-banner.tsx'
import { eventIcs } from '#app/domain/events/calendar.server.ts'
import { cancelEvent, getEventPage, joinUrlFor, publishEvent } from '#app/domain/events/events.server.ts'
import { closedReason, surveyPrompt } from '#app/domain/events/reader-status.ts'
import { cancelRegistration, myRegistration, registerForEvent } from '#app/domain/events/registrations.server.ts'
import { hasAnsweredSurvey } from '#app/domain/events/surveys.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { formatDate, formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { type Failure, fail } from '#app/lib/outcome.ts'
import { userPath } from '#app/lib/paths.ts'
import { getOptionalUser, requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage, failureResponse, intParam } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/event'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  pageTitle(matches, (t) => loaderData?.event.title ?? t('events.not_found'), { section: 'nav.events' })

/** `/events/<id>.ics` answers with the event's calendar file instead of the page. It runs as route
 *  middleware because a page's loader cannot replace the HTML document with a file. */
const calendarFile: Route.MiddlewareFunction = async ({ request, params, context }, next) => {
  if (request.method !== 'GET' || !params.eventId.endsWith('.ics')) return next()
  const eventId = intParam(params.eventId.slice(0, -'.ics'.length))
  const outcome = await eventIcs(getDb(context), { eventId, viewer: getOptionalUser(context) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return new Response(outcome.value, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="event-${eventId}.ics"`,
      'Cache-Control': 'private, no-cache',
    },
  })
}

export const middleware: Route.MiddlewareFunction[] = [calendarFile]

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const viewer = getOptionalUser(context)
  const eventId = intParam(params.eventId)
  const db = getDb(context)
  const outcome = await getEventPage(db, { viewer, eventId })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const [mine, joinUrl, surveyAnswered] = await Promise.all([
    viewer ? myRegistration(db, { userId: viewer.id, eventId }) : null,
    joinUrlFor(db, { viewer, eventId }),
    viewer && outcome.value.ended ? hasAnsweredSurvey(db, { userId: viewer.id, eventId }) : false,
  ])
  return {
    ...outcome.value,
    mine,
    joinUrl,
    surveyAnswered,
    signedIn: !!viewer,
    notice: new URL(request.url).searchParams.get('notice'),
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = ['intent']

/** What each button's handler gets: the member and the event. */
type EventIntent = IntentArgs<{ user: SessionUser; eventId: number }>

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const eventId = intParam(params.eventId)
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent(
    { context, db, user, eventId, formData },
    { register: handleRegister, cancel: handleCancel, publish: handlePublish, 'cancel-event': handleCancelEvent },
    ({ context }) => refused(context, fail(400, 'errors.bad_request')),
  )
}

/** A button that did nothing: why, above the page, with the failure's status. */
function refused(context: EventIntent['context'], failure: Failure) {
  return data({ error: failureMessage(context, failure) }, { status: failure.status })
}

/** Back to the event, saying what happened. */
function done(eventId: number, notice: string) {
  return redirect(`/events/${eventId}?notice=${notice}`)
}

/** Registers the member, or puts them on the waitlist (the notice says which). */
async function handleRegister({ context, db, user, eventId }: EventIntent) {
  const outcome = await registerForEvent(db, { user, eventId })
  if (!outcome.ok) return refused(context, outcome)
  return done(eventId, outcome.value.status)
}

async function handleCancel({ context, db, user, eventId }: EventIntent) {
  const outcome = await cancelRegistration(db, { user, eventId })
  if (!outcome.ok) return refused(context, outcome)
  return done(eventId, 'cancelled')
}

async function handlePublish({ context, db, user, eventId }: EventIntent) {
  const outcome = await publishEvent(db, { actor: user, eventId })
  if (!outcome.ok) return refused(context, outcome)
  return done(eventId, 'published')
}

async function handleCancelEvent({ context, db, user, eventId }: EventIntent) {
  const outcome = await cancelEvent(db, { actor: user, eventId })
  if (!outcome.ok) return refused(context, outcome)
  return done(eventId, 'event_cancelled')
}

export default function EventPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const root = useRootData()
  const { locale, timeZone } = useViewer()
  const { event, mine } = loaderData
  const left = event.capacity === null ? null : Math.max(0, event.capacity - loaderData.seatsTaken)
  const closed = closedReason({ ...loaderData, status: event.status })
  const survey = surveyPrompt({ ended: loaderData.ended, myStatus: mine?.status, answered: loaderData.surveyAnswered })
  const open = event.status === 'published' && !loaderData.started && !loaderData.closed
  return (
    <div className="event-page stack">
      <nav aria-label={t('events.breadcrumbs')} className="breadcrumbs">
        <Link to="/events">{t('nav.events')}</Link>
      </nav>
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      {loaderData.notice ? (
        <p className="notice" role="status">
          {t(`events.notice.${loaderData.notice}`, { defaultValue: '' })}
        </p>
      ) : null}
      {event.status === 'cancelled' ? <p className="banner banner-warning">{t('events.cancelled_banner')}</p> : null}
      {event.status === 'draft' ? <p className="banner">{t('events.draft_banner')}</p> : null}
      <header className="stack" lang={event.locale}>
        <p className="event-kind">
          <span className="badge">{t(`events.kinds.${event.kind}`)}</span>
        </p>
        <h1>{event.title}</h1>
      </header>
      <div className="event-layout">
        <div className="stack">
          <dl className="facts">
            <dt>{t('events.fields.when')}</dt>
            <dd>
              <EventTime startsAt={event.startsAt} endsAt={event.endsAt} timeZone={event.timeZone} />
            </dd>
            <dt>{t('events.fields.where')}</dt>
            <dd>
              {event.venue ?? null}
              {event.venue && event.online ? t('app.separator') : null}
              {event.online ? (
                loaderData.joinUrl ? (
                  <a href={loaderData.joinUrl}>{t('events.join_link')}</a>
                ) : (
                  t('events.online_after_registration')
                )
              ) : null}
            </dd>
            {loaderData.hosts.length ? (
              <>
                <dt>{t('events.fields.hosts')}</dt>
                <dd>
                  {loaderData.hosts.map((host, index) => (
                    <span key={host.id}>
                      {index > 0 ? ', ' : null}
                      <Link to={userPath(host.id)}>{host.displayName}</Link>
                    </span>
                  ))}
                </dd>
              </>
            ) : null}
            <dt>{t('events.fields.seats')}</dt>
            <dd>
              {left === null
                ? t('events.seats.unlimited')
                : t('events.seats.taken', { taken: loaderData.seatsTaken, capacity: event.capacity })}
              {loaderData.waitlist ? (
                <>
                  {t('app.separator')}
                  {t('events.seats.waitlist', { count: loaderData.waitlist })}
                </>
              ) : null}
            </dd>
            {event.registrationClosesAt ? (
              <>
                <dt>{t('events.fields.deadline')}</dt>
                <dd>{formatDateTime(event.registrationClosesAt, locale, timeZone)}</dd>
              </>
            ) : null}
            {event.recordingUrl ? (
              <>
                <dt>{t('events.fields.recording')}</dt>
                <dd>
                  <a href={event.recordingUrl}>{t('events.watch_recording')}</a>
                </dd>
              </>
            ) : null}
          </dl>
          <div lang={event.locale}>
            <Prose html={event.bodyHtml} />
          </div>
        </div>
        <aside className="panel stack event-registration" aria-labelledby="registration-title">
          <h2 id="registration-title">{t('events.registration.title')}</h2>
          {mine ? (
            <p className="notice" role="status">
              {mine.status === 'waitlisted'
                ? t('events.registration.waitlisted', { position: mine.position })
                : t(`events.my_status.${mine.status}`)}
            </p>
          ) : null}
          {!loaderData.signedIn ? (
            <Link to={`/login?redirectTo=${encodeURIComponent(`/events/${event.id}`)}`} className="button">
              {t('events.registration.sign_in')}
            </Link>
          ) : mine && (mine.status === 'registered' || mine.status === 'waitlisted') && !loaderData.started ? (
            <Form method="post">
              <button type="submit" name="intent" value="cancel" className="button button-secondary">
                {mine.status === 'waitlisted'
                  ? t('events.registration.leave_waitlist')
                  : t('events.registration.cancel')}
              </button>
            </Form>
          ) : open && loaderData.inAudience && (!mine || mine.status === 'cancelled') && !root?.user?.emailVerified ? (
            <VerifyFirstNotice />
          ) : open && loaderData.inAudience && (!mine || mine.status === 'cancelled') ? (
            <Form method="post">
              <button type="submit" name="intent" value="register" className="button">
                {left === 0 ? t('events.registration.join_waitlist') : t('events.registration.register')}
              </button>
            </Form>
          ) : (
            <p className="muted">
              {closed === 'ended'
                ? t('events.registration.closed_ended', {
                    date: formatDate(event.endsAt, locale, timeZone),
                  })
                : closed === 'not_in_audience'
                  ? t('events.registration.not_in_audience')
                  : closed
                    ? t(`events.registration.closed_${closed}`)
                    : null}
            </p>
          )}
          {event.status !== 'draft' ? (
            <p>
              <a href={`/events/${event.id}.ics`} download>
                {t('events.add_to_calendar')}
              </a>
            </p>
          ) : null}
          {survey === 'ask' ? (
            <p>
              <Link to={`/events/${event.id}/survey`}>{t('events.survey_link')}</Link>
            </p>
          ) : survey === 'thanks' ? (
            <p className="muted">{t('events.survey_thanks')}</p>
          ) : null}
        </aside>
      </div>
      {loaderData.canManage ? (
        <section className="panel stack" aria-labelledby="staff-tools">
          <h2 id="staff-tools">{t('events.staff.title')}</h2>
          <p className="post-actions">
            <Link to={`/events/${event.id}/edit`}>{t('events.staff.edit')}</Link>
            <Link to={`/events/${event.id}/attendance`}>{t('events.staff.attendance')}</Link>
            <Link to={`/events/${event.id}/results`}>{t('events.staff.results')}</Link>
          </p>
          <Form method="post" className="inline-actions">
            {event.status === 'draft' ? (
              <button type="submit" name="intent" value="publish" className="button">
                {t('events.staff.publish')}
              </button>
            ) : null}
          </Form>
          {event.status !== 'cancelled' ? (
            // A disclosure asks for a second, deliberate press without needing JavaScript.
            <details className="danger-zone">
              <summary>{t('events.staff.cancel_event')}</summary>
              <Form method="post" className="stack">
                <p>{t('events.staff.cancel_confirm', { count: loaderData.seatsTaken + loaderData.waitlist })}</p>
                <button type="submit" name="intent" value="cancel-event" className="button button-danger">
                  {t('events.staff.cancel_event_confirm')}
                </button>
              </Form>
            </details>
          ) : null}
        </section>
      ) : null}
    </div>
  )
}
