import ical, { type CalendarResponse, type VEvent } from 'node-ical'
import { expect, test } from 'vitest'
import { insertEvent, insertRegistration, insertUser } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { calendarFeedToken, eventCalendar, eventIcs, feedIcs, resetCalendarFeedToken } from './calendar.server.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

function parsed(text: string): { calendar: CalendarResponse; events: VEvent[] } {
  const calendar = ical.sync.parseICS(text)
  const events = Object.values(calendar).filter((item): item is VEvent => item?.type === 'VEVENT')
  return { calendar, events }
}

function calendarText(outcome: { ok: true; value: string } | { ok: false; code: string }): string {
  if (!outcome.ok) throw new Error(`expected a calendar, got ${outcome.code}`)
  return outcome.value
}

function text(value: unknown): string {
  if (typeof value === 'string') return value
  return (value as { val: string }).val
}

test("an event's .ics parses back to the same instants, title, page and a stable UID; the join link only for a seat holder", async () => {
  const startsAt = new Date('2031-02-03T04:30:00Z')
  const event = await insertEvent(db, {
    title: 'Workflow automation, part 2',
    bodyMd: '## Agenda\n\nWe build **three** automations together & answer questions.',
    startsAt,
    endsAt: new Date('2031-02-03T06:00:00Z'),
    timeZone: 'Asia/Tokyo',
  })
  const member = await insertUser(db)
  const stranger = await insertUser(db)
  await insertRegistration(db, event, member)

  const anonymous = parsed(calendarText(await eventIcs(db, { eventId: event.id, viewer: null })))
  expect(anonymous.events).toHaveLength(1)
  const entry = anonymous.events[0]!
  expect(entry.uid).toBe(`event-${event.id}@localhost:3000`)
  expect(entry.start.getTime()).toBe(startsAt.getTime())
  expect(entry.end?.getTime()).toBe(new Date('2031-02-03T06:00:00Z').getTime())
  expect(text(entry.summary)).toBe('Workflow automation, part 2')
  expect(text(entry.url)).toBe(`http://localhost:3000/events/${event.id}`)
  expect(entry.status).toBe('CONFIRMED')
  expect(text(entry.description)).toContain('Agenda We build three automations together & answer questions.')
  expect(text(entry.description)).toContain(`Event page: http://localhost:3000/events/${event.id}`)
  expect(text(entry.description)).not.toContain('meet.example')
  expect(entry.location).toBeFalsy()
  expect(anonymous.calendar.vcalendar?.method).toBe('PUBLISH')

  const strangers = calendarText(await eventIcs(db, { eventId: event.id, viewer: stranger }))
  expect(strangers).not.toContain('meet.example')

  const seated = parsed(calendarText(await eventIcs(db, { eventId: event.id, viewer: member }))).events[0]!
  expect(text(seated.location)).toBe('https://meet.example/abc-defg-hij')
  expect(text(seated.description)).toContain('Join online: https://meet.example/abc-defg-hij')
  expect(seated.uid).toBe(entry.uid)
})

test('a cancelled event says STATUS:CANCELLED; drafts and unknown events are 404', async () => {
  const cancelled = await insertEvent(db, { status: 'cancelled', cancelledAt: new Date(), venue: 'Osaka hall' })
  const [entry] = parsed(calendarText(await eventIcs(db, { eventId: cancelled.id, viewer: null }))).events
  expect(entry!.status).toBe('CANCELLED')
  expect(text(entry!.location)).toBe('Osaka hall')

  const draft = await insertEvent(db, { status: 'draft' })
  expect(await eventIcs(db, { eventId: draft.id, viewer: null })).toMatchObject({ ok: false, status: 404 })
  expect(await eventIcs(db, { eventId: 987_654, viewer: null })).toMatchObject({ ok: false, status: 404 })
})

test('the personal feed lists my seats and waitlist places, upcoming and recent, with join links for seats held', async () => {
  const member = await insertUser(db, { locale: 'ja' })
  // Whole hours, as the event form makes them: iCalendar times have no milliseconds.
  const now = Math.floor(Date.now() / HOUR) * HOUR
  const seat = await insertEvent(db, { title: 'Seat', startsAt: new Date(now + 3 * DAY) })
  const line = await insertEvent(db, { title: 'Line', startsAt: new Date(now + 4 * DAY) })
  const called = await insertEvent(db, { title: 'Called off', startsAt: new Date(now + 5 * DAY), status: 'cancelled' })
  const recent = await insertEvent(db, { title: 'Recent', startsAt: new Date(now - 10 * DAY) })
  const old = await insertEvent(db, { title: 'Old', startsAt: new Date(now - 60 * DAY) })
  const left = await insertEvent(db, { title: 'Left', startsAt: new Date(now + 6 * DAY) })
  const draft = await insertEvent(db, { title: 'Draft', status: 'draft' })
  const notMine = await insertEvent(db, { title: 'Not mine' })
  await insertRegistration(db, seat, member)
  await insertRegistration(db, line, member, { status: 'waitlisted' })
  await insertRegistration(db, called, member)
  await insertRegistration(db, recent, member, { status: 'attended' })
  await insertRegistration(db, old, member, { status: 'attended' })
  await insertRegistration(db, left, member, { status: 'cancelled' })
  await insertRegistration(db, draft, member)
  await insertRegistration(db, notMine, await insertUser(db))

  const token = await calendarFeedToken(db, member.id)
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(await calendarFeedToken(db, member.id)).toBe(token)
  expect(await calendarFeedToken(db, (await insertUser(db)).id)).not.toBe(token)

  const { calendar, events } = parsed(calendarText(await feedIcs(db, token)))
  expect(calendar.vcalendar?.['WR-CALNAME']).toBe('参加予定のコミュニティイベント')
  const byUid = new Map(events.map((e) => [e.uid, e]))
  expect([...byUid.keys()].sort()).toEqual(
    [recent, seat, line, called].map((e) => `event-${e.id}@localhost:3000`).sort(),
  )
  const seatEntry = byUid.get(`event-${seat.id}@localhost:3000`)!
  expect(seatEntry.start.getTime()).toBe(seat.startsAt.getTime())
  expect(seatEntry.end?.getTime()).toBe(seat.endsAt.getTime())
  expect(text(seatEntry.description)).toContain('オンライン参加：https://meet.example/abc-defg-hij')
  const lineEntry = byUid.get(`event-${line.id}@localhost:3000`)!
  expect(text(lineEntry.summary)).toBe('Line（キャンセル待ち）')
  expect(text(lineEntry.description)).not.toContain('meet.example')
  expect(byUid.get(`event-${called.id}@localhost:3000`)!.status).toBe('CANCELLED')
})

test('an unknown or replaced feed token is 404; the new one works', async () => {
  const member = await insertUser(db)
  await insertRegistration(db, await insertEvent(db), member)
  const first = await calendarFeedToken(db, member.id)

  const second = await resetCalendarFeedToken(db, member.id)
  expect(second).not.toBe(first)
  expect(await calendarFeedToken(db, member.id)).toBe(second)
  expect(await feedIcs(db, first)).toMatchObject({
    ok: false,
    status: 404,
    code: 'events_registration.calendar_not_found',
  })
  expect(await feedIcs(db, 'not-a-token')).toMatchObject({ ok: false, status: 404 })
  expect(await feedIcs(db, 'A'.repeat(43))).toMatchObject({ ok: false, status: 404 })
  expect(parsed(calendarText(await feedIcs(db, second))).events).toHaveLength(1)
})

test('the calendar file is the same for the same data, and carries the refresh hint only when asked', () => {
  const entry = {
    id: 7,
    title: 'Release notes live',
    bodyHtml: '<p>What is new.</p>\n',
    startsAt: new Date('2031-01-01T00:00:00Z'),
    endsAt: new Date('2031-01-01T01:00:00Z'),
    venue: null,
    status: 'published' as const,
    updatedAt: new Date('2030-12-01T00:00:00Z'),
    joinUrl: null,
  }
  const once = eventCalendar({ events: [entry], appUrl: 'https://community.example', name: 'Events' })
  expect(eventCalendar({ events: [entry], appUrl: 'https://community.example', name: 'Events' })).toBe(once)
  expect(once).toContain('UID:event-7@community.example')
  expect(once).toContain('DTSTART:20310101T000000Z')
  expect(once).not.toContain('REFRESH-INTERVAL')
  const feed = eventCalendar({ events: [], appUrl: 'https://community.example', name: 'Events', refreshSeconds: 3600 })
  expect(feed).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H')
})
