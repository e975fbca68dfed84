import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { RENDER_VERSION, renderMarkdown } from '#app/lib/markdown.server.ts'
import type { Db } from '#db/client.server.ts'
import { articleRevisions, articleSlugs, articles, helpCategories, helpSections } from '#db/schema/help.ts'
import { insertStaff } from './identity.ts'

export async function insertCategory(db: Db, overrides: Partial<typeof helpCategories.$inferInsert> = {}) {
  const suffix = randomUUID().slice(0, 8)
  const [category] = await db
    .insert(helpCategories)
    .values({ slug: `category-${suffix}`, nameEn: `Category ${suffix}`, nameJa: `カテゴリ ${suffix}`, ...overrides })
    .returning()
  return category!
}

export async function insertSection(
  db: Db,
  category: { id: number },
  overrides: Partial<typeof helpSections.$inferInsert> = {},
) {
  const suffix = randomUUID().slice(0, 8)
  const [section] = await db
    .insert(helpSections)
    .values({ categoryId: category.id, nameEn: `Section ${suffix}`, nameJa: `セクション ${suffix}`, ...overrides })
    .returning()
  return section!
}

export type ArticleOverrides = Partial<Omit<typeof articles.$inferInsert, 'bodyHtml' | 'renderVersion'>> & {
  category?: { id: number }
}

/** An article with its slug history and first revision, written directly. Published by default. */
export async function insertArticle(db: Db, overrides: ArticleOverrides = {}) {
  const { category: given, ...values } = overrides
  const category = given ?? (await insertCategory(db))
  const suffix = randomUUID().slice(0, 8)
  const bodyMd = values.bodyMd ?? `Open **Settings** and choose an option. ${suffix}`
  const status = values.status ?? 'published'
  const authorId = values.authorId ?? (await insertStaff(db)).id
  const [article] = await db
    .insert(articles)
    .values({
      slug: `article-${suffix}`,
      title: `How to configure ${suffix}`,
      locale: 'en',
      publishedAt: status === 'published' ? new Date() : null,
      ...values,
      status,
      authorId,
      categoryId: category.id,
      bodyMd,
      bodyHtml: await renderMarkdown(bodyMd),
      renderVersion: RENDER_VERSION,
    })
    .returning()
  if (article!.translationGroup === null) {
    await db.update(articles).set({ translationGroup: article!.id }).where(eq(articles.id, article!.id))
    article!.translationGroup = article!.id
  }
  await db.insert(articleSlugs).values({ slug: article!.slug, articleId: article!.id })
  await db.insert(articleRevisions).values({
    articleId: article!.id,
    number: 1,
    authorId,
    title: article!.title,
    bodyMd,
    action: 'created',
    createdAt: article!.createdAt,
  })
  return article!
}
