import { randomUUID } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { auditLog } from '#db/schema/identity.ts'
import { questions, revisions, tags } from '#db/schema/qa.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { db } from '#tests/db.ts'
import { mergeTags, renameTag, suggestTags } from './tag-admin.server.ts'

/** A word of its own for each test, so tag names never meet across tests. */
const word = () => `t${randomUUID().slice(0, 6)}`

async function tagsOf(id: number) {
  const [row] = await db.select({ tags: questions.tags }).from(questions).where(eq(questions.id, id))
  return row?.tags
}

async function tagExists(name: string) {
  return (await db.select().from(tags).where(eq(tags.name, name))).length > 0
}

test('merging moves every question to the target tag once, in the old tag’s place, and removes the old tag', async () => {
  const w = word()
  const [from, into] = [`${w}-exports`, `${w}-export`]
  const staff = await insertStaff(db)
  const both = await insertQuestion(db, { tags: ['csv', from, 'reports', into] })
  const onlyOld = await insertQuestion(db, { tags: [from, 'billing'] })
  const untouched = await insertQuestion(db, { tags: [into] })

  const outcome = await mergeTags(db, { actor: staff, from: ` ${from.toUpperCase()} `, into })
  expect(outcome).toEqual({ ok: true, value: { from, to: into, questions: 2 } })
  expect(await tagsOf(both.id)).toEqual(['csv', into, 'reports'])
  expect(await tagsOf(onlyOld.id)).toEqual([into, 'billing'])
  expect(await tagsOf(untouched.id)).toEqual([into])
  expect(await tagExists(from)).toBe(false)
  expect(await tagExists(into)).toBe(true)

  // The changed questions are reindexed; the revisions keep the tags each version had.
  const queued = await db
    .select({ docId: searchOutbox.docId })
    .from(searchOutbox)
    .where(inArray(searchOutbox.docId, [both.id, onlyOld.id, untouched.id].map(String)))
  expect(queued.map((row) => Number(row.docId)).sort()).toEqual([both.id, onlyOld.id].sort())
  const [revision] = await db
    .select({ tags: revisions.tags })
    .from(revisions)
    .where(and(eq(revisions.postType, 'question'), eq(revisions.postId, both.id)))
  expect(revision?.tags).toContain(from)

  const [audit] = await db.select().from(auditLog).where(eq(auditLog.targetId, into))
  expect(audit).toMatchObject({
    actorUserId: staff.id,
    action: 'qa.tags_merged',
    targetType: 'tag',
    details: { from, to: into, questions: 2 },
  })
})

test('renaming gives every question the new name and keeps the tag’s age; Japanese names are fine', async () => {
  const w = word()
  const staff = await insertStaff(db)
  const question = await insertQuestion(db, { tags: [`${w}-setup`, 'csv'] })
  const [before] = await db
    .select()
    .from(tags)
    .where(eq(tags.name, `${w}-setup`))

  const outcome = await renameTag(db, { actor: staff, from: `${w}-setup`, to: `${w} 初期設定` })
  expect(outcome).toEqual({ ok: true, value: { from: `${w}-setup`, to: `${w}-初期設定`, questions: 1 } })
  expect(await tagsOf(question.id)).toEqual([`${w}-初期設定`, 'csv'])
  const [after] = await db
    .select()
    .from(tags)
    .where(eq(tags.name, `${w}-初期設定`))
  expect(after?.createdAt).toEqual(before?.createdAt)
  expect(await tagExists(`${w}-setup`)).toBe(false)
})

test('unknown tags, the same tag twice, invalid names and taken names are refused at their field; nothing changes', async () => {
  const w = word()
  const staff = await insertStaff(db)
  const question = await insertQuestion(db, { tags: [`${w}-a`, `${w}-b`] })

  expect(await mergeTags(db, { actor: staff, from: `${w}-nope`, into: `${w}-a` })).toMatchObject({
    ok: false,
    status: 404,
    code: 'editor.tags.errors.unknown',
    field: 'from',
  })
  expect(await mergeTags(db, { actor: staff, from: `${w}-a`, into: `${w}-nope` })).toMatchObject({
    ok: false,
    code: 'editor.tags.errors.unknown',
    field: 'into',
  })
  expect(await mergeTags(db, { actor: staff, from: `${w}-a`, into: `${w.toUpperCase()}-A` })).toMatchObject({
    ok: false,
    code: 'editor.tags.errors.same',
    field: 'into',
  })
  expect(await renameTag(db, { actor: staff, from: `${w}-a`, to: '!!!' })).toMatchObject({
    ok: false,
    code: 'editor.tags.errors.invalid_name',
    field: 'to',
  })
  expect(await renameTag(db, { actor: staff, from: `${w}-a`, to: 'x'.repeat(33) })).toMatchObject({
    code: 'editor.tags.errors.invalid_name',
  })
  expect(await renameTag(db, { actor: staff, from: `${w}-a`, to: `${w}-b` })).toMatchObject({
    ok: false,
    status: 409,
    code: 'editor.tags.errors.taken',
    field: 'to',
  })
  expect(await tagsOf(question.id)).toEqual([`${w}-a`, `${w}-b`])
})

test('members may not rename or merge tags', async () => {
  const w = word()
  const member = await insertUser(db)
  await insertQuestion(db, { tags: [`${w}-a`, `${w}-b`] })
  expect(await mergeTags(db, { actor: member, from: `${w}-a`, into: `${w}-b` })).toMatchObject({ status: 403 })
  expect(await renameTag(db, { actor: member, from: `${w}-a`, to: `${w}-c` })).toMatchObject({ status: 403 })
  expect(await tagExists(`${w}-a`)).toBe(true)
})

test('suggestions: tags starting with the query first, then later words, with listed-question counts', async () => {
  const w = word()
  await insertQuestion(db, { tags: [`${w}export`] })
  await insertQuestion(db, { tags: [`${w}export`, `${w}exports`] })
  await insertQuestion(db, { tags: [`${w}exports`] })
  await insertQuestion(db, { tags: [`${w}exports`] })
  await insertQuestion(db, { tags: [`csv-${w}ex`] })
  await insertQuestion(db, { tags: [`${w}ex-hidden`], hiddenAt: new Date() })

  expect(await suggestTags(db, { query: ` ${w.toUpperCase()}EX` })).toEqual([
    { name: `${w}exports`, questions: 3 },
    { name: `${w}export`, questions: 2 },
    { name: `csv-${w}ex`, questions: 1 },
  ])
  expect(await suggestTags(db, { query: '   ' })).toEqual([])
  expect(await suggestTags(db, { query: `${w}${'x'.repeat(5000)}` })).toEqual([])
})
