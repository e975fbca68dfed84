import { PGlite } from '@electric-sql/pglite'
import { and, arrayContains, eq, gte, inArray, notInArray, type SQL, type SQLWrapper, sql } from 'drizzle-orm'
import { type AnyPgColumn, alias, PgTransaction } from 'drizzle-orm/pg-core'
import { audienceCondition, visitorAudience } from '#app/lib/audience.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import {
  searchDocuments,
  searchIndexBuckets,
  searchIndexSlot,
  searchSynonymMap,
  searchTerms,
} from '#db/schema/search.ts'
import {
  documentBoost,
  emptyFacets,
  type RebuildProgress,
  type SearchDocType,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchLocale,
  type SearchQuery,
  type SearchResult,
  type SynonymMap,
  searchDocTypes,
  searchLimits,
} from './engine.ts'
import { prefixTerms, prefixTermsLiteral, queryWithPrefixTerms } from './prefix-terms.ts'
import {
  allowedTypos,
  bigrams,
  editDistance,
  highlight,
  indexPositions,
  isCjk,
  type Needles,
  normalizeQuery,
  parseQuery,
  phraseGroups,
  type QueryGroup,
  type SynonymSpan,
  snippet,
  stem,
  stemTerm,
  synonymCandidates,
  synonymKey,
  synonymSpans,
  tokens,
} from './text.ts'

/** The embedded engine: the index is a table of the app's own database (search_documents), so it is
 *  persistent and transactional, and needs no process of its own. Matching is PostgreSQL full text
 *  over terms this module cuts itself (search/text.ts: words, and bigrams for Japanese), with GIN
 *  indexes (one per kind and bucket, docs/decisions/047); typo tolerance widens query words to the
 *  indexed terms within one or two edits, found through a pg_trgm index over the term list. */

/** Matches of each kind ranked per query: of a very common word, the first 300 of each kind are
 *  ranked and the rest only counted (up to the cap). Meilisearch stops at 1,000 hits the same way. */
const CANDIDATES = 300

/** Matches of each kind read at most per query: counts stop at the cap of groups, and a group has at
 *  most one version per language, so twice the cap of documents always holds the cap of groups. */
const SCANNED = searchLimits.maxCount * 2

/** The best candidates by the cheap ranking over `head` that are ranked again over all their terms
 *  (each document unpacked once): on a small index, every match. */
const RERANK = 30

/** The terms of the start of the body that go into `head`: a few sentences say what a document is
 *  about. */
const LEAD_TERMS = 48

/** Word prefixes up to this many characters are indexed as terms of their own (`^t`, `^th`): the
 *  prefix query `'t':*` would read thousands of index entries, one of them reads one. Longer
 *  prefixes match few enough entries. */
const PREFIX_TERMS = 2

/** ts_rank weights for D (answers), C (body), B (tags, category), A (title). */
const WEIGHTS = '{0.1,0.2,0.5,1.0}'

type Compiled = {
  /** What a document must match. */
  match: string
  /** At least one required group: the fallback when `match` finds nothing. */
  some: string
  /** Every alternative of every group, for ts_rank. */
  rank: string
  /** The required groups as typed: no stems, typo corrections, okurigana variants or synonyms (for
   *  the exact-match bonus, so an exact word ranks above its inflections and corrections). */
  exact: string
  /** The required groups, each in the title (as typed, by stem or by synonym; no typo corrections). */
  title: string
  /** Each required group on its own: documents matching more of them rank first in `any` mode and
   *  in the fallback (Meilisearch's "words" rule). */
  each: string[]
  needles: Needles
}

function quote(term: string): string {
  if (!term.includes("'") && !term.includes('\\')) return `'${term}'`
  return `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}

function anyOf(parts: string[]): string {
  return parts.length === 1 ? `${parts[0]}` : `(${parts.join(' | ')})`
}

function allOf(parts: string[]): string {
  return parts.length === 1 ? `${parts[0]}` : `(${parts.join(' & ')})`
}

/** How loosely a group matches: `exact` as typed (kana folded), `close` also by stem, okurigana
 *  variant and synonym (the same word or concept), `full` also by typo correction. */
type Level = 'exact' | 'close' | 'full'

/** A Japanese word as its bigrams; from four bigrams on, one may be missing (a typo or a dropped
 *  character: カスタマサクセス still finds カスタマーサクセス), unless `strict`. */
function cjkMatch(grams: string[], weight = '', strict = false): string {
  const terms = grams.map((g) =>
    g.length === 1 || [...g].length === 1 ? `${quote(g)}:*${weight}` : `${quote(g)}${weight ? `:${weight}` : ''}`,
  )
  if (terms.length < 4 || strict) return allOf(terms)
  return anyOf(terms.map((_, skip) => allOf(terms.filter((__, i) => i !== skip))))
}

/** What the index knows of a query's words: typo corrections of unknown words, and the words of the
 *  lexicon a word being typed may become (`completions`: none when there are too many to list). */
type Known = { typos: Map<string, string[]>; completions: Map<string, string[]> }

/** The most words a prefix is listed as. A prefix query (`'exp':*`) makes the GIN index read the whole
 *  list of every word starting with it before it intersects anything: 6 ms where the same words
 *  listed cost 0.4 ms, `csv` at the end of a sentence. A prefix of more words stays a prefix query. */
const COMPLETIONS = 32

/** A word as typed (a prefix when it is the last one typed: its completions, or a prefix query), its
 *  stem (the plain stem, `export` for `exporting`, and the stem term every inflected form is indexed
 *  with) and its typo corrections. */
function wordMatch(group: Extract<QueryGroup, { kind: 'word' }>, known: Known, level: Level, weight = ''): string {
  const w = weight ? `:${weight}` : ''
  const typos = known.typos.get(group.text) ?? []
  const completions = known.completions.get(group.text)
  const exact = !group.prefix
    ? `${quote(group.text)}${w}`
    : completions
      ? anyOf([group.text, ...completions].map((word) => `${quote(word)}${w}`))
      : `${quote(group.text)}:*${weight}`
  if (level === 'exact' || group.stem === null) {
    return anyOf([exact, ...(level === 'full' ? typos.map((t) => `${quote(t)}${w}`) : [])])
  }
  const stems = [`${quote(stemTerm(group.text))}${w}`]
  if (group.stem !== group.text) stems.push(`${quote(group.stem)}${w}`)
  return anyOf([exact, ...stems, ...(level === 'full' ? typos.map((t) => `${quote(t)}${w}`) : [])])
}

/** `strict` for a synonym's alternatives: staff wrote them, so a Japanese one is matched as written
 *  (every bigram), not with one missing as a reader's typo might need. An OR of every bigram list
 *  but one is read whole by the GIN index; an AND skips through the lists. */
function groupMatch(group: QueryGroup, known: Known, level: Level, weight = '', strict = false): string {
  if (group.kind === 'word') return wordMatch(group, known, level, weight)
  const whole = cjkMatch(group.grams, weight, strict)
  return group.compact && level !== 'exact' ? anyOf([whole, cjkMatch(bigrams(group.compact), weight, strict)]) : whole
}

/** A unit of the query: one group, or the groups a synonym key covers (`cancel contract`), which also
 *  match any of the key's alternatives. */
type Clause = { groups: QueryGroup[]; alternatives: QueryGroup[][]; required: boolean }

function clausesOf(groups: QueryGroup[], spans: SynonymSpan[], synonyms: Map<string, string[]>): Clause[] {
  const clauses: Clause[] = []
  for (let i = 0; i < groups.length; i++) {
    const span = spans.find((s) => s.from === i)
    if (!span) {
      const group = groups[i]!
      clauses.push({ groups: [group], alternatives: [], required: group.required })
      continue
    }
    const covered = groups.slice(span.from, span.to + 1)
    // Inside a phrase key, its stop words count only when nothing else does, as in the query.
    const needed = covered.some((g) => g.required) ? covered.filter((g) => g.required) : covered
    const rest = span.rest.flatMap(phraseGroups)
    const alternatives = (synonyms.get(span.key) ?? [])
      .map((alternative) => [...phraseGroups(alternative), ...rest])
      .filter((alternative) => alternative.length > rest.length)
    clauses.push({ groups: needed, alternatives, required: covered.some((g) => g.required) })
    i = span.to
  }
  return clauses
}

function compile(groups: QueryGroup[], known: Known, clauses: Clause[]): Compiled {
  const required = clauses.filter((c) => c.required)
  const match = (clause: Clause, level: Level, weight = '') =>
    anyOf([
      allOf(clause.groups.map((g) => groupMatch(g, known, level, weight))),
      ...(level === 'exact'
        ? []
        : clause.alternatives.map((alternative) =>
            allOf(alternative.map((g) => groupMatch(g, known, 'close', weight, true))),
          )),
    ])
  const needles: Required<Needles> = { words: [], stems: [], cjk: [] }
  const addNeedles = (g: QueryGroup) => {
    if (g.kind === 'word') {
      needles.words.push(g.text, ...(known.typos.get(g.text) ?? []))
      if (g.stem !== null) needles.stems.push(g.stem)
    } else {
      // The whole Japanese word: one of its bigrams alone also sits inside unrelated words.
      needles.cjk.push(g.text)
      if (g.compact) needles.cjk.push(g.compact)
    }
  }
  // Stop words are marked only when the query has nothing else: in a sentence they would mark half
  // of every snippet, and the snippet is centred on the words that matter.
  for (const g of groups.some((g) => g.required) ? groups.filter((g) => g.required) : groups) addNeedles(g)
  for (const clause of clauses)
    for (const alternative of clause.alternatives) for (const g of alternative) addNeedles(g)
  return {
    match: allOf(required.map((c) => match(c, 'full'))),
    some: anyOf(required.map((c) => match(c, 'full'))),
    rank: anyOf(clauses.map((c) => match(c, 'full'))),
    exact: allOf(required.map((c) => match(c, 'exact'))),
    title: allOf(required.map((c) => match(c, 'close', 'A'))),
    each: required.map((c) => match(c, 'full')),
    needles,
  }
}

/** A tsvector literal with positions and weights, so ranking knows where terms stand and in which
 *  field. Each position may hold several terms (a word and its stem, a bigram and an okurigana pair). */
function tsvectorLiteral(fields: [string[][], 'A' | 'B' | 'C' | 'D'][]): string {
  // Each term's positions as the literal's text, built as it goes: indexing spends most of its time here.
  const positions = new Map<string, { list: string; count: number; last: number }>()
  let position = 1
  for (const [slots, weight] of fields) {
    for (const slot of slots) {
      if (position > 16_383) break
      const at = `${position}${weight}`
      for (const term of slot) {
        const entry = positions.get(term)
        if (!entry) positions.set(term, { list: at, count: 1, last: position })
        else if (entry.count < 255 && entry.last !== position) {
          entry.list += `,${at}`
          entry.count++
          entry.last = position
        }
      }
      position++
    }
    position += 10
  }
  let literal = ''
  for (const [term, { list }] of positions) literal += `${literal ? ' ' : ''}${quote(term)}:${list}`
  return literal
}

/** Latin words worth keeping for typo lookups: three letters or more (a five-letter word with one
 *  typo may be a four-letter one), no digits-only words; with the stem term of each inflected word, so
 *  a query word whose stem is indexed is known and never replaced by a typo correction. */
function lexiconWords(doc: SearchDocument): string[] {
  const words = new Set<string>()
  for (const token of tokens(`${doc.title} ${doc.tags.join(' ')} ${doc.body} ${doc.answers}`)) {
    if (isCjk(token) || token.length < 3 || token.length > 30 || /^\p{N}+$/u.test(token)) continue
    words.add(token)
    if (stem(token) !== token) words.add(stemTerm(token))
  }
  return [...words]
}

/** A tsvector literal with the short prefixes of the words in `fields` added (search/prefix-terms.ts):
 *  a slot's first term is the word as indexed. */
function withPrefixTerms(terms: string, fields: [string[][], unknown][]): string {
  const words = new Set<string>()
  for (const [slots] of fields) for (const slot of slots) if (slot[0]) words.add(slot[0])
  const prefixes = prefixTermsLiteral(prefixTerms(words, PREFIX_TERMS))
  return prefixes && terms ? `${terms} ${prefixes}` : terms || prefixes
}

/** The bucket of a translation group (FNV-1a): every version of a group is in the same one. */
function bucketOf(group: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < group.length; i++) hash = Math.imul(hash ^ group.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % searchIndexBuckets
}

function rowOf(doc: SearchDocument) {
  const tagTerms = [...doc.tags, doc.category ?? ''].flatMap((t) => indexPositions(t.replaceAll('-', ' ')))
  const title = indexPositions(doc.title)
  const tags = [...doc.tags.map((tag) => [tag]), ...tagTerms]
  const body = indexPositions(doc.body)
  const fields: [string[][], 'A' | 'B' | 'C' | 'D'][] = [
    [title, 'A'],
    [tags, 'B'],
    [body, 'C'],
    [indexPositions(doc.answers), 'D'],
    // The other language versions of an article: found by their words too, ranked below its own.
    [indexPositions(doc.translations ?? ''), 'D'],
  ]
  return {
    id: doc.id,
    docType: doc.type,
    docId: doc.docId,
    locale: doc.locale,
    title: doc.title,
    body: doc.answers ? `${doc.body}\n\n${doc.answers}` : doc.body,
    tags: doc.tags,
    category: doc.category,
    url: doc.url,
    answerCount: doc.answerCount,
    accepted: doc.accepted,
    score: doc.score,
    startsAt: doc.startsAt,
    restricted: doc.restricted,
    audienceAccountIds: doc.audienceAccountIds,
    audienceTiers: doc.audienceTiers,
    titleKey: normalizeQuery(doc.title),
    boost: documentBoost(doc),
    groupKey: doc.group || doc.id,
    slot: searchIndexSlot(doc.type, bucketOf(doc.group || doc.id)),
    otherLocales: doc.otherLocales ?? [],
    head: tsvectorLiteral([
      [title, 'A'],
      [tags, 'B'],
      [body.slice(0, LEAD_TERMS), 'C'],
    ]),
    terms: withPrefixTerms(tsvectorLiteral(fields), fields),
    updatedAt: doc.updatedAt,
  }
}

const upsertSet = Object.fromEntries(
  [
    'docType',
    'docId',
    'locale',
    'title',
    'body',
    'tags',
    'category',
    'url',
    'answerCount',
    'accepted',
    'score',
    'startsAt',
    'restricted',
    'audienceAccountIds',
    'audienceTiers',
    'titleKey',
    'boost',
    'groupKey',
    'slot',
    'otherLocales',
    'head',
    'terms',
    'updatedAt',
  ].map((key) => {
    const column = searchDocuments[key as keyof typeof searchDocuments] as { name: string }
    return [key, sql.raw(`excluded.${column.name}`)]
  }),
)

/** Planner settings of a search's transactions. No sequential scans: the planner would often scan
 *  the whole table for a common word, unpacking every document's terms, where the GIN indexes answer
 *  without touching them. The index is read
 *  from memory, where a random read costs little more than a sequential one: without saying so, the
 *  planner sorts a whole kind by boost rather than read its best through the boost index. No JIT
 *  compilation: a plan costed with a disabled scan in it would compile for longer than it runs. */
const planner = Object.entries({ enable_seqscan: 'off', random_page_cost: '1.1', jit: 'off' })
  .map(([name, value]) => `set_config('${name}', '${value}', true)`)
  .join(', ')

/** What a search matches: any required word (`any`, ranked by how many), or every one and, when no
 *  document of the kinds asked for has them all, any of them (`fallback`: decided inside the
 *  statements, so a sentence nothing matches whole costs one search, not two). */
type Matching = { compiled: Compiled; scope: 'any' | 'fallback' }

/** A row of `page`'s statement: the counts, then (when the page has hits) one hit's fields. */
type PageRow = {
  n: number
  id: string
  doc_type: string
  doc_id: number
  locale: string
  title: string
  body: string
  url: string
  tags: string[]
  category: string | null
  answer_count: number
  accepted: boolean
  score: number
  other_locales: string[]
  /** Milliseconds since the epoch. */
  starts_at: number | null
}

type FilteredColumns = Record<
  | 'id'
  | 'tags'
  | 'accepted'
  | 'answerCount'
  | 'startsAt'
  | 'locale'
  | 'category'
  | 'restricted'
  | 'audienceAccountIds'
  | 'audienceTiers',
  AnyPgColumn
>

/** The kinds a search's filters allow: `answered` is about questions, `upcoming` about events. */
function kindsAllowed(filters: SearchQuery['filters']): SearchDocType[] {
  return searchDocTypes.filter(
    (kind) => (filters?.answered === undefined || kind === 'question') && (!filters?.upcoming || kind === 'event'),
  )
}

/** The rank of a matching document over `vector`: the groups it matches (when counted), how well it
 *  matches, and bonuses for the exact title, all words in the title, no typos needed, its static
 *  boost, the reader's language. Over all its terms, how well is ts_rank; over its small `head` (the
 *  first, cheap ranking of many candidates), whether the words stand in the title, tags or first
 *  sentences at all. */
function rankOf(
  vector: SQLWrapper,
  { compiled, scope }: Matching,
  q: string,
  locale: SearchLocale,
  columns: { titleKey: SQLWrapper; boost: SQLWrapper; locale: SQLWrapper },
  cheap = false,
): SQL {
  const each = sql.join(
    compiled.each.map((group) => sql`case when ${vector} @@ ${group}::tsquery then 1 else 0 end + `),
  )
  // Every match has every word unless the search fell back to any word (`scans` in `page`).
  const groups = scope === 'any' ? each : sql`case when (select used from fallback) then ${each} 0 else 0 end + `
  const how = cheap
    ? sql`case when ${vector} @@ ${compiled.rank}::tsquery then 0.5 else 0 end`
    : sql`ts_rank(${WEIGHTS}::float4[], ${vector}, ${compiled.rank}::tsquery, 1)`
  return sql`${groups}${how}
    + case when ${columns.titleKey} = ${normalizeQuery(q)} then 3 else 0 end
    + case when ${vector} @@ ${compiled.title}::tsquery then 1 else 0 end
    + case when ${vector} @@ ${compiled.exact}::tsquery then 0.3 else 0 end
    + ${columns.boost} * 0.1
    + case when ${columns.locale} = ${locale} then 0.05 else 0 end`
}

export class EmbeddedSearchEngine implements SearchEngine {
  readonly name = 'embedded' as const

  constructor(private readonly db: Db) {}

  async upsert(docs: SearchDocument[]): Promise<void> {
    await this.write(this.db, docs)
  }

  /** Writes the lexicon, then the documents 200 at a time, each statement sent before the next
   *  chunk's rows are cut: on PostgreSQL the database writes one chunk while this process cuts the
   *  next (PGlite runs in this thread and simply alternates). One statement at a time, so `db` may be
   *  a transaction. Sorted, so concurrent writers take row locks in the same order and cannot
   *  deadlock; of documents with the same id, the last one is written. */
  private async write(db: Db, docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return
    const latest = [...new Map(docs.map((d) => [d.id, d])).values()].sort((a, b) => a.id.localeCompare(b.id))
    const words = [...new Set(latest.flatMap(lexiconWords))].sort()
    let writing: Promise<unknown> = Promise.resolve()
    const send = async (statement: () => Promise<unknown>) => {
      await writing
      writing = statement()
      // Handled when awaited before the next statement or at the end; not an unhandled rejection meanwhile.
      writing.catch(() => {})
      // Lets the statement leave before cutting the next chunk holds the thread.
      await new Promise((resolve) => setImmediate(resolve))
    }
    for (let i = 0; i < words.length; i += 5000) {
      const values = words.slice(i, i + 5000).map((term) => ({ term }))
      await send(() => db.insert(searchTerms).values(values).onConflictDoNothing().execute())
    }
    for (let i = 0; i < latest.length; i += 200) {
      const rows = latest.slice(i, i + 200).map(rowOf)
      await send(() =>
        db
          .insert(searchDocuments)
          .values(rows)
          .onConflictDoUpdate({ target: searchDocuments.id, set: { ...upsertSet, indexedAt: sql`now()` } })
          .execute(),
      )
    }
    await writing
  }

  async remove(ids: string[]): Promise<void> {
    if (!ids.length) return
    await this.db.delete(searchDocuments).where(inArray(searchDocuments.id, ids))
  }

  async reset(): Promise<void> {
    await this.db.delete(searchDocuments)
    await this.db.delete(searchSynonymMap)
  }

  /** Replaces the synonyms in one transaction. Keys are stored analysed (`synonymKey`: words, folded
   *  Japanese), so a query finds them by its own terms; alternatives as written (normalised). */
  async setSynonyms(synonyms: SynonymMap): Promise<void> {
    const byKey = new Map<string, Set<string>>()
    for (const [term, alternatives] of Object.entries(synonyms)) {
      const key = synonymKey(term)
      if (!key) continue
      const list = byKey.get(key) ?? new Set<string>()
      for (const alternative of alternatives) {
        const text = normalizeQuery(alternative)
        if (synonymKey(text) && synonymKey(text) !== key) list.add(text)
      }
      byKey.set(key, list)
    }
    const rows = [...byKey]
      .filter(([, alternatives]) => alternatives.size)
      .map(([term, alternatives]) => ({ term, alternatives: [...alternatives] }))
    await this.db.transaction(async (tx) => {
      await tx.delete(searchSynonymMap)
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(searchSynonymMap).values(rows.slice(i, i + 1000))
    })
  }

  /** Rewrites every document in place, then removes those not rewritten (content gone meanwhile).
   *  Readers see each document either as it was or as it is now, never a missing one. Not one big
   *  transaction: the batches are read through the same database, and PGlite has one connection. */
  async rebuild(batches: AsyncIterable<SearchDocument[]>, total: number, onProgress?: RebuildProgress) {
    const [started] = rowsOf<{ at: string }>(await this.db.execute(sql`select now()::text as at`))
    let indexed = 0
    for await (const batch of batches) {
      await this.write(this.db, batch)
      indexed += batch.length
      onProgress?.(indexed, Math.max(total, indexed))
    }
    await this.db.delete(searchDocuments).where(sql`${searchDocuments.indexedAt} < ${started?.at}::timestamptz`)
    return indexed
  }

  /** The query's words are looked up (typos, synonyms) on the engine's database; the search itself
   *  runs in transactions of its own (`sideBySide`), for the planner settings. */
  async search(query: SearchQuery): Promise<SearchResult> {
    return this.searchIn(this.db, query)
  }

  private async searchIn(db: Db, query: SearchQuery): Promise<SearchResult> {
    const started = performance.now()
    const limit = Math.min(Math.max(query.limit ?? searchLimits.defaultLimit, 1), searchLimits.maxLimit)
    const offset = Math.max(query.offset ?? 0, 0)
    const q = query.q.slice(0, searchLimits.maxQueryLength)
    const groups = parseQuery(q)
    // Typed, but nothing left to search for (punctuation only): nothing matches, rather than everything.
    if (!groups.length && normalizeQuery(q)) {
      return { hits: [], total: 0, facets: { type: emptyFacets() }, tookMs: performance.now() - started }
    }
    const compiled = groups.length ? await this.compileQuery(db, groups) : null
    const scope = query.matching === 'any' || compiled?.some === compiled?.match ? 'any' : 'fallback'
    const found = await this.page(query, compiled && { compiled, scope }, q, limit, offset)
    const needles = compiled?.needles ?? { words: [], cjk: [] }
    const hits = found.rows.map(
      (row): SearchHit => ({
        id: row.id,
        type: row.doc_type as SearchDocType,
        docId: row.doc_id,
        locale: row.locale as SearchLocale,
        title: row.title,
        url: row.url,
        tags: row.tags,
        category: row.category,
        answerCount: row.answer_count,
        accepted: row.accepted,
        score: row.score,
        startsAt: row.starts_at === null ? null : new Date(Number(row.starts_at)),
        otherLocales: row.other_locales as SearchLocale[],
        highlights: { title: highlight(row.title, needles), snippet: snippet(row.body, needles) },
      }),
    )
    return { hits, total: found.total, facets: { type: found.facets }, tookMs: performance.now() - started }
  }

  /** A search: counting and ranking, side by side in two statements on PostgreSQL, in one on PGlite
   *  (`sideBySide`), each in a transaction with the planner settings. Each kind's matches are read from
   *  its buckets' indexes in turn, stopping once there are enough: for the counts, up to `SCANNED` rows
   *  (one per translation group, up to the cap); for the page, the first `CANDIDATES`,
   *  ranked over their small `head`, one per translation group (its best ranked version), the best
   *  `RERANK` ranked again over all their terms, each document's unpacked once, the page's hits shown
   *  in the reader's language where their group has a version in it. Without words, each kind's
   *  best-boosted are read through the kind's boost index instead. */
  private async page(
    query: SearchQuery,
    matching: Matching | null,
    q: string,
    limit: number,
    offset: number,
  ): Promise<{ rows: PageRow[]; facets: Record<SearchDocType, number>; total: number }> {
    const d = searchDocuments
    const cap = searchLimits.maxCount
    const kinds = kindsAllowed(query.filters)
    const requested = query.types?.length ? query.types : searchDocTypes
    const ranked = kinds.filter((kind) => requested.includes(kind))
    const scan = (kind: SearchDocType) => sql.identifier(`m_${kind}`)
    const filters = this.filters(query, d)
    const condition = (tsquery: string) => sql`${d.terms} @@ ${queryWithPrefixTerms(tsquery, PREFIX_TERMS)}::tsquery`
    const { compiled } = matching ?? {}
    // Every word: a condition per word, which the GIN index intersects, skipping through the longer
    // lists, where one condition of them all makes it read every list whole. Any word: one condition.
    const every = compiled ? (compiled.each.length ? compiled.each : [compiled.match]).map(condition) : []
    const some = compiled ? [condition(compiled.some)] : []
    const ranking = sql`${d.locale} as locale, ${d.boost} as boost, ${d.head} as head, ${d.titleKey} as title_key`
    /** Each kind's first `rows` matches as `m_<kind>`, `columns` of them. In `fallback`, the kind's
     *  matches of every word, or (`fallback.used`: no kind asked for has any) of any word; each read
     *  only when used. */
    const scans = (rows: number, columns?: SQL) => {
      const selected = sql`${d.id} as id, ${d.groupKey} as group_key${columns ? sql`, ${columns}` : sql``}`
      const read = (name: SQLWrapper, kind: SearchDocType, conditions: SQL[]) => {
        // The kind's buckets one after the other: reading stops once enough rows are read.
        const buckets = Array.from(
          { length: searchIndexBuckets },
          (_, bucket) => sql`select ${selected} from ${d}
            where ${and(
              // A literal, so the planner proves the bucket's partial index applies.
              sql`${d.slot} = ${sql.raw(String(searchIndexSlot(kind, bucket)))}`,
              ...conditions,
              ...filters,
            )}`,
        )
        return sql`${name} as (select * from (${sql.join(buckets, sql` union all `)}) as buckets limit ${rows})`
      }
      if (!matching) {
        return kinds.map(
          (kind) => sql`${scan(kind)} as (
            select ${selected} from ${d} where ${and(sql`${d.docType} = ${kind}`, ...filters)}
            order by ${d.boost} desc nulls last, ${d.updatedAt} desc nulls last
            limit ${rows})`,
        )
      }
      if (matching.scope === 'any') return kinds.map((kind) => read(scan(kind), kind, some))
      const all = (kind: SearchDocType) => sql.identifier(`all_${kind}`)
      const any = (kind: SearchDocType) => sql.identifier(`any_${kind}`)
      const decided = ranked.length ? ranked : kinds
      return [
        ...kinds.map((kind) => read(all(kind), kind, every)),
        sql`fallback as (select not (${sql.join(
          decided.map((kind) => sql`exists (select from ${all(kind)})`),
          sql` or `,
        )}) as used)`,
        ...kinds.flatMap((kind) => [
          read(any(kind), kind, some),
          // Not materialized: its rows are already held by `all_<kind>` or `any_<kind>`.
          sql`${scan(kind)} as not materialized (
            select * from ${all(kind)} where not (select used from fallback)
            union all select * from ${any(kind)} where (select used from fallback))`,
        ]),
      ]
    }
    // Rows and groups among a kind's first `rows` matches: documents of no group count one each, the
    // others once per group (keys compared byte by byte, several times faster than by language).
    const groups = (kind: SearchDocType, rows: number) =>
      sql`(select count(*) as n, count(*) filter (where group_key = id)
          + count(distinct group_key collate "C") filter (where group_key <> id) as g
        from (select id, group_key from ${scan(kind)} limit ${rows}) as x)`
    // The groups of the first `cap` matches; when those hold fewer groups than rows (translations),
    // of half as many more, then of all `SCANNED`: a count under the cap is always exact.
    const wider = Math.round(cap * 1.5)
    const countOf = (kind: SearchDocType) =>
      kinds.includes(kind)
        ? sql`(select case when f.n < ${cap} then f.g when f.g >= ${cap} then ${cap}
              else (select case when w.n < ${wider} or w.g >= ${cap} then least(w.g, ${cap})
                else (select least(a.g, ${cap}) from ${groups(kind, SCANNED)} as a) end
                from ${groups(kind, wider)} as w) end
            from ${groups(kind, cap)} as f)::int`
        : sql`0`
    const counts = sql.join(
      searchDocTypes.map((kind) => sql`${countOf(kind)} as ${sql.identifier(kind)}`),
      sql`, `,
    )
    const hit = sql`shown.n, v.id, v.doc_type, v.doc_id, v.locale, v.title, v.body, v.url, v.tags, v.category,
      v.answer_count, v.accepted, v.score, v.other_locales, (extract(epoch from v.starts_at) * 1000)::float8 as starts_at`
    let counted: unknown
    let paged: unknown = []
    if (!this.sideBySide) {
      // One statement: the page's candidates are the first of the rows read for counting.
      const ctes = [...scans(SCANNED, ranking), sql`counts as (select ${counts})`]
      counted = await this.inTransaction((db) =>
        db.execute(
          ranked.length
            ? sql`with ${sql.join([...ctes, ...this.ranking(query, matching, q, ranked, limit, offset)], sql`, `)}
              select counts.*, ${hit} from counts left join shown on true left join ${d} as v on v.id = shown.id
              order by shown.n`
            : sql`with ${sql.join(ctes, sql`, `)} select * from counts`,
        ),
      )
      paged = rowsOf<Partial<PageRow>>(counted).filter((row) => typeof row.id === 'string')
    } else {
      const counting = sql`${kinds.length ? sql`with ${sql.join(scans(SCANNED), sql`, `)} ` : sql``}select ${counts}`
      const paging =
        ranked.length &&
        sql`with ${sql.join([...scans(CANDIDATES, ranking), ...this.ranking(query, matching, q, ranked, limit, offset)], sql`, `)}
          select ${hit} from shown join ${d} as v on v.id = shown.id order by shown.n`
      ;[counted, paged] = await Promise.all([
        this.inTransaction((db) => db.execute(counting)),
        paging ? this.inTransaction((db) => db.execute(paging)) : [],
      ])
    }
    const [row] = rowsOf<Record<SearchDocType, number>>(counted)
    const facets = emptyFacets()
    for (const kind of searchDocTypes) facets[kind] = Number(row?.[kind] ?? 0)
    return {
      rows: rowsOf<PageRow>(paged),
      facets,
      total: requested.reduce((sum, kind) => sum + facets[kind], 0),
    }
  }

  /** Whether a search counts and reads its page side by side, in two statements on two connections
   *  (PostgreSQL: its pool), or in one statement (PGlite has one connection; so has an engine given a
   *  transaction). Side by side is faster with a core free, one statement when there is none: the two
   *  read the same matches. */
  private get sideBySide(): boolean {
    const client = (this.db as unknown as { $client?: unknown }).$client
    return !(this.db instanceof PgTransaction) && !(client instanceof PGlite)
  }

  /** Runs `run` in a transaction of its own, with the search's planner settings. */
  private inTransaction<T>(run: (db: Db) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select ${sql.raw(planner)}`)
      return run(tx)
    })
  }

  /** The ranking part of `page`'s statement: its common table expressions down to `shown`, the page. */
  private ranking(
    query: SearchQuery,
    matching: Matching | null,
    q: string,
    kinds: SearchDocType[],
    limit: number,
    offset: number,
  ): SQL[] {
    const d = searchDocuments
    const other = alias(searchDocuments, 'other')
    const columns = { titleKey: sql`title_key`, boost: sql`boost`, locale: sql`locale` }
    // The first, cheap rank, over the small `head`.
    const first = matching
      ? rankOf(sql`head`, matching, q, query.locale, columns, true)
      : sql`boost + case when locale = ${query.locale} then 0.5 else 0 end`
    const pool = sql.join(
      kinds.map(
        (kind) =>
          sql`(select id, group_key, locale, boost, ${first} as s1 from ${sql.identifier(`m_${kind}`)} limit ${CANDIDATES})`,
      ),
      sql` union all `,
    )
    const parts = [
      sql`pool as (${pool})`,
      // One per translation group: its best ranked version (documents of no group are their own).
      sql`best as (
        select * from pool where group_key = id
        union all
        (select distinct on (group_key collate "C") * from pool where group_key <> id
          order by group_key collate "C", s1 desc, id collate "C"))`,
      sql`ordered as (
        select id, group_key, locale, boost, row_number() over (order by s1 desc, boost desc, id collate "C") as r1 from best)`,
    ]
    if (matching) {
      parts.push(
        sql`unpacked as materialized (
          select o.id, ${d.titleKey} as title_key, o.boost, o.locale, ${d.terms} || ''::tsvector as terms
          from ordered as o join ${d} on ${d.id} = o.id where o.r1 <= ${RERANK})`,
        sql`reranked as (select id, ${rankOf(sql`terms`, matching, q, query.locale, columns)} as s2 from unpacked)`,
        sql`page as (
          select o.id, o.group_key, o.locale, row_number() over (
            order by o.r1 > ${RERANK}, r.s2 desc nulls last,
              case when o.r1 <= ${RERANK} then o.boost end desc, case when o.r1 <= ${RERANK} then o.id collate "C" end, o.r1
          ) as n
          from ordered as o left join reranked as r on r.id = o.id
          order by n limit ${limit} offset ${offset})`,
      )
    } else {
      parts.push(
        sql`page as (select id, group_key, locale, r1 as n from ordered
          where r1 > ${offset} and r1 <= ${offset + limit})`,
      )
    }
    // A hit of a translation group in another language than the reader's shows the group's version in
    // the reader's language, when there is one the filters allow.
    parts.push(sql`shown as (
      select page.n, coalesce(alternative.id, page.id) as id from page
      left join lateral (
        select ${other.id} as id from ${d} as ${sql.identifier('other')}
        where ${and(
          sql`${other.groupKey} = page.group_key`,
          sql`${other.locale} = ${query.locale}`,
          sql`${other.id} <> page.id`,
          ...this.filters(query, other),
        )}
        limit 1
      ) as alternative on page.locale <> ${query.locale} and page.group_key <> page.id)`)
    return parts
  }

  /** The filters' conditions, on the index table or an alias of it. */
  private filters(query: SearchQuery, d: FilteredColumns): SQL[] {
    const f = query.filters ?? {}
    const conditions: (SQL | undefined)[] = [
      f.tags?.length ? arrayContains(d.tags, f.tags) : undefined,
      // Which kinds these filters allow is `kindsAllowed`: the kind is never a condition here.
      f.answered === true ? eq(d.accepted, true) : undefined,
      f.answered === false ? eq(d.answerCount, 0) : undefined,
      f.upcoming ? gte(d.startsAt, query.now ?? new Date()) : undefined,
      f.locale ? eq(d.locale, f.locale) : undefined,
      f.category ? eq(d.category, f.category) : undefined,
      f.excludeIds?.length ? notInArray(d.id, f.excludeIds) : undefined,
      audienceCondition(f.audience ?? visitorAudience, {
        restricted: d.restricted,
        accountIds: d.audienceAccountIds,
        tiers: d.audienceTiers,
      }),
    ]
    return conditions.filter((c): c is SQL => !!c)
  }

  /** The query compiled with what the index knows about its words, read in one round trip: the typo
   *  corrections of each complete word whose exact form and stem are both unknown (a word whose stem
   *  is indexed is never replaced by a correction: `exporting` is `export`, not `reporting`), and the
   *  synonyms whose keys stand in the query (only those rows, by primary key), and the completions of
   *  the word being typed (through the lexicon's trigram index; the lexicon holds every Latin word of
   *  three to 30 letters that is not only digits, so a longer or digits-only prefix stays a prefix
   *  query, as does one shorter than three letters: it has prefix terms of its own). */
  private async compileQuery(db: Db, groups: QueryGroup[]): Promise<Compiled> {
    const typoWords = groups.filter(
      (g): g is Extract<QueryGroup, { kind: 'word' }> => g.kind === 'word' && allowedTypos(g.text) > 0,
    )
    const words = [...new Map(typoWords.map((g) => [g.text, g.stem ?? g.text])).entries()]
    const candidates = synonymCandidates(groups)
    const typing = groups
      .filter((g) => g.kind === 'word' && g.prefix)
      .map((g) => g.text)
      .filter((word) => word.length > PREFIX_TERMS && word.length <= 30 && !/^\p{N}+$/u.test(word))
    const known: Known = { typos: new Map(), completions: new Map() }
    const { typos } = known
    const synonyms = new Map<string, string[]>()
    if (words.length || candidates.size || typing.length) {
      const rows = rowsOf<{ kind: 'typo' | 'synonym' | 'completion'; key: string; value: string[] }>(
        await db.execute(sql`
          select 'typo' as kind, w.word as key, array[t.term] as value
          from unnest(${sql.param(words.map(([word]) => word))}::text[], ${sql.param(words.map(([, s]) => s))}::text[])
            as w(word, stem)
          cross join lateral (
            select term from ${searchTerms}
            where not exists (
                select 1 from ${searchTerms} known where known.term in (w.word, w.stem, '~' || w.stem)
              )
              and term % w.word and term <> w.word and left(term, 1) <> '~'
              and abs(length(term) - length(w.word)) <= 2
            order by similarity(term, w.word) desc
            limit 20
          ) as t
          union all
          select 'synonym', term, alternatives from ${searchSynonymMap}
          where term = any(${sql.param([...candidates.keys()])}::text[])
          union all
          select 'completion', w.word, array(
            select term from ${searchTerms} where term like w.pattern and term <> w.word
            order by term limit ${COMPLETIONS + 1})
          from unnest(
            ${sql.param(typing)}::text[],
            ${sql.param(typing.map((word) => `${word.replace(/[\\%_]/gu, '\\$&')}%`))}::text[]
          ) as w(word, pattern)`),
      )
      for (const { kind, key, value } of rows) {
        if (kind === 'synonym') {
          synonyms.set(key, value)
          continue
        }
        if (kind === 'completion') {
          if (value.length <= COMPLETIONS) known.completions.set(key, value)
          continue
        }
        const term = value[0] ?? ''
        if (editDistance(key, term, allowedTypos(key)) > allowedTypos(key)) continue
        const list = typos.get(key) ?? []
        if (list.length < 8) list.push(term)
        typos.set(key, list)
      }
    }
    return compile(groups, known, clausesOf(groups, synonymSpans(candidates, synonyms.keys()), synonyms))
  }
}
