/** The health check page's forms (`/manage/health-check`): a weight set typed per measure, for "what
 *  if" (a GET form) and for applying the fitted weights (a POST after a confirmation step). One schema
 *  for the browser and the server. A plain module. */
import { z } from 'zod'
import { type HealthMeasure, healthMeasures } from '#app/domain/scoring/settings.ts'
import { messageWith } from '#app/lib/schema-text.ts'
import type { Weights } from './track-record.ts'

/** The range the scoring settings accept for a weight (settings-form.ts). */
export const MAX_WEIGHT = 100

const weight = z
  .number({ error: 'health_check.errors.weight_required' })
  .finite('health_check.errors.weight_number')
  .min(0, messageWith('health_check.errors.weight_range', { min: 0, max: MAX_WEIGHT }))
  .max(MAX_WEIGHT, messageWith('health_check.errors.weight_range', { min: 0, max: MAX_WEIGHT }))

/** One number field per measure, named after it; at least one above 0. */
export const WeightSetSchema = z
  .object(
    Object.fromEntries(healthMeasures.map((measure) => [measure, weight])) as Record<HealthMeasure, typeof weight>,
  )
  .superRefine((value, ctx) => {
    if (healthMeasures.every((measure) => value[measure] === 0)) {
      ctx.addIssue({ code: 'custom', path: [healthMeasures[0]], message: 'health_check.errors.no_weight' })
    }
  })

/** The names the forms send: the measures, and the marker of a submitted "what if". */
export const WHAT_IF_FIELD = 'whatIf'
export const weightFields: readonly string[] = healthMeasures

/** A weight set as the form's default values (text, as the fields hold it). */
export function weightsToForm(weights: Weights): Record<HealthMeasure, string> {
  return Object.fromEntries(healthMeasures.map((measure) => [measure, String(weights[measure])])) as Record<
    HealthMeasure,
    string
  >
}
