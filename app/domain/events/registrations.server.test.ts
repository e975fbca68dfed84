import { randomUUID } from 'node:crypto'
import { and, asc, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { hashPassword } from '#app/domain/identity/passwords.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { sessionUserColumns } from '#app/domain/identity/sessions.server.ts'
import { translator } from '#app/lib/i18n.ts'
import {
  FACTORY_PASSWORD,
  insertAccount,
  insertEvent,
  insertRegistration,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { users } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { db } from '#tests/db.ts'
import {
  cancelRegistration,
  listMyEvents,
  myRegistration,
  promoteFromWaitlist,
  registerForEvent,
  seatsTaken,
  waitlistLength,
} from './registrations.server.ts'

const HOUR = 3_600_000

function register(user: SessionUser, event: { id: number }) {
  return registerForEvent(db, { user, eventId: event.id })
}

function cancel(user: SessionUser, event: { id: number }) {
  return cancelRegistration(db, { user, eventId: event.id })
}

function registeredSignals(event: { id: number }) {
  return db
    .select({ userId: activityEvents.userId })
    .from(activityEvents)
    .where(and(eq(activityEvents.type, 'event_registered'), eq(activityEvents.subjectId, String(event.id))))
    .orderBy(asc(activityEvents.id))
}

function inbox(user: { email: string }) {
  return db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email)).orderBy(asc(emailOutbox.id))
}

/** Many members in one statement, sharing one password hash: hashing 200 passwords would dominate the test. */
async function insertMembers(count: number): Promise<SessionUser[]> {
  const passwordHash = await hashPassword(FACTORY_PASSWORD)
  const batch = randomUUID().slice(0, 8)
  return db
    .insert(users)
    .values(
      Array.from({ length: count }, (_, i) => ({
        email: `crowd-${batch}-${i}@example.com`,
        displayName: `Crowd ${batch} ${i}`,
        passwordHash,
        emailVerifiedAt: new Date(),
      })),
    )
    .returning(sessionUserColumns)
}

test('a member registers once: registering again changes nothing, and the ledger holds one signal', async () => {
  const event = await insertEvent(db)
  const member = await insertUser(db)

  expect(await register(member, event)).toEqual({ ok: true, value: { status: 'registered', position: null } })
  expect(await register(member, event)).toEqual({ ok: true, value: { status: 'registered', position: null } })

  expect(await myRegistration(db, { userId: member.id, eventId: event.id })).toEqual({
    status: 'registered',
    position: null,
  })
  expect(await seatsTaken(db, event.id)).toBe(1)
  expect(await registeredSignals(event)).toEqual([{ userId: member.id }])
})

test('when the seats are gone, members wait in line and see their place; a cancellation promotes the first at once and emails them', async () => {
  const event = await insertEvent(db, { capacity: 1, title: 'Reporting deep dive', venue: null })
  const first = await insertUser(db)
  const second = await insertUser(db, { displayName: 'Second Member', timeZone: 'Europe/Berlin' })
  const third = await insertUser(db)

  await register(first, event)
  expect(await register(second, event)).toEqual({ ok: true, value: { status: 'waitlisted', position: 1 } })
  expect(await register(third, event)).toEqual({ ok: true, value: { status: 'waitlisted', position: 2 } })
  expect(await register(third, event)).toEqual({ ok: true, value: { status: 'waitlisted', position: 2 } })
  expect(await waitlistLength(db, event.id)).toBe(2)
  // The waitlist is not a registration: the ledger only hears about held seats.
  expect(await registeredSignals(event)).toEqual([{ userId: first.id }])

  expect(await cancel(first, event)).toEqual({ ok: true, value: { promoted: [second.id] } })

  expect(await myRegistration(db, { userId: first.id, eventId: event.id })).toEqual({
    status: 'cancelled',
    position: null,
  })
  expect(await myRegistration(db, { userId: second.id, eventId: event.id })).toEqual({
    status: 'registered',
    position: null,
  })
  expect(await myRegistration(db, { userId: third.id, eventId: event.id })).toEqual({
    status: 'waitlisted',
    position: 1,
  })
  expect(await seatsTaken(db, event.id)).toBe(1)
  expect(await registeredSignals(event)).toEqual([{ userId: first.id }, { userId: second.id }])

  // Waiting was confirmed by email once; the seat is its own email.
  expect((await inbox(second)).map((m) => m.template)).toEqual([
    'notification_event_waitlisted',
    'notification_event_promoted',
  ])
  const [, email] = await inbox(second)
  expect(email!.subject).toBe('You have a seat at “Reporting deep dive”')
  expect(email!.textBody).toContain('Hello Second Member,')
  expect(email!.textBody).toContain('(Europe/Berlin)')
  expect(email!.textBody).toContain('(Asia/Tokyo)')
  expect(email!.textBody).toContain('Join online: https://meet.example/abc-defg-hij')
  expect(email!.textBody).toContain(`Event page: http://localhost:3000/events/${event.id}`)
  expect((await inbox(third)).map((m) => m.template)).toEqual(['notification_event_waitlisted'])
})

test('leaving the waitlist frees no seat: nobody is promoted and the people behind move up', async () => {
  const event = await insertEvent(db, { capacity: 1 })
  const [seated, waiting, behind] = [await insertUser(db), await insertUser(db), await insertUser(db)]
  await register(seated, event)
  await register(waiting, event)
  await register(behind, event)

  expect(await cancel(waiting, event)).toEqual({ ok: true, value: { promoted: [] } })
  expect(await myRegistration(db, { userId: behind.id, eventId: event.id })).toEqual({
    status: 'waitlisted',
    position: 1,
  })
  expect(await myRegistration(db, { userId: seated.id, eventId: event.id })).toMatchObject({ status: 'registered' })
})

test('a member who cancelled may register again; the seat is counted once in the ledger', async () => {
  const event = await insertEvent(db, { capacity: 1 })
  const member = await insertUser(db)
  const other = await insertUser(db)
  await register(member, event)
  await cancel(member, event)
  await register(other, event)

  // The seat went to someone else in the meantime, so the member comes back to the waitlist.
  expect(await register(member, event)).toEqual({ ok: true, value: { status: 'waitlisted', position: 1 } })
  await cancel(other, event)
  expect(await myRegistration(db, { userId: member.id, eventId: event.id })).toMatchObject({ status: 'registered' })
  expect(await registeredSignals(event)).toEqual([{ userId: member.id }, { userId: other.id }])
})

test('registration is refused, with a translated reason, for drafts, cancelled or started events, after the deadline and outside the audience', async () => {
  const member = await insertUser(db, { locale: 'ja', timeZone: 'Asia/Tokyo' })
  const draft = await insertEvent(db, { status: 'draft' })
  const cancelled = await insertEvent(db, { status: 'cancelled', cancelledAt: new Date() })
  const started = await insertEvent(db, { startsAt: new Date(Date.now() - HOUR / 2) })
  const deadline = new Date('2030-03-01T09:00:00Z')
  const closed = await insertEvent(db, {
    startsAt: new Date('2030-03-10T09:00:00Z'),
    registrationClosesAt: deadline,
  })
  const account = await insertAccount(db)
  const restricted = await insertEvent(db, { audience: 'restricted', audienceAccountIds: [account.id] })

  expect(await register(member, draft)).toMatchObject({ ok: false, status: 404, code: 'events_registration.not_found' })
  expect(await register(member, { id: 999_999 })).toMatchObject({ ok: false, status: 404 })
  expect(await register(member, cancelled)).toMatchObject({
    ok: false,
    status: 409,
    code: 'events_registration.cancelled',
  })
  expect(await register(member, started)).toMatchObject({ ok: false, status: 409, code: 'events_registration.past' })
  const late = await registerForEvent(db, { user: member, eventId: closed.id, now: new Date('2030-03-02T00:00:00Z') })
  expect(late).toMatchObject({ ok: false, status: 409, code: 'events_registration.closed' })
  // Outside the audience the event is not found, as its page is not; a member who registered once
  // (and has left the audience since) is told why they cannot register again.
  expect(await register(member, restricted)).toMatchObject({
    ok: false,
    status: 404,
    code: 'events_registration.not_found',
  })
  await insertRegistration(db, restricted, member, { status: 'cancelled', cancelledAt: new Date() })
  const refused = await register(member, restricted)
  expect(refused).toMatchObject({ ok: false, status: 403, code: 'events_registration.not_in_audience' })

  const t = translator('ja')
  if (late.ok || refused.ok) throw new Error('expected failures')
  expect(t(late.code, late.params)).toBe('このイベントの参加登録は 2030/03/01 18:00 に締め切られました。')
  expect(t(refused.code)).toBe('このイベントは対象のお客様限定のため、ご利用のアカウントでは参加登録いただけません。')
  expect(translator('en')('events_registration.past')).toBe(
    'This event has already started, so registration is closed.',
  )

  // Before the deadline it is open; members of the chosen account and staff are in the audience.
  const early = await registerForEvent(db, { user: member, eventId: closed.id, now: new Date('2030-02-28T00:00:00Z') })
  expect(early).toMatchObject({ ok: true, value: { status: 'registered' } })
  const insider = await insertUser(db, { accountId: account.id })
  expect(await register(insider, restricted)).toMatchObject({ ok: true, value: { status: 'registered' } })
  expect(await register(await insertStaff(db), restricted)).toMatchObject({ ok: true })
  expect(await seatsTaken(db, started.id)).toBe(0)
})

test('there must be something to cancel, and nothing can be cancelled once the event has started', async () => {
  const event = await insertEvent(db)
  const member = await insertUser(db)
  expect(await cancel(member, event)).toMatchObject({
    ok: false,
    status: 404,
    code: 'events_registration.nothing_to_cancel',
  })
  await register(member, event)
  await cancel(member, event)
  expect(await cancel(member, event)).toMatchObject({ ok: false, status: 404 })

  const started = await insertEvent(db, { startsAt: new Date(Date.now() - HOUR / 2) })
  await insertRegistration(db, started, member)
  expect(await cancel(member, started)).toMatchObject({
    ok: false,
    status: 409,
    code: 'events_registration.cancel_too_late',
  })
})

test('raising the capacity and promoting fills the new seats from the front of the line', async () => {
  const event = await insertEvent(db, { capacity: 1 })
  const members = [await insertUser(db), await insertUser(db), await insertUser(db), await insertUser(db)]
  for (const member of members) await register(member, event)

  const promotion = await db.transaction(async (tx) => {
    await tx.update(events).set({ capacity: 3 }).where(eq(events.id, event.id))
    return promoteFromWaitlist(tx, event.id)
  })

  expect(promotion.userIds).toEqual([members[1]!.id, members[2]!.id])
  expect(promotion.emailIds).toHaveLength(2)
  expect(await seatsTaken(db, event.id)).toBe(3)
  expect(await myRegistration(db, { userId: members[3]!.id, eventId: event.id })).toEqual({
    status: 'waitlisted',
    position: 1,
  })
})

test("a member's events: upcoming soonest first, past most recent first, with waitlist places and cancelled events", async () => {
  const member = await insertUser(db)
  const now = Date.now()
  const soon = await insertEvent(db, { startsAt: new Date(now + 2 * 24 * HOUR), capacity: 1 })
  const later = await insertEvent(db, { startsAt: new Date(now + 9 * 24 * HOUR) })
  const called = await insertEvent(db, { startsAt: new Date(now + 5 * 24 * HOUR), status: 'cancelled' })
  const left = await insertEvent(db, { startsAt: new Date(now + 3 * 24 * HOUR) })
  const draft = await insertEvent(db, { status: 'draft' })
  const lastMonth = await insertEvent(db, { startsAt: new Date(now - 30 * 24 * HOUR) })
  const lastWeek = await insertEvent(db, { startsAt: new Date(now - 7 * 24 * HOUR) })

  await insertRegistration(db, soon, await insertUser(db))
  await register(member, soon)
  await register(member, later)
  await insertRegistration(db, called, member)
  await register(member, left)
  await cancel(member, left)
  await insertRegistration(db, draft, member)
  await insertRegistration(db, lastMonth, member, { status: 'attended' })
  await insertRegistration(db, lastWeek, member)

  const upcoming = await listMyEvents(db, { user: member, scope: 'upcoming' })
  expect(upcoming.map((e) => [e.id, e.status, e.myStatus, e.position])).toEqual([
    [soon.id, 'published', 'waitlisted', 1],
    [called.id, 'cancelled', 'registered', null],
    [later.id, 'published', 'registered', null],
  ])
  expect(upcoming[0]).toMatchObject({ capacity: 1, taken: 1, online: true, timeZone: 'Asia/Tokyo' })
  const past = await listMyEvents(db, { user: member, scope: 'past' })
  expect(past.map((e) => [e.id, e.myStatus])).toEqual([
    [lastWeek.id, 'registered'],
    [lastMonth.id, 'attended'],
  ])
})

test(
  '200 members registering at once for 50 seats: exactly 50 seats, 150 waiting in commit order; 10 cancellations promote the next 10',
  {
    timeout: 120_000,
  },
  async () => {
    const event = await insertEvent(db, { capacity: 50 })
    const crowd = await insertMembers(200)

    const results = await Promise.all(crowd.map((user) => register(user, event)))

    const outcomes = results.map((result, i) => {
      if (!result.ok) throw new Error(`member ${i} failed: ${result.code}`)
      return { user: crowd[i]!, ...result.value }
    })
    const seated = outcomes.filter((o) => o.status === 'registered')
    const waiting = outcomes.filter((o) => o.status === 'waitlisted').sort((a, b) => a.position! - b.position!)
    expect(seated).toHaveLength(50)
    expect(waiting.map((o) => o.position)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1))
    expect(await seatsTaken(db, event.id)).toBe(50)
    expect(await waitlistLength(db, event.id)).toBe(150)
    // The stored line (waitlisted_at, then id) is the order in which places were handed out.
    const line = await db
      .select({ userId: eventRegistrations.userId })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.status, 'waitlisted')))
      .orderBy(asc(eventRegistrations.waitlistedAt), asc(eventRegistrations.id))
    expect(line.map((row) => row.userId)).toEqual(waiting.map((o) => o.user.id))
    expect(await registeredSignals(event)).toHaveLength(50)

    const leaving = seated.slice(0, 10).map((o) => o.user)
    const cancellations = await Promise.all(leaving.map((user) => cancel(user, event)))

    const promoted = cancellations.map((result) => {
      if (!result.ok) throw new Error(result.code)
      return result.value.promoted
    })
    expect(promoted.every((ids) => ids.length === 1)).toBe(true)
    expect(promoted.flat().sort((a, b) => a - b)).toEqual(
      waiting
        .slice(0, 10)
        .map((o) => o.user.id)
        .sort((a, b) => a - b),
    )
    expect(await seatsTaken(db, event.id)).toBe(50)
    expect(await waitlistLength(db, event.id)).toBe(140)
    expect(await myRegistration(db, { userId: waiting[10]!.user.id, eventId: event.id })).toEqual({
      status: 'waitlisted',
      position: 1,
    })
    expect(await registeredSignals(event)).toHaveLength(60)
  },
)
