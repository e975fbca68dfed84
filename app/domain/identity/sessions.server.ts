import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { and, eq, ne } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { sessions, users } from '#db/schema/identity.ts'
import type { SessionUser } from './permissions.ts'

// Lucia's documented session design: the cookie holds a random token; the database holds only its
// SHA-256, so a leaked table cannot be replayed as cookies.

export const SESSION_COOKIE = 'ct_session'
const DAY_MS = 24 * 60 * 60 * 1000
export const SESSION_TTL_MS = 30 * DAY_MS
/** A session used in its second half is extended to a full 30 days again (sliding expiry). */
const RENEW_WITHIN_MS = 15 * DAY_MS

/** The columns of a user that make a SessionUser. */
export const sessionUserColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  accountId: users.accountId,
  locale: users.locale,
  timeZone: users.timeZone,
}

export type Session = { id: string; userId: number; expiresAt: Date }
export type SessionValidation = { session: Session; user: SessionUser; renewed: boolean } | null

/** 160 bits from the CSPRNG, base32-encoded. */
export function generateToken(bytes = 20): string {
  const random = new Uint8Array(bytes)
  crypto.getRandomValues(random)
  return encodeBase32LowerCaseNoPadding(random)
}

export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

export async function createSession(db: Db, token: string, userId: number): Promise<Session> {
  const session = { id: hashToken(token), userId, expiresAt: new Date(Date.now() + SESSION_TTL_MS) }
  await db.insert(sessions).values(session)
  return session
}

/** Looks the token up; deletes it if expired or its user is disabled; slides the expiry when due. */
export async function validateSessionToken(db: Db, token: string): Promise<SessionValidation> {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return null
  const id = hashToken(token)
  const [row] = await db
    .select({
      session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt },
      user: { ...sessionUserColumns, disabledAt: users.disabledAt },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
  if (!row) return null
  const { disabledAt, ...user } = row.user
  if (Date.now() >= row.session.expiresAt.getTime() || disabledAt) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  let renewed = false
  if (Date.now() >= row.session.expiresAt.getTime() - RENEW_WITHIN_MS) {
    row.session.expiresAt = new Date(Date.now() + SESSION_TTL_MS)
    await db.update(sessions).set({ expiresAt: row.session.expiresAt }).where(eq(sessions.id, id))
    renewed = true
  }
  return { session: row.session, user, renewed }
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId))
}

/** Ends every session of a user, or every one but `exceptSessionId`. Returns how many ended. */
export async function invalidateUserSessions(db: Db, userId: number, exceptSessionId?: string): Promise<number> {
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined))
    .returning({ id: sessions.id })
  return ended.length
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    `Max-Age=${Math.floor((expiresAt.getTime() - Date.now()) / 1000)}`,
  ]
  if (secure) parts.push('Secure')
  return parts.join('; ')
}

export function blankSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join(
    '; ',
  )
}
