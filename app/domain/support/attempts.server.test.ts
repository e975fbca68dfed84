import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import {
  insertAccount,
  insertAnswer,
  insertArticle,
  insertAttempt,
  insertQuestion,
  insertTicket,
  insertUser,
  shownSuggestions,
} from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { questions } from '#db/schema/qa.ts'
import { deflectionAttempts } from '#db/schema/support.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { reindexAll } from '#search/sync.server.ts'
import { db } from '#tests/db.ts'
import {
  decideStaleAttempts,
  deflectedKey,
  issueAttemptKey,
  markSolved,
  openSuggestion,
  suggestForAttempt,
  suggestionContent,
  suggestionsFor,
  suggestionsSeenFor,
} from './attempts.server.ts'

const HOUR = 3600 * 1000

async function member() {
  const account = await insertAccount(db)
  return insertUser(db, { accountId: account.id })
}

/** The attempt of a key, issued (`<id>.<signature>`) or bare. */
async function attemptRow(key: string) {
  const [row] = await db
    .select()
    .from(deflectionAttempts)
    .where(eq(deflectionAttempts.key, key.split('.')[0]!))
  return row
}

async function ledgerRows(type: string, subjectId: number) {
  return db
    .select()
    .from(activityEvents)
    .where(eq(activityEvents.uniqueKey, type === 'ticket_deflected' ? deflectedKey(subjectId) : ''))
}

/** Help content the subject "rotate API keys" finds: an article, an answered question, and an
 *  unanswered question that must not be offered. */
async function rotateKeysContent() {
  const tag = randomUUID().slice(0, 6)
  const article = await insertArticle(db, {
    title: `Rotate API keys safely ${tag}`,
    bodyMd: 'Open **Settings → API** and choose Rotate. The old key works for 24 hours.',
  })
  const answered = await insertQuestion(db, { title: `How often should we rotate API keys ${tag}` })
  const answer = await insertAnswer(db, answered, { bodyMd: 'Every 90 days is a good rhythm.' })
  await db.update(questions).set({ acceptedAnswerId: answer.id }).where(eq(questions.id, answered.id))
  const unanswered = await insertQuestion(db, { title: `Can I rotate API keys from the CLI ${tag}` })
  await reindexAll(db, new EmbeddedSearchEngine(db))
  return { tag, article, answered, unanswered }
}

test('suggestions are help articles and answered questions, never unanswered ones', async () => {
  const { tag, article, answered, unanswered } = await rotateKeysContent()
  const found = await suggestionsFor(db, { q: `rotate API keys ${tag}`, locale: 'en' })
  const docs = found.map((s) => s.doc)
  expect(docs).toContain(`article:${article.id}`)
  expect(docs).toContain(`question:${answered.id}`)
  expect(docs).not.toContain(`question:${unanswered.id}`)
  expect(found.find((s) => s.doc === `question:${answered.id}`)?.accepted).toBe(true)
  expect(await suggestionsFor(db, { q: 'the a', locale: 'en' })).toEqual([])
})

test('an attempt is created by the first suggestions and records what was shown, with ranks', async () => {
  const { tag } = await rotateKeysContent()
  const user = await member()
  const key = await issueAttemptKey(db, user)
  const first = await suggestForAttempt(db, { user, key, q: `rotate API ${tag}` })
  expect(first.ok).toBe(true)
  if (!first.ok) return
  const row = await attemptRow(key)
  expect(row).toMatchObject({
    userId: user.id,
    accountId: user.accountId,
    outcome: 'pending',
    query: `rotate API ${tag}`,
  })
  expect(row!.shown.map((s) => s.rank)).toEqual(first.value.suggestions.map((_, i) => i + 1))
  expect(row!.shown.map((s) => s.doc)).toEqual(first.value.suggestions.map((s) => s.doc))

  // Typing on: the query follows, suggestions already shown keep their first rank, nothing is doubled.
  const second = await suggestForAttempt(db, { user, key, q: `rotate API keys safely ${tag}` })
  expect(second.ok).toBe(true)
  const after = await attemptRow(key)
  expect(after!.query).toBe(`rotate API keys safely ${tag}`)
  expect(new Set(after!.shown.map((s) => s.doc)).size).toBe(after!.shown.length)
  expect(after!.shown.slice(0, row!.shown.length)).toEqual(row!.shown)
  expect(suggestionsSeenFor(after!, `  Rotate API keys SAFELY ${tag} `)).toBe(true)
  expect(suggestionsSeenFor(after!, 'something else')).toBe(false)

  const count = await db
    .select()
    .from(deflectionAttempts)
    .where(eq(deflectionAttempts.key, key.split('.')[0]!))
  expect(count).toHaveLength(1)
})

test("another member's attempt key is refused and left untouched", async () => {
  const owner = await member()
  const attempt = await insertAttempt(db, owner, { query: 'mine' })
  const intruder = await member()
  const outcome = await suggestForAttempt(db, { user: intruder, key: attempt.key, q: 'rotate keys' })
  expect(outcome).toMatchObject({ ok: false, status: 404, code: 'support.errors.attempt_invalid' })
  expect((await attemptRow(attempt.key))!.query).toBe('mine')
  const article = await insertArticle(db)
  expect(await markSolved(db, { user: intruder, key: attempt.key, doc: `article:${article.id}` })).toMatchObject({
    ok: false,
    status: 404,
  })
})

test('opening a suggestion records it once and returns its content; hidden content cannot be opened', async () => {
  const { article, answered } = await rotateKeysContent()
  const user = await member()
  const attempt = await insertAttempt(db, user, {
    shown: shownSuggestions(`article:${article.id}`, `question:${answered.id}`),
  })
  const opened = await openSuggestion(db, { user, key: attempt.key, doc: `article:${article.id}` })
  expect(opened.ok && opened.value.html).toContain('<strong>Settings → API</strong>')
  await openSuggestion(db, { user, key: attempt.key, doc: `article:${article.id}` })
  const question = await openSuggestion(db, { user, key: attempt.key, doc: `question:${answered.id}` })
  expect(question.ok && question.value.answerHtml).toContain('Every 90 days')
  expect((await attemptRow(attempt.key))!.opened.map((o) => o.doc)).toEqual([
    `article:${article.id}`,
    `question:${answered.id}`,
  ])

  const hidden = await insertQuestion(db, { hiddenAt: new Date() })
  expect(await openSuggestion(db, { user, key: attempt.key, doc: `question:${hidden.id}` })).toMatchObject({
    ok: false,
    status: 404,
    code: 'support.errors.suggestion_gone',
  })
  const draft = await insertArticle(db, { status: 'draft' })
  expect(await suggestionContent(db, `article:${draft.id}`)).toBeNull()
  expect(await suggestionContent(db, 'event:1')).toBeNull()
})

test('"this solved my problem" is one explicit deflection in the ledger, however often it is clicked', async () => {
  const user = await member()
  const article = await insertArticle(db)
  const other = await insertArticle(db)
  const attempt = await insertAttempt(db, user, {
    shown: shownSuggestions(`article:${article.id}`, `article:${other.id}`),
  })
  const doc = `article:${article.id}`
  const results = await Promise.all([
    markSolved(db, { user, key: attempt.key, doc }),
    markSolved(db, { user, key: attempt.key, doc }),
  ])
  expect(results.filter((r) => r.ok && r.value.counted)).toHaveLength(1)
  // A later click on another suggestion of the same attempt counts nothing more either.
  expect(await markSolved(db, { user, key: attempt.key, doc: `article:${other.id}` })).toEqual({
    ok: true,
    value: { counted: false },
  })
  const row = await attemptRow(attempt.key)
  expect(row).toMatchObject({ outcome: 'explicit', solvedDoc: doc })
  expect(row!.opened.map((o) => o.doc)).toEqual([doc])
  const ledger = await ledgerRows('ticket_deflected', attempt.id)
  expect(ledger).toHaveLength(1)
  expect(ledger[0]).toMatchObject({ type: 'ticket_deflected', userId: user.id, accountId: user.accountId })
})

test('an attempt already filed cannot be marked solved', async () => {
  const user = await member()
  const attempt = await insertAttempt(db, user, { outcome: 'filed' })
  const article = await insertArticle(db)
  expect(await markSolved(db, { user, key: attempt.key, doc: `article:${article.id}` })).toMatchObject({
    ok: false,
    status: 409,
  })
  expect(await ledgerRows('ticket_deflected', attempt.id)).toHaveLength(0)
})

test('the 72-hour job: opened and no ticket is implicit, nothing opened is abandoned, younger ones wait', async () => {
  const start = new Date('2026-03-02T09:00:00Z')
  const at = (hours: number) => new Date(start.getTime() + hours * HOUR)
  const opened = [{ doc: 'article:1', at: start.toISOString() }]
  const user = await member()
  const implicit = await insertAttempt(db, user, { createdAt: start, opened })
  const abandoned = await insertAttempt(db, user, { createdAt: start })
  const young = await insertAttempt(db, user, { createdAt: at(10), opened })
  const explicit = await insertAttempt(db, user, { createdAt: start, opened, outcome: 'explicit' })
  // Opened a suggestion, then filed a ticket through another attempt two days later: not deflected.
  const other = await member()
  const followedByTicket = await insertAttempt(db, other, { createdAt: start, opened })
  await insertTicket(db, other, { createdAt: at(48) })
  // Filed only after the window: the suggestion did hold the member off for 72 hours.
  const late = await member()
  const ticketAfterWindow = await insertAttempt(db, late, { createdAt: start, opened })
  await insertTicket(db, late, { createdAt: at(80) })

  expect(await decideStaleAttempts(db, at(71))).toEqual({ implicit: 0, abandoned: 0 })
  const decided = await decideStaleAttempts(db, at(72))
  expect(decided).toEqual({ implicit: 2, abandoned: 2 })
  const outcomes = async () =>
    Object.fromEntries(
      await Promise.all(
        [implicit, abandoned, young, explicit, followedByTicket, ticketAfterWindow].map(async (a) => [
          a.id,
          (await attemptRow(a.key))!.outcome,
        ]),
      ),
    )
  expect(await outcomes()).toEqual({
    [implicit.id]: 'implicit',
    [abandoned.id]: 'abandoned',
    [young.id]: 'pending',
    [explicit.id]: 'explicit',
    [followedByTicket.id]: 'abandoned',
    [ticketAfterWindow.id]: 'implicit',
  })
  expect((await attemptRow(implicit.key))!.decidedAt).toEqual(at(72))
  // Implicit deflections stay out of the ledger: only a member's own "solved" is recorded there.
  expect(await ledgerRows('ticket_deflected', implicit.id)).toHaveLength(0)
  // Running again changes nothing; the young attempt is decided once its own 72 hours are up.
  expect(await decideStaleAttempts(db, at(73))).toEqual({ implicit: 0, abandoned: 0 })
  expect(await decideStaleAttempts(db, at(82))).toEqual({ implicit: 1, abandoned: 0 })
})

test('a member who comes back and marks an implicit attempt solved turns it explicit, counted once', async () => {
  const user = await member()
  const article = await insertArticle(db)
  const attempt = await insertAttempt(db, user, {
    outcome: 'implicit',
    shown: shownSuggestions(`article:${article.id}`),
    opened: [{ doc: `article:${article.id}`, at: new Date().toISOString() }],
  })
  expect(await markSolved(db, { user, key: attempt.key, doc: `article:${article.id}` })).toEqual({
    ok: true,
    value: { counted: true },
  })
  expect((await attemptRow(attempt.key))!.outcome).toBe('explicit')
  expect(await ledgerRows('ticket_deflected', attempt.id)).toHaveLength(1)
})

test('made-up, tampered and other members’ keys start nothing; a key never used for suggestions cannot be solved', async () => {
  const { article } = await rotateKeysContent()
  const user = await member()
  const other = await member()
  const forged = [
    randomUUID(),
    `${randomUUID()}.${'A'.repeat(32)}`,
    await issueAttemptKey(db, other),
    (await issueAttemptKey(db, user)).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
  ]
  for (const key of forged) {
    expect(await suggestForAttempt(db, { user, key, q: 'rotate API keys' })).toMatchObject({
      ok: false,
      code: 'support.errors.attempt_invalid',
    })
    expect(await attemptRow(key)).toBeUndefined()
  }
  // Issued to this member, but no suggestion was ever shown in it: nothing to have solved it.
  const unused = await issueAttemptKey(db, user)
  expect(await markSolved(db, { user, key: unused, doc: `article:${article.id}` })).toMatchObject({
    ok: false,
    code: 'support.errors.attempt_invalid',
  })
  expect(await openSuggestion(db, { user, key: unused, doc: `article:${article.id}` })).toMatchObject({ ok: false })
  expect(await attemptRow(unused)).toBeUndefined()
})

test('only a suggestion the server showed in the attempt can be the one that solved it', async () => {
  const { article } = await rotateKeysContent()
  const unshown = await insertArticle(db)
  const user = await member()
  const attempt = await insertAttempt(db, user, { shown: shownSuggestions(`article:${article.id}`) })
  expect(await markSolved(db, { user, key: attempt.key, doc: `article:${unshown.id}` })).toMatchObject({
    ok: false,
    status: 404,
    code: 'support.errors.suggestion_not_offered',
  })
  expect(await openSuggestion(db, { user, key: attempt.key, doc: `article:${unshown.id}` })).toMatchObject({
    ok: false,
    code: 'support.errors.suggestion_not_offered',
  })
  expect(await ledgerRows('ticket_deflected', attempt.id)).toHaveLength(0)
  expect((await attemptRow(attempt.key))!.outcome).toBe('pending')
})

test('a member’s "solved" clicks are limited per day', async () => {
  const article = await insertArticle(db)
  const user = await member()
  const doc = `article:${article.id}`
  for (let i = 0; i < 10; i++) {
    const attempt = await insertAttempt(db, user, { shown: shownSuggestions(doc) })
    expect(await markSolved(db, { user, key: attempt.key, doc })).toEqual({ ok: true, value: { counted: true } })
  }
  const over = await insertAttempt(db, user, { shown: shownSuggestions(doc) })
  expect(await markSolved(db, { user, key: over.key, doc })).toMatchObject({
    ok: false,
    status: 429,
    code: 'support.errors.actions_too_fast',
  })
  expect(await ledgerRows('ticket_deflected', over.id)).toHaveLength(0)
})
