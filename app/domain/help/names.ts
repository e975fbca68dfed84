import type { Locale } from '#app/lib/i18n.ts'

type Named = { nameEn: string; nameJa: string }
type Described = { descriptionEn: string; descriptionJa: string }

/** A category's name in the reader's language. Both names are required, so there is always one. */
export function categoryName(category: Named, locale: Locale): string {
  return locale === 'ja' ? category.nameJa : category.nameEn
}

/** A category's description in the reader's language; descriptions are optional, so the other
 *  language's text stands in rather than showing nothing. */
export function categoryDescription(category: Described, locale: Locale): string {
  const [first, second] =
    locale === 'ja'
      ? [category.descriptionJa, category.descriptionEn]
      : [category.descriptionEn, category.descriptionJa]
  return first || second
}

export function sectionName(section: Named, locale: Locale): string {
  return locale === 'ja' ? section.nameJa : section.nameEn
}
