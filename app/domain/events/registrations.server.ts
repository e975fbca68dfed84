import { and, asc, count, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { requireVerified } from '#app/domain/identity/email-verification.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { formatDateTime } from '#app/lib/format.ts'
import type { Locale } from '#app/lib/i18n.ts'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { users } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { eventViewerOf, viewerMaySeeEvent } from './audience.server.ts'
import { eventVisibleSql, inEventAudience } from './audience.ts'
import { SEAT_STATUSES } from './event-links.server.ts'
import { type EventEmailEvent, type EventEmailRecipient, eventEmail, notifyEvent } from './event-notices.server.ts'

export { eventUrl, SEAT_STATUSES } from './event-links.server.ts'
export type { EventEmailEvent, EventEmailKind, EventEmailRecipient } from './event-notices.server.ts'

export type RegistrationStatus = (typeof eventRegistrations.$inferSelect)['status']

/** The seats held at each event of a query over `events`, as a column. Written out in full: inside the
 *  subquery a bare column name would resolve to the registrations table. */
export function seatsTakenSql() {
  return sql<number>`(
      select count(*) from event_registrations s
      where s.event_id = "events"."id" and s.status in ('registered', 'attended', 'no_show')
    )::int`.mapWith(Number)
}

/** Locks the event row until the transaction ends: every change to its registrations takes this lock
 *  first, so seats are counted and given out one transaction at a time. */
async function lockEvent(tx: Db, eventId: number) {
  const [event] = await tx
    .select({
      id: events.id,
      title: events.title,
      status: events.status,
      startsAt: events.startsAt,
      timeZone: events.timeZone,
      capacity: events.capacity,
      registrationClosesAt: events.registrationClosesAt,
      onlineUrl: events.onlineUrl,
      venue: events.venue,
      audience: events.audience,
      audienceTiers: events.audienceTiers,
      audienceAccountIds: events.audienceAccountIds,
    })
    .from(events)
    .where(eq(events.id, eventId))
    .for('update')
  return event ?? null
}

/** Seats taken at the event: registered members and those whose attendance was marked. */
export async function seatsTaken(db: Db, eventId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), inArray(eventRegistrations.status, SEAT_STATUSES)))
  return row?.n ?? 0
}

/** How many members wait for a seat at the event. */
export async function waitlistLength(db: Db, eventId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.status, 'waitlisted')))
  return row?.n ?? 0
}

const mine = alias(eventRegistrations, 'mine')

/** The 1-based place of a waitlisted registration: first come (waitlisted_at, then id), first served. */
async function waitlistPosition(db: Db, registrationId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(eventRegistrations)
    .innerJoin(mine, and(eq(mine.id, registrationId), eq(mine.eventId, eventRegistrations.eventId)))
    .where(
      and(
        eq(eventRegistrations.status, 'waitlisted'),
        sql`(${eventRegistrations.waitlistedAt}, ${eventRegistrations.id}) <= (${mine.waitlistedAt}, ${mine.id})`,
      ),
    )
  return row?.n ?? 0
}

/** Writes one outbox message per recipient in a single statement; returns the ids to dispatch after commit. */
export async function queueEventEmails(
  tx: Db,
  recipients: EventEmailRecipient[],
  event: EventEmailEvent,
  kind: 'reminder_24h' | 'reminder_1h',
): Promise<number[]> {
  if (recipients.length === 0) return []
  const rows = await tx
    .insert(emailOutbox)
    .values(
      recipients.map((recipient) => {
        const message = eventEmail(recipient, event, kind)
        return { toAddress: message.to, subject: message.subject, textBody: message.text, template: message.template }
      }),
    )
    .returning({ id: emailOutbox.id })
  return rows.map((row) => row.id)
}

function recordRegistered(tx: Db, user: { id: number; accountId: number | null }, eventId: number, at: Date) {
  // The default unique key is per event per member: registering again after cancelling counts once.
  return recordActivity(tx, { type: 'event_registered', user, subject: { type: 'event', id: eventId }, occurredAt: at })
}

/** The promoted members' user ids (first in line first) and the emails to dispatch after commit. */
export type Promotion = { userIds: number[]; emailIds: number[] }

/** Gives the event's free seats to the first waiting members (FIFO), records their `event_registered`
 *  and tells each (`event_promoted`, an email with the event's `.ics`). Run it inside the transaction that freed the seats or raised the
 *  capacity, then `dispatchEmails(emailIds)` after commit. It takes the event's row lock itself, so
 *  seats are never over-given. Nothing moves for an event that is not published or has started. */
export async function promoteFromWaitlist(tx: Db, eventId: number, now: Date = new Date()): Promise<Promotion> {
  const event = await lockEvent(tx, eventId)
  if (!event || event.status !== 'published' || event.startsAt <= now) return { userIds: [], emailIds: [] }
  const free = event.capacity === null ? null : event.capacity - (await seatsTaken(tx, eventId))
  if (free !== null && free <= 0) return { userIds: [], emailIds: [] }
  const line = tx
    .select({ id: eventRegistrations.id })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.status, 'waitlisted')))
    .orderBy(asc(eventRegistrations.waitlistedAt), asc(eventRegistrations.id))
    .$dynamic()
  const next = free === null ? await line : await line.limit(free)
  if (next.length === 0) return { userIds: [], emailIds: [] }
  const order = new Map(next.map((row, index) => [row.id, index]))
  const promotedRows = await tx
    .update(eventRegistrations)
    .set({ status: 'registered', registeredAt: now, promotedAt: now, updatedAt: now })
    .where(
      inArray(
        eventRegistrations.id,
        next.map((row) => row.id),
      ),
    )
    .returning({ id: eventRegistrations.id, userId: eventRegistrations.userId })
  promotedRows.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
  const userIds = promotedRows.map((row) => row.userId)
  const members = await tx
    .select({ id: users.id, accountId: users.accountId })
    .from(users)
    .where(inArray(users.id, userIds))
  for (const member of members) await recordRegistered(tx, member, eventId, now)
  const registrationOf = new Map(promotedRows.map((row) => [row.userId, row.id]))
  const emailIds = await notifyEvent(tx, {
    kind: 'event_promoted',
    eventId,
    recipientIds: userIds,
    dedupeKey: (userId) => `event_promoted:${registrationOf.get(userId)}:${now.getTime()}`,
  })
  return { userIds, emailIds }
}

export type RegisterArgs = { user: SessionUser; eventId: number; now?: Date }
export type RegistrationResult = { status: 'registered' | 'waitlisted'; position: number | null }

/** Registers the member for a published event, or puts them at the end of the waitlist when every
 *  seat is taken, and tells them (`event_registered` with the event's `.ics`, or `event_waitlisted`
 *  with their place in line), once per registration. Capacity holds under any concurrency: the event row is locked while seats are
 *  counted, so waitlist order is the order in which registrations commit. Registering again is
 *  harmless (the current status comes back) and a member who cancelled may register again.
 *  Refused: an event whose page the member may not see (404: missing, draft, or restricted to others
 *  and never registered for), a cancelled one (409), one that has started (409), after the
 *  registration deadline (409), outside the event's audience (403, for a member who registered once
 *  and has left the audience since). `event_registered` goes to the ledger once a seat is held, not
 *  for the waitlist. */
export async function registerForEvent(
  db: Db,
  { user, eventId, now }: RegisterArgs,
): Promise<Outcome<RegistrationResult>> {
  const unverified = requireVerified(user)
  if (unverified) return unverified
  // Resolved before the event's row lock, so the tier lookup does not lengthen the locked section.
  const viewer = await eventViewerOf(db, user)
  const emailIds: number[] = []
  const outcome = await db.transaction(async (tx): Promise<Outcome<RegistrationResult>> => {
    const event = await lockEvent(tx, eventId)
    if (!event || event.status === 'draft') return fail(404, 'events_registration.not_found')
    if (!(await viewerMaySeeEvent(tx, viewer, event))) return fail(404, 'events_registration.not_found')
    if (event.status === 'cancelled') return fail(409, 'events_registration.cancelled')
    // Read after the lock, so timestamps follow the order in which registrations are served.
    const at = now ?? new Date()
    const [existing] = await tx
      .select({ id: eventRegistrations.id, status: eventRegistrations.status })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, user.id)))
    if (existing && existing.status === 'waitlisted') {
      return ok({ status: 'waitlisted', position: await waitlistPosition(tx, existing.id) })
    }
    if (existing && existing.status !== 'cancelled') return ok({ status: 'registered', position: null })
    if (event.startsAt <= at) return fail(409, 'events_registration.past')
    if (event.registrationClosesAt && event.registrationClosesAt <= at) {
      const deadline = formatDateTime(event.registrationClosesAt, user.locale, user.timeZone)
      return fail(409, 'events_registration.closed', { params: { deadline } })
    }
    if (!inEventAudience(viewer, event)) return fail(403, 'events_registration.not_in_audience')

    const taken = await seatsTaken(tx, eventId)
    const status: RegistrationResult['status'] =
      event.capacity === null || taken < event.capacity ? 'registered' : 'waitlisted'
    const values = {
      status,
      registeredAt: status === 'registered' ? at : null,
      waitlistedAt: status === 'waitlisted' ? at : null,
      promotedAt: null,
      cancelledAt: null,
      updatedAt: at,
    }
    const [row] = existing
      ? await tx
          .update(eventRegistrations)
          .set(values)
          .where(eq(eventRegistrations.id, existing.id))
          .returning({ id: eventRegistrations.id })
      : await tx
          .insert(eventRegistrations)
          .values({ ...values, eventId, userId: user.id, createdAt: at })
          .returning({ id: eventRegistrations.id })
    if (status === 'waitlisted') {
      const position = await waitlistPosition(tx, row!.id)
      emailIds.push(
        ...(await notifyEvent(tx, {
          kind: 'event_waitlisted',
          eventId,
          recipientIds: [user.id],
          positions: new Map([[user.id, position]]),
          dedupeKey: () => `event_waitlisted:${row!.id}:${at.getTime()}`,
        })),
      )
      return ok({ status, position })
    }
    await recordRegistered(tx, user, eventId, at)
    emailIds.push(
      ...(await notifyEvent(tx, {
        kind: 'event_registered',
        eventId,
        recipientIds: [user.id],
        dedupeKey: () => `event_registered:${row!.id}:${at.getTime()}`,
      })),
    )
    return ok({ status, position: null })
  })
  // Only a committed registration is mailed; a failed or rolled-back one queued nothing.
  if (outcome.ok) await dispatchEmails(emailIds)
  return outcome
}

/** Cancels the member's seat or waitlist place. A freed seat goes at once, in the same transaction,
 *  to the first waiting member, who is emailed after commit. 404 when there is nothing to cancel;
 *  409 once the event has started. Returns the user ids of promoted members. */
export async function cancelRegistration(
  db: Db,
  { user, eventId, now }: { user: SessionUser; eventId: number; now?: Date },
): Promise<Outcome<{ promoted: number[] }>> {
  const outcome = await db.transaction(async (tx): Promise<Outcome<Promotion>> => {
    const event = await lockEvent(tx, eventId)
    if (!event) return fail(404, 'events_registration.not_found')
    const at = now ?? new Date()
    const [existing] = await tx
      .select({ id: eventRegistrations.id, status: eventRegistrations.status })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, user.id)))
    if (!existing || (existing.status !== 'registered' && existing.status !== 'waitlisted')) {
      return fail(404, 'events_registration.nothing_to_cancel')
    }
    if (event.startsAt <= at) return fail(409, 'events_registration.cancel_too_late')
    await tx
      .update(eventRegistrations)
      .set({ status: 'cancelled', cancelledAt: at, updatedAt: at })
      .where(eq(eventRegistrations.id, existing.id))
    if (existing.status !== 'registered') return ok({ userIds: [], emailIds: [] })
    return ok(await promoteFromWaitlist(tx, eventId, at))
  })
  if (!outcome.ok) return outcome
  await dispatchEmails(outcome.value.emailIds)
  return ok({ promoted: outcome.value.userIds })
}

/** The member's registration at the event (any status, cancelled included) with their waitlist
 *  position when waiting; null when they never registered. */
export async function myRegistration(
  db: Db,
  { userId, eventId }: { userId: number; eventId: number },
): Promise<{ status: RegistrationStatus; position: number | null } | null> {
  const [row] = await db
    .select({ id: eventRegistrations.id, status: eventRegistrations.status })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, userId)))
  if (!row) return null
  return { status: row.status, position: row.status === 'waitlisted' ? await waitlistPosition(db, row.id) : null }
}

/** One of the member's events, in the shape event lists show: `status` is the event's, `myStatus`
 *  the member's registration, `position` their waitlist place. */
export type MyEvent = {
  id: number
  kind: (typeof events.$inferSelect)['kind']
  title: string
  locale: Locale
  startsAt: Date
  endsAt: Date
  timeZone: string
  venue: string | null
  online: boolean
  capacity: number | null
  taken: number
  status: (typeof events.$inferSelect)['status']
  myStatus: RegistrationStatus
  position: number | null
}

/** A member's list is bounded; a hundred events either way is more than anyone keeps track of. */
const MY_EVENTS_LIMIT = 100

/** The member's events (registered, waitlisted or attended; drafts never): `upcoming` are those not
 *  yet over, soonest first; `past` are those that have ended, most recent first (100 at most).
 *  Cancelled events stay listed, with their status, so the member sees what happened. Filtered by
 *  `eventVisibleSql` like every list (a registration already makes an event visible to its member). */
export async function listMyEvents(
  db: Db,
  {
    user,
    scope,
    now = new Date(),
  }: { user: Pick<SessionUser, 'id' | 'role' | 'accountId'>; scope: 'upcoming' | 'past'; now?: Date },
): Promise<MyEvent[]> {
  const viewer = await eventViewerOf(db, user)
  const taken = seatsTakenSql()
  const position = sql<number | null>`case when ${eventRegistrations.status} = 'waitlisted' then (
      select count(*) from event_registrations w
      where w.event_id = ${eventRegistrations.eventId} and w.status = 'waitlisted'
        and (w.waitlisted_at, w.id) <= (${eventRegistrations.waitlistedAt}, ${eventRegistrations.id})
    )::int end`
  const rows = await db
    .select({
      id: events.id,
      kind: events.kind,
      title: events.title,
      locale: events.locale,
      startsAt: events.startsAt,
      endsAt: events.endsAt,
      timeZone: events.timeZone,
      venue: events.venue,
      onlineUrl: events.onlineUrl,
      capacity: events.capacity,
      taken,
      status: events.status,
      myStatus: eventRegistrations.status,
      position,
    })
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .where(
      and(
        eq(eventRegistrations.userId, user.id),
        inArray(eventRegistrations.status, ['registered', 'waitlisted', 'attended']),
        inArray(events.status, ['published', 'cancelled']),
        eventVisibleSql(viewer),
        scope === 'upcoming' ? gt(events.endsAt, now) : lte(events.endsAt, now),
      ),
    )
    .orderBy(
      scope === 'upcoming' ? asc(events.startsAt) : desc(events.startsAt),
      scope === 'upcoming' ? asc(events.id) : desc(events.id),
    )
    .limit(MY_EVENTS_LIMIT)
  return rows.map(({ onlineUrl, position, ...row }) => ({
    ...row,
    online: onlineUrl !== null,
    position: position === null ? null : Number(position),
  }))
}
