import type { helpCategories } from '#db/schema/help.ts'

// The help catalog as readers and the category manager see it: a plain module, so components may use it.

export type CatalogSection = {
  id: number
  categoryId: number
  nameEn: string
  nameJa: string
  position: number
  name: string
}

export type CatalogCategory = typeof helpCategories.$inferSelect & {
  name: string
  description: string
  /** Published articles, a translated pair counted once. */
  articleCount: number
  /** Drafts waiting in the category; only for staff who write articles, null for readers. */
  draftCount: number | null
  sections: CatalogSection[]
}
