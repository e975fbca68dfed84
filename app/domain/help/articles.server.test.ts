import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertArticle, insertCategory, insertSection } from '#app/server/seed/factories/help.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertAnswer, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { articleRevisions, articles } from '#db/schema/help.ts'
import { questions } from '#db/schema/qa.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { db } from '#tests/db.ts'
import {
  createArticle,
  getArticlePage,
  listArticleRevisions,
  promoteAnswer,
  restoreArticleRevision,
  setArticleStatus,
  updateArticle,
} from './articles.server.ts'
import { ArticleSchema } from './schemas.ts'

const form = (category: { id: number }, overrides: Record<string, string> = {}) =>
  ArticleSchema.parse({
    title: 'CSV エクスポートの使い方',
    categoryId: String(category.id),
    locale: 'ja',
    tags: 'reports, csv',
    body: '## 手順\n\n1. レポートを開く\n2. **CSV** を選ぶ',
    ...overrides,
  })

test('staff write a Japanese draft with a readable slug; publishing makes it public and reaches search', async () => {
  const staff = await insertStaff(db)
  const category = await insertCategory(db)
  const created = await createArticle(db, { actor: staff, input: form(category) })
  expect(created.ok).toBe(true)
  if (!created.ok) return
  const [article] = await db.select().from(articles).where(eq(articles.id, created.value.id))
  expect(article).toMatchObject({
    slug: 'csv-エクスポートの使い方',
    status: 'draft',
    locale: 'ja',
    tags: ['reports', 'csv'],
  })
  expect(await getArticlePage(db, { categorySlug: category.slug, slug: article!.slug, viewer: null })).toMatchObject({
    ok: false,
    status: 404,
  })

  const published = await setArticleStatus(db, { actor: staff, articleId: article!.id, status: 'published' })
  expect(published).toMatchObject({ ok: true, value: { status: 'published' } })
  const page = await getArticlePage(db, { categorySlug: category.slug, slug: article!.slug, viewer: null })
  expect(page.ok && 'article' in page.value && page.value.article.bodyHtml).toContain('<h2>手順</h2>')
  const outbox = await db
    .select()
    .from(searchOutbox)
    .where(and(eq(searchOutbox.docType, 'article'), eq(searchOutbox.docId, String(article!.id))))
  expect(outbox.map((row) => row.op)).toEqual(['upsert'])
})

test('members cannot write; an empty title, a duplicate slug and publishing an empty body are refused', async () => {
  const staff = await insertStaff(db)
  const member = await insertUser(db)
  const category = await insertCategory(db)
  expect(await createArticle(db, { actor: member, input: form(category) })).toMatchObject({ ok: false, status: 403 })
  expect(ArticleSchema.safeParse({ title: ' ', categoryId: category.id, locale: 'en' }).error?.issues[0]?.message).toBe(
    'help.validation.title_required',
  )
  await insertArticle(db, { category, slug: 'taken-slug' })
  expect(await createArticle(db, { actor: staff, input: form(category, { slug: 'Taken slug' }) })).toMatchObject({
    ok: false,
    status: 409,
    code: 'help.slug_taken',
    field: 'slug',
  })
  expect(
    await createArticle(db, { actor: staff, input: form(category, { body: '   ' }), publish: true }),
  ).toMatchObject({
    ok: false,
    code: 'help.body_required_to_publish',
    field: 'body',
  })
  const other = await insertCategory(db)
  const section = await insertSection(db, other)
  expect(
    await createArticle(db, { actor: staff, input: form(category, { sectionId: String(section.id) }) }),
  ).toMatchObject({
    ok: false,
    field: 'sectionId',
  })
})

test('renaming keeps the old slug redirecting; every save is a revision that can be restored', async () => {
  const staff = await insertStaff(db)
  const category = await insertCategory(db)
  const article = await insertArticle(db, { category, slug: 'export-reports', title: 'Export reports', locale: 'en' })
  const renamed = await updateArticle(db, {
    actor: staff,
    articleId: article.id,
    input: form(category, {
      title: 'Export reports as CSV',
      slug: 'export-reports-csv',
      locale: 'en',
      body: 'New body.',
    }),
  })
  expect(renamed).toMatchObject({ ok: true, value: { revision: 2 } })
  expect(await getArticlePage(db, { categorySlug: category.slug, slug: 'export-reports', viewer: null })).toEqual({
    ok: true,
    value: { redirect: `/help/${category.slug}/export-reports-csv` },
  })
  const restored = await restoreArticleRevision(db, { actor: staff, articleId: article.id, number: 1 })
  expect(restored).toMatchObject({ ok: true, value: { revision: 3 } })
  const [row] = await db.select().from(articles).where(eq(articles.id, article.id))
  expect(row).toMatchObject({ title: article.title, bodyMd: article.bodyMd, slug: 'export-reports-csv', version: 3 })
  const history = await listArticleRevisions(db, { actor: staff, articleId: article.id })
  expect(history.ok && history.value.revisions.map((r) => r.action)).toEqual(['created', 'edited', 'restored:1'])
  // Another article may not take the old slug: it still belongs to the first.
  expect(await createArticle(db, { actor: staff, input: form(category, { slug: 'export-reports' }) })).toMatchObject({
    ok: false,
    code: 'help.slug_taken',
  })
})

test('a translation joins its original; one article per language in a group', async () => {
  const staff = await insertStaff(db)
  const category = await insertCategory(db)
  const english = await insertArticle(db, { category, locale: 'en', title: 'Single sign-on' })
  const japanese = await createArticle(db, {
    actor: staff,
    input: form(category, { title: 'シングルサインオン', translationOf: String(english.id) }),
    publish: true,
  })
  expect(japanese.ok).toBe(true)
  const page = await getArticlePage(db, { categorySlug: category.slug, slug: english.slug, viewer: null })
  expect(page.ok && 'translations' in page.value && page.value.translations.map((t) => t.locale)).toEqual(['ja'])
  expect(
    await createArticle(db, {
      actor: staff,
      input: form(category, { title: '二つ目', translationOf: String(english.id) }),
    }),
  ).toMatchObject({ ok: false, status: 409, code: 'help.translation_exists' })
})

test('unpublishing and archiving hide the article from readers and remove it from search', async () => {
  const staff = await insertStaff(db)
  const article = await insertArticle(db)
  await setArticleStatus(db, { actor: staff, articleId: article.id, status: 'archived' })
  const outbox = await db
    .select()
    .from(searchOutbox)
    .where(eq(searchOutbox.docId, String(article.id)))
  expect(outbox.at(-1)).toMatchObject({ docType: 'article', op: 'delete' })
  const [{ categoryId }] = [article]
  expect(categoryId).toBeGreaterThan(0)
  const revisions = await db.select().from(articleRevisions).where(eq(articleRevisions.articleId, article.id))
  expect(revisions.map((r) => r.action)).toEqual(['created', 'archived'])
})

test('promoting an accepted answer makes a credited draft once, and credits the answerer once', async () => {
  const staff = await insertStaff(db)
  await insertCategory(db, { position: -100 })
  const question = await insertQuestion(db, { title: 'How do I rotate API keys?', tags: ['api'] })
  const answerer = await insertUser(db)
  const answer = await insertAnswer(db, question, {
    author: answerer,
    bodyMd: 'Create a second key, then revoke the first.',
  })
  expect(await promoteAnswer(db, { actor: staff, answerId: answer.id })).toMatchObject({
    ok: false,
    code: 'help.promote_not_accepted',
  })
  await db.update(questions).set({ acceptedAnswerId: answer.id }).where(eq(questions.id, question.id))
  const first = await promoteAnswer(db, { actor: staff, answerId: answer.id })
  expect(first).toMatchObject({ ok: true, value: { created: true } })
  const again = await promoteAnswer(db, { actor: staff, answerId: answer.id })
  expect(again).toMatchObject({ ok: true, value: { created: false } })
  if (!first.ok) return
  const [article] = await db.select().from(articles).where(eq(articles.id, first.value.id))
  expect(article).toMatchObject({
    status: 'draft',
    creditedUserId: answerer.id,
    title: 'How do I rotate API keys?',
    tags: ['api'],
  })
  expect(article!.bodyMd).toContain('Create a second key, then revoke the first.')
  const credits = await db
    .select()
    .from(activityEvents)
    .where(and(eq(activityEvents.type, 'answer_promoted'), eq(activityEvents.userId, answerer.id)))
  expect(credits).toHaveLength(1)
  expect(await promoteAnswer(db, { actor: answerer, answerId: answer.id })).toMatchObject({ ok: false, status: 403 })
})
