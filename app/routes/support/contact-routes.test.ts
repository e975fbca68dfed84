import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { issueAttemptKey } from '#app/domain/support/attempts.server.ts'
import {
  insertAccount,
  insertArticle,
  insertAttempt,
  insertTicket,
  insertUser,
  shownSuggestions,
} from '#app/server/seed/factories/index.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { reindexAll } from '#search/sync.server.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { action as contactAction } from './new.tsx'
import { action as openAction, loader as openLoader } from './open.ts'
import { action as suggestAction } from './suggest.ts'
import { loader as ticketLoader } from './ticket.tsx'

function post(path: string, fields: Record<string, string>) {
  const body = new FormData()
  for (const [key, value] of Object.entries(fields)) body.set(key, value)
  return new Request(`http://localhost${path}`, { method: 'POST', body })
}

async function member() {
  const account = await insertAccount(db)
  return insertUser(db, { accountId: account.id })
}

async function exportArticle() {
  const tag = randomUUID().slice(0, 6)
  const article = await insertArticle(db, {
    title: `Export the usage report ${tag}`,
    bodyMd: 'Open **Reports**, choose Usage, then Export.',
  })
  await reindexAll(db, new EmbeddedSearchEngine(db))
  return { article, subject: `Export usage report ${tag}` }
}

const validFields = (attempt: string, subject: string) => ({
  attempt,
  subject,
  description: 'The export button on the usage report does nothing at all.',
  productArea: 'reporting',
  urgency: 'normal',
})

test('without JavaScript, a first send shows the suggestions and asks to confirm; the second files it', async () => {
  const { article, subject } = await exportArticle()
  const user = await member()
  const attempt = await issueAttemptKey(db, user)
  const first = await settle(() =>
    contactAction({
      request: post('/support/new', validFields(attempt, subject)),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(first.status).toBe(200)
  const body = first.body as { confirm: boolean; suggestions: { doc: string }[]; result: { initialValue: object } }
  expect(body.confirm).toBe(true)
  expect(body.suggestions.map((s) => s.doc)).toContain(`article:${article.id}`)
  // Nothing typed is lost: the form comes back with every value.
  expect(body.result.initialValue).toMatchObject(validFields(attempt, subject))
  expect(await db.select().from(tickets).where(eq(tickets.userId, user.id))).toHaveLength(0)

  // The same subject again (the member saw the suggestions): filed without a further question.
  const second = await settle(() =>
    contactAction({
      request: post('/support/new', validFields(attempt, subject)),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(second.status).toBe(303)
  const [ticket] = await db.select().from(tickets).where(eq(tickets.userId, user.id))
  expect(second.location).toBe(`/support/tickets/${ticket!.id}?sent=1`)
})

test('"send my request" under the suggestions files at once', async () => {
  const { subject } = await exportArticle()
  const user = await member()
  const key = await issueAttemptKey(db, user)
  const result = await settle(() =>
    contactAction({
      request: post('/support/new', { ...validFields(key, subject), confirmed: '1' }),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(result.status).toBe(303)
  expect(result.location).toMatch(/^\/support\/tickets\/\d+\?sent=1$/)
})

test('bad input is a 400 with translated errors, keeps what was typed, and still suggests from the subject', async () => {
  const { article, subject } = await exportArticle()
  const user = await member()
  const fields = {
    attempt: await issueAttemptKey(db, user),
    subject,
    description: 'short',
    productArea: '',
    urgency: 'normal',
  }
  const result = await settle(() =>
    contactAction({ request: post('/support/new', fields), context: routeContext(user), params: {} } as never),
  )
  expect(result.status).toBe(400)
  const body = result.body as {
    result: { error: Record<string, string[]>; initialValue: object }
    suggestions: { doc: string }[]
  }
  expect(body.result.error.description).toEqual(['support.validation.description_too_short'])
  expect(body.result.error.productArea).toEqual(['support.validation.area_required'])
  expect(body.result.initialValue).toMatchObject({ subject, description: 'short' })
  expect(body.suggestions.map((s) => s.doc)).toContain(`article:${article.id}`)

  const oversizedKey = await issueAttemptKey(db, user)
  const oversized = await settle(() =>
    contactAction({
      request: post('/support/new', {
        ...validFields(oversizedKey, 'x'.repeat(400)),
        description: 'y'.repeat(20_000),
      }),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(oversized.status).toBe(400)
  const errors = (oversized.body as { result: { error: Record<string, string[]> } }).result.error
  expect(errors.subject).toEqual(['support.validation.subject_too_long'])
  expect(errors.description).toEqual(['support.validation.description_too_long'])
})

test('"this solved my problem" redirects to the thank-you page; clicked twice it counts once', async () => {
  const { article } = await exportArticle()
  const user = await member()
  const attempt = await insertAttempt(db, user, { shown: shownSuggestions(`article:${article.id}`) })
  const fields = { intent: 'solved', attempt: attempt.key, doc: `article:${article.id}` }
  for (let i = 0; i < 2; i++) {
    const result = await settle(() =>
      contactAction({ request: post('/support/new', fields), context: routeContext(user), params: {} } as never),
    )
    expect(result).toMatchObject({ status: 303, location: '/support/new?solved=1' })
  }
  const [row] = await db.select().from(deflectionAttempts).where(eq(deflectionAttempts.id, attempt.id))
  expect(row!.outcome).toBe('explicit')
})

test('suggestions as JSON record the attempt; bad or foreign keys are refused without a 500', async () => {
  const { article, subject } = await exportArticle()
  const user = await member()
  const key = await issueAttemptKey(db, user)
  const ok = await settle(() =>
    suggestAction({
      request: post('/support/suggest', { attempt: key, q: subject }),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(ok.status).toBe(200)
  expect((ok.body as { suggestions: { doc: string }[] }).suggestions.map((s) => s.doc)).toContain(
    `article:${article.id}`,
  )
  const bad = await settle(() =>
    suggestAction({
      request: post('/support/suggest', { attempt: 'x', q: subject }),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(bad.status).toBe(400)
  const stranger = await member()
  const foreign = await settle(() =>
    suggestAction({
      request: post('/support/suggest', { attempt: key, q: subject }),
      context: routeContext(stranger, 'ja'),
      params: {},
    } as never),
  )
  expect(foreign.status).toBe(404)
  expect((foreign.body as { error: { message: string } }).error.message).toContain('フォームの有効期限')
  // Signed out: sent to sign in.
  const anonymous = await settle(() =>
    suggestAction({
      request: post('/support/suggest', { attempt: key, q: subject }),
      context: routeContext(null),
      params: {},
    } as never),
  )
  expect(anonymous.status).toBe(302)
  expect(anonymous.location).toMatch(/^\/login\?redirectTo=/)
})

test('opening in a new tab records the suggestion and redirects to it; in place answers with its content', async () => {
  const { article } = await exportArticle()
  const user = await member()
  const doc = `article:${article.id}`
  const attempt = await insertAttempt(db, user, { shown: shownSuggestions(doc) })
  const tab = await settle(() =>
    openAction({
      request: post('/support/open', { attempt: attempt.key, doc }),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(tab.status).toBe(303)
  expect(tab.location).toMatch(/^\/help\/.+\/.+/)
  const inline = await settle(() =>
    openAction({
      request: post('/support/open', { attempt: attempt.key, doc, mode: 'inline' }),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(inline.status).toBe(200)
  expect((inline.body as { html: string }).html).toContain('<strong>Reports</strong>')
  const [row] = await db.select().from(deflectionAttempts).where(eq(deflectionAttempts.id, attempt.id))
  expect(row!.opened.map((o) => o.doc)).toEqual([doc])

  const missing = await settle(() =>
    openAction({
      request: post('/support/open', { attempt: attempt.key, doc: 'article:999999', mode: 'inline' }),
      context: routeContext(user),
      params: {},
    } as never),
  )
  expect(missing.status).toBe(404)
  expect((await settle(async () => openLoader())).status).toBe(405)
})

test("a member asking for another member's ticket gets a 404", async () => {
  const owner = await member()
  const ticket = await insertTicket(db, owner)
  const request = new Request(`http://localhost/support/tickets/${ticket.id}`)
  const mine = await settle(() =>
    ticketLoader({ request, context: routeContext(owner), params: { ticketId: String(ticket.id) } } as never),
  )
  expect(mine.status).toBe(200)
  const stranger = await member()
  const theirs = await settle(() =>
    ticketLoader({ request, context: routeContext(stranger), params: { ticketId: String(ticket.id) } } as never),
  )
  expect(theirs.status).toBe(404)
  const garbage = await settle(() =>
    ticketLoader({ request, context: routeContext(owner), params: { ticketId: '1; drop table' } } as never),
  )
  expect(garbage.status).toBe(404)
})
