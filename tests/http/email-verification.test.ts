import { and, count, desc, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { insertEvent, insertUser } from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { type AppServer, type Reply, startApp, Visitor } from './app-server.ts'
import { issuedSubmissionKey } from './forms.ts'
import { personaEmails } from './personas.ts'

// Only people who own an address join the customer account of its domain. A stranger signing up as
// someone@bluebird.example (Bob's company) gets nothing of Bluebird's until the link mailed to that
// address is opened: not its restricted events, not a voice in its health score. Sign-up answers the
// same for a registered address, whose owner is mailed instead.

let app: AppServer
let admin: Visitor
const run = Date.now().toString(36)
const password = 'a long and unusual passphrase'

beforeAll(async () => {
  app = await startApp({ env: { RATE_LIMITS: 'off' } })
  admin = await new Visitor(app).signIn(personaEmails.admin)
})

afterAll(async () => {
  await app?.stop()
})

/** The page without what differs on every answer (nonces, the CSRF-free form ids). */
function normalized(reply: Reply): string {
  return reply.text.replace(/nonce="[^"]*"|'nonce-[^']*'/g, '').replace(/\s+/g, ' ')
}

async function linkMailedTo(email: string, template: string): Promise<string> {
  const [mail] = await db
    .select({ text: emailOutbox.textBody })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, template)))
    .orderBy(desc(emailOutbox.id))
    .limit(1)
  const link = /https?:\/\/\S+\/verify-email\/[a-z0-9]+/.exec(mail?.text ?? '')?.[0]
  if (!link) throw new Error(`no ${template} link was mailed to ${email}`)
  return new URL(link).pathname
}

async function userRow(email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email))
  return row
}

async function bluebird() {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, 'Bluebird Studio'))
  return row!.id
}

test('a stranger signing up with a company address gets nothing of the company until the address is confirmed', async () => {
  const email = `stranger-${run}@bluebird.example`
  const restricted = await insertEvent(db, {
    status: 'published',
    title: `Bluebird roadmap ${run}`,
    audience: 'restricted',
    audienceAccountIds: [await bluebird()],
  })
  const visitor = new Visitor(app)
  const signup = await visitor.post('/signup', { email, displayName: 'Stranger', password })
  expect(signup.status).toBe(200)
  expect(signup.text).toContain('Check your inbox')
  expect(visitor.sessionToken).toBeUndefined()
  expect(await userRow(email)).toMatchObject({ accountId: null, emailVerifiedAt: null })

  // They may sign in and read, and are told what to do…
  await visitor.signIn(email, password)
  const home = await visitor.get('/')
  expect(home.text).toContain('Confirm your email address.')
  // …but Bluebird's restricted event stays hidden, and nothing they do counts or posts.
  expect((await visitor.get(`/events/${restricted.id}`)).status).toBe(404)
  const asked = await visitor.post('/questions/new', {
    submissionKey: await issuedSubmissionKey(visitor, '/questions/new'),
    intent: 'ask',
    title: `A question from an unconfirmed member ${run}`,
    body: 'Can I post before I confirm my address? I would like to know.',
    tags: 'account',
  })
  expect(asked.status).toBe(403)
  expect(asked.text).toContain('Confirm your email address first')
  expect(asked.text).toContain(`A question from an unconfirmed member ${run}`)
  const [posted] = await db
    .select({ n: count() })
    .from(questions)
    .where(eq(questions.title, `A question from an unconfirmed member ${run}`))
  expect(posted!.n).toBe(0)
  const row = await userRow(email)
  const [signals] = await db.select({ n: count() }).from(activityEvents).where(eq(activityEvents.userId, row!.id))
  expect(signals!.n).toBe(0)

  // The link: opening it changes nothing; confirming signs in and joins Bluebird.
  const link = await linkMailedTo(email, 'email_verify')
  const page = await new Visitor(app).get(link)
  expect(page.status).toBe(200)
  expect(page.text).toContain(email)
  expect((await userRow(email))!.emailVerifiedAt).toBeNull()
  const clicker = new Visitor(app)
  const confirmed = await clicker.post(link, {})
  expect(confirmed.status).toBe(302)
  expect(confirmed.location).toBe('/?welcome=1')
  expect(clicker.sessionToken).toBeTruthy()
  expect(await userRow(email)).toMatchObject({ accountId: await bluebird() })
  expect((await clicker.get('/?welcome=1')).text).toContain('Your email address is confirmed')
  expect((await clicker.get(`/events/${restricted.id}`)).status).toBe(200)
  // The link works once.
  expect((await new Visitor(app).post(link, {})).status).toBe(400)
})

test('sign-up answers a registered address exactly as a new one, and mails its owner instead', async () => {
  const bob = personaEmails.member
  const before = await db.select().from(users).where(eq(users.email, bob))
  const [mailsBefore] = await db.select({ n: count() }).from(emailOutbox).where(eq(emailOutbox.toAddress, bob))
  const taken = await new Visitor(app).post('/signup', { email: bob.toUpperCase(), displayName: 'Bob?', password })
  const fresh = await new Visitor(app).post('/signup', {
    email: `fresh-${run}@signup.example`,
    displayName: 'Bob?',
    password,
  })
  expect(taken.status).toBe(fresh.status)
  expect(taken.headers.get('set-cookie')).toBe(fresh.headers.get('set-cookie'))
  expect(normalized(taken).replaceAll(bob, 'EMAIL')).toBe(
    normalized(fresh).replaceAll(`fresh-${run}@signup.example`, 'EMAIL'),
  )
  expect(await db.select().from(users).where(eq(users.email, bob))).toEqual(before)
  const [mailsAfter] = await db.select({ n: count() }).from(emailOutbox).where(eq(emailOutbox.toAddress, bob))
  expect(mailsAfter!.n).toBe(mailsBefore!.n + 1)
})

test('a new address is the member’s only once its link is opened; the old address hears of it', async () => {
  const { email, password: factoryPassword } = await insertUser(db, { email: `mover-${run}@example.com` })
  const member = await new Visitor(app).signIn(email, factoryPassword)
  const newEmail = `mover-${run}@moved.example`
  const wrong = await member.post('/settings', { intent: 'change-email', email: newEmail, currentPassword: 'nope' })
  expect(wrong.status).toBe(400)
  expect(wrong.text).toContain(newEmail)
  const asked = await member.post('/settings', {
    intent: 'change-email',
    email: newEmail,
    currentPassword: factoryPassword,
  })
  expect(asked.status).toBe(200)
  expect(asked.text).toContain(`We sent a link to ${newEmail}`)
  expect((await userRow(email))?.email).toBe(email)
  const [notice] = await db
    .select({ n: count() })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, 'email_change_notice')))
  expect(notice!.n).toBe(1)
  const confirmed = await member.post(await linkMailedTo(newEmail, 'email_change'), {})
  expect(confirmed.location).toBe('/settings?saved=email')
  expect((await member.get('/settings?saved=email')).text).toContain(newEmail)
  expect(await userRow(newEmail)).toBeTruthy()
})

test('an admin confirms an address by hand; the demo users are confirmed', async () => {
  const { id, email } = await insertUser(db, { email: `byhand-${run}@bluebird.example`, emailVerifiedAt: null })
  const page = await admin.get(`/admin/users/${id}`)
  expect(page.text).toContain('Not confirmed')
  const done = await admin.post(`/admin/users/${id}`, { intent: 'verify-email' })
  expect(done.location).toBe(`/admin/users/${id}?done=verified`)
  expect(await userRow(email)).toMatchObject({ accountId: await bluebird() })
  expect((await userRow(email))!.emailVerifiedAt).not.toBeNull()
  // A member may not.
  const member = await new Visitor(app).signIn(personaEmails.member)
  expect((await member.post(`/admin/users/${id}`, { intent: 'verify-email' })).status).toBe(403)
  // Every demo sign-in is a confirmed address.
  const demo = await db
    .select({ email: users.email, verified: users.emailVerifiedAt })
    .from(users)
    .where(inArray(users.email, Object.values(personaEmails)))
  expect(demo).toHaveLength(Object.values(personaEmails).length)
  expect(demo.filter((row) => !row.verified)).toEqual([])
})
