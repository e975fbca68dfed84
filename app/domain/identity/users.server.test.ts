import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import {
  FACTORY_PASSWORD,
  insertAccount,
  insertAdmin,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { auditLog, emailTokens, passwordResetTokens, sessions, users } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { db } from '#tests/db.ts'
import { verifyPassword } from './passwords.server.ts'
import { generateToken, hashToken, validateSessionToken } from './sessions.server.ts'
import {
  changePassword,
  changeRole,
  getUserForAdmin,
  isResetTokenValid,
  listStaff,
  listUsers,
  reassignAccount,
  requestPasswordReset,
  resetPassword,
  setUserDisabled,
  setUserLocale,
  signIn,
  signOutEverywhere,
  signUp,
  updatePreferences,
} from './users.server.ts'

const strong = 'violet-otter-compass-91'
let ipCounter = 0
/** Each test gets its own client address so per-IP limits of one test cannot spill into another. */
function ip() {
  return `10.${process.pid % 250}.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`
}

function uniqueEmail(domain = 'example.com') {
  return `new-${generateToken(6)}@${domain}`
}

/** The link of the last email of `template` sent to `to`. */
async function linkIn(to: string, template: string): Promise<string | null> {
  const rows = await db
    .select({ text: emailOutbox.textBody })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, template)))
  return /https?:\/\/\S+/.exec(rows.at(-1)?.text ?? '')?.[0] ?? null
}

test('sign-up creates an unconfirmed member in no account, mails a single-use link, and signs nobody in', async () => {
  const account = await insertAccount(db)
  const email = uniqueEmail(account.domains[0])
  const outcome = await signUp(db, {
    input: {
      email: email.toUpperCase(),
      displayName: '  Aiko  ',
      password: strong,
      locale: 'ja',
      timeZone: 'Asia/Tokyo',
    },
    ip: ip(),
  })
  expect(outcome).toEqual({ ok: true, value: undefined })
  const [row] = await db.select().from(users).where(eq(users.email, email))
  expect(row).toMatchObject({
    displayName: 'Aiko',
    role: 'member',
    accountId: null,
    emailVerifiedAt: null,
    locale: 'ja',
    timeZone: 'Asia/Tokyo',
  })
  expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  expect(await db.select().from(sessions).where(eq(sessions.userId, row!.id))).toEqual([])
  // The link is in the member's language; only the token's hash is stored.
  const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email))
  expect(mail).toMatchObject({ template: 'email_verify' })
  expect(mail!.subject).toContain('メールアドレスの確認')
  const token = /verify-email\/([a-z0-9]+)/.exec(mail!.textBody)?.[1]
  expect(token).toBeTruthy()
  const [stored] = await db.select().from(emailTokens).where(eq(emailTokens.userId, row!.id))
  expect(stored).toMatchObject({ id: hashToken(token!), purpose: 'verify', email, usedAt: null })
})

test('sign-up with an unknown zone falls back to UTC', async () => {
  const email = uniqueEmail('nobody.example')
  const outcome = await signUp(db, {
    input: { email, displayName: 'Solo', password: strong, locale: 'en', timeZone: 'Mars/Olympus' },
    ip: ip(),
  })
  expect(outcome.ok).toBe(true)
  const [row] = await db.select({ timeZone: users.timeZone }).from(users).where(eq(users.email, email))
  expect(row).toEqual({ timeZone: 'UTC' })
})

test('signing up with a registered address answers the same, changes nothing, and tells its owner', async () => {
  const existing = await insertUser(db, { locale: 'en' })
  const before = await db.select().from(users).where(eq(users.id, existing.id))
  const outcome = await signUp(db, {
    input: { email: existing.email.toUpperCase(), displayName: 'Copy', password: strong, locale: 'ja' },
    ip: ip(),
  })
  const fresh = await signUp(db, {
    input: { email: uniqueEmail(), displayName: 'New', password: strong, locale: 'en' },
    ip: ip(),
  })
  expect(outcome).toEqual(fresh)
  expect(await db.select().from(users).where(eq(users.id, existing.id))).toEqual(before)
  expect(await db.select().from(users).where(eq(users.displayName, 'Copy'))).toEqual([])
  const notice = await linkIn(existing.email, 'signup_existing')
  expect(notice).toMatch(/\/login$/)
  expect(await linkIn(existing.email, 'email_verify')).toBeNull()
})

test('two concurrent sign-ups with one email: one member, the same answer to both', async () => {
  const email = uniqueEmail()
  const results = await Promise.all(
    [1, 2].map(() => signUp(db, { input: { email, displayName: 'Race', password: strong, locale: 'en' }, ip: ip() })),
  )
  expect(results).toEqual([
    { ok: true, value: undefined },
    { ok: true, value: undefined },
  ])
  expect(await db.select({ id: users.id }).from(users).where(eq(users.email, email))).toHaveLength(1)
})

test('common passwords are refused; a 100-character passphrase is accepted and not truncated', async () => {
  const common = await signUp(db, {
    input: { email: uniqueEmail(), displayName: 'C', password: 'Password123', locale: 'en' },
    ip: ip(),
  })
  expect(common).toMatchObject({ ok: false, status: 400, code: 'validation.password_common', field: 'password' })

  const long = `${'correct horse battery staple '.repeat(3)}and then some more words!!`.padEnd(100, 'x')
  const email = uniqueEmail()
  const outcome = await signUp(db, { input: { email, displayName: 'L', password: long, locale: 'en' }, ip: ip() })
  expect(outcome.ok).toBe(true)
  expect(await signIn(db, { email, password: long, ip: ip() })).toMatchObject({ ok: true })
  expect(await signIn(db, { email, password: long.slice(0, 72), ip: ip() })).toMatchObject({ ok: false })
})

test('sign-up is rate limited per IP address', async () => {
  const address = ip()
  const outcomes = []
  for (let i = 0; i < 11; i++) {
    outcomes.push(
      await signUp(db, {
        input: { email: uniqueEmail(), displayName: 'Bulk', password: strong, locale: 'en' },
        ip: address,
      }),
    )
  }
  expect(outcomes.slice(0, 10).every((o) => o.ok)).toBe(true)
  expect(outcomes[10]).toMatchObject({ ok: false, status: 429, code: 'errors.rate_limited' })
})

test('sign-in opens a new session each time; a wrong password and an unknown email fail alike', async () => {
  const user = await insertUser(db)
  const first = await signIn(db, { email: user.email.toUpperCase(), password: FACTORY_PASSWORD, ip: ip() })
  const second = await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })
  expect(first.ok && second.ok).toBe(true)
  if (!first.ok || !second.ok) return
  expect(first.value.session.id).not.toBe(second.value.session.id)

  const wrong = await signIn(db, { email: user.email, password: 'not-the-password', ip: ip() })
  const unknown = await signIn(db, { email: uniqueEmail(), password: 'not-the-password', ip: ip() })
  expect(wrong).toMatchObject({ ok: false, status: 401, code: 'identity.invalid_credentials' })
  expect(unknown).toEqual(wrong)
})

test('a stranger failing five times from one address is slowed and then refused there; the owner elsewhere still signs in', async () => {
  const user = await insertUser(db)
  const stranger = ip()
  const took: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    expect(await signIn(db, { email: user.email, password: `wrong-${i}`, ip: stranger })).toMatchObject({ status: 401 })
    took.push(performance.now() - started)
  }
  // Slowed: the third, fourth and fifth failures are each held at least 0.5 s, 1 s and 1.5 s before they
  // are answered (a floor, so slower hashing on a busy machine cannot make it fail).
  expect(took[2]!).toBeGreaterThanOrEqual(495)
  expect(took[3]!).toBeGreaterThanOrEqual(995)
  expect(took[4]!).toBeGreaterThanOrEqual(1_495)
  const blocked = await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: stranger })
  expect(blocked).toMatchObject({ ok: false, status: 429, code: 'errors.rate_limited' })
  expect(blocked.ok ? 0 : Number(blocked.params?.minutes)).toBeGreaterThan(0)
  // The owner, from an address that was not failing, is not locked out.
  expect(await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })).toMatchObject({ ok: true })
})

test('forty parallel guesses from one address: each is counted before its password is checked, so five are', async () => {
  const user = await insertUser(db)
  const address = ip()
  const outcomes = await Promise.all(
    Array.from({ length: 40 }, (_, i) => signIn(db, { email: user.email, password: `guess-${i}`, ip: address })),
  )
  expect(outcomes.filter((o) => !o.ok && o.status === 401)).toHaveLength(5)
  expect(outcomes.filter((o) => !o.ok && o.status === 429)).toHaveLength(35)
})

test('guesses spread over many addresses stop strangers at 100; a browser that signed in before still signs in', async () => {
  const user = await insertUser(db)
  const before = await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })
  if (!before.ok) throw new Error('sign-in failed')
  for (let i = 0; i < 100; i++) {
    await signIn(db, { email: user.email, password: `spread-${i}`, ip: ip() })
  }
  // A new browser at a clean address: the account is under attack, strangers wait.
  expect(await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })).toMatchObject({ status: 429 })
  // The owner's browser carries its device cookie.
  const owner = await signIn(db, {
    email: user.email,
    password: FACTORY_PASSWORD,
    ip: ip(),
    deviceToken: before.value.deviceToken,
  })
  expect(owner).toMatchObject({ ok: true })
  // A device cookie of another account, or a forged one, is a stranger's.
  const other = await insertUser(db)
  expect(
    await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip(), deviceToken: 'forged.abc' }),
  ).toMatchObject({ status: 429 })
  const otherSignIn = await signIn(db, { email: other.email, password: FACTORY_PASSWORD, ip: ip() })
  if (!otherSignIn.ok) throw new Error('sign-in failed')
  expect(
    await signIn(db, {
      email: user.email,
      password: FACTORY_PASSWORD,
      ip: ip(),
      deviceToken: otherSignIn.value.deviceToken,
    }),
  ).toMatchObject({ status: 429 })
})

test('failed sign-ins are also limited per IP address, across emails', async () => {
  const address = ip()
  for (let i = 0; i < 30; i++) {
    await signIn(db, { email: uniqueEmail(), password: 'guess', ip: address })
  }
  const user = await insertUser(db)
  expect(await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: address })).toMatchObject({
    status: 429,
  })
  expect(await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })).toMatchObject({ ok: true })
})

test('right passwords do not use up an address’s allowance (an office behind one address)', async () => {
  const address = ip()
  const people = await Promise.all(Array.from({ length: 8 }, () => insertUser(db)))
  for (let round = 0; round < 5; round++) {
    for (const person of people) {
      expect(await signIn(db, { email: person.email, password: FACTORY_PASSWORD, ip: address })).toMatchObject({
        ok: true,
      })
    }
  }
})

test('a disabled user cannot sign in', async () => {
  const user = await insertUser(db, { disabledAt: new Date() })
  expect(await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })).toMatchObject({
    ok: false,
    status: 403,
    code: 'identity.account_disabled',
  })
})

test('changing the password needs the current one and ends every other session', async () => {
  const user = await insertUser(db)
  const here = await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })
  const elsewhere = await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })
  if (!here.ok || !elsewhere.ok) throw new Error('sign-in failed')

  const wrong = await changePassword(db, {
    user,
    sessionId: here.value.session.id,
    currentPassword: 'nope',
    newPassword: strong,
  })
  expect(wrong).toMatchObject({ ok: false, field: 'currentPassword' })

  const changed = await changePassword(db, {
    user,
    sessionId: here.value.session.id,
    currentPassword: FACTORY_PASSWORD,
    newPassword: strong,
  })
  expect(changed).toMatchObject({ ok: true, value: { endedSessions: 1 } })
  expect(await validateSessionToken(db, here.value.token)).not.toBeNull()
  expect(await validateSessionToken(db, elsewhere.value.token)).toBeNull()
  expect(await signIn(db, { email: user.email, password: strong, ip: ip() })).toMatchObject({ ok: true })
})

test('sign out everywhere ends every session of the user', async () => {
  const user = await insertUser(db)
  const tokens = []
  for (let i = 0; i < 3; i++) {
    const s = await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })
    if (s.ok) tokens.push(s.value.token)
  }
  expect(await signOutEverywhere(db, user)).toBe(3)
  for (const token of tokens) expect(await validateSessionToken(db, token)).toBeNull()
})

async function resetLinkFor(email: string): Promise<string> {
  const [mail] = await db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, 'password_reset')))
  const match = mail?.textBody.match(/\/reset-password\/([a-z2-7]+)/)
  if (!match) throw new Error('no reset email')
  return match[1]!
}

test('a password reset emails a link whose token is stored hashed, works once, and ends all sessions', async () => {
  const user = await insertUser(db, { locale: 'ja' })
  const open = await signIn(db, { email: user.email, password: FACTORY_PASSWORD, ip: ip() })
  expect(await requestPasswordReset(db, { email: user.email, ip: ip() })).toEqual({ ok: true, value: undefined })

  const token = await resetLinkFor(user.email)
  const [mail] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email))
  expect(mail!.subject).toBe('【コミュニティ】パスワードの再設定')
  const [stored] = await db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, user.id))
  expect(stored!.id).toBe(hashToken(token))
  expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3600 * 1000)
  expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(3500 * 1000)

  expect(await resetPassword(db, { token, password: strong })).toMatchObject({ ok: true })
  expect(await resetPassword(db, { token, password: 'another-strong-phrase-7' })).toMatchObject({
    ok: false,
    code: 'identity.reset_link_invalid',
  })
  if (open.ok) expect(await validateSessionToken(db, open.value.token)).toBeNull()
  const [row] = await db.select().from(users).where(eq(users.id, user.id))
  expect(await verifyPassword(row!.passwordHash, strong)).toBe(true)
})

test('an expired reset link is refused and a common new password does not consume the link', async () => {
  const user = await insertUser(db)
  await requestPasswordReset(db, { email: user.email, ip: ip() })
  const token = await resetLinkFor(user.email)
  expect(await resetPassword(db, { token, password: 'password123' })).toMatchObject({
    code: 'validation.password_common',
  })
  await db
    .update(passwordResetTokens)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(passwordResetTokens.id, hashToken(token)))
  expect(await resetPassword(db, { token, password: strong })).toMatchObject({ code: 'identity.reset_link_invalid' })
})

test('two concurrent uses of one reset link: exactly one succeeds', async () => {
  const user = await insertUser(db)
  await requestPasswordReset(db, { email: user.email, ip: ip() })
  const token = await resetLinkFor(user.email)
  const results = await Promise.all([
    resetPassword(db, { token, password: strong }),
    resetPassword(db, { token, password: 'different-strong-phrase-3' }),
  ])
  expect(results.filter((r) => r.ok)).toHaveLength(1)
})

test('a reset for an unknown email answers the same and sends nothing; requests are limited per email', async () => {
  const email = uniqueEmail()
  expect(await requestPasswordReset(db, { email, ip: ip() })).toEqual({ ok: true, value: undefined })
  expect(await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email))).toHaveLength(0)
  await requestPasswordReset(db, { email, ip: ip() })
  await requestPasswordReset(db, { email, ip: ip() })
  expect(await requestPasswordReset(db, { email, ip: ip() })).toMatchObject({ ok: false, status: 429 })
})

test('admins change roles, which is audited; staff cannot, and nobody changes their own role', async () => {
  const admin = await insertAdmin(db)
  const staff = await insertStaff(db)
  const account = await insertAccount(db)
  const member = await insertUser(db, { accountId: account.id })

  expect(await changeRole(db, { actor: staff, userId: member.id, role: 'staff' })).toMatchObject({ status: 403 })
  expect(await changeRole(db, { actor: admin, userId: admin.id, role: 'member' })).toMatchObject({
    code: 'admin.cannot_change_self',
  })
  expect(await changeRole(db, { actor: admin, userId: member.id, role: 'staff' })).toEqual({
    ok: true,
    value: { from: 'member', to: 'staff' },
  })
  const [row] = await db.select().from(users).where(eq(users.id, member.id))
  expect(row).toMatchObject({ role: 'staff', accountId: null })
  const audit = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.targetId, String(member.id)))
  expect(audit).toContainEqual(
    expect.objectContaining({
      action: 'user.role_changed',
      actorUserId: admin.id,
      details: { from: 'member', to: 'staff' },
    }),
  )
})

test('disabling a user ends their sessions at once and is audited; enabling lets them back in', async () => {
  const admin = await insertAdmin(db)
  const member = await insertUser(db)
  const s = await signIn(db, { email: member.email, password: FACTORY_PASSWORD, ip: ip() })
  if (!s.ok) throw new Error('sign-in failed')
  expect(await setUserDisabled(db, { actor: admin, userId: member.id, disabled: true })).toEqual({
    ok: true,
    value: { endedSessions: 1 },
  })
  expect(await db.select().from(sessions).where(eq(sessions.userId, member.id))).toHaveLength(0)
  expect(await signIn(db, { email: member.email, password: FACTORY_PASSWORD, ip: ip() })).toMatchObject({ status: 403 })
  await setUserDisabled(db, { actor: admin, userId: member.id, disabled: false })
  expect(await signIn(db, { email: member.email, password: FACTORY_PASSWORD, ip: ip() })).toMatchObject({ ok: true })
  const actions = (
    await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(member.id)))
  ).map((a) => a.action)
  expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']))
})

/** Signs the user in `count` times, as from that many browsers; returns the cookies' tokens. */
async function openSessions(email: string, count: number): Promise<{ token: string; sessionId: string }[]> {
  const opened = []
  for (let i = 0; i < count; i++) {
    const outcome = await signIn(db, { email, password: FACTORY_PASSWORD, ip: ip() })
    if (!outcome.ok) throw new Error('sign-in failed')
    opened.push({ token: outcome.value.token, sessionId: outcome.value.session.id })
  }
  return opened
}

async function liveSessions(opened: { token: string }[]): Promise<number> {
  let live = 0
  for (const { token } of opened) if (await validateSessionToken(db, token)) live++
  return live
}

test('a password change ends all the user’s other sessions, keeps the one it came from, and no one else’s', async () => {
  const [user, bystander] = [await insertUser(db), await insertUser(db)]
  const [current, ...others] = await openSessions(user.email, 4)
  const theirs = await openSessions(bystander.email, 1)

  const changed = await changePassword(db, {
    user,
    sessionId: current!.sessionId,
    currentPassword: FACTORY_PASSWORD,
    newPassword: strong,
  })
  expect(changed).toEqual({ ok: true, value: { endedSessions: 3 } })
  expect(await validateSessionToken(db, current!.token)).toMatchObject({ user: { id: user.id } })
  expect(await liveSessions(others)).toBe(0)
  expect(await liveSessions(theirs)).toBe(1)
})

test('a password reset and disabling a user each end every session of that user, and no one else’s', async () => {
  const admin = await insertAdmin(db)
  const [reset, disabled, bystander] = [await insertUser(db), await insertUser(db), await insertUser(db)]
  const resetSessions = await openSessions(reset.email, 3)
  const disabledSessions = await openSessions(disabled.email, 3)
  const theirs = await openSessions(bystander.email, 1)

  await requestPasswordReset(db, { email: reset.email, ip: ip() })
  expect(await resetPassword(db, { token: await resetLinkFor(reset.email), password: strong })).toMatchObject({
    ok: true,
  })
  expect(await db.select().from(sessions).where(eq(sessions.userId, reset.id))).toHaveLength(0)
  expect(await liveSessions(resetSessions)).toBe(0)

  expect(await setUserDisabled(db, { actor: admin, userId: disabled.id, disabled: true })).toEqual({
    ok: true,
    value: { endedSessions: 3 },
  })
  expect(await db.select().from(sessions).where(eq(sessions.userId, disabled.id))).toHaveLength(0)
  expect(await liveSessions(disabledSessions)).toBe(0)
  // Enabling the user again does not bring an ended session back.
  await setUserDisabled(db, { actor: admin, userId: disabled.id, disabled: false })
  expect(await liveSessions(disabledSessions)).toBe(0)

  expect(await liveSessions(theirs)).toBe(1)
})

test('staff move a member to another account; staff users cannot join one', async () => {
  const staff = await insertStaff(db)
  const [from, to] = [await insertAccount(db), await insertAccount(db)]
  const member = await insertUser(db, { accountId: from.id })
  expect(await reassignAccount(db, { actor: staff, userId: member.id, accountId: to.id })).toEqual({
    ok: true,
    value: undefined,
  })
  const [row] = await db.select().from(users).where(eq(users.id, member.id))
  expect(row!.accountId).toBe(to.id)
  expect(await reassignAccount(db, { actor: staff, userId: staff.id, accountId: to.id })).toMatchObject({
    code: 'admin.staff_have_no_account',
  })
  expect(await reassignAccount(db, { actor: member, userId: member.id, accountId: from.id })).toMatchObject({
    status: 403,
  })
  expect(await reassignAccount(db, { actor: staff, userId: member.id, accountId: 999999 })).toMatchObject({
    code: 'admin.account_not_found',
  })
})

test('the user list searches names and emails, escapes wildcards, and is closed to members', async () => {
  const admin = await insertAdmin(db)
  const tag = generateToken(6)
  await insertUser(db, { displayName: `Findme ${tag}`, email: `x-${tag}@example.com` })
  await insertUser(db, { displayName: `Other ${tag}`, email: `findme-${tag}@example.com` })
  const found = await listUsers(db, { actor: admin, filter: { q: tag } })
  expect(found.ok && found.value.total).toBe(2)
  const wildcard = await listUsers(db, { actor: admin, filter: { q: '%' } })
  expect(wildcard.ok && wildcard.value.total).toBe(0)
  const member = await insertUser(db)
  expect(await listUsers(db, { actor: member, filter: {} })).toMatchObject({ status: 403 })
})

test('preferences change the name, language and time zone; an unknown zone is refused on its field', async () => {
  const user = await insertUser(db)
  expect(
    await updatePreferences(db, { user, input: { displayName: 'Renamed', locale: 'ja', timeZone: 'Asia/Tokyo' } }),
  ).toEqual({ ok: true, value: undefined })
  const [row] = await db.select().from(users).where(eq(users.id, user.id))
  expect(row).toMatchObject({ displayName: 'Renamed', locale: 'ja', timeZone: 'Asia/Tokyo' })
  expect(
    await updatePreferences(db, { user, input: { displayName: 'X', locale: 'en', timeZone: 'Nowhere/City' } }),
  ).toMatchObject({ ok: false, field: 'timeZone', code: 'validation.time_zone_invalid' })
  await setUserLocale(db, user, 'en')
  const [after] = await db.select().from(users).where(eq(users.id, user.id))
  expect(after!.locale).toBe('en')
})

test('a reset token is valid until used', async () => {
  const user = await insertUser(db)
  await requestPasswordReset(db, { email: user.email, ip: ip() })
  const token = await resetLinkFor(user.email)
  expect(await isResetTokenValid(db, token)).toBe(true)
  expect(await isResetTokenValid(db, generateToken(32))).toBe(false)
  await resetPassword(db, { token, password: strong })
  expect(await isResetTokenValid(db, token)).toBe(false)
})

test('admins see one user’s details; the staff list offers only active staff', async () => {
  const admin = await insertAdmin(db)
  const account = await insertAccount(db, { name: `Detail ${generateToken(6)}` })
  const member = await insertUser(db, { accountId: account.id })
  expect(await getUserForAdmin(db, { actor: admin, userId: member.id })).toMatchObject({
    ok: true,
    value: { id: member.id, accountName: account.name, role: 'member' },
  })
  expect(await getUserForAdmin(db, { actor: admin, userId: 999999 })).toMatchObject({ status: 404 })
  expect(await getUserForAdmin(db, { actor: member, userId: member.id })).toMatchObject({ status: 403 })
  const disabledStaff = await insertStaff(db, { disabledAt: new Date() })
  const staff = await listStaff(db)
  expect(staff.map((s) => s.id)).toContain(admin.id)
  expect(staff.map((s) => s.id)).not.toContain(member.id)
  expect(staff.map((s) => s.id)).not.toContain(disabledStaff.id)
})
