import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { env } from '#app/lib/env.server.ts'
import { insertEvent, insertRegistration, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { eventRegistrations, eventSurveys } from '#db/schema/events.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { db } from '#tests/db.ts'
import { SurveySchema } from './schemas.ts'
import { answerSurvey, eventResults, followupJobs, getSurveyForm, sendSurveyInvitations } from './surveys.server.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** An event that ended `agoMs` before `now` (an hour long). */
function endedEvent(now: Date, agoMs = HOUR, overrides: Parameters<typeof insertEvent>[1] = {}) {
  const endsAt = new Date(now.getTime() - agoMs)
  return insertEvent(db, { startsAt: new Date(endsAt.getTime() - HOUR), endsAt, ...overrides })
}

function mailTo(user: { email: string }) {
  return db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email)).orderBy(emailOutbox.id)
}

async function surveySentAt(event: { id: number }, user: { id: number }) {
  const [row] = await db
    .select({ at: eventRegistrations.surveySentAt })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.userId, user.id)))
  return row?.at ?? null
}

const answer = { rating: 4, nps: 9, comment: 'Clear and practical.' }

test('survey invitations go to attendees once, after the end, in their language, never to no-shows', async () => {
  // Each invitation test runs at its own far-off moment, so events of other tests are out of its window.
  const endsAt = new Date('2031-03-10T06:00:00Z')
  const event = await insertEvent(db, {
    title: 'Automation workshop',
    startsAt: new Date(endsAt.getTime() - HOUR),
    endsAt,
  })
  const attendee = await insertUser(db, { displayName: 'Hana', locale: 'ja', timeZone: 'Asia/Tokyo' })
  const english = await insertUser(db, { displayName: 'Sam' })
  const [noShow, unmarked, waiting, disabled] = await Promise.all([
    insertUser(db),
    insertUser(db),
    insertUser(db),
    insertUser(db, { disabledAt: new Date() }),
  ])
  await insertRegistration(db, event, attendee, { status: 'attended' })
  await insertRegistration(db, event, english, { status: 'attended' })
  await insertRegistration(db, event, noShow, { status: 'no_show' })
  await insertRegistration(db, event, unmarked)
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })
  await insertRegistration(db, event, disabled, { status: 'attended' })

  expect(await sendSurveyInvitations(db, new Date(endsAt.getTime() - MINUTE))).toEqual([])

  const runAt = new Date(endsAt.getTime() + 15 * MINUTE)
  expect(await sendSurveyInvitations(db, runAt)).toHaveLength(2)
  const link = `${env().APP_URL}/events/${event.id}/survey`
  const [ja] = await mailTo(attendee)
  expect(ja).toMatchObject({
    subject: '「Automation workshop」はいかがでしたか？',
    template: 'event_survey_invitation',
  })
  expect(ja?.textBody).toContain('Hana 様')
  expect(ja?.textBody).toContain('2031/03/10 14:00') // the start, in the member's zone
  expect(ja?.textBody).toContain(link)
  const [en] = await mailTo(english)
  expect(en?.subject).toBe('How was “Automation workshop”?')
  expect(en?.textBody).toContain(link)
  for (const other of [noShow, unmarked, waiting, disabled]) expect(await mailTo(other)).toEqual([])
  expect(await surveySentAt(event, attendee)).toEqual(runAt)

  // Later runs, even two at once, find nothing left to send.
  const [first, second] = await Promise.all([
    sendSurveyInvitations(db, new Date(runAt.getTime() + 15 * MINUTE)),
    sendSurveyInvitations(db, new Date(runAt.getTime() + 15 * MINUTE)),
  ])
  expect([...first, ...second]).toEqual([])
  expect(await mailTo(attendee)).toHaveLength(1)
})

test('an attendee marked late is invited by a later run, and overlapping runs invite once', async () => {
  const now = new Date('2032-06-01T00:00:00Z')
  const event = await endedEvent(now, 2 * HOUR)
  const late = await insertUser(db)
  await insertRegistration(db, event, late, { status: 'no_show' })
  expect(await sendSurveyInvitations(db, now)).toEqual([])

  await db
    .update(eventRegistrations)
    .set({ status: 'attended' })
    .where(and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.userId, late.id)))
  const runs = await Promise.all([sendSurveyInvitations(db, now), sendSurveyInvitations(db, now)])
  expect(runs.flat()).toHaveLength(1)
  expect(await mailTo(late)).toHaveLength(1)
})

test('no invitations for events that ended over a week ago, were cancelled, or were already answered', async () => {
  const now = new Date('2033-09-01T00:00:00Z')
  const old = await endedEvent(now, 8 * DAY)
  const cancelled = await endedEvent(now, HOUR, { status: 'cancelled', cancelledAt: now })
  const answered = await endedEvent(now, HOUR)
  const member = await insertUser(db)
  for (const event of [old, cancelled, answered]) await insertRegistration(db, event, member, { status: 'attended' })
  await db.insert(eventSurveys).values({ eventId: answered.id, userId: member.id, rating: 5, nps: 10 })

  expect(await sendSurveyInvitations(db, now)).toEqual([])
  expect(await mailTo(member)).toEqual([])
})

test('the invitation job runs every 15 minutes', () => {
  expect(followupJobs).toEqual([expect.objectContaining({ name: 'events.survey-invitations', cron: '*/15 * * * *' })])
})

test('the survey is open to attendees once the event has ended', async () => {
  const running = await insertEvent(db, {
    startsAt: new Date(Date.now() - HOUR),
    endsAt: new Date(Date.now() + HOUR),
  })
  const ended = await endedEvent(new Date())
  const [attendee, noShow, registered, stranger] = await Promise.all([
    insertUser(db),
    insertUser(db),
    insertUser(db),
    insertUser(db),
  ])
  for (const event of [running, ended]) await insertRegistration(db, event, attendee, { status: 'attended' })
  await insertRegistration(db, ended, noShow, { status: 'no_show' })
  await insertRegistration(db, ended, registered)

  const notAttendee = { ok: false, status: 403, code: 'events_followup.survey_not_attendee' }
  for (const user of [noShow, registered, stranger]) {
    expect(await getSurveyForm(db, { user, eventId: ended.id })).toMatchObject(notAttendee)
    expect(await answerSurvey(db, { user, eventId: ended.id, input: answer })).toMatchObject(notAttendee)
  }
  const notOpen = { ok: false, status: 409, code: 'events_followup.survey_not_open' }
  expect(await getSurveyForm(db, { user: attendee, eventId: running.id })).toMatchObject(notOpen)
  expect(await answerSurvey(db, { user: attendee, eventId: running.id, input: answer })).toMatchObject(notOpen)

  expect(await getSurveyForm(db, { user: attendee, eventId: ended.id })).toMatchObject({
    ok: true,
    value: { event: { id: ended.id, title: ended.title }, answer: null },
  })
  expect(await getSurveyForm(db, { user: attendee, eventId: 999_999 })).toMatchObject({ ok: false, status: 404 })
  expect(await db.select().from(eventSurveys).where(eq(eventSurveys.eventId, ended.id))).toEqual([])
})

test('an attendee answers once; a second answer is refused and the ledger counts one', async () => {
  const event = await endedEvent(new Date())
  const attendee = await insertUser(db)
  await insertRegistration(db, event, attendee, { status: 'attended' })

  const first = await answerSurvey(db, { user: attendee, eventId: event.id, input: answer })
  expect(first).toMatchObject({ ok: true, value: { rating: 4, nps: 9, comment: 'Clear and practical.' } })
  expect(
    await answerSurvey(db, { user: attendee, eventId: event.id, input: { rating: 1, nps: 0, comment: 'Changed' } }),
  ).toMatchObject({ ok: false, status: 409, code: 'events_followup.survey_already_answered' })

  expect(await getSurveyForm(db, { user: attendee, eventId: event.id })).toMatchObject({
    ok: true,
    value: { answer: { rating: 4, nps: 9, comment: 'Clear and practical.' } },
  })
  const signals = await db
    .select()
    .from(activityEvents)
    .where(and(eq(activityEvents.type, 'survey_answered'), eq(activityEvents.userId, attendee.id)))
  expect(signals).toHaveLength(1)
  expect(signals[0]).toMatchObject({ subjectType: 'event', subjectId: String(event.id) })
})

test('an empty comment is stored as none', async () => {
  const event = await endedEvent(new Date())
  const attendee = await insertUser(db)
  await insertRegistration(db, event, attendee, { status: 'attended' })
  expect(
    await answerSurvey(db, { user: attendee, eventId: event.id, input: { rating: 5, nps: 10, comment: '' } }),
  ).toMatchObject({ ok: true, value: { comment: null } })
})

test('the survey form requires a rating and a score in range, and keeps comments under 2,000 characters', () => {
  const issues = (input: Record<string, unknown>) => {
    const parsed = SurveySchema.safeParse(input)
    return parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])
  }
  expect(SurveySchema.parse({ rating: '5', nps: '0', comment: ' Great\u0000 demo ' })).toEqual({
    rating: 5,
    nps: 0,
    comment: 'Great demo',
  })
  expect(SurveySchema.parse({ rating: '1', nps: '10' })).toEqual({ rating: 1, nps: 10 })
  expect(issues({})).toEqual([
    ['rating', 'events_followup.validation.rating_required'],
    ['nps', 'events_followup.validation.nps_required'],
  ])
  expect(issues({ rating: '', nps: '' })).toHaveLength(2)
  expect(issues({ rating: '6', nps: '11' })).toEqual([
    ['rating', 'events_followup.validation.rating_required'],
    ['nps', 'events_followup.validation.nps_required'],
  ])
  expect(issues({ rating: '0', nps: '-1' })).toHaveLength(2)
  expect(issues({ rating: '4.5', nps: 'ten' })).toHaveLength(2)
  expect(issues({ rating: '3', nps: '7', comment: 'x'.repeat(2001) })).toEqual([
    ['comment', 'events_followup.validation.comment_too_long'],
  ])
  expect(issues({ rating: '3', nps: '7', comment: 'あ'.repeat(2000) })).toEqual([])
})

test('results: attendance rate, average rating, NPS and comments on a known data set', async () => {
  const staff = await insertStaff(db)
  const event = await endedEvent(new Date(), DAY)
  const people = await Promise.all(Array.from({ length: 8 }, () => insertUser(db)))
  const statuses = ['attended', 'attended', 'attended', 'attended', 'no_show', 'registered', 'waitlisted', 'cancelled']
  for (const [index, status] of statuses.entries()) {
    await insertRegistration(db, event, people[index]!, { status: status as 'attended' })
  }
  const answers = [
    { rating: 5, nps: 10, comment: 'Loved the live demo.', at: '2026-01-02T10:00:00Z' },
    { rating: 4, nps: 9, comment: null, at: '2026-01-02T11:00:00Z' },
    { rating: 4, nps: 7, comment: 'A bit long.', at: '2026-01-02T12:00:00Z' },
    { rating: 2, nps: 3, comment: 'Audio kept dropping.', at: '2026-01-02T09:00:00Z' },
  ]
  await db.insert(eventSurveys).values(
    answers.map((a, index) => ({
      eventId: event.id,
      userId: people[index]!.id,
      rating: a.rating,
      nps: a.nps,
      comment: a.comment,
      createdAt: new Date(a.at),
    })),
  )

  const results = await eventResults(db, { actor: staff, eventId: event.id })
  if (!results.ok) throw new Error(results.code)
  expect(results.value).toMatchObject({
    ended: true,
    seats: 6,
    attended: 4,
    noShows: 1,
    unmarked: 1,
    attendancePercent: 67, // 4 ÷ (4 + 1 + 1)
    answers: 4,
    averageRating: 3.8, // 15 ÷ 4 = 3.75
    nps: 25, // 2 promoters − 1 detractor, of 4
    promoters: 2,
    passives: 1,
    detractors: 1,
  })
  expect(results.value.comments).toEqual([
    { rating: 4, nps: 7, comment: 'A bit long.', createdAt: new Date('2026-01-02T12:00:00Z') },
    { rating: 5, nps: 10, comment: 'Loved the live demo.', createdAt: new Date('2026-01-02T10:00:00Z') },
    { rating: 2, nps: 3, comment: 'Audio kept dropping.', createdAt: new Date('2026-01-02T09:00:00Z') },
  ])
})

test('results before the end do not count unmarked seats, and without data have no figures', async () => {
  const staff = await insertStaff(db)
  const running = await insertEvent(db, { startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + HOUR) })
  const [a, b, c] = await Promise.all([insertUser(db), insertUser(db), insertUser(db)])
  await insertRegistration(db, running, a, { status: 'attended' })
  await insertRegistration(db, running, b, { status: 'no_show' })
  await insertRegistration(db, running, c)
  expect(await eventResults(db, { actor: staff, eventId: running.id })).toMatchObject({
    ok: true,
    value: { ended: false, seats: 3, unmarked: 1, attendancePercent: 50 },
  })

  const empty = await endedEvent(new Date())
  expect(await eventResults(db, { actor: staff, eventId: empty.id })).toMatchObject({
    ok: true,
    value: {
      seats: 0,
      attendancePercent: null,
      answers: 0,
      averageRating: null,
      nps: null,
      promoters: 0,
      passives: 0,
      detractors: 0,
      comments: [],
    },
  })
})

test('members cannot see results', async () => {
  const member = await insertUser(db)
  const event = await endedEvent(new Date())
  await insertRegistration(db, event, member, { status: 'attended' })
  expect(await eventResults(db, { actor: member, eventId: event.id })).toMatchObject({
    ok: false,
    status: 403,
    code: 'errors.forbidden',
  })
  const staff = await insertStaff(db)
  expect(await eventResults(db, { actor: staff, eventId: 999_999 })).toMatchObject({ ok: false, status: 404 })
})
