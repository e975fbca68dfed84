import type { TFunction } from 'i18next'
import type { MetaDescriptor } from 'react-router'
import { defaultLocale, isLocale, translator } from './i18n.ts'

type Match = { id: string; loaderData?: unknown } | undefined

/** The document title of a page in the reader's language (which the root loader decided):
 *  "Page · Section · Community". `page` is a catalogue key, or a function of `t` for titles that name a record. */
export function pageTitle(
  matches: readonly Match[],
  page: string | ((t: TFunction) => string),
  { section }: { section?: string } = {},
): MetaDescriptor[] {
  const root = matches.find((match) => match?.id === 'root')?.loaderData as { locale?: unknown } | undefined
  const t = translator(isLocale(root?.locale) ? root.locale : defaultLocale)
  const parts = [typeof page === 'string' ? t(page) : page(t), section ? t(section) : null, t('app.name')]
  return [{ title: parts.filter(Boolean).join(' · ') }]
}
