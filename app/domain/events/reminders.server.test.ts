import { asc, eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertEvent, insertRegistration, insertUser } from '#app/server/seed/factories/index.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { db } from '#tests/db.ts'
import { cancelRegistration } from './registrations.server.ts'
import { eventJobs, sendDueReminders } from './reminders.server.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

// Each test plans its events on its own day, years ahead, so the injected clock of one test never
// reaches another test's events in this shared database.
function at(startsAt: Date, offset: number): Date {
  return new Date(startsAt.getTime() + offset)
}

function emails(ids: number[]) {
  if (ids.length === 0) return Promise.resolve([])
  return db.select().from(emailOutbox).where(inArray(emailOutbox.id, ids)).orderBy(asc(emailOutbox.id))
}

test('a registered member gets the 24-hour reminder once and the 1-hour reminder once, in their language and time zone', async () => {
  const startsAt = new Date('2031-04-10T10:00:00Z')
  const event = await insertEvent(db, { startsAt, title: 'Dashboards 101', timeZone: 'Asia/Tokyo' })
  const member = await insertUser(db, { displayName: 'Aiko', locale: 'ja', timeZone: 'America/New_York' })
  await insertRegistration(db, event, member)

  expect(await sendDueReminders(db, at(startsAt, -25 * HOUR))).toEqual([])

  const day = await emails(await sendDueReminders(db, at(startsAt, -24 * HOUR)))
  expect(day.map((e) => [e.toAddress, e.template])).toEqual([[member.email, 'event_reminder_24h']])
  expect(day[0]!.subject).toBe('リマインダー：「Dashboards 101」の開催が近づいています')
  expect(day[0]!.textBody).toContain('Aiko 様')
  // 10:00 UTC is 06:00 in New York and 19:00 in Tokyo.
  expect(day[0]!.textBody).toContain('2031/04/10 6:00（America/New_York） / 2031/04/10 19:00（Asia/Tokyo）')
  expect(day[0]!.textBody).toContain('オンライン参加：https://meet.example/abc-defg-hij')
  expect(day[0]!.textBody).toContain(`イベントページ：http://localhost:3000/events/${event.id}`)

  // Later runs in the same window, and overlapping runs, send nothing more.
  expect(await sendDueReminders(db, at(startsAt, -20 * HOUR))).toEqual([])
  const overlapping = await Promise.all([
    sendDueReminders(db, at(startsAt, -2 * HOUR)),
    sendDueReminders(db, at(startsAt, -2 * HOUR)),
  ])
  expect(overlapping.flat()).toEqual([])

  const hour = await emails(await sendDueReminders(db, at(startsAt, -55 * MINUTE)))
  expect(hour.map((e) => [e.toAddress, e.template])).toEqual([[member.email, 'event_reminder_1h']])
  expect(hour[0]!.subject).toBe('まもなく開始：「Dashboards 101」')

  expect(await sendDueReminders(db, at(startsAt, -5 * MINUTE))).toEqual([])
  expect(await sendDueReminders(db, at(startsAt, 5 * MINUTE))).toEqual([])
})

test('a member who registers in the last hour gets only the 1-hour reminder', async () => {
  const startsAt = new Date('2031-05-10T10:00:00Z')
  const event = await insertEvent(db, { startsAt, venue: 'Tokyo office, 5F', onlineUrl: null })
  const member = await insertUser(db, { timeZone: 'Asia/Tokyo' })
  await insertRegistration(db, event, member)

  const sent = await emails(await sendDueReminders(db, at(startsAt, -30 * MINUTE)))
  expect(sent.map((e) => e.template)).toEqual(['event_reminder_1h'])
  expect(sent[0]!.textBody).toContain('Where: Tokyo office, 5F')
  expect(sent[0]!.textBody).not.toContain('Join online')
  // The member and the event share a zone, so the time is written once.
  expect(sent[0]!.textBody).toContain('When: May 10, 2031, 7:00 PM (Asia/Tokyo)\n')
  expect(await sendDueReminders(db, at(startsAt, -10 * MINUTE))).toEqual([])
})

test('no reminders after a cancellation, for waitlisted members, or for a cancelled event', async () => {
  const startsAt = new Date('2031-06-10T10:00:00Z')
  const event = await insertEvent(db, { startsAt, capacity: 1 })
  const leaving = await insertUser(db)
  const waiting = await insertUser(db)
  await insertRegistration(db, event, leaving)
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })
  const called = await insertEvent(db, { startsAt, status: 'cancelled', cancelledAt: startsAt })
  await insertRegistration(db, called, await insertUser(db))

  const cancelled = await cancelRegistration(db, { user: leaving, eventId: event.id, now: at(startsAt, -30 * HOUR) })
  expect(cancelled).toEqual({ ok: true, value: { promoted: [waiting.id] } })
  const promotionEmails = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, waiting.email))
  expect(promotionEmails.map((e) => e.template)).toEqual(['notification_event_promoted'])

  // Only the promoted member, now registered, hears about the event.
  const day = await emails(await sendDueReminders(db, at(startsAt, -23 * HOUR)))
  expect(day.map((e) => e.toAddress)).toEqual([waiting.email])
  const hour = await emails(await sendDueReminders(db, at(startsAt, -30 * MINUTE)))
  expect(hour.map((e) => e.toAddress)).toEqual([waiting.email])

  const left = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, leaving.email))
  expect(left).toEqual([])
})

test('a member who cancels after the 24-hour reminder gets no 1-hour reminder', async () => {
  const startsAt = new Date('2031-07-10T10:00:00Z')
  const event = await insertEvent(db, { startsAt })
  const member = await insertUser(db)
  await insertRegistration(db, event, member)

  expect(await sendDueReminders(db, at(startsAt, -23 * HOUR))).toHaveLength(1)
  await cancelRegistration(db, { user: member, eventId: event.id, now: at(startsAt, -3 * HOUR) })
  expect(await sendDueReminders(db, at(startsAt, -50 * MINUTE))).toEqual([])
})

test('the reminder job runs every five minutes; the recording notices every quarter of an hour', () => {
  expect(eventJobs).toEqual([
    expect.objectContaining({ name: 'events.reminders', cron: '*/5 * * * *' }),
    expect.objectContaining({ name: 'events.recording_notices', cron: '*/15 * * * *' }),
  ])
})
