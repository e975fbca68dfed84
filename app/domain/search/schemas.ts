import { z } from 'zod'
import { messageWith, nulFree } from '#app/lib/schema-text.ts'

/** The bounds of one synonym rule and of all of them (docs/decisions/045). Every rule is expanded into
 *  each query's words, so a few hundred short rules keep that cheap. */
export const synonymLimits = { minTerms: 2, maxTerms: 10, maxTermLength: 60, maxRules: 500 } as const

/** The most a person could type for one rule: the longest terms with a separator each. */
const SYNONYM_TEXT_MAX = synonymLimits.maxTerms * (synonymLimits.maxTermLength + 2)

export const synonymDirections = ['two-way', 'one-way'] as const

/** The synonym form of /search/insights: the terms as typed (separated by commas or new lines; the
 *  domain splits, normalises and checks them) and the direction. */
export const SynonymFormSchema = z.object({
  terms: nulFree(
    z
      .string({ error: 'search.synonyms.validation.terms_required' })
      .trim()
      .min(1, 'search.synonyms.validation.terms_required')
      .max(SYNONYM_TEXT_MAX, messageWith('search.synonyms.validation.text_too_long', { max: SYNONYM_TEXT_MAX })),
  ),
  direction: z.enum(synonymDirections, { error: 'validation.invalid_choice' }).default('two-way'),
})
export type SynonymForm = z.infer<typeof SynonymFormSchema>

/** The delete button of one rule. */
export const DeleteSynonymSchema = z.object({
  id: z.coerce.number({ error: 'validation.invalid_choice' }).int().positive('validation.invalid_choice'),
})
