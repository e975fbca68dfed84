import { z } from 'zod'
import { TagsField } from '#app/domain/qa/schemas.ts'
import { locales } from '#app/lib/i18n.ts'
import { nulFree } from '#app/lib/schema-text.ts'

export const ARTICLE_TITLE_MAX = 150
export const ARTICLE_BODY_MAX = 100_000

const OptionalId = z.preprocess(
  (value) => (value === '' || value === null ? undefined : value),
  z.coerce.number({ error: 'validation.invalid_choice' }).int().positive('validation.invalid_choice').optional(),
)

/** The article editor. The body may be empty while a draft; publishing requires one. */
export const ArticleSchema = z.object({
  title: nulFree(
    z
      .string({ error: 'help.validation.title_required' })
      .trim()
      .min(1, 'help.validation.title_required')
      .max(ARTICLE_TITLE_MAX, 'help.validation.title_too_long'),
  ),
  slug: z
    .string()
    .trim()
    .max(80, 'help.validation.slug_too_long')
    .optional()
    .transform((value) => value || undefined),
  categoryId: z.coerce
    .number({ error: 'help.validation.category_required' })
    .int()
    .positive('help.validation.category_required'),
  sectionId: OptionalId,
  locale: z.enum(locales, { error: 'validation.invalid_choice' }),
  tags: TagsField,
  body: nulFree(z.string().max(ARTICLE_BODY_MAX, 'help.validation.body_too_long').optional().default('')),
  translationOf: OptionalId,
})
export type ArticleInput = z.infer<typeof ArticleSchema>

/* Help insights and feedback */

export const FEEDBACK_COMMENT_MAX = 1000

/** "Was this helpful?": the answer, and what the reader adds. NUL characters are dropped because
 *  PostgreSQL text cannot hold them. */
export const FeedbackSchema = z.object({
  helpful: z.enum(['yes', 'no'], { error: 'help_insights.validation.helpful_required' }),
  comment: nulFree(z.string().trim().max(FEEDBACK_COMMENT_MAX, 'help_insights.validation.comment_too_long').optional()),
})
export type FeedbackInput = z.infer<typeof FeedbackSchema>

export const REVIEW_AFTER_DAYS_MIN = 30
export const REVIEW_AFTER_DAYS_MAX = 730

/** How many days an article may go without review before it is listed as needing one. */
export const ReviewIntervalSchema = z.object({
  days: z.coerce
    .number({ error: 'help_insights.validation.interval_range' })
    .int('help_insights.validation.interval_range')
    .min(REVIEW_AFTER_DAYS_MIN, 'help_insights.validation.interval_range')
    .max(REVIEW_AFTER_DAYS_MAX, 'help_insights.validation.interval_range'),
})

export const MarkReviewedSchema = z.object({
  articleId: z.coerce.number({ error: 'validation.invalid_choice' }).int().positive('validation.invalid_choice'),
})

// Help-center categories and sections (staff management on /help/manage).

export const HELP_NAME_MAX = 80
export const HELP_DESCRIPTION_MAX = 300
export const HELP_SLUG_MAX = 60
export const STAFF_ARTICLES_PER_PAGE = 25

/** First path segments the help center's own pages use (`/help/new`, `/help/manage`...), so no
 *  category may take them as its slug. */
export const RESERVED_CATEGORY_SLUGS: readonly string[] = ['new', 'manage', 'insights', 'articles']

const HelpNameField = nulFree(
  z
    .string({ error: 'help_browse.validation.name_required' })
    .trim()
    .min(1, 'help_browse.validation.name_required')
    .max(HELP_NAME_MAX, 'help_browse.validation.name_too_long'),
)

const HelpDescriptionField = nulFree(
  z.string().trim().max(HELP_DESCRIPTION_MAX, 'help_browse.validation.description_too_long').optional().default(''),
)

const HelpIdField = z.coerce.number({ error: 'validation.invalid_choice' }).int().positive('validation.invalid_choice')

/** A category as staff type it. An empty slug is made from the English name. */
export const CategorySchema = z.object({
  slug: nulFree(
    z
      .string()
      .trim()
      .max(HELP_SLUG_MAX, 'help_browse.validation.slug_too_long')
      .optional()
      .transform((value) => value || undefined),
  ),
  nameEn: HelpNameField,
  nameJa: HelpNameField,
  descriptionEn: HelpDescriptionField,
  descriptionJa: HelpDescriptionField,
})
export type CategoryInput = z.infer<typeof CategorySchema>

export const SectionSchema = z.object({ nameEn: HelpNameField, nameJa: HelpNameField })
export type SectionInput = z.infer<typeof SectionSchema>

// The forms of /help/manage; the hidden `intent` field says which one was sent.
export const CreateCategoryFormSchema = CategorySchema.extend({ intent: z.literal('create-category') })
export const UpdateCategoryFormSchema = CategorySchema.extend({
  intent: z.literal('update-category'),
  categoryId: HelpIdField,
})
export const CreateSectionFormSchema = SectionSchema.extend({
  intent: z.literal('create-section'),
  categoryId: HelpIdField,
})
export const UpdateSectionFormSchema = SectionSchema.extend({
  intent: z.literal('update-section'),
  sectionId: HelpIdField,
})
export const CatalogMoveFormSchema = z.object({
  intent: z.enum(['move-category', 'move-section']),
  id: HelpIdField,
  direction: z.enum(['up', 'down'], { error: 'validation.invalid_choice' }),
})
export const CatalogDeleteFormSchema = z.object({
  intent: z.enum(['delete-category', 'delete-section']),
  id: HelpIdField,
})
