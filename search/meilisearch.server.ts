import {
  type EnqueuedTaskPromise,
  type Hit,
  Meilisearch,
  MeilisearchApiError,
  type MultiSearchQuery,
  type Settings,
} from 'meilisearch'
import { visitorAudience } from '#app/lib/audience.ts'
import {
  documentBoost,
  emptyFacets,
  type HighlightPart,
  type RebuildProgress,
  type SearchAudience,
  type SearchDocType,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchLocale,
  type SearchQuery,
  type SearchResult,
  searchDocId,
  searchDocTypes,
  searchLimits,
} from './engine.ts'
import { hasCjk, typoThresholds } from './text.ts'

/** Part of every built index's name. Bump it when the settings or the stored document shape change:
 *  a reindex then builds an index with the new shape and swaps it in. */
export const SCHEMA_VERSION = 2

/** Highlight marks that never occur in indexed text (stripped from it), so Meilisearch's formatted
 *  strings can be cut into plain-text parts without any HTML. */
const PRE = '\u0001'
const POST = '\u0002'

/** Snippet windows, in words: about 160 characters of English, and of Japanese (its words, as
 *  Meilisearch's Japanese tokenizer cuts them, average two or three characters). */
const cropWords = { en: 30, ja: 70 } as const

const textFields = ['title', 'body', 'answers'] as const
type TextField = (typeof textFields)[number]
type LocalizedField = `${TextField}_${SearchLocale}`

/** A document as stored in Meilisearch. Text sits in `_ja` or `_en` fields so `localizedAttributes`
 *  tells the tokenizer the language: kanji-only text would otherwise be read as Chinese. */
type MeiliDoc = {
  id: string
  type: SearchDocType
  docId: number
  locale: SearchLocale
  tags: string[]
  category: string | null
  url: string
  answerCount: number
  accepted: boolean
  score: number
  /** Unix milliseconds, so filters can compare it. */
  startsAt: number | null
  restricted: boolean
  audienceAccountIds: number[]
  audienceTiers: string[]
  updatedAt: number
  boost: number
} & Partial<Record<LocalizedField, string>>

const localizedFields = (field: TextField): LocalizedField[] => [`${field}_ja`, `${field}_en`]

const indexSettings: Settings = {
  // Ranking order of the attributes: a title match beats a tag match beats a body match.
  searchableAttributes: [
    ...localizedFields('title'),
    'tags',
    'category',
    ...localizedFields('body'),
    ...localizedFields('answers'),
  ],
  filterableAttributes: [
    'type',
    'tags',
    'locale',
    'category',
    'answerCount',
    'accepted',
    'startsAt',
    'restricted',
    'audienceAccountIds',
    'audienceTiers',
    'id',
  ],
  sortableAttributes: ['startsAt', 'boost', 'updatedAt', 'locale'],
  // Text relevance first; the static rank (accepted answers, votes, helpful articles) breaks ties, and
  // `sort` last puts content in the reader's language first among what is still tied.
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'exactness', 'boost:desc', 'sort'],
  localizedAttributes: [
    { attributePatterns: ['*_ja'], locales: ['jpn'] },
    { attributePatterns: ['*_en'], locales: ['eng'] },
  ],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: typoThresholds.one, twoTypos: typoThresholds.two },
  },
  pagination: { maxTotalHits: searchLimits.maxCount },
  faceting: { maxValuesPerFacet: 100 },
}

const attributesToRetrieve = [
  'type',
  'docId',
  'locale',
  ...localizedFields('title'),
  'url',
  'tags',
  'category',
  'answerCount',
  'accepted',
  'score',
  'startsAt',
]
const attributesToHighlight = textFields.flatMap(localizedFields)
const attributesToCrop = (['body', 'answers'] as const).flatMap((field) => [
  `${field}_ja:${cropWords.ja}`,
  `${field}_en:${cropWords.en}`,
])

/** Adding a batch of documents can take a while on a busy server; everything else is quick. */
const waitFor = { batch: 120_000, default: 30_000 } as const

/** Meilisearch ids allow only letters, digits, `-` and `_`: `question:12` is stored as `question-12`. */
export function toMeiliId(id: string): string {
  return id.replace(':', '-')
}

function fieldLocale(doc: SearchDocument, text: string): SearchLocale {
  return doc.locale === 'ja' || hasCjk(text) ? 'ja' : 'en'
}

export function toMeiliDoc(doc: SearchDocument): MeiliDoc {
  const stored: MeiliDoc = {
    id: toMeiliId(doc.id),
    type: doc.type,
    docId: doc.docId,
    locale: doc.locale,
    tags: doc.tags,
    category: doc.category,
    url: doc.url,
    answerCount: doc.answerCount,
    accepted: doc.accepted,
    score: doc.score,
    startsAt: doc.startsAt ? doc.startsAt.getTime() : null,
    restricted: doc.restricted,
    audienceAccountIds: doc.audienceAccountIds,
    audienceTiers: doc.audienceTiers,
    updatedAt: doc.updatedAt.getTime(),
    boost: documentBoost(doc),
  }
  for (const field of textFields) {
    const text = doc[field].replaceAll(PRE, '').replaceAll(POST, '')
    const name: LocalizedField = `${field}_${fieldLocale(doc, text)}`
    if (text || field === 'title') stored[name] = text
  }
  return stored
}

/** A Meilisearch filter string literal. */
function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

/** `audienceCondition` of app/lib/audience.ts as a Meilisearch filter: unrestricted documents, or
 *  restricted ones whose audience lists the searcher's account or tier; no clause for staff. An array
 *  attribute equals a value when one of its elements does. */
export function audienceFilter(audience: SearchAudience = visitorAudience): string | null {
  if (audience.staff) return null
  const found = ['restricted = false']
  if (audience.accountId !== null) found.push(`audienceAccountIds = ${Math.trunc(audience.accountId)}`)
  if (audience.tier !== null) found.push(`audienceTiers = ${quote(audience.tier)}`)
  return found.length === 1 ? found[0]! : `(${found.join(' OR ')})`
}

/** Every filter except the kinds asked for; the same semantics as the embedded engine: `answered`
 *  returns questions only, `upcoming` events only. */
export function filterClauses(query: SearchQuery, now: Date): string[] {
  const filters = query.filters ?? {}
  const clauses: string[] = []
  const audience = audienceFilter(filters.audience)
  if (audience) clauses.push(audience)
  for (const tag of filters.tags ?? []) clauses.push(`tags = ${quote(tag)}`)
  if (filters.answered === true) clauses.push('type = question AND accepted = true')
  if (filters.answered === false) clauses.push('type = question AND answerCount = 0')
  if (filters.upcoming) clauses.push(`type = event AND startsAt >= ${now.getTime()}`)
  if (filters.locale) clauses.push(`locale = ${quote(filters.locale)}`)
  if (filters.category) clauses.push(`category = ${quote(filters.category)}`)
  if (filters.excludeIds?.length) {
    clauses.push(`id NOT IN [${filters.excludeIds.map((id) => quote(toMeiliId(id))).join(', ')}]`)
  }
  return clauses
}

/** Cuts a formatted string into plain-text parts at the highlight marks. */
export function parseHighlighted(formatted: string, collapseSpaces = false): HighlightPart[] {
  const parts: HighlightPart[] = []
  let match = false
  let piece = ''
  const flush = () => {
    const text = collapseSpaces ? piece.replace(/\s+/gu, ' ') : piece
    piece = ''
    if (!text) return
    const last = parts[parts.length - 1]
    if (last && last.match === match) last.text += text
    else parts.push({ text, match })
  }
  for (const char of formatted) {
    if (char !== PRE && char !== POST) {
      piece += char
      continue
    }
    flush()
    match = char === PRE
  }
  flush()
  if (collapseSpaces && parts.length) {
    const first = parts[0]!
    const last = parts[parts.length - 1]!
    first.text = first.text.trimStart()
    last.text = last.text.trimEnd()
    return parts.filter((part) => part.text)
  }
  return parts
}

function localized(source: Partial<Record<string, unknown>> | undefined, field: TextField): string | undefined {
  for (const name of localizedFields(field)) {
    const value = source?.[name]
    if (typeof value === 'string' && value) return value
  }
  return undefined
}

/** The body window with the first matches, else the answers window with them, else the start of the
 *  body (of the answers when there is no body). */
function snippetOf(formatted: Partial<Record<string, unknown>> | undefined): HighlightPart[] {
  const body = localized(formatted, 'body')
  const answers = localized(formatted, 'answers')
  const chosen = [body, answers].find((text) => text?.includes(PRE)) ?? body ?? answers ?? ''
  return parseHighlighted(chosen, true)
}

function toHit(hit: Hit<MeiliDoc>): SearchHit {
  const title = localized(hit, 'title') ?? ''
  const formattedTitle = localized(hit._formatted, 'title')
  return {
    id: searchDocId(hit.type, hit.docId),
    type: hit.type,
    docId: hit.docId,
    locale: hit.locale,
    title,
    url: hit.url,
    tags: hit.tags,
    category: hit.category,
    answerCount: hit.answerCount,
    accepted: hit.accepted,
    score: hit.score,
    startsAt: hit.startsAt === null ? null : new Date(hit.startsAt),
    highlights: {
      title: formattedTitle ? parseHighlighted(formattedTitle) : title ? [{ text: title, match: false }] : [],
      snippet: snippetOf(hit._formatted),
    },
  }
}

function typeCounts(distribution: Record<string, Record<string, number>> | undefined): Record<SearchDocType, number> {
  const counts = emptyFacets()
  // Capped like totals (see SearchResult): facet counts are exact in Meilisearch, totals are not.
  for (const type of searchDocTypes) counts[type] = Math.min(distribution?.type?.[type] ?? 0, searchLimits.maxCount)
  return counts
}

async function settle(
  pending: EnqueuedTaskPromise,
  { timeout = waitFor.default as number, ignore = [] as string[] } = {},
): Promise<void> {
  const task = await pending.waitTask({ timeout })
  if (task.status === 'succeeded') return
  if (task.error && ignore.includes(task.error.code)) return
  throw new Error(
    `Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? 'no error given'}`,
  )
}

function isIndexNotFound(error: unknown): boolean {
  return error instanceof MeilisearchApiError && error.cause?.code === 'index_not_found'
}

/** Search on a Meilisearch server. One index holds all three kinds of document; a reindex builds a
 *  versioned index (`content_v1_<time>`) and swaps it with the live one (`content`) in one step. Any
 *  failure to reach the server rejects, so callers can answer 503 or retry later. */
export class MeilisearchEngine implements SearchEngine {
  readonly name = 'meilisearch'
  readonly #client: Meilisearch
  readonly #live: string
  #ready: Promise<void> | undefined

  constructor({ host, apiKey, indexPrefix = 'content' }: { host: string; apiKey?: string; indexPrefix?: string }) {
    this.#client = new Meilisearch({ host, apiKey, timeout: 10_000 })
    this.#live = indexPrefix
  }

  /** Creates the live index (empty, with its settings) unless it exists: documents added to a missing
   *  index would create it without settings, and a swap needs both sides. Checked once per process. */
  #ensureLive(): Promise<void> {
    this.#ready ??= this.#createLiveIfMissing().catch((error: unknown) => {
      this.#ready = undefined
      throw error
    })
    return this.#ready
  }

  async #createLiveIfMissing(): Promise<void> {
    try {
      await this.#client.getRawIndex(this.#live)
      await this.#updateOlderSettings()
      return
    } catch (error) {
      if (!isIndexNotFound(error)) throw error
    }
    await settle(this.#client.createIndex(this.#live, { primaryKey: 'id' }), { ignore: ['index_already_exists'] })
    await settle(this.#client.index(this.#live).updateSettings(indexSettings))
  }

  /** A live index built by an older version lacks attributes that searches now filter on (the
   *  audience of restricted events), and Meilisearch rejects such a filter: bring its settings up to
   *  date before the first search rather than failing every one until `npm run reindex`. */
  async #updateOlderSettings(): Promise<void> {
    const filterable = (await this.#client.index(this.#live).getFilterableAttributes()) ?? []
    const names = new Set(filterable.map((rule) => (typeof rule === 'string' ? rule : rule.attributePatterns.join())))
    if (indexSettings.filterableAttributes?.every((rule) => typeof rule !== 'string' || names.has(rule))) return
    await settle(this.#client.index(this.#live).updateSettings(indexSettings), { timeout: waitFor.batch })
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return
    await this.#ensureLive()
    await settle(this.#client.index<MeiliDoc>(this.#live).addDocuments(docs.map(toMeiliDoc), { primaryKey: 'id' }), {
      timeout: waitFor.batch,
    })
  }

  async remove(ids: string[]): Promise<void> {
    if (!ids.length) return
    await this.#ensureLive()
    await settle(this.#client.index(this.#live).deleteDocuments(ids.map(toMeiliId)))
  }

  async reset(): Promise<void> {
    await this.#ensureLive()
    await settle(this.#client.index(this.#live).deleteAllDocuments())
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const started = performance.now()
    await this.#ensureLive()
    const now = query.now ?? new Date()
    const limit = Math.min(Math.max(query.limit ?? searchLimits.defaultLimit, 1), searchLimits.maxLimit)
    const offset = Math.max(query.offset ?? 0, 0)
    // Keep a trailing space: it tells Meilisearch the last word is finished, not a prefix.
    const raw = query.q.slice(0, searchLimits.maxQueryLength)
    const q = raw.trim() ? raw : ''
    const clauses = filterClauses(query, now)
    const types = query.types?.length ? [...new Set(query.types)] : null
    const shared = {
      indexUid: this.#live,
      q,
      facets: ['type'],
      // `last` drops words from the end while nothing matches them all; `frequency` keeps the rarest
      // words, which suits a whole title given to find similar content.
      matchingStrategy: query.matching === 'any' ? ('frequency' as const) : ('last' as const),
      ...(hasCjk(q) ? { locales: ['jpn'] } : {}),
    }
    const main: MultiSearchQuery = {
      ...shared,
      filter: types ? [...clauses, `type IN [${types.join(', ')}]`] : clauses,
      limit,
      offset,
      attributesToRetrieve,
      attributesToHighlight,
      attributesToCrop,
      highlightPreTag: PRE,
      highlightPostTag: POST,
      cropMarker: '…',
      sort: [query.locale === 'ja' ? 'locale:desc' : 'locale:asc'],
    }
    // Facet counts cover every kind, so they come from a second query without the kind filter.
    const queries: MultiSearchQuery[] = types ? [main, { ...shared, filter: clauses, limit: 0 }] : [main]
    const { results } = await this.#client.multiSearch<{ queries: MultiSearchQuery[] }, MeiliDoc>({ queries })
    const [found, all] = [results[0]!, results[1] ?? results[0]!]
    const counted = typeCounts(found.facetDistribution)
    const total = found.facetDistribution
      ? searchDocTypes.reduce((sum, type) => sum + counted[type], 0)
      : (found.estimatedTotalHits ?? found.totalHits ?? found.hits.length)
    return {
      hits: found.hits.map(toHit),
      total,
      facets: { type: typeCounts(all.facetDistribution) },
      tookMs: Math.round(performance.now() - started),
    }
  }

  async rebuild(
    batches: AsyncIterable<SearchDocument[]>,
    total: number,
    onProgress?: RebuildProgress,
  ): Promise<number> {
    await this.#ensureLive()
    const build = `${this.#live}_v${SCHEMA_VERSION}_${Date.now()}`
    let indexed = 0
    try {
      await settle(this.#client.createIndex(build, { primaryKey: 'id' }))
      const index = this.#client.index<MeiliDoc>(build)
      await settle(index.updateSettings(indexSettings), { timeout: waitFor.batch })
      onProgress?.(0, total)
      for await (const batch of batches) {
        if (!batch.length) continue
        await settle(index.addDocuments(batch.map(toMeiliDoc), { primaryKey: 'id' }), { timeout: waitFor.batch })
        indexed += batch.length
        onProgress?.(indexed, total)
      }
      await settle(this.#client.swapIndexes([{ indexes: [this.#live, build], rename: false }]))
    } catch (error) {
      await this.#client.deleteIndex(build).catch(() => {})
      throw error
    }
    // After the swap the build name holds the previous documents.
    await settle(this.#client.deleteIndex(build), { ignore: ['index_not_found'] })
    return indexed
  }
}
