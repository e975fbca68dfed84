import { parseWithZod } from '@conform-to/zod/v4'
import { expect, test } from 'vitest'
import { defaultScoringSettings } from './settings.ts'
import { formFromSettings, ScoringSettingsFormSchema, settingsFromForm } from './settings-form.ts'

/** The field errors of a refused submission (empty for an accepted one). */
function errorsOf(submission: ReturnType<typeof submit>): Record<string, string[] | null> {
  return submission.status === 'error' ? (submission.error ?? {}) : {}
}

/** The form's values as a browser would post them: every leaf a string under its dotted name, a ticked
 *  checkbox as "on" and an unticked one not at all. */
function formData(values: unknown, prefix = '', into = new FormData()): FormData {
  if (typeof values === 'boolean') {
    if (values) into.append(prefix, 'on')
  } else if (Array.isArray(values)) {
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

test('every new health setting is on the form: shares as percents, holiday periods as rows', () => {
  const values = formFromSettings(defaultScoringSettings)
  expect(values.overall).toMatchObject({ margin: 7.5, confirmDays: 14 })
  expect(values.breadthChange).toEqual({ agoDays: 60, badDeclinePercent: 35, normalDeclinePercent: 15, minBaseline: 3 })
  expect(values.champions).toMatchObject({ minSharePercent: 20, normalFromPercent: 20, badFromPercent: 40 })
  expect(values.sentiment).toMatchObject({ detractorSharePercent: 50, detractorCap: 'BAD' })
  expect(values.onboarding).toMatchObject({ milestoneDays: 45, membersFromPercent: 20, activeDaysFrom: 5 })
  expect(values.holidays.japan).toBe(true)
  expect(values.holidays.periods[0]).toEqual({ from: '12-28', to: '01-04', label: 'Year-end / 年末年始' })
  // The form's rows are copies: editing them leaves the settings alone.
  expect(values.holidays.periods).not.toBe(defaultScoringSettings.health.holidays.periods)
})

test('new settings change: an unticked box, a one-off period, a blank and an unnamed row', () => {
  const submission = parseWithZod(
    formData({
      ...formFromSettings(defaultScoringSettings),
      overall: { ...formFromSettings(defaultScoringSettings).overall, confirmDays: 3, margin: 2.5 },
      sentiment: { ...formFromSettings(defaultScoringSettings).sentiment, detractorCap: 'NORMAL' },
      holidays: {
        // Unticked: the box sends nothing at all.
        periods: [
          { from: ' 2026-11-02 ', to: '2026-11-03', label: ' Company offsite ' },
          { from: '', to: '', label: '' },
          { from: '02-29', to: '03-01', label: '' },
        ],
      },
    }),
    { schema: ScoringSettingsFormSchema },
  )
  expect(submission.status).toBe('success')
  if (submission.status !== 'success') return
  const health = settingsFromForm(submission.value).health
  expect(health.overall).toMatchObject({ confirmDays: 3, margin: 2.5 })
  expect(health.sentiment.detractorCap).toBe('NORMAL')
  expect(health.holidays).toEqual({
    japan: false,
    periods: [
      { from: '2026-11-02', to: '2026-11-03', label: 'Company offsite' },
      { from: '02-29', to: '03-01', label: '' },
    ],
  })
})

test('holiday periods that are not days, half filled, mixed or backwards are refused next to the field', () => {
  const submission = submit((values) => {
    values.holidays.periods = [
      { from: '13-45', to: '01-04', label: 'Bad month' },
      { from: '12-28', to: undefined, label: 'No end' },
      { from: undefined, to: undefined, label: 'Only a name' },
      { from: '2026-12-28', to: '01-04', label: 'Mixed' },
      { from: '2026-05-06', to: '2026-04-29', label: 'Backwards' },
      { from: '2027-02-29', to: '2027-03-01', label: 'No such day' },
      { from: '12/28', to: '1-4', label: 'x'.repeat(81) },
      // Recurring periods may cross the new year.
      { from: '12-30', to: '01-02', label: '' },
    ]
  })
  expect(submission.status).toBe('error')
  const errors = errorsOf(submission)
  const day = 'manage.settings.validation.holiday_day'
  const missing = 'manage.settings.validation.holiday_missing'
  expect(errors['holidays.periods[0].from']).toEqual([day])
  expect(errors['holidays.periods[0].to']).toBeUndefined()
  expect(errors['holidays.periods[5].from']).toEqual([day])
  expect(errors['holidays.periods[6].from']).toEqual([day])
  expect(errors['holidays.periods[6].to']).toEqual([day])
  expect(errors['holidays.periods[6].label']).toEqual(['manage.settings.validation.label_too_long?max=80'])
  expect(errors['holidays.periods[7].from']).toBeUndefined()

  // The rows whose days are days are checked together once every field is right.
  const rows = submit((values) => {
    values.holidays.periods = [
      { from: '12-28', to: undefined, label: 'No end' },
      { from: undefined, to: undefined, label: 'Only a name' },
      { from: '2026-12-28', to: '01-04', label: 'Mixed' },
      { from: '2026-05-06', to: '2026-04-29', label: 'Backwards' },
      { from: '12-30', to: '01-02', label: '' },
    ]
  })
  const rowErrors = errorsOf(rows)
  expect(rowErrors).toEqual({
    'holidays.periods[0].to': [missing],
    'holidays.periods[1].from': [missing],
    'holidays.periods[1].to': [missing],
    'holidays.periods[2].to': ['manage.settings.validation.holiday_kinds'],
    'holidays.periods[3].to': ['manage.settings.validation.holiday_order'],
  })
})

test('at most 40 holiday periods, however many blank rows come with them', () => {
  const period = (index: number) => ({ from: `2030-01-${String(index + 1).padStart(2, '0')}`, to: '2030-12-31' })
  const forty = submit((values) => {
    values.holidays.periods = [...Array.from({ length: 28 }, (_, i) => period(i)), ...values.holidays.periods]
    values.holidays.periods.push(...Array.from({ length: 9 }, (_, i) => ({ from: `02-${10 + i}`, to: '02-28' })))
    values.holidays.periods.push({}, {})
  })
  expect(errorsOf(forty)).toEqual({})
  const fortyOne = submit((values) => {
    values.holidays.periods = Array.from({ length: 28 }, (_, i) => period(i))
    values.holidays.periods.push(...Array.from({ length: 13 }, (_, i) => ({ from: `03-${10 + i}`, to: '03-28' })))
  })
  expect(errorsOf(fortyOne)['holidays.periods']).toEqual(['manage.settings.validation.period_rows?max=40'])
})

test('new pairs out of order are refused next to the field that must give way', () => {
  const submission = submit((values) => {
    values.breadthChange.normalDeclinePercent = 40 // above BAD's 35
    values.champions.badFromPercent = 15 // below NORMAL's 20
    values.ticketSurge.normalUpTo = 1 // below GOOD's 1.5
    values.onboarding.milestoneDays = 10 // before the first 14 days end
    values.onboarding.activeDaysFrom = 11 // more days than there are
    values.sentiment.detractorDays = 200 // longer than the NPS window of 180
  })
  expect(submission.status).toBe('error')
  expect(errorsOf(submission)).toEqual({
    'breadthChange.badDeclinePercent': ['manage.settings.validation.order'],
    'champions.badFromPercent': ['manage.settings.validation.order'],
    'ticketSurge.normalUpTo': ['manage.settings.validation.order'],
    'onboarding.milestoneDays': ['manage.settings.validation.milestone_order?min=14'],
    'onboarding.activeDaysFrom': ['manage.settings.validation.active_days_order?max=10'],
    'sentiment.detractorDays': ['manage.settings.validation.detractor_days_order?max=180'],
  })
  const window = submit((values) => {
    values.onboarding.youngerThanDays = 30 // milestones are due at 45
  })
  expect(errorsOf(window)).toEqual({
    'onboarding.youngerThanDays': ['manage.settings.validation.onboarding_order?min=45'],
  })
})

test('new numbers out of range, not whole or not a choice are refused by field', () => {
  const submission = submit((values) => {
    values.overall.margin = 60
    values.overall.confirmDays = 0
    values.ticketSurge.minTickets = 2.5
    values.champions.minSharePercent = 101
    values.sentiment.detractorCap = 'GOOD' as never
  })
  expect(submission.status).toBe('error')
  const errors = errorsOf(submission)
  expect(errors['overall.margin']).toEqual(['manage.settings.validation.range?min=0&max=50'])
  expect(errors['overall.confirmDays']).toEqual(['manage.settings.validation.range?min=1&max=60'])
  expect(errors['ticketSurge.minTickets']).toEqual(['manage.settings.validation.whole'])
  expect(errors['champions.minSharePercent']).toEqual(['manage.settings.validation.range?min=0&max=100'])
  expect(errors['sentiment.detractorCap']).toEqual(['manage.settings.validation.choice'])
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

test('the gross margin is typed as a percent, stored as a share, and kept within 0–100', () => {
  expect(formFromSettings(defaultScoringSettings).grossMarginPercent).toBe(75)
  const saved = submit((values) => {
    values.grossMarginPercent = 62.5
  })
  expect(saved.status).toBe('success')
  if (saved.status === 'success') expect(settingsFromForm(saved.value).grossMargin).toBe(0.625)
  const refused = submit((values) => {
    values.grossMarginPercent = 120
  })
  expect(errorsOf(refused).grossMarginPercent).toEqual(['manage.settings.validation.range?min=0&max=100'])
  const blank = parseWithZod(formData({ ...formFromSettings(defaultScoringSettings), grossMarginPercent: '' }), {
    schema: ScoringSettingsFormSchema,
  })
  expect(errorsOf(blank).grossMarginPercent).toEqual(['manage.settings.validation.required'])
})
