import { z } from 'zod'
import { nulFree } from '#app/lib/schema-text.ts'
import { productAreas, ticketUrgencies } from './options.ts'

export const SUBJECT_MIN = 5
export const SUBJECT_MAX = 150
export const DESCRIPTION_MIN = 20
export const DESCRIPTION_MAX = 10_000

/** A key the server issued with the form (app/domain/support/attempts.server.ts): a UUID and its
 *  signature, or the bare UUID of an attempt already under way. Whether it is this member's, and
 *  whether it may start an attempt, is the domain's to check. */
const AttemptKey = z
  .string({ error: 'support.errors.attempt_invalid' })
  .regex(/^[0-9a-f-]{36}(\.[A-Za-z0-9_-]{32})?$/, 'support.errors.attempt_invalid')

/** The contact form. `attempt` is the random key of this use of the form; `confirmed` is set by the
 *  "send my request" button shown under the suggestions, so a request goes out without a second look. */
export const ContactSchema = z.object({
  attempt: AttemptKey,
  subject: nulFree(
    z
      .string({ error: 'support.validation.subject_required' })
      .trim()
      .min(1, 'support.validation.subject_required')
      // A blank subject gets one message, not "too short" as well.
      .pipe(
        z
          .string()
          .min(SUBJECT_MIN, 'support.validation.subject_too_short')
          .max(SUBJECT_MAX, 'support.validation.subject_too_long'),
      ),
  ),
  description: nulFree(
    z
      .string({ error: 'support.validation.description_required' })
      .trim()
      .min(1, 'support.validation.description_required')
      .pipe(
        z
          .string()
          .min(DESCRIPTION_MIN, 'support.validation.description_too_short')
          .max(DESCRIPTION_MAX, 'support.validation.description_too_long'),
      ),
  ),
  productArea: z.enum(productAreas, { error: 'support.validation.area_required' }),
  urgency: z.enum(ticketUrgencies, { error: 'support.validation.urgency_required' }).default('normal'),
  confirmed: z.literal('1').optional(),
})
export type ContactInput = z.infer<typeof ContactSchema>

/** A suggestion acted on: opened, or marked as the answer. */
export const SuggestionActionSchema = z.object({
  attempt: AttemptKey,
  doc: z
    .string({ error: 'support.errors.suggestion_invalid' })
    .regex(/^(article|question):\d{1,9}$/, 'support.errors.suggestion_invalid'),
})

/** The subject typed so far, for suggestions. */
export const SuggestSchema = z.object({
  attempt: AttemptKey,
  q: z.string().trim().max(SUBJECT_MAX).default(''),
})
