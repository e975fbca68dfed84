import { expect, test } from 'vitest'
import { insertEvent, insertRegistration, insertUser } from '#app/server/seed/factories/index.ts'
import { eventSurveys } from '#db/schema/events.ts'
import { db } from '#tests/db.ts'
import { eventInsights } from './event-results.server.ts'

// Each test counts in a period of its own, years apart, so the rows of one never fall in another's.
const at = (iso: string) => new Date(iso)
const HOUR = 3_600_000

async function eventEnding(endsAt: string, overrides: Parameters<typeof insertEvent>[1] = {}) {
  const end = at(endsAt)
  return insertEvent(db, { startsAt: new Date(end.getTime() - HOUR), endsAt: end, ...overrides })
}

async function answer(event: { id: number }, user: { id: number }, rating: number, nps: number) {
  await db.insert(eventSurveys).values({ eventId: event.id, userId: user.id, rating, nps })
}

test('registrations, attendance, rating and NPS of a period, worked out by hand', async () => {
  const members = await Promise.all(Array.from({ length: 6 }, () => insertUser(db)))
  const [m1, m2, m3, m4, m5, m6] = members as [
    (typeof members)[0],
    (typeof members)[0],
    (typeof members)[0],
    (typeof members)[0],
    (typeof members)[0],
    (typeof members)[0],
  ]
  const period = { from: at('2045-03-01T00:00:00Z'), to: at('2045-04-01T00:00:00Z') }

  // A webinar that ended in the period: 3 attended, 1 no-show, 1 never marked.
  const webinar = await eventEnding('2045-03-10T10:00:00Z', { title: 'Webinar A' })
  await insertRegistration(db, webinar, m1, { status: 'attended', createdAt: at('2045-02-20T00:00:00Z') })
  await insertRegistration(db, webinar, m2, { status: 'attended', createdAt: at('2045-03-01T00:00:00Z') })
  await insertRegistration(db, webinar, m3, { status: 'attended', createdAt: at('2045-03-02T00:00:00Z') })
  await insertRegistration(db, webinar, m4, { status: 'no_show', createdAt: at('2045-03-03T00:00:00Z') })
  await insertRegistration(db, webinar, m5, { status: 'registered', createdAt: at('2045-03-04T00:00:00Z') })
  await insertRegistration(db, webinar, m6, { status: 'cancelled', createdAt: at('2045-03-05T00:00:00Z') })
  // Survey: ratings 5, 4, 3; NPS 10 (promoter), 9 (promoter), 3 (detractor) → (2 − 1) ÷ 3 = 33.
  await answer(webinar, m1, 5, 10)
  await answer(webinar, m2, 4, 9)
  await answer(webinar, m3, 3, 3)

  // A workshop that ended in the period: 1 attended, 1 no-show, one answer (rating 2, NPS 7: passive).
  const workshop = await eventEnding('2045-03-20T10:00:00Z', { title: 'Workshop B', kind: 'workshop' })
  await insertRegistration(db, workshop, m1, { status: 'attended', createdAt: at('2045-03-06T00:00:00Z') })
  await insertRegistration(db, workshop, m2, { status: 'no_show', createdAt: at('2045-03-07T00:00:00Z') })
  await answer(workshop, m1, 2, 7)

  // Sign-ups in the period for an event still to come (one on the waitlist).
  const later = await eventEnding('2045-05-01T10:00:00Z')
  await insertRegistration(db, later, m3, { status: 'registered', createdAt: at('2045-03-31T23:59:59Z') })
  await insertRegistration(db, later, m4, { status: 'waitlisted', createdAt: at('2045-03-15T00:00:00Z') })
  await insertRegistration(db, later, m5, { status: 'registered', createdAt: at('2045-04-01T00:00:00Z') })

  // Not counted: an event that ended at the (excluded) end, a cancelled one, one that ended before.
  const atEnd = await eventEnding('2045-04-01T00:00:00Z')
  await insertRegistration(db, atEnd, m6, { status: 'attended', createdAt: at('2045-02-01T00:00:00Z') })
  await answer(atEnd, m6, 1, 0)
  const cancelled = await eventEnding('2045-03-12T10:00:00Z', { status: 'cancelled' })
  await insertRegistration(db, cancelled, m6, { status: 'no_show', createdAt: at('2045-02-01T00:00:00Z') })
  await eventEnding('2045-02-28T23:00:00Z')

  const insights = await eventInsights(db, period)
  expect(insights).toMatchObject({
    // m2..m6 on the webinar, m1 and m2 on the workshop, m3 and m4 for the later event.
    registrations: 9,
    waitlisted: 1,
    cancelled: 1,
    eventsEnded: 2,
    attended: 4,
    noShows: 2,
    unmarked: 1,
    attendanceRate: 4 / 6,
    answers: 4,
    averageRating: (5 + 4 + 3 + 2) / 4,
    // Promoters 2, passives 1, detractors 1 of 4: 25.
    nps: 25,
    promoters: 2,
    passives: 1,
    detractors: 1,
  })
  expect(insights.events).toEqual([
    {
      eventId: workshop.id,
      title: 'Workshop B',
      kind: 'workshop',
      startsAt: workshop.startsAt,
      seats: 2,
      attended: 1,
      noShows: 1,
      unmarked: 0,
      attendanceRate: 1 / 2,
      answers: 1,
      averageRating: 2,
      nps: 0,
    },
    {
      eventId: webinar.id,
      title: 'Webinar A',
      kind: 'webinar',
      startsAt: webinar.startsAt,
      seats: 5,
      attended: 3,
      noShows: 1,
      unmarked: 1,
      attendanceRate: 3 / 4,
      answers: 3,
      averageRating: 4,
      nps: 33,
    },
  ])
})

test('a period without events has no rates', async () => {
  const event = await eventEnding('2047-06-10T10:00:00Z')
  await insertRegistration(db, event, await insertUser(db), { status: 'registered', createdAt: at('2047-06-01') })
  expect(await eventInsights(db, { from: at('2047-06-01T00:00:00Z'), to: at('2047-07-01T00:00:00Z') })).toMatchObject({
    registrations: 1,
    eventsEnded: 1,
    unmarked: 1,
    attendanceRate: null,
    answers: 0,
    averageRating: null,
    nps: null,
  })
  expect(await eventInsights(db, { from: at('2048-01-01T00:00:00Z'), to: at('2048-02-01T00:00:00Z') })).toEqual({
    registrations: 0,
    waitlisted: 0,
    cancelled: 0,
    eventsEnded: 0,
    attended: 0,
    noShows: 0,
    unmarked: 0,
    attendanceRate: null,
    answers: 0,
    averageRating: null,
    nps: null,
    promoters: 0,
    passives: 0,
    detractors: 0,
    events: [],
  })
})
