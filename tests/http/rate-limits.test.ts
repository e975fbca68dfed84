import { and, count, eq, sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { anonymousFeedbackLimit } from '#app/domain/help/feedback.server.ts'
import { postingInterval } from '#app/domain/qa/limits.server.ts'
import { type RateRule, rateRules } from '#app/lib/rate-limit.server.ts'
import { DEMO_PASSWORD } from '#app/server/seed/demo.server.ts'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { drafts } from '#db/schema/editor.ts'
import { articleFeedback } from '#db/schema/help.ts'
import { passwordResetTokens, sessions, users } from '#db/schema/identity.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { questions } from '#db/schema/qa.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { type AppServer, type Reply, startApp, Visitor } from './app-server.ts'
import { escapeHtml, issuedAttemptKey, issuedSubmissionKey } from './forms.ts'
import { demoObjects, personaEmails } from './personas.ts'

// Every rate limit of app/lib/rate-limit.server.ts, driven through the real route until it is passed:
// the answer is 429 with a Retry-After within the rule's window, a translated message, the form shown
// again with what was typed, and nothing done (no user, session, ticket, reset link or lookup). The
// app trusts X-Forwarded-For here, so each rule's requests come from an address of their own.

type RuleName = keyof typeof rateRules

let app: AppServer

beforeAll(async () => {
  // The rules are driven all at once, dozens of requests in flight on a small machine: load shedding
  // (tests/http/overload.test.ts) would rightly refuse some, so it is off for this file.
  app = await startApp({ env: { TRUST_PROXY: 'true', OVERLOAD_DELAY_MS: 'off', MAX_IN_FLIGHT: 'off' } })
})

afterAll(async () => {
  await app?.stop()
})

/** A client at an address of its own. */
function from(ip: string) {
  const visitor = new Visitor(app)
  const headers = { 'x-forwarded-for': ip }
  return {
    visitor,
    post: (path: string, form: Record<string, string>, extra: Record<string, string> = {}) =>
      visitor.post(path, form, { ...headers, ...extra }),
  }
}

/** Runs `count` requests, `concurrency` at a time, and returns their replies in order. */
async function times(n: number, request: (i: number) => Promise<Reply>, concurrency = 8): Promise<Reply[]> {
  const replies: Reply[] = new Array(n)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++
        replies[i] = await request(i)
      }
    }),
  )
  return replies
}

function statuses(replies: Reply[]): number[] {
  return [...new Set(replies.map((reply) => reply.status))]
}

/** What every refusal must show. */
function expectRefusal(reply: Reply, rule: RateRule, message: string) {
  expect(reply.status, reply.text.slice(0, 300)).toBe(429)
  const retryAfter = reply.headers.get('retry-after')
  expect(retryAfter).toMatch(/^\d+$/)
  expect(Number(retryAfter)).toBeGreaterThan(0)
  expect(Number(retryAfter)).toBeLessThanOrEqual(rule.windowSeconds)
  expect(reply.text).toContain(message)
}

/** The re-shown form keeps the typed value. */
function expectKept(reply: Reply, value: string) {
  expect(reply.text).toContain(`value="${escapeHtml(value)}"`)
}

async function userId(email: string): Promise<number> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email))
  if (!row) throw new Error(`no demo user ${email}`)
  return row.id
}

async function sessionsOf(email: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(sessions)
    .where(eq(sessions.userId, await userId(email)))
  return row!.n
}

async function usersWith(email: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
  return row!.n
}

async function mailsTo(email: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(emailOutbox).where(eq(emailOutbox.toAddress, email))
  return row!.n
}

async function resetTokensOf(email: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(passwordResetTokens)
    .where(eq(passwordResetTokens.userId, await userId(email)))
  return row!.n
}

/** "Please try again in N minutes" for the rule's window, in the reader's language. */
function minutesMessage(rule: RateRule, lang: 'en' | 'ja') {
  const minutes = rule.windowSeconds / 60
  return lang === 'ja'
    ? `短時間に操作が繰り返されたため、一時的に制限しています。${minutes} 分後にもう一度お試しください。`
    : `Too many attempts. Please try again in ${minutes} minutes.`
}

const run = Date.now().toString(36)

/** How to pass each rule through HTTP. The record is typed by the rules, and the test below fails at
 *  run time too, should a rule be added without a way to drive it. */
const drivers: Record<RuleName, (rule: RateRule) => Promise<void>> = {
  async loginPerIp(rule) {
    // Failed sign-ins for as many different emails as the limit allows, from one address…
    const client = from('203.0.113.10')
    const failed = await times(rule.limit, (i) =>
      client.post('/login', { email: `nobody-${run}-${i}@ip.example`, password: 'not the password' }),
    )
    expect(statuses(failed)).toEqual([401])
    // …then the right password of a real account from that address is refused before it is checked.
    const before = await sessionsOf(personaEmails.staff)
    const refused = await client.post('/login', { email: personaEmails.staff, password: DEMO_PASSWORD })
    expectRefusal(refused, rule, minutesMessage(rule, 'en'))
    expectKept(refused, personaEmails.staff)
    expect(refused.headers.get('set-cookie') ?? '').not.toContain('ct_session=')
    expect(await sessionsOf(personaEmails.staff)).toBe(before)
  },

  async loginPerEmailAndIp(rule) {
    // One address guessing one account's password: slowed, then refused there…
    const email = personaEmails.other
    const guesser = from('198.51.100.7')
    const failed: Reply[] = []
    for (let i = 0; i < rule.limit; i++) failed.push(await guesser.post('/login', { email, password: `guess ${i}` }))
    expect(statuses(failed)).toEqual([401])
    const before = await sessionsOf(email)
    const refused = await guesser.post('/login', { email, password: DEMO_PASSWORD }, { 'accept-language': 'ja' })
    expectRefusal(refused, rule, minutesMessage(rule, 'ja'))
    expectKept(refused, email)
    expect(await sessionsOf(email)).toBe(before)
    // …while the owner, at an address that was not guessing, signs in.
    const owner = await from('198.51.100.8').post('/login', { email, password: DEMO_PASSWORD })
    expect(owner.status).toBe(302)
    expect(await sessionsOf(email)).toBe(before + 1)
  },

  async loginPerEmail(rule) {
    // The owner signed in on this browser before: it carries a device cookie.
    const { email, password } = await insertUser(db, { email: `spread-${run}@login.example` })
    const ownerBrowser = from('198.51.100.250')
    expect((await ownerBrowser.post('/login', { email, password })).status).toBe(302)
    await ownerBrowser.post('/logout', {})
    // Guesses for the account from as many addresses as the limit, each address only once.
    const failed = await times(rule.limit, (i) =>
      from(`100.${64 + Math.floor(i / 250)}.${i % 250}.9`).post('/login', { email, password: 'not the password' }),
    )
    expect(statuses(failed)).toEqual([401])
    // A browser that never signed in to it, at a fresh address, is refused even with the password…
    const stranger = await from('198.51.100.251').post('/login', { email, password })
    expectRefusal(stranger, rule, minutesMessage(rule, 'en'))
    expectKept(stranger, email)
    // …and the owner's browser is not.
    expect((await ownerBrowser.post('/login', { email, password })).status).toBe(302)
  },

  async loginPerDevice(rule) {
    const { email, password } = await insertUser(db, { email: `device-${run}@login.example` })
    const browser = from('198.51.100.240')
    expect((await browser.post('/login', { email, password })).status).toBe(302)
    // Signed out again, the browser keeps its device cookie.
    await browser.post('/logout', {})
    const failed: Reply[] = []
    for (let i = 0; i < rule.limit; i++) failed.push(await browser.post('/login', { email, password: `typo ${i}` }))
    expect(statuses(failed)).toEqual([401])
    const refused = await browser.post('/login', { email, password })
    expectRefusal(refused, rule, minutesMessage(rule, 'en'))
    // Another browser elsewhere is not held up by this one.
    expect((await from('198.51.100.241').post('/login', { email, password })).status).toBe(302)
  },

  async signupNoticePerEmail(rule) {
    // Signing up again and again with a registered address: the same answer every time; its owner hears
    // of it a few times, not a hundred.
    const { email } = await insertUser(db, { email: `notice-${run}@signup.example` })
    const form = { email, displayName: 'Someone', password: 'a long and unusual passphrase' }
    const replies = await times(rule.limit + 2, (i) => from(`203.0.113.${60 + i}`).post('/signup', form), 1)
    expect(statuses(replies)).toEqual([200])
    expect(new Set(replies.map((reply) => reply.text.replace(/nonce="[^"]*"|nonce-[^' ]*/g, ''))).size).toBe(1)
    const [row] = await db
      .select({ n: count() })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, 'signup_existing')))
    expect(row!.n).toBe(rule.limit)
  },

  async verificationPerUser(rule) {
    const { email, password } = await insertUser(db, { email: `resend-${run}@verify.example`, emailVerifiedAt: null })
    const member = from('203.0.113.80')
    expect((await member.post('/login', { email, password })).status).toBe(302)
    const sent = await times(rule.limit, () => member.post('/verify-email', { redirectTo: '/' }), 1)
    expect(statuses(sent)).toEqual([302])
    const before = await mailsTo(email)
    // The member's language is their setting (English), whatever the browser asks for.
    const refused = await member.post('/verify-email', { redirectTo: '/' }, { 'accept-language': 'ja' })
    expectRefusal(refused, rule, minutesMessage(rule, 'en'))
    expect(refused.text).toContain('role="alert"')
    expect(await mailsTo(email)).toBe(before)
  },

  async verificationPerIp(rule) {
    // Several unconfirmed members behind one address, each below their own limit.
    const perMember = rateRules.verificationPerUser.limit - 1
    const members = await Promise.all(
      Array.from({ length: Math.ceil(rule.limit / perMember) + 1 }, (_, i) =>
        insertUser(db, { email: `office-${run}-${i}@verify.example`, emailVerifiedAt: null }),
      ),
    )
    const clients = members.map(() => from('203.0.113.90'))
    for (const [i, member] of members.entries()) {
      expect((await clients[i]!.post('/login', { email: member.email, password: member.password })).status).toBe(302)
    }
    let sent = 0
    for (const [i] of members.entries()) {
      for (let n = 0; n < perMember && sent < rule.limit; n++, sent++) {
        expect((await clients[i]!.post('/verify-email', { redirectTo: '/' })).status).toBe(302)
      }
    }
    const last = members.at(-1)!
    const before = await mailsTo(last.email)
    const refused = await clients.at(-1)!.post('/verify-email', { redirectTo: '/' })
    expectRefusal(refused, rule, minutesMessage(rule, 'en'))
    expect(await mailsTo(last.email)).toBe(before)
  },

  async signupPerIp(rule) {
    const client = () => from('203.0.113.20')
    const form = (i: number | string) => ({
      email: `new-${run}-${i}@signup.example`,
      displayName: `New member ${i}`,
      password: 'a long and unusual passphrase',
    })
    const created = await times(rule.limit, (i) => client().post('/signup', form(i)))
    expect(statuses(created)).toEqual([200])
    const refused = await client().post('/signup', form('over'))
    expectRefusal(refused, rule, minutesMessage(rule, 'en'))
    expectKept(refused, form('over').email)
    expectKept(refused, form('over').displayName)
    expect(refused.text).not.toContain(form('over').password)
    expect(await usersWith(form('over').email)).toBe(0)
  },

  async passwordResetPerEmail(rule) {
    const email = personaEmails.member
    const sent = await times(rule.limit, (i) => from(`192.0.2.${i + 1}`).post('/forgot-password', { email }))
    expect(statuses(sent)).toEqual([200])
    const before = await resetTokensOf(email)
    expect(before).toBe(rule.limit)
    const refused = await from('192.0.2.200').post('/forgot-password', { email })
    expectRefusal(refused, rule, minutesMessage(rule, 'en'))
    expectKept(refused, email)
    expect(await resetTokensOf(email)).toBe(before)
  },

  async passwordResetPerIp(rule) {
    const client = from('203.0.113.30')
    const sent = await times(rule.limit, (i) =>
      client.post('/forgot-password', { email: `unknown-${run}-${i}@reset.example` }),
    )
    expect(statuses(sent)).toEqual([200])
    // A real account, asked for the first time, but from the address that has used up its limit.
    const email = personaEmails.admin
    const before = await resetTokensOf(email)
    const refused = await client.post('/forgot-password', { email })
    expectRefusal(refused, rule, minutesMessage(rule, 'en'))
    expectKept(refused, email)
    expect(await resetTokensOf(email)).toBe(before)
  },

  async ticketsPerUser(rule) {
    const member = await new Visitor(app).signIn(personaEmails.member)
    const memberId = await userId(personaEmails.member)
    const form = (subject: string, attempt: string) => ({
      attempt,
      subject,
      description: 'The export to CSV stops halfway through; this is a test request.',
      productArea: 'reporting',
      urgency: 'normal',
      confirmed: '1',
    })
    const ticketsOfMember = async () => {
      const [row] = await db.select({ n: count() }).from(tickets).where(eq(tickets.userId, memberId))
      return row!.n
    }
    const start = await ticketsOfMember()
    const keys = await Promise.all(Array.from({ length: rule.limit + 1 }, () => issuedAttemptKey(member)))
    const sent = await times(rule.limit, (i) =>
      member.post('/support/new', form(`Export request ${run} ${i}`, keys[i]!)),
    )
    expect(statuses(sent)).toEqual([303])
    expect(await ticketsOfMember()).toBe(start + rule.limit)
    const over = form(`One request too many ${run}`, keys[rule.limit]!)
    const refused = await member.post('/support/new', over)
    expectRefusal(refused, rule, 'You have sent many requests in the last hour. Please try again in')
    expectKept(refused, over.subject)
    expect(refused.text).toContain(over.description)
    expect(await ticketsOfMember()).toBe(start + rule.limit)
  },

  async supportSuggestPerUser(rule) {
    // The staff demo user reads Japanese (their setting), which the JSON message follows.
    const member = await new Visitor(app).signIn(personaEmails.staff)
    const attempt = await issuedAttemptKey(member)
    const suggest = (key: string, q: string) =>
      member.request('POST', '/support/suggest', { form: { attempt: key, q } })
    const allowed = await times(rule.limit, (i) => suggest(attempt, `export ${i}`), 16)
    expect(statuses(allowed)).toEqual([200])
    // A lookup over the limit is refused as JSON (the contact form's script keeps what was typed) and
    // records nothing: its attempt is never written.
    const refusedAttempt = await issuedAttemptKey(member)
    const refused = await suggest(refusedAttempt, 'export')
    expectRefusal(
      refused,
      rule,
      '短時間に検索が続いたため、候補を表示できませんでした。少し時間をおいてからもう一度お試しください。',
    )
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'support.errors.too_fast' } })
    const [row] = await db
      .select({ n: count() })
      .from(deflectionAttempts)
      .where(and(eq(deflectionAttempts.key, refusedAttempt.split('.')[0]!)))
    expect(row!.n).toBe(0)
  },
  async supportActionsPerUser(rule) {
    // Opening suggestions of one attempt over and over: a script, not a person reading.
    const member = await new Visitor(app).signIn('ken@acme.example')
    const key = await issuedAttemptKey(member)
    const suggested = await member.request('POST', '/support/suggest', { form: { attempt: key, q: 'export report' } })
    const doc = (JSON.parse(suggested.text) as { suggestions: { doc: string }[] }).suggestions[0]?.doc
    expect(doc).toBeTruthy()
    const open = () => member.post('/support/open', { attempt: key, doc: doc!, mode: 'inline' })
    const allowed = await times(rule.limit, open, 4)
    expect(statuses(allowed)).toEqual([200])
    const refused = await open()
    expectRefusal(refused, rule, '短時間に多くの候補が開かれたため、一時的にご利用いただけません。')
  },

  async supportSolvedPerUser(rule) {
    // Marking suggestions as the answer, attempt after attempt: each would be a deflection in the
    // figures, so a member's day has a cap.
    const member = await new Visitor(app).signIn('mei@acme.example')
    const memberId = await userId('mei@acme.example')
    const solve = async () => {
      const key = await issuedAttemptKey(member)
      const suggested = await member.request('POST', '/support/suggest', { form: { attempt: key, q: 'export report' } })
      const doc = (JSON.parse(suggested.text) as { suggestions: { doc: string }[] }).suggestions[0]!.doc
      return member.post('/support/new', { intent: 'solved', attempt: key, doc })
    }
    const solved = await times(rule.limit, solve, 1)
    expect(statuses(solved)).toEqual([303])
    const explicit = async () => {
      const [row] = await db
        .select({ n: count() })
        .from(deflectionAttempts)
        .where(and(eq(deflectionAttempts.userId, memberId), eq(deflectionAttempts.outcome, 'explicit')))
      return row!.n
    }
    const before = await explicit()
    const refused = await solve()
    expectRefusal(refused, rule, '短時間に多くの候補が開かれたため、一時的にご利用いただけません。')
    expect(await explicit()).toBe(before)
  },

  async previewPerUser(rule) {
    // A member no other rule here signs in; Yui reads Japanese (her setting), which the message follows.
    const member = await new Visitor(app).signIn('yui@sakura-tech.example')
    const preview = (body: string) =>
      member.post('/questions/new', { title: 'Previewing often', body, intent: 'preview' })
    const allowed = await times(rule.limit, (i) => preview(`Draft number **${i}**`), 4)
    expect(statuses(allowed)).toEqual([200])
    const body = 'One preview **too many**, kept as typed'
    const refused = await preview(body)
    expectRefusal(refused, rule, '短い間隔でプレビューが続いています。')
    expect(refused.text).toContain(escapeHtml(body))
    expect(refused.text).not.toContain('<strong>too many</strong>')
  },

  async draftSavesPerUser(rule) {
    // A member of its own, saving the ask form's draft as autosave does: past the limit the save is
    // refused with the wait (JSON, for the script), and the draft stays the last one allowed.
    const { id, email, password } = await insertUser(db, { email: `drafts-${run}@limits.example` })
    const member = await new Visitor(app).signIn(email, password)
    const save = (i: number) =>
      member.post('/drafts', { formKey: 'question:new', intent: 'save', title: `Draft ${i}`, body: 'Typed so far' })
    const allowed = await times(rule.limit, save, 4)
    expect(statuses(allowed)).toEqual([200])
    const refused = await save(rule.limit)
    expectRefusal(refused, rule, 'Too many saves in a short time.')
    const [kept] = await db.select({ fields: drafts.fields }).from(drafts).where(eq(drafts.userId, id))
    expect(kept!.fields.title).toMatch(/^Draft \d+$/)
    expect(kept!.fields.title).not.toBe(`Draft ${rule.limit}`)
  },

  async avatarChangesPerUser(rule) {
    // Alice, whom no other rule here signs in: removing a picture counts as a change too; past the
    // limit a new picture sent with the profile form is refused, the typed bio kept, nothing stored.
    const member = await new Visitor(app).signIn('alice@acme.example')
    const removed = await times(rule.limit, () => member.post('/settings', { intent: 'remove-avatar' }), 4)
    expect(statuses(removed)).toEqual([302])
    const [alice] = await db
      .select({ id: users.id, locale: users.locale, timeZone: users.timeZone, displayName: users.displayName })
      .from(users)
      .where(eq(users.email, 'alice@acme.example'))
    const bio = `Kept as typed ${run}`
    const form = new FormData()
    for (const [name, value] of Object.entries({ intent: 'preferences', bio, title: 'Finance lead' }))
      form.set(name, value)
    for (const name of ['displayName', 'locale', 'timeZone'] as const) form.set(name, alice![name])
    const picture = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a6' } })
      .png()
      .toBuffer()
    form.set('avatar', new File([new Uint8Array(picture)], 'me.png', { type: 'image/png' }))
    const response = await fetch(new URL('/settings', app.origin), {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: {
        cookie: `ct_session=${member.sessionToken}`,
        origin: app.origin,
        'sec-fetch-site': 'same-origin',
        'accept-language': 'en',
      },
    })
    const refused = { status: response.status, headers: response.headers, text: await response.text(), location: null }
    expectRefusal(refused, rule, 'You have changed your picture many times.')
    expect(refused.text).toContain(escapeHtml(bio))
    const [after] = await db.select({ at: users.avatarUpdatedAt }).from(users).where(eq(users.id, alice!.id))
    expect(after!.at).toBeNull()
  },
}

test('every rate rule has a driver in this file', () => {
  expect(Object.keys(rateRules).filter((name) => !(name in drivers))).toEqual([])
})

/** Rules whose refusal must not show: answering differently would tell who is registered. */
const silent = new Set<RuleName>(['signupNoticePerEmail'])

for (const name of Object.keys(rateRules) as RuleName[]) {
  test.concurrent(
    silent.has(name)
      ? `${name}: past the limit nothing more is sent, and the answer does not change`
      : `${name}: past the limit the route answers 429 with Retry-After and a translated message, keeps the form, and does nothing`,
    async () => {
      const driver = drivers[name]
      if (!driver) throw new Error(`no driver for the rate rule ${name}`)
      await driver(rateRules[name])
    },
  )
}

// Limits kept beside their domain rather than in rateRules: the pace of posting, and visitors'
// "Was this helpful?" answers.

test.concurrent(
  'posting: a second question within the interval answers 429 with Retry-After and keeps the form',
  async () => {
    // A member no other rule here signs in (staff are exempt from posting limits).
    const member = await new Visitor(app).signIn('chris@cobalt.example')
    const ask = async (title: string) =>
      member.post('/questions/new', {
        submissionKey: await issuedSubmissionKey(member, '/questions/new'),
        title,
        body: 'How do I schedule the monthly usage export? The settings page shows no option for it.',
        tags: 'reports',
        intent: 'ask',
      })
    expect((await ask(`Scheduling the usage export ${run}`)).status).toBe(302)
    const title = `Scheduling the usage export again ${run}`
    const refused = await ask(title)
    expect(refused.status, refused.text.slice(0, 200)).toBe(429)
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(postingInterval('question')!.windowSeconds)
    expect(refused.text).toContain('You are posting too quickly. Please wait')
    expectKept(refused, title)
    const [row] = await db.select({ n: count() }).from(questions).where(eq(questions.title, title))
    expect(row!.n).toBe(0)
  },
)

test.concurrent(
  'help feedback: a visitor past the limit answers 429 with Retry-After, and nothing is recorded',
  async () => {
    const { article } = await demoObjects()
    const visitor = from('203.0.113.40')
    const path = `/help/${article.category}/${encodeURIComponent(article.slug)}`
    await visitor.visitor.get(path)
    const sent = await times(anonymousFeedbackLimit.limit, () => visitor.post(path, { helpful: 'yes' }), 4)
    expect(sent.every((reply) => reply.status < 400)).toBe(true)
    const [before] = await db
      .select({ n: count() })
      .from(articleFeedback)
      .where(eq(articleFeedback.articleId, article.id))
    const refused = await visitor.post(path, { helpful: 'no', comment: 'One answer too many' })
    expectRefusal(refused, anonymousFeedbackLimit, 'Too many attempts. Please try again in')
    const [after] = await db
      .select({ n: count() })
      .from(articleFeedback)
      .where(eq(articleFeedback.articleId, article.id))
    expect(after!.n).toBe(before!.n)
  },
)
