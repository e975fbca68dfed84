import { and, asc, eq, or, sql } from 'drizzle-orm'
import type { Locale } from '#app/lib/i18n.ts'
import { articlePath } from '#app/lib/paths.ts'
import type { Db } from '#db/client.server.ts'
import { articles, helpCategories } from '#db/schema/help.ts'

/** The getting-started article of the first steps (docs/decisions/039) as a member reads it: its
 *  published translation in their language (else the configured article itself), and the ids of every
 *  published translation, since reading any of them ticks the step. Null when the article is not
 *  published. */
export async function gettingStartedArticle(
  db: Db,
  { articleId, locale }: { articleId: number | null; locale: Locale },
): Promise<{ path: string; ids: number[] } | null> {
  if (articleId === null) return null
  const [configured] = await db
    .select({ group: sql<number>`coalesce(${articles.translationGroup}, ${articles.id})` })
    .from(articles)
    .where(eq(articles.id, articleId))
  if (!configured) return null
  const group = await db
    .select({ id: articles.id, locale: articles.locale, slug: articles.slug, categorySlug: helpCategories.slug })
    .from(articles)
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .where(
      and(
        eq(articles.status, 'published'),
        or(eq(articles.id, configured.group), eq(articles.translationGroup, configured.group)),
      ),
    )
    .orderBy(asc(articles.id))
  const shown = group.find((article) => article.locale === locale) ?? group.find((article) => article.id === articleId)
  if (!shown) return null
  return { path: articlePath(shown), ids: group.map((article) => article.id) }
}

/** Published articles staff may pick as the getting-started one, by title. */
export async function gettingStartedChoices(db: Db): Promise<{ id: number; title: string; locale: Locale }[]> {
  return db
    .select({ id: articles.id, title: articles.title, locale: articles.locale })
    .from(articles)
    .where(eq(articles.status, 'published'))
    .orderBy(asc(articles.title), asc(articles.id))
    .limit(1000)
}
