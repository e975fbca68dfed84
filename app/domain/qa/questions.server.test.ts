import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { questionPath, slugify } from '#app/lib/paths.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertAnswer, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { questions, revisions, tags } from '#db/schema/qa.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { reindexAll } from '#search/sync.server.ts'
import { db } from '#tests/db.ts'
import { setQuestionLocked } from './moderation.server.ts'
import {
  askQuestion,
  editQuestion,
  getQuestionPage,
  listQuestions,
  listTags,
  recordQuestionView,
} from './questions.server.ts'
import { QuestionSchema } from './schemas.ts'
import { similarQuestions } from './similar.server.ts'

const input = (overrides: Partial<{ title: string; body: string; tags: string }> = {}) =>
  QuestionSchema.parse({
    title: 'How do I export a report as CSV?',
    body: 'I need the monthly report in a spreadsheet. Where is the export?',
    tags: 'Reports, CSV',
    ...overrides,
  })

test('asking writes the question, its first revision, normalised tags, the ledger row and the search outbox row', async () => {
  const user = await insertUser(db)
  const outcome = await askQuestion(db, { user, input: input({ tags: 'Reports, ＣＳＶ, data export' }) })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  const [question] = await db.select().from(questions).where(eq(questions.id, outcome.value.id))
  expect(question).toMatchObject({ authorId: user.id, tags: ['reports', 'csv', 'data-export'], locale: 'en' })
  expect(question!.bodyHtml).toContain('<p>I need the monthly report')
  const revs = await db.select().from(revisions).where(eq(revisions.postId, question!.id))
  expect(revs).toMatchObject([{ postType: 'question', number: 1, authorId: user.id }])
  const tagRows = await db.select().from(tags)
  expect(tagRows.map((t) => t.name)).toEqual(expect.arrayContaining(['reports', 'csv', 'data-export']))
  const ledger = await db
    .select()
    .from(activityEvents)
    .where(and(eq(activityEvents.userId, user.id), eq(activityEvents.type, 'question_asked')))
  expect(ledger).toHaveLength(1)
  const outbox = await db
    .select()
    .from(searchOutbox)
    .where(eq(searchOutbox.docId, String(question!.id)))
  expect(outbox).toMatchObject([{ docType: 'question', op: 'upsert' }])
})

test('a Japanese question is stored as Japanese and keeps a readable slug', async () => {
  const user = await insertUser(db)
  const outcome = await askQuestion(db, {
    user,
    input: input({
      title: 'レポートを CSV で書き出すには？',
      body: '月次レポートを表計算ソフトで開きたいです。',
      tags: 'レポート',
    }),
  })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  const [question] = await db.select().from(questions).where(eq(questions.id, outcome.value.id))
  expect(question!.locale).toBe('ja')
  expect(question!.tags).toEqual(['レポート'])
  expect(slugify(question!.title)).toBe('レポートを-csv-で書き出すには')
  expect(questionPath(question!)).toBe(
    `/questions/${question!.id}/${encodeURIComponent('レポートを-csv-で書き出すには')}`,
  )
})

test('the form schema refuses empty and over-long titles, short bodies and more than five tags', () => {
  const bad = QuestionSchema.safeParse({ title: ' ', body: 'short', tags: 'a b c d e f' })
  expect(bad.success).toBe(false)
  const messages = bad.error!.issues.map((issue) => issue.message)
  expect(messages).toEqual(
    expect.arrayContaining([
      'qa.validation.title_required',
      'qa.validation.body_too_short',
      'qa.validation.too_many_tags',
    ]),
  )
  expect(
    QuestionSchema.safeParse({ title: 'x'.repeat(151), body: 'long enough body', tags: '' }).error?.issues[0]?.message,
  ).toBe('qa.validation.title_too_long')
})

test('a new member may ask three questions on their first day; the fourth is refused with 429', async () => {
  const user = await insertUser(db)
  for (let i = 0; i < 3; i++) {
    expect((await askQuestion(db, { user, input: input({ title: `Question number ${i} about exports` }) })).ok).toBe(
      true,
    )
    // The pace rule would refuse back-to-back posts; clear it so only the daily cap is under test.
    await db.execute(`delete from rate_limits where key = 'post:post:${user.id}'`)
  }
  const fourth = await askQuestion(db, { user, input: input() })
  expect(fourth).toMatchObject({ ok: false, status: 429, code: 'qa.new_member_question_limit' })
  const established = await insertUser(db, { createdAt: new Date(Date.now() - 3 * 86400_000) })
  for (let i = 0; i < 4; i++) {
    expect((await askQuestion(db, { user: established, input: input() })).ok).toBe(true)
    await db.execute(`delete from rate_limits where key = 'post:post:${established.id}'`)
  }
})

test('two posts within the minimum interval: the second is refused with the wait in seconds', async () => {
  const user = await insertUser(db, { createdAt: new Date(Date.now() - 3 * 86400_000) })
  expect((await askQuestion(db, { user, input: input() })).ok).toBe(true)
  const second = await askQuestion(db, { user, input: input() })
  expect(second).toMatchObject({ ok: false, status: 429, code: 'qa.posting_too_fast' })
  if (!second.ok) expect(Number(second.params?.seconds)).toBeGreaterThan(0)
  const staff = await insertStaff(db)
  expect((await askQuestion(db, { user: staff, input: input() })).ok).toBe(true)
  expect((await askQuestion(db, { user: staff, input: input() })).ok).toBe(true)
})

test('a refused post answers at once when it cannot be the copy of a double click still being saved', async () => {
  const user = await insertUser(db, { createdAt: new Date(Date.now() - 3 * 86400_000) })
  const key = (name: string) => ({ key: `${name}-${user.id}-${Date.now()}`, userId: user.id })
  expect((await askQuestion(db, { user, input: input(), once: key('first') })).ok).toBe(true)
  // Five seconds on, another form within the pause: no copy of it can be in flight, so no waiting for one
  // (before, every refusal with a key waited REPLAY_WAIT_MS, 3 s).
  await db.execute(
    `update rate_limits set window_start = now() - interval '5 seconds' where key = 'post:post:${user.id}'`,
  )
  const started = Date.now()
  const refused = await askQuestion(db, { user, input: input(), once: key('second') })
  expect(refused).toMatchObject({ ok: false, status: 429, code: 'qa.posting_too_fast' })
  expect(Date.now() - started).toBeLessThan(1500)
})

test('editing adds a revision; saving unchanged text adds none; only the author or staff may edit', async () => {
  const author = await insertUser(db)
  const question = await insertQuestion(db, { author, title: 'Original title here', bodyMd: 'Original body text.' })
  const edited = await editQuestion(db, {
    user: author,
    questionId: question.id,
    input: input({ title: 'Better title here', body: 'Original body text, clarified.', tags: 'reports' }),
  })
  expect(edited).toMatchObject({ ok: true, value: { revision: 2 } })
  const same = await editQuestion(db, {
    user: author,
    questionId: question.id,
    input: input({ title: 'Better title here', body: 'Original body text, clarified.', tags: 'reports' }),
  })
  expect(same).toMatchObject({ ok: true, value: { revision: null } })
  const other = await insertUser(db)
  expect(await editQuestion(db, { user: other, questionId: question.id, input: input() })).toMatchObject({
    ok: false,
    status: 403,
    code: 'qa.cannot_edit',
  })
  const staff = await insertStaff(db)
  expect(await editQuestion(db, { user: staff, questionId: question.id, input: input() })).toMatchObject({
    ok: true,
    value: { revision: 3 },
  })
  const [row] = await db.select().from(questions).where(eq(questions.id, question.id))
  expect(row!.editedAt).not.toBeNull()
  expect(row!.title).toBe('How do I export a report as CSV?')
})

test('a locked question refuses edits by its author but not by staff', async () => {
  const author = await insertUser(db)
  const staff = await insertStaff(db)
  const question = await insertQuestion(db, { author })
  await setQuestionLocked(db, { actor: staff, questionId: question.id, locked: true })
  expect(await editQuestion(db, { user: author, questionId: question.id, input: input() })).toMatchObject({
    ok: false,
    status: 409,
    code: 'qa.question_locked',
  })
  expect((await editQuestion(db, { user: staff, questionId: question.id, input: input() })).ok).toBe(true)
})

test('lists: newest, unanswered, answered and by tag; hidden and deleted questions are left out', async () => {
  const tag = `tag-${Date.now()}`
  const answered = await insertQuestion(db, { tags: [tag], createdAt: new Date(Date.now() - 3000) })
  const answer = await insertAnswer(db, answered)
  await db.update(questions).set({ acceptedAnswerId: answer.id }).where(eq(questions.id, answered.id))
  const open = await insertQuestion(db, { tags: [tag], createdAt: new Date(Date.now() - 2000) })
  const hidden = await insertQuestion(db, { tags: [tag], hiddenAt: new Date() })
  const deleted = await insertQuestion(db, { tags: [tag], deletedAt: new Date() })

  const byTag = await listQuestions(db, { tag })
  expect(byTag.questions.map((q) => q.id)).toEqual([open.id, answered.id])
  expect(byTag.total).toBe(2)
  const ids = (list: Awaited<ReturnType<typeof listQuestions>>) => list.questions.map((q) => q.id)
  expect(ids(await listQuestions(db, { tab: 'unanswered', tag }))).toEqual([open.id])
  expect(ids(await listQuestions(db, { tab: 'answered', tag }))).toEqual([answered.id])
  const row = byTag.questions.find((q) => q.id === answered.id)!
  expect(row).toMatchObject({ accepted: true, answerCount: 1 })
  expect(ids(await listQuestions(db, {}))).not.toContain(hidden.id)
  expect(ids(await listQuestions(db, {}))).not.toContain(deleted.id)
  expect((await listTags(db)).find((t) => t.name === tag)).toEqual({ name: tag, questions: 2 })
})

test('a view counts once per viewer per day', async () => {
  const question = await insertQuestion(db)
  const key = 'v:some-visitor'
  expect(await recordQuestionView(db, { questionId: question.id, viewer: key })).toBe(true)
  expect(await recordQuestionView(db, { questionId: question.id, viewer: key })).toBe(false)
  expect(await recordQuestionView(db, { questionId: question.id, viewer: 'u:1' })).toBe(true)
  expect(await recordQuestionView(db, { questionId: question.id, viewer: 'u:1', day: '2099-01-02' })).toBe(true)
  const [row] = await db.select({ views: questions.viewCount }).from(questions).where(eq(questions.id, question.id))
  expect(row!.views).toBe(3)
})

test('a hidden question is a 404 for other members but visible to its author and staff', async () => {
  const author = await insertUser(db)
  const question = await insertQuestion(db, { author, hiddenAt: new Date() })
  const other = await insertUser(db)
  expect(await getQuestionPage(db, { viewer: other, questionId: question.id })).toMatchObject({
    ok: false,
    status: 404,
  })
  expect(await getQuestionPage(db, { viewer: null, questionId: question.id })).toMatchObject({ ok: false, status: 404 })
  expect((await getQuestionPage(db, { viewer: author, questionId: question.id })).ok).toBe(true)
  expect((await getQuestionPage(db, { viewer: await insertStaff(db), questionId: question.id })).ok).toBe(true)
})

test('similar questions match title words in English and Japanese', async () => {
  const english = await insertQuestion(db, { title: 'Export the billing report to a spreadsheet' })
  const japanese = await insertQuestion(db, { title: '請求レポートをエクスポートする方法' })
  await insertQuestion(db, { title: 'Unrelated login trouble' })
  await reindexAll(db, new EmbeddedSearchEngine(db))
  const found = await similarQuestions(db, { text: 'how to export billing data' })
  expect(found[0]?.id).toBe(english.id)
  const foundJa = await similarQuestions(db, { text: 'レポートのエクスポート' })
  expect(foundJa.map((q) => q.id)).toContain(japanese.id)
  expect(await similarQuestions(db, { text: 'a an the' })).toEqual([])
})

test('NUL characters, which PostgreSQL text cannot hold, are dropped from what was typed', async () => {
  const user = await insertUser(db)
  const parsed = QuestionSchema.parse({
    title: 'Null\u0000 in the title',
    body: 'A body with a NUL \u0000 inside it',
    tags: 'x\u0000y',
  })
  expect(parsed.title).toBe('Null in the title')
  const outcome = await askQuestion(db, { user, input: parsed })
  expect(outcome.ok).toBe(true)
})
