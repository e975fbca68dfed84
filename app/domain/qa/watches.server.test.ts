import { expect, test } from 'vitest'
import { insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { db } from '#tests/db.ts'
import { isWatching, setWatching, watchQuestion } from './watches.server.ts'

test('taking part starts watching a question, once', async () => {
  const question = await insertQuestion(db)
  const member = await insertUser(db)
  expect(await isWatching(db, { userId: member.id, questionId: question.id })).toBe(false)
  await watchQuestion(db, { userId: member.id, questionId: question.id })
  await watchQuestion(db, { userId: member.id, questionId: question.id })
  expect(await isWatching(db, { userId: member.id, questionId: question.id })).toBe(true)
})

test('an explicit unwatch is respected when the member takes part again; watching again is possible', async () => {
  const question = await insertQuestion(db)
  const member = await insertUser(db)
  await watchQuestion(db, { userId: member.id, questionId: question.id })
  expect(await setWatching(db, { user: member, questionId: question.id, watching: false })).toEqual({
    ok: true,
    value: { watching: false },
  })
  await watchQuestion(db, { userId: member.id, questionId: question.id })
  expect(await isWatching(db, { userId: member.id, questionId: question.id })).toBe(false)
  await setWatching(db, { user: member, questionId: question.id, watching: true })
  expect(await isWatching(db, { userId: member.id, questionId: question.id })).toBe(true)
})

test('a missing, deleted or hidden question cannot be watched by a member', async () => {
  const member = await insertUser(db)
  const deleted = await insertQuestion(db, { deletedAt: new Date() })
  const hidden = await insertQuestion(db, { hiddenAt: new Date() })
  for (const questionId of [999_999, deleted.id, hidden.id]) {
    expect(await setWatching(db, { user: member, questionId, watching: true })).toMatchObject({
      ok: false,
      status: 404,
      code: 'notify.question_not_found',
    })
  }
  expect(await isWatching(db, { userId: member.id, questionId: hidden.id })).toBe(false)
  const staff = await insertStaff(db)
  expect(await setWatching(db, { user: staff, questionId: hidden.id, watching: true })).toMatchObject({ ok: true })
})

test('watching is per member', async () => {
  const question = await insertQuestion(db)
  const [one, other] = [await insertUser(db), await insertUser(db)]
  await setWatching(db, { user: one, questionId: question.id, watching: true })
  expect(await isWatching(db, { userId: other.id, questionId: question.id })).toBe(false)
})
