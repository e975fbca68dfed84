import { z } from 'zod'
import { nulFree } from '#app/lib/schema-text.ts'
import { MAX_TAG_LENGTH, MAX_TAGS, parseTags } from './tags.ts'

export const ANSWERS_PER_PAGE = 30
export const QUESTIONS_PER_PAGE = 20

export const TITLE_MIN = 6
export const TITLE_MAX = 150
export const BODY_MIN = 10
export const BODY_MAX = 30_000
export const COMMENT_MIN = 2
export const COMMENT_MAX = 600

const TitleField = z
  .string({ error: 'qa.validation.title_required' })
  .trim()
  .min(1, 'qa.validation.title_required')
  .min(TITLE_MIN, 'qa.validation.title_too_short')
  .max(TITLE_MAX, 'qa.validation.title_too_long')

const BodyField = z
  .string({ error: 'qa.validation.body_required' })
  .trim()
  .min(1, 'qa.validation.body_required')
  .min(BODY_MIN, 'qa.validation.body_too_short')
  .max(BODY_MAX, 'qa.validation.body_too_long')

/** The tags field as typed ("csv, export") becomes a list of normalised tags. */
export const TagsField = z
  .string()
  .max(400, 'qa.validation.too_many_tags')
  .optional()
  .transform((value, ctx) => {
    const tags = parseTags(value ?? '')
    if (tags.length > MAX_TAGS) ctx.addIssue({ code: 'custom', message: 'qa.validation.too_many_tags' })
    if (tags.some((tag) => tag.length > MAX_TAG_LENGTH))
      ctx.addIssue({ code: 'custom', message: 'qa.validation.tag_too_long' })
    return tags
  })

export const QuestionSchema = z.object({ title: nulFree(TitleField), body: nulFree(BodyField), tags: TagsField })
export type QuestionInput = z.infer<typeof QuestionSchema>

export const AnswerSchema = z.object({ body: nulFree(BodyField) })
export type AnswerInput = z.infer<typeof AnswerSchema>

export const PostTypeSchema = z.enum(['question', 'answer'], { error: 'validation.invalid_choice' })
export const FlagTargetSchema = z.enum(['question', 'answer', 'comment'], { error: 'validation.invalid_choice' })

const IdField = z.coerce.number({ error: 'validation.invalid_choice' }).int().positive('validation.invalid_choice')

export const CommentSchema = z.object({
  postType: PostTypeSchema,
  postId: IdField,
  body: nulFree(
    z
      .string({ error: 'qa.validation.comment_required' })
      .trim()
      .min(1, 'qa.validation.comment_required')
      .min(COMMENT_MIN, 'qa.validation.comment_too_short')
      .max(COMMENT_MAX, 'qa.validation.comment_too_long'),
  ),
})

export const VoteSchema = z.object({
  postType: PostTypeSchema,
  postId: IdField,
  /** up, down, or retract the vote already cast. */
  value: z.enum(['up', 'down', 'retract'], { error: 'validation.invalid_choice' }),
})

export const AcceptSchema = z.object({ answerId: IdField })

export const flagReasons = ['spam', 'off_topic', 'rude', 'duplicate', 'other'] as const
export const FlagSchema = z
  .object({
    targetType: FlagTargetSchema,
    targetId: IdField,
    reason: z.enum(flagReasons, { error: 'qa.validation.flag_reason_required' }),
    note: nulFree(z.string().trim().max(500, 'qa.validation.flag_note_too_long').optional()),
  })
  .refine((flag) => flag.reason !== 'other' || !!flag.note, {
    message: 'qa.validation.flag_note_required',
    path: ['note'],
  })

export const ModerateSchema = z.object({
  targetType: FlagTargetSchema,
  targetId: IdField,
  action: z.enum(['hide', 'unhide', 'delete', 'restore', 'dismiss'], { error: 'validation.invalid_choice' }),
})

/** The original question, by its number or by a pasted link to it. */
export const DuplicateSchema = z.object({
  duplicateOf: z
    .string({ error: 'qa.validation.duplicate_required' })
    .trim()
    .min(1, 'qa.validation.duplicate_required')
    .transform((value, ctx) => {
      const match = /(?:^|\/questions\/)(\d{1,9})(?:\D|$)/.exec(value)
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'qa.validation.duplicate_invalid' })
        return z.NEVER
      }
      return Number(match[1])
    }),
})

export const questionTabs = ['newest', 'active', 'unanswered', 'answered', 'votes', 'views'] as const
export type QuestionTab = (typeof questionTabs)[number]

/** How a question page orders its answers: by votes (the accepted answer first), newest or oldest. */
export const answerSorts = ['votes', 'newest', 'oldest'] as const
export type AnswerSort = (typeof answerSorts)[number]

/** The answer order a `sort` parameter names; anything else is the default, by votes. */
export function answerSortOf(value: string | null | undefined): AnswerSort {
  return answerSorts.find((sort) => sort === value) ?? 'votes'
}

/** A tag as staff type it on /tags/manage; the domain normalises it as the tags field does. */
const TagNameField = nulFree(
  z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(100, 'editor.tags.errors.long'),
)

export const RenameTagSchema = z.object({ from: TagNameField, to: TagNameField })
export const MergeTagsSchema = z.object({ from: TagNameField, into: TagNameField })
