import { and, desc, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { registerForEvent } from '#app/domain/events/registrations.server.ts'
import { postAnswer } from '#app/domain/qa/answers.server.ts'
import { postComment } from '#app/domain/qa/comments.server.ts'
import { flagPost } from '#app/domain/qa/moderation.server.ts'
import { askQuestion } from '#app/domain/qa/questions.server.ts'
import { castVote } from '#app/domain/qa/votes.server.ts'
import { fileTicket } from '#app/domain/support/tickets.server.ts'
import {
  FACTORY_PASSWORD,
  insertAccount,
  insertAdmin,
  insertEvent,
  insertQuestion,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { auditLog, emailTokens, users } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { db } from '#tests/db.ts'
import { createAccount } from './accounts.server.ts'
import {
  adminVerifyEmail,
  confirmEmailAndSignIn,
  readEmailToken,
  requestEmailChange,
  resendVerification,
} from './email-verification.server.ts'
import type { SessionUser } from './permissions.ts'
import { generateToken, validateSessionToken } from './sessions.server.ts'
import { requestPasswordReset, resetPassword, signUp } from './users.server.ts'

let ipCounter = 0
function ip() {
  return `10.77.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`
}

/** The token of the last link of `template` mailed to `to`. */
async function tokenMailedTo(to: string, template = 'email_verify'): Promise<string> {
  const [mail] = await db
    .select({ text: emailOutbox.textBody })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, template)))
    .orderBy(desc(emailOutbox.id))
    .limit(1)
  const token = /(?:verify-email|reset-password)\/([a-z0-9]+)/.exec(mail?.text ?? '')?.[1]
  if (!token) throw new Error(`no ${template} link was mailed to ${to}`)
  return token
}

/** A member who signed up and has not confirmed yet, as the session would see them. */
async function signedUpMember(domain = 'example.com'): Promise<SessionUser & { password: string }> {
  return insertUser(db, { email: `new-${generateToken(6)}@${domain}`, emailVerifiedAt: null })
}

async function signUpAs(email: string) {
  const outcome = await signUp(db, {
    input: { email, displayName: 'Newcomer', password: 'violet-otter-compass-91', locale: 'en' },
    ip: ip(),
  })
  expect(outcome.ok).toBe(true)
  const [user] = await db.select().from(users).where(eq(users.email, email))
  return user!
}

test('the link confirms the address once, joins the account of its domain and signs the member in', async () => {
  const account = await insertAccount(db)
  const email = `aiko-${generateToken(4)}@${account.domains[0]}`
  const user = await signUpAs(email)
  const token = await tokenMailedTo(email)
  // Opening the page only reads the link: a mail scanner following it changes nothing.
  expect(await readEmailToken(db, token)).toMatchObject({ purpose: 'verify', email })
  expect((await db.select().from(users).where(eq(users.id, user.id)))[0]!.emailVerifiedAt).toBeNull()

  const confirmed = await confirmEmailAndSignIn(db, { token })
  expect(confirmed).toMatchObject({ ok: true, value: { purpose: 'verify', user: { emailVerified: true } } })
  if (!confirmed.ok) return
  expect(confirmed.value.user.accountId).toBe(account.id)
  expect(await validateSessionToken(db, confirmed.value.token)).not.toBeNull()
  const [row] = await db.select().from(users).where(eq(users.id, user.id))
  expect(row!.emailVerifiedAt).not.toBeNull()
  expect(row!.accountId).toBe(account.id)
  // Used up: a second click, even a concurrent one, is refused.
  expect(await confirmEmailAndSignIn(db, { token })).toMatchObject({ ok: false, code: 'identity.verify.link_invalid' })
  expect(await readEmailToken(db, token)).toBeNull()
  const audit = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.targetId, String(user.id)))
  expect(audit.map((a) => a.action)).toContain('user.email_verified')
})

test('two concurrent uses of one link: exactly one signs in', async () => {
  const email = `race-${generateToken(4)}@example.com`
  await signUpAs(email)
  const token = await tokenMailedTo(email)
  const results = await Promise.all([1, 2].map(() => confirmEmailAndSignIn(db, { token })))
  expect(results.filter((r) => r.ok)).toHaveLength(1)
})

test('an expired link, a made-up one and one for an address the member no longer has are refused', async () => {
  const email = `late-${generateToken(4)}@example.com`
  const user = await signUpAs(email)
  const token = await tokenMailedTo(email)
  await db
    .update(emailTokens)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(emailTokens.userId, user.id))
  expect(await confirmEmailAndSignIn(db, { token })).toMatchObject({ ok: false, code: 'identity.verify.link_invalid' })
  expect(await confirmEmailAndSignIn(db, { token: generateToken(32) })).toMatchObject({ ok: false })

  const moved = await signUpAs(`moved-${generateToken(4)}@example.com`)
  const movedToken = await tokenMailedTo(moved.email)
  await db
    .update(users)
    .set({ email: `elsewhere-${generateToken(4)}@example.com` })
    .where(eq(users.id, moved.id))
  expect(await confirmEmailAndSignIn(db, { token: movedToken })).toMatchObject({ ok: false })
})

test('until confirmed a member posts nothing, registers for nothing, files nothing and counts in no score', async () => {
  const author = await insertUser(db)
  const question = await insertQuestion(db, { author })
  const event = await insertEvent(db, { status: 'published' })
  const member = await signedUpMember()
  const refused = { ok: false, status: 403, code: 'identity.verify.required' }
  expect(
    await askQuestion(db, { user: member, input: { title: 'How do I export?', body: 'Please help.', tags: [] } }),
  ).toMatchObject(refused)
  expect(await postAnswer(db, { user: member, questionId: question.id, input: { body: 'Try this.' } })).toMatchObject(
    refused,
  )
  expect(
    await postComment(db, { user: member, input: { postType: 'question', postId: question.id, body: 'Same here.' } }),
  ).toMatchObject(refused)
  expect(await castVote(db, { user: member, postType: 'question', postId: question.id, choice: 'up' })).toMatchObject(
    refused,
  )
  expect(
    await flagPost(db, { user: member, input: { targetType: 'question', targetId: question.id, reason: 'spam' } }),
  ).toMatchObject(refused)
  expect(await registerForEvent(db, { user: member, eventId: event.id })).toMatchObject(refused)
  expect(
    await fileTicket(db, {
      user: member,
      input: {
        attempt: crypto.randomUUID(),
        subject: 'Export fails with an error',
        productArea: 'reporting',
        urgency: 'normal',
        description: 'The export button does nothing at all.',
        confirmed: '1',
      },
    }),
  ).toMatchObject(refused)
  // Whoever records a signal for them, it is not kept; once confirmed, it is.
  expect(await recordActivity(db, { type: 'visit_day', user: member, uniqueKey: `test:${member.id}:1` })).toBe(false)
  await adminVerifyEmail(db, { actor: await insertAdmin(db), userId: member.id })
  expect(await recordActivity(db, { type: 'visit_day', user: member, uniqueKey: `test:${member.id}:2` })).toBe(true)
  expect(await db.select().from(activityEvents).where(eq(activityEvents.userId, member.id))).toHaveLength(1)
})

test('sending the link again replaces the old one and is limited per member', async () => {
  const email = `again-${generateToken(4)}@example.com`
  const row = await signUpAs(email)
  const first = await tokenMailedTo(email)
  const member: SessionUser = { ...row, emailVerified: false }
  expect(await resendVerification(db, { user: member, ip: ip() })).toEqual({ ok: true, value: { sent: true } })
  const second = await tokenMailedTo(email)
  expect(second).not.toBe(first)
  expect(await readEmailToken(db, first)).toBeNull()
  expect(await readEmailToken(db, second)).not.toBeNull()
  for (let i = 0; i < 4; i++) await resendVerification(db, { user: member, ip: ip() })
  expect(await resendVerification(db, { user: member, ip: ip() })).toMatchObject({ ok: false, status: 429 })
  // A confirmed member has nothing to confirm.
  const confirmed = await insertUser(db)
  expect(await resendVerification(db, { user: confirmed, ip: ip() })).toEqual({ ok: true, value: { sent: false } })
})

test('a new address needs the password, becomes the member’s only through its link, and the old one is told', async () => {
  const account = await insertAccount(db)
  const member = await insertUser(db, { accountId: null })
  const newEmail = `moved-${generateToken(4)}@${account.domains[0]}`
  expect(await requestEmailChange(db, { user: member, newEmail, currentPassword: 'wrong', ip: ip() })).toMatchObject({
    ok: false,
    field: 'currentPassword',
  })
  expect(
    await requestEmailChange(db, { user: member, newEmail: member.email, currentPassword: FACTORY_PASSWORD, ip: ip() }),
  ).toMatchObject({ ok: false, code: 'identity.change_email.same' })
  expect(await requestEmailChange(db, { user: member, newEmail, currentPassword: FACTORY_PASSWORD, ip: ip() })).toEqual(
    { ok: true, value: { email: newEmail } },
  )
  // Nothing changes until the link is used.
  expect((await db.select().from(users).where(eq(users.id, member.id)))[0]!.email).toBe(member.email)
  const notice = await db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, member.email), eq(emailOutbox.template, 'email_change_notice')))
  expect(notice[0]?.textBody).toContain('mo***')
  expect(notice[0]?.textBody).not.toContain(newEmail)
  const confirmed = await confirmEmailAndSignIn(db, { token: await tokenMailedTo(newEmail, 'email_change') })
  expect(confirmed).toMatchObject({ ok: true, value: { purpose: 'change', user: { email: newEmail } } })
  const [row] = await db.select().from(users).where(eq(users.id, member.id))
  expect(row).toMatchObject({ email: newEmail, accountId: account.id })
})

test('asking for an address someone has answers the same; its owner is told and no link is made', async () => {
  const member = await insertUser(db)
  const owner = await insertUser(db)
  const outcome = await requestEmailChange(db, {
    user: member,
    newEmail: owner.email.toUpperCase(),
    currentPassword: FACTORY_PASSWORD,
    ip: ip(),
  })
  expect(outcome).toEqual({ ok: true, value: { email: owner.email } })
  const mails = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, owner.email))
  expect(mails.map((m) => m.template)).toEqual(['email_change_taken'])
  expect(await db.select().from(emailTokens).where(eq(emailTokens.userId, member.id))).toEqual([])
})

test('an address taken between the request and the click is refused at the click', async () => {
  const member = await insertUser(db)
  const newEmail = `contested-${generateToken(4)}@example.com`
  await requestEmailChange(db, { user: member, newEmail, currentPassword: FACTORY_PASSWORD, ip: ip() })
  const token = await tokenMailedTo(newEmail, 'email_change')
  await insertUser(db, { email: newEmail })
  expect(await confirmEmailAndSignIn(db, { token })).toMatchObject({
    ok: false,
    status: 409,
    code: 'identity.verify.address_taken',
  })
  expect((await db.select().from(users).where(eq(users.id, member.id)))[0]!.email).toBe(member.email)
})

test('admins confirm an address by hand, audited; staff cannot', async () => {
  const account = await insertAccount(db)
  const member = await signedUpMember(account.domains[0])
  expect(await adminVerifyEmail(db, { actor: await insertStaff(db), userId: member.id })).toMatchObject({
    ok: false,
    status: 403,
  })
  const admin = await insertAdmin(db)
  expect(await adminVerifyEmail(db, { actor: admin, userId: member.id })).toEqual({ ok: true, value: undefined })
  const [row] = await db.select().from(users).where(eq(users.id, member.id))
  expect(row!.emailVerifiedAt).not.toBeNull()
  expect(row!.accountId).toBe(account.id)
  const [entry] = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'user.email_verified'), eq(auditLog.targetId, String(member.id))))
  expect(entry).toMatchObject({ actorUserId: admin.id, details: { by: 'admin' } })
})

test('a password reset link proves the address: the member is confirmed and joins their account', async () => {
  const account = await insertAccount(db)
  const member = await signedUpMember(account.domains[0])
  await requestPasswordReset(db, { email: member.email, ip: ip() })
  const token = await tokenMailedTo(member.email, 'password_reset')
  expect(await resetPassword(db, { token, password: 'amber-kettle-orbit-77' })).toMatchObject({ ok: true })
  const [row] = await db.select().from(users).where(eq(users.id, member.id))
  expect(row!.emailVerifiedAt).not.toBeNull()
  expect(row!.accountId).toBe(account.id)
  const actions = (
    await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(member.id)))
  ).map((a) => a.action)
  expect(actions).toEqual(expect.arrayContaining(['user.password_reset_requested', 'user.password_reset']))
})

test('an account given a domain takes in its confirmed members only', async () => {
  const domain = `late-${generateToken(4)}.example`
  const confirmed = await insertUser(db, { email: `a@${domain}`, accountId: null })
  const unconfirmed = await insertUser(db, { email: `b@${domain}`, accountId: null, emailVerifiedAt: null })
  const created = await createAccount(db, {
    actor: await insertAdmin(db),
    input: {
      name: `Late ${domain}`,
      domains: [domain],
      plan: null,
      arr: null,
      arrCurrency: 'JPY',
      seats: null,
      contractStart: null,
      renewalDate: null,
      csmUserId: null,
      touchTierOverride: null,
    },
  })
  expect(created.ok).toBe(true)
  const rows = await db.select({ id: users.id, accountId: users.accountId }).from(users)
  expect(rows.find((r) => r.id === confirmed.id)?.accountId).not.toBeNull()
  expect(rows.find((r) => r.id === unconfirmed.id)?.accountId).toBeNull()
})
