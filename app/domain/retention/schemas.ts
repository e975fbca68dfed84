import { z } from 'zod'
import { isDay } from '#app/lib/days.ts'

// Messages are catalogue keys; the UI translates them. Shared by the browser (conform) and the server.
// The lists below repeat the database enums (db/schema/identity.ts) so the browser needs no schema
// module; outcomes.server.test.ts checks that they agree.

/** The outcomes a person or the CRM records; `new` is written by the account itself (first ARR). */
export const recordableKinds = ['renewal', 'expansion', 'contraction', 'churn'] as const
export type RecordableKind = (typeof recordableKinds)[number]
export const churnReasons = [
  'price',
  'budget',
  'product_fit',
  'competitor',
  'low_adoption',
  'champion_left',
  'support',
  'acquired',
  'business_closed',
  'other',
] as const
export const outcomeSources = ['form', 'import', 'api', 'system'] as const

export const OUTCOME_NOTE_MAX = 2000
export const OUTCOME_EXTERNAL_ID_MAX = 200

/** Which fields a kind takes: the form explains and, with JavaScript, shows only these. */
export const fieldsForKind: Record<RecordableKind, { arr: boolean; nextRenewalOn: boolean; reason: boolean }> = {
  renewal: { arr: true, nextRenewalOn: true, reason: false },
  expansion: { arr: true, nextRenewalOn: false, reason: false },
  contraction: { arr: true, nextRenewalOn: false, reason: true },
  churn: { arr: false, nextRenewalOn: false, reason: true },
}

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v)

const trimmedOrNull = (v: unknown) => (typeof v === 'string' ? v.trim() || null : v)
const dayText = (message: string) =>
  z
    .string({ error: message })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date_invalid')
    .refine(isDay, 'validation.date_invalid')
const requiredDay = z.preprocess(trimmedOrNull, dayText('validation.required'))
const optionalDay = z.preprocess(trimmedOrNull, dayText('validation.date_invalid').nullable().default(null))

/** A major-unit amount as typed or sent ("1200000", "1,200,000", "80000.50"); null when empty. The
 *  domain turns it into minor units of the account's currency (`toMinorUnits`). */
const amount = z.preprocess(
  (v) => (typeof v === 'string' ? v.replace(/[,_\s]/g, '') || null : v),
  z
    .string({ error: 'validation.amount_invalid' })
    .regex(/^\d{1,13}(\.\d{1,2})?$/, 'validation.amount_invalid')
    .nullable()
    .default(null),
)

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() || null : v),
    z.string({ error: 'validation.too_long' }).max(max, 'validation.too_long').nullable().default(null),
  )

/** The fields every way in shares, before the rules of the kind. */
const outcomeFields = {
  kind: z.enum(recordableKinds, { error: 'outcomes.errors.kind_required' }),
  effectiveOn: requiredDay,
  arr: amount,
  currency: z.preprocess(
    blankToNull,
    z
      .string({ error: 'validation.currency_invalid' })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'validation.currency_invalid')
      .nullable()
      .default(null),
  ),
  nextRenewalOn: optionalDay,
  reason: z.preprocess(
    blankToNull,
    z.enum(churnReasons, { error: 'validation.invalid_choice' }).nullable().default(null),
  ),
  note: optionalText(OUTCOME_NOTE_MAX),
  externalId: optionalText(OUTCOME_EXTERNAL_ID_MAX),
}

type OutcomeFields = {
  kind: RecordableKind
  arr: string | null
  nextRenewalOn: string | null
  reason: string | null
}

/** What each kind needs and refuses, as field errors (the domain checks the rest against the account's
 *  rows: raise or lower, dates, churn order). */
function kindRules(value: OutcomeFields, ctx: z.RefinementCtx) {
  const takes = fieldsForKind[value.kind]
  if (takes.arr && value.arr === null) {
    ctx.addIssue({ code: 'custom', path: ['arr'], message: 'outcomes.errors.arr_required' })
  }
  if (!takes.arr && value.arr !== null && !/^0+(\.0+)?$/.test(value.arr)) {
    ctx.addIssue({ code: 'custom', path: ['arr'], message: 'outcomes.errors.churn_arr' })
  }
  if (takes.nextRenewalOn && value.nextRenewalOn === null) {
    ctx.addIssue({ code: 'custom', path: ['nextRenewalOn'], message: 'outcomes.errors.next_renewal_required' })
  }
  if (!takes.nextRenewalOn && value.nextRenewalOn !== null) {
    ctx.addIssue({ code: 'custom', path: ['nextRenewalOn'], message: 'outcomes.errors.next_renewal_not_for_kind' })
  }
  if (value.kind === 'churn' && value.reason === null) {
    ctx.addIssue({ code: 'custom', path: ['reason'], message: 'outcomes.errors.reason_required' })
  }
  if (!takes.reason && value.reason !== null) {
    ctx.addIssue({ code: 'custom', path: ['reason'], message: 'outcomes.errors.reason_not_for_kind' })
  }
}

/** One outcome as the form, the CSV import and the API give it (camelCase; the API's snake_case body is
 *  renamed first, see `outcomeFromApiBody`). */
export const OutcomeSchema = z.object(outcomeFields).superRefine(kindRules)
export type OutcomeInput = z.infer<typeof OutcomeSchema>

/** The admin's form on the account page: the outcome and the hidden `intent`. */
export const OutcomeFormSchema = z
  .object({ intent: z.literal('record-outcome'), ...outcomeFields })
  .superRefine(kindRules)

/** The remove button of one history row. */
export const RemoveOutcomeFormSchema = z.object({
  intent: z.literal('remove-outcome'),
  outcomeId: z.coerce.number({ error: 'errors.bad_request' }).int().positive('errors.bad_request'),
})

/** The JSON body of `POST /api/v1/accounts/:id/outcomes`, with the form's field for each key. Unknown
 *  keys are refused, so a typo in an integration shows at once. */
export const apiOutcomeKeys = {
  kind: 'kind',
  effective_on: 'effectiveOn',
  arr: 'arr',
  currency: 'currency',
  next_renewal_on: 'nextRenewalOn',
  reason: 'reason',
  note: 'note',
  external_id: 'externalId',
} as const

/** The JSON body of `PUT /api/v1/accounts/by-external-id/:externalId`, with the account form's field
 *  for each key. `domains` may be a list or one comma-separated string. */
export const apiAccountKeys = {
  name: 'name',
  domains: 'domains',
  plan: 'plan',
  arr: 'arr',
  currency: 'arrCurrency',
  seats: 'seats',
  contract_start: 'contractStart',
  renewal_date: 'renewalDate',
  touch_tier: 'touchTierOverride',
} as const
