import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertAnswer, insertComment, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { auditLog } from '#db/schema/identity.ts'
import { flags, questions } from '#db/schema/qa.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { db } from '#tests/db.ts'
import { flagPost, listFlagQueue, listRemovedPosts, markDuplicate, moderatePost } from './moderation.server.ts'
import { getQuestionPage } from './questions.server.ts'

test('flags reach the staff queue; hiding the answer resolves them and hides it from readers', async () => {
  const question = await insertQuestion(db)
  const answer = await insertAnswer(db, question, { bodyMd: 'Buy cheap watches at example.com' })
  const [first, second] = [await insertUser(db), await insertUser(db)]
  expect(
    (await flagPost(db, { user: first, input: { targetType: 'answer', targetId: answer.id, reason: 'spam' } })).ok,
  ).toBe(true)
  expect(
    await flagPost(db, { user: first, input: { targetType: 'answer', targetId: answer.id, reason: 'rude' } }),
  ).toMatchObject({ ok: false, status: 409, code: 'qa.already_flagged' })
  await flagPost(db, {
    user: second,
    input: { targetType: 'answer', targetId: answer.id, reason: 'other', note: 'advert' },
  })

  const staff = await insertStaff(db)
  const queue = await listFlagQueue(db, { actor: staff })
  expect(queue.ok && queue.value.items[0]).toMatchObject({
    targetType: 'answer',
    targetId: answer.id,
    flagCount: 2,
    excerpt: 'Buy cheap watches at example.com',
  })
  expect(await listFlagQueue(db, { actor: first })).toMatchObject({ ok: false, status: 403 })

  expect((await moderatePost(db, { actor: staff, targetType: 'answer', targetId: answer.id, action: 'hide' })).ok).toBe(
    true,
  )
  const open = await db
    .select()
    .from(flags)
    .where(and(eq(flags.targetId, answer.id), eq(flags.status, 'open')))
  expect(open).toHaveLength(0)
  const asReader = await getQuestionPage(db, { viewer: first, questionId: question.id })
  expect(asReader.ok && asReader.value.answers).toHaveLength(0)
  const asStaff = await getQuestionPage(db, { viewer: staff, questionId: question.id })
  expect(asStaff.ok && asStaff.value.answers[0]?.hiddenAt).toBeTruthy()
  const [row] = await db.select().from(questions).where(eq(questions.id, question.id))
  expect(row!.answerCount).toBe(0)
})

test('members cannot flag their own posts or moderate', async () => {
  const author = await insertUser(db)
  const question = await insertQuestion(db, { author })
  expect(
    await flagPost(db, { user: author, input: { targetType: 'question', targetId: question.id, reason: 'spam' } }),
  ).toMatchObject({ ok: false, status: 403, code: 'qa.flag_own_post' })
  expect(
    await moderatePost(db, { actor: author, targetType: 'question', targetId: question.id, action: 'delete' }),
  ).toMatchObject({ ok: false, status: 403 })
})

test('soft delete is recoverable, audited, and removes the question from search', async () => {
  const question = await insertQuestion(db)
  const staff = await insertStaff(db)
  await moderatePost(db, { actor: staff, targetType: 'question', targetId: question.id, action: 'delete' })
  expect(await getQuestionPage(db, { viewer: await insertUser(db), questionId: question.id })).toMatchObject({
    ok: false,
  })
  const outbox = await db
    .select()
    .from(searchOutbox)
    .where(eq(searchOutbox.docId, String(question.id)))
  expect(outbox.at(-1)).toMatchObject({ op: 'delete' })
  await moderatePost(db, { actor: staff, targetType: 'question', targetId: question.id, action: 'restore' })
  expect((await getQuestionPage(db, { viewer: null, questionId: question.id })).ok).toBe(true)
  const audit = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.targetId, String(question.id)))
  expect(audit.map((a) => a.action)).toEqual(['qa.delete', 'qa.restore'])
})

test('a hidden comment disappears for readers; a flag on a comment names its question', async () => {
  const question = await insertQuestion(db)
  const comment = await insertComment(db, { questionId: question.id, postType: 'question', postId: question.id })
  const reporter = await insertUser(db)
  expect(
    await flagPost(db, { user: reporter, input: { targetType: 'comment', targetId: comment.id, reason: 'rude' } }),
  ).toMatchObject({ ok: true, value: { questionId: question.id } })
  await moderatePost(db, { actor: await insertStaff(db), targetType: 'comment', targetId: comment.id, action: 'hide' })
  const page = await getQuestionPage(db, { viewer: reporter, questionId: question.id })
  expect(page.ok && page.value.question.comments).toHaveLength(0)
})

test('marking a duplicate of a duplicate points at the original; a question cannot duplicate itself', async () => {
  const staff = await insertStaff(db)
  const original = await insertQuestion(db)
  const first = await insertQuestion(db)
  const second = await insertQuestion(db)
  await markDuplicate(db, { actor: staff, questionId: first.id, duplicateOfId: original.id })
  expect(await markDuplicate(db, { actor: staff, questionId: second.id, duplicateOfId: first.id })).toMatchObject({
    ok: true,
    value: { duplicateOfId: original.id },
  })
  expect(await markDuplicate(db, { actor: staff, questionId: original.id, duplicateOfId: first.id })).toMatchObject({
    ok: false,
    code: 'qa.duplicate_of_self',
  })
  const page = await getQuestionPage(db, { viewer: null, questionId: second.id })
  expect(page.ok && page.value.duplicateOf).toEqual({ id: original.id, title: original.title })
})

test('staff find hidden and deleted posts again, newest removal first', async () => {
  const staff = await insertStaff(db)
  const question = await insertQuestion(db)
  const answer = await insertAnswer(db, question)
  await moderatePost(db, { actor: staff, targetType: 'question', targetId: question.id, action: 'delete' })
  await moderatePost(db, { actor: staff, targetType: 'answer', targetId: answer.id, action: 'hide' })
  const removed = await listRemovedPosts(db, { actor: staff })
  expect(removed.ok && removed.value.slice(0, 2).map((r) => [r.targetType, r.targetId, r.hidden, r.deleted])).toEqual([
    ['answer', answer.id, true, false],
    ['question', question.id, false, true],
  ])
  expect(await listRemovedPosts(db, { actor: await insertUser(db) })).toMatchObject({ ok: false, status: 403 })
})

test('three members flagging a post as spam or rude hide it at once, until staff review it', async () => {
  const question = await insertQuestion(db)
  const answer = await insertAnswer(db, question, { bodyMd: 'Cheap watches here' })
  await db.update(questions).set({ acceptedAnswerId: answer.id }).where(eq(questions.id, question.id))
  const [a, b, c] = [await insertUser(db), await insertUser(db), await insertUser(db)]
  const flag = (user: typeof a, reason: 'spam' | 'rude' | 'off_topic') =>
    flagPost(db, { user, input: { targetType: 'answer', targetId: answer.id, reason } })
  expect(await flag(a, 'spam')).toMatchObject({ ok: true, value: { hidden: false } })
  expect(await flag(b, 'off_topic')).toMatchObject({ ok: true, value: { hidden: false } })
  expect(await flag(c, 'rude')).toMatchObject({ ok: true, value: { hidden: false } })
  expect(await flag(await insertUser(db), 'spam')).toMatchObject({ ok: true, value: { hidden: true } })
  const page = await getQuestionPage(db, { viewer: a, questionId: question.id })
  expect(page.ok && page.value.answers).toHaveLength(0)
  const [row] = await db.select().from(questions).where(eq(questions.id, question.id))
  expect(row).toMatchObject({ acceptedAnswerId: null, answerCount: 0 })
  const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'qa.auto_hide'))
  expect(audit).toHaveLength(1)
  const queue = await listFlagQueue(db, { actor: await insertStaff(db) })
  expect(queue.ok && queue.value.items[0]).toMatchObject({ targetId: answer.id, hidden: true, flagCount: 4 })
})
