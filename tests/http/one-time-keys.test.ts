import { and, count, eq, like, type SQL } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { instantToZonedLocal } from '#app/lib/time-zones.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { articles, helpCategories, helpSections } from '#db/schema/help.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { answers, comments, flags, questions } from '#db/schema/qa.ts'
import { apiTokens, tickets } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import type { AppServer, Visitor } from './app-server.ts'
import { issuedAttemptKey, issuedSubmissionKey } from './forms.ts'
import { type DemoObjects, personaEmails, startWithPersonas } from './personas.ts'

// A create form sent twice (a double click, back and send again, a replayed request, two copies at
// once) creates one thing: every create form carries a one-time key the server signed for the member,
// recorded in the create's transaction (docs/decisions/027). Forged, missing and borrowed keys are
// refused with a message, never a 500.

let app: AppServer
let member: Visitor
let other: Visitor
let staff: Visitor
let admin: Visitor
let objects: DemoObjects
let memberId: number
let otherId: number

beforeAll(async () => {
  const started = await startWithPersonas({ RATE_LIMITS: 'off' })
  app = started.app
  member = started.visitors.member
  other = started.visitors.other
  staff = started.visitors.staff
  admin = started.visitors.admin
  objects = started.objects
  memberId = objects.memberId
  const [nina] = await db.select({ id: users.id }).from(users).where(eq(users.email, personaEmails.other))
  otherId = nina!.id
})

afterAll(async () => {
  await app?.stop()
})

async function rows(table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where)
  return row?.n ?? 0
}

/** Sends `form` twice in a row and three times at once (with a second key, and `concurrentForm` when the
 *  second thing must differ, a unique name or slug), and expects each round to have created exactly one
 *  row and to have sent every copy to the same place. */
async function sentTwiceCreatesOnce(
  visitor: Visitor,
  {
    page,
    action,
    form,
    count: counted,
    concurrentForm = { ...form, body: `${form.body ?? ''} (again)` },
  }: {
    page: string
    action: string
    form: Record<string, string>
    count: () => Promise<number>
    concurrentForm?: Record<string, string>
  },
) {
  const before = await counted()
  const key = await issuedSubmissionKey(visitor, page)
  const first = await visitor.post(action, { ...form, submissionKey: key })
  const again = await visitor.post(action, { ...form, submissionKey: key })
  expect(first.status, first.text.slice(0, 500)).toBeGreaterThanOrEqual(300)
  expect(first.status).toBeLessThan(400)
  // The copy lands on the same thing (an answer's page may be named by number or found from its id).
  expect(again.status).toBe(first.status)
  expect(again.location?.split('#')[1]).toBe(first.location?.split('#')[1])
  expect(again.location?.split(/[?#]/)[0]).toBe(first.location?.split(/[?#]/)[0])
  expect(await counted()).toBe(before + 1)

  const concurrentKey = await issuedSubmissionKey(visitor, page)
  const copies = await Promise.all(
    [0, 1, 2].map(() => visitor.post(action, { ...concurrentForm, submissionKey: concurrentKey })),
  )
  expect(copies.map((reply) => reply.status).filter((status) => status >= 400)).toEqual([])
  expect(new Set(copies.map((reply) => reply.location?.split('#')[1])).size).toBe(1)
  return { first, added: (await counted()) - before }
}

test('an answer, a comment and a question sent twice, or three at once, are created once each', async () => {
  const page = objects.questionPath
  const answer = await sentTwiceCreatesOnce(other, {
    page,
    action: page,
    form: { intent: 'answer', body: 'Turn the export off and on again, then wait a minute.' },
    count: () => rows(answers, and(eq(answers.questionId, objects.questionId), eq(answers.authorId, otherId))),
  })
  expect(answer.added).toBe(2)
  expect(answer.first.location).toMatch(/#answer-\d+$/)

  const comment = await sentTwiceCreatesOnce(other, {
    page,
    action: page,
    form: {
      intent: 'comment',
      postType: 'question',
      postId: String(objects.questionId),
      body: 'Which version is this?',
    },
    count: () => rows(comments, and(eq(comments.questionId, objects.questionId), eq(comments.authorId, otherId))),
  })
  expect(comment.added).toBe(2)
  expect(comment.first.location).toMatch(/#comment-\d+$/)

  const question = await sentTwiceCreatesOnce(member, {
    page: '/questions/new',
    action: '/questions/new',
    form: {
      intent: 'ask',
      title: 'How do I rotate the API token safely?',
      body: 'Our token leaked into a log file.',
      tags: 'api',
    },
    count: () => rows(questions, eq(questions.authorId, memberId)),
  })
  expect(question.added).toBe(2)
  expect(question.first.location).toMatch(/^\/questions\/\d+\//)
})

test('a flag sent twice is one flag, and the copy is not told it was already flagged', async () => {
  const before = await rows(flags, eq(flags.reporterId, otherId))
  const key = await issuedSubmissionKey(other, objects.questionPath)
  const form = {
    intent: 'flag',
    targetType: 'question',
    targetId: String(objects.questionId),
    reason: 'off_topic',
    submissionKey: key,
  }
  const [first, second] = await Promise.all([
    other.post(objects.questionPath, form),
    other.post(objects.questionPath, form),
  ])
  expect(first).toMatchObject({ status: 302 })
  expect(second).toMatchObject({ status: 302, location: first!.location })
  expect(first!.location).toContain('notice=flagged')
  expect(await other.post(objects.questionPath, form)).toMatchObject({ status: 302, location: first!.location })
  expect(await rows(flags, eq(flags.reporterId, otherId))).toBe(before + 1)
})

test('a support request and an event registration sent twice are one ticket and one registration', async () => {
  // Both were idempotent before the one-time keys: the contact form's signed attempt key files one
  // ticket per attempt, and a member holds one registration per event.
  const before = await rows(tickets, eq(tickets.userId, memberId))
  const attempt = await issuedAttemptKey(member)
  const form = {
    attempt,
    subject: 'The invoice page shows last month',
    description: 'Since Monday the invoice page shows the previous month.',
    urgency: 'normal',
    productArea: 'billing',
    confirmed: '1',
  }
  const copies = await Promise.all([0, 1, 2].map(() => member.post('/support/new', form)))
  const again = await member.post('/support/new', form)
  expect([...copies, again].map((reply) => reply.status)).toEqual([303, 303, 303, 303])
  expect(new Set([...copies, again].map((reply) => reply.location)).size).toBe(1)
  expect(await rows(tickets, eq(tickets.userId, memberId))).toBe(before + 1)

  const eventPath = `/events/${objects.eventId}`
  const registered = () =>
    rows(
      eventRegistrations,
      and(eq(eventRegistrations.eventId, objects.eventId), eq(eventRegistrations.userId, otherId)),
    )
  const registrations = await Promise.all([0, 1].map(() => other.post(eventPath, { intent: 'register' })))
  registrations.push(await other.post(eventPath, { intent: 'register' }))
  expect(registrations.map((reply) => reply.status)).toEqual([302, 302, 302])
  expect(await registered()).toBe(1)
})

test('a forged, missing or borrowed key is refused with a message and the text kept; nothing is created', async () => {
  const page = objects.questionPath
  const count = () => rows(answers, eq(answers.questionId, objects.questionId))
  const before = await count()
  const body = 'An answer sent with a key the server never issued.'
  const memberKey = await issuedSubmissionKey(member, page)
  const [value] = memberKey.split('.')
  const refused = [
    await other.post(page, { intent: 'answer', body }),
    await other.post(page, { intent: 'answer', body, submissionKey: `${value}.${'A'.repeat(32)}` }),
    await other.post(page, { intent: 'answer', body, submissionKey: `${otherId}:abc:def.${'B'.repeat(32)}` }),
    // Issued to the member, sent by someone else.
    await other.post(page, { intent: 'answer', body, submissionKey: memberKey }),
  ]
  for (const reply of refused) {
    expect(reply.status).toBe(400)
    expect(reply.text).toContain('This form has expired or did not come from this site')
    expect(reply.text).toContain(body)
  }
  const question = await member.post('/questions/new', {
    intent: 'ask',
    title: 'A question with a forged key',
    body: 'Sent with a made-up key.',
    tags: 'api',
    submissionKey: 'made-up',
  })
  expect(question.status).toBe(400)
  expect(question.text).toContain('This form has expired or did not come from this site')
  expect(await count()).toBe(before)
  // The member's own key still works: the refusals did not use it up.
  expect(await member.post(page, { intent: 'answer', body: 'My own answer.', submissionKey: memberKey })).toMatchObject(
    {
      status: 302,
    },
  )
})

test('staff creating a help article, category, section or event, sent twice or three at once, create once each', async () => {
  const run = Date.now().toString(36)
  const [category] = await db.select({ id: helpCategories.id }).from(helpCategories).limit(1)
  const categoryId = String(category!.id)

  const article = (slug: string) => ({
    intent: 'save',
    title: `Rotating export keys ${run}`,
    slug,
    categoryId,
    locale: 'en',
    tags: 'exports',
    body: 'Open the settings, then the keys tab.',
  })
  const articleSent = await sentTwiceCreatesOnce(staff, {
    page: '/help/new',
    action: '/help/new',
    form: article(`rotating-keys-${run}`),
    // A slug is unique: the second thing needs its own (the copies of the first are sent to it, not told
    // that their slug is taken).
    concurrentForm: article(`rotating-keys-again-${run}`),
    count: () => rows(articles, like(articles.title, `%${run}`)),
  })
  expect(articleSent.added).toBe(2)
  expect(articleSent.first.location).toMatch(/^\/help\/articles\/\d+\/edit\?saved=draft$/)

  const newCategory = (slug: string) => ({
    intent: 'create-category',
    nameEn: `Billing ${slug}`,
    nameJa: `請求 ${slug}`,
    slug,
    descriptionEn: 'Invoices and plans.',
    descriptionJa: '請求書とプラン。',
  })
  const categorySent = await sentTwiceCreatesOnce(staff, {
    page: '/help/manage/categories',
    action: '/help/manage/categories',
    form: newCategory(`billing-${run}`),
    concurrentForm: newCategory(`billing-again-${run}`),
    count: () => rows(helpCategories, like(helpCategories.slug, `billing-%${run}`)),
  })
  expect(categorySent.added).toBe(2)
  expect(categorySent.first.location).toMatch(/^\/help\/manage\/categories\?done=category_created#category-\d+$/)

  const sectionSent = await sentTwiceCreatesOnce(staff, {
    page: '/help/manage/categories',
    action: '/help/manage/categories',
    form: { intent: 'create-section', categoryId, nameEn: `Getting started ${run}`, nameJa: `はじめに ${run}` },
    count: () => rows(helpSections, like(helpSections.nameEn, `%${run}`)),
  })
  expect(sectionSent.added).toBe(2)
  expect(sectionSent.first.location).toBe(`/help/manage/categories?done=section_created#category-${categoryId}`)

  const startsAt = new Date(Math.ceil((Date.now() + 9 * 86_400_000) / 3_600_000) * 3_600_000)
  const eventSent = await sentTwiceCreatesOnce(staff, {
    page: '/events/new',
    action: '/events/new',
    form: {
      intent: 'save',
      kind: 'webinar',
      title: `Quarterly roadmap ${run}`,
      body: 'What ships next quarter.',
      locale: 'en',
      timeZone: 'UTC',
      startsAt: instantToZonedLocal(startsAt, 'UTC'),
      endsAt: instantToZonedLocal(new Date(startsAt.getTime() + 3_600_000), 'UTC'),
      onlineUrl: 'https://meet.example/roadmap',
      audience: 'everyone',
    },
    count: () => rows(events, like(events.title, `%${run}`)),
  })
  expect(eventSent.added).toBe(2)
  expect(eventSent.first.location).toMatch(/^\/events\/\d+\?notice=saved$/)
})

test('an admin creating an account or an API token, sent twice or three at once, creates once each', async () => {
  const run = Date.now().toString(36)
  const account = (name: string) => ({ name, domains: `${name.toLowerCase().replaceAll(' ', '-')}.example` })
  const accountSent = await sentTwiceCreatesOnce(admin, {
    page: '/admin/accounts/new',
    action: '/admin/accounts/new',
    form: account(`Heron ${run}`),
    // Names and domains are unique: the second account needs its own.
    concurrentForm: account(`Heron again ${run}`),
    count: () => rows(accounts, like(accounts.name, `Heron %${run}`)),
  })
  expect(accountSent.added).toBe(2)
  expect(accountSent.first.location).toMatch(/^\/admin\/accounts\/\d+\?done=created$/)

  // The token's value is in the answer to the first copy only; a copy is sent to the list, which says so.
  const tokens = () => rows(apiTokens, like(apiTokens.name, `%${run}`))
  const form = { intent: 'create', name: `Helpdesk ${run}`, scopes: 'tickets' }
  const key = await issuedSubmissionKey(admin, '/admin/api-tokens')
  const first = await admin.post('/admin/api-tokens', { ...form, submissionKey: key })
  expect(first.status, first.text.slice(0, 500)).toBe(200)
  expect(first.text).toMatch(/value="cst_[^"]+"/)
  const again = await admin.post('/admin/api-tokens', { ...form, submissionKey: key })
  expect(again).toMatchObject({ status: 302, location: '/admin/api-tokens?done=created_once' })
  expect(await tokens()).toBe(1)
  const list = await admin.get(again.location!)
  expect(list.text).toContain('This form was already sent')
  expect(list.text).not.toMatch(/value="cst_[^"]+"/)

  const concurrentKey = await issuedSubmissionKey(admin, '/admin/api-tokens')
  const copies = await Promise.all(
    [0, 1, 2].map(() =>
      admin.post('/admin/api-tokens', { ...form, name: `Helpdesk again ${run}`, submissionKey: concurrentKey }),
    ),
  )
  expect(copies.map((reply) => reply.status).sort()).toEqual([200, 302, 302])
  expect(copies.filter((reply) => /value="cst_[^"]+"/.test(reply.text))).toHaveLength(1)
  expect(await tokens()).toBe(2)
})

test('the staff and admin create forms refuse a forged or missing key with the text kept; nothing is created', async () => {
  const run = Date.now().toString(36)
  const [category] = await db.select({ id: helpCategories.id }).from(helpCategories).limit(1)
  const startsAt = new Date(Math.ceil((Date.now() + 9 * 86_400_000) / 3_600_000) * 3_600_000)
  const sent: { visitor: Visitor; action: string; form: Record<string, string>; typed: string }[] = [
    {
      visitor: staff,
      action: '/help/new',
      form: {
        intent: 'publish',
        title: `Forged article ${run}`,
        categoryId: String(category!.id),
        locale: 'en',
        body: 'Never created.',
      },
      typed: `Forged article ${run}`,
    },
    {
      visitor: staff,
      action: '/help/manage/categories',
      form: { intent: 'create-category', nameEn: `Forged category ${run}`, nameJa: `偽 ${run}`, slug: `forged-${run}` },
      typed: `Forged category ${run}`,
    },
    {
      visitor: staff,
      action: '/help/manage/categories',
      form: {
        intent: 'create-section',
        categoryId: String(category!.id),
        nameEn: `Forged section ${run}`,
        nameJa: `偽 ${run}`,
      },
      typed: `Forged section ${run}`,
    },
    {
      visitor: staff,
      action: '/events/new',
      form: {
        intent: 'publish',
        kind: 'webinar',
        title: `Forged event ${run}`,
        body: 'Never created.',
        locale: 'en',
        timeZone: 'UTC',
        startsAt: instantToZonedLocal(startsAt, 'UTC'),
        endsAt: instantToZonedLocal(new Date(startsAt.getTime() + 3_600_000), 'UTC'),
        onlineUrl: 'https://meet.example/forged',
        audience: 'everyone',
      },
      typed: `Forged event ${run}`,
    },
    {
      visitor: admin,
      action: '/admin/accounts/new',
      form: { name: `Forged account ${run}`, domains: `forged-${run}.example` },
      typed: `Forged account ${run}`,
    },
    {
      visitor: admin,
      action: '/admin/api-tokens',
      form: { intent: 'create', name: `Forged token ${run}`, scopes: 'tickets' },
      typed: `Forged token ${run}`,
    },
  ]
  for (const { visitor, action, form, typed } of sent) {
    // A key issued to someone else (the member) is refused like a made-up one.
    const memberKey = await issuedSubmissionKey(member, '/questions/new')
    for (const submissionKey of [undefined, 'made-up', memberKey]) {
      const reply = await visitor.post(action, submissionKey ? { ...form, submissionKey } : form)
      expect(reply.status, `${action} ${submissionKey ?? 'without a key'}`).toBe(400)
      // Staff read the site in Japanese, the admin in English.
      expect(reply.text).toMatch(
        /This form has expired or did not come from this site|フォームの有効期限が切れているか/,
      )
      expect(reply.text).toContain(typed)
    }
  }
  const created = await Promise.all([
    rows(articles, like(articles.title, `Forged%${run}`)),
    rows(helpCategories, like(helpCategories.nameEn, `Forged%${run}`)),
    rows(helpSections, like(helpSections.nameEn, `Forged%${run}`)),
    rows(events, like(events.title, `Forged%${run}`)),
    rows(accounts, like(accounts.name, `Forged%${run}`)),
    rows(apiTokens, like(apiTokens.name, `Forged%${run}`)),
  ])
  expect(created).toEqual([0, 0, 0, 0, 0, 0])
})
