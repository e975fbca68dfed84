import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import { env } from '#app/lib/env.server.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import { dispatchEmails, queueEmail } from '#app/lib/mail.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, rateRules, waitParams } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { accountDomains, accounts, emailTokens, users } from '#db/schema/identity.ts'
import { recordAudit } from './audit.server.ts'
import { welcomeMember } from './onboarding.server.ts'
import { verifyPassword } from './passwords.server.ts'
import { can, type SessionUser } from './permissions.ts'
import { createSession, generateToken, hashToken, type Session, sessionUserColumns } from './sessions.server.ts'

// An address is someone's only once they prove it: a new member's address by a link sent to it, a new
// address of an existing member likewise (it replaces the old one only then), or a password reset
// (whose link went to the address). Until then the member reads like a visitor: they join no customer
// account by their domain, post nothing, register for nothing, and nothing they do counts in a score.
// Admins can confirm an address by hand. docs/decisions/024-email-verification.md.

/** How long a confirmation link works. */
export const EMAIL_TOKEN_TTL_MS = 24 * 60 * 60 * 1000

export type EmailTokenPurpose = 'verify' | 'change'

/** The one refusal of everything an unconfirmed member may not do yet, with what to do about it. */
export function unverifiedFailure() {
  return fail(403, 'identity.verify.required')
}

/** Null when the user may act; the refusal otherwise. Staff are people the admins promoted. */
export function requireVerified(user: Pick<SessionUser, 'emailVerified'>) {
  return user.emailVerified ? null : unverifiedFailure()
}

/** Puts a member who has no customer account into the one that owns their address's domain (an
 *  account that has not churned). Only for confirmed members: called when an address is confirmed. */
export async function joinAccountByDomain(tx: Db, userId: number): Promise<number | null> {
  const [joined] = await tx
    .update(users)
    .set({
      accountId: sql`(
        select ${accountDomains.accountId} from ${accountDomains}
        join ${accounts} on ${accounts.id} = ${accountDomains.accountId}
        where ${accountDomains.domain} = split_part(lower(${users.email}), '@', 2) and ${accounts.churnedAt} is null
      )`,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(users.id, userId),
        eq(users.role, 'member'),
        isNull(users.accountId),
        sql`${users.emailVerifiedAt} is not null`,
      ),
    )
    .returning({ accountId: users.accountId })
  return joined?.accountId ?? null
}

/** Marks the user's address confirmed (once) and joins them to their domain's account. */
export async function markEmailVerified(tx: Db, userId: number, at = new Date()): Promise<void> {
  await tx
    .update(users)
    .set({ emailVerifiedAt: at, updatedAt: at })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
  await joinAccountByDomain(tx, userId)
}

/** A new single-use link for `purpose`; an earlier unused one of the same purpose stops working. */
async function issueEmailToken(
  tx: Db,
  { userId, email, purpose }: { userId: number; email: string; purpose: EmailTokenPurpose },
): Promise<string> {
  await tx
    .delete(emailTokens)
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)))
  const token = generateToken(32)
  await tx.insert(emailTokens).values({
    id: hashToken(token),
    userId,
    purpose,
    email: email.toLowerCase(),
    expiresAt: new Date(Date.now() + EMAIL_TOKEN_TTL_MS),
  })
  return token
}

/** The address of a confirmation link. */
export function verifyEmailLink(token: string): string {
  return `${env().APP_URL}/verify-email/${token}`
}

type MailUser = { id: number; email: string; displayName: string; locale: Locale }

/** Queues the confirmation email of a new member (inside the sign-up transaction); returns its id. */
export async function queueVerificationEmail(tx: Db, user: MailUser): Promise<number> {
  const token = await issueEmailToken(tx, { userId: user.id, email: user.email, purpose: 'verify' })
  const t = translator(user.locale)
  return queueEmail(tx, {
    to: user.email,
    template: 'email_verify',
    subject: t('email.verify.subject'),
    text: t('email.verify.body', { name: user.displayName, link: verifyEmailLink(token) }),
  })
}

/** Sends a new confirmation link to an unconfirmed member. Limited per member and per address, so the
 *  button cannot be used to flood someone's inbox. Nothing happens for a confirmed one. */
export async function resendVerification(
  db: Db,
  { user, ip }: { user: SessionUser; ip: string },
): Promise<Outcome<{ sent: boolean }>> {
  if (user.emailVerified) return ok({ sent: false })
  for (const [key, rule] of [
    [`verify:user:${user.id}`, rateRules.verificationPerUser],
    [`verify:ip:${ip}`, rateRules.verificationPerIp],
  ] as const) {
    const limit = await hitRateLimit(db, key, rule)
    if (!limit.allowed) {
      return fail(429, 'errors.rate_limited', {
        params: waitParams(limit.retryAfterSeconds, 'minutes'),
      })
    }
  }
  const id = await db.transaction((tx) => queueVerificationEmail(tx, user))
  await dispatchEmails([id])
  return ok({ sent: true })
}

export type TokenCheck = { purpose: EmailTokenPurpose; email: string; displayName: string } | null

/** What a link is for, while it is unused and unexpired (the confirmation page shows it before the
 *  member confirms): GET never uses it up, so a mail scanner opening the link changes nothing. */
export async function readEmailToken(db: Db, token: string): Promise<TokenCheck> {
  const [row] = await db
    .select({ purpose: emailTokens.purpose, email: emailTokens.email, displayName: users.displayName })
    .from(emailTokens)
    .innerJoin(users, eq(users.id, emailTokens.userId))
    .where(and(eq(emailTokens.id, hashToken(token)), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date())))
  return row ?? null
}

/** Uses a link: the address becomes confirmed (and, for a change, the member's address). The token is
 *  consumed by one conditional update, so two clicks cannot both succeed. A link for an address the
 *  member no longer has, or a new address someone else took meanwhile, is refused. A member who thereby
 *  finishes joining is welcomed (once; the email goes after commit). */
export async function confirmEmailToken(
  db: Db,
  { token }: { token: string },
): Promise<Outcome<{ userId: number; purpose: EmailTokenPurpose }>> {
  let welcomeId: number | null = null
  const outcome = await confirmInTransaction(db, token, (id) => {
    welcomeId = id
  })
  if (outcome.ok && welcomeId !== null) await dispatchEmails([welcomeId])
  return outcome
}

async function confirmInTransaction(
  db: Db,
  token: string,
  welcomed: (outboxId: number | null) => void,
): Promise<Outcome<{ userId: number; purpose: EmailTokenPurpose }>> {
  try {
    return await db.transaction(async (tx) => {
      const now = new Date()
      const [used] = await tx
        .update(emailTokens)
        .set({ usedAt: now })
        .where(and(eq(emailTokens.id, hashToken(token)), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
        .returning({ userId: emailTokens.userId, purpose: emailTokens.purpose, email: emailTokens.email })
      if (!used) return fail(400, 'identity.verify.link_invalid')
      const [user] = await tx
        .select({ email: users.email, disabledAt: users.disabledAt })
        .from(users)
        .where(eq(users.id, used.userId))
        .for('update')
      if (!user || user.disabledAt) return fail(400, 'identity.verify.link_invalid')
      if (used.purpose === 'verify') {
        if (user.email.toLowerCase() !== used.email) return fail(400, 'identity.verify.link_invalid')
        await markEmailVerified(tx, used.userId, now)
        await recordAudit(tx, {
          actorUserId: used.userId,
          action: 'user.email_verified',
          targetType: 'user',
          targetId: used.userId,
          details: { by: 'link' },
        })
        welcomed(await welcomeMember(tx, used.userId))
        return ok({ userId: used.userId, purpose: used.purpose })
      }
      await tx
        .update(users)
        .set({ email: used.email, emailVerifiedAt: now, updatedAt: now })
        .where(eq(users.id, used.userId))
      await joinAccountByDomain(tx, used.userId)
      await recordAudit(tx, {
        actorUserId: used.userId,
        action: 'user.email_changed',
        targetType: 'user',
        targetId: used.userId,
        details: { from: user.email, to: used.email },
      })
      // A member who never confirmed their first address finishes joining with the new one.
      welcomed(await welcomeMember(tx, used.userId))
      return ok({ userId: used.userId, purpose: used.purpose })
    })
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) return fail(409, 'identity.verify.address_taken')
    throw error
  }
}

export type Confirmed = {
  purpose: EmailTokenPurpose
  user: SessionUser
  token: string
  session: Session
}

/** Uses a link and signs its owner in: following the link proved they read that inbox. A new session
 *  every time, so a session id never outlives a change of what it may do. */
export async function confirmEmailAndSignIn(db: Db, { token }: { token: string }): Promise<Outcome<Confirmed>> {
  const confirmed = await confirmEmailToken(db, { token })
  if (!confirmed.ok) return confirmed
  const [user] = await db.select(sessionUserColumns).from(users).where(eq(users.id, confirmed.value.userId))
  if (!user) return fail(400, 'identity.verify.link_invalid')
  const sessionToken = generateToken()
  const session = await createSession(db, sessionToken, user.id)
  return ok({ purpose: confirmed.value.purpose, user, token: sessionToken, session })
}

/** Starts a change of address: the current password proves it is the member asking; a link goes to
 *  the new address, and a notice to the old one. The answer is the same whether or not the new address
 *  already belongs to someone (its owner gets a notice instead of a link), so the form cannot be used
 *  to find out who is registered. */
export async function requestEmailChange(
  db: Db,
  { user, newEmail, currentPassword, ip }: { user: SessionUser; newEmail: string; currentPassword: string; ip: string },
): Promise<Outcome<{ email: string }>> {
  const email = newEmail.trim().toLowerCase()
  if (email === user.email.toLowerCase()) return fail(400, 'identity.change_email.same', { field: 'email' })
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id))
  if (!row) return fail(404, 'errors.not_found')
  if (!(await verifyPassword(row.hash, currentPassword))) {
    return fail(400, 'identity.current_password_wrong', { field: 'currentPassword' })
  }
  const limit = await hitRateLimit(db, `email-change:user:${user.id}`, rateRules.verificationPerUser)
  if (!limit.allowed) {
    return fail(429, 'errors.rate_limited', {
      params: waitParams(limit.retryAfterSeconds, 'minutes'),
    })
  }
  const ipLimit = await hitRateLimit(db, `verify:ip:${ip}`, rateRules.verificationPerIp)
  if (!ipLimit.allowed) {
    return fail(429, 'errors.rate_limited', {
      params: waitParams(ipLimit.retryAfterSeconds, 'minutes'),
    })
  }
  const ids = await db.transaction(async (tx) => {
    const t = translator(user.locale)
    const [owner] = await tx
      .select({ id: users.id, locale: users.locale, displayName: users.displayName })
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`)
    const queued: number[] = []
    if (owner) {
      const ot = translator(owner.locale)
      queued.push(
        await queueEmail(tx, {
          to: email,
          template: 'email_change_taken',
          subject: ot('email.change_taken.subject'),
          text: ot('email.change_taken.body', { name: owner.displayName, app: env().APP_URL }),
        }),
      )
    } else {
      const token = await issueEmailToken(tx, { userId: user.id, email, purpose: 'change' })
      queued.push(
        await queueEmail(tx, {
          to: email,
          template: 'email_change',
          subject: t('email.change.subject'),
          text: t('email.change.body', { name: user.displayName, link: verifyEmailLink(token) }),
        }),
      )
    }
    // The old address hears of it either way: if the member did not ask, their password is known.
    queued.push(
      await queueEmail(tx, {
        to: user.email,
        template: 'email_change_notice',
        subject: t('email.change_notice.subject'),
        text: t('email.change_notice.body', { name: user.displayName, email: maskEmail(email) }),
      }),
    )
    await recordAudit(tx, {
      actorUserId: user.id,
      action: 'user.email_change_requested',
      targetType: 'user',
      targetId: user.id,
      details: {},
    })
    return queued
  })
  await dispatchEmails(ids)
  return ok({ email })
}

/** `ke***@example.com`: enough for the owner to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@')
  return `${local.slice(0, 2)}${'*'.repeat(Math.max(3, local.length - 2))}@${domain}`
}

/** An admin confirms a member's address by hand (they know the person); the member then joins their
 *  domain's account, and is welcomed (once). Audited. */
export async function adminVerifyEmail(
  db: Db,
  { actor, userId }: { actor: SessionUser; userId: number },
): Promise<Outcome<undefined>> {
  if (!can(actor, 'users.verify_email')) return fail(403, 'errors.forbidden')
  let welcomeId: number | null = null
  const outcome = await db.transaction(async (tx): Promise<Outcome<undefined>> => {
    const [user] = await tx
      .select({ verifiedAt: users.emailVerifiedAt, email: users.email })
      .from(users)
      .where(eq(users.id, userId))
      .for('update')
    if (!user) return fail(404, 'errors.not_found')
    if (user.verifiedAt) return ok()
    await markEmailVerified(tx, userId)
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'user.email_verified',
      targetType: 'user',
      targetId: userId,
      details: { by: 'admin', email: user.email },
    })
    welcomeId = await welcomeMember(tx, userId)
    return ok()
  })
  if (outcome.ok && welcomeId !== null) await dispatchEmails([welcomeId])
  return outcome
}
