import { eq } from 'drizzle-orm'
import { beforeEach, expect, test } from 'vitest'
import {
  createArticle,
  restoreArticleRevision,
  setArticleStatus,
  updateArticle,
} from '#app/domain/help/articles.server.ts'
import { ArticleSchema } from '#app/domain/help/schemas.ts'
import { insertEvent } from '#app/server/seed/factories/events.ts'
import { insertArticle, insertCategory } from '#app/server/seed/factories/help.ts'
import { insertStaff } from '#app/server/seed/factories/identity.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { articles } from '#db/schema/help.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { db } from '#tests/db.ts'
import { allSearchDocuments, loadSearchDocuments } from './documents.server.ts'

beforeEach(async () => {
  await db.delete(searchOutbox)
})

async function articleDoc(id: number) {
  const { docs } = await loadSearchDocuments(db, [{ type: 'article', id }])
  return docs[0] ?? null
}

/** The articles the outbox asks the sync to read again. */
async function queuedArticles(): Promise<number[]> {
  const rows = await db.select({ docType: searchOutbox.docType, docId: searchOutbox.docId }).from(searchOutbox)
  return [...new Set(rows.filter((row) => row.docType === 'article').map((row) => Number(row.docId)))].sort(
    (a, b) => a - b,
  )
}

const form = (category: { id: number }, fields: Record<string, string>) =>
  ArticleSchema.parse({ categoryId: String(category.id), tags: 'billing', ...fields })

test('an article and its published translation are one group, each carrying the other’s words', async () => {
  const category = await insertCategory(db)
  const ja = await insertArticle(db, {
    category,
    locale: 'ja',
    title: '契約を解約する',
    bodyMd: '解約は **契約** ページから申し込めます。',
  })
  const en = await insertArticle(db, {
    category,
    locale: 'en',
    translationGroup: ja.id,
    title: 'Cancel your contract',
    bodyMd: 'Open the **Contract** page and choose Cancel.',
  })
  const jaDoc = await articleDoc(ja.id)
  expect(jaDoc).toMatchObject({
    group: `article-group:${ja.id}`,
    otherLocales: ['en'],
    translations: 'Cancel your contract\n\nOpen the Contract page and choose Cancel.',
    // Its own text stays its own.
    title: '契約を解約する',
    body: '解約は 契約 ページから申し込めます。',
  })
  expect(await articleDoc(en.id)).toMatchObject({
    group: `article-group:${ja.id}`,
    otherLocales: ['ja'],
    translations: '契約を解約する\n\n解約は 契約 ページから申し込めます。',
  })

  // A full reindex builds the same documents.
  const everything = []
  for await (const batch of allSearchDocuments(db, 1)) everything.push(...batch)
  expect(everything.find((doc) => doc.id === `article:${ja.id}`)).toEqual(jaDoc)
})

test('a draft or archived translation is not part of the group; content without versions is its own group', async () => {
  const category = await insertCategory(db)
  const en = await insertArticle(db, { category, locale: 'en', title: 'Change the billing address' })
  await insertArticle(db, {
    category,
    locale: 'ja',
    translationGroup: en.id,
    status: 'draft',
    title: '請求先住所を変更する',
  })
  expect(await articleDoc(en.id)).toMatchObject({ group: `article:${en.id}`, otherLocales: [], translations: '' })

  const archived = await insertArticle(db, { category, locale: 'en', title: 'Old billing page', status: 'archived' })
  const current = await insertArticle(db, {
    category,
    locale: 'ja',
    translationGroup: archived.id,
    title: '請求ページ',
  })
  expect(await articleDoc(current.id)).toMatchObject({ group: `article:${current.id}`, otherLocales: [] })

  // Articles from before translation groups (no group at all) are their own group.
  const legacy = await insertArticle(db, { category, title: 'Legacy article' })
  await db.update(articles).set({ translationGroup: null }).where(eq(articles.id, legacy.id))
  expect(await articleDoc(legacy.id)).toMatchObject({ group: `article:${legacy.id}`, otherLocales: [] })

  const question = await insertQuestion(db, { title: 'How do I change the billing address?' })
  const event = await insertEvent(db, { title: 'Billing office hours', status: 'published' })
  const { docs } = await loadSearchDocuments(db, [
    { type: 'question', id: question.id },
    { type: 'event', id: event.id },
  ])
  expect(docs.map(({ id, group, otherLocales, translations }) => ({ id, group, otherLocales, translations }))).toEqual([
    { id: `question:${question.id}`, group: `question:${question.id}`, otherLocales: [], translations: '' },
    { id: `event:${event.id}`, group: `event:${event.id}`, otherLocales: [], translations: '' },
  ])
})

test('the other text is capped like the rest', async () => {
  const category = await insertCategory(db)
  const long = 'word '.repeat(6_000)
  const en = await insertArticle(db, { category, locale: 'en', title: 'Long', bodyMd: long })
  const ja = await insertArticle(db, { category, locale: 'ja', translationGroup: en.id, title: '長い記事' })
  expect((await articleDoc(ja.id))?.translations.length).toBe(20_000)
})

test('publishing, editing, restoring, unpublishing and linking a version re-index the other versions', async () => {
  const staff = await insertStaff(db)
  const category = await insertCategory(db)
  const created = await createArticle(db, {
    actor: staff,
    publish: true,
    input: form(category, { locale: 'ja', title: '解約の手続き', body: '契約ページから解約できます。' }),
  })
  if (!created.ok) throw new Error(created.code)
  const jaId = created.value.id
  await db.delete(searchOutbox)

  // Publishing a translation: the Japanese version now names English and carries its words.
  const translated = await createArticle(db, {
    actor: staff,
    publish: true,
    input: form(category, {
      locale: 'en',
      title: 'Cancelling your contract',
      body: 'Cancel from the contract page.',
      translationOf: String(jaId),
    }),
  })
  if (!translated.ok) throw new Error(translated.code)
  const enId = translated.value.id
  expect(await queuedArticles()).toEqual([jaId, enId])
  expect(await articleDoc(jaId)).toMatchObject({
    otherLocales: ['en'],
    translations: expect.stringContaining('Cancelling'),
  })

  // Editing one version: the other's document holds its words.
  await db.delete(searchOutbox)
  const edited = await updateArticle(db, {
    actor: staff,
    articleId: enId,
    input: form(category, { locale: 'en', title: 'Ending your contract', body: 'End it from the contract page.' }),
  })
  expect(edited.ok).toBe(true)
  expect(await queuedArticles()).toEqual([jaId, enId])
  expect((await articleDoc(jaId))?.translations).toContain('Ending your contract')

  // Restoring an old revision of a published version.
  await db.delete(searchOutbox)
  expect((await restoreArticleRevision(db, { actor: staff, articleId: enId, number: 1 })).ok).toBe(true)
  expect(await queuedArticles()).toEqual([jaId, enId])
  expect((await articleDoc(jaId))?.translations).toContain('Cancelling your contract')

  // Unpublishing one: the other is alone again.
  await db.delete(searchOutbox)
  expect((await setArticleStatus(db, { actor: staff, articleId: enId, status: 'draft' })).ok).toBe(true)
  expect(await queuedArticles()).toEqual([jaId, enId])
  expect(await articleDoc(jaId)).toMatchObject({ group: `article:${jaId}`, otherLocales: [], translations: '' })
  expect(await articleDoc(enId)).toBeNull()

  // Linking a published version to another article: the group it leaves and the one it joins are read again.
  await db.delete(searchOutbox)
  expect((await setArticleStatus(db, { actor: staff, articleId: enId, status: 'published' })).ok).toBe(true)
  const refunds = await createArticle(db, {
    actor: staff,
    publish: true,
    input: form(category, { locale: 'ja', title: '返金について', body: '返金の流れ。' }),
  })
  if (!refunds.ok) throw new Error(refunds.code)
  await db.delete(searchOutbox)
  const moved = await updateArticle(db, {
    actor: staff,
    articleId: enId,
    input: form(category, {
      locale: 'en',
      title: 'Cancelling your contract',
      body: 'Cancel from the contract page.',
      translationOf: String(refunds.value.id),
    }),
  })
  expect(moved.ok).toBe(true)
  expect(await queuedArticles()).toEqual([jaId, enId, refunds.value.id])
  expect(await articleDoc(jaId)).toMatchObject({ group: `article:${jaId}`, otherLocales: [] })
  expect(await articleDoc(refunds.value.id)).toMatchObject({
    group: `article-group:${refunds.value.id}`,
    otherLocales: ['en'],
    translations: expect.stringContaining('Cancelling your contract'),
  })
})
