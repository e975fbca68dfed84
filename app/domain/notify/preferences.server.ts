import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { signValue, verifySigned } from '#app/lib/signing.server.ts'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { notificationPreferences, notifications } from '#db/schema/notify.ts'
import {
  canTurnOffEmail,
  channelAllowed,
  isNotificationKind,
  kindRules,
  type NotificationChannel,
  type NotificationKind,
  notificationKinds,
} from './kinds.ts'
import type { NotificationSettingsInput } from './schemas.ts'

export type NotificationPreferences = Record<NotificationKind, NotificationChannel>

/** The member's channel for every kind: their choice, else the kind's default. A stored choice the
 *  kind no longer allows falls back to the default too. */
export async function preferencesOf(db: Db, userId: number): Promise<NotificationPreferences> {
  const rows = await db
    .select({ kind: notificationPreferences.kind, channel: notificationPreferences.channel })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId))
  const chosen = new Map(rows.map((row) => [row.kind, row.channel]))
  return Object.fromEntries(
    notificationKinds.map((kind) => {
      return [kind, channelOf(kind, chosen.get(kind) ?? null)]
    }),
  ) as NotificationPreferences
}

/** A member's channel for one kind from their stored choice (null: no row), the default when they
 *  made none or the kind no longer offers what they chose. */
export function channelOf(kind: NotificationKind, stored: NotificationChannel | null): NotificationChannel {
  return stored && channelAllowed(kind, stored) ? stored : kindRules[kind].default
}

/** Writes the member's channels for the kinds given (a kind left out keeps its channel). A channel the
 *  kind does not offer is a 400 beside that field. A kind whose channel changes settles its backlog
 *  (its notifications not yet emailed count as handled), so a notification is only ever emailed under
 *  the channel it was created under: moving from in-app to the digest does not mail old news. */
export async function setPreferences(
  db: Db,
  { user, input }: { user: Pick<SessionUser, 'id'>; input: NotificationSettingsInput },
): Promise<Outcome<{ changed: NotificationKind[] }>> {
  for (const [kind, channel] of Object.entries(input)) {
    if (!isNotificationKind(kind) || !channel) continue
    if (!channelAllowed(kind, channel)) return fail(400, 'validation.invalid_choice', { field: kind })
  }
  return db.transaction(async (tx) => {
    // The user's row lock orders two saves of the same member, so each sees the other's result.
    const [me] = await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update')
    if (!me) return fail(404, 'errors.not_found')
    const current = await preferencesOf(tx, user.id)
    const changed = notificationKinds.filter((kind) => {
      const wanted = input[kind]
      return wanted !== undefined && wanted !== current[kind]
    })
    if (changed.length === 0) return ok({ changed })
    const now = new Date()
    await tx
      .insert(notificationPreferences)
      .values(changed.map((kind) => ({ userId: user.id, kind, channel: input[kind]!, updatedAt: now })))
      .onConflictDoUpdate({
        target: [notificationPreferences.userId, notificationPreferences.kind],
        set: { channel: sql`excluded.channel`, updatedAt: now },
      })
    await tx
      .update(notifications)
      .set({ emailedAt: now })
      .where(
        and(eq(notifications.userId, user.id), inArray(notifications.type, changed), isNull(notifications.emailedAt)),
      )
    return ok({ changed })
  })
}

/* ------------------------------------------------------------------------------------------------ */
/* One-click unsubscribe (RFC 8058)                                                                  */

/** What an unsubscribe link stops: one kind's emails, or the digest. */
export type UnsubscribeScope = NotificationKind | 'digest'

/** Signing purpose: an unsubscribe token is worthless anywhere else. */
const UNSUBSCRIBE_PURPOSE = 'notify-unsubscribe'
const TOKEN_VALUE = /^([1-9][0-9]{0,9})-([a-z_]{1,40})$/

/** The member's signed token for stopping one kind's emails (or the digest): `<user>-<kind>.signature`. */
export async function unsubscribeToken(db: Db, userId: number, scope: UnsubscribeScope): Promise<string> {
  return signValue(db, UNSUBSCRIBE_PURPOSE, `${userId}-${scope}`)
}

/** The absolute unsubscribe address of a token, for the email and its List-Unsubscribe header. */
export function unsubscribeUrl(token: string): string {
  return `${env().APP_URL.replace(/\/+$/, '')}/unsubscribe/${token}`
}

/** The `List-Unsubscribe` and `List-Unsubscribe-Post` headers (RFC 8058) of an email. */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
}

async function readToken(db: Db, token: string): Promise<{ userId: number; scope: UnsubscribeScope } | null> {
  const value = await verifySigned(db, UNSUBSCRIBE_PURPOSE, token)
  const match = value ? TOKEN_VALUE.exec(value) : null
  if (!match) return null
  const scope = match[2]!
  if (scope !== 'digest' && !(isNotificationKind(scope) && canTurnOffEmail(scope))) return null
  return { userId: Number(match[1]), scope: scope as UnsubscribeScope }
}

export type UnsubscribeView = { scope: UnsubscribeScope; locale: 'en' | 'ja'; alreadyOff: boolean }

/** What a token would turn off, for the confirm page (a GET changes nothing, so a link scanner cannot
 *  unsubscribe anyone). A forged token, or one for a member who is gone, is a 404. */
export async function checkNotificationUnsubscribe(db: Db, token: string): Promise<Outcome<UnsubscribeView>> {
  const found = await readToken(db, token)
  if (!found) return fail(404, 'notify.unsubscribe.invalid')
  const [user] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, found.userId))
  if (!user) return fail(404, 'notify.unsubscribe.invalid')
  const preferences = await preferencesOf(db, found.userId)
  const alreadyOff =
    found.scope === 'digest'
      ? !notificationKinds.some((kind) => preferences[kind] === 'digest')
      : preferences[found.scope] !== 'email'
  return ok({ scope: found.scope, locale: user.locale, alreadyOff })
}

/** Stops what the token names: one kind's emails (that kind moves to the notifications page only), or
 *  the digest (every kind going to the digest moves to the notifications page only). Needs no sign-in:
 *  the signed token is the credential. Idempotent: a second request finds nothing left to change. */
export async function unsubscribeNotifications(db: Db, token: string): Promise<Outcome<UnsubscribeView>> {
  const found = await readToken(db, token)
  if (!found) return fail(404, 'notify.unsubscribe.invalid')
  const [user] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, found.userId))
  if (!user) return fail(404, 'notify.unsubscribe.invalid')
  const preferences = await preferencesOf(db, found.userId)
  const kinds =
    found.scope === 'digest'
      ? notificationKinds.filter((kind) => preferences[kind] === 'digest')
      : preferences[found.scope] === 'email'
        ? [found.scope]
        : []
  const input: NotificationSettingsInput = Object.fromEntries(kinds.map((kind) => [kind, 'in_app']))
  if (kinds.length > 0) {
    const outcome = await setPreferences(db, { user: { id: found.userId }, input })
    if (!outcome.ok) return outcome
  }
  return ok({ scope: found.scope, locale: user.locale, alreadyOff: true })
}
