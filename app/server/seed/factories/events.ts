import { randomUUID } from 'node:crypto'
import { EventSchema } from '#app/domain/events/schemas.ts'
import { RENDER_VERSION, renderMarkdown } from '#app/lib/markdown.server.ts'
import type { Db } from '#db/client.server.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'

const HOUR = 3_600_000

/** The event form as staff send it (a workshop far in the future, two seats), parsed by its schema:
 *  the input of `createEvent` and `updateEvent`. */
export function eventFormInput(overrides: Record<string, unknown> = {}) {
  return EventSchema.parse({
    kind: 'workshop',
    title: 'Reports workshop',
    body: 'Bring a laptop.',
    locale: 'en',
    timeZone: 'Asia/Tokyo',
    startsAt: '2099-12-01T15:00',
    endsAt: '2099-12-01T16:30',
    capacity: '2',
    onlineUrl: 'https://meet.example/reports',
    audience: 'everyone',
    ...overrides,
  })
}

export type EventOverrides = Partial<Omit<typeof events.$inferInsert, 'bodyHtml' | 'renderVersion'>>

/** A published webinar a week from now, one hour long, unlimited seats, open to everyone. */
export async function insertEvent(db: Db, overrides: EventOverrides = {}) {
  const startsAt = overrides.startsAt ?? new Date(Date.now() + 7 * 24 * HOUR)
  const bodyMd = overrides.bodyMd ?? `Join us for a live walkthrough. ${randomUUID().slice(0, 8)}`
  const status = overrides.status ?? 'published'
  const [event] = await db
    .insert(events)
    .values({
      kind: 'webinar',
      title: `Product webinar ${randomUUID().slice(0, 8)}`,
      timeZone: 'Asia/Tokyo',
      onlineUrl: 'https://meet.example/abc-defg-hij',
      publishedAt: status === 'published' ? new Date() : null,
      ...overrides,
      status,
      startsAt,
      endsAt: overrides.endsAt ?? new Date(startsAt.getTime() + HOUR),
      bodyMd,
      bodyHtml: await renderMarkdown(bodyMd),
      renderVersion: RENDER_VERSION,
    })
    .returning()
  return event!
}

/** A registration written directly, as if the member had registered (or joined the waitlist). */
export async function insertRegistration(
  db: Db,
  event: { id: number },
  user: { id: number },
  overrides: Partial<typeof eventRegistrations.$inferInsert> = {},
) {
  const status = overrides.status ?? 'registered'
  const now = new Date()
  const [registration] = await db
    .insert(eventRegistrations)
    .values({
      eventId: event.id,
      userId: user.id,
      status,
      registeredAt: status === 'waitlisted' ? null : now,
      waitlistedAt: status === 'waitlisted' ? now : null,
      ...overrides,
    })
    .returning()
  return registration!
}
