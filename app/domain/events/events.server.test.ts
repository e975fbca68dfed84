import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { instantToZonedLocal } from '#app/lib/time-zones.ts'
import { eventFormInput, insertEvent, insertRegistration } from '#app/server/seed/factories/events.ts'
import { insertAccount, insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { events } from '#db/schema/events.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { db } from '#tests/db.ts'
import {
  cancelEvent,
  createEvent,
  getEventPage,
  joinUrlFor,
  listEvents,
  publishEvent,
  updateEvent,
} from './events.server.ts'
import { EventSchema } from './schemas.ts'

const form = eventFormInput

test('the form turns wall-clock times in the event zone into instants and checks their order', () => {
  const input = form()
  expect(input.startsAt.toISOString()).toBe('2099-12-01T06:00:00.000Z')
  expect(input.capacity).toBe(2)
  const bad = EventSchema.safeParse({ ...form(), startsAt: '2099-12-01T15:00', endsAt: '2099-12-01T14:00' })
  expect(
    EventSchema.safeParse({
      kind: 'webinar',
      title: 'x',
      body: 'y',
      locale: 'en',
      timeZone: 'UTC',
      startsAt: '2099-12-01T15:00',
      endsAt: '2099-12-01T14:00',
      audience: 'restricted',
    }).error?.issues.map((issue) => issue.message),
  ).toEqual(
    expect.arrayContaining([
      'events.validation.end_before_start',
      'events.validation.place_required',
      'events.validation.audience_required',
    ]),
  )
  expect(bad.success).toBe(false)
})

test('staff create a draft that only staff see; publishing lists it and reaches search', async () => {
  const staff = await insertStaff(db)
  const member = await insertUser(db)
  const created = await createEvent(db, { actor: staff, input: form() })
  expect(created.ok).toBe(true)
  if (!created.ok) return
  expect(await getEventPage(db, { viewer: member, eventId: created.value.id })).toMatchObject({
    ok: false,
    status: 404,
  })
  expect((await listEvents(db, { viewer: member, scope: 'upcoming' })).events.map((e) => e.id)).not.toContain(
    created.value.id,
  )
  await publishEvent(db, { actor: staff, eventId: created.value.id })
  expect((await listEvents(db, { viewer: member, scope: 'upcoming' })).events.map((e) => e.id)).toContain(
    created.value.id,
  )
  const outbox = await db
    .select()
    .from(searchOutbox)
    .where(and(eq(searchOutbox.docType, 'event'), eq(searchOutbox.docId, String(created.value.id))))
  expect(outbox.map((row) => row.op)).toEqual(['upsert'])
  expect(await createEvent(db, { actor: member, input: form() })).toMatchObject({ ok: false, status: 403 })
})

test('moving a published event emails everyone registered or waiting; other edits email nobody', async () => {
  const staff = await insertStaff(db)
  const event = await insertEvent(db, { capacity: 1, startsAt: new Date('2099-06-01T06:00:00Z') })
  const [seated, waiting, gone] = [await insertUser(db), await insertUser(db), await insertUser(db)]
  await insertRegistration(db, event, seated)
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })
  await insertRegistration(db, event, gone, { status: 'cancelled' })
  const same = form({
    title: 'A new title is not a move',
    startsAt: instantToZonedLocal(event.startsAt, event.timeZone),
    endsAt: instantToZonedLocal(event.endsAt, event.timeZone),
    capacity: '1',
    onlineUrl: event.onlineUrl,
  })
  await updateEvent(db, { actor: staff, eventId: event.id, input: same })
  const moved = await updateEvent(db, {
    actor: staff,
    eventId: event.id,
    input: { ...same, startsAt: new Date('2099-12-02T06:00:00Z'), endsAt: new Date('2099-12-02T07:00:00Z') },
  })
  expect(moved).toMatchObject({ ok: true, value: { notified: 2 } })
  const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.template, 'notification_event_changed'))
  expect(mails.map((m) => m.toAddress).sort()).toEqual([seated.email, waiting.email].sort())
  expect(mails[0]!.textBody).toContain(`/events/${event.id}`)
})

test('raising the capacity promotes the waitlist at once', async () => {
  const staff = await insertStaff(db)
  const event = await insertEvent(db, { capacity: 1 })
  await insertRegistration(db, event, await insertUser(db))
  const waiting = await insertUser(db)
  await insertRegistration(db, event, waiting, { status: 'waitlisted' })
  const raised = await updateEvent(db, {
    actor: staff,
    eventId: event.id,
    input: form({ title: event.title, capacity: '2', startsAt: '2099-12-01T15:00', endsAt: '2099-12-01T16:00' }),
  })
  expect(raised).toMatchObject({ ok: true, value: { promoted: [waiting.id] } })
})

test('cancelling emails registrants, drops the event from search and keeps it listed as cancelled', async () => {
  const staff = await insertStaff(db)
  const event = await insertEvent(db)
  const member = await insertUser(db)
  await insertRegistration(db, event, member)
  expect(await cancelEvent(db, { actor: staff, eventId: event.id })).toMatchObject({ ok: true, value: { notified: 1 } })
  const [row] = await db.select().from(events).where(eq(events.id, event.id))
  expect(row!.status).toBe('cancelled')
  const outbox = await db
    .select()
    .from(searchOutbox)
    .where(eq(searchOutbox.docId, String(event.id)))
  expect(outbox.at(-1)).toMatchObject({ op: 'delete' })
  const listed = (await listEvents(db, { viewer: member, scope: 'upcoming' })).events.find((e) => e.id === event.id)
  expect(listed?.status).toBe('cancelled')
  expect(await updateEvent(db, { actor: staff, eventId: event.id, input: form() })).toMatchObject({
    ok: false,
    status: 409,
  })
})

test('restricted events appear only to their audience; the join link only to seat holders', async () => {
  const high = await insertAccount(db, { arrMinor: 9_000_000 })
  const tech = await insertAccount(db, { arrMinor: 100_000 })
  const event = await insertEvent(db, { audience: 'restricted', audienceTiers: ['high'] })
  const insider = await insertUser(db, { accountId: high.id })
  const outsider = await insertUser(db, { accountId: tech.id })
  const ids = async (viewer: typeof insider) =>
    (await listEvents(db, { viewer, scope: 'upcoming' })).events.map((e) => e.id)
  expect(await ids(insider)).toContain(event.id)
  expect(await ids(outsider)).not.toContain(event.id)
  expect(await getEventPage(db, { viewer: outsider, eventId: event.id })).toMatchObject({ ok: false, status: 404 })
  expect(await joinUrlFor(db, { viewer: insider, eventId: event.id })).toBeNull()
  await insertRegistration(db, event, insider)
  expect(await joinUrlFor(db, { viewer: insider, eventId: event.id })).toBe(event.onlineUrl)
})

test('past events are listed newest first with their recording', async () => {
  const older = await insertEvent(db, {
    startsAt: new Date('2020-01-01T00:00:00Z'),
    recordingUrl: 'https://video.example/1',
  })
  const newer = await insertEvent(db, { startsAt: new Date('2021-01-01T00:00:00Z') })
  const past = await listEvents(db, { viewer: null, scope: 'past' })
  const order = past.events.map((e) => e.id).filter((id) => id === older.id || id === newer.id)
  expect(order).toEqual([newer.id, older.id])
  expect(past.events.find((e) => e.id === older.id)?.recorded).toBe(true)
  const page = await getEventPage(db, { viewer: null, eventId: older.id })
  expect(page.ok && page.value.event.recordingUrl).toBe('https://video.example/1')
})

test('lists count the seats taken per event', async () => {
  const event = await insertEvent(db, { capacity: 3, startsAt: new Date(Date.now() + 86_400_000) })
  await insertRegistration(db, event, await insertUser(db))
  await insertRegistration(db, event, await insertUser(db))
  await insertRegistration(db, event, await insertUser(db), { status: 'waitlisted' })
  const listed = (await listEvents(db, { viewer: null, scope: 'upcoming' })).events.find((e) => e.id === event.id)
  expect(listed).toMatchObject({ capacity: 3, taken: 2 })
})
