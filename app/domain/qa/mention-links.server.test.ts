import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { mentionLinkedTables, suggestMentions } from '#app/domain/notify/mentions.server.ts'
import { rerenderMarkdown } from '#app/lib/markdown-rerender.server.ts'
import { insertUser } from '#app/server/seed/factories/identity.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { notifications } from '#db/schema/notify.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { editAnswer, postAnswer } from './answers.server.ts'
import { previewMarkdown } from './preview.server.ts'
import { askQuestion, editQuestion } from './questions.server.ts'
import { AnswerSchema, QuestionSchema } from './schemas.ts'

// Mentions as links (docs/decisions/042): what a question or answer stores links each mention that
// names one active user to the profile, the same users the mention notifies.

const word = () => randomUUID().slice(0, 6)

test('a question links its mention to the profile and notifies the person; an ambiguous name stays text', async () => {
  const w = word()
  const alice = await insertUser(db, { displayName: `Alice ${w} Tanaka` })
  await insertUser(db, { displayName: `Kim ${w}` })
  await insertUser(db, { displayName: `Kim ${w}` })
  const asker = await insertUser(db)
  const input = QuestionSchema.parse({
    title: 'Who owns the billing export?',
    body: `Could @Alice ${w} Tanaka or @Kim ${w} look at \`@Alice ${w} Tanaka\`?`,
    tags: 'billing',
  })
  const outcome = await askQuestion(db, { user: asker, input })
  if (!outcome.ok) throw new Error(outcome.code)
  const [row] = await db.select().from(questions).where(eq(questions.id, outcome.value.id))
  expect(row!.bodyHtml).toBe(
    `<p>Could <a href="/users/${alice.id}" class="mention">@Alice ${w} Tanaka</a> or @Kim ${w} look at <code>@Alice ${w} Tanaka</code>?</p>\n`,
  )
  const told = await db.select().from(notifications).where(eq(notifications.questionId, outcome.value.id))
  expect(told.map((n) => [n.userId, n.type])).toEqual([[alice.id, 'mention']])

  // An edit renders and links again.
  const edited = await editQuestion(db, {
    user: asker,
    questionId: outcome.value.id,
    input: { ...input, body: `Thanks, @alice ${w} tanaka!` },
  })
  expect(edited.ok).toBe(true)
  const [after] = await db.select().from(questions).where(eq(questions.id, outcome.value.id))
  expect(after!.bodyHtml).toContain(`<a href="/users/${alice.id}" class="mention">@alice ${w} tanaka</a>!`)
})

test('answers link Japanese names, on posting and on editing', async () => {
  const w = word()
  const yamada = await insertUser(db, { displayName: `山田 太郎${w}` })
  const question = await insertQuestion(db)
  const answerer = await insertUser(db)
  const posted = await postAnswer(db, {
    user: answerer,
    questionId: question.id,
    input: AnswerSchema.parse({ body: `@山田 太郎${w}さん、設定画面から変更できます。` }),
  })
  if (!posted.ok) throw new Error(posted.code)
  const [answer] = await db.select().from(answers).where(eq(answers.id, posted.value.id))
  expect(answer!.bodyHtml).toContain(`<a href="/users/${yamada.id}" class="mention">@山田 太郎${w}</a>さん`)

  const edited = await editAnswer(db, {
    user: answerer,
    answerId: posted.value.id,
    input: { body: `追記：@山田 太郎${w} さん、ありがとうございました。` },
  })
  expect(edited.ok).toBe(true)
  const [after] = await db.select().from(answers).where(eq(answers.id, posted.value.id))
  expect(after!.bodyHtml).toContain(`<a href="/users/${yamada.id}" class="mention">@山田 太郎${w}</a> さん`)
})

test('the markdown re-render keeps mention links in questions and answers', async () => {
  const w = word()
  const bob = await insertUser(db, { displayName: `Bob ${w}` })
  const question = await insertQuestion(db, { bodyMd: `Ping @Bob ${w} about **this**.` })
  await db.update(questions).set({ bodyHtml: '<p>old</p>', renderVersion: 0 }).where(eq(questions.id, question.id))

  await rerenderMarkdown(db, { enrich: mentionLinkedTables })
  const [row] = await db.select().from(questions).where(eq(questions.id, question.id))
  expect(row!.bodyHtml).toBe(
    `<p>Ping <a href="/users/${bob.id}" class="mention">@Bob ${w}</a> about <strong>this</strong>.</p>\n`,
  )
})

test('suggestions: active users whose name starts with the query, exact name first, without shared names or the viewer', async () => {
  const w = word()
  const viewer = await insertUser(db, { displayName: `Ali${w} Viewer` })
  const exact = await insertUser(db, { displayName: `Ali${w}` })
  const longer = await insertUser(db, { displayName: `ali${w} Tanaka` })
  const wide = await insertUser(db, { displayName: `ＡＬＩ${w} Lee` })
  await insertUser(db, { displayName: `Ali${w} Gone`, disabledAt: new Date() })
  await insertUser(db, { displayName: `Ali${w} Twin` })
  await insertUser(db, { displayName: `Ali${w} Twin` })
  await insertUser(db, { displayName: `Bob${w}` })

  const found = await suggestMentions(db, { viewer, query: ` ali${w.toUpperCase()}` })
  expect(found.map((user) => user.id)).toEqual([exact.id, wide.id, longer.id])
  expect(found[0]).toEqual({ id: exact.id, name: `Ali${w}`, avatarUpdatedAt: null })
  expect(await suggestMentions(db, { viewer, query: '' })).toEqual([])
  expect(await suggestMentions(db, { viewer, query: `ali${w}${'x'.repeat(10_000)}` })).toEqual([])
  for (let i = 0; i < 10; i++) await insertUser(db, { displayName: `Many${w} ${i}` })
  expect(await suggestMentions(db, { viewer, query: `many${w}` })).toHaveLength(8)
})

test('the preview of a question or answer links mentions as saving will; other previews do not', async () => {
  const w = word()
  const mei = await insertUser(db, { displayName: `Mei ${w}` })
  const writer = await insertUser(db)
  const linked = await previewMarkdown(db, writer, `Hi @Mei ${w}`, { linkMentions: true })
  expect(linked).toEqual({ ok: true, value: `<p>Hi <a href="/users/${mei.id}" class="mention">@Mei ${w}</a></p>\n` })
  expect(await previewMarkdown(db, writer, `Hi @Mei ${w}`)).toEqual({ ok: true, value: `<p>Hi @Mei ${w}</p>\n` })
})
