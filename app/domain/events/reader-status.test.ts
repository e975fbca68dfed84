import { expect, test } from 'vitest'
import { closedReason, seatsLine, surveyPrompt } from './reader-status.ts'

const now = new Date('2026-06-15T10:00:00Z')
const nextWeek = new Date('2026-06-22T10:00:00Z')
const twoWeeksAgo = new Date('2026-06-01T10:00:00Z')

test('a full event offers the waitlist to others, but shows its own members only their status', () => {
  const full = { capacity: 2, taken: 2, endsAt: nextWeek }
  expect(seatsLine(full, now)).toEqual({ kind: 'full' })
  expect(seatsLine({ ...full, myStatus: 'waitlisted' }, now)).toBeNull()
  expect(seatsLine({ ...full, myStatus: 'registered' }, now)).toBeNull()
  expect(seatsLine({ ...full, myStatus: 'cancelled' }, now)).toEqual({ kind: 'full' })
  expect(seatsLine({ capacity: 5, taken: 2, endsAt: nextWeek }, now)).toEqual({ kind: 'left', count: 3 })
  expect(seatsLine({ capacity: null, taken: 9, endsAt: nextWeek }, now)).toEqual({ kind: 'unlimited' })
})

test('an event that is over offers no seats', () => {
  expect(seatsLine({ capacity: 2, taken: 2, endsAt: twoWeeksAgo }, now)).toBeNull()
  expect(seatsLine({ capacity: null, taken: 0, endsAt: twoWeeksAgo.toISOString() }, now)).toBeNull()
})

test('an event that ended says it ended, not that it has started', () => {
  const page = { status: 'published', started: true, ended: true, closed: false, inAudience: true }
  expect(closedReason(page)).toBe('ended')
  expect(closedReason({ ...page, ended: false })).toBe('started')
  expect(closedReason({ ...page, status: 'cancelled' })).toBe('cancelled')
  expect(closedReason({ ...page, started: false, ended: false, closed: true })).toBe('deadline')
  expect(closedReason({ ...page, started: false, ended: false, inAudience: false })).toBe('not_in_audience')
  expect(closedReason({ ...page, started: false, ended: false })).toBeNull()
})

test('the survey is asked of attendees until they answer, then they are thanked', () => {
  expect(surveyPrompt({ ended: true, myStatus: 'attended', answered: false })).toBe('ask')
  expect(surveyPrompt({ ended: true, myStatus: 'attended', answered: true })).toBe('thanks')
  expect(surveyPrompt({ ended: false, myStatus: 'attended', answered: false })).toBeNull()
  expect(surveyPrompt({ ended: true, myStatus: 'registered', answered: false })).toBeNull()
  expect(surveyPrompt({ ended: true, myStatus: 'no_show', answered: false })).toBeNull()
  expect(surveyPrompt({ ended: true, myStatus: undefined, answered: false })).toBeNull()
})
