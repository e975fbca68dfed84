import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { sessions, users } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import {
  blankSessionCookie,
  createSession,
  generateToken,
  hashToken,
  invalidateSession,
  invalidateUserSessions,
  SESSION_ABSOLUTE_LIFETIME_MS,
  SESSION_COOKIE,
  SESSION_IDLE_TIMEOUT_MS,
  SESSION_RENEW_INTERVAL_MS,
  sessionCookie,
  validateSessionToken,
} from './sessions.server.ts'

const SECOND = 1000
const HOUR = 3600 * SECOND
const DAY = 24 * HOUR

/** A user signed in at `now`, with the token their cookie would carry. */
async function signedIn(now = Date.now()) {
  const user = await insertUser(db)
  const token = generateToken()
  const session = await createSession(db, token, user.id, now)
  return { user, token, session }
}

async function storedSession(id: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id))
  return row
}

test('the limits are 30 days idle and 90 days in all, renewed at most hourly', () => {
  expect(SESSION_IDLE_TIMEOUT_MS).toBe(30 * DAY)
  expect(SESSION_ABSOLUTE_LIFETIME_MS).toBe(90 * DAY)
  expect(SESSION_RENEW_INTERVAL_MS).toBe(HOUR)
})

test('the database stores the SHA-256 of the token, never the token', async () => {
  const { token, session } = await signedIn()
  const row = await storedSession(session.id)
  expect(row!.id).toBe(hashToken(token))
  expect(row!.id).toMatch(/^[0-9a-f]{64}$/)
  expect(JSON.stringify(row)).not.toContain(token)
  // A stolen copy of the table is no cookie: the stored value, sent back as a token, signs nobody in.
  expect(await validateSessionToken(db, row!.id)).toBeNull()
})

test('tokens carry at least 128 bits from the CSPRNG and are never repeated', () => {
  const tokens = Array.from({ length: 1000 }, () => generateToken())
  expect(new Set(tokens).size).toBe(1000)
  // 20 random bytes in base32: 32 characters of 5 bits each, 160 bits.
  for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/)
  // Every base32 symbol turns up in every position: no position is fixed or biased out of the alphabet.
  for (let position = 0; position < 32; position += 7) {
    expect(new Set(tokens.map((t) => t[position])).size).toBe(32)
  }
})

test('a valid token resolves to its user; an unknown or malformed one does not', async () => {
  const { user, token } = await signedIn()
  const found = await validateSessionToken(db, token)
  expect(found?.user).toMatchObject({ id: user.id, email: user.email, role: 'member' })
  expect(await validateSessionToken(db, generateToken())).toBeNull()
  expect(await validateSessionToken(db, "'; drop table sessions; --")).toBeNull()
  expect(await validateSessionToken(db, token.toUpperCase())).toBeNull()
})

test('a session left unused ends exactly 30 days after its last use, and is deleted', async () => {
  const start = Date.now()
  const justBefore = await signedIn(start)
  const atLimit = await signedIn(start)
  const justPast = await signedIn(start)

  expect(await validateSessionToken(db, justBefore.token, start + SESSION_IDLE_TIMEOUT_MS - SECOND)).not.toBeNull()
  expect(await validateSessionToken(db, atLimit.token, start + SESSION_IDLE_TIMEOUT_MS)).toBeNull()
  expect(await validateSessionToken(db, justPast.token, start + SESSION_IDLE_TIMEOUT_MS + 1)).toBeNull()
  expect(await storedSession(atLimit.session.id)).toBeUndefined()
  expect(await storedSession(justPast.session.id)).toBeUndefined()
})

test('using a session slides its idle deadline to 30 days from that use, and asks for a fresh cookie', async () => {
  const start = Date.now()
  const dayTen = start + 10 * DAY
  const [kept, lapsed] = [await signedIn(start), await signedIn(start)]

  for (const { token, session } of [kept, lapsed]) {
    const renewed = await validateSessionToken(db, token, dayTen)
    expect(renewed).toMatchObject({ renewed: true, session: { expiresAt: new Date(dayTen + SESSION_IDLE_TIMEOUT_MS) } })
    expect((await storedSession(session.id))!.expiresAt).toEqual(new Date(dayTen + SESSION_IDLE_TIMEOUT_MS))
  }

  // Past the deadline it had at sign-in it still works; it ends 30 days after the use on day ten.
  expect(await validateSessionToken(db, kept.token, dayTen + SESSION_IDLE_TIMEOUT_MS - SECOND)).not.toBeNull()
  expect(await validateSessionToken(db, lapsed.token, dayTen + SESSION_IDLE_TIMEOUT_MS)).toBeNull()
})

test('renewal writes at most once an hour, and the idle limit still holds within that hour', async () => {
  const start = Date.now()
  const busy = await signedIn(start)

  for (const minutes of [1, 30, 59]) {
    const validation = await validateSessionToken(db, busy.token, start + minutes * 60 * SECOND)
    expect(validation?.renewed).toBe(false)
    expect(validation!.session.expiresAt).toEqual(busy.session.expiresAt)
  }
  expect((await storedSession(busy.session.id))!.expiresAt).toEqual(busy.session.expiresAt)

  // Last used 59 minutes in, unrenewed: it ends at 30 days after sign-in, 30 days less 59 minutes after
  // the last use, which is within the hour the throttle allows.
  const twin = await signedIn(start)
  await validateSessionToken(db, twin.token, start + 59 * 60 * SECOND)
  expect(await validateSessionToken(db, twin.token, start + SESSION_IDLE_TIMEOUT_MS)).toBeNull()

  const anHourOn = await validateSessionToken(db, busy.token, start + HOUR)
  expect(anHourOn).toMatchObject({
    renewed: true,
    session: { expiresAt: new Date(start + HOUR + SESSION_IDLE_TIMEOUT_MS) },
  })
})

test('a session used every day still ends 90 days after sign-in, and its deadline never passes that', async () => {
  const start = Date.now()
  const daily = await signedIn(start)
  const absolute = start + SESSION_ABSOLUTE_LIFETIME_MS

  for (let day = 1; day < 90; day++) {
    const validation = await validateSessionToken(db, daily.token, start + day * DAY)
    expect(validation, `day ${day}`).not.toBeNull()
    expect(validation!.session.expiresAt.getTime()).toBeLessThanOrEqual(absolute)
  }
  expect((await storedSession(daily.session.id))!.expiresAt).toEqual(new Date(absolute))

  expect(await validateSessionToken(db, daily.token, absolute - SECOND)).not.toBeNull()
  expect(await validateSessionToken(db, daily.token, absolute)).toBeNull()
  expect(await storedSession(daily.session.id)).toBeUndefined()
})

test('a session older than 90 days is refused even if its stored deadline lies ahead', async () => {
  const now = Date.now()
  const old = await signedIn(now - SESSION_ABSOLUTE_LIFETIME_MS - SECOND)
  await db
    .update(sessions)
    .set({ expiresAt: new Date(now + 10 * DAY) })
    .where(eq(sessions.id, old.session.id))
  expect(await validateSessionToken(db, old.token, now)).toBeNull()
  expect(await storedSession(old.session.id)).toBeUndefined()
})

test('a disabled user’s sessions stop working', async () => {
  const { user, token, session } = await signedIn()
  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id))
  expect(await validateSessionToken(db, token)).toBeNull()
  expect(await storedSession(session.id)).toBeUndefined()
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
  expect(await invalidateUserSessions(db, user.id)).toBe(1)
  expect(await validateSessionToken(db, b)).toBeNull()
})

/** The cookie's attributes by name (lower case), its value under the cookie's own name. */
function attributes(header: string): Map<string, string> {
  return new Map(
    header.split('; ').map((part) => {
      const [name, ...value] = part.split('=')
      return [name!.toLowerCase(), value.join('=')] as const
    }),
  )
}

test('the cookie is HttpOnly, SameSite=Lax, on every path, Secure over HTTPS, and lasts until the idle deadline', async () => {
  const start = Date.now()
  const { token, session } = await signedIn(start)
  const plain = attributes(sessionCookie(token, session.expiresAt, false, start))
  expect(plain.get(SESSION_COOKIE)).toBe(token)
  expect(plain.get('httponly')).toBe('')
  expect(plain.get('samesite')).toBe('Lax')
  expect(plain.get('path')).toBe('/')
  expect(plain.get('max-age')).toBe(String(SESSION_IDLE_TIMEOUT_MS / SECOND))
  expect(new Date(plain.get('expires')!).getTime()).toBe(
    Math.floor((start + SESSION_IDLE_TIMEOUT_MS) / SECOND) * SECOND,
  )
  expect(plain.has('secure')).toBe(false)
  expect(attributes(sessionCookie(token, session.expiresAt, true, start)).has('secure')).toBe(true)

  const blank = attributes(blankSessionCookie(true))
  expect(blank.get(SESSION_COOKIE)).toBe('')
  expect(blank.get('max-age')).toBe('0')
  expect([...blank.keys()]).toEqual(expect.arrayContaining(['httponly', 'samesite', 'path', 'secure']))
})

test('a renewed cookie never outlives the absolute limit', async () => {
  const start = Date.now()
  const { token } = await signedIn(start)
  await validateSessionToken(db, token, start + 25 * DAY)
  await validateSessionToken(db, token, start + 50 * DAY)
  // On day 70 the idle deadline would be day 100; the absolute one, day 90, wins.
  const daySeventy = start + 70 * DAY
  const validation = await validateSessionToken(db, token, daySeventy)
  expect(validation?.renewed).toBe(true)
  const cookie = attributes(sessionCookie(token, validation!.session.expiresAt, true, daySeventy))
  expect(cookie.get('max-age')).toBe(String((20 * DAY) / SECOND))

  // Once the deadline has passed a cookie is never issued with a negative lifetime.
  const late = attributes(sessionCookie(token, validation!.session.expiresAt, true, start + 91 * DAY))
  expect(late.get('max-age')).toBe('0')
})
