import { and, arrayContains, asc, desc, eq, gte, inArray, notInArray, type SQL, sql } from 'drizzle-orm'
import { audienceCondition, visitorAudience } from '#app/lib/audience.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { searchDocuments, searchTerms } from '#db/schema/search.ts'
import {
  documentBoost,
  emptyFacets,
  type RebuildProgress,
  type SearchDocType,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  searchDocTypes,
  searchLimits,
} from './engine.ts'
import {
  allowedTypos,
  editDistance,
  highlight,
  indexTerms,
  isCjk,
  type Needles,
  normalizeQuery,
  parseQuery,
  type QueryGroup,
  snippet,
  tokens,
} from './text.ts'

/** The embedded engine: the index is a table of the app's own database (search_documents), so it is
 *  persistent and transactional, and needs no process of its own. Matching is PostgreSQL full text
 *  over terms this module cuts itself (search/text.ts: words, and bigrams for Japanese), with a GIN
 *  index; typo tolerance widens query words to the indexed terms within one or two edits, found
 *  through a pg_trgm index over the term list. */

/** Matches ranked per query: of a very common word, 1,000 matches are ranked and the rest only
 *  counted (up to the cap). Meilisearch stops at 1,000 hits the same way. */
const CANDIDATES = 1000

/** ts_rank weights for D (answers), C (body), B (tags, category), A (title). */
const WEIGHTS = '{0.1,0.2,0.5,1.0}'

type Compiled = {
  /** What a document must match. */
  match: string
  /** At least one required group: the fallback when `match` finds nothing. */
  some: string
  /** Every alternative of every group, for ts_rank. */
  rank: string
  /** The required groups without typo alternatives, for the exact-match bonus. */
  exact: string
  /** The required groups, each in the title. */
  title: string
  /** Each required group on its own: documents matching more of them rank first in `any` mode and
   *  in the fallback (Meilisearch's "words" rule). */
  each: string[]
  needles: Needles
}

function quote(term: string): string {
  return `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}

function anyOf(parts: string[]): string {
  return parts.length === 1 ? `${parts[0]}` : `(${parts.join(' | ')})`
}

function allOf(parts: string[]): string {
  return parts.length === 1 ? `${parts[0]}` : `(${parts.join(' & ')})`
}

/** A Japanese word as its bigrams; from four bigrams on, one may be missing (a typo or a dropped
 *  long-vowel mark: カスタマサクセス still finds カスタマーサクセス). */
function cjkMatch(grams: string[], weight = ''): string {
  const terms = grams.map((g) =>
    g.length === 1 || [...g].length === 1 ? `${quote(g)}:*${weight}` : `${quote(g)}${weight ? `:${weight}` : ''}`,
  )
  if (terms.length < 4) return allOf(terms)
  return anyOf(terms.map((_, skip) => allOf(terms.filter((__, i) => i !== skip))))
}

function wordMatch(group: Extract<QueryGroup, { kind: 'word' }>, typos: string[], weight = ''): string {
  const exact = group.prefix ? `${quote(group.text)}:*${weight}` : `${quote(group.text)}${weight ? `:${weight}` : ''}`
  return anyOf([exact, ...typos.map((t) => `${quote(t)}${weight ? `:${weight}` : ''}`)])
}

function compile(groups: QueryGroup[], typos: Map<string, string[]>): Compiled {
  const required = groups.filter((g) => g.required)
  const match = (g: QueryGroup, withTypos: boolean, weight = '') =>
    g.kind === 'word' ? wordMatch(g, withTypos ? (typos.get(g.text) ?? []) : [], weight) : cjkMatch(g.grams, weight)
  const needles: Needles = { words: [], cjk: [] }
  for (const g of groups) {
    if (g.kind === 'word') needles.words.push(g.text, ...(typos.get(g.text) ?? []))
    // The whole Japanese word: one of its bigrams alone also sits inside unrelated words.
    else needles.cjk.push(g.text)
  }
  return {
    match: allOf(required.map((g) => match(g, true))),
    some: anyOf(required.map((g) => match(g, true))),
    rank: anyOf(groups.map((g) => match(g, true))),
    exact: allOf(required.map((g) => match(g, false))),
    title: allOf(required.map((g) => match(g, false, 'A'))),
    each: required.map((g) => match(g, true)),
    needles,
  }
}

/** A tsvector literal with positions and weights, so ranking knows where terms stand and in which field. */
function tsvectorLiteral(fields: [string[], 'A' | 'B' | 'C' | 'D'][]): string {
  const positions = new Map<string, string[]>()
  let position = 1
  for (const [terms, weight] of fields) {
    for (const term of terms) {
      if (position > 16_383) break
      let list = positions.get(term)
      if (!list) {
        list = []
        positions.set(term, list)
      }
      if (list.length < 255) list.push(`${position}${weight}`)
      position++
    }
    position += 10
  }
  return [...positions].map(([term, list]) => `${quote(term)}:${list.join(',')}`).join(' ')
}

/** Latin words worth keeping for typo lookups: three letters or more (a five-letter word with one
 *  typo may be a four-letter one), no digits-only words. */
function lexiconWords(doc: SearchDocument): string[] {
  const words = new Set<string>()
  for (const token of tokens(`${doc.title} ${doc.tags.join(' ')} ${doc.body} ${doc.answers}`)) {
    if (isCjk(token) || token.length < 3 || token.length > 30 || /^\p{N}+$/u.test(token)) continue
    words.add(token)
  }
  return [...words]
}

function rowOf(doc: SearchDocument) {
  const tagTerms = [...doc.tags, doc.category ?? ''].flatMap((t) => indexTerms(t.replaceAll('-', ' ')))
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
    terms: tsvectorLiteral([
      [indexTerms(doc.title), 'A'],
      [[...doc.tags, ...tagTerms], 'B'],
      [indexTerms(doc.body), 'C'],
      [indexTerms(doc.answers), 'D'],
    ]),
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
    'terms',
    'updatedAt',
  ].map((key) => {
    const column = searchDocuments[key as keyof typeof searchDocuments] as { name: string }
    return [key, sql.raw(`excluded.${column.name}`)]
  }),
)

export class EmbeddedSearchEngine implements SearchEngine {
  readonly name = 'embedded' as const

  constructor(private readonly db: Db) {}

  async upsert(docs: SearchDocument[]): Promise<void> {
    await this.write(this.db, docs)
  }

  private async write(db: Db, docs: SearchDocument[]): Promise<void> {
    if (!docs.length) return
    // Sorted, so concurrent writers take row locks in the same order and cannot deadlock.
    const words = [...new Set(docs.flatMap(lexiconWords))].sort()
    for (let i = 0; i < words.length; i += 5000) {
      await db
        .insert(searchTerms)
        .values(words.slice(i, i + 5000).map((term) => ({ term })))
        .onConflictDoNothing()
    }
    const rows = [...new Map(docs.map((d) => [d.id, rowOf(d)])).values()].sort((a, b) => a.id.localeCompare(b.id))
    for (let i = 0; i < rows.length; i += 200) {
      await db
        .insert(searchDocuments)
        .values(rows.slice(i, i + 200))
        .onConflictDoUpdate({ target: searchDocuments.id, set: { ...upsertSet, indexedAt: sql`now()` } })
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (!ids.length) return
    await this.db.delete(searchDocuments).where(inArray(searchDocuments.id, ids))
  }

  async reset(): Promise<void> {
    await this.db.delete(searchDocuments)
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

  /** The planner would often scan the whole table for a common word, unpacking every document's
   *  terms; the GIN index answers it without touching them, so searches run with sequential scans off. */
  async search(query: SearchQuery): Promise<SearchResult> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`)
      return this.searchIn(tx, query)
    })
  }

  private async searchIn(db: Db, query: SearchQuery): Promise<SearchResult> {
    const started = performance.now()
    const limit = Math.min(Math.max(query.limit ?? searchLimits.defaultLimit, 1), searchLimits.maxLimit)
    const offset = Math.max(query.offset ?? 0, 0)
    const q = query.q.slice(0, searchLimits.maxQueryLength)
    const groups = parseQuery(q)
    const compiled = groups.length ? compile(groups, await this.typoAlternatives(db, groups)) : null
    const d = searchDocuments
    const shared = this.filters(query)
    const types = query.types?.length ? [...query.types] : [...searchDocTypes]
    const typeFilter = inArray(d.docType, types)
    const tsquery = !compiled ? undefined : query.matching === 'any' ? compiled.some : compiled.match
    let matched = tsquery ? sql`${d.terms} @@ ${tsquery}::tsquery` : undefined
    let facets = await this.countByType(db, and(matched, ...shared))
    let total = types.reduce((sum, type) => sum + facets[type], 0)
    if (compiled && total === 0 && tsquery !== compiled.some) {
      matched = sql`${d.terms} @@ ${compiled.some}::tsquery`
      facets = await this.countByType(db, and(matched, ...shared))
      total = types.reduce((sum, type) => sum + facets[type], 0)
    }

    let hits: SearchHit[] = []
    if (total > 0 && offset < total) {
      const where = and(matched, typeFilter, ...shared)
      // With words, any 1,000 matches are ranked (the index yields them without sorting all matches);
      // without, the best-boosted come first through their index.
      const candidates = db
        .select({ id: d.id })
        .from(d)
        .where(where)
        .orderBy(...(compiled ? [] : [desc(d.boost), desc(d.updatedAt)]))
        .limit(CANDIDATES)
        .as('candidates')
      const rank = compiled
        ? sql<number>`${sql.join(
            compiled.each.map((group) => sql`case when ${d.terms} @@ ${group}::tsquery then 1 else 0 end`),
            sql` + `,
          )}
            + ts_rank(${WEIGHTS}::float4[], ${d.terms}, ${compiled.rank}::tsquery, 1)
            + case when ${d.titleKey} = ${normalizeQuery(q)} then 3 else 0 end
            + case when ${d.terms} @@ ${compiled.title}::tsquery then 1 else 0 end
            + case when ${d.terms} @@ ${compiled.exact}::tsquery then 0.3 else 0 end
            + ${d.boost} * 0.1
            + case when ${d.locale} = ${query.locale} then 0.05 else 0 end`
        : sql<number>`${d.boost} + case when ${d.locale} = ${query.locale} then 0.5 else 0 end`
      const rows = await db
        .select({
          id: d.id,
          docType: d.docType,
          docId: d.docId,
          locale: d.locale,
          title: d.title,
          body: d.body,
          url: d.url,
          tags: d.tags,
          category: d.category,
          answerCount: d.answerCount,
          accepted: d.accepted,
          score: d.score,
          startsAt: d.startsAt,
        })
        .from(d)
        .innerJoin(candidates, eq(candidates.id, d.id))
        .orderBy(desc(rank), desc(d.boost), asc(d.id))
        .limit(limit)
        .offset(offset)
      const needles = compiled?.needles ?? { words: [], cjk: [] }
      hits = rows.map((row) => ({
        id: row.id,
        type: row.docType as SearchDocType,
        docId: row.docId,
        locale: row.locale as SearchHit['locale'],
        title: row.title,
        url: row.url,
        tags: row.tags,
        category: row.category,
        answerCount: row.answerCount,
        accepted: row.accepted,
        score: row.score,
        startsAt: row.startsAt,
        highlights: { title: highlight(row.title, needles), snippet: snippet(row.body, needles) },
      }))
    }
    return { hits, total, facets: { type: facets }, tookMs: performance.now() - started }
  }

  private filters(query: SearchQuery): SQL[] {
    const d = searchDocuments
    const f = query.filters ?? {}
    const conditions: (SQL | undefined)[] = [
      f.tags?.length ? arrayContains(d.tags, f.tags) : undefined,
      f.answered === true ? and(eq(d.docType, 'question'), eq(d.accepted, true)) : undefined,
      f.answered === false ? and(eq(d.docType, 'question'), eq(d.answerCount, 0)) : undefined,
      f.upcoming ? and(eq(d.docType, 'event'), gte(d.startsAt, query.now ?? new Date())) : undefined,
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

  /** Matches per kind, each count stopping at the cap, in one round trip. */
  private async countByType(db: Db, where: SQL | undefined): Promise<Record<SearchDocType, number>> {
    const d = searchDocuments
    const counts = searchDocTypes.map(
      (type) =>
        sql`(select count(*)::int from (select 1 from ${d} where ${and(eq(d.docType, type), where)} limit ${searchLimits.maxCount}) as m)`,
    )
    const [row] = rowsOf<Record<string, number>>(
      await db.execute(
        sql`select ${sql.join(
          searchDocTypes.map((type, i) => sql`${counts[i]} as ${sql.identifier(type)}`),
          sql`, `,
        )}`,
      ),
    )
    const facets = emptyFacets()
    for (const type of searchDocTypes) facets[type] = Number(row?.[type] ?? 0)
    return facets
  }

  /** Indexed terms within the allowed edits of each complete query word, in one round trip. */
  private async typoAlternatives(db: Db, groups: QueryGroup[]): Promise<Map<string, string[]>> {
    const words = [...new Set(groups.filter((g) => g.kind === 'word' && allowedTypos(g.text) > 0).map((g) => g.text))]
    const alternatives = new Map<string, string[]>()
    if (!words.length) return alternatives
    const rows = rowsOf<{ word: string; term: string }>(
      await db.execute(sql`
        select w.word, t.term
        from unnest(${sql.param(words)}::text[]) as w(word)
        cross join lateral (
          select term from ${searchTerms}
          where term % w.word and term <> w.word and abs(length(term) - length(w.word)) <= 2
          order by similarity(term, w.word) desc
          limit 20
        ) as t`),
    )
    for (const { word, term } of rows) {
      if (editDistance(word, term, allowedTypos(word)) > allowedTypos(word)) continue
      const list = alternatives.get(word) ?? []
      if (list.length < 8) list.push(term)
      alternatives.set(word, list)
    }
    return alternatives
  }
}
