import { and, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import type { Db } from '#db/client.server.ts'
import { eventRegistrations, eventReminders, events } from '#db/schema/events.ts'
import { users } from '#db/schema/identity.ts'
import { sendDueRecordingNotices } from './event-notices.server.ts'
import { type EventEmailRecipient, queueEventEmails } from './registrations.server.ts'

const HOUR = 3_600_000
export const REMINDER_JOB = 'events.reminders'
export const RECORDING_NOTICES_JOB = 'events.recording_notices'

type ReminderKind = (typeof eventReminders.$inferSelect)['kind']

/** Queues the reminders that are due at `now`, each (event, member, kind) once, and returns the
 *  outbox ids to dispatch. Registered members of published events get the `24h` reminder when the
 *  start is within 24 hours and the `1h` reminder when it is within the hour. Once the last hour has
 *  begun only the `1h` one goes out: a "within 24 hours" message arriving minutes before the start
 *  would be noise (so a member who registers late, or a run that was missed, yields one reminder).
 *  Waitlisted, cancelled and disabled members, and cancelled events, get nothing.
 *  One statement picks every due pair and records it in `event_reminders`; its primary key with
 *  `on conflict do nothing` means overlapping runs never send a reminder twice, and only the pairs
 *  this run inserted are emailed, in the same transaction. */
export async function sendDueReminders(db: Db, now: Date = new Date()): Promise<number[]> {
  const at = sql`${now.toISOString()}::timestamptz`
  const hourAhead = new Date(now.getTime() + HOUR)
  const dayAhead = new Date(now.getTime() + 24 * HOUR)
  return db.transaction(async (tx) => {
    const due = await tx
      .insert(eventReminders)
      .select(
        tx
          .select({
            eventId: eventRegistrations.eventId,
            userId: eventRegistrations.userId,
            kind: sql<ReminderKind>`case when ${events.startsAt} <= ${hourAhead.toISOString()}::timestamptz then '1h' else '24h' end`.as(
              'kind',
            ),
            sentAt: sql<Date>`${at}`.as('sent_at'),
          })
          .from(eventRegistrations)
          .innerJoin(events, eq(events.id, eventRegistrations.eventId))
          .innerJoin(users, eq(users.id, eventRegistrations.userId))
          .where(
            and(
              eq(events.status, 'published'),
              gt(events.startsAt, now),
              lte(events.startsAt, dayAhead),
              eq(eventRegistrations.status, 'registered'),
              isNull(users.disabledAt),
            ),
          ),
      )
      .onConflictDoNothing()
      .returning({ eventId: eventReminders.eventId, userId: eventReminders.userId, kind: eventReminders.kind })
    if (due.length === 0) return []

    const [eventRows, memberRows] = await Promise.all([
      tx
        .select({
          id: events.id,
          title: events.title,
          startsAt: events.startsAt,
          timeZone: events.timeZone,
          onlineUrl: events.onlineUrl,
          venue: events.venue,
        })
        .from(events)
        .where(inArray(events.id, [...new Set(due.map((row) => row.eventId))])),
      tx
        .select({
          id: users.id,
          email: users.email,
          displayName: users.displayName,
          locale: users.locale,
          timeZone: users.timeZone,
        })
        .from(users)
        .where(inArray(users.id, [...new Set(due.map((row) => row.userId))])),
    ])
    const members = new Map(memberRows.map((member) => [member.id, member]))
    const emailIds: number[] = []
    for (const event of eventRows) {
      for (const kind of ['24h', '1h'] as const) {
        const recipients = due
          .filter((row) => row.eventId === event.id && row.kind === kind)
          .map((row) => members.get(row.userId))
          .filter((member): member is EventEmailRecipient & { id: number } => !!member)
        emailIds.push(
          ...(await queueEventEmails(tx, recipients, event, kind === '1h' ? 'reminder_1h' : 'reminder_24h')),
        )
      }
    }
    return emailIds
  })
}

export const eventJobs: JobDefinition[] = [
  {
    name: REMINDER_JOB,
    handler: async (db) => {
      await dispatchEmails(await sendDueReminders(db))
    },
    // Every five minutes: a reminder goes out at most five minutes into its window.
    cron: '*/5 * * * *',
  },
  {
    name: RECORDING_NOTICES_JOB,
    handler: async (db) => {
      await dispatchEmails(await sendDueRecordingNotices(db))
    },
    // A recording set before the event ended is announced within a quarter of an hour of its end.
    cron: '*/15 * * * *',
  },
]
