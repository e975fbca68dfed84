import { and, count, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { getCategoryPage, listHelpCatalog, relatedArticles } from '#app/domain/help/catalog.server.ts'
import { insertStaff } from '#app/server/seed/factories/index.ts'
import { articles } from '#db/schema/help.ts'
import { db } from '#tests/db.ts'
import { seedDemoHelp } from './demo-help.server.ts'

test('the demo help center has three categories of published articles in both languages, some translated', async () => {
  const staff = await insertStaff(db)
  const { categoryIds, articleIds } = await seedDemoHelp(db, { staffId: staff.id })
  expect(categoryIds).toHaveLength(3)

  const catalog = await listHelpCatalog(db, { locale: 'ja', viewer: null })
  expect(catalog.map((category) => category.name)).toEqual([
    'はじめに',
    'レポートとエクスポート',
    'アカウントとセキュリティ',
  ])
  expect(catalog.every((category) => category.sections.length >= 1 && category.articleCount >= 2)).toBe(true)
  expect(catalog.reduce((sum, category) => sum + category.articleCount, 0)).toBe(11)

  const byLocale = await db
    .select({ locale: articles.locale, n: count() })
    .from(articles)
    .where(eq(articles.status, 'published'))
    .groupBy(articles.locale)
    .orderBy(articles.locale)
  expect(byLocale).toEqual([
    { locale: 'en', n: 8 },
    { locale: 'ja', n: 9 },
  ])
  expect(articleIds).toHaveLength(17)

  // A Japanese reader sees the Japanese version of translated articles, and English-only ones after.
  const reports = await getCategoryPage(db, { slug: 'reports-exports', locale: 'ja', viewer: null })
  if (!reports.ok) throw new Error(reports.code)
  const exports = reports.value.groups.find((group) => group.section?.name === 'エクスポート')!
  expect(exports.articles.map((article) => [article.title, article.locale])).toEqual([
    ['レポートを CSV でエクスポートする', 'ja'],
    ['Send a report every month by email', 'en'],
  ])

  // Tags overlap, so articles lead to each other.
  const [csv] = await db
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.slug, 'export-a-report-as-csv'), eq(articles.locale, 'en')))
  const related = await relatedArticles(db, { articleId: csv!.id, locale: 'en' })
  expect(related[0]).toMatchObject({ title: 'Send a report every month by email', categorySlug: 'reports-exports' })
  expect(related.map((article) => article.title)).not.toContain('レポートを CSV でエクスポートする')
})
