import { and, eq, sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertAnswer, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { acceptAnswer, editAnswer, postAnswer, unacceptAnswer } from './answers.server.ts'
import { markDuplicate, setQuestionLocked } from './moderation.server.ts'
import { answerPageOf, getQuestionPage } from './questions.server.ts'
import { ANSWERS_PER_PAGE } from './schemas.ts'

const body = { body: 'Open Reports, choose the month, then press Export as CSV.' }

test('posting an answer counts it on the question and records answer_posted', async () => {
  const question = await insertQuestion(db)
  const user = await insertUser(db)
  const outcome = await postAnswer(db, { user, questionId: question.id, input: body })
  expect(outcome.ok).toBe(true)
  const [row] = await db.select().from(questions).where(eq(questions.id, question.id))
  expect(row!.answerCount).toBe(1)
  const ledger = await db
    .select()
    .from(activityEvents)
    .where(and(eq(activityEvents.userId, user.id), eq(activityEvents.type, 'answer_posted')))
  expect(ledger).toHaveLength(1)
})

test('a locked, deleted or duplicate question takes no answers from members', async () => {
  const staff = await insertStaff(db)
  const user = await insertUser(db, { createdAt: new Date(Date.now() - 5 * 86400_000) })
  const locked = await insertQuestion(db)
  await setQuestionLocked(db, { actor: staff, questionId: locked.id, locked: true })
  expect(await postAnswer(db, { user, questionId: locked.id, input: body })).toMatchObject({
    ok: false,
    status: 409,
    code: 'qa.question_locked',
  })
  const deleted = await insertQuestion(db, { deletedAt: new Date() })
  expect(await postAnswer(db, { user, questionId: deleted.id, input: body })).toMatchObject({ ok: false, status: 404 })
  const original = await insertQuestion(db)
  const duplicate = await insertQuestion(db)
  await markDuplicate(db, { actor: staff, questionId: duplicate.id, duplicateOfId: original.id })
  expect(await postAnswer(db, { user, questionId: duplicate.id, input: body })).toMatchObject({
    ok: false,
    status: 409,
    code: 'qa.question_is_duplicate',
  })
  expect((await postAnswer(db, { user: staff, questionId: locked.id, input: body })).ok).toBe(true)
})

test('the asker accepts, moves and removes acceptance; the answerer is credited once per answer', async () => {
  const asker = await insertUser(db)
  const question = await insertQuestion(db, { author: asker })
  const first = await insertAnswer(db, question)
  const second = await insertAnswer(db, question)
  expect(await acceptAnswer(db, { user: asker, answerId: first.id })).toMatchObject({ ok: true })
  expect(await acceptAnswer(db, { user: asker, answerId: second.id })).toMatchObject({ ok: true })
  let [row] = await db.select().from(questions).where(eq(questions.id, question.id))
  expect(row!.acceptedAnswerId).toBe(second.id)
  await unacceptAnswer(db, { user: asker, questionId: question.id })
  await acceptAnswer(db, { user: asker, answerId: first.id })
  ;[row] = await db.select().from(questions).where(eq(questions.id, question.id))
  expect(row!.acceptedAnswerId).toBe(first.id)
  const credits = await db
    .select({ userId: activityEvents.userId })
    .from(activityEvents)
    .where(eq(activityEvents.type, 'answer_accepted'))
  expect(credits.filter((c) => c.userId === first.authorId)).toHaveLength(1)
  expect(credits.filter((c) => c.userId === second.authorId)).toHaveLength(1)
})

test('only the asker or staff may accept; accepting your own answer to your question earns no credit', async () => {
  const asker = await insertUser(db)
  const question = await insertQuestion(db, { author: asker })
  const answer = await insertAnswer(db, question)
  const stranger = await insertUser(db)
  expect(await acceptAnswer(db, { user: stranger, answerId: answer.id })).toMatchObject({
    ok: false,
    status: 403,
    code: 'qa.cannot_accept',
  })
  expect((await acceptAnswer(db, { user: await insertStaff(db), answerId: answer.id })).ok).toBe(true)
  const own = await insertAnswer(db, question, { author: asker })
  expect((await acceptAnswer(db, { user: asker, answerId: own.id })).ok).toBe(true)
  const credits = await db
    .select()
    .from(activityEvents)
    .where(and(eq(activityEvents.type, 'answer_accepted'), eq(activityEvents.userId, asker.id)))
  expect(credits).toHaveLength(0)
})

test('answers are ordered accepted first, then by score, then oldest', async () => {
  const question = await insertQuestion(db)
  const t0 = Date.now() - 10_000
  const old = await insertAnswer(db, question, { score: 2, createdAt: new Date(t0) })
  const newer = await insertAnswer(db, question, { score: 2, createdAt: new Date(t0 + 1000) })
  const best = await insertAnswer(db, question, { score: 9, createdAt: new Date(t0 + 2000) })
  const accepted = await insertAnswer(db, question, { score: -1, createdAt: new Date(t0 + 3000) })
  await db.update(questions).set({ acceptedAnswerId: accepted.id }).where(eq(questions.id, question.id))
  const page = await getQuestionPage(db, { viewer: null, questionId: question.id })
  expect(page.ok && page.value.answers.map((a) => a.id)).toEqual([accepted.id, best.id, old.id, newer.id])
})

test('a question with 1,000 answers pages them, and an answer link finds its page', async () => {
  const question = await insertQuestion(db)
  const author = await insertUser(db)
  const start = Date.now() - 2_000_000
  await db.insert(answers).values(
    Array.from({ length: 1000 }, (_, i) => ({
      questionId: question.id,
      authorId: author.id,
      bodyMd: `Answer ${i}`,
      bodyHtml: `<p>Answer ${i}</p>`,
      renderVersion: 1,
      createdAt: new Date(start + i * 1000),
    })),
  )
  await db.update(questions).set({ answerCount: 1000 }).where(eq(questions.id, question.id))
  const last = Math.ceil(1000 / ANSWERS_PER_PAGE)
  const page = await getQuestionPage(db, { viewer: null, questionId: question.id, page: last })
  expect(page.ok && page.value).toMatchObject({ page: last, pageCount: last, totalAnswers: 1000 })
  expect(page.ok && page.value.answers.at(-1)?.bodyHtml).toBe('<p>Answer 999</p>')
  const beyond = await getQuestionPage(db, { viewer: null, questionId: question.id, page: 999 })
  expect(beyond.ok && beyond.value.page).toBe(last)
  const [target] = await db
    .select({ id: answers.id })
    .from(answers)
    .where(and(eq(answers.questionId, question.id), sql`${answers.bodyMd} = 'Answer 500'`))
  expect(await answerPageOf(db, { questionId: question.id, answerId: target!.id })).toBe(
    Math.ceil(501 / ANSWERS_PER_PAGE),
  )
})

test('editing an answer: the author or staff, each change a revision', async () => {
  const question = await insertQuestion(db)
  const author = await insertUser(db)
  const answer = await insertAnswer(db, question, { author })
  expect(await editAnswer(db, { user: author, answerId: answer.id, input: body })).toMatchObject({
    ok: true,
    value: { revision: 2 },
  })
  expect(await editAnswer(db, { user: await insertUser(db), answerId: answer.id, input: body })).toMatchObject({
    ok: false,
    status: 403,
  })
})
