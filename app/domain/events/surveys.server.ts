import { and, desc, eq, exists, gt, inArray, isNull, lte, not, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { translator } from '#app/lib/i18n.ts'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import { dispatchEmails, queueEmail } from '#app/lib/mail.server.ts'
import { npsGroups, npsOf } from '#app/lib/nps.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { eventRegistrations, eventSurveys, events } from '#db/schema/events.ts'
import { users } from '#db/schema/identity.ts'
import { type AttendanceEvent, loadFollowupEvent } from './attendance.server.ts'
import { audienceColumns, eventViewerOf } from './audience.server.ts'
import { maySeeEvent } from './audience.ts'
import type { SurveyInput } from './schemas.ts'

/** Invitations go out for events that ended within this window; a later run does not mail old events. */
const INVITATION_WINDOW_MS = 7 * 24 * 60 * 60 * 1000
export const SURVEY_INVITATIONS_JOB = 'events.survey-invitations'

export function surveyPath(eventId: number): string {
  return `/events/${eventId}/survey`
}

/** Emails the survey link to everyone marked attended at an event that ended in the last 7 days and
 *  has not been invited (nor answered) yet, in the member's language. Set-based and safe to overlap:
 *  one update claims the rows by setting `survey_sent_at`, so a concurrent run finds them taken.
 *  Disabled members are not mailed. Returns the queued email ids, dispatched after commit. */
export async function sendSurveyInvitations(db: Db, now: Date = new Date()): Promise<number[]> {
  const ids = await db.transaction(async (tx) => {
    const recentlyEnded = tx
      .select({ id: events.id })
      .from(events)
      .where(
        and(
          eq(events.status, 'published'),
          lte(events.endsAt, now),
          gt(events.endsAt, new Date(now.getTime() - INVITATION_WINDOW_MS)),
        ),
      )
    const activeMembers = tx.select({ id: users.id }).from(users).where(isNull(users.disabledAt))
    const answered = tx
      .select({ one: sql`1` })
      .from(eventSurveys)
      .where(
        and(eq(eventSurveys.eventId, eventRegistrations.eventId), eq(eventSurveys.userId, eventRegistrations.userId)),
      )
    const claimed = await tx
      .update(eventRegistrations)
      .set({ surveySentAt: now })
      .where(
        and(
          eq(eventRegistrations.status, 'attended'),
          isNull(eventRegistrations.surveySentAt),
          inArray(eventRegistrations.eventId, recentlyEnded),
          inArray(eventRegistrations.userId, activeMembers),
          not(exists(answered)),
        ),
      )
      .returning({ eventId: eventRegistrations.eventId, userId: eventRegistrations.userId })
    if (claimed.length === 0) return []

    const [people, invitedEvents] = await Promise.all([
      tx
        .select({
          id: users.id,
          email: users.email,
          displayName: users.displayName,
          locale: users.locale,
          timeZone: users.timeZone,
        })
        .from(users)
        .where(inArray(users.id, [...new Set(claimed.map((row) => row.userId))])),
      tx
        .select({ id: events.id, title: events.title, startsAt: events.startsAt })
        .from(events)
        .where(inArray(events.id, [...new Set(claimed.map((row) => row.eventId))])),
    ])
    const personById = new Map(people.map((person) => [person.id, person]))
    const eventById = new Map(invitedEvents.map((event) => [event.id, event]))
    const queued: number[] = []
    for (const { eventId, userId } of claimed) {
      const person = personById.get(userId)!
      const event = eventById.get(eventId)!
      const t = translator(person.locale)
      const link = `${env().APP_URL.replace(/\/+$/, '')}${surveyPath(eventId)}`
      const text = [
        t('events_followup.email.greeting', { name: person.displayName }),
        t('events_followup.email.intro', {
          title: event.title,
          date: formatDateTime(event.startsAt, person.locale, person.timeZone),
        }),
        t('events_followup.email.link', { link }),
        t('events_followup.email.footer'),
      ].join('\n\n')
      queued.push(
        await queueEmail(tx, {
          to: person.email,
          subject: t('events_followup.email.subject', { title: event.title }),
          text,
          template: 'event_survey_invitation',
        }),
      )
    }
    return queued
  })
  await dispatchEmails(ids)
  return ids
}

export const followupJobs: JobDefinition[] = [
  {
    name: SURVEY_INVITATIONS_JOB,
    handler: async (db) => {
      await sendSurveyInvitations(db)
    },
    cron: '*/15 * * * *',
  },
]

export type SurveyAnswer = { rating: number; nps: number; comment: string | null; createdAt: Date }

/** The event, if the member may answer its survey: they were marked attended (403 otherwise) and the
 *  event has ended (409 before). Drafts, unknown events and events whose page the member may not see
 *  (`maySeeEvent`) are 404, so the survey tells nobody more than the page does. */
async function surveyEventFor(
  db: Db,
  user: SessionUser,
  eventId: number,
  now: Date,
): Promise<Outcome<AttendanceEvent>> {
  const event = await loadFollowupEvent(db, eventId)
  if (!event || event.status === 'draft') return fail(404, 'errors.not_found')
  const [seat] = await db
    .select({ status: eventRegistrations.status })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, user.id)))
  if (seat?.status !== 'attended') {
    const [audience] = await db.select(audienceColumns).from(events).where(eq(events.id, eventId))
    if (!maySeeEvent(await eventViewerOf(db, user), audience!, !!seat)) return fail(404, 'errors.not_found')
    return fail(403, 'events_followup.survey_not_attendee')
  }
  if (event.endsAt > now) return fail(409, 'events_followup.survey_not_open')
  return ok(event)
}

async function answerOf(db: Db, userId: number, eventId: number): Promise<SurveyAnswer | null> {
  const [answer] = await db
    .select({
      rating: eventSurveys.rating,
      nps: eventSurveys.nps,
      comment: eventSurveys.comment,
      createdAt: eventSurveys.createdAt,
    })
    .from(eventSurveys)
    .where(and(eq(eventSurveys.eventId, eventId), eq(eventSurveys.userId, userId)))
  return answer ?? null
}

/** Whether the member has answered the event's survey (the event page thanks them instead of asking
 *  again). */
export async function hasAnsweredSurvey(db: Db, { userId, eventId }: { userId: number; eventId: number }) {
  return (await answerOf(db, userId, eventId)) !== null
}

/** What the survey page shows a member: the event and their answer, if they gave one. Only for
 *  members marked attended (403), once the event has ended (409). */
export async function getSurveyForm(
  db: Db,
  { user, eventId, now = new Date() }: { user: SessionUser; eventId: number; now?: Date },
): Promise<Outcome<{ event: AttendanceEvent; answer: SurveyAnswer | null }>> {
  const event = await surveyEventFor(db, user, eventId, now)
  if (!event.ok) return event
  return ok({ event: event.value, answer: await answerOf(db, user.id, eventId) })
}

/** Records an attendee's survey answer. One answer per attendee, final once given: a second submit is
 *  409 `survey_already_answered`, so the figures staff have read do not shift afterwards. Credits
 *  `survey_answered` in the ledger once. Same access rules as `getSurveyForm`. */
export async function answerSurvey(
  db: Db,
  { user, eventId, input, now = new Date() }: { user: SessionUser; eventId: number; input: SurveyInput; now?: Date },
): Promise<Outcome<SurveyAnswer>> {
  const event = await surveyEventFor(db, user, eventId, now)
  if (!event.ok) return event
  return db.transaction(async (tx) => {
    const [answer] = await tx
      .insert(eventSurveys)
      .values({ eventId, userId: user.id, rating: input.rating, nps: input.nps, comment: input.comment || null })
      .onConflictDoNothing({ target: [eventSurveys.eventId, eventSurveys.userId] })
      .returning({
        rating: eventSurveys.rating,
        nps: eventSurveys.nps,
        comment: eventSurveys.comment,
        createdAt: eventSurveys.createdAt,
      })
    if (!answer) return fail(409, 'events_followup.survey_already_answered')
    await recordActivity(tx, { type: 'survey_answered', user, subject: { type: 'event', id: eventId } })
    return ok(answer)
  })
}

export type EventResults = {
  event: AttendanceEvent
  ended: boolean
  /** Seats held: registered, attended and no-show. */
  seats: number
  attended: number
  noShows: number
  /** Seats not marked yet. */
  unmarked: number
  /** attended ÷ (attended + no-shows + seats still unmarked after the end), in percent, rounded; null
   *  when there is nothing to count yet. Before the end, unmarked seats are not counted as absences. */
  attendancePercent: number | null
  answers: number
  /** Average rating (1–5) to one decimal; null without answers. */
  averageRating: number | null
  nps: number | null
  promoters: number
  passives: number
  detractors: number
  /** Newest first. Without the member's name: the survey tells members their answers reach the team
   *  anonymously, which keeps the answers candid. */
  comments: { rating: number; nps: number; comment: string; createdAt: Date }[]
}

/** The follow-up figures of one event (staff): attendance, the survey's average rating and NPS with
 *  its groups, and the comments. */
export async function eventResults(
  db: Db,
  { actor, eventId, now = new Date() }: { actor: SessionUser; eventId: number; now?: Date },
): Promise<Outcome<EventResults>> {
  if (!can(actor, 'events.manage')) return fail(403, 'errors.forbidden')
  const event = await loadFollowupEvent(db, eventId)
  if (!event) return fail(404, 'errors.not_found')
  const [[counts], answers] = await Promise.all([
    db
      .select({
        registered: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'registered')`.mapWith(Number),
        attended: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'attended')`.mapWith(Number),
        noShows: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'no_show')`.mapWith(Number),
      })
      .from(eventRegistrations)
      .where(eq(eventRegistrations.eventId, eventId)),
    db
      .select({
        rating: eventSurveys.rating,
        nps: eventSurveys.nps,
        comment: eventSurveys.comment,
        createdAt: eventSurveys.createdAt,
      })
      .from(eventSurveys)
      .where(eq(eventSurveys.eventId, eventId))
      .orderBy(desc(eventSurveys.createdAt), desc(eventSurveys.id)),
  ])
  const { registered = 0, attended = 0, noShows = 0 } = counts ?? {}
  const ended = event.endsAt <= now
  const counted = attended + noShows + (ended ? registered : 0)
  const ratings = answers.map((answer) => answer.rating)
  return ok({
    event,
    ended,
    seats: registered + attended + noShows,
    attended,
    noShows,
    unmarked: registered,
    attendancePercent: counted === 0 ? null : Math.round((attended / counted) * 100),
    answers: answers.length,
    averageRating: ratings.length
      ? Math.round((ratings.reduce((sum, rating) => sum + rating, 0) / ratings.length) * 10) / 10
      : null,
    nps: npsOf(answers.map((answer) => answer.nps)),
    ...npsGroups(answers.map((answer) => answer.nps)),
    comments: answers.flatMap(({ comment, ...answer }) => (comment ? [{ ...answer, comment }] : [])),
  })
}
