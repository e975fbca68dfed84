// What an event shows a reader about seats, registration and the survey: one answer per situation,
// so a page never says two things that contradict each other ("You are on the waitlist" next to
// "Full: join the waitlist", "the event has started" two weeks after it ended). Pure: the same on the
// server and in the browser.

/** The member's own registration statuses that make the event theirs (a cancelled one does not). */
const OWN_STATUSES = ['registered', 'waitlisted', 'attended', 'no_show']

export function isOver(endsAt: Date | string, now: Date = new Date()): boolean {
  return new Date(endsAt).getTime() <= now.getTime()
}

export type SeatsLine = { kind: 'unlimited' } | { kind: 'left'; count: number } | { kind: 'full' } | null

/** The seats line of an event in a list. Nothing once the event is over (no seat to take), and
 *  nothing for the reader's own events: their status says where they stand, and "Full: join the
 *  waitlist" would contradict it. */
export function seatsLine(
  event: { capacity: number | null; taken: number; endsAt: Date | string; myStatus?: string | null },
  now: Date = new Date(),
): SeatsLine {
  if (isOver(event.endsAt, now)) return null
  if (event.myStatus && OWN_STATUSES.includes(event.myStatus)) return null
  if (event.capacity === null) return { kind: 'unlimited' }
  const left = Math.max(0, event.capacity - event.taken)
  return left > 0 ? { kind: 'left', count: left } : { kind: 'full' }
}

export type ClosedReason = 'cancelled' | 'ended' | 'started' | 'deadline' | 'not_in_audience' | null

/** Why a reader cannot register, most final first: an event that ended says so (with its end date),
 *  not that it "has started". */
export function closedReason(page: {
  status: string
  started: boolean
  ended: boolean
  closed: boolean
  inAudience: boolean
}): ClosedReason {
  if (page.status === 'cancelled') return 'cancelled'
  if (page.ended) return 'ended'
  if (page.started) return 'started'
  if (page.closed) return 'deadline'
  if (!page.inAudience) return 'not_in_audience'
  return null
}

/** The survey line of an ended event: the invitation to attendees who have not answered, thanks to
 *  those who have, nothing to anyone else (only attendees may answer). */
export function surveyPrompt(state: {
  ended: boolean
  myStatus: string | null | undefined
  answered: boolean
}): 'ask' | 'thanks' | null {
  if (!state.ended || state.myStatus !== 'attended') return null
  return state.answered ? 'thanks' : 'ask'
}
