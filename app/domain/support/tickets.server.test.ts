import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { clearRateLimit } from '#app/lib/rate-limit.server.ts'
import {
  insertAccount,
  insertArticle,
  insertAttempt,
  insertStaff,
  insertTicket,
  insertUser,
  shownSuggestions,
} from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { deflectedKey, issueAttemptKey, markSolved } from './attempts.server.ts'
import { ContactSchema } from './schemas.ts'
import { fileTicket, getTicket, listTickets, ticketFiledKey } from './tickets.server.ts'

async function member() {
  const account = await insertAccount(db)
  return insertUser(db, { accountId: account.id })
}

function contact(attempt: string, overrides: Record<string, string> = {}) {
  return ContactSchema.parse({
    attempt,
    subject: 'The usage export fails',
    description: 'Clicking Export on the usage report shows an error after a minute.',
    productArea: 'reporting',
    urgency: 'high',
    ...overrides,
  })
}

async function ledgerKey(key: string) {
  return db.select().from(activityEvents).where(eq(activityEvents.uniqueKey, key))
}

test('sending the form files one ticket with the member, their account and the attempt, and a ledger row', async () => {
  const user = await member()
  const attempt = await insertAttempt(db, user, { query: 'usage export' })
  const outcome = await fileTicket(db, { user, input: contact(attempt.key) })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  expect(outcome.value.created).toBe(true)
  expect(outcome.value.ticket).toMatchObject({
    userId: user.id,
    accountId: user.accountId,
    attemptId: attempt.id,
    requesterEmail: user.email,
    subject: 'The usage export fails',
    productArea: 'reporting',
    urgency: 'high',
    status: 'open',
    source: 'portal',
  })
  const [row] = await db.select().from(deflectionAttempts).where(eq(deflectionAttempts.id, attempt.id))
  expect(row).toMatchObject({ outcome: 'filed', query: 'The usage export fails' })
  expect(row!.decidedAt).not.toBeNull()
  const ledger = await ledgerKey(ticketFiledKey(outcome.value.ticket.id))
  expect(ledger).toHaveLength(1)
  expect(ledger[0]).toMatchObject({ type: 'ticket_filed', userId: user.id, accountId: user.accountId })
})

test('a form sent with no attempt row yet (no suggestions were asked for) still makes one attempt', async () => {
  const user = await member()
  const key = await issueAttemptKey(db, user)
  const outcome = await fileTicket(db, { user, input: contact(key) })
  expect(outcome.ok).toBe(true)
  const rows = await db
    .select()
    .from(deflectionAttempts)
    .where(eq(deflectionAttempts.key, key.split('.')[0]!))
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({ outcome: 'filed', userId: user.id })
})

test('the same attempt sent twice, even at once, files one ticket', async () => {
  const user = await member()
  const attempt = await insertAttempt(db, user)
  const [a, b] = await Promise.all([
    fileTicket(db, { user, input: contact(attempt.key) }),
    fileTicket(db, { user, input: contact(attempt.key) }),
  ])
  expect(a.ok && b.ok).toBe(true)
  if (!a.ok || !b.ok) return
  expect(a.value.ticket.id).toBe(b.value.ticket.id)
  expect([a.value.created, b.value.created].sort()).toEqual([false, true])
  expect(await db.select().from(tickets).where(eq(tickets.attemptId, attempt.id))).toHaveLength(1)
})

test('marked solved and then sent anyway: a ticket, not a deflection, and the ledger says so', async () => {
  const user = await member()
  const article = await insertArticle(db)
  const attempt = await insertAttempt(db, user, { shown: shownSuggestions(`article:${article.id}`) })
  await markSolved(db, { user, key: attempt.key, doc: `article:${article.id}` })
  expect(await ledgerKey(deflectedKey(attempt.id))).toHaveLength(1)
  const outcome = await fileTicket(db, { user, input: contact(attempt.key) })
  expect(outcome.ok).toBe(true)
  const [row] = await db.select().from(deflectionAttempts).where(eq(deflectionAttempts.id, attempt.id))
  expect(row).toMatchObject({ outcome: 'filed', solvedDoc: `article:${article.id}` })
  expect(await ledgerKey(deflectedKey(attempt.id))).toHaveLength(0)
})

test('a key the server never issued to this member files nothing', async () => {
  const user = await member()
  const other = await member()
  for (const key of [randomUUID(), await issueAttemptKey(db, other)]) {
    expect(await fileTicket(db, { user, input: contact(key) })).toMatchObject({ ok: false, status: 404 })
  }
  expect(await db.select().from(tickets).where(eq(tickets.userId, user.id))).toEqual([])
})

test("another member's attempt key cannot be used to file", async () => {
  const owner = await member()
  const attempt = await insertAttempt(db, owner)
  const intruder = await member()
  expect(await fileTicket(db, { user: intruder, input: contact(attempt.key) })).toMatchObject({
    ok: false,
    status: 404,
  })
  expect(await db.select().from(tickets).where(eq(tickets.attemptId, attempt.id))).toHaveLength(0)
})

test('more than ten requests in an hour are refused with 429', async () => {
  const user = await member()
  await clearRateLimit(db, `support:ticket:${user.id}`)
  for (let i = 0; i < 10; i++) {
    const outcome = await fileTicket(db, { user, input: contact(await issueAttemptKey(db, user)) })
    expect(outcome.ok).toBe(true)
  }
  const refused = await fileTicket(db, { user, input: contact(await issueAttemptKey(db, user)) })
  expect(refused).toMatchObject({ ok: false, status: 429, code: 'support.errors.too_many_tickets' })
  expect(refused.ok === false && Number(refused.params?.seconds)).toBeGreaterThan(0)
})

test('empty, short and oversized fields are refused by the schema with translated keys', () => {
  const key = randomUUID()
  const parse = (values: Record<string, string>) => {
    const result = ContactSchema.safeParse({
      attempt: key,
      subject: 'A fine subject',
      description: 'A description that is long enough to send.',
      productArea: 'other',
      ...values,
    })
    return result.success ? [] : result.error.issues.map((issue) => issue.message)
  }
  expect(parse({})).toEqual([])
  expect(parse({ subject: '   ' })).toEqual(['support.validation.subject_required'])
  expect(parse({ subject: 'abc' })).toEqual(['support.validation.subject_too_short'])
  expect(parse({ subject: 'x'.repeat(151) })).toEqual(['support.validation.subject_too_long'])
  expect(parse({ description: '' })).toEqual(['support.validation.description_required'])
  expect(parse({ description: 'too short' })).toEqual(['support.validation.description_too_short'])
  expect(parse({ description: 'x'.repeat(10_001) })).toEqual(['support.validation.description_too_long'])
  expect(parse({ productArea: 'gardening' })).toEqual(['support.validation.area_required'])
  expect(parse({ urgency: 'whenever' })).toEqual(['support.validation.urgency_required'])
  expect(parse({ attempt: 'not-a-key' })).toEqual(['support.errors.attempt_invalid'])
  expect(ContactSchema.parse({ ...contact(key), subject: 'Null\u0000 byte here' }).subject).toBe('Null byte here')
})

test("a member reads their own tickets only; another member's is a 404, staff read any", async () => {
  const owner = await member()
  const ticket = await insertTicket(db, owner)
  const other = await member()
  expect(await getTicket(db, { user: other, ticketId: ticket.id })).toMatchObject({
    ok: false,
    status: 404,
    code: 'support.errors.ticket_not_found',
  })
  expect((await getTicket(db, { user: owner, ticketId: ticket.id })).ok).toBe(true)
  expect((await getTicket(db, { user: await insertStaff(db), ticketId: ticket.id })).ok).toBe(true)

  await insertTicket(db, other)
  const mine = await listTickets(db, { user: owner })
  expect(mine.tickets.map((t) => t.id)).toEqual([ticket.id])
  expect(mine.total).toBe(1)
  // A member asking for everyone's gets their own all the same.
  expect((await listTickets(db, { user: owner, all: true })).tickets.map((t) => t.id)).toEqual([ticket.id])
  const everyone = await listTickets(db, { user: await insertStaff(db), all: true })
  expect(everyone.all).toBe(true)
  expect(everyone.total).toBeGreaterThanOrEqual(2)
})
