import { and, asc, count, eq, gt, ilike, isNull, or, sql } from 'drizzle-orm'
import { env } from '#app/lib/env.server.ts'
import { isTimeZone } from '#app/lib/format.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import { dispatchEmails, queueEmail } from '#app/lib/mail.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, type RateRule, rateRules, releaseRateLimit, waitParams } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { accounts, passwordResetTokens, users } from '#db/schema/identity.ts'
import { recordAudit } from './audit.server.ts'
import { deviceIdFor, issueDeviceToken } from './devices.server.ts'
import { markEmailVerified, queueVerificationEmail } from './email-verification.server.ts'
import { recordProfileCompleted, welcomeMember } from './onboarding.server.ts'
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
import { passwordClosedBy } from './sso.server.ts'

export type SignedIn = { user: SessionUser; token: string; session: Session }

function rateLimited(retryAfterSeconds: number) {
  return fail(429, 'errors.rate_limited', { params: waitParams(retryAfterSeconds, 'minutes') })
}

/** Refuses passwords on the common-password list. Length rules live in the form schema. */
function checkPasswordPolicy(password: string, field = 'password') {
  if (isCommonPassword(password)) return fail(400, 'validation.password_common', { field })
  return null
}

export type SignUpInput = { email: string; displayName: string; password: string; timeZone?: string; locale: Locale }

/** Creates a member whose address is not confirmed yet, and sends the confirmation link; they join
 *  their domain's account once they confirm. The answer is the same for an address that is already
 *  registered, and takes as long (a password is hashed either way); its owner gets an email saying so
 *  instead, so the form cannot be used to find out who is registered. Nobody is signed in here: the
 *  link does that. */
export async function signUp(db: Db, { input, ip }: { input: SignUpInput; ip: string }): Promise<Outcome<undefined>> {
  const policy = checkPasswordPolicy(input.password)
  if (policy) return policy
  const limit = await hitRateLimit(db, `signup:ip:${ip}`, rateRules.signupPerIp)
  if (!limit.allowed) return rateLimited(limit.retryAfterSeconds)

  const email = input.email.trim().toLowerCase()
  const passwordHash = await hashPassword(input.password)
  const [existing] = await db
    .select({ id: users.id, locale: users.locale, displayName: users.displayName })
    .from(users)
    .where(sql`lower(${users.email}) = ${email}`)
  if (existing) {
    await noticeExistingAccount(db, { ...existing, email })
    return ok()
  }
  try {
    const id = await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          email,
          displayName: input.displayName.trim(),
          passwordHash,
          role: 'member',
          accountId: null,
          locale: input.locale,
          timeZone: input.timeZone && isTimeZone(input.timeZone) ? input.timeZone : 'UTC',
        })
        .returning({ id: users.id, email: users.email, displayName: users.displayName, locale: users.locale })
      return queueVerificationEmail(tx, user!)
    })
    await dispatchEmails([id])
  } catch (error) {
    // Registered by a concurrent sign-up a moment ago: the same answer as any existing address.
    if (!isUniqueViolation(error, 'users_email_key')) throw error
  }
  return ok()
}

/** Tells the owner of an address that someone tried to sign up with it: sign in, or reset the password
 *  (which also confirms the address, if whoever registered it first never did). A few a day at most. */
async function noticeExistingAccount(db: Db, owner: { email: string; locale: Locale; displayName: string }) {
  const limit = await hitRateLimit(db, `signup:notice:${owner.email}`, rateRules.signupNoticePerEmail)
  if (!limit.allowed) return
  const t = translator(owner.locale)
  const id = await queueEmail(db, {
    to: owner.email,
    template: 'signup_existing',
    subject: t('email.signup_existing.subject'),
    text: t('email.signup_existing.body', {
      name: owner.displayName,
      login: `${env().APP_URL}/login`,
      reset: `${env().APP_URL}/forgot-password`,
    }),
  })
  await dispatchEmails([id])
}

/** How long a failed sign-in from an address that keeps failing is held before it is answered: the
 *  third failure for an email from one address waits half a second, each further one longer. */
function failureDelayMs(failures: number): number {
  return failures <= 2 ? 0 : Math.min(2_000, 500 * (failures - 2))
}

export type SignInResult = SignedIn & { deviceToken: string }

/** Checks an email and password and opens a new session. Each attempt is counted before the password is
 *  checked (one atomic upsert per counter), so parallel guesses cannot slip past a limit; a right
 *  password takes its count back, so the counters count failures. Guesses are limited per email and
 *  address (slowed from the third, refused after the fifth), per address, and per email from browsers
 *  it never signed in on; a browser that signed in before carries a signed device cookie and is
 *  limited on its own, so a stranger's failures never lock the owner out. The answer for an unknown
 *  email and a wrong password is the same, and takes as long. */
export async function signIn(
  db: Db,
  { email, password, ip, deviceToken }: { email: string; password: string; ip: string; deviceToken?: string | null },
): Promise<Outcome<SignInResult>> {
  const normalized = email.trim().toLowerCase()
  const device = await deviceIdFor(db, deviceToken, normalized)
  const counters: [string, RateRule][] = device
    ? [[`login:device:${device}`, rateRules.loginPerDevice]]
    : [
        [`login:pair:${normalized}|${ip}`, rateRules.loginPerEmailAndIp],
        [`login:ip:${ip}`, rateRules.loginPerIp],
        [`login:email:${normalized}`, rateRules.loginPerEmail],
      ]
  const counts: number[] = []
  for (const [key, rule] of counters) {
    const hit = await hitRateLimit(db, key, rule)
    if (!hit.allowed) return rateLimited(hit.retryAfterSeconds)
    counts.push(rule.limit - hit.remaining)
  }

  const [row] = await db
    .select({ ...sessionUserColumns, passwordHash: users.passwordHash, disabledAt: users.disabledAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${normalized}`)
  let valid = false
  if (row) valid = await verifyPassword(row.passwordHash, password)
  else await verifyDecoy(password)
  if (!row || !valid) {
    const delay = failureDelayMs(counts[0] ?? 0)
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay))
    return fail(401, 'identity.invalid_credentials')
  }
  // The right password: this attempt was no guess.
  for (const [key] of counters) await releaseRateLimit(db, key)
  if (row.disabledAt) return fail(403, 'identity.account_disabled')
  // A member whose provider closed password sign-in uses its button (staff keep theirs, decision 037).
  const closedBy = await passwordClosedBy(db, row.id)
  if (closedBy) return fail(403, 'sso.password_closed', { params: { name: closedBy } })
  const { passwordHash: _hash, disabledAt: _disabled, ...user } = row
  const token = generateToken()
  const session = await createSession(db, token, user.id)
  return ok({ user, token, session, deviceToken: await issueDeviceToken(db, normalized) })
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
    await recordAudit(tx, {
      actorUserId: null,
      action: 'user.password_reset_requested',
      targetType: 'user',
      targetId: user.id,
      details: {},
    })
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
 *  concurrent uses cannot both succeed; every session of the user ends. A member who never confirmed
 *  their address finishes joining here, and is welcomed (once). */
export async function resetPassword(
  db: Db,
  { token, password }: { token: string; password: string },
): Promise<Outcome<{ userId: number }>> {
  const policy = checkPasswordPolicy(password)
  if (policy) return policy
  const passwordHash = await hashPassword(password)
  let welcomeId: number | null = null
  const outcome = await db.transaction(async (tx): Promise<Outcome<{ userId: number }>> => {
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
    // The link went to the address: whoever used it owns it.
    await markEmailVerified(tx, used.userId)
    await recordAudit(tx, {
      actorUserId: used.userId,
      action: 'user.password_reset',
      targetType: 'user',
      targetId: used.userId,
      details: {},
    })
    welcomeId = await welcomeMember(tx, used.userId)
    return ok({ userId: used.userId })
  })
  if (outcome.ok && welcomeId !== null) await dispatchEmails([welcomeId])
  return outcome
}

export async function updatePreferences(
  db: Db,
  { user, input }: { user: SessionUser; input: { displayName: string; locale: Locale; timeZone: string } },
): Promise<Outcome<undefined>> {
  if (!isTimeZone(input.timeZone)) return fail(400, 'validation.time_zone_invalid', { field: 'timeZone' })
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ displayName: input.displayName, locale: input.locale, timeZone: input.timeZone, updatedAt: new Date() })
      .where(eq(users.id, user.id))
    // Saving the profile is a first step (docs/decisions/039); the ledger keeps it once.
    await recordProfileCompleted(tx, user)
  })
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
  emailVerifiedAt: users.emailVerifiedAt,
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
