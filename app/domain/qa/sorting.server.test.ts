import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { insertAnswer, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { users } from '#db/schema/identity.ts'
import { questions } from '#db/schema/qa.ts'
import { userScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { getQuestionPage, listQuestions } from './questions.server.ts'
import { answerSortOf, questionTabs } from './schemas.ts'

const HOUR = 3_600_000

/** Questions under a tag of their own, so the list holds only them. */
async function taggedQuestions(specs: { score: number; viewCount: number }[]) {
  const tag = `sort-${randomUUID().slice(0, 8)}`
  const made = []
  for (const spec of specs) made.push(await insertQuestion(db, { tags: [tag], ...spec }))
  return { tag, ids: made.map((question) => question.id) }
}

test('most votes: highest score first, equal scores newest id first', async () => {
  const { tag, ids } = await taggedQuestions([
    { score: 2, viewCount: 0 },
    { score: 5, viewCount: 0 },
    { score: 2, viewCount: 0 },
    { score: -1, viewCount: 0 },
  ])
  const list = await listQuestions(db, { tab: 'votes', tag })
  expect(list.questions.map((q) => q.id)).toEqual([ids[1], ids[2], ids[0], ids[3]])
})

test('most viewed: most views first, equal views newest id first, and pages do not overlap', async () => {
  const { tag, ids } = await taggedQuestions([
    { score: 0, viewCount: 10 },
    { score: 0, viewCount: 300 },
    { score: 0, viewCount: 10 },
    { score: 0, viewCount: 42 },
  ])
  const list = await listQuestions(db, { tab: 'views', tag })
  expect(list.questions.map((q) => q.id)).toEqual([ids[1], ids[3], ids[2], ids[0]])
  const first = await listQuestions(db, { tab: 'views', tag, perPage: 2 })
  const second = await listQuestions(db, { tab: 'views', tag, perPage: 2, page: 2 })
  expect([...first.questions, ...second.questions].map((q) => q.id)).toEqual([ids[1], ids[3], ids[2], ids[0]])
})

test('question lists carry the author’s picture version from the join that reads the author', async () => {
  const author = await insertUser(db)
  const at = new Date('2026-03-01T10:00:00Z')
  await db.update(users).set({ avatarUpdatedAt: at }).where(eq(users.id, author.id))
  const tag = `pic-${randomUUID().slice(0, 8)}`
  await insertQuestion(db, { author, tags: [tag] })
  const list = await listQuestions(db, { tab: 'newest', tag })
  expect(list.questions[0]).toMatchObject({ authorId: author.id, authorAvatarUpdatedAt: at })
})

test('every tab has an order, and the new ones are offered', () => {
  expect(questionTabs).toEqual(expect.arrayContaining(['votes', 'views']))
})

async function threeAnswers() {
  const asker = await insertUser(db)
  const question = await insertQuestion(db, { author: asker })
  const start = Date.now() - 10 * HOUR
  const first = await insertAnswer(db, question, { createdAt: new Date(start), score: 1 })
  const second = await insertAnswer(db, question, { createdAt: new Date(start + HOUR), score: 4 })
  const third = await insertAnswer(db, question, { createdAt: new Date(start + 2 * HOUR), score: 1 })
  return { question, asker, first, second, third }
}

async function answerOrder(questionId: number, sort?: 'votes' | 'newest' | 'oldest') {
  const page = await getQuestionPage(db, { viewer: null, questionId, sort })
  if (!page.ok) throw new Error(page.code)
  return { ids: page.value.answers.map((answer) => answer.id), sort: page.value.sort }
}

test('answers by votes (the default): highest score first, equal scores oldest first', async () => {
  const { question, first, second, third } = await threeAnswers()
  expect(await answerOrder(question.id)).toEqual({ ids: [second.id, first.id, third.id], sort: 'votes' })
  expect(await answerOrder(question.id, 'votes')).toEqual({ ids: [second.id, first.id, third.id], sort: 'votes' })
})

test('by votes the accepted answer comes first; newest and oldest are by time alone', async () => {
  const { question, first, second, third } = await threeAnswers()
  await db.update(questions).set({ acceptedAnswerId: third.id }).where(eq(questions.id, question.id))
  expect((await answerOrder(question.id, 'votes')).ids).toEqual([third.id, second.id, first.id])
  expect((await answerOrder(question.id, 'newest')).ids).toEqual([third.id, second.id, first.id])
  expect((await answerOrder(question.id, 'oldest')).ids).toEqual([first.id, second.id, third.id])
})

test('answers at the same moment keep one order, by id', async () => {
  const question = await insertQuestion(db)
  const at = new Date(Date.now() - HOUR)
  const a = await insertAnswer(db, question, { createdAt: at })
  const b = await insertAnswer(db, question, { createdAt: at })
  expect((await answerOrder(question.id, 'oldest')).ids).toEqual([a.id, b.id])
  expect((await answerOrder(question.id, 'newest')).ids).toEqual([b.id, a.id])
})

test('an unknown or missing sort falls back to votes', () => {
  for (const value of [null, undefined, '', 'VOTES', 'score; drop table answers', 'toString', '__proto__']) {
    expect(answerSortOf(value)).toBe('votes')
  }
  expect(answerSortOf('newest')).toBe('newest')
  expect(answerSortOf('oldest')).toBe('oldest')
})

test('posts carry their author’s level from the latest snapshot, none before the first', async () => {
  const author = await insertUser(db)
  const question = await insertQuestion(db, { author })
  const answer = await insertAnswer(db, question, { author })
  const before = await getQuestionPage(db, { viewer: null, questionId: question.id })
  expect(before).toMatchObject({ ok: true, value: { question: { authorLevel: null } } })
  const snapshot = { userId: author.id, points: 30, components: {} }
  await db.insert(userScores).values([
    { ...snapshot, asOf: '2026-01-01', level: 'participant' },
    { ...snapshot, asOf: '2026-01-02', level: 'contributor' },
  ])
  const after = await getQuestionPage(db, { viewer: null, questionId: question.id })
  expect(after).toMatchObject({
    ok: true,
    value: { question: { authorLevel: 'contributor' }, answers: [{ id: answer.id, authorLevel: 'contributor' }] },
  })
})
