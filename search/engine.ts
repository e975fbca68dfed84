/** The search engine contract. Two engines implement it: the embedded one on the app's own database
 *  (search/embedded.server.ts, the default) and Meilisearch (search/meilisearch.server.ts, when
 *  MEILI_URL is set). Both pass the same conformance suite (tests/search/). */

import type { AudienceViewer } from '#app/lib/audience.ts'

export const searchDocTypes = ['question', 'article', 'event'] as const
export type SearchDocType = (typeof searchDocTypes)[number]
export type SearchLocale = 'en' | 'ja'

/** One searchable thing, in the shape both engines index. Built from the database by
 *  search/documents.server.ts; only published content becomes a document (hidden, deleted, draft and
 *  cancelled content is removed from the index instead). Restricted events carry their audience, which
 *  every search filters on. */
export type SearchDocument = {
  /** `question:12`: the type and the database id. */
  id: string
  type: SearchDocType
  docId: number
  /** The language the content is written in. */
  locale: SearchLocale
  title: string
  /** Plain text: the question, article or event description. */
  body: string
  /** Questions: the plain text of the visible answers, the accepted one first. Empty otherwise. */
  answers: string
  tags: string[]
  /** Articles: the category slug. Events: the kind (webinar, workshop…). Questions: null. */
  category: string | null
  /** Where the content lives, e.g. `/questions/12/how-to-export`. */
  url: string
  /** Questions: number of visible answers, and whether one is accepted. */
  answerCount: number
  accepted: boolean
  /** Questions: vote score. Articles: helpful minus not-helpful votes. Events: 0. */
  score: number
  /** Events only. */
  startsAt: Date | null
  /** An event open to a restricted audience: found by staff and by members of that audience. */
  restricted: boolean
  /** A restricted event's audience: members of these accounts, or of accounts in these touch tiers.
   *  Empty otherwise. */
  audienceAccountIds: number[]
  audienceTiers: string[]
  /** Versions of the same content in other languages are one group: the search returns one hit per
   *  group, in the reader's language when the group has it. Articles: `article-group:<translation
   *  group>`; everything else (and an article with no translation): its own `id`. */
  group: string
  /** The languages the other versions of this document's group are written in (empty when none). */
  otherLocales: SearchLocale[]
  /** Articles: the plain titles and bodies of the other versions of the group, so a version is found by
   *  the words of any of them (ranked below its own text). Empty otherwise. */
  translations: string
  updatedAt: Date
}

/** Synonyms as both engines take them (Meilisearch's own shape): a normalised word or phrase (see
 *  `normalizeQuery`) → the words or phrases a query containing it also finds. A two-way rule is an
 *  entry each way; a one-way rule only from its first term. */
export type SynonymMap = Record<string, string[]>

/** Who is searching, for restricted events (`AudienceViewer` of app/lib/audience.ts): staff
 *  find every one; a member those whose audience lists their account or its current touch tier. */
export type SearchAudience = AudienceViewer

export type SearchFilters = {
  /** Every tag listed must be on the document. */
  tags?: string[]
  /** Questions only: true = with an accepted answer, false = with no answer at all. */
  answered?: boolean
  /** Events only: starting at or after `now`. */
  upcoming?: boolean
  /** Only content written in this language. */
  locale?: SearchLocale
  /** Articles: category slug; events: kind. */
  category?: string
  /** Documents to leave out, by id (`article:3`), e.g. the article whose related articles are listed. */
  excludeIds?: string[]
  /** Who is searching: restricted events are returned only to their audience (and staff). Without
   *  it, to nobody, as for a visitor. */
  audience?: SearchAudience
}

export type SearchQuery = {
  /** What the reader typed. Empty returns everything the filters allow, best first. The last word is
   *  matched as a prefix (search as you type). */
  q: string
  /** Kinds to return; all when missing or empty. Facet counts always cover all kinds. */
  types?: readonly SearchDocType[]
  filters?: SearchFilters
  /** The reader's language: content in it wins ties. */
  locale: SearchLocale
  /** Default 10, at most 50. */
  limit?: number
  offset?: number
  /** The clock for `upcoming`; defaults to the current time. */
  now?: Date
  /** `all` (default): every meaningful word must match; when nothing does, documents matching some of
   *  them are returned instead (Meilisearch's `last` strategy behaves alike). `any`: documents matching
   *  any word, most matches first, for "similar" and "related" lists fed with a whole title. */
  matching?: 'all' | 'any'
}

/** A piece of highlighted text: `match` parts are what the query matched. Plain text, never HTML. */
export type HighlightPart = { text: string; match: boolean }

export type SearchHit = {
  id: string
  type: SearchDocType
  docId: number
  locale: SearchLocale
  title: string
  url: string
  tags: string[]
  category: string | null
  answerCount: number
  accepted: boolean
  score: number
  startsAt: Date | null
  /** The languages this content also exists in (its group's other versions), for "also in 日本語". */
  otherLocales: SearchLocale[]
  highlights: {
    /** The whole title, with matches marked. */
    title: HighlightPart[]
    /** A window of about 160 characters of body or answers around the first matches (the start of the
     *  body when nothing in it matched). */
    snippet: HighlightPart[]
  }
}

export type SearchResult = {
  hits: SearchHit[]
  /** Matching groups (translations count once) across all requested kinds (with every filter applied). Counts stop at
   *  `searchLimits.maxCount` per kind, as Meilisearch's totals do: a count at the cap means "at least". */
  total: number
  /** Matching groups per kind, with every filter but the kind applied (capped the same way). */
  facets: { type: Record<SearchDocType, number> }
  tookMs: number
}

export type RebuildProgress = (indexed: number, total: number) => void

export interface SearchEngine {
  readonly name: 'embedded' | 'meilisearch'
  /** Adds or replaces documents by id. Idempotent. */
  upsert(docs: SearchDocument[]): Promise<void>
  /** Removes documents by id; ids not in the index are ignored. */
  remove(ids: string[]): Promise<void>
  search(query: SearchQuery): Promise<SearchResult>
  /** Empties the index (synonyms included). */
  reset(): Promise<void>
  /** Replaces every synonym with `synonyms`. The app calls it at start and after each change staff
   *  make at /search/insights; searches made after it resolves use the new ones. */
  setSynonyms(synonyms: SynonymMap): Promise<void>
  /** Builds a fresh index from `batches` and puts it in place of the current one in one step, so
   *  searches never see a half-built index. Returns the number of documents indexed. */
  rebuild(batches: AsyncIterable<SearchDocument[]>, total: number, onProgress?: RebuildProgress): Promise<number>
}

export const searchLimits = { defaultLimit: 10, maxLimit: 50, maxQueryLength: 200, maxCount: 1000 } as const

export function searchDocId(type: SearchDocType, docId: number): string {
  return `${type}:${docId}`
}

export function parseSearchDocId(id: string): { type: SearchDocType; docId: number } | null {
  const [type, raw] = id.split(':')
  const docId = Number(raw)
  if (!searchDocTypes.includes(type as SearchDocType) || !Number.isSafeInteger(docId)) return null
  return { type: type as SearchDocType, docId }
}

export function emptyFacets(): Record<SearchDocType, number> {
  return { question: 0, article: 0, event: 0 }
}

/** Query-independent rank, the same for both engines: an accepted answer and votes lift a question;
 *  articles are the curated answer, so they start ahead, and helpful votes lift them further. */
export function documentBoost(doc: Pick<SearchDocument, 'type' | 'accepted' | 'score' | 'answerCount'>): number {
  const votes = (n: number) => Math.log10(1 + Math.max(0, n))
  switch (doc.type) {
    case 'question':
      return (doc.accepted ? 1 : 0) + votes(doc.score) * 0.5 + votes(doc.answerCount) * 0.3
    case 'article':
      return 1.2 + votes(doc.score) * 0.5
    case 'event':
      return 0.5
  }
}
