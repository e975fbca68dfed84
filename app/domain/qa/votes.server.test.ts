import { and, eq, sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertUser } from '#app/server/seed/factories/identity.ts'
import { insertAnswer, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { answers, questions, votes } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { castVote } from './votes.server.ts'

test('50 concurrent votes on one answer leave the exact score', async () => {
  const question = await insertQuestion(db)
  const answer = await insertAnswer(db, question)
  const voters = await Promise.all(Array.from({ length: 50 }, () => insertUser(db)))
  const results = await Promise.all(
    voters.map((user, i) =>
      castVote(db, { user, postType: 'answer', postId: answer.id, choice: i % 5 === 0 ? 'down' : 'up' }),
    ),
  )
  expect(results.every((r) => r.ok)).toBe(true)
  const [row] = await db.select({ score: answers.score }).from(answers).where(eq(answers.id, answer.id))
  expect(row!.score).toBe(40 - 10)
  const [sum] = await db
    .select({ total: sql<number>`coalesce(sum(${votes.value}), 0)::int` })
    .from(votes)
    .where(and(eq(votes.postType, 'answer'), eq(votes.postId, answer.id)))
  expect(sum!.total).toBe(row!.score)
})

test('a vote can be changed and retracted; the same vote twice is refused', async () => {
  const question = await insertQuestion(db)
  const user = await insertUser(db)
  const vote = (choice: 'up' | 'down' | 'retract') =>
    castVote(db, { user, postType: 'question', postId: question.id, choice })
  expect(await vote('up')).toMatchObject({ ok: true, value: { score: 1, value: 1 } })
  expect(await vote('up')).toMatchObject({ ok: false, status: 409, code: 'qa.already_voted' })
  expect(await vote('down')).toMatchObject({ ok: true, value: { score: -1, value: -1 } })
  expect(await vote('retract')).toMatchObject({ ok: true, value: { score: 0, value: 0 } })
  expect(await vote('retract')).toMatchObject({ ok: false, status: 409, code: 'qa.no_vote_to_retract' })
  const [row] = await db.select({ score: questions.score }).from(questions).where(eq(questions.id, question.id))
  expect(row!.score).toBe(0)
})

test('nobody votes on their own post', async () => {
  const author = await insertUser(db)
  const question = await insertQuestion(db, { author })
  expect(await castVote(db, { user: author, postType: 'question', postId: question.id, choice: 'up' })).toMatchObject({
    ok: false,
    status: 403,
    code: 'qa.vote_own_post',
  })
})

test('an up vote records vote_cast for the voter and vote_received for the author, once per voter and post', async () => {
  const question = await insertQuestion(db)
  const answer = await insertAnswer(db, question)
  const voter = await insertUser(db)
  for (const choice of ['up', 'retract', 'up', 'down', 'up'] as const) {
    expect((await castVote(db, { user: voter, postType: 'answer', postId: answer.id, choice })).ok).toBe(true)
  }
  const cast = await db
    .select()
    .from(activityEvents)
    .where(and(eq(activityEvents.type, 'vote_cast'), eq(activityEvents.userId, voter.id)))
  const received = await db
    .select()
    .from(activityEvents)
    .where(and(eq(activityEvents.type, 'vote_received'), eq(activityEvents.userId, answer.authorId)))
  expect(cast).toHaveLength(1)
  expect(received).toHaveLength(1)
})

test('votes on a deleted answer are refused as not found', async () => {
  const question = await insertQuestion(db)
  const answer = await insertAnswer(db, question, { deletedAt: new Date() })
  const user = await insertUser(db)
  expect(await castVote(db, { user, postType: 'answer', postId: answer.id, choice: 'up' })).toMatchObject({
    ok: false,
    status: 404,
  })
})
