import type { TFunction } from 'i18next'
import type { MetaDescriptor } from 'react-router'
import { pageTitle } from '#app/lib/meta.ts'

type Match = { id: string; loaderData?: unknown } | undefined

/** The title of an admin page: "Page · Administration · Community". */
export function adminTitle(matches: readonly Match[], page: string | ((t: TFunction) => string)): MetaDescriptor[] {
  return pageTitle(matches, page, { section: 'admin.title' })
}
