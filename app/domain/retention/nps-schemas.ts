/** Relationship NPS: the stored settings, the managers' form and the comment form. A plain module (the
 *  settings page builds its form from it). Messages are catalogue keys. */
import { z } from 'zod'

export const NPS_SETTING_KEY = 'retention.nps'
export const npsCadences = [3, 6, 12] as const
export const npsAudiences = ['all', 'tiers'] as const
/** The touch tiers (`scoring/tiers.ts`), repeated here so this plain module needs no scoring import. */
export const npsTiers = ['high', 'low', 'tech'] as const
export type NpsTier = (typeof npsTiers)[number]
export const NPS_COMMENT_MAX = 2000
export const NPS_PRODUCT_NAME_MAX = 80
/** Answers are taken (and changed) for this long after the survey was sent. */
export const NPS_ANSWER_DAYS = 60

/** What is stored under `retention.nps`. */
export const NpsSettingsSchema = z.object({
  enabled: z.boolean(),
  cadenceMonths: z.union([z.literal(3), z.literal(6), z.literal(12)]),
  audience: z.enum(npsAudiences),
  tiers: z.array(z.enum(npsTiers)),
  activeOnly: z.boolean(),
  firstAfterDays: z.number().int().min(0).max(365),
  /** The name in the question; empty for the community's own name. */
  productName: z.string().max(NPS_PRODUCT_NAME_MAX),
})
export type NpsSettings = z.infer<typeof NpsSettingsSchema>

/** Off until a manager (or the demo seed) turns it on. */
export const defaultNpsSettings: NpsSettings = {
  enabled: false,
  cadenceMonths: 6,
  audience: 'all',
  tiers: [...npsTiers],
  activeOnly: false,
  firstAfterDays: 30,
  productName: '',
}

/** The managers' form: a ticked checkbox sends `on`, an unticked one nothing; numbers arrive as text. */
export const NpsSettingsFormSchema = z
  .object({
    enabled: z.boolean().default(false),
    cadenceMonths: z.coerce
      .number({ error: 'nps.validation.cadence_invalid' })
      .refine((value) => (npsCadences as readonly number[]).includes(value), 'nps.validation.cadence_invalid'),
    audience: z.enum(npsAudiences, { error: 'nps.validation.audience_invalid' }),
    tiers: z
      .array(z.enum(npsTiers, { error: 'nps.validation.tiers_required' }))
      .max(3)
      .default([]),
    activeOnly: z.boolean().default(false),
    firstAfterDays: z
      .number({ error: 'nps.validation.first_after_invalid' })
      .int('nps.validation.first_after_invalid')
      .min(0, 'nps.validation.first_after_invalid')
      .max(365, 'nps.validation.first_after_invalid'),
    productName: z.string().trim().max(NPS_PRODUCT_NAME_MAX, 'nps.validation.product_name_too_long').default(''),
  })
  .refine((value) => value.audience !== 'tiers' || value.tiers.length > 0, {
    path: ['tiers'],
    message: 'nps.validation.tiers_required',
    // Checked even when another field is wrong, so the form shows every mistake at once.
    when: (payload) => !payload.issues.some((issue) => issue.path?.[0] === 'audience' || issue.path?.[0] === 'tiers'),
  })
export type NpsSettingsForm = z.infer<typeof NpsSettingsFormSchema>

export function settingsFromNpsForm(form: NpsSettingsForm): NpsSettings {
  return {
    enabled: form.enabled,
    cadenceMonths: form.cadenceMonths as NpsSettings['cadenceMonths'],
    audience: form.audience,
    tiers: npsTiers.filter((tier) => form.tiers.includes(tier)),
    activeOnly: form.activeOnly,
    firstAfterDays: form.firstAfterDays,
    productName: form.productName,
  }
}

/** The comment a member adds on the thank-you page. */
export const NpsCommentSchema = z.object({
  comment: z
    .string({ error: 'nps.validation.comment_required' })
    .trim()
    .min(1, 'nps.validation.comment_required')
    .max(NPS_COMMENT_MAX, 'nps.validation.comment_too_long'),
})

/** A score from a link or a button: a whole number 0–10 written plainly ("7", not "07" or "7.0"). */
export function parseNpsScore(value: string | null | undefined): number | null {
  if (!value || !/^(?:[0-9]|10)$/.test(value)) return null
  return Number(value)
}

/** `2026Q4`: the calendar quarter (UTC) of an instant. */
export function quarterOf(at: Date): string {
  return `${at.getUTCFullYear()}Q${Math.floor(at.getUTCMonth() / 3) + 1}`
}
