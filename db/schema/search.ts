import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { users } from './identity.ts'

/** Content changes waiting to reach the search engine, written in the same transaction as the change.
 *  The sync job drains it; with the engine down, rows wait here. */
export const searchOutbox = pgTable('search_outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  docType: text('doc_type').notNull(),
  docId: text('doc_id').notNull(),
  op: text('op', { enum: ['upsert', 'delete'] }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/** The kinds of search document (`searchDocTypes` of search/engine.ts; a test keeps them equal). */
export const searchIndexKinds = ['question', 'article', 'event'] as const

/** Each kind's documents are spread over this many buckets (by a hash of their translation group), each
 *  with a GIN index of its own: a search reads a kind's buckets one after the other until it has read
 *  enough matches to count (up to the cap) and rank, so a very common word costs the matches of a
 *  bucket or two rather than of the whole index. */
export const searchIndexBuckets = 4

/** The index slot of a kind's bucket: the `slot` column, and the condition of that slot's GIN index. */
export function searchIndexSlot(kind: (typeof searchIndexKinds)[number], bucket: number): number {
  return searchIndexKinds.indexOf(kind) * searchIndexBuckets + bucket
}

/** The embedded engine's index (search/embedded.server.ts): one row per searchable document, with its
 *  display fields and a tsvector over pre-segmented text (words, plus character bigrams for Japanese).
 *  Only published content is here (hidden, deleted, draft and cancelled content is removed); restricted
 *  events carry their audience, and searches return them only to it (and to staff). */
export const searchDocuments = pgTable(
  'search_documents',
  {
    /** `question:12`, `article:3`, `event:7`. */
    id: text('id').primaryKey(),
    docType: text('doc_type').notNull(),
    docId: integer('doc_id').notNull(),
    locale: text('locale').notNull(),
    title: text('title').notNull(),
    /** Plain text shown in snippets: the body, then (for questions) the answers. */
    body: text('body').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    category: text('category'),
    url: text('url').notNull(),
    answerCount: integer('answer_count').notNull().default(0),
    accepted: boolean('accepted').notNull().default(false),
    score: integer('score').notNull().default(0),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    restricted: boolean('restricted').notNull().default(false),
    /** A restricted event's audience: these accounts, or accounts in these touch tiers. */
    audienceAccountIds: integer('audience_account_ids').array().notNull().default(sql`'{}'::integer[]`),
    audienceTiers: text('audience_tiers').array().notNull().default(sql`'{}'::text[]`),
    /** The normalised title, for the exact-title bonus. */
    titleKey: text('title_key').notNull(),
    /** The translation group (`article-group:7`), or the document's own id: one hit per group. */
    groupKey: text('group_key').notNull().default(''),
    /** The languages of the group's other versions. */
    otherLocales: text('other_locales').array().notNull().default(sql`'{}'::text[]`),
    /** The kind and bucket of the GIN index the document's terms are in (`searchIndexSlot`). Matching
     *  names it rather than the kind: a condition on the kind would let the planner read a kind's
     *  documents through the kind's btree index and test each one's terms, unpacking them all, when it
     *  guesses a word is very common. */
    slot: smallint('slot').notNull(),
    /** Query-independent rank: accepted answers, votes, helpful articles. */
    boost: real('boost').notNull().default(0),
    /** Title terms (weight A), tags (B), body (C), answers (D), for matching (through the per-kind GIN
     *  indexes) and for ranking the best few; with the one- and two-character prefixes of its words
     *  (`^t`, `^th`), so a word being typed is one index entry rather than thousands. */
    terms: tsvector('terms').notNull(),
    /** The ranking vector: title (A), tags (B) and the start of the body (C), small enough to stay in
     *  the row, so a thousand candidates are ranked without unpacking their whole `terms`. */
    head: tsvector('head').notNull().default(sql`''::tsvector`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One GIN index per kind and bucket (a new kind needs its own): a rare kind's matches are not
    // found among the common kind's postings, and a common word's are read a bucket at a time.
    ...searchIndexKinds.flatMap((kind) =>
      Array.from({ length: searchIndexBuckets }, (_, bucket) =>
        index(`search_documents_terms_${kind}_${bucket}_idx`)
          .using('gin', t.terms)
          .where(sql.raw(`slot = ${searchIndexSlot(kind, bucket)}`)),
      ),
    ),
    index('search_documents_tags_idx').using('gin', t.tags),
    // The empty query lists each kind best first through this index.
    index('search_documents_type_boost_idx').on(t.docType, t.boost.desc(), t.updatedAt.desc()),
    index('search_documents_group_idx').on(t.groupKey),
  ],
)

/** Synonyms as staff manage them at /search/insights: the source of truth, pushed to the active engine
 *  (`SearchEngine.setSynonyms`) at start and after each change. Two-way: every term finds the others.
 *  One-way: the first term also finds the rest, not the other way round. Terms are stored normalised
 *  (NFKC, lower case, single spaces); a term may be a phrase (cancel contract) in either language. */
export const searchSynonyms = pgTable(
  'search_synonyms',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    terms: text('terms').array().notNull(),
    oneWay: boolean('one_way').notNull().default(false),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('search_synonyms_terms_idx').using('gin', t.terms)],
)

/** The embedded engine's copy of the synonyms (`SynonymMap`), replaced whole by `setSynonyms`: a
 *  normalised term or phrase → what a query containing it also finds. */
export const searchSynonymMap = pgTable('search_synonym_map', {
  term: text('term').primaryKey(),
  alternatives: text('alternatives').array().notNull(),
})

/** Every Latin-script word of the index, for typo tolerance: a query word with no exact match is
 *  widened to the terms within one or two edits, found through a trigram index. */
export const searchTerms = pgTable(
  'search_terms',
  {
    term: text('term').primaryKey(),
  },
  (t) => [index('search_terms_trgm_idx').using('gin', sql`${t.term} gin_trgm_ops`)],
)

/** One search made on the search page, for the staff's search insights. Only the user id identifies
 *  the searcher (null for visitors): no address, no browser. */
export const searchQueries = pgTable(
  'search_queries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** As typed (trimmed), and normalised (NFKC, lower case, single spaces) for grouping. */
    query: text('query').notNull(),
    normalized: text('normalized').notNull(),
    locale: text('locale').notNull(),
    types: text('types').array().notNull().default(sql`'{}'::text[]`),
    resultCount: integer('result_count').notNull(),
    tookMs: integer('took_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('search_queries_created_idx').on(t.createdAt),
    index('search_queries_normalized_idx').on(t.normalized, t.createdAt),
  ],
)

/** A result opened from a recorded search, counted once per result per search. */
export const searchClicks = pgTable(
  'search_clicks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    queryId: bigint('query_id', { mode: 'number' })
      .notNull()
      .references(() => searchQueries.id, { onDelete: 'cascade' }),
    docType: text('doc_type').notNull(),
    docId: integer('doc_id').notNull(),
    rank: integer('rank').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('search_clicks_query_doc_key').on(t.queryId, t.docType, t.docId)],
)
