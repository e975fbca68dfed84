import { feedIcs } from '#app/domain/events/calendar.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage } from '#app/server/http.server.ts'
import type { Route } from './+types/calendar-feed'

/** The member's subscribable calendar (`/calendar/<token>.ics`). The token in the address is the
 *  only credential: calendar apps fetch it without a session. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const outcome = await feedIcs(getDb(context), params.token.replace(/\.ics$/, ''))
  if (!outcome.ok) {
    return new Response(failureMessage(context, outcome), {
      status: outcome.status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  }
  return new Response(outcome.value, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="events.ics"',
      'Cache-Control': 'private, max-age=300',
    },
  })
}
