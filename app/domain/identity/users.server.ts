import { and, asc, count, eq, gt, ilike, isNull, or, sql } from 'drizzle-orm'
import { dispatchEmails, queueEmail } from '#app/domain/notify/mail.server.ts'
import { env } from '#app/lib/env.server.ts'
import { isTimeZone } from '#app/lib/format.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { clearRateLimit, hitRateLimit, peekRateLimit, rateRules } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { accountDomains, accounts, passwordResetTokens, users } from '#db/schema/identity.ts'
import { recordAudit } from './audit.server.ts'
import { hashPassword, isCommonPassword, verifyDecoy, verifyPassword } from './passwords.server.ts'
import { can, type Role, type SessionUser } from './permissions.ts'
import {
  createSession,
  generateToken,
  hashToken,
  invalidateUserSessions,
  type Session,
  sessionUserColumns,
} from './sessions.server.ts'

export type SignedIn = { user: SessionUser; token: string; session: Session }

function rateLimited(retryAfterSeconds: number) {
  return fail(429, 'errors.rate_limited', { params: { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) } })
}

/** Refuses passwords on the common-password list. Length rules live in the form schema. */
function checkPasswordPolicy(password: string, field = 'password') {
  if (isCommonPassword(password)) return fail(400, 'validation.password_common', { field })
  return null
}

export type SignUpInput = { email: string; displayName: string; password: string; timeZone?: string; locale: Locale }

/** Creates a member, joins them to the account that owns their email domain, and signs them in.
 *  The email's uniqueness is decided by the database's case-insensitive unique index. */
export async function signUp(db: Db, { input, ip }: { input: SignUpInput; ip: string }): Promise<Outcome<SignedIn>> {
  const policy = checkPasswordPolicy(input.password)
  if (policy) return policy
  const limit = await hitRateLimit(db, `signup:ip:${ip}`, rateRules.signupPerIp)
  if (!limit.allowed) return rateLimited(limit.retryAfterSeconds)

  const email = input.email.trim().toLowerCase()
  const passwordHash = await hashPassword(input.password)
  const domain = email.split('@')[1] ?? ''
  try {
    return await db.transaction(async (tx) => {
      const [owner] = await tx
        .select({ accountId: accountDomains.accountId })
        .from(accountDomains)
        .innerJoin(accounts, eq(accounts.id, accountDomains.accountId))
        .where(and(eq(accountDomains.domain, domain), isNull(accounts.churnedAt)))
      const [user] = await tx
        .insert(users)
        .values({
          email,
          displayName: input.displayName.trim(),
          passwordHash,
          role: 'member',
          accountId: owner?.accountId ?? null,
          locale: input.locale,
          timeZone: input.timeZone && isTimeZone(input.timeZone) ? input.timeZone : 'UTC',
        })
        .returning(sessionUserColumns)
      const token = generateToken()
      const session = await createSession(tx, token, user!.id)
      return ok({ user: user!, token, session })
    })
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) return fail(409, 'identity.email_taken', { field: 'email' })
    throw error
  }
}

/** Checks an email and password and opens a new session. Failed attempts count against the email and
 *  the IP address; over the limit the answer is 429 before the password is even checked. The answer for
 *  an unknown email and for a wrong password is the same, and takes as long. */
export async function signIn(
  db: Db,
  { email, password, ip }: { email: string; password: string; ip: string },
): Promise<Outcome<SignedIn>> {
  const emailKey = `login:email:${email.toLowerCase()}`
  const ipKey = `login:ip:${ip}`
  for (const [key, rule] of [
    [emailKey, rateRules.loginPerEmail],
    [ipKey, rateRules.loginPerIp],
  ] as const) {
    const peek = await peekRateLimit(db, key, rule)
    if (!peek.allowed) return rateLimited(peek.retryAfterSeconds)
  }

  const [row] = await db
    .select({ ...sessionUserColumns, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
  let valid = false
  if (row) valid = await verifyPassword(row.passwordHash, password)
  else await verifyDecoy(password)
  if (!row || !valid) {
    await hitRateLimit(db, emailKey, rateRules.loginPerEmail)
    await hitRateLimit(db, ipKey, rateRules.loginPerIp)
    return fail(401, 'identity.invalid_credentials')
  }
  if (row.disabledAt) return fail(403, 'identity.account_disabled')
  await clearRateLimit(db, emailKey)
  const { passwordHash: _hash, disabledAt: _disabled, ...user } = row
  const token = generateToken()
  const session = await createSession(db, token, user.id)
  return ok({ user, token, session })
}

/** Sets a new password after checking the current one, and ends every other session of the user. */
export async function changePassword(
  db: Db,
  args: { user: SessionUser; sessionId: string; currentPassword: string; newPassword: string },
): Promise<Outcome<{ endedSessions: number }>> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, args.user.id))
  if (!row) return fail(404, 'errors.not_found')
  if (!(await verifyPassword(row.hash, args.currentPassword))) {
    return fail(400, 'identity.current_password_wrong', { field: 'currentPassword' })
  }
  const policy = checkPasswordPolicy(args.newPassword)
  if (policy) return policy
  const passwordHash = await hashPassword(args.newPassword)
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, args.user.id))
    const endedSessions = await invalidateUserSessions(tx, args.user.id, args.sessionId)
    return ok({ endedSessions })
  })
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(db: Db, user: SessionUser): Promise<number> {
  return invalidateUserSessions(db, user.id)
}

const RESET_TTL_MS = 60 * 60 * 1000

/** Emails a single-use reset link valid for one hour. Answers the same whether or not the email is
 *  known, so the form cannot be used to discover accounts; only the rate limit is visible. */
export async function requestPasswordReset(
  db: Db,
  { email, ip }: { email: string; ip: string },
): Promise<Outcome<undefined>> {
  const normalized = email.trim().toLowerCase()
  const perEmail = await hitRateLimit(db, `reset:email:${normalized}`, rateRules.passwordResetPerEmail)
  if (!perEmail.allowed) return rateLimited(perEmail.retryAfterSeconds)
  const perIp = await hitRateLimit(db, `reset:ip:${ip}`, rateRules.passwordResetPerIp)
  if (!perIp.allowed) return rateLimited(perIp.retryAfterSeconds)

  const [user] = await db
    .select({ id: users.id, locale: users.locale, displayName: users.displayName, disabledAt: users.disabledAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${normalized}`)
  if (!user || user.disabledAt) return ok()

  const token = generateToken(32)
  const emailId = await db.transaction(async (tx) => {
    await tx
      .insert(passwordResetTokens)
      .values({ id: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + RESET_TTL_MS) })
    const t = translator(user.locale)
    const link = `${env().APP_URL}/reset-password/${token}`
    return queueEmail(tx, {
      to: normalized,
      template: 'password_reset',
      subject: t('email.password_reset.subject'),
      text: t('email.password_reset.body', { name: user.displayName, link }),
    })
  })
  await dispatchEmails([emailId])
  return ok()
}

/** True while the token is unused and unexpired (the reset page checks before showing its form). */
export async function isResetTokenValid(db: Db, token: string): Promise<boolean> {
  const [row] = await db
    .select({ id: passwordResetTokens.id })
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.id, hashToken(token)),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, new Date()),
      ),
    )
  return !!row
}

/** Sets a new password from a reset link. The token is consumed by one conditional update, so two
 *  concurrent uses cannot both succeed; every session of the user ends. */
export async function resetPassword(
  db: Db,
  { token, password }: { token: string; password: string },
): Promise<Outcome<{ userId: number }>> {
  const policy = checkPasswordPolicy(password)
  if (policy) return policy
  const passwordHash = await hashPassword(password)
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(passwordResetTokens.id, hashToken(token)),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, new Date()),
        ),
      )
      .returning({ userId: passwordResetTokens.userId })
    if (!used) return fail(400, 'identity.reset_link_invalid')
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, used.userId))
    await invalidateUserSessions(tx, used.userId)
    return ok({ userId: used.userId })
  })
}

export async function updatePreferences(
  db: Db,
  { user, input }: { user: SessionUser; input: { displayName: string; locale: Locale; timeZone: string } },
): Promise<Outcome<undefined>> {
  if (!isTimeZone(input.timeZone)) return fail(400, 'validation.time_zone_invalid', { field: 'timeZone' })
  await db
    .update(users)
    .set({ displayName: input.displayName, locale: input.locale, timeZone: input.timeZone, updatedAt: new Date() })
    .where(eq(users.id, user.id))
  return ok()
}

/** Changes only the language, for the header switcher. */
export async function setUserLocale(db: Db, user: SessionUser, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, user.id))
}

// ---- administration ----

/** What administration pages show of a user (with the account's name, from a left join). */
const adminUserColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  accountId: users.accountId,
  accountName: accounts.name,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
}

export type UserListFilter = { q?: string; role?: Role; page?: number; perPage?: number }

/** Users matching a name or email fragment, with their account's name; for staff and admins. */
export async function listUsers(db: Db, { actor, filter }: { actor: SessionUser; filter: UserListFilter }) {
  if (!can(actor, 'users.view')) return fail(403, 'errors.forbidden')
  const perPage = filter.perPage ?? 25
  const page = Math.max(1, filter.page ?? 1)
  const q = filter.q?.trim()
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined
  const where = and(
    pattern ? or(ilike(users.email, pattern), ilike(users.displayName, pattern)) : undefined,
    filter.role ? eq(users.role, filter.role) : undefined,
  )
  const [rows, [total]] = await Promise.all([
    db
      .select(adminUserColumns)
      .from(users)
      .leftJoin(accounts, eq(accounts.id, users.accountId))
      .where(where)
      .orderBy(asc(users.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    db.select({ n: count() }).from(users).where(where),
  ])
  return ok({ users: rows, total: total?.n ?? 0, page, perPage })
}

export async function getUserForAdmin(db: Db, { actor, userId }: { actor: SessionUser; userId: number }) {
  if (!can(actor, 'users.view')) return fail(403, 'errors.forbidden')
  const [row] = await db
    .select({ ...adminUserColumns, locale: users.locale, timeZone: users.timeZone })
    .from(users)
    .leftJoin(accounts, eq(accounts.id, users.accountId))
    .where(eq(users.id, userId))
  return row ? ok(row) : fail(404, 'errors.not_found')
}

/** Gives a user another role. Admins only, never on themselves (so the last admin cannot lock
 *  everyone out by accident); staff roles leave their customer account. Logged in the audit log. */
export async function changeRole(
  db: Db,
  { actor, userId, role }: { actor: SessionUser; userId: number; role: Role },
): Promise<Outcome<{ from: Role; to: Role }>> {
  if (!can(actor, 'users.change_role')) return fail(403, 'errors.forbidden')
  if (actor.id === userId) return fail(400, 'admin.cannot_change_self')
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ role: users.role }).from(users).where(eq(users.id, userId)).for('update')
    if (!current) return fail(404, 'errors.not_found')
    if (current.role === role) return ok({ from: role, to: role })
    await tx
      .update(users)
      .set({ role, updatedAt: new Date(), ...(role !== 'member' ? { accountId: null } : {}) })
      .where(eq(users.id, userId))
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'user.role_changed',
      targetType: 'user',
      targetId: userId,
      details: { from: current.role, to: role },
    })
    return ok({ from: current.role, to: role })
  })
}

/** Disables a user (ending all their sessions at once) or enables them again. Admins only. */
export async function setUserDisabled(
  db: Db,
  { actor, userId, disabled }: { actor: SessionUser; userId: number; disabled: boolean },
): Promise<Outcome<{ endedSessions: number }>> {
  if (!can(actor, 'users.disable')) return fail(403, 'errors.forbidden')
  if (actor.id === userId) return fail(400, 'admin.cannot_change_self')
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning({ id: users.id })
    if (!updated) return fail(404, 'errors.not_found')
    const endedSessions = disabled ? await invalidateUserSessions(tx, userId) : 0
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: disabled ? 'user.disabled' : 'user.enabled',
      targetType: 'user',
      targetId: userId,
      details: disabled ? { endedSessions } : {},
    })
    return ok({ endedSessions })
  })
}

/** Moves a member to another customer account (or none). Staff and above; logged. */
export async function reassignAccount(
  db: Db,
  { actor, userId, accountId }: { actor: SessionUser; userId: number; accountId: number | null },
): Promise<Outcome<undefined>> {
  if (!can(actor, 'users.reassign_account')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ role: users.role, accountId: users.accountId })
      .from(users)
      .where(eq(users.id, userId))
      .for('update')
    if (!target) return fail(404, 'errors.not_found')
    if (target.role !== 'member' && accountId !== null) return fail(400, 'admin.staff_have_no_account')
    if (accountId !== null) {
      const [exists] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId))
      if (!exists) return fail(400, 'admin.account_not_found', { field: 'accountId' })
    }
    await tx.update(users).set({ accountId, updatedAt: new Date() }).where(eq(users.id, userId))
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'user.account_changed',
      targetType: 'user',
      targetId: userId,
      details: { from: target.accountId, to: accountId },
    })
    return ok()
  })
}

/** Staff users, for choosing an account's CSM. */
export async function listStaff(db: Db) {
  return db
    .select({ id: users.id, displayName: users.displayName, email: users.email })
    .from(users)
    .where(and(sql`${users.role} <> 'member'`, isNull(users.disabledAt)))
    .orderBy(asc(users.displayName))
}
