import { expect, test } from 'vitest'
import { instantToZonedLocal, zonedLocalToInstant } from './time-zones.ts'

test('a wall-clock time in a zone becomes the right instant, and back', () => {
  expect(zonedLocalToInstant('2026-12-01T15:00', 'Asia/Tokyo')?.toISOString()).toBe('2026-12-01T06:00:00.000Z')
  expect(zonedLocalToInstant('2026-07-01T09:30', 'America/Los_Angeles')?.toISOString()).toBe('2026-07-01T16:30:00.000Z')
  expect(zonedLocalToInstant('2026-01-15T09:30', 'America/Los_Angeles')?.toISOString()).toBe('2026-01-15T17:30:00.000Z')
  expect(zonedLocalToInstant('2026-06-01T00:00', 'UTC')?.toISOString()).toBe('2026-06-01T00:00:00.000Z')
  expect(instantToZonedLocal(new Date('2026-12-01T06:00:00Z'), 'Asia/Tokyo')).toBe('2026-12-01T15:00')
  expect(instantToZonedLocal(new Date('2026-07-01T16:30:00Z'), 'America/Los_Angeles')).toBe('2026-07-01T09:30')
})

test('daylight-saving edges: a time in the gap moves past it; an ambiguous time takes the earlier instant', () => {
  // 2026-03-08 02:30 does not exist in Los Angeles (clocks jump from 02:00 to 03:00).
  expect(zonedLocalToInstant('2026-03-08T02:30', 'America/Los_Angeles')?.toISOString()).toBe('2026-03-08T10:30:00.000Z')
  // 2026-11-01 01:30 happens twice; the first is 08:30 UTC (PDT).
  expect(zonedLocalToInstant('2026-11-01T01:30', 'America/Los_Angeles')?.toISOString()).toBe('2026-11-01T08:30:00.000Z')
})

test('nonsense is refused', () => {
  expect(zonedLocalToInstant('2026-02-30T10:00', 'UTC')).toBeNull()
  expect(zonedLocalToInstant('tomorrow', 'UTC')).toBeNull()
  expect(zonedLocalToInstant('2026-02-10T10:00', 'Not/AZone')).toBeNull()
})
