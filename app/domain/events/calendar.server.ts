import { randomBytes } from 'node:crypto'
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm'
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import { plainExcerpt } from '#app/lib/markdown.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { calendarFeeds, eventRegistrations, events } from '#db/schema/events.ts'
import { users } from '#db/schema/identity.ts'
import { audienceColumns, eventViewerOf, viewerMaySeeEvent } from './audience.server.ts'
import { eventVisibleSql } from './audience.ts'
import { eventUrl, SEAT_STATUSES } from './event-links.server.ts'

const DAY = 24 * 3_600_000
/** The feed keeps events that ended in the last 30 days, so a calendar does not drop them at once. */
const FEED_HISTORY_MS = 30 * DAY
const FEED_LIMIT = 500
const DESCRIPTION_CHARS = 1000
/** Calendar apps poll a subscription; once an hour is often enough for event changes. */
const FEED_REFRESH_SECONDS = 3600

export type CalendarEntry = {
  id: number
  title: string
  /** The stored, sanitized HTML of the description: an excerpt of it is read in linear time. */
  bodyHtml: string
  startsAt: Date
  endsAt: Date
  venue: string | null
  status: 'draft' | 'published' | 'cancelled'
  updatedAt: Date
  /** The online join link, only for someone who holds a seat. */
  joinUrl: string | null
  /** Replaces the title as the calendar entry's summary (a waitlist mark, say). */
  summary?: string
}

/** An iCalendar file (METHOD:PUBLISH) of the given events. Each entry's UID is stable
 *  (`event-<id>@<host>`), so a calendar updates the entry instead of duplicating it. Times are
 *  written in UTC: they are instants, and every client shows them in its own zone; a TZID would also
 *  need a VTIMEZONE block that clients disagree about. DTSTAMP and LAST-MODIFIED are the event's last
 *  change, so the same data always gives the same file. */
export function eventCalendar({
  events: entries,
  appUrl,
  name,
  locale = 'en',
  refreshSeconds,
}: {
  events: CalendarEntry[]
  appUrl: string
  name: string
  locale?: Locale
  refreshSeconds?: number
}): string {
  const t = translator(locale)
  const host = new URL(appUrl).host
  const calendar = ical({
    name,
    method: ICalCalendarMethod.PUBLISH,
    prodId: { company: host, product: 'community-events', language: locale.toUpperCase() },
    ttl: refreshSeconds ?? null,
  })
  for (const entry of entries) {
    const page = eventUrl(entry.id, appUrl)
    const description = [plainExcerpt(entry.bodyHtml, DESCRIPTION_CHARS)]
    if (entry.joinUrl) description.push(t('events_registration.calendar.join', { link: entry.joinUrl }))
    description.push(t('events_registration.calendar.event_page', { link: page }))
    calendar.createEvent({
      id: `event-${entry.id}@${host}`,
      start: entry.startsAt,
      end: entry.endsAt,
      stamp: entry.updatedAt,
      lastModified: entry.updatedAt,
      summary: entry.summary ?? entry.title,
      description: description.join('\n\n'),
      location: entry.venue ?? entry.joinUrl,
      url: page,
      status: entry.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    })
  }
  return calendar.toString()
}

const entryColumns = {
  id: events.id,
  title: events.title,
  bodyHtml: events.bodyHtml,
  startsAt: events.startsAt,
  endsAt: events.endsAt,
  venue: events.venue,
  onlineUrl: events.onlineUrl,
  status: events.status,
  updatedAt: events.updatedAt,
}

/** The `.ics` file of one published or cancelled event (a cancelled one says STATUS:CANCELLED, so a
 *  calendar that imported it crosses it out), for whoever may see its page (`maySeeEvent`). The join
 *  link is in it only for a viewer who holds a seat, the same rule as the event page. Drafts, unknown
 *  events and events the viewer may not see are 404. */
export async function eventIcs(
  db: Db,
  { eventId, viewer }: { eventId: number; viewer: SessionUser | null },
): Promise<Outcome<string>> {
  const [found] = await db
    .select({
      event: entryColumns,
      audience: audienceColumns,
    })
    .from(events)
    .where(eq(events.id, eventId))
  if (!found || found.event.status === 'draft') return fail(404, 'events_registration.not_found')
  if (!(await viewerMaySeeEvent(db, await eventViewerOf(db, viewer), { id: eventId, ...found.audience }))) {
    return fail(404, 'events_registration.not_found')
  }
  const { event } = found
  let seated = false
  if (viewer && event.onlineUrl) {
    const [registration] = await db
      .select({ status: eventRegistrations.status })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, viewer.id)))
    seated = !!registration && SEAT_STATUSES.includes(registration.status)
  }
  const { onlineUrl, ...entry } = event
  return ok(
    eventCalendar({
      events: [{ ...entry, joinUrl: seated ? onlineUrl : null }],
      appUrl: env().APP_URL,
      name: event.title,
      locale: viewer?.locale,
    }),
  )
}

function newToken(): string {
  // 256 bits from the CSPRNG: the token alone opens the feed, so it must not be guessable.
  return randomBytes(32).toString('base64url')
}

/** The member's calendar feed token, created on first use. Concurrent first uses agree on one token. */
export async function calendarFeedToken(db: Db, userId: number): Promise<string> {
  const [created] = await db
    .insert(calendarFeeds)
    .values({ userId, token: newToken() })
    .onConflictDoNothing({ target: calendarFeeds.userId })
    .returning({ token: calendarFeeds.token })
  if (created) return created.token
  const [existing] = await db
    .select({ token: calendarFeeds.token })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.userId, userId))
  return existing!.token
}

/** Replaces the member's feed token: the old feed address stops working at once. Returns the new token. */
export async function resetCalendarFeedToken(db: Db, userId: number): Promise<string> {
  const token = newToken()
  await db
    .insert(calendarFeeds)
    .values({ userId, token })
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { token, createdAt: new Date() } })
  return token
}

/** The member's personal feed: events they hold a seat at or wait for (marked in the summary), not
 *  yet over or ended within the last 30 days, published or cancelled, that the owner may see
 *  (`eventVisibleSql`, as every list). The token proves the owner, so join links are included for
 *  seats held. An unknown token, or a disabled member's, is 404. */
export async function feedIcs(db: Db, token: string, now: Date = new Date()): Promise<Outcome<string>> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return fail(404, 'events_registration.calendar_not_found')
  const [owner] = await db
    .select({ id: users.id, role: users.role, accountId: users.accountId, locale: users.locale })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(and(eq(calendarFeeds.token, token), isNull(users.disabledAt)))
  if (!owner) return fail(404, 'events_registration.calendar_not_found')
  const viewer = await eventViewerOf(db, owner)
  const rows = await db
    .select({ ...entryColumns, registration: eventRegistrations.status })
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .where(
      and(
        eq(eventRegistrations.userId, owner.id),
        inArray(eventRegistrations.status, ['registered', 'waitlisted', 'attended', 'no_show']),
        inArray(events.status, ['published', 'cancelled']),
        eventVisibleSql(viewer),
        gt(events.endsAt, new Date(now.getTime() - FEED_HISTORY_MS)),
      ),
    )
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(FEED_LIMIT)
  const t = translator(owner.locale)
  const entries = rows.map(({ onlineUrl, registration, ...event }): CalendarEntry => {
    const waitlisted = registration === 'waitlisted'
    return {
      ...event,
      joinUrl: waitlisted ? null : onlineUrl,
      summary: waitlisted ? t('events_registration.calendar.waitlisted_summary', { title: event.title }) : undefined,
    }
  })
  return ok(
    eventCalendar({
      events: entries,
      appUrl: env().APP_URL,
      name: t('events_registration.calendar.feed_name'),
      locale: owner.locale,
      refreshSeconds: FEED_REFRESH_SECONDS,
    }),
  )
}
