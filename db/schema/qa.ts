import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { localeEnum, users } from './identity.ts'

/** What a vote, flag, revision or comment points at. Questions and answers keep separate tables;
 *  these rows name their target by kind and id. */
export const postTypeEnum = pgEnum('post_type', ['question', 'answer'])
export const flagTargetEnum = pgEnum('flag_target', ['question', 'answer', 'comment'])
export const flagReasonEnum = pgEnum('flag_reason', ['spam', 'off_topic', 'rude', 'duplicate', 'other'])
export const flagStatusEnum = pgEnum('flag_status', ['open', 'resolved', 'dismissed'])

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}

/** Markdown as typed, the sanitized HTML made from it, and the renderer version that made it, so a
 *  renderer change can re-render old rows (scripts/rerender-markdown.ts). */
const markdownBody = {
  bodyMd: text('body_md').notNull(),
  bodyHtml: text('body_html').notNull(),
  renderVersion: integer('render_version').notNull(),
}

/** Moderation state shared by questions, answers and comments. Hidden posts are shown to staff only;
 *  deleted posts are kept (recoverable) and shown to nobody but staff. */
const moderation = {
  hiddenAt: timestamp('hidden_at', { withTimezone: true }),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
}

export const questions = pgTable(
  'questions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    ...markdownBody,
    /** The language the question is written in (the author's locale when asked). */
    locale: localeEnum('locale').notNull().default('en'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    acceptedAnswerId: integer('accepted_answer_id').references((): AnyPgColumn => answers.id, {
      onDelete: 'set null',
    }),
    /** Denormalised counters, changed only inside the transaction that changes what they count. */
    score: integer('score').notNull().default(0),
    answerCount: integer('answer_count').notNull().default(0),
    viewCount: integer('view_count').notNull().default(0),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    duplicateOfId: integer('duplicate_of_id').references((): AnyPgColumn => questions.id, { onDelete: 'set null' }),
    ...moderation,
    editedAt: timestamp('edited_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index('questions_created_idx').on(t.createdAt.desc()),
    index('questions_activity_idx').on(t.lastActivityAt.desc()),
    index('questions_author_idx').on(t.authorId, t.createdAt),
    index('questions_tags_idx').using('gin', t.tags),
    // The "most votes" and "most viewed" orders of the question lists.
    index('questions_score_idx').on(t.score.desc(), t.id.desc()),
    index('questions_views_idx').on(t.viewCount.desc(), t.id.desc()),
    check('questions_not_duplicate_of_self', sql`${t.duplicateOfId} is null or ${t.duplicateOfId} <> ${t.id}`),
  ],
)

export const answers = pgTable(
  'answers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    ...markdownBody,
    score: integer('score').notNull().default(0),
    ...moderation,
    editedAt: timestamp('edited_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    // Serves the answer order of a question page: best first, then oldest.
    index('answers_question_order_idx').on(t.questionId, t.score.desc(), t.createdAt, t.id),
    index('answers_author_idx').on(t.authorId, t.createdAt),
    // The "newest" and "oldest" orders of a question's answers.
    index('answers_question_created_idx').on(t.questionId, t.createdAt, t.id),
  ],
)

/** Short plain-text remarks on a question or an answer. */
export const comments = pgTable(
  'comments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    postType: postTypeEnum('post_type').notNull(),
    postId: integer('post_id').notNull(),
    authorId: integer('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    ...moderation,
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('comments_post_idx').on(t.postType, t.postId, t.createdAt),
    index('comments_question_idx').on(t.questionId),
  ],
)

/** One vote per user per post (+1 or -1); changing a vote updates the row, retracting deletes it. */
export const votes = pgTable(
  'votes',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    postType: postTypeEnum('post_type').notNull(),
    postId: integer('post_id').notNull(),
    value: smallint('value').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'votes_pkey', columns: [t.userId, t.postType, t.postId] }),
    index('votes_post_idx').on(t.postType, t.postId),
    check('votes_value_check', sql`${t.value} in (-1, 1)`),
  ],
)

/** Every version of a post, the first included, so any two can be compared. */
export const revisions = pgTable(
  'revisions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    postType: postTypeEnum('post_type').notNull(),
    postId: integer('post_id').notNull(),
    number: integer('number').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** Questions only. */
    title: text('title'),
    tags: text('tags').array(),
    bodyMd: text('body_md').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('revisions_post_number_key').on(t.postType, t.postId, t.number)],
)

export const tags = pgTable('tags', {
  /** Normalised (NFKC, lower case, hyphens for spaces); the name is the key. */
  name: text('name').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** The moderation queue: one open flag per reporter per target. */
export const flags = pgTable(
  'flags',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    targetType: flagTargetEnum('target_type').notNull(),
    targetId: integer('target_id').notNull(),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    reporterId: integer('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: flagReasonEnum('reason').notNull(),
    note: text('note'),
    status: flagStatusEnum('status').notNull().default('open'),
    resolvedById: integer('resolved_by_id').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('flags_open_per_reporter_key')
      .on(t.reporterId, t.targetType, t.targetId)
      .where(sql`${t.status} = 'open'`),
    index('flags_status_idx').on(t.status, t.createdAt),
  ],
)

/** Watching a question. A row with `watching = false` records an explicit unwatch, so posting again
 *  does not re-subscribe the member. */
export const questionWatches = pgTable(
  'question_watches',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    watching: boolean('watching').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'question_watches_pkey', columns: [t.userId, t.questionId] }),
    index('question_watches_question_idx').on(t.questionId),
  ],
)

/** One row per viewer per question per day; a view is counted only when its row is new. Rows older
 *  than two days are purged. `viewer` is `u:<user id>` or a daily hash of the visitor's address. */
export const questionViews = pgTable(
  'question_views',
  {
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    viewer: text('viewer').notNull(),
    day: date('day').notNull(),
  },
  (t) => [
    primaryKey({ name: 'question_views_pkey', columns: [t.questionId, t.viewer, t.day] }),
    index('question_views_day_idx').on(t.day),
  ],
)
