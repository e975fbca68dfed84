import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { localeEnum, users } from './identity.ts'
import { answers } from './qa.ts'

export const articleStatusEnum = pgEnum('article_status', ['draft', 'published', 'archived'])

/** Help-center categories, ordered by `position`, named in both languages. The slug is the URL. */
export const helpCategories = pgTable(
  'help_categories',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    nameEn: text('name_en').notNull(),
    nameJa: text('name_ja').notNull(),
    descriptionEn: text('description_en').notNull().default(''),
    descriptionJa: text('description_ja').notNull().default(''),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('help_categories_slug_key').on(t.slug), index('help_categories_position_idx').on(t.position)],
)

/** One level of grouping inside a category. */
export const helpSections = pgTable(
  'help_sections',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => helpCategories.id, { onDelete: 'cascade' }),
    nameEn: text('name_en').notNull(),
    nameJa: text('name_ja').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('help_sections_category_idx').on(t.categoryId, t.position)],
)

/** A help article in one language. Translations share a `translation_group` (the id of the first
 *  article of the group); at most one article per language in a group. */
export const articles = pgTable(
  'articles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    categoryId: integer('category_id')
      .notNull()
      .references(() => helpCategories.id),
    sectionId: integer('section_id').references(() => helpSections.id, { onDelete: 'set null' }),
    slug: text('slug').notNull(),
    locale: localeEnum('locale').notNull(),
    translationGroup: integer('translation_group'),
    title: text('title').notNull(),
    bodyMd: text('body_md').notNull(),
    bodyHtml: text('body_html').notNull(),
    renderVersion: integer('render_version').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    status: articleStatusEnum('status').notNull().default('draft'),
    /** Every save is a revision; `version` is the number of the newest. */
    version: integer('version').notNull().default(1),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** The member credited when the article grew out of a community answer. */
    creditedUserId: integer('credited_user_id').references(() => users.id, { onDelete: 'set null' }),
    promotedFromAnswerId: integer('promoted_from_answer_id').references((): AnyPgColumn => answers.id, {
      onDelete: 'set null',
    }),
    viewCount: integer('view_count').notNull().default(0),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('articles_slug_key').on(t.slug),
    uniqueIndex('articles_translation_locale_key').on(t.translationGroup, t.locale),
    uniqueIndex('articles_promoted_answer_key').on(t.promotedFromAnswerId),
    index('articles_category_idx').on(t.categoryId, t.status),
    index('articles_tags_idx').using('gin', t.tags),
  ],
)

/** Every slug an article has had, so old links keep redirecting after a rename. */
export const articleSlugs = pgTable(
  'article_slugs',
  {
    slug: text('slug').primaryKey(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('article_slugs_article_idx').on(t.articleId)],
)

export const articleRevisions = pgTable(
  'article_revisions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    bodyMd: text('body_md').notNull(),
    /** What the save did: created, edited, published, unpublished, archived, restored. */
    action: text('action').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('article_revisions_number_key').on(t.articleId, t.number)],
)

/** "Was this helpful?": one answer per reader per article (a user, or a visitor id from a cookie),
 *  changeable. */
export const articleFeedback = pgTable(
  'article_feedback',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    /** `u:<user id>` or `v:<visitor id>`. */
    reader: text('reader').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    helpful: boolean('helpful').notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('article_feedback_reader_key').on(t.articleId, t.reader),
    index('article_feedback_article_idx').on(t.articleId, t.updatedAt),
  ],
)

/** One row per reader per article per day: views count once a day, unique readers are distinct
 *  `reader` values. */
export const articleViews = pgTable(
  'article_views',
  {
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    reader: text('reader').notNull(),
    day: date('day').notNull(),
  },
  (t) => [primaryKey({ name: 'article_views_pkey', columns: [t.articleId, t.reader, t.day] })],
)
