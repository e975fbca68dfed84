import { expect, test } from 'vitest'
import { type EventViewer, inEventAudience, maySeeEvent, type VisibleEvent, visitorViewer } from './audience.ts'

const everyone: VisibleEvent = { status: 'published', audience: 'everyone', audienceTiers: [], audienceAccountIds: [] }
const forAccount7: VisibleEvent = { ...everyone, audience: 'restricted', audienceAccountIds: [7] }
const forHighTouch: VisibleEvent = { ...everyone, audience: 'restricted', audienceTiers: ['high'] }
const staff: EventViewer = { staff: true, userId: 1, accountId: null, tier: null }
const member = (accountId: number | null, tier: EventViewer['tier']): EventViewer => ({
  staff: false,
  userId: 2,
  accountId,
  tier,
})

test('the audience: everyone, or members of a chosen account or of an account in a chosen tier; staff always', () => {
  expect(inEventAudience(visitorViewer, everyone)).toBe(true)
  expect(inEventAudience(visitorViewer, forAccount7)).toBe(false)
  expect(inEventAudience(staff, forAccount7)).toBe(true)
  expect(inEventAudience(member(7, 'tech'), forAccount7)).toBe(true)
  expect(inEventAudience(member(8, 'high'), forAccount7)).toBe(false)
  expect(inEventAudience(member(8, 'high'), forHighTouch)).toBe(true)
  expect(inEventAudience(member(7, 'low'), forHighTouch)).toBe(false)
  expect(inEventAudience(member(null, null), forHighTouch)).toBe(false)
})

test('who may see an event: its audience, members who registered, staff; drafts are staff-only', () => {
  const cancelled: VisibleEvent = { ...forAccount7, status: 'cancelled' }
  const draft: VisibleEvent = { ...everyone, status: 'draft' }
  // [viewer, event, registered, may see]
  const cases: [EventViewer, VisibleEvent, boolean, boolean][] = [
    [visitorViewer, everyone, false, true],
    [visitorViewer, forAccount7, false, false],
    // A visitor has no registration, whatever the caller claims.
    [visitorViewer, forAccount7, true, false],
    [visitorViewer, draft, false, false],
    [member(7, 'tech'), forAccount7, false, true],
    [member(7, 'tech'), cancelled, false, true],
    [member(8, 'tech'), forAccount7, false, false],
    [member(8, 'tech'), forAccount7, true, true],
    [member(8, 'tech'), cancelled, true, true],
    [member(7, 'tech'), { ...forAccount7, status: 'draft' }, true, false],
    [member(8, 'high'), forHighTouch, false, true],
    [staff, draft, false, true],
    [staff, forHighTouch, false, true],
  ]
  for (const [viewer, event, registered, expected] of cases) {
    expect({ viewer, event, registered, may: maySeeEvent(viewer, event, registered) }).toEqual({
      viewer,
      event,
      registered,
      may: expected,
    })
  }
})
