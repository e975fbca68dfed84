import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { sessions, users } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { insertUser } from '#tests/factories/index.ts'
import {
  createSession,
  generateToken,
  hashToken,
  invalidateSession,
  invalidateUserSessions,
  SESSION_COOKIE,
  sessionCookie,
  validateSessionToken,
} from './sessions.server.ts'

test('the database stores the SHA-256 of the token, never the token', async () => {
  const user = await insertUser(db)
  const token = generateToken()
  const session = await createSession(db, token, user.id)
  const [row] = await db.select().from(sessions).where(eq(sessions.id, session.id))
  expect(row!.id).toBe(hashToken(token))
  expect(row!.id).not.toContain(token)
  expect(row!.id).toMatch(/^[0-9a-f]{64}$/)
})

test('tokens carry at least 128 bits and are never repeated', () => {
  const tokens = new Set(Array.from({ length: 1000 }, () => generateToken()))
  expect(tokens.size).toBe(1000)
  // 20 random bytes in base32: 32 characters of 5 bits each.
  expect([...tokens][0]).toMatch(/^[a-z2-7]{32}$/)
})

test('a valid token resolves to its user; an unknown or malformed one does not', async () => {
  const user = await insertUser(db)
  const token = generateToken()
  await createSession(db, token, user.id)
  const found = await validateSessionToken(db, token)
  expect(found?.user).toMatchObject({ id: user.id, email: user.email, role: 'member' })
  expect(await validateSessionToken(db, generateToken())).toBeNull()
  expect(await validateSessionToken(db, "'; drop table sessions; --")).toBeNull()
})

test('an expired session is refused and deleted', async () => {
  const user = await insertUser(db)
  const token = generateToken()
  const session = await createSession(db, token, user.id)
  await db
    .update(sessions)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(sessions.id, session.id))
  expect(await validateSessionToken(db, token)).toBeNull()
  expect(await db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0)
})

test('a session used in its second half slides to a full 30 days; a fresh one is left alone', async () => {
  const user = await insertUser(db)
  const token = generateToken()
  const session = await createSession(db, token, user.id)
  const fresh = await validateSessionToken(db, token)
  expect(fresh?.renewed).toBe(false)

  const tenDays = new Date(Date.now() + 10 * 24 * 3600 * 1000)
  await db.update(sessions).set({ expiresAt: tenDays }).where(eq(sessions.id, session.id))
  const renewed = await validateSessionToken(db, token)
  expect(renewed?.renewed).toBe(true)
  expect(renewed!.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000)
  const [row] = await db.select().from(sessions).where(eq(sessions.id, session.id))
  expect(row!.expiresAt.getTime()).toBe(renewed!.session.expiresAt.getTime())
})

test('a disabled user’s sessions stop working', async () => {
  const user = await insertUser(db)
  const token = generateToken()
  await createSession(db, token, user.id)
  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id))
  expect(await validateSessionToken(db, token)).toBeNull()
})

test('invalidating ends one session, or all of a user’s but the one kept', async () => {
  const user = await insertUser(db)
  const [a, b, c] = [generateToken(), generateToken(), generateToken()]
  const sessionA = await createSession(db, a, user.id)
  const sessionB = await createSession(db, b, user.id)
  await createSession(db, c, user.id)
  await invalidateSession(db, sessionA.id)
  expect(await validateSessionToken(db, a)).toBeNull()
  expect(await invalidateUserSessions(db, user.id, sessionB.id)).toBe(1)
  expect(await validateSessionToken(db, b)).not.toBeNull()
  expect(await validateSessionToken(db, c)).toBeNull()
})

test('the cookie is HttpOnly, SameSite=Lax, on every path, and Secure over HTTPS', () => {
  const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000)
  const plain = sessionCookie('abc', expires, false)
  expect(plain).toContain(`${SESSION_COOKIE}=abc`)
  expect(plain).toContain('HttpOnly')
  expect(plain).toContain('SameSite=Lax')
  expect(plain).toContain('Path=/')
  expect(plain).toMatch(/Max-Age=259\d{4}/)
  expect(plain).not.toContain('Secure')
  expect(sessionCookie('abc', expires, true)).toContain('Secure')
})
