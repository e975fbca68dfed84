import { expect, test } from 'vitest'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { markEmailVerified } from './email-verification.server.ts'
import { createSession, generateToken } from './sessions.server.ts'
import { isFirstVisit } from './welcome.server.ts'

const DAY = 24 * 3_600_000

test('the session confirming the address opens on the day of sign-up is a first visit; signing in days later is a return', async () => {
  const joinedAt = Date.now() - 3 * DAY
  const member = await insertUser(db, { emailVerifiedAt: null, createdAt: new Date(joinedAt) })
  await markEmailVerified(db, member.id, new Date(joinedAt + 10 * 60_000))
  const first = await createSession(db, generateToken(), member.id, joinedAt + 10 * 60_000)
  expect(await isFirstVisit(db, { sessionId: first.id })).toBe(true)

  const later = await createSession(db, generateToken(), member.id)
  expect(await isFirstVisit(db, { sessionId: later.id })).toBe(false)
})

test('a member who has not confirmed the address is still new; a long-standing member confirmed today is not', async () => {
  const joining = await insertUser(db, { emailVerifiedAt: null })
  const session = await createSession(db, generateToken(), joining.id)
  expect(await isFirstVisit(db, { sessionId: session.id })).toBe(true)

  // Confirmed by an admin just now, a member for months: welcome back.
  const regular = await insertUser(db, { createdAt: new Date(Date.now() - 90 * DAY), emailVerifiedAt: new Date() })
  const returning = await createSession(db, generateToken(), regular.id)
  expect(await isFirstVisit(db, { sessionId: returning.id })).toBe(false)
  expect(await isFirstVisit(db, { sessionId: 'no-such-session' })).toBe(false)
})
