import { and, asc, count, desc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { recordUploadRefs } from '#app/domain/uploads/refs.server.ts'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import { markdownColumns } from '#app/lib/markdown.server.ts'
import { claimOneTimeKey, type OneTimeKey, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { eventHosts, eventRegistrations, events } from '#db/schema/events.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { queueSearchUpdate } from '#search/outbox.server.ts'
import { eventViewerOf, viewerMaySeeEvent } from './audience.server.ts'
import { type EventViewer, eventVisibleSql, inEventAudience } from './audience.ts'
import { notifyEvent, recordingDedupeKey, textKey } from './event-notices.server.ts'
import { promoteFromWaitlist, type RegistrationStatus, SEAT_STATUSES, seatsTakenSql } from './registrations.server.ts'
import { EVENTS_PER_PAGE, type EventInput, type EventKind } from './schemas.ts'

type EventRow = typeof events.$inferSelect

function canManage(actor: SessionUser | null): boolean {
  return can(actor, 'events.manage')
}

/** Rendered before the caller's transaction, which would otherwise stay open while a worker renders. */
async function eventColumns(input: EventInput) {
  return {
    kind: input.kind,
    title: input.title,
    ...(await markdownColumns(input.body)),
    locale: input.locale,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    timeZone: input.timeZone,
    capacity: input.capacity ?? null,
    registrationClosesAt: input.registrationClosesAt,
    onlineUrl: input.onlineUrl ?? null,
    venue: input.venue ?? null,
    recordingUrl: input.recordingUrl ?? null,
    audience: input.audience,
    audienceTiers: input.audience === 'restricted' ? input.audienceTiers : [],
    audienceAccountIds: input.audience === 'restricted' ? input.audienceAccountIds : [],
    onboarding: input.onboarding,
  }
}

/** Hosts must be staff; anything else in the list is ignored. */
async function setHosts(tx: Db, eventId: number, hostIds: number[]) {
  await tx.delete(eventHosts).where(eq(eventHosts.eventId, eventId))
  if (!hostIds.length) return
  const staff = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, hostIds), ne(users.role, 'member')))
  if (staff.length) await tx.insert(eventHosts).values(staff.map((host) => ({ eventId, userId: host.id })))
}

/** Staff create an event as a draft, or published at once. Published events reach search. */
export async function createEvent(
  db: Db,
  {
    actor,
    input,
    publish = false,
    once,
  }: { actor: SessionUser; input: EventInput; publish?: boolean; once?: OneTimeKey },
): Promise<Outcome<{ id: number }>> {
  if (!canManage(actor)) return fail(403, 'errors.forbidden')
  const columns = await eventColumns(input)
  return db.transaction(async (tx) => {
    // A form sent twice (same one-time key, docs/decisions/027) creates once; the copy goes where the first went.
    const replay = once ? await claimOneTimeKey(tx, once) : null
    if (replay) return replay
    const now = new Date()
    const [event] = await tx
      .insert(events)
      .values({
        ...columns,
        status: publish ? 'published' : 'draft',
        publishedAt: publish ? now : null,
        createdById: actor.id,
      })
      .returning({ id: events.id })
    await setHosts(tx, event!.id, input.hostIds.length ? input.hostIds : [actor.id])
    await recordUploadRefs(tx, { subjectType: 'event', subjectId: event!.id, authorId: actor.id, text: input.body })
    if (publish) await queueSearchUpdate(tx, 'event', event!.id)
    if (once) await settleOneTimeKey(tx, once, `/events/${event!.id}?notice=${publish ? 'published' : 'saved'}`)
    return ok({ id: event!.id })
  })
}

/** The ids of members whose registration has one of these statuses (disabled members left out). */
async function membersWith(tx: Db, eventId: number, statuses: RegistrationStatus[]): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(eventRegistrations)
    .innerJoin(users, eq(users.id, eventRegistrations.userId))
    .where(
      and(
        eq(eventRegistrations.eventId, eventId),
        inArray(eventRegistrations.status, statuses),
        sql`${users.disabledAt} is null`,
      ),
    )
  return rows.map((row) => row.id)
}

/** Who hears about a change: members holding a seat or waiting for one. */
const INTERESTED: RegistrationStatus[] = ['registered', 'waitlisted']

/** Staff edit an event. When a published event's time or place changes, everyone registered or waiting
 *  is told the new details (`event_changed`); when the recording address of a published event that
 *  has ended is set or changed, everyone who held a seat is told (`event_recording`); more seats
 *  promote people from the waitlist at once. Each email goes once per change, however often the same
 *  edit is saved. */
export async function updateEvent(
  db: Db,
  { actor, eventId, input }: { actor: SessionUser; eventId: number; input: EventInput },
): Promise<Outcome<{ id: number; notified: number; promoted: number[] }>> {
  if (!canManage(actor)) return fail(403, 'errors.forbidden')
  const columns = await eventColumns(input)
  const result = await db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update')
    if (!event) return { outcome: fail(404, 'events.not_found'), emails: [] as number[] }
    if (event.status === 'cancelled') return { outcome: fail(409, 'events.cancelled_cannot_edit'), emails: [] }
    await tx
      .update(events)
      .set({ ...columns, updatedAt: new Date() })
      .where(eq(events.id, eventId))
    await setHosts(tx, eventId, input.hostIds.length ? input.hostIds : [actor.id])
    await recordUploadRefs(tx, { subjectType: 'event', subjectId: eventId, authorId: actor.id, text: input.body })

    const emails: number[] = []
    const now = new Date()
    const moved =
      event.startsAt.getTime() !== input.startsAt.getTime() ||
      event.endsAt.getTime() !== input.endsAt.getTime() ||
      event.timeZone !== input.timeZone ||
      event.venue !== columns.venue ||
      event.onlineUrl !== columns.onlineUrl
    let notified = 0
    if (event.status === 'published' && moved) {
      const members = await membersWith(tx, eventId, INTERESTED)
      // The new details name the change: saving the same time and place twice sends one email.
      const change = `${input.startsAt.getTime()}:${input.endsAt.getTime()}:${textKey(
        `${input.timeZone}\n${columns.venue ?? ''}\n${columns.onlineUrl ?? ''}`,
      )}`
      emails.push(
        ...(await notifyEvent(tx, {
          kind: 'event_changed',
          eventId,
          recipientIds: members,
          actorId: actor.id,
          dedupeKey: (userId) => `event_changed:${eventId}:${userId}:${change}`,
        })),
      )
      notified = members.length
    }
    const recording = columns.recordingUrl
    if (event.status === 'published' && recording && recording !== event.recordingUrl && input.endsAt <= now) {
      emails.push(
        ...(await notifyEvent(tx, {
          kind: 'event_recording',
          eventId,
          recipientIds: await membersWith(tx, eventId, SEAT_STATUSES),
          actorId: actor.id,
          dedupeKey: (userId) => recordingDedupeKey(eventId, userId, recording),
        })),
      )
    }
    const promoted =
      event.status === 'published' ? await promoteFromWaitlist(tx, eventId) : { userIds: [], emailIds: [] }
    emails.push(...promoted.emailIds)
    if (event.status === 'published') await queueSearchUpdate(tx, 'event', eventId)
    return { outcome: ok({ id: eventId, notified, promoted: promoted.userIds }), emails }
  })
  await dispatchEmails(result.emails)
  return result.outcome
}

/** Publishes a draft: it appears in lists and search, and members can register. */
export async function publishEvent(
  db: Db,
  { actor, eventId }: { actor: SessionUser; eventId: number },
): Promise<Outcome<{ id: number }>> {
  if (!canManage(actor)) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update')
    if (!event) return fail(404, 'events.not_found')
    if (event.status === 'cancelled') return fail(409, 'events.cancelled_cannot_edit')
    if (event.status === 'published') return ok({ id: eventId })
    await tx
      .update(events)
      .set({ status: 'published', publishedAt: new Date(), updatedAt: new Date() })
      .where(eq(events.id, eventId))
    await queueSearchUpdate(tx, 'event', eventId)
    return ok({ id: eventId })
  })
}

/** Cancels an event: registration closes, everyone registered or waiting is told (`event_cancelled`,
 *  always by email), reminders stop
 *  (they only go to published events), and search drops it. */
export async function cancelEvent(
  db: Db,
  { actor, eventId }: { actor: SessionUser; eventId: number },
): Promise<Outcome<{ id: number; notified: number }>> {
  if (!canManage(actor)) return fail(403, 'errors.forbidden')
  const result = await db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update')
    if (!event) return { outcome: fail(404, 'events.not_found'), emails: [] as number[] }
    if (event.status === 'cancelled') return { outcome: ok({ id: eventId, notified: 0 }), emails: [] }
    await tx
      .update(events)
      .set({ status: 'cancelled', cancelledAt: new Date(), updatedAt: new Date() })
      .where(eq(events.id, eventId))
    const emails: number[] = []
    let notified = 0
    if (event.status === 'published') {
      const members = await membersWith(tx, eventId, INTERESTED)
      emails.push(
        ...(await notifyEvent(tx, {
          kind: 'event_cancelled',
          eventId,
          recipientIds: members,
          actorId: actor.id,
          dedupeKey: (userId) => `event_cancelled:${eventId}:${userId}`,
        })),
      )
      notified = members.length
    }
    await queueSearchUpdate(tx, 'event', eventId, 'delete')
    return { outcome: ok({ id: eventId, notified }), emails }
  })
  await dispatchEmails(result.emails)
  return result.outcome
}

export type EventScope = 'upcoming' | 'past'

/** Upcoming (not yet ended, soonest first) or past (newest first) events the viewer may see: published
 *  and cancelled ones that the event page would show them (`eventVisibleSql`); staff also see drafts. */
export async function listEvents(
  db: Db,
  {
    viewer,
    scope,
    kind,
    page = 1,
    now = new Date(),
  }: { viewer: SessionUser | null; scope: EventScope; kind?: EventKind; page?: number; now?: Date },
) {
  const audience = await eventViewerOf(db, viewer)
  const where = and(
    eventVisibleSql(audience),
    audience.staff || scope === 'upcoming' ? undefined : eq(events.status, 'published'),
    scope === 'upcoming' ? gte(events.endsAt, now) : lt(events.endsAt, now),
    scope === 'past' ? ne(events.status, 'draft') : undefined,
    kind ? eq(events.kind, kind) : undefined,
  )
  const taken = seatsTakenSql()
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: events.id,
        kind: events.kind,
        title: events.title,
        locale: events.locale,
        startsAt: events.startsAt,
        endsAt: events.endsAt,
        timeZone: events.timeZone,
        capacity: events.capacity,
        status: events.status,
        online: sql<boolean>`${events.onlineUrl} is not null`,
        venue: events.venue,
        recorded: sql<boolean>`${events.recordingUrl} is not null`,
        restricted: sql<boolean>`${events.audience} = 'restricted'`,
        taken,
      })
      .from(events)
      .where(where)
      .orderBy(
        ...(scope === 'upcoming' ? [asc(events.startsAt), asc(events.id)] : [desc(events.startsAt), desc(events.id)]),
      )
      .limit(EVENTS_PER_PAGE)
      .offset((page - 1) * EVENTS_PER_PAGE),
    db.select({ n: count() }).from(events).where(where),
  ])
  return { events: rows, total: total?.n ?? 0, page, perPage: EVENTS_PER_PAGE }
}

export type EventPage = Awaited<ReturnType<typeof loadEventPage>>

async function loadEventPage(db: Db, event: EventRow, viewer: EventViewer, now: Date) {
  const [hosts, [seats], [waiting]] = await Promise.all([
    db
      .select({ id: users.id, displayName: users.displayName })
      .from(eventHosts)
      .innerJoin(users, eq(users.id, eventHosts.userId))
      .where(eq(eventHosts.eventId, event.id))
      .orderBy(asc(users.displayName)),
    db
      .select({ n: count() })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, event.id), inArray(eventRegistrations.status, SEAT_STATUSES))),
    db
      .select({ n: count() })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.status, 'waitlisted'))),
  ])
  const inAudience = inEventAudience(viewer, event)
  const started = event.startsAt <= now
  const ended = event.endsAt <= now
  const closed = !!event.registrationClosesAt && event.registrationClosesAt <= now
  return {
    event: {
      id: event.id,
      kind: event.kind,
      title: event.title,
      bodyHtml: event.bodyHtml,
      locale: event.locale,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timeZone: event.timeZone,
      capacity: event.capacity,
      registrationClosesAt: event.registrationClosesAt,
      venue: event.venue,
      online: !!event.onlineUrl,
      recordingUrl: ended ? event.recordingUrl : null,
      audience: event.audience,
      status: event.status,
    },
    hosts,
    seatsTaken: seats?.n ?? 0,
    waitlist: waiting?.n ?? 0,
    started,
    ended,
    closed,
    inAudience,
    canManage: viewer.staff,
  }
}

/** An event as a reader sees it, with seats, the waitlist and what stops registration. Not found
 *  unless `maySeeEvent`: drafts are staff-only, and a restricted event is shown to its audience and to
 *  members who registered. The join URL is not here: only registered members get it (`joinUrlFor`). */
export async function getEventPage(
  db: Db,
  { viewer, eventId, now = new Date() }: { viewer: SessionUser | null; eventId: number; now?: Date },
): Promise<Outcome<EventPage>> {
  const [event] = await db.select().from(events).where(eq(events.id, eventId))
  if (!event) return fail(404, 'events.not_found')
  const audience = await eventViewerOf(db, viewer)
  if (!(await viewerMaySeeEvent(db, audience, event))) return fail(404, 'events.not_found')
  return ok(await loadEventPage(db, event, audience, now))
}

/** The online join link, for members holding a seat (and staff). */
export async function joinUrlFor(db: Db, { viewer, eventId }: { viewer: SessionUser | null; eventId: number }) {
  if (!viewer) return null
  const [event] = await db.select({ onlineUrl: events.onlineUrl }).from(events).where(eq(events.id, eventId))
  if (!event?.onlineUrl) return null
  if (canManage(viewer)) return event.onlineUrl
  const [mine] = await db
    .select({ status: eventRegistrations.status })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, viewer.id)))
  return mine && SEAT_STATUSES.includes(mine.status) ? event.onlineUrl : null
}

/** The event with its hosts, as the edit form needs it (staff). */
export async function getEventForEdit(db: Db, { actor, eventId }: { actor: SessionUser; eventId: number }) {
  if (!canManage(actor)) return fail(403, 'errors.forbidden')
  const [event] = await db.select().from(events).where(eq(events.id, eventId))
  if (!event) return fail(404, 'events.not_found')
  const hosts = await db.select({ userId: eventHosts.userId }).from(eventHosts).where(eq(eventHosts.eventId, eventId))
  return ok({ ...event, hostIds: hosts.map((host) => host.userId) })
}

/** What the event form offers: staff to choose hosts from, and accounts for a restricted audience. */
export async function eventFormChoices(db: Db) {
  const [staff, accountRows] = await Promise.all([
    db
      .select({ id: users.id, displayName: users.displayName })
      .from(users)
      .where(and(ne(users.role, 'member'), sql`${users.disabledAt} is null`))
      .orderBy(asc(users.displayName)),
    db.select({ id: accounts.id, name: accounts.name }).from(accounts).orderBy(asc(accounts.name)),
  ])
  return { staff, accounts: accountRows }
}
