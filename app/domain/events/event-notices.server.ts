import { createHash } from 'node:crypto'
import { and, eq, exists, gt, inArray, isNotNull, lte, not, sql } from 'drizzle-orm'
import { notify } from '#app/domain/notify/notifications.server.ts'
import { env } from '#app/lib/env.server.ts'
import { formatDateTime, safeTimeZone } from '#app/lib/format.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import type { MailAttachment, MailMessage } from '#app/lib/mail.server.ts'
import type { Db } from '#db/client.server.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { notifications } from '#db/schema/notify.ts'
import { eventCalendar } from './calendar.server.ts'
import { eventUrl, SEAT_STATUSES } from './event-links.server.ts'

// The emails about an event: the registration's own (confirmed with its .ics, waitlisted with the
// place in line, promoted), the event's changes (moved, cancelled, its recording), and the reminders.
// All but the reminders are notification kinds and go through the notify context's one writer, so each
// follows the member's channel for its kind.

export type EventEmailKind =
  | 'registered'
  | 'waitlisted'
  | 'promoted'
  | 'changed'
  | 'cancelled'
  | 'recording'
  | 'reminder_24h'
  | 'reminder_1h'
export type EventEmailRecipient = { email: string; displayName: string; locale: Locale; timeZone: string }
export type EventEmailEvent = {
  id: number
  title: string
  startsAt: Date
  timeZone: string
  onlineUrl: string | null
  venue: string | null
}

/** The start in the reader's own time zone with the event's zone beside it when they differ, the
 *  venue, the join link (only for a seat held) and the event page. */
function detailsOf(recipient: EventEmailRecipient, event: EventEmailEvent, { join }: { join: boolean }): string {
  const t = translator(recipient.locale)
  const readerZone = safeTimeZone(recipient.timeZone)
  const eventZone = safeTimeZone(event.timeZone)
  const inZone = (zone: string) =>
    t('events_registration.email.time_in_zone', {
      time: formatDateTime(event.startsAt, recipient.locale, zone),
      zone,
    })
  const time = readerZone === eventZone ? inZone(readerZone) : `${inZone(readerZone)} / ${inZone(eventZone)}`
  const details = [t('events_registration.email.when', { time })]
  if (event.venue) details.push(t('events_registration.email.where', { venue: event.venue }))
  if (event.onlineUrl && join) details.push(t('events_registration.email.join', { link: event.onlineUrl }))
  details.push(t('events_registration.email.page', { link: eventUrl(event.id) }))
  return details.join('\n')
}

/** A reminder about an event the recipient holds a seat at (not a notification kind: it goes to
 *  everyone registered, and the member who registered asked for it). */
export function eventEmail(recipient: EventEmailRecipient, event: EventEmailEvent, kind: EventEmailKind): MailMessage {
  const t = translator(recipient.locale)
  const paragraphs = [
    t('events_registration.email.greeting', { name: recipient.displayName }),
    t(`events_registration.email.${kind}.intro`, { title: event.title }),
    detailsOf(recipient, event, { join: true }),
    t('events_registration.email.footer'),
  ]
  return {
    to: recipient.email,
    subject: t(`events_registration.email.${kind}.subject`, { title: event.title }),
    text: paragraphs.join('\n\n'),
    template: `event_${kind}`,
  }
}

type EventRow = typeof events.$inferSelect

/** The event as a calendar file for someone holding a seat (join link included), in their language:
 *  the same `.ics` the event page serves (`eventCalendar`), so its UID matches and a calendar that
 *  imports both keeps one entry. */
/** The last calendar files made, by event version and language: a burst of registrations (every
 *  seat of a popular webinar taken in a minute) attaches the same file to each confirmation, and
 *  each is made under the event's row lock. A changed event (its `updatedAt`, time, place) is a new key. */
const icsMemo = new Map<string, MailAttachment>()
const ICS_MEMO_SIZE = 64

export function eventIcsAttachment(event: EventRow, locale: Locale): MailAttachment {
  const appUrl = env().APP_URL
  // What the file is made of, besides the description's length: a copy of the event with the same id
  // and version (another test database in the same process) cannot be served another's file.
  const key = JSON.stringify([
    event.id,
    event.updatedAt.getTime(),
    event.status,
    event.title,
    event.startsAt.getTime(),
    event.endsAt.getTime(),
    event.timeZone,
    event.venue,
    event.onlineUrl,
    event.bodyHtml.length,
    locale,
    appUrl,
  ])
  const known = icsMemo.get(key)
  if (known) return known
  const ics = eventCalendar({
    events: [{ ...event, joinUrl: event.onlineUrl }],
    appUrl,
    name: event.title,
    locale,
  })
  const attachment = {
    filename: `event-${event.id}.ics`,
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    contentBase64: Buffer.from(ics, 'utf8').toString('base64'),
  }
  if (icsMemo.size >= ICS_MEMO_SIZE) icsMemo.delete(icsMemo.keys().next().value!)
  icsMemo.set(key, attachment)
  return attachment
}

export type EventNotice = {
  kind:
    | 'event_registered'
    | 'event_waitlisted'
    | 'event_promoted'
    | 'event_changed'
    | 'event_cancelled'
    | 'event_recording'
  eventId: number
  recipientIds: number[]
  actorId?: number | null
  /** The waitlist place of each recipient (event_waitlisted). */
  positions?: Map<number, number>
  /** What makes this email to this member one of a kind: a retried or raced action sends it once. */
  dedupeKey: (userId: number) => string
}

const emailKindOf = {
  event_registered: 'registered',
  event_waitlisted: 'waitlisted',
  event_promoted: 'promoted',
  event_changed: 'changed',
  event_cancelled: 'cancelled',
  event_recording: 'recording',
} as const

/** Tells members about their registration or a change to the event, through the notify writer (each
 *  gets what their channel for the kind says). Reads the event as it is now in the caller's
 *  transaction; returns the ids of queued emails to dispatch after commit. */
export async function notifyEvent(tx: Db, notice: EventNotice): Promise<number[]> {
  if (notice.recipientIds.length === 0) return []
  const [event] = await tx.select().from(events).where(eq(events.id, notice.eventId))
  if (!event) return []
  const kind = emailKindOf[notice.kind]
  // The join link goes only to whom this email gives a seat; the others find it on the event page.
  const seated = kind === 'registered' || kind === 'promoted'
  return notify(tx, {
    kind: notice.kind,
    recipientIds: notice.recipientIds,
    actorId: notice.actorId ?? null,
    target: { eventId: event.id },
    dedupeKey: (recipient) => notice.dedupeKey(recipient.id),
    email: (recipient) => {
      const t = translator(recipient.locale)
      const params = {
        title: event.title,
        position: notice.positions?.get(recipient.id) ?? '',
        link: event.recordingUrl ?? '',
      }
      const paragraphs = [t(`events_registration.email.${kind}.intro`, params)]
      if (kind !== 'recording') paragraphs.push(detailsOf(recipient, event, { join: seated }))
      if (kind === 'cancelled') {
        const others = `${env().APP_URL.replace(/\/+$/, '')}/events`
        paragraphs.push(t('events_registration.email.cancelled.others', { link: others }))
      }
      return {
        subject: t(`events_registration.email.${kind}.subject`, params),
        paragraphs,
        attachments:
          kind === 'registered' || kind === 'promoted' ? [eventIcsAttachment(event, recipient.locale)] : undefined,
      }
    },
  })
}

/** A short, stable name for a text in a dedupe key (a recording's address, a new time and place): a
 *  changed text is news again. */
export function textKey(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16)
}

/** The dedupe key of a recording email: one per member, event and address. */
export function recordingDedupeKey(eventId: number, userId: number, recordingUrl: string): string {
  return `event_recording:${eventId}:${userId}:${textKey(recordingUrl)}`
}

/** How long after its end an event's recording is still news. */
const RECORDING_NEWS_MS = 7 * 24 * 3_600_000

/** Tells those who held a seat at an event that ended in the last week, whose recording address was
 *  set before it ended (staff editing a past event tell them at once, `updateEvent`), and who have had
 *  no recording notification for it. One run at a time (a transaction-scoped advisory lock), so two
 *  overlapping runs never write the in-app row twice; the email's dedupe key is the second guard.
 *  Returns the outbox ids to dispatch after commit. */
export async function sendDueRecordingNotices(db: Db, now: Date = new Date()): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('events.recording_notices'))`)
    const ended = await tx
      .select({ id: events.id, recordingUrl: events.recordingUrl })
      .from(events)
      .where(
        and(
          eq(events.status, 'published'),
          isNotNull(events.recordingUrl),
          lte(events.endsAt, now),
          gt(events.endsAt, new Date(now.getTime() - RECORDING_NEWS_MS)),
        ),
      )
    const emailIds: number[] = []
    for (const event of ended) {
      const told = tx
        .select({ one: sql`1` })
        .from(notifications)
        .where(
          and(
            eq(notifications.eventId, event.id),
            eq(notifications.type, 'event_recording'),
            eq(notifications.userId, eventRegistrations.userId),
          ),
        )
      const waiting = await tx
        .select({ userId: eventRegistrations.userId })
        .from(eventRegistrations)
        .where(
          and(
            eq(eventRegistrations.eventId, event.id),
            inArray(eventRegistrations.status, SEAT_STATUSES),
            not(exists(told)),
          ),
        )
      if (waiting.length === 0) continue
      const url = event.recordingUrl!
      emailIds.push(
        ...(await notifyEvent(tx, {
          kind: 'event_recording',
          eventId: event.id,
          recipientIds: waiting.map((row) => row.userId),
          dedupeKey: (userId) => recordingDedupeKey(event.id, userId, url),
        })),
      )
    }
    return emailIds
  })
}
