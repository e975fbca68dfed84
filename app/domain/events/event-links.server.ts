import { env } from '#app/lib/env.server.ts'
import type { eventRegistrations } from '#db/schema/events.ts'

// Small facts several event modules share (registrations, calendars, event emails); kept apart so
// none of them has to import another just for these.

/** The event page, absolute, for emails and calendar files. */
export function eventUrl(eventId: number, appUrl = env().APP_URL): string {
  return `${appUrl.replace(/\/+$/, '')}/events/${eventId}`
}

/** Statuses that hold a seat: an attendee marked present or absent still used theirs. */
export const SEAT_STATUSES: (typeof eventRegistrations.$inferSelect)['status'][] = ['registered', 'attended', 'no_show']
