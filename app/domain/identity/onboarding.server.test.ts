import { parseWithZod } from '@conform-to/zod/v4'
import { and, desc, eq } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { nextOnboardingSession } from '#app/domain/events/onboarding-sessions.server.ts'
import { registerForEvent } from '#app/domain/events/registrations.server.ts'
import { gettingStartedArticle } from '#app/domain/help/getting-started.server.ts'
import { askQuestion } from '#app/domain/qa/questions.server.ts'
import { deliverEmail } from '#app/lib/mail.server.ts'
import {
  insertAccount,
  insertAdmin,
  insertArticle,
  insertEvent,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { users } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { db } from '#tests/db.ts'
import { parseMail, startSmtpServer } from '#tests/smtp.ts'
import { adminVerifyEmail, confirmEmailAndSignIn } from './email-verification.server.ts'
import {
  dismissFirstSteps,
  type FirstStepTargets,
  getFirstSteps,
  readOnboardingSettings,
  updateOnboardingSettings,
  welcomeMember,
} from './onboarding.server.ts'
import {
  defaultOnboardingSettings,
  OnboardingFormSchema,
  onboardingFormValues,
  settingsFromOnboardingForm,
} from './onboarding.ts'
import type { SessionUser } from './permissions.ts'
import { generateToken } from './sessions.server.ts'
import { signUp, updatePreferences } from './users.server.ts'

let ipCounter = 0
function ip() {
  return `10.39.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`
}

async function welcomesTo(email: string) {
  return db
    .select({ subject: emailOutbox.subject, text: emailOutbox.textBody })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, 'welcome')))
}

const noTargets: FirstStepTargets = { article: null, webinar: null }

/** The staff form as the browser sends it. */
function submitForm(values: Record<string, string>) {
  const formData = new FormData()
  for (const [name, value] of Object.entries(values)) if (value !== '') formData.append(name, value)
  return parseWithZod(formData, { schema: OnboardingFormSchema })
}

test('a member is welcomed once, even when asked twice or twice at the same time', async () => {
  const member = await insertUser(db)
  const first = await db.transaction((tx) => welcomeMember(tx, member.id))
  expect(first).toEqual(expect.any(Number))
  expect(await db.transaction((tx) => welcomeMember(tx, member.id))).toBeNull()

  const racer = await insertUser(db)
  const raced = await Promise.all([1, 2].map(() => db.transaction((tx) => welcomeMember(tx, racer.id))))
  expect(raced.filter((id) => id !== null)).toHaveLength(1)
  expect(await welcomesTo(member.email)).toHaveLength(1)
  expect(await welcomesTo(racer.email)).toHaveLength(1)
  const [row] = await db.select({ welcomedAt: users.welcomedAt }).from(users).where(eq(users.id, member.id))
  expect(row?.welcomedAt).toBeInstanceOf(Date)
})

test('the welcome is in the member’s language, names them and links the first three steps', async () => {
  const hanako = await insertUser(db, { locale: 'ja', displayName: '佐藤 花子' })
  await db.transaction((tx) => welcomeMember(tx, hanako.id))
  const [mail] = await welcomesTo(hanako.email)
  expect(mail?.subject).toContain('ようこそ')
  expect(mail?.text).toContain('佐藤 花子 様')
  expect(mail?.text).toContain('/first-steps/profile')
  expect(mail?.text).toContain('/first-steps/article')
  expect(mail?.text).toContain('/first-steps/question')
  expect(mail?.text).not.toContain('/first-steps/webinar')
  expect(mail?.text).not.toContain('{')

  const alex = await insertUser(db, { locale: 'en', displayName: 'Alex Doe' })
  await db.transaction((tx) => welcomeMember(tx, alex.id))
  const [english] = await welcomesTo(alex.email)
  expect(english?.subject).toBe('Welcome to the Community')
  expect(english?.text).toMatch(/^Hello Alex Doe,/)
})

test('the welcome reaches the member through a real SMTP server, with a text and an HTML part', async () => {
  const smtp = await startSmtpServer()
  const transport = nodemailer.createTransport(smtp.url)
  try {
    const hanako = await insertUser(db, { locale: 'ja', displayName: '高橋 花子' })
    const id = await db.transaction((tx) => welcomeMember(tx, hanako.id))
    expect(await deliverEmail(db, id!, transport)).toBe('sent')
    const [received] = await smtp.waitFor(1)
    expect(received!.to).toEqual([hanako.email])
    const mail = parseMail(received!.raw)
    expect(mail.text).toContain('高橋 花子 様')
    expect(mail.text).toContain('/first-steps/profile')
    expect(mail.html).toContain('高橋 花子 様')
    expect(mail.html).toMatch(/<a href="[^"]*\/first-steps\/profile"/)
    // Nothing to turn off: the welcome goes once and carries no unsubscribe header.
    expect(mail.headers['list-unsubscribe']).toBeUndefined()
  } finally {
    transport.close()
    await smtp.close()
  }
})

test('no welcome for an unconfirmed, a disabled or a staff user', async () => {
  const unconfirmed = await insertUser(db, { emailVerifiedAt: null })
  const disabled = await insertUser(db, { disabledAt: new Date() })
  const staff = await insertStaff(db)
  for (const user of [unconfirmed, disabled, staff]) {
    expect(await db.transaction((tx) => welcomeMember(tx, user.id))).toBeNull()
    expect(await welcomesTo(user.email)).toHaveLength(0)
  }
})

test('confirming the address welcomes the member once; an admin confirming by hand does too', async () => {
  const email = `welcome-${generateToken(4)}@example.com`
  const signedUp = await signUp(db, {
    input: { email, displayName: 'Newcomer', password: 'violet-otter-compass-91', locale: 'en' },
    ip: ip(),
  })
  expect(signedUp.ok).toBe(true)
  const [link] = await db
    .select({ text: emailOutbox.textBody })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, 'email_verify')))
    .orderBy(desc(emailOutbox.id))
  const token = /verify-email\/([a-z0-9]+)/.exec(link?.text ?? '')?.[1] ?? ''
  expect(await confirmEmailAndSignIn(db, { token })).toMatchObject({ ok: true })
  expect(await welcomesTo(email)).toHaveLength(1)

  const admin = await insertAdmin(db)
  const waiting = await insertUser(db, { emailVerifiedAt: null })
  expect(await adminVerifyEmail(db, { actor: admin, userId: waiting.id })).toMatchObject({ ok: true })
  expect(await adminVerifyEmail(db, { actor: admin, userId: waiting.id })).toMatchObject({ ok: true })
  expect(await welcomesTo(waiting.email)).toHaveLength(1)
})

test('the checklist ticks each step from the member’s own ledger rows, in their language and order', async () => {
  const account = await insertAccount(db)
  const member = await insertUser(db, { accountId: account.id })
  const other = await insertUser(db, { accountId: account.id })
  const article = await insertArticle(db)
  const translation = await insertArticle(db, { locale: 'ja', translationGroup: article.id })
  const webinar = await insertEvent(db, { onboarding: true, startsAt: new Date(Date.now() + 3 * 86_400_000) })
  const ordinary = await insertEvent(db, { startsAt: new Date(Date.now() + 86_400_000) })
  const targets: FirstStepTargets = {
    article: await gettingStartedArticle(db, { articleId: article.id, locale: 'ja' }),
    webinar: await nextOnboardingSession(db, { user: member }),
  }
  expect(targets.article?.ids.sort()).toEqual([article.id, translation.id].sort())
  expect(targets.article?.path).toContain(translation.slug)
  expect(targets.webinar?.id).toBe(webinar.id)

  const start = await getFirstSteps(db, { user: member, targets })
  expect(start).toMatchObject({ done: 0, total: 4, allDone: false })
  expect(start?.steps.map((step) => step.kind)).toEqual(['profile', 'article', 'question', 'webinar'])
  expect(start?.steps.find((step) => step.kind === 'webinar')?.href).toBe(`/events/${webinar.id}`)

  // Someone else's rows, another article and an ordinary event tick nothing.
  await updatePreferences(db, { user: other, input: { displayName: 'Other', locale: 'en', timeZone: 'UTC' } })
  await recordActivity(db, { type: 'article_viewed', user: member, subject: { type: 'article', id: 999_999 } })
  expect(await registerForEvent(db, { user: member, eventId: ordinary.id })).toMatchObject({ ok: true })
  expect(await getFirstSteps(db, { user: member, targets })).toMatchObject({ done: 0 })

  await updatePreferences(db, { user: member, input: { displayName: 'Member', locale: 'en', timeZone: 'Asia/Tokyo' } })
  await updatePreferences(db, { user: member, input: { displayName: 'Member', locale: 'en', timeZone: 'UTC' } })
  await recordActivity(db, { type: 'article_viewed', user: member, subject: { type: 'article', id: translation.id } })
  expect(await getFirstSteps(db, { user: member, targets })).toMatchObject({ done: 2 })

  const asked = await askQuestion(db, {
    user: member,
    input: { title: 'How do I invite my team?', body: 'Where is the invite button?', tags: [] },
  })
  expect(asked.ok).toBe(true)
  expect(await registerForEvent(db, { user: member, eventId: webinar.id })).toMatchObject({ ok: true })
  const finished = await getFirstSteps(db, { user: member, targets })
  expect(finished).toMatchObject({ done: 4, total: 4, allDone: true })
  expect(finished?.steps.every((step) => step.done)).toBe(true)

  // In Japanese for a Japanese reader.
  const ja = await getFirstSteps(db, { user: { ...member, locale: 'ja' }, targets })
  expect(ja?.steps[0]?.title).toBe('プロフィールを登録する')
})

test('the checklist is hidden once dismissed, and never shown to staff or the unconfirmed', async () => {
  const member = await insertUser(db)
  expect(await getFirstSteps(db, { user: member, targets: noTargets })).not.toBeNull()
  await dismissFirstSteps(db, member)
  const [first] = await db.select({ at: users.onboardingDismissedAt }).from(users).where(eq(users.id, member.id))
  await dismissFirstSteps(db, member)
  const [second] = await db.select({ at: users.onboardingDismissedAt }).from(users).where(eq(users.id, member.id))
  expect(second?.at?.getTime()).toBe(first?.at?.getTime())
  expect(await getFirstSteps(db, { user: member, targets: noTargets })).toBeNull()

  const staff = await insertStaff(db)
  expect(await getFirstSteps(db, { user: staff, targets: noTargets })).toBeNull()
  const unconfirmed: SessionUser = { ...(await insertUser(db, { emailVerifiedAt: null })), emailVerified: false }
  expect(await getFirstSteps(db, { user: unconfirmed, targets: noTargets })).toBeNull()
})

test('staff change the steps and the email; the order, the off switch and the new text reach members', async () => {
  const staff = await insertStaff(db)
  const member = await insertUser(db)
  const article = await insertArticle(db)
  const values = onboardingFormValues(defaultOnboardingSettings)
  const submission = submitForm({
    ...values,
    profileEnabled: 'on',
    articleEnabled: 'on',
    questionEnabled: '',
    webinarEnabled: 'on',
    webinarPosition: '1',
    profilePosition: '2',
    articlePosition: '3',
    questionPosition: '4',
    webinarTitleEn: 'Join a live tour',
    articleId: String(article.id),
    subjectEn: 'Hello {name}, welcome aboard',
  })
  if (submission.status !== 'success') throw new Error(JSON.stringify(submission.reply().error))
  const form = submission.value
  const saved = await updateOnboardingSettings(db, { actor: staff, settings: settingsFromOnboardingForm(form) })
  expect(saved).toMatchObject({ ok: true, value: { changed: true } })
  expect(
    await updateOnboardingSettings(db, { actor: staff, settings: settingsFromOnboardingForm(form) }),
  ).toMatchObject({ ok: true, value: { changed: false } })
  const settings = await readOnboardingSettings(db)
  expect(settings.articleId).toBe(article.id)

  const steps = await getFirstSteps(db, { user: member, targets: noTargets })
  expect(steps?.steps.map((step) => step.kind)).toEqual(['webinar', 'profile', 'article'])
  expect(steps?.steps[0]?.title).toBe('Join a live tour')
  await db.transaction((tx) => welcomeMember(tx, member.id))
  const [mail] = await welcomesTo(member.email)
  expect(mail?.subject).toBe(`Hello ${member.displayName}, welcome aboard`)
  expect(mail?.text).toContain('Join a live tour')

  // A member may not; an unpublished article is refused.
  expect(await updateOnboardingSettings(db, { actor: member, settings })).toMatchObject({ ok: false, status: 403 })
  const draft = await insertArticle(db, { status: 'draft' })
  expect(
    await updateOnboardingSettings(db, { actor: staff, settings: { ...settings, articleId: draft.id } }),
  ).toMatchObject({ ok: false, code: 'onboarding.validation.article_invalid', field: 'articleId' })
})

test('the form refuses an empty title and an unknown placeholder with their own messages', () => {
  const values = onboardingFormValues(defaultOnboardingSettings)
  const submission = submitForm({ ...values, profileTitleEn: '   ', bodyJa: '{nmae} 様', articlePosition: '9' })
  expect(submission.status).toBe('error')
  expect(submission.reply().error).toMatchObject({
    profileTitleEn: ['onboarding.validation.title_required'],
    bodyJa: ['onboarding.validation.placeholder_unknown'],
    articlePosition: ['onboarding.validation.position_invalid'],
  })
})

test('saving the form as shown changes nothing, though a browser sends line breaks as CRLF', async () => {
  const staff = await insertStaff(db)
  const values = onboardingFormValues(await readOnboardingSettings(db))
  const asSent = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value.replace(/\n/g, '\r\n')]))
  const submission = submitForm(asSent)
  if (submission.status !== 'success') throw new Error(JSON.stringify(submission.reply().error))
  expect(
    await updateOnboardingSettings(db, { actor: staff, settings: settingsFromOnboardingForm(submission.value) }),
  ).toMatchObject({ ok: true, value: { changed: false } })
})
