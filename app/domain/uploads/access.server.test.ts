import { eq, sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { createArticle } from '#app/domain/help/articles.server.ts'
import { ArticleSchema } from '#app/domain/help/schemas.ts'
import { postAnswer } from '#app/domain/qa/answers.server.ts'
import { postComment } from '#app/domain/qa/comments.server.ts'
import { moderatePost } from '#app/domain/qa/moderation.server.ts'
import { askQuestion } from '#app/domain/qa/questions.server.ts'
import { insertEvent } from '#app/server/seed/factories/events.ts'
import { insertCategory } from '#app/server/seed/factories/help.ts'
import { insertAccount, insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { maySeeUpload } from '#app/server/upload-access.server.ts'
import { drafts, uploadRefs, uploads } from '#db/schema/editor.ts'
import { db } from '#tests/db.ts'
import { deleteOrphanUploads } from './jobs.server.ts'
import { recordUploadRefs, uploadIdsIn } from './refs.server.ts'
import { storeUpload } from './store.server.ts'

let counter = 0
/** A small text upload of the member's, unique each time. */
async function uploadOf(user: Awaited<ReturnType<typeof insertUser>>) {
  const outcome = await storeUpload(db, {
    user,
    name: 'notes.txt',
    bytes: new TextEncoder().encode(`log line ${++counter} ${Math.random()}`),
  })
  if (!outcome.ok) throw new Error(outcome.code)
  return outcome.value
}

const refsOf = (uploadId: string) => db.select().from(uploadRefs).where(eq(uploadRefs.uploadId, uploadId))

test('addresses in text are found once each; malformed ones are not', () => {
  const id = 'AbCdEfGhIjKlMnOpQrStUv'
  const text = `![a](/uploads/${id}/a.png) [b](http://x.example/uploads/${id}/b.pdf) /uploads/short/x /uploads/${id}x/`
  expect(uploadIdsIn(text)).toEqual([id])
})

test('a post references only its author’s own uploads, never someone else’s pasted address', async () => {
  const author = await insertUser(db)
  const stranger = await insertUser(db)
  const own = await uploadOf(author)
  const theirs = await uploadOf(stranger)
  const question = await insertQuestion(db)
  const outcome = await postAnswer(db, {
    user: author,
    questionId: question.id,
    input: { body: `Mine: ${own.markdown}\n\nNot mine: ${theirs.markdown}` },
  })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  expect(await refsOf(own.id)).toMatchObject([{ subjectType: 'answer', subjectId: outcome.value.id }])
  expect(await refsOf(theirs.id)).toEqual([])
  // The stranger's file stays theirs alone, however public the answer.
  expect(await maySeeUpload(db, null, theirs)).toBe(false)
  expect(await maySeeUpload(db, null, own)).toBe(true)

  // Recorded once however often the text is saved.
  await recordUploadRefs(db, {
    subjectType: 'answer',
    subjectId: outcome.value.id,
    authorId: author.id,
    text: own.markdown,
  })
  expect(await refsOf(own.id)).toHaveLength(1)
})

test('questions and comments reference their uploads in the same transaction', async () => {
  const member = await insertUser(db, { createdAt: new Date(Date.now() - 5 * 86_400_000) })
  const inQuestion = await uploadOf(member)
  const asked = await askQuestion(db, {
    user: member,
    input: { title: 'Export fails with an error', body: `The error:\n\n${inQuestion.markdown}`, tags: [] },
  })
  expect(asked.ok).toBe(true)
  if (!asked.ok) return
  expect(await refsOf(inQuestion.id)).toMatchObject([{ subjectType: 'question', subjectId: asked.value.id }])

  const inComment = await uploadOf(member)
  const commented = await postComment(db, {
    user: member,
    input: { postType: 'question', postId: asked.value.id, body: `Log: ${inComment.url}` },
  })
  expect(commented.ok).toBe(true)
  expect(await refsOf(inComment.id)).toMatchObject([{ subjectType: 'comment' }])
})

test('an upload in a hidden answer is the author’s and staff’s only; in a draft, the owner’s only', async () => {
  const author = await insertUser(db)
  const reader = await insertUser(db)
  const staff = await insertStaff(db)
  const file = await uploadOf(author)
  const question = await insertQuestion(db)
  const answer = await postAnswer(db, { user: author, questionId: question.id, input: { body: file.markdown } })
  if (!answer.ok) throw new Error(answer.code)
  expect(await maySeeUpload(db, reader, file)).toBe(true)

  await moderatePost(db, { actor: staff, targetType: 'answer', targetId: answer.value.id, action: 'hide' })
  expect(await maySeeUpload(db, reader, file)).toBe(false)
  expect(await maySeeUpload(db, null, file)).toBe(false)
  expect(await maySeeUpload(db, author, file)).toBe(true)
  expect(await maySeeUpload(db, staff, file)).toBe(true)

  // Hiding the question hides an answer's file too.
  const other = await uploadOf(author)
  const hiddenQuestion = await insertQuestion(db, { hiddenAt: new Date() })
  await recordUploadRefs(db, {
    subjectType: 'question',
    subjectId: hiddenQuestion.id,
    authorId: author.id,
    text: other.url,
  })
  expect(await maySeeUpload(db, reader, other)).toBe(false)

  const drafted = await uploadOf(author)
  await recordUploadRefs(db, { subjectType: 'draft', subjectId: author.id, authorId: author.id, text: drafted.url })
  expect(await maySeeUpload(db, author, drafted)).toBe(true)
  expect(await maySeeUpload(db, staff, drafted)).toBe(false)
})

test('an event’s upload follows its audience; an article’s its publication', async () => {
  const staff = await insertStaff(db)
  const inside = await insertAccount(db)
  const member = await insertUser(db, { accountId: inside.id })
  const outsider = await insertUser(db)
  const file = await uploadOf(staff)
  const event = await insertEvent(db, { audience: 'restricted', audienceAccountIds: [inside.id] })
  await recordUploadRefs(db, { subjectType: 'event', subjectId: event.id, authorId: staff.id, text: file.markdown })
  expect(await maySeeUpload(db, member, file)).toBe(true)
  expect(await maySeeUpload(db, outsider, file)).toBe(false)
  expect(await maySeeUpload(db, null, file)).toBe(false)

  const category = await insertCategory(db)
  const image = await uploadOf(staff)
  const draft = await createArticle(db, {
    actor: staff,
    input: ArticleSchema.parse({ categoryId: category.id, locale: 'en', title: 'Exporting', body: image.markdown }),
  })
  if (!draft.ok) throw new Error(draft.code)
  expect(await refsOf(image.id)).toMatchObject([{ subjectType: 'article', subjectId: draft.value.id }])
  expect(await maySeeUpload(db, member, image)).toBe(false)
  expect(await maySeeUpload(db, await insertStaff(db), image)).toBe(true)
})

test('the cleanup job deletes day-old uploads nothing uses, and draft references no draft still names', async () => {
  const member = await insertUser(db)
  const [unused, used, fresh, drafted, stale] = [
    await uploadOf(member),
    await uploadOf(member),
    await uploadOf(member),
    await uploadOf(member),
    await uploadOf(member),
  ]
  const question = await insertQuestion(db)
  await recordUploadRefs(db, { subjectType: 'question', subjectId: question.id, authorId: member.id, text: used.url })
  for (const upload of [drafted, stale]) {
    await recordUploadRefs(db, { subjectType: 'draft', subjectId: member.id, authorId: member.id, text: upload.url })
  }
  await db.insert(drafts).values({ userId: member.id, formKey: 'question:new', fields: { body: drafted.markdown } })
  const old = sql`now() - interval '25 hours'`
  for (const upload of [unused, used, drafted, stale]) {
    await db.update(uploads).set({ createdAt: old }).where(eq(uploads.id, upload.id))
    await db.update(uploadRefs).set({ createdAt: old }).where(eq(uploadRefs.uploadId, upload.id))
  }

  expect(await deleteOrphanUploads(db)).toBeGreaterThanOrEqual(2)
  const left = new Set((await db.select({ id: uploads.id }).from(uploads)).map((row) => row.id))
  expect(left.has(unused.id)).toBe(false)
  expect(left.has(stale.id)).toBe(false)
  expect(left.has(used.id)).toBe(true)
  expect(left.has(fresh.id)).toBe(true)
  expect(left.has(drafted.id)).toBe(true)
})
