import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { and, eq, ne, sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { sessions, users } from '#db/schema/identity.ts'
import type { SessionUser } from './permissions.ts'

// Lucia's documented session design: the cookie holds a random token; the database holds only its
// SHA-256, so a leaked table cannot be replayed as cookies.

export const SESSION_COOKIE = 'ct_session'
const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS
/** A session unused for this long ends (docs/decisions/017-session-lifetime.md). */
export const SESSION_IDLE_TIMEOUT_MS = 30 * DAY_MS
/** A session ends this long after sign-in, however active: then the user signs in again. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 90 * DAY_MS
/** The idle deadline is pushed forward at most this often, so a busy session costs one write an hour.
 *  A session therefore ends between 30 days minus an hour and 30 days after its last use. */
export const SESSION_RENEW_INTERVAL_MS = HOUR_MS

/** When a session used at `now` ends: its idle deadline, never past its absolute one. */
function sessionDeadline(createdAt: number, now: number): Date {
  return new Date(Math.min(now + SESSION_IDLE_TIMEOUT_MS, createdAt + SESSION_ABSOLUTE_LIFETIME_MS))
}

/** The columns of a user that make a SessionUser. */
export const sessionUserColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  accountId: users.accountId,
  locale: users.locale,
  timeZone: users.timeZone,
  emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`.as('email_verified'),
  avatarUpdatedAt: users.avatarUpdatedAt,
}

/** `expiresAt` is the idle deadline, already capped by the absolute one (`createdAt` + 90 days). */
export type Session = { id: string; userId: number; createdAt: Date; expiresAt: Date }
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

/** Opens a session for the user under a fresh token; only the token's hash is stored. */
export async function createSession(db: Db, token: string, userId: number, now = Date.now()): Promise<Session> {
  const session = { id: hashToken(token), userId, createdAt: new Date(now), expiresAt: sessionDeadline(now, now) }
  await db.insert(sessions).values(session)
  return session
}

/** Looks the token up as of `now`. A session past its idle or absolute deadline, or of a disabled user,
 *  is deleted and refused. A live one has its idle deadline moved to 30 days from now (capped by the
 *  absolute one) when that moves it by at least SESSION_RENEW_INTERVAL_MS; `renewed` then asks for a
 *  fresh cookie. */
export async function validateSessionToken(db: Db, token: string, now = Date.now()): Promise<SessionValidation> {
  if (!/^[a-z2-7]{16,64}$/.test(token)) return null
  const id = hashToken(token)
  const [row] = await db
    .select({
      session: {
        id: sessions.id,
        userId: sessions.userId,
        createdAt: sessions.createdAt,
        expiresAt: sessions.expiresAt,
      },
      user: { ...sessionUserColumns, disabledAt: users.disabledAt },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
  if (!row) return null
  const { disabledAt, ...user } = row.user
  const { session } = row
  // The absolute check stands on its own too: it holds for rows whose expiry was set by any other rule.
  const ended =
    now >= session.expiresAt.getTime() ||
    now >= session.createdAt.getTime() + SESSION_ABSOLUTE_LIFETIME_MS ||
    disabledAt !== null
  if (ended) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  const deadline = sessionDeadline(session.createdAt.getTime(), now)
  if (deadline.getTime() - session.expiresAt.getTime() < SESSION_RENEW_INTERVAL_MS) {
    return { session, user, renewed: false }
  }
  await db.update(sessions).set({ expiresAt: deadline }).where(eq(sessions.id, id))
  return { session: { ...session, expiresAt: deadline }, user, renewed: true }
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

/** The cookie that carries the token until the session's deadline, and no longer: its Max-Age is the
 *  time left as of `now`, so it never outlives the idle or the absolute limit. */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean, now = Date.now()): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    `Max-Age=${Math.max(0, Math.floor((expiresAt.getTime() - now) / 1000))}`,
  ]
  if (secure) parts.push('Secure')
  return parts.join('; ')
}

export function blankSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join(
    '; ',
  )
}
