import { parseWithZod } from '@conform-to/zod/v4'
import { expect, test } from 'vitest'
import { defaultScoringSettings } from './settings.ts'
import { formFromSettings, ScoringSettingsFormSchema, settingsFromForm } from './settings-form.ts'

/** The field errors of a refused submission (empty for an accepted one). */
function errorsOf(submission: ReturnType<typeof submit>): Record<string, string[] | null> {
  return submission.status === 'error' ? (submission.error ?? {}) : {}
}

/** The form's values as a browser would post them: every leaf a string under its dotted name. */
function formData(values: unknown, prefix = '', into = new FormData()): FormData {
  if (Array.isArray(values)) {
    for (const [index, item] of values.entries()) formData(item, `${prefix}[${index}]`, into)
  } else if (values !== null && typeof values === 'object') {
    for (const [key, child] of Object.entries(values)) formData(child, prefix ? `${prefix}.${key}` : key, into)
  } else if (values !== undefined) into.append(prefix, String(values))
  return into
}

function submit(change: (values: ReturnType<typeof formFromSettings>) => void) {
  const values = structuredClone(formFromSettings(defaultScoringSettings))
  change(values)
  return parseWithZod(formData(values), { schema: ScoringSettingsFormSchema })
}

test('the default settings survive a trip through the form, shares shown as percents', () => {
  const values = formFromSettings(defaultScoringSettings)
  expect(values.breadth).toEqual({ days: 28, goodFromPercent: 40, normalFromPercent: 15 })
  expect(values.levels.demoteBelowPercent).toBe(90)
  expect(values.tiers.rates).toEqual([
    { currency: 'EUR', rate: 160 },
    { currency: 'GBP', rate: 190 },
    { currency: 'USD', rate: 150 },
  ])
  const submission = submit(() => {})
  expect(submission.status).toBe('success')
  if (submission.status !== 'success') return
  expect(settingsFromForm(submission.value)).toEqual(defaultScoringSettings)
})

test('a blank cap means no cap, blank rate rows are dropped, a new currency is added', () => {
  const submission = submit((values) => {
    values.caps.vote_cast = undefined
    values.caps.search_performed = 3
    values.tiers.rates.push({ currency: 'aud', rate: 98.5 }, {} as never)
  })
  expect(submission.status).toBe('success')
  if (submission.status !== 'success') return
  const settings = settingsFromForm(submission.value)
  expect(settings.dailyCaps).toEqual({ vote_received: 10, article_viewed: 10, visit_day: 1, search_performed: 3 })
  expect(settings.tiers.jpyPerUnit).toEqual({ JPY: 1, EUR: 160, GBP: 190, USD: 150, AUD: 98.5 })
})

test('bands out of order, no weight at all and a currency without a rate are refused by field', () => {
  const submission = submit((values) => {
    values.breadth.goodFromPercent = 10 // below NORMAL's 15
    for (const measure of Object.keys(values.weights)) values.weights[measure as keyof typeof values.weights] = 0
    values.tiers.currency = 'CHF'
    values.tiers.rates[0] = { currency: 'GBP', rate: 1 }
  })
  expect(submission.status).toBe('error')
  const errors = errorsOf(submission)
  expect(errors['breadth.goodFromPercent']).toEqual(['manage.settings.validation.order'])
  expect(errors['weights.engagement']).toEqual(['manage.settings.validation.weights'])
  expect(errors['tiers.currency']).toEqual(['manage.settings.validation.currency_rate'])
  expect(errors['tiers.rates[1].currency']).toEqual(['manage.settings.validation.duplicate_currency'])
})

test('numbers out of range or not whole are refused by field', () => {
  const submission = submit((values) => {
    values.halfLifeDays = 2.5
    values.points.answer_posted = -1
    values.overall.minCoveragePercent = 150
  })
  expect(submission.status).toBe('error')
  const errors = errorsOf(submission)
  expect(errors.halfLifeDays).toEqual(['manage.settings.validation.whole'])
  expect(errors['points.answer_posted']).toEqual(['manage.settings.validation.range?min=0&max=1%2C000'])
  expect(errors['overall.minCoveragePercent']).toEqual(['manage.settings.validation.range?min=0&max=100'])
})

test('an empty or non-numeric field says so instead of falling back to a default', () => {
  const submission = parseWithZod(
    formData({ ...formFromSettings(defaultScoringSettings), halfLifeDays: '', silentDays: 'thirty' }),
    { schema: ScoringSettingsFormSchema },
  )
  expect(submission.status).toBe('error')
  expect(errorsOf(submission).halfLifeDays).toEqual(['manage.settings.validation.required'])
  expect(errorsOf(submission).silentDays?.length).toBe(1)
})
