import {
  type EnqueuedTaskPromise,
  type Hit,
  Meilisearch,
  MeilisearchApiError,
  type MultiSearchQuery,
  type MultiSearchResult,
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
  type SynonymMap,
  searchDocId,
  searchDocTypes,
  searchLimits,
} from './engine.ts'
import {
  foldForSearch,
  hasCjk,
  highlight,
  type Needles,
  parseQuery,
  type QueryGroup,
  snippet,
  synonymKey,
  typoThresholds,
} from './text.ts'

// The Meilisearch engine (docs/decisions/013-search.md, 046-meilisearch-adapter.md). Meilisearch cuts
// and matches text itself, so to answer like the embedded engine the adapter:
// - sends the words the analyser (search/text.ts) requires, never the raw query: stop words and
//   particles stay out, and Meilisearch's query syntax (`"phrase"`, `-word`) cannot come from what
//   the reader typed (the adapter quotes a word itself where it means it, see `typedWord`);
// - indexes each text beside its analysed forms (English stems, kana folded, okurigana dropped), and
//   searches the typed words first, then the analysed ones;
// - requires every word (`all`), counting exactly, and falls back to "any word, most matches first"
//   (one search per word, merged here) only when nothing has them all;
// - returns one hit per translation group, in the reader's language when the group has it;
// - marks highlights with the analyser's own needles, so both engines mark the same words.

/** Part of every built index's name. Bump it when the settings or the stored document shape change:
 *  a reindex then builds an index with the new shape and swaps it in. */
export const SCHEMA_VERSION = 3

/** `swapIndexes` with `rename: false` (a rebuild) needs 1.18; nothing else used is newer. */
export const MIN_MEILISEARCH_VERSION = [1, 18] as const

/** Highlight marks that never occur in indexed text (stripped from it), so Meilisearch's formatted
 *  strings can be cut into plain-text parts without any HTML. */
const PRE = '\u0001'
const POST = '\u0002'

/** Windows of body and answers Meilisearch cuts around its matches, in its words (a Japanese word is
 *  two or three characters): wider than the 160-character snippet, which the analyser then places. */
const cropWords = { en: 60, ja: 150 } as const

/** Groups merged per word for `matching: 'any'`: the best of each word's matches. */
const ANY_CANDIDATES = 200

/** A document in the reader's language ranks as if its static rank were this much higher: the same
 *  weight the embedded engine gives it (0.05 beside boost × 0.1). */
const READER_LANGUAGE_RANK = 0.5

const textFields = ['title', 'labels', 'body', 'answers', 'translations'] as const
type TextField = (typeof textFields)[number]

/** One text of a document. Its words sit under `ja` or `en` so `localizedAttributes` tells the
 *  tokenizer the language (kanji-only text would otherwise be read as Chinese); `ja_v` and `en_v` hold
 *  the analysed forms (see `variants`). Nested fields share their parent's weight, so a Japanese title
 *  and an English one rank alike. */
type LocalizedText = Partial<Record<'ja' | 'en' | 'ja_v' | 'en_v', string>>

/** A document as stored in Meilisearch. */
export type MeiliDoc = {
  id: string
  type: SearchDocType
  docId: number
  locale: SearchLocale
  /** The translation group: one hit per group (`distinct`). */
  group: string
  otherLocales: SearchLocale[]
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
  /** The static rank for a reader of each language: one number, so it breaks ties. */
  rank_en: number
  rank_ja: number
} & Record<TextField, LocalizedText>

export const indexSettings = {
  // A title match beats a tag or category match beats a body match; translations rank last.
  searchableAttributes: [...textFields],
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
    'group',
  ],
  sortableAttributes: ['rank_en', 'rank_ja', 'startsAt', 'updatedAt'],
  // Text relevance first; then the static rank with the reader's language in it (`sort`).
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'exactness', 'sort'],
  localizedAttributes: [
    { attributePatterns: ['*.ja', '*.ja_v'], locales: ['jpn'] },
    { attributePatterns: ['*.en', '*.en_v'], locales: ['eng'] },
  ],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: typoThresholds.one, twoTypos: typoThresholds.two },
  },
  pagination: { maxTotalHits: searchLimits.maxCount },
  faceting: { maxValuesPerFacet: 100 },
} satisfies Settings

const attributesToRetrieve = [
  'id',
  'type',
  'docId',
  'locale',
  'group',
  'otherLocales',
  'title',
  'url',
  'tags',
  'category',
  'answerCount',
  'accepted',
  'score',
  'startsAt',
]
const display = {
  attributesToRetrieve,
  attributesToHighlight: ['title.ja', 'title.en', 'body.ja', 'body.en', 'answers.ja', 'answers.en'],
  attributesToCrop: ['body', 'answers'].flatMap((field) => [
    `${field}.ja:${cropWords.ja}`,
    `${field}.en:${cropWords.en}`,
  ]),
  highlightPreTag: PRE,
  highlightPostTag: POST,
  cropMarker: '…',
} satisfies Partial<MultiSearchQuery>

/** Adding a batch of documents can take a while on a busy server; everything else is quick. */
const waitFor = { batch: 120_000, default: 30_000 } as const

// ---------------------------------------------------------------------------------------------------
// Documents

/** Meilisearch ids allow only letters, digits, `-` and `_`: `question:12` is stored as `question-12`. */
export function toMeiliId(id: string): string {
  return id.replace(':', '-')
}

function clean(text: string): string {
  return text.replaceAll(PRE, '').replaceAll(POST, '')
}

/** The analysed forms of a text, cut by the query analyser itself so documents and queries meet:
 *  English words as their stems (`export` for exporting), Japanese words folded (ヘルススコア for
 *  へるすすこあ, ウエビナ for ウェビナー) and without okurigana (持物 for 持ち物), each Japanese word
 *  standing alone, so Meilisearch's own segmentation cannot cut them differently. */
export function variants(text: string): Pick<LocalizedText, 'ja_v' | 'en_v'> {
  const ja: string[] = []
  const en: string[] = []
  for (const group of parseQuery(text)) {
    if (group.kind === 'cjk') ja.push(group.compact ? `${group.text} ${group.compact}` : group.text)
    else if (group.stem !== null && group.stem !== group.text) en.push(group.stem)
  }
  return { ...(ja.length ? { ja_v: ja.join(' ') } : {}), ...(en.length ? { en_v: en.join(' ') } : {}) }
}

function localizedText(text: string, language: SearchLocale): LocalizedText {
  return text ? { [language]: text, ...variants(text) } : {}
}

/** Tags and the category (its slug's words), each under the language it is written in. */
function labelsText(doc: SearchDocument): LocalizedText {
  const labels = [...doc.tags, ...(doc.category ? [doc.category.replaceAll('-', ' ')] : [])].map(clean)
  const ja = labels.filter(hasCjk).join('\n')
  const en = labels.filter((label) => !hasCjk(label)).join('\n')
  return { ...(ja ? { ja } : {}), ...(en ? { en } : {}), ...variants(labels.join('\n')) }
}

export function toMeiliDoc(doc: SearchDocument): MeiliDoc {
  const boost = documentBoost(doc)
  const own = (text: string) => (doc.locale === 'ja' || hasCjk(text) ? 'ja' : 'en')
  const text = (field: 'title' | 'body' | 'answers') => {
    const value = clean(doc[field] ?? '')
    // The title is always stored, so every hit has one to show.
    return field === 'title' && !value ? { [own(value)]: '' } : localizedText(value, own(value))
  }
  const translations = clean(doc.translations ?? '')
  return {
    id: toMeiliId(doc.id),
    type: doc.type,
    docId: doc.docId,
    locale: doc.locale,
    group: doc.group || doc.id,
    otherLocales: doc.otherLocales ?? [],
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
    rank_en: boost + (doc.locale === 'en' ? READER_LANGUAGE_RANK : 0),
    rank_ja: boost + (doc.locale === 'ja' ? READER_LANGUAGE_RANK : 0),
    title: text('title'),
    labels: labelsText(doc),
    body: text('body'),
    answers: text('answers'),
    // The other versions are in the other language (a Japanese article's translation is English).
    translations: localizedText(translations, hasCjk(translations) ? 'ja' : 'en'),
  }
}

/** Synonyms as Meilisearch applies them: to the words a search sends, which are the analyser's
 *  required words, typed (Japanese folded) and analysed (stems, no okurigana). So each term is keyed
 *  both ways; alternatives are matched in documents, as written (folded). */
export function meiliSynonyms(map: SynonymMap): Record<string, string[]> {
  const out = new Map<string, Set<string>>()
  for (const [term, alternatives] of Object.entries(map)) {
    const values = alternatives.map(synonymKey).filter(Boolean)
    const required = parseQuery(`${term} `).filter((g) => g.required)
    const keys = [required.map((g) => g.text).join(' '), required.map(analysedWord).join(' ')]
    for (const key of new Set(keys.filter(Boolean))) {
      const list = out.get(key) ?? new Set<string>()
      for (const value of values) if (value !== key) list.add(value)
      out.set(key, list)
    }
  }
  return Object.fromEntries([...out].filter(([, list]) => list.size).map(([key, list]) => [key, [...list]]))
}

// ---------------------------------------------------------------------------------------------------
// Queries

/** What a search sends, from the analyser's reading of the query. `everything`: the empty query;
 *  `nothing`: a query with no words (punctuation only), which finds nothing rather than everything. */
export type MeiliText =
  | { kind: 'everything' }
  | { kind: 'nothing' }
  | {
      kind: 'words'
      /** The required words as typed (Japanese folded; inflected words exactly, see `typedWord`). */
      typed: string
      /** The same, analysed: English stems, Japanese without okurigana. Matches a superset of `typed`. */
      analysed: string
      /** Each required word, analysed, for "any word" searches. */
      words: { text: string; prefix: boolean }[]
      needles: Needles
    }

/** A word as typed. An inflected word (its stem differs) is sent as a one-word phrase, which
 *  Meilisearch matches exactly: its typo corrections would otherwise find other words (exporting →
 *  reporting) where the analysed pass finds its own stem. */
function typedWord(group: QueryGroup): string {
  return group.kind === 'word' && group.stem !== null && group.stem !== group.text ? `"${group.text}"` : group.text
}

function analysedWord(group: QueryGroup): string {
  return group.kind === 'word' ? (group.stem ?? group.text) : group.compact || group.text
}

/** Words joined for Meilisearch: its last word is a prefix unless a space follows it. */
function joinWords(words: string[], lastIsPrefix: boolean): string {
  return `${words.join(' ')}${lastIsPrefix ? '' : ' '}`
}

export function meiliText(q: string): MeiliText {
  const raw = q.slice(0, searchLimits.maxQueryLength)
  if (!raw.trim()) return { kind: 'everything' }
  const groups = parseQuery(raw)
  const required = groups.filter((g) => g.required)
  if (!required.length) return { kind: 'nothing' }
  // The word being typed is the query's last, unless a space follows it (then it is finished).
  const typing = !/\s$/u.test(raw) && required.at(-1) === groups.at(-1)
  // Only the words that count are marked, as the embedded engine does: not a sentence's stop words.
  const needles: Required<Needles> = { words: [], stems: [], cjk: [] }
  for (const g of required) {
    if (g.kind === 'word') {
      needles.words.push(g.text)
      if (g.stem !== null) needles.stems.push(g.stem)
    } else needles.cjk.push(...[g.text, g.compact].filter(Boolean))
  }
  const analysed = required.map(analysedWord)
  return {
    kind: 'words',
    typed: joinWords(required.map(typedWord), typing),
    analysed: joinWords(analysed, typing),
    words: [...new Set(analysed)].map((text) => ({ text, prefix: typing && text === analysed.at(-1) })),
    needles,
  }
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

/** One search, read once: the live index, the filters, the page, the reader. */
export type SearchPlan = {
  index: string
  locale: SearchLocale
  limit: number
  offset: number
  /** Every filter but the kinds. */
  clauses: string[]
  /** The kinds asked for; null for all. */
  types: SearchDocType[] | null
  text: MeiliText
}

export function searchPlan(index: string, query: SearchQuery): SearchPlan {
  return {
    index,
    locale: query.locale,
    limit: Math.min(Math.max(query.limit ?? searchLimits.defaultLimit, 1), searchLimits.maxLimit),
    offset: Math.max(query.offset ?? 0, 0),
    clauses: filterClauses(query, query.now ?? new Date()),
    types: query.types?.length ? [...new Set(query.types)] : null,
    text: meiliText(query.q),
  }
}

function withTypes(plan: SearchPlan): string[] {
  return plan.types ? [...plan.clauses, `type IN [${plan.types.join(', ')}]`] : plan.clauses
}

/** The tokenizer's language for a query: Japanese when it has any; otherwise the index's languages. */
function locales(q: string): Pick<MultiSearchQuery, 'locales'> {
  return hasCjk(q) ? { locales: ['jpn'] } : {}
}

function base(plan: SearchPlan, q: string): MultiSearchQuery {
  return { indexUid: plan.index, q, matchingStrategy: 'all', distinct: 'group', ...locales(q) }
}

/** Every word required. The first query counts groups per kind over every kind (exactly: `page` and
 *  `hitsPerPage` make Meilisearch count after `distinct`); the others fetch the page: the words as
 *  typed, then, when analysis changed them, the analysed words, the typed matches first. */
export function allWordsQueries(plan: SearchPlan): MultiSearchQuery[] {
  const text = plan.text.kind === 'words' ? plan.text : null
  const analysed = text?.analysed ?? ''
  const count: MultiSearchQuery = {
    ...base(plan, analysed),
    filter: plan.clauses,
    facets: ['type'],
    hitsPerPage: 0,
    page: 1,
  }
  const page = (q: string, window: { offset: number; limit: number }): MultiSearchQuery => ({
    ...base(plan, q),
    filter: withTypes(plan),
    ...window,
    ...display,
    sort: [`rank_${plan.locale}:desc`],
  })
  if (!text || text.typed === text.analysed) return [count, page(analysed, { offset: plan.offset, limit: plan.limit })]
  // Both passes from the top: the page is cut from their merge.
  const window = { offset: 0, limit: plan.offset + plan.limit }
  return [count, page(text.typed, window), page(text.analysed, window)]
}

export type Counts = { total: number; facets: Record<SearchDocType, number> }

function totalOf(facets: Record<SearchDocType, number>, plan: SearchPlan): number {
  const types: readonly SearchDocType[] = plan.types ?? searchDocTypes
  return types.reduce((sum, type) => sum + facets[type], 0)
}

/** Per-kind counts of a counting query, capped as totals are (see SearchResult); the total covers the
 *  kinds asked for. */
export function countsOf(result: Pick<MultiSearchResult<unknown>, 'facetDistribution'>, plan: SearchPlan): Counts {
  const facets = emptyFacets()
  for (const type of searchDocTypes) {
    facets[type] = Math.min(result.facetDistribution?.type?.[type] ?? 0, searchLimits.maxCount)
  }
  return { total: totalOf(facets, plan), facets }
}

/** The page from the page queries: one, or the typed matches followed by the other analysed ones. */
export function pageOf(pages: Hit<MeiliDoc>[][], plan: SearchPlan): Hit<MeiliDoc>[] {
  if (pages.length === 1) return pages[0]!
  const seen = new Set<string>()
  const merged: Hit<MeiliDoc>[] = []
  for (const hit of pages.flat()) {
    if (seen.has(hit.group)) continue
    seen.add(hit.group)
    merged.push(hit)
  }
  return merged.slice(plan.offset, plan.offset + plan.limit)
}

/** Hits whose group has a version in the reader's language: that version is shown instead. */
function needsReaderVersion(hit: Pick<MeiliDoc, 'locale' | 'otherLocales'>, locale: SearchLocale): boolean {
  return hit.locale !== locale && (hit.otherLocales ?? []).includes(locale)
}

/** The reader's-language versions of the page's groups that are in another language; null when none.
 *  `distinct` picks each group's best-ranked version, which is not always the reader's: a second,
 *  small query fetches theirs, with every filter, so a version the filters exclude is never shown. */
export function readerVersionsQuery(plan: SearchPlan, hits: Hit<MeiliDoc>[]): MultiSearchQuery | null {
  const groups = hits.filter((hit) => needsReaderVersion(hit, plan.locale)).map((hit) => hit.group)
  if (!groups.length) return null
  const q = plan.text.kind === 'words' ? plan.text.analysed : ''
  return {
    ...base(plan, q),
    filter: [...withTypes(plan), `group IN [${groups.map(quote).join(', ')}]`, `locale = ${quote(plan.locale)}`],
    limit: groups.length,
    ...display,
  }
}

/** Puts each reader's-language version found in place of its group's hit. */
export function withReaderVersions(hits: Hit<MeiliDoc>[], versions: Hit<MeiliDoc>[]): Hit<MeiliDoc>[] {
  const byGroup = new Map(versions.map((hit) => [hit.group, hit]))
  return hits.map((hit) => byGroup.get(hit.group) ?? hit)
}

/** "Any word": one search per required word, every kind, best groups first, counted exactly. */
export function anyWordQueries(plan: SearchPlan): MultiSearchQuery[] {
  if (plan.text.kind !== 'words') return []
  return plan.text.words.map((word) => ({
    ...base(plan, joinWords([word.text], word.prefix)),
    filter: plan.clauses,
    facets: ['type'],
    hitsPerPage: ANY_CANDIDATES,
    page: 1,
    attributesToRetrieve: ['id', 'type', 'group', 'locale', 'otherLocales', 'rank_en', 'rank_ja'],
    showRankingScore: true,
    sort: [`rank_${plan.locale}:desc`],
  }))
}

/** A group found by some of the words: which ones, and how well. */
export type AnyMatch = {
  id: string
  type: SearchDocType
  group: string
  locale: SearchLocale
  otherLocales: SearchLocale[]
  rank: number
  /** Indexes into the query's words. */
  words: number[]
  score: number
}

/** Merges the per-word results: groups matching more words first, then the better text matches
 *  (summed ranking scores), then the static rank. Counts are exact unless a word had more matches
 *  than were fetched; they are then at least that word's. */
export function rankAnyMatches(
  results: Pick<MultiSearchResult<MeiliDoc>, 'hits' | 'facetDistribution'>[],
  plan: SearchPlan,
): { matches: AnyMatch[] } & Counts {
  const byGroup = new Map<string, AnyMatch>()
  results.forEach((result, word) => {
    for (const hit of result.hits) {
      let match = byGroup.get(hit.group)
      if (!match) {
        match = {
          id: hit.id,
          type: hit.type,
          group: hit.group,
          locale: hit.locale,
          otherLocales: hit.otherLocales ?? [],
          rank: plan.locale === 'ja' ? hit.rank_ja : hit.rank_en,
          words: [],
          score: 0,
        }
        byGroup.set(hit.group, match)
      }
      if (!match.words.includes(word)) match.words.push(word)
      match.score += hit._rankingScore ?? 0
    }
  })
  const all = [...byGroup.values()]
  const facets = emptyFacets()
  for (const type of searchDocTypes) {
    const merged = all.filter((m) => m.type === type).length
    const widest = Math.max(0, ...results.map((r) => r.facetDistribution?.type?.[type] ?? 0))
    facets[type] = Math.min(Math.max(merged, widest), searchLimits.maxCount)
  }
  const types: readonly SearchDocType[] = plan.types ?? searchDocTypes
  const matches = all
    .filter((m) => types.includes(m.type))
    .sort((a, b) => b.words.length - a.words.length || b.score - a.score || b.rank - a.rank || a.id.localeCompare(b.id))
  return { matches, total: totalOf(facets, plan), facets }
}

/** The page's documents with highlights: one query per set of matched words, each requiring exactly
 *  those words of the documents found by them (so every one comes back, its matches marked), together
 *  with the reader's-language version of a group in another language. */
export function anyDisplayQueries(plan: SearchPlan, page: AnyMatch[]): MultiSearchQuery[] {
  if (plan.text.kind !== 'words') return []
  const words = plan.text.words
  const sets = new Map<string, AnyMatch[]>()
  for (const match of page) {
    const key = [...match.words].sort((a, b) => a - b).join(',')
    sets.set(key, [...(sets.get(key) ?? []), match])
  }
  return [...sets].map(([key, matches]) => {
    const chosen = key.split(',').map((i) => words[Number(i)]!)
    const q = joinWords(
      chosen.map((w) => w.text),
      chosen.at(-1)?.prefix ?? false,
    )
    const ids = `id IN [${matches.map((m) => quote(m.id)).join(', ')}]`
    const groups = matches.filter((m) => needsReaderVersion(m, plan.locale)).map((m) => quote(m.group))
    const filter = groups.length
      ? `${ids} OR (group IN [${groups.join(', ')}] AND locale = ${quote(plan.locale)})`
      : ids
    return {
      indexUid: plan.index,
      q,
      matchingStrategy: 'all',
      filter: [...plan.clauses, filter],
      limit: matches.length + groups.length,
      ...locales(q),
      ...display,
    }
  })
}

/** The page in merged order, each group as its reader's-language version when one came back. */
export function anyPage(page: AnyMatch[], shown: Hit<MeiliDoc>[], locale: SearchLocale): Hit<MeiliDoc>[] {
  const byId = new Map(shown.map((hit) => [hit.id, hit]))
  const reader = new Map(shown.filter((hit) => hit.locale === locale).map((hit) => [hit.group, hit]))
  return page.flatMap((match) => {
    const hit = (needsReaderVersion(match, locale) ? reader.get(match.group) : undefined) ?? byId.get(match.id)
    return hit ? [hit] : []
  })
}

// ---------------------------------------------------------------------------------------------------
// Hits

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

function textOf(value: unknown): string {
  if (!value || typeof value !== 'object') return ''
  const { ja, en } = value as LocalizedText
  return ja || en || ''
}

/** Highlights as the embedded engine makes them (search/text.ts), from the query's needles plus every
 *  word Meilisearch marked (a typo correction, a synonym), over the title and the windows of body and
 *  answers Meilisearch cut around its matches. */
export function toHit(hit: Hit<MeiliDoc>, needles: Needles): SearchHit {
  const formatted = (hit._formatted ?? {}) as Partial<Record<TextField, unknown>>
  const title = textOf(hit.title)
  const windows = (['body', 'answers'] as const).map((field) => textOf(formatted[field]))
  const marked = [textOf(formatted.title), ...windows].flatMap((text) =>
    parseHighlighted(text)
      .filter((part) => part.match)
      .map((part) => foldForSearch(part.text.trim())),
  )
  const all: Needles = {
    words: [...needles.words, ...marked.filter((word) => word && !hasCjk(word))],
    stems: needles.stems ?? [],
    cjk: [...needles.cjk, ...marked.filter(hasCjk)],
  }
  const plain = windows
    .map((text) => clean(text))
    .filter(Boolean)
    .join('\n\n')
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
    otherLocales: hit.otherLocales ?? [],
    highlights: { title: title ? highlight(title, all) : [], snippet: snippet(plain, all) },
  }
}

// ---------------------------------------------------------------------------------------------------
// Settings and versions

/** The server is older than the adapter needs: a configuration error, which stops the start. */
export class MeilisearchVersionError extends Error {
  override name = 'MeilisearchVersionError'
}

/** Why this server cannot serve the app, or null. */
export function versionProblem(pkgVersion: string): string | null {
  const [major = 0, minor = 0] = pkgVersion.split(/[.-]/u).map(Number)
  const [needMajor, needMinor] = MIN_MEILISEARCH_VERSION
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null
  return `Meilisearch ${pkgVersion} is too old: this app needs ${needMajor}.${needMinor}.0 or later (rebuilds swap indexes with \`rename: false\`). Upgrade the server, or unset MEILI_URL to use the embedded engine.`
}

/** Settings Meilisearch keeps as sets, returned in its own order. */
const unordered = new Set<string>(['filterableAttributes', 'sortableAttributes'])

function sameValue(wanted: unknown, actual: unknown, anyOrder: boolean): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(actual) || actual.length !== wanted.length) return false
    if (anyOrder) {
      const key = (v: unknown) => JSON.stringify(v)
      return JSON.stringify(wanted.map(key).sort()) === JSON.stringify(actual.map(key).sort())
    }
    return wanted.every((value, i) => sameValue(value, actual[i], false))
  }
  if (wanted && typeof wanted === 'object') {
    // Meilisearch answers with every sub-setting; only those the adapter sets are compared.
    if (!actual || typeof actual !== 'object') return false
    return Object.entries(wanted).every(([k, v]) => sameValue(v, (actual as Record<string, unknown>)[k], false))
  }
  return wanted === actual
}

function sameSynonyms(a: Record<string, string[]>, b: Record<string, string[]>): boolean {
  const sorted = (map: Record<string, string[]>) =>
    JSON.stringify(Object.entries(map).sort(([x], [y]) => (x < y ? -1 : 1)))
  return sorted(a) === sorted(b)
}

/** The settings of `indexSettings` the live index does not have (synonyms are staff's, not compared). */
export function settingsDrift(actual: Settings): string[] {
  return Object.entries(indexSettings)
    .filter(([name, wanted]) => !sameValue(wanted, actual[name as keyof Settings], unordered.has(name)))
    .map(([name]) => name)
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

function errorCode(error: unknown): string | undefined {
  return error instanceof MeilisearchApiError ? error.cause?.code : undefined
}

/** Search errors a missing index, or one with missing or older settings, causes: the index is brought
 *  back into shape and the search tried once more. */
const recoverable = new Set([
  'index_not_found',
  'invalid_search_filter',
  'invalid_search_facets',
  'invalid_search_sort',
  'invalid_search_distinct',
])

/** Search on a Meilisearch server. One index holds all three kinds of document; a reindex builds a
 *  versioned index (`content_v3_<time>`) and swaps it with the live one (`content`) in one step. Any
 *  failure to reach the server rejects, so callers can answer 503 or retry later. Searching only
 *  searches (a search-only key is enough for it); the index and its settings are checked before the
 *  first write, at start (`prepare`), and when a search fails for want of them. */
export class MeilisearchEngine implements SearchEngine {
  readonly name = 'meilisearch'
  readonly #client: Meilisearch
  readonly #live: string
  #ready: Promise<boolean> | undefined
  #recovering: Promise<void> | undefined
  /** The index a rebuild in this process is filling: synonyms set meanwhile go to it too. */
  #building: string | undefined

  constructor({ host, apiKey, indexPrefix = 'content' }: { host: string; apiKey?: string; indexPrefix?: string }) {
    this.#client = new Meilisearch({ host, apiKey, timeout: 10_000 })
    this.#live = indexPrefix
  }

  /** Checks the server's version, creates the live index when it is missing, and brings its settings
   *  up to date (a deploy that adds a filterable attribute would otherwise fail every filtered
   *  search). Once per process; again after a search failed for want of them. Resolves to true when
   *  the live index had to be created (empty: it needs a reindex). */
  prepare(): Promise<boolean> {
    this.#ready ??= this.#check().catch((error: unknown) => {
      this.#ready = undefined
      throw error
    })
    return this.#ready
  }

  async #check(): Promise<boolean> {
    const { pkgVersion } = await this.#client.getVersion()
    const problem = versionProblem(pkgVersion)
    if (problem) throw new MeilisearchVersionError(problem)
    let created = false
    try {
      await this.#client.getRawIndex(this.#live)
    } catch (error) {
      if (errorCode(error) !== 'index_not_found') throw error
      await settle(this.#client.createIndex(this.#live, { primaryKey: 'id' }), { ignore: ['index_already_exists'] })
      console.warn(`[search] the Meilisearch index "${this.#live}" was missing: created it empty (npm run reindex)`)
      created = true
    }
    const index = this.#client.index(this.#live)
    const drift = settingsDrift(await index.getSettings())
    if (drift.length) {
      console.info(`[search] updating the settings of Meilisearch index "${this.#live}": ${drift.join(', ')}`)
      await settle(index.updateSettings(indexSettings), { timeout: waitFor.batch })
    }
    return created
  }

  #recover(): Promise<void> {
    this.#recovering ??= (async () => {
      this.#ready = undefined
      await this.prepare()
    })().finally(() => {
      this.#recovering = undefined
    })
    return this.#recovering
  }

  async #multiSearch(queries: MultiSearchQuery[]): Promise<MultiSearchResult<MeiliDoc>[]> {
    const run = async () =>
      (await this.#client.multiSearch<{ queries: MultiSearchQuery[] }, MeiliDoc>({ queries })).results
    try {
      return await run()
    } catch (error) {
      if (!recoverable.has(errorCode(error) ?? '')) throw error
      // With a key that may only search, recovering fails: the search fails as it did.
      await this.#recover().catch(() => {
        throw error
      })
      return run()
    }
  }

  async upsert(docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return
    await this.prepare()
    await settle(this.#client.index<MeiliDoc>(this.#live).addDocuments(docs.map(toMeiliDoc), { primaryKey: 'id' }), {
      timeout: waitFor.batch,
    })
  }

  async remove(ids: string[]): Promise<void> {
    if (!ids.length) return
    await this.prepare()
    await settle(this.#client.index(this.#live).deleteDocuments(ids.map(toMeiliId)))
  }

  async reset(): Promise<void> {
    await this.prepare()
    const index = this.#client.index(this.#live)
    await settle(index.deleteAllDocuments())
    await settle(index.resetSynonyms())
  }

  async setSynonyms(synonyms: SynonymMap): Promise<void> {
    await this.prepare()
    const expanded = meiliSynonyms(synonyms)
    for (const uid of new Set([this.#live, this.#building].filter((uid) => uid !== undefined))) {
      await settle(this.#client.index(uid).updateSynonyms(expanded))
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const started = performance.now()
    const plan = searchPlan(this.#live, query)
    const found =
      plan.text.kind === 'nothing'
        ? { hits: [], total: 0, facets: emptyFacets() }
        : ((query.matching !== 'any' ? await this.#allWords(plan) : null) ?? (await this.#anyWord(plan)))
    return {
      hits: found.hits,
      total: found.total,
      facets: { type: found.facets },
      tookMs: Math.round(performance.now() - started),
    }
  }

  /** Every word required; null when no document has them all (then any of them will do). */
  async #allWords(plan: SearchPlan): Promise<({ hits: SearchHit[] } & Counts) | null> {
    const [counted, ...pages] = await this.#multiSearch(allWordsQueries(plan))
    const { total, facets } = countsOf(counted!, plan)
    // Nothing has every word: documents with some of them will do (with one word, none has it).
    if (total === 0 && plan.text.kind === 'words' && plan.text.words.length > 1) return null
    let hits = pageOf(
      pages.map((page) => page.hits),
      plan,
    )
    const readers = readerVersionsQuery(plan, hits)
    if (readers) hits = withReaderVersions(hits, (await this.#multiSearch([readers]))[0]!.hits)
    const needles = plan.text.kind === 'words' ? plan.text.needles : { words: [], cjk: [] }
    return { hits: hits.map((hit) => toHit(hit, needles)), total, facets }
  }

  async #anyWord(plan: SearchPlan): Promise<{ hits: SearchHit[] } & Counts> {
    if (plan.text.kind !== 'words') return { hits: [], total: 0, facets: emptyFacets() }
    const { matches, total, facets } = rankAnyMatches(await this.#multiSearch(anyWordQueries(plan)), plan)
    const page = matches.slice(plan.offset, plan.offset + plan.limit)
    if (!page.length) return { hits: [], total, facets }
    const shown = (await this.#multiSearch(anyDisplayQueries(plan, page))).flatMap((r) => r.hits)
    const needles = plan.text.needles
    return { hits: anyPage(page, shown, plan.locale).map((hit) => toHit(hit, needles)), total, facets }
  }

  async rebuild(
    batches: AsyncIterable<SearchDocument[]>,
    total: number,
    onProgress?: RebuildProgress,
  ): Promise<number> {
    await this.prepare()
    const live = this.#client.index(this.#live)
    const build = `${this.#live}_v${SCHEMA_VERSION}_${Date.now()}`
    let indexed = 0
    try {
      await settle(this.#client.createIndex(build, { primaryKey: 'id' }))
      this.#building = build
      const index = this.#client.index<MeiliDoc>(build)
      // The new index gets the settings and the synonyms staff set on the live one.
      await settle(index.updateSettings({ ...indexSettings, synonyms: await live.getSynonyms() }), {
        timeout: waitFor.batch,
      })
      onProgress?.(0, total)
      for await (const batch of batches) {
        if (!batch.length) continue
        await settle(index.addDocuments(batch.map(toMeiliDoc), { primaryKey: 'id' }), { timeout: waitFor.batch })
        indexed += batch.length
        onProgress?.(indexed, total)
      }
      // Synonyms another process set during the build (this one sets them on both).
      const synonyms = await live.getSynonyms()
      if (!sameSynonyms(synonyms, await index.getSynonyms())) await settle(index.updateSynonyms(synonyms))
      await settle(this.#client.swapIndexes([{ indexes: [this.#live, build], rename: false }]))
    } catch (error) {
      await this.#client.deleteIndex(build).catch(() => {})
      throw error
    } finally {
      this.#building = undefined
    }
    // After the swap the build name holds the previous documents.
    await settle(this.#client.deleteIndex(build), { ignore: ['index_not_found'] })
    return indexed
  }
}
