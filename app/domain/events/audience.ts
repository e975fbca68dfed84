import { and, ne, or, type SQL, sql } from 'drizzle-orm'
import type { TouchTier } from '#app/domain/scoring/tiers.ts'
import { type Audience, type AudienceColumns, audienceCondition, inAudience } from '#app/lib/audience.ts'
import { events } from '#db/schema/events.ts'

// Who may see an event, in one place. The event page is the reference; every other view (the .ics file,
// the calendar feed, lists, search, registration, the survey) asks the same question, in JavaScript
// through `maySeeEvent` or in SQL through `eventVisibleSql` / `audienceSql`. Both read the viewer as an
// `EventViewer`, resolved once per request by `eventViewerOf` (audience.server.ts). The rule itself
// (who belongs to a restricted audience) is app/lib/audience.ts, shared with the search engines.

/** The viewer as audiences see them: staff see every event; a member brings their account and its
 *  current touch tier; a visitor brings nothing. */
export type EventViewer = {
  staff: boolean
  userId: number | null
  accountId: number | null
  tier: TouchTier | null
}

export const visitorViewer: EventViewer = { staff: false, userId: null, accountId: null, tier: null }

export type AudienceEvent = Audience

export type VisibleEvent = AudienceEvent & { status: 'draft' | 'published' | 'cancelled' }

/** Whether the viewer belongs to the event's audience (`inAudience` of app/lib/audience.ts). */
export function inEventAudience(viewer: Pick<EventViewer, 'staff' | 'accountId' | 'tier'>, event: AudienceEvent) {
  return inAudience(viewer, event)
}

/** Whether the viewer may see the event at all, anywhere. Drafts are staff-only. A member outside a
 *  restricted audience sees it only when they have a registration (`registered`, of any status): they
 *  already know the event, and cancelling must not turn its page into a 404 under their feet. */
export function maySeeEvent(viewer: EventViewer, event: VisibleEvent, registered: boolean): boolean {
  if (viewer.staff) return true
  if (event.status === 'draft') return false
  return inEventAudience(viewer, event) || (viewer.userId !== null && registered)
}

const eventColumns: AudienceColumns = {
  restricted: sql`${events.audience} = 'restricted'`,
  accountIds: events.audienceAccountIds,
  tiers: events.audienceTiers,
}

/** `inEventAudience` as a condition over the events table; undefined (no condition) for staff. */
export function audienceSql(viewer: Pick<EventViewer, 'staff' | 'accountId' | 'tier'>): SQL | undefined {
  return audienceCondition(viewer, eventColumns)
}

/** `maySeeEvent` as a condition over the `events` table (a query that selects from it, unaliased);
 *  undefined (no condition) for staff. */
export function eventVisibleSql(viewer: EventViewer): SQL | undefined {
  if (viewer.staff) return undefined
  const registered =
    viewer.userId === null
      ? undefined
      : sql`exists (select 1 from event_registrations r where r.event_id = ${events.id} and r.user_id = ${viewer.userId}::int)`
  return and(ne(events.status, 'draft'), or(audienceSql(viewer), registered))
}
