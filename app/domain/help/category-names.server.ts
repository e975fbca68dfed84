import { inArray } from 'drizzle-orm'
import { categoryName } from '#app/domain/help/names.ts'
import type { Locale } from '#app/lib/i18n.ts'
import type { Db } from '#db/client.server.ts'
import { helpCategories } from '#db/schema/help.ts'

/** The reader's-language names of the help categories with these slugs, for the search results'
 *  "In <category>" line (the index stores the slug, which is also the category's URL). */
export async function helpCategoryNames(db: Db, slugs: string[], locale: Locale): Promise<Record<string, string>> {
  const distinct = [...new Set(slugs)]
  if (distinct.length === 0) return {}
  const rows = await db
    .select({ slug: helpCategories.slug, nameEn: helpCategories.nameEn, nameJa: helpCategories.nameJa })
    .from(helpCategories)
    .where(inArray(helpCategories.slug, distinct))
  return Object.fromEntries(rows.map((row) => [row.slug, categoryName(row, locale)]))
}
