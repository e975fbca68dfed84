import type { SearchLocale } from '#search/engine.ts'

/** Another language a search hit exists in; `url` is null when the version is not a published article
 *  the database knows (the index catching up). */
export type OtherVersion = { locale: SearchLocale; url: string | null }

/** A synonym rule as /search/insights lists it. */
export type SynonymRule = {
  id: number
  /** Normalised (see `normalizeQuery`); a one-way rule's first term is the one that finds the rest. */
  terms: string[]
  oneWay: boolean
  createdAt: Date
  createdByName: string | null
}
