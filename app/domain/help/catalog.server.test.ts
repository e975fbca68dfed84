import { randomUUID } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { translator } from '#app/lib/i18n.ts'
import { helpCategoryPath } from '#app/lib/paths.ts'
import {
  insertArticle,
  insertCategory,
  insertSection,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { articles, helpSections } from '#db/schema/help.ts'
import { auditLog } from '#db/schema/identity.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { reindexAll } from '#search/sync.server.ts'
import { db } from '#tests/db.ts'
import {
  articleCategoryChoices,
  createCategory,
  createSection,
  deleteCategory,
  deleteSection,
  getCategoryPage,
  listArticlesForStaff,
  listHelpCatalog,
  moveCategory,
  moveSection,
  relatedArticles,
  updateCategory,
  updateSection,
} from './catalog.server.ts'
import { categoryName, sectionName } from './names.ts'
import { CategorySchema, SectionSchema } from './schemas.ts'

function unique() {
  return randomUUID().slice(0, 8)
}

function categoryInput(overrides: Record<string, string> = {}) {
  const id = unique()
  return CategorySchema.parse({ nameEn: `Guides ${id}`, nameJa: `ガイド ${id}`, ...overrides })
}

function sectionInput(overrides: Record<string, string> = {}) {
  const id = unique()
  return SectionSchema.parse({ nameEn: `Basics ${id}`, nameJa: `基本 ${id}`, ...overrides })
}

async function created<T>(outcome: Promise<{ ok: true; value: T } | { ok: false; code: string }>): Promise<T> {
  const result = await outcome
  if (!result.ok) throw new Error(`expected success, got ${result.code}`)
  return result.value
}

test('the form schemas trim names, require both languages and cap lengths with catalogue keys', () => {
  expect(CategorySchema.parse({ nameEn: '  Billing ', nameJa: ' 請求 ', slug: '' })).toEqual({
    nameEn: 'Billing',
    nameJa: '請求',
    slug: undefined,
    descriptionEn: '',
    descriptionJa: '',
  })
  const bad = CategorySchema.safeParse({ nameEn: ' ', nameJa: 'x'.repeat(81), descriptionEn: 'y'.repeat(301) })
  expect(bad.error!.issues.map((issue) => `${String(issue.path[0])}:${issue.message}`).sort()).toEqual([
    'descriptionEn:help_browse.validation.description_too_long',
    'nameEn:help_browse.validation.name_required',
    'nameJa:help_browse.validation.name_too_long',
  ])
  expect(SectionSchema.safeParse({ nameEn: 'Only English' }).error!.issues[0]).toMatchObject({
    path: ['nameJa'],
    message: 'help_browse.validation.name_required',
  })
})

test('names are picked in the reader language and category paths encode Japanese slugs', () => {
  const named = { nameEn: 'Getting started', nameJa: 'はじめに' }
  expect(categoryName(named, 'ja')).toBe('はじめに')
  expect(sectionName(named, 'en')).toBe('Getting started')
  expect(helpCategoryPath('はじめに')).toBe('/help/%E3%81%AF%E3%81%98%E3%82%81%E3%81%AB')
})

test('categories and sections keep the order staff give them, and moves swap neighbours', async () => {
  const staff = await insertStaff(db)
  const first = await created(createCategory(db, { actor: staff, input: categoryInput() }))
  const second = await created(createCategory(db, { actor: staff, input: categoryInput() }))
  const third = await created(createCategory(db, { actor: staff, input: categoryInput() }))
  const mine = [first.id, second.id, third.id]
  async function order() {
    const catalog = await listHelpCatalog(db, { locale: 'en', viewer: null })
    return catalog.map((category) => category.id).filter((id) => mine.includes(id))
  }
  expect(await order()).toEqual([first.id, second.id, third.id])

  expect(await moveCategory(db, { actor: staff, categoryId: third.id, direction: 'up' })).toEqual({
    ok: true,
    value: undefined,
  })
  expect(await order()).toEqual([first.id, third.id, second.id])
  await moveCategory(db, { actor: staff, categoryId: first.id, direction: 'down' })
  expect(await order()).toEqual([third.id, first.id, second.id])
  // The last one cannot go further down; nothing changes.
  await moveCategory(db, { actor: staff, categoryId: second.id, direction: 'down' })
  expect(await order()).toEqual([third.id, first.id, second.id])
  expect(await moveCategory(db, { actor: staff, categoryId: 999_999, direction: 'up' })).toMatchObject({
    status: 404,
    code: 'help_browse.category_not_found',
  })

  const a = await created(createSection(db, { actor: staff, categoryId: first.id, input: sectionInput() }))
  const b = await created(createSection(db, { actor: staff, categoryId: first.id, input: sectionInput() }))
  const elsewhere = await created(createSection(db, { actor: staff, categoryId: second.id, input: sectionInput() }))
  await moveSection(db, { actor: staff, sectionId: b.id, direction: 'up' })
  const catalog = await listHelpCatalog(db, { locale: 'ja', viewer: null })
  const withSections = catalog.find((category) => category.id === first.id)!
  expect(withSections.sections.map((section) => section.id)).toEqual([b.id, a.id])
  expect(withSections.sections[0]!.name).toMatch(/^基本 /)
  expect(catalog.find((category) => category.id === second.id)!.sections.map((s) => s.id)).toEqual([elsewhere.id])

  // The article editor offers the same places in the same order.
  const choices = await articleCategoryChoices(db)
  expect(choices.map((choice) => choice.id).filter((id) => mine.includes(id))).toEqual(await order())
  expect(choices.find((choice) => choice.id === first.id)!.sections.map((s) => s.id)).toEqual([b.id, a.id])

  await updateSection(db, { actor: staff, sectionId: a.id, input: sectionInput({ nameEn: 'Renamed' }) })
  const [renamed] = await db.select().from(helpSections).where(eq(helpSections.id, a.id))
  expect(renamed!.nameEn).toBe('Renamed')
})

test('slugs are lower case, made from the English name when left empty, unique and not reserved', async () => {
  const staff = await insertStaff(db)
  const id = unique()
  const derived = await created(
    createCategory(db, { actor: staff, input: categoryInput({ nameEn: `Reports & Exports ${id}` }) }),
  )
  expect(derived.slug).toBe(`reports-exports-${id}`)
  const typed = await created(createCategory(db, { actor: staff, input: categoryInput({ slug: `My Slug ${id}` }) }))
  expect(typed.slug).toBe(`my-slug-${id}`)
  const japanese = await created(createCategory(db, { actor: staff, input: categoryInput({ slug: `はじめに${id}` }) }))
  expect(japanese.slug).toBe(`はじめに${id}`)

  expect(await createCategory(db, { actor: staff, input: categoryInput({ slug: `MY-slug-${id}` }) })).toMatchObject({
    ok: false,
    status: 409,
    code: 'help_browse.slug_taken',
    field: 'slug',
  })
  for (const reserved of ['manage', 'New', 'insights', 'articles']) {
    expect(await createCategory(db, { actor: staff, input: categoryInput({ slug: reserved }) })).toMatchObject({
      status: 400,
      code: 'help_browse.slug_reserved',
      field: 'slug',
    })
  }
  expect(await createCategory(db, { actor: staff, input: categoryInput({ slug: '!!!' }) })).toMatchObject({
    status: 400,
    field: 'slug',
  })
  expect(
    await updateCategory(db, { actor: staff, categoryId: typed.id, input: categoryInput({ slug: derived.slug }) }),
  ).toMatchObject({ status: 409, code: 'help_browse.slug_taken', field: 'slug' })
  expect(
    await updateCategory(db, { actor: staff, categoryId: typed.id, input: categoryInput({ slug: 'manage' }) }),
  ).toMatchObject({ status: 400, code: 'help_browse.slug_reserved' })
  const page = await getCategoryPage(db, { slug: typed.slug, locale: 'en', viewer: null })
  expect(page.ok).toBe(true)
})

test('only staff who manage the help center change categories and sections, and every change is audited', async () => {
  const member = await insertUser(db)
  const staff = await insertStaff(db)
  const category = await insertCategory(db)
  const section = await insertSection(db, category)
  const refusals = [
    await createCategory(db, { actor: member, input: categoryInput() }),
    await updateCategory(db, { actor: member, categoryId: category.id, input: categoryInput() }),
    await deleteCategory(db, { actor: member, categoryId: category.id }),
    await moveCategory(db, { actor: member, categoryId: category.id, direction: 'up' }),
    await createSection(db, { actor: member, categoryId: category.id, input: sectionInput() }),
    await updateSection(db, { actor: member, sectionId: section.id, input: sectionInput() }),
    await deleteSection(db, { actor: member, sectionId: section.id }),
    await moveSection(db, { actor: member, sectionId: section.id, direction: 'down' }),
  ]
  for (const refusal of refusals) expect(refusal).toMatchObject({ ok: false, status: 403, code: 'errors.forbidden' })
  expect(await db.select().from(auditLog).where(eq(auditLog.actorUserId, member.id))).toEqual([])

  const mine = await created(createCategory(db, { actor: staff, input: categoryInput() }))
  await updateCategory(db, { actor: staff, categoryId: mine.id, input: categoryInput({ slug: mine.slug }) })
  await moveCategory(db, { actor: staff, categoryId: mine.id, direction: 'up' })
  const part = await created(createSection(db, { actor: staff, categoryId: mine.id, input: sectionInput() }))
  await deleteSection(db, { actor: staff, sectionId: part.id })
  await deleteCategory(db, { actor: staff, categoryId: mine.id })
  const entries = await db.select().from(auditLog).where(eq(auditLog.actorUserId, staff.id)).orderBy(auditLog.id)
  expect(entries.map((entry) => entry.action)).toEqual([
    'help_category.created',
    'help_category.updated',
    'help_category.moved',
    'help_section.created',
    'help_section.deleted',
    'help_category.deleted',
  ])
})

test('a category with articles cannot be deleted; an empty one goes with its sections', async () => {
  const staff = await insertStaff(db)
  const busy = await insertCategory(db)
  await insertArticle(db, { category: busy, status: 'draft' })
  expect(await deleteCategory(db, { actor: staff, categoryId: busy.id })).toMatchObject({
    ok: false,
    status: 409,
    code: 'help_browse.category_not_empty',
    params: { count: 1 },
  })
  expect((await getCategoryPage(db, { slug: busy.slug, locale: 'en', viewer: null })).ok).toBe(true)

  const empty = await insertCategory(db)
  const section = await insertSection(db, empty)
  expect(await deleteCategory(db, { actor: staff, categoryId: empty.id })).toEqual({ ok: true, value: undefined })
  expect(await db.select().from(helpSections).where(eq(helpSections.id, section.id))).toEqual([])
  expect(await getCategoryPage(db, { slug: empty.slug, locale: 'en', viewer: null })).toMatchObject({
    status: 404,
    code: 'help_browse.category_not_found',
  })
  expect(await deleteCategory(db, { actor: staff, categoryId: empty.id })).toMatchObject({ status: 404 })
})

test('articles of a deleted section stay in the category, under "Other"', async () => {
  const staff = await insertStaff(db)
  const category = await insertCategory(db)
  const section = await insertSection(db, category)
  const article = await insertArticle(db, { category, sectionId: section.id })
  await deleteSection(db, { actor: staff, sectionId: section.id })

  const [row] = await db.select().from(articles).where(eq(articles.id, article.id))
  expect(row).toMatchObject({ categoryId: category.id, sectionId: null })
  const page = await getCategoryPage(db, { slug: category.slug, locale: 'en', viewer: null })
  expect(page.ok && page.value.groups).toEqual([
    { section: null, articles: [expect.objectContaining({ id: article.id, title: article.title })] },
  ])
})

test('the category page lists the reader language first and marks articles only in the other language', async () => {
  const category = await insertCategory(db, { nameEn: 'Exports', nameJa: 'エクスポート', descriptionJa: '出力の方法' })
  const section = await insertSection(db, category, { nameEn: 'CSV', nameJa: 'CSV ファイル' })
  const englishPair = await insertArticle(db, { category, sectionId: section.id, title: 'Export as CSV' })
  const japanesePair = await insertArticle(db, {
    category,
    sectionId: section.id,
    title: 'CSV でエクスポートする',
    locale: 'ja',
    translationGroup: englishPair.id,
  })
  const englishOnly = await insertArticle(db, { category, sectionId: section.id, title: 'A guide only in English' })
  const japaneseOnly = await insertArticle(db, {
    category,
    sectionId: section.id,
    title: '日本語だけの記事',
    locale: 'ja',
  })
  const loose = await insertArticle(db, { category, title: 'Outside any section' })

  const ja = await getCategoryPage(db, { slug: category.slug, locale: 'ja', viewer: null })
  if (!ja.ok) throw new Error(ja.code)
  expect(ja.value.category).toMatchObject({ name: 'エクスポート', description: '出力の方法' })
  expect(ja.value.groups[0]!.section).toEqual({ id: section.id, name: 'CSV ファイル' })
  expect(ja.value.groups[0]!.articles.map((a) => [a.id, a.locale])).toEqual([
    [japanesePair.id, 'ja'],
    [japaneseOnly.id, 'ja'],
    [englishOnly.id, 'en'],
  ])
  expect(ja.value.groups[1]).toMatchObject({ section: null, articles: [{ id: loose.id, locale: 'en' }] })

  const en = await getCategoryPage(db, { slug: category.slug, locale: 'en', viewer: null })
  if (!en.ok) throw new Error(en.code)
  expect(en.value.groups[0]!.articles.map((a) => [a.id, a.locale])).toEqual([
    [englishOnly.id, 'en'],
    [englishPair.id, 'en'],
    [japaneseOnly.id, 'ja'],
  ])
  expect(en.value.groups[0]!.articles[0]).toEqual({
    id: englishOnly.id,
    slug: englishOnly.slug,
    title: 'A guide only in English',
    locale: 'en',
    updatedAt: englishOnly.updatedAt,
    draft: false,
  })
})

test('drafts appear on the category page only for staff, marked; archived articles for nobody', async () => {
  const staff = await insertStaff(db)
  const member = await insertUser(db)
  const category = await insertCategory(db)
  const published = await insertArticle(db, { category, title: 'B published' })
  const draft = await insertArticle(db, { category, title: 'A draft', status: 'draft' })
  await insertArticle(db, { category, title: 'C archived', status: 'archived' })
  // A published English article whose Japanese translation is still a draft.
  const translated = await insertArticle(db, { category, title: 'D translated' })
  await insertArticle(db, {
    category,
    title: 'D 翻訳中',
    locale: 'ja',
    status: 'draft',
    translationGroup: translated.id,
  })

  for (const viewer of [null, member]) {
    const page = await getCategoryPage(db, { slug: category.slug, locale: 'ja', viewer })
    expect(page.ok && page.value.groups[0]!.articles.map((a) => [a.title, a.draft])).toEqual([
      ['B published', false],
      ['D translated', false],
    ])
  }
  const forStaff = await getCategoryPage(db, { slug: category.slug, locale: 'ja', viewer: staff })
  expect(forStaff.ok && forStaff.value.groups[0]!.articles.map((a) => [a.title, a.draft])).toEqual([
    ['D 翻訳中', true],
    ['A draft', true],
    ['B published', false],
  ])
  expect(forStaff.ok && forStaff.value.groups[0]!.articles.find((a) => a.id === draft.id)).toBeTruthy()
  expect(published.status).toBe('published')
})

test('the catalog counts published articles once per translation, and drafts only for staff', async () => {
  const staff = await insertStaff(db)
  const category = await insertCategory(db, { descriptionEn: 'All about billing', descriptionJa: '' })
  const english = await insertArticle(db, { category })
  await insertArticle(db, { category, locale: 'ja', translationGroup: english.id })
  await insertArticle(db, { category, locale: 'ja' })
  await insertArticle(db, { category, status: 'draft' })
  const empty = await insertCategory(db)

  const forReaders = await listHelpCatalog(db, { locale: 'ja', viewer: null })
  expect(forReaders.find((c) => c.id === category.id)).toMatchObject({
    name: category.nameJa,
    description: 'All about billing',
    articleCount: 2,
    draftCount: null,
  })
  expect(forReaders.find((c) => c.id === empty.id)).toMatchObject({ articleCount: 0, sections: [] })
  const forStaff = await listHelpCatalog(db, { locale: 'en', viewer: staff })
  expect(forStaff.find((c) => c.id === category.id)).toMatchObject({ articleCount: 2, draftCount: 1 })
})

test('renaming a category queues its published articles for the search index', async () => {
  const staff = await insertStaff(db)
  const category = await insertCategory(db)
  const published = await insertArticle(db, { category })
  const draft = await insertArticle(db, { category, status: 'draft' })
  const ids = [String(published.id), String(draft.id)]
  const queued = () =>
    db
      .select({ docId: searchOutbox.docId })
      .from(searchOutbox)
      .where(and(eq(searchOutbox.docType, 'article'), inArray(searchOutbox.docId, ids)))

  const same = { slug: category.slug, nameEn: category.nameEn, nameJa: category.nameJa, descriptionEn: 'New text' }
  await updateCategory(db, { actor: staff, categoryId: category.id, input: CategorySchema.parse(same) })
  expect(await queued()).toEqual([])
  const renamed = CategorySchema.parse({ ...same, nameEn: 'Renamed' })
  expect(await updateCategory(db, { actor: staff, categoryId: category.id, input: renamed })).toEqual({
    ok: true,
    value: { id: category.id, slug: category.slug },
  })
  expect(await queued()).toEqual([{ docId: String(published.id) }])
})

test('related articles rank shared tags, then section, then category, and skip the article and its translations', async () => {
  const category = await insertCategory(db)
  const section = await insertSection(db, category)
  const elsewhere = await insertCategory(db)
  const tag = (name: string) => `${name}-${unique()}`
  const [csv, reports, api] = [tag('csv'), tag('reports'), tag('api')]
  const source = await insertArticle(db, { category, sectionId: section.id, tags: [csv, reports, api] })
  await insertArticle(db, { category, locale: 'ja', translationGroup: source.id, tags: [csv, reports, api] })
  const twoTags = await insertArticle(db, { category: elsewhere, tags: [csv, reports] })
  const oneTagSameSection = await insertArticle(db, { category, sectionId: section.id, tags: [api] })
  const oneTagOtherCategory = await insertArticle(db, { category: elsewhere, tags: [csv] })
  const sameSectionNoTags = await insertArticle(db, { category, sectionId: section.id })
  const sameCategoryNoTags = await insertArticle(db, { category })
  await insertArticle(db, { category: elsewhere }) // nothing in common
  await insertArticle(db, { category, sectionId: section.id, tags: [csv, reports, api], status: 'draft' })
  // A pair in both languages sharing three tags: it appears once, in the reader's language.
  const pairEn = await insertArticle(db, { category: elsewhere, tags: [csv, reports, api] })
  const pairJa = await insertArticle(db, {
    category: elsewhere,
    locale: 'ja',
    translationGroup: pairEn.id,
    tags: [csv, reports, api],
  })

  const forJa = await relatedArticles(db, { articleId: source.id, locale: 'ja', limit: 10 })
  expect(forJa.map((a) => a.id)).toEqual([
    pairJa.id,
    twoTags.id,
    oneTagSameSection.id,
    oneTagOtherCategory.id,
    sameSectionNoTags.id,
    sameCategoryNoTags.id,
  ])
  expect(forJa[0]).toEqual({
    id: pairJa.id,
    slug: pairJa.slug,
    title: pairJa.title,
    locale: 'ja',
    updatedAt: pairJa.updatedAt,
    categorySlug: elsewhere.slug,
  })
  const forEn = await relatedArticles(db, { articleId: source.id, locale: 'en' })
  expect(forEn.map((a) => a.id)).toEqual([
    pairEn.id,
    twoTags.id,
    oneTagSameSection.id,
    oneTagOtherCategory.id,
    sameSectionNoTags.id,
  ])
})

test('among equally related articles the reader language comes first, then the newest change', async () => {
  const category = await insertCategory(db)
  const source = await insertArticle(db, { category })
  const old = await insertArticle(db, { category, updatedAt: new Date(Date.now() - 86_400_000) })
  const recent = await insertArticle(db, { category })
  const japanese = await insertArticle(db, { category, locale: 'ja', updatedAt: new Date(Date.now() - 2 * 86_400_000) })
  const related = await relatedArticles(db, { articleId: source.id, locale: 'ja' })
  expect(related.map((a) => a.id)).toEqual([japanese.id, recent.id, old.id])
  expect(await relatedArticles(db, { articleId: 999_999, locale: 'en' })).toEqual([])
})

test('the staff article list shows every status with category and author, filters and pages', async () => {
  const member = await insertUser(db)
  const author = await insertStaff(db, { displayName: 'Writer One' })
  const category = await insertCategory(db, { nameEn: 'Billing', nameJa: '請求' })
  const draft = await insertArticle(db, { category, status: 'draft', authorId: author.id })
  const published = await insertArticle(db, { category, authorId: author.id, locale: 'ja' })
  const archived = await insertArticle(db, { category, status: 'archived', authorId: author.id })

  expect(await listArticlesForStaff(db, { actor: member })).toMatchObject({ ok: false, status: 403 })

  const all = await listArticlesForStaff(db, { actor: author, categoryId: category.id })
  if (!all.ok) throw new Error(all.code)
  expect(all.value.total).toBe(3)
  expect(all.value.articles.map((a) => [a.id, a.status])).toEqual([
    [archived.id, 'archived'],
    [published.id, 'published'],
    [draft.id, 'draft'],
  ])
  expect(all.value.articles[1]).toMatchObject({
    locale: 'ja',
    authorName: 'Writer One',
    category: { id: category.id, slug: category.slug, nameEn: 'Billing', nameJa: '請求' },
  })

  const drafts = await listArticlesForStaff(db, { actor: author, status: 'draft', categoryId: category.id })
  expect(drafts.ok && drafts.value.articles.map((a) => a.id)).toEqual([draft.id])
  const second = await listArticlesForStaff(db, { actor: author, categoryId: category.id, page: 2, perPage: 2 })
  expect(second.ok && second.value).toMatchObject({ total: 3, page: 2, pageCount: 2, articles: [{ id: draft.id }] })
})

test('every failure the catalog returns reads as a sentence in both languages', () => {
  for (const locale of ['en', 'ja'] as const) {
    const t = translator(locale)
    const codes: [string, Record<string, string | number>][] = [
      ['help_browse.slug_taken', {}],
      ['help_browse.slug_reserved', { slug: 'manage' }],
      ['help_browse.category_not_empty', { count: 2 }],
      ['help_browse.category_not_found', {}],
      ['help_browse.section_not_found', {}],
      ['help_browse.validation.slug_invalid', {}],
    ]
    for (const [code, params] of codes) expect(t(code, params), code).not.toBe(code)
    expect(t('help_browse.category_not_empty', { count: 2 })).toContain('2')
  }
})

test('related articles start with those the search engine finds alike, then the catalogue relation', async () => {
  const category = await insertCategory(db)
  const elsewhere = await insertCategory(db)
  const source = await insertArticle(db, { category, title: 'Rotating single sign-on certificates' })
  const alike = await insertArticle(db, { category: elsewhere, title: 'Single sign-on certificates expire' })
  const sameCategory = await insertArticle(db, { category, title: 'Inviting teammates' })
  const translation = await insertArticle(db, {
    category,
    locale: 'ja',
    translationGroup: source.id,
    title: 'シングルサインオン証明書の更新',
  })
  await reindexAll(db, new EmbeddedSearchEngine(db))
  const related = (await relatedArticles(db, { articleId: source.id, locale: 'en' })).map((a) => a.id)
  expect(related[0]).toBe(alike.id)
  expect(related).toContain(sameCategory.id)
  expect(related).not.toContain(source.id)
  expect(related).not.toContain(translation.id)
})
