import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  real,
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
    /** Query-independent rank: accepted answers, votes, helpful articles. */
    boost: real('boost').notNull().default(0),
    /** Title terms (weight A), tags (B), body (C), answers (D). */
    terms: tsvector('terms').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('search_documents_terms_idx').using('gin', t.terms),
    index('search_documents_tags_idx').using('gin', t.tags),
    index('search_documents_type_boost_idx').on(t.docType, t.boost.desc()),
    index('search_documents_boost_idx').on(t.boost.desc(), t.updatedAt.desc()),
  ],
)

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
