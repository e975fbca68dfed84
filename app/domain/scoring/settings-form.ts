import { z } from 'zod'
import { type ActivityType, activityTypes } from '#app/domain/activity/activity-types.ts'
import { messageWith, nulFree } from '#app/lib/schema-text.ts'
import { type HealthMeasure, healthMeasures, type ScoringSettings } from './settings.ts'

/** The scoring settings as managers type them at /manage/settings: shares as percents (15, not 0.15),
 *  daily caps blank for "no cap", the currency rates and holiday periods as rows. One schema for the
 *  browser and the server (conform validates with it on both sides); `settingsFromForm` and
 *  `formFromSettings` convert. */

/** Activity types that a daily cap makes sense for (cheap, repeatable signals). */
export const cappableTypes = ['vote_cast', 'vote_received', 'article_viewed', 'visit_day', 'search_performed'] as const

/** Currency-rate rows offered on the form besides the stored ones, for adding a currency. */
export const SPARE_RATE_ROWS = 2
/** At most this many currencies besides JPY. */
export const MAX_RATES = 40

/** Holiday-period rows offered on the form besides the stored ones, for adding a period. */
export const SPARE_PERIOD_ROWS = 2
/** At most this many holiday periods (the stored settings hold no more). */
export const MAX_HOLIDAY_PERIODS = 40
/** The longest name of a holiday period. */
export const MAX_PERIOD_LABEL = 80

/** Which way a holiday period's day is written: `MM-DD` recurs every year, `YYYY-MM-DD` is once;
 *  null for anything else, including days that do not exist (02-30, 2027-02-29). A recurring 02-29
 *  is allowed: it falls in leap years only. */
export function holidayDayKind(text: string): 'recurring' | 'once' | null {
  const match = /^(?:(\d{4})-)?(\d{2})-(\d{2})$/.exec(text)
  if (!match) return null
  const [, year, month, day] = match
  // A recurring day is checked against a leap year, so that 02-29 is a day that exists.
  const date = new Date(Date.UTC(year ? Number(year) : 2000, Number(month) - 1, Number(day)))
  const exists =
    date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day) && (!year || Number(year) >= 1900)
  if (!exists) return null
  return year ? 'once' : 'recurring'
}

const invalid = 'manage.settings.validation.number'
const number = (min: number, max: number) =>
  z
    .number({ error: 'manage.settings.validation.required' })
    .finite(invalid)
    .min(min, messageWith('manage.settings.validation.range', { min, max }))
    .max(max, messageWith('manage.settings.validation.range', { min, max }))
const whole = (min: number, max: number) => number(min, max).int('manage.settings.validation.whole')
const days = whole(1, 730)
const percent = number(0, 100)
const points = number(0, 1000)

const RateRow = z.object({
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'validation.currency_invalid')
    .optional(),
  rate: number(0.000001, 1_000_000).optional(),
})

const holidayDay = z
  .string()
  .trim()
  .refine((text) => holidayDayKind(text) !== null, 'manage.settings.validation.holiday_day')
  .optional()

/** A holiday period as typed: all blank is no period; what is missing is said in `superRefine`. */
const PeriodRow = z.object({
  from: holidayDay,
  to: holidayDay,
  label: nulFree(
    z
      .string()
      .trim()
      .max(MAX_PERIOD_LABEL, messageWith('manage.settings.validation.label_too_long', { max: MAX_PERIOD_LABEL })),
  ).optional(),
})

export const ScoringSettingsFormSchema = z
  .object({
    points: z.object(
      Object.fromEntries(activityTypes.map((type) => [type, points])) as Record<ActivityType, typeof points>,
    ),
    caps: z
      .object(
        Object.fromEntries(cappableTypes.map((type) => [type, whole(1, 1000).optional()])) as Record<
          (typeof cappableTypes)[number],
          z.ZodOptional<ReturnType<typeof whole>>
        >,
      )
      .default({}),
    halfLifeDays: days,
    levels: z.object({
      participant: points,
      contributor: points,
      champion: points,
      demoteBelowPercent: percent,
    }),
    overall: z.object({
      goodFrom: percent,
      normalFrom: percent,
      minCoveragePercent: percent,
      margin: number(0, 50),
      confirmDays: whole(1, 60),
    }),
    bandScore: z.object({ GOOD: percent, NORMAL: percent, BAD: percent }),
    weights: z.object(
      Object.fromEntries(healthMeasures.map((measure) => [measure, number(0, 100)])) as Record<
        HealthMeasure,
        ReturnType<typeof number>
      >,
    ),
    eventsWeightByTier: z.object({ high: number(0, 10), low: number(0, 10), tech: number(0, 10) }),
    engagement: z.object({ goodFromPercentile: percent, normalFromPercentile: percent }),
    trend: z.object({ days: whole(1, 365), badDeclinePercent: percent, normalDeclinePercent: percent }),
    breadth: z.object({ days, goodFromPercent: percent, normalFromPercent: percent }),
    breadthChange: z.object({
      agoDays: days,
      badDeclinePercent: percent,
      normalDeclinePercent: percent,
      minBaseline: whole(1, 100_000),
    }),
    champions: z.object({
      baselineDays: days,
      silentDays: days,
      minSharePercent: percent,
      minPoints: number(0, 100_000),
      normalFromPercent: percent,
      badFromPercent: percent,
    }),
    supportLoad: z.object({ days, goodUpTo: number(0, 100), normalUpTo: number(0, 100) }),
    ticketSurge: z.object({
      days,
      baselineDays: days,
      goodUpTo: number(0, 100),
      normalUpTo: number(0, 100),
      minTickets: whole(1, 100_000),
    }),
    selfService: z.object({ days, goodFromPercent: percent, normalFromPercent: percent }),
    events: z.object({ days, goodFrom: whole(0, 1000), normalFrom: whole(0, 1000) }),
    sentiment: z.object({
      days,
      halfLifeDays: days,
      fullWeightAnswers: whole(1, 1000),
      goodFrom: number(-100, 100),
      normalFrom: number(-100, 100),
      detractorDays: days,
      detractorMin: whole(1, 1000),
      detractorSharePercent: percent,
      detractorCap: z.enum(['NORMAL', 'BAD'], { error: 'manage.settings.validation.choice' }),
    }),
    onboarding: z.object({
      youngerThanDays: days,
      firstDays: days,
      milestoneDays: days,
      membersFromPercent: percent,
      activeDaysFrom: whole(0, 730),
    }),
    silentDays: days,
    holidays: z.object({
      // An unticked checkbox sends nothing.
      japan: z.boolean().default(false),
      // Blank rows are sent too; the number of periods is checked below, on the filled rows.
      periods: z
        .array(PeriodRow)
        .max(MAX_HOLIDAY_PERIODS + SPARE_PERIOD_ROWS)
        .default([]),
    }),
    tiers: z.object({
      currency: z
        .string({ error: 'validation.currency_invalid' })
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, 'validation.currency_invalid'),
      highFrom: number(0, 1e15),
      lowFrom: number(0, 1e15),
      // Blank rows are sent too; the number of currencies is checked below, on the filled rows.
      rates: z
        .array(RateRow)
        .max(MAX_RATES + SPARE_RATE_ROWS)
        .default([]),
    }),
    /** The gross margin, in percent, for the average LTV on the dashboard. */
    grossMarginPercent: percent,
  })
  .superRefine((value, ctx) => {
    /** `upper` must not be below `lower`: the message goes next to the field that names the higher band. */
    const ordered = (lower: number, upper: number, path: (string | number)[]) => {
      if (upper < lower) ctx.addIssue({ code: 'custom', path, message: 'manage.settings.validation.order' })
    }
    ordered(value.levels.participant, value.levels.contributor, ['levels', 'contributor'])
    ordered(value.levels.contributor, value.levels.champion, ['levels', 'champion'])
    ordered(value.overall.normalFrom, value.overall.goodFrom, ['overall', 'goodFrom'])
    ordered(value.bandScore.BAD, value.bandScore.NORMAL, ['bandScore', 'NORMAL'])
    ordered(value.bandScore.NORMAL, value.bandScore.GOOD, ['bandScore', 'GOOD'])
    ordered(value.engagement.normalFromPercentile, value.engagement.goodFromPercentile, [
      'engagement',
      'goodFromPercentile',
    ])
    ordered(value.trend.normalDeclinePercent, value.trend.badDeclinePercent, ['trend', 'badDeclinePercent'])
    ordered(value.breadth.normalFromPercent, value.breadth.goodFromPercent, ['breadth', 'goodFromPercent'])
    ordered(value.supportLoad.goodUpTo, value.supportLoad.normalUpTo, ['supportLoad', 'normalUpTo'])
    ordered(value.selfService.normalFromPercent, value.selfService.goodFromPercent, ['selfService', 'goodFromPercent'])
    ordered(value.events.normalFrom, value.events.goodFrom, ['events', 'goodFrom'])
    ordered(value.sentiment.normalFrom, value.sentiment.goodFrom, ['sentiment', 'goodFrom'])
    ordered(value.tiers.lowFrom, value.tiers.highFrom, ['tiers', 'highFrom'])
    ordered(value.breadthChange.normalDeclinePercent, value.breadthChange.badDeclinePercent, [
      'breadthChange',
      'badDeclinePercent',
    ])
    ordered(value.champions.normalFromPercent, value.champions.badFromPercent, ['champions', 'badFromPercent'])
    ordered(value.ticketSurge.goodUpTo, value.ticketSurge.normalUpTo, ['ticketSurge', 'normalUpTo'])
    /** Days that must come in order: the message says the bound to keep to. */
    const atLeast = (min: number, actual: number, path: (string | number)[], key: string) => {
      if (actual < min) ctx.addIssue({ code: 'custom', path, message: messageWith(key, { min }) })
    }
    const atMost = (max: number, actual: number, path: (string | number)[], key: string) => {
      if (actual > max) ctx.addIssue({ code: 'custom', path, message: messageWith(key, { max }) })
    }
    const { onboarding, sentiment } = value
    atLeast(
      onboarding.firstDays,
      onboarding.milestoneDays,
      ['onboarding', 'milestoneDays'],
      'manage.settings.validation.milestone_order',
    )
    atLeast(
      onboarding.milestoneDays,
      onboarding.youngerThanDays,
      ['onboarding', 'youngerThanDays'],
      'manage.settings.validation.onboarding_order',
    )
    atMost(
      onboarding.milestoneDays,
      onboarding.activeDaysFrom,
      ['onboarding', 'activeDaysFrom'],
      'manage.settings.validation.active_days_order',
    )
    atMost(
      sentiment.days,
      sentiment.detractorDays,
      ['sentiment', 'detractorDays'],
      'manage.settings.validation.detractor_days_order',
    )
    if (healthMeasures.every((measure) => value.weights[measure] === 0)) {
      ctx.addIssue({ code: 'custom', path: ['weights', 'engagement'], message: 'manage.settings.validation.weights' })
    }
    const seen = new Set<string>()
    const filledRates = value.tiers.rates.filter((row) => row.currency || row.rate !== undefined).length
    if (filledRates > MAX_RATES) {
      ctx.addIssue({
        code: 'custom',
        path: ['tiers', 'rates'],
        message: messageWith('manage.settings.validation.rate_rows', { max: MAX_RATES }),
      })
    }
    value.tiers.rates.forEach((row, index) => {
      if (!row.currency && row.rate === undefined) return
      if (!row.currency) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', 'rates', index, 'currency'],
          message: 'validation.currency_invalid',
        })
      } else if (row.rate === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', 'rates', index, 'rate'],
          message: 'manage.settings.validation.required',
        })
      } else if (seen.has(row.currency)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', 'rates', index, 'currency'],
          message: 'manage.settings.validation.duplicate_currency',
        })
      }
      if (row.currency) seen.add(row.currency)
    })
    if (value.tiers.currency !== 'JPY' && !seen.has(value.tiers.currency)) {
      ctx.addIssue({ code: 'custom', path: ['tiers', 'currency'], message: 'manage.settings.validation.currency_rate' })
    }
    checkPeriods(value.holidays.periods, (path, message) =>
      ctx.addIssue({ code: 'custom', path: ['holidays', 'periods', ...path], message }),
    )
  })

type PeriodRowValue = z.infer<typeof PeriodRow>

/** A holiday period row is blank (ignored) or has both days, written the same way, a one-off period
 *  not ending before it starts (a recurring one may cross the new year: 12-28 to 01-04). Each message
 *  goes next to the field to fix. */
function checkPeriods(rows: PeriodRowValue[], report: (path: (string | number)[], message: string) => void) {
  const filled = rows.filter((row) => row.from || row.to || row.label).length
  if (filled > MAX_HOLIDAY_PERIODS) {
    report([], messageWith('manage.settings.validation.period_rows', { max: MAX_HOLIDAY_PERIODS }))
  }
  rows.forEach((row, index) => {
    if (!row.from && !row.to && !row.label) return
    if (!row.from) report([index, 'from'], 'manage.settings.validation.holiday_missing')
    if (!row.to) report([index, 'to'], 'manage.settings.validation.holiday_missing')
    if (!row.from || !row.to) return
    const fromKind = holidayDayKind(row.from)
    const toKind = holidayDayKind(row.to)
    // A day that is no day at all already has its message.
    if (!fromKind || !toKind) return
    if (fromKind !== toKind) report([index, 'to'], 'manage.settings.validation.holiday_kinds')
    else if (fromKind === 'once' && row.to < row.from) {
      report([index, 'to'], 'manage.settings.validation.holiday_order')
    }
  })
}

export type ScoringSettingsForm = z.infer<typeof ScoringSettingsFormSchema>

/** Percent to share without floating-point noise (15 → 0.15, not 0.15000000000000002). */
function share(percentValue: number): number {
  return Math.round(percentValue * 10_000) / 1_000_000
}

function asPercent(shareValue: number): number {
  return Math.round(shareValue * 1_000_000) / 10_000
}

/** The settings object the form describes. JPY is always worth 1 JPY, whatever the rows say. */
export function settingsFromForm(form: ScoringSettingsForm): ScoringSettings {
  const jpyPerUnit: Record<string, number> = { JPY: 1 }
  for (const row of form.tiers.rates) {
    if (row.currency && row.rate !== undefined && row.currency !== 'JPY') jpyPerUnit[row.currency] = row.rate
  }
  const dailyCaps: ScoringSettings['dailyCaps'] = {}
  for (const type of cappableTypes) {
    const cap = form.caps[type]
    if (cap !== undefined) dailyCaps[type] = cap
  }
  return {
    points: form.points,
    halfLifeDays: form.halfLifeDays,
    dailyCaps,
    levels: {
      thresholds: {
        participant: form.levels.participant,
        contributor: form.levels.contributor,
        champion: form.levels.champion,
      },
      demoteBelow: share(form.levels.demoteBelowPercent),
    },
    tiers: { currency: form.tiers.currency, highFrom: form.tiers.highFrom, lowFrom: form.tiers.lowFrom, jpyPerUnit },
    health: {
      bandScore: form.bandScore,
      overall: {
        goodFrom: form.overall.goodFrom,
        normalFrom: form.overall.normalFrom,
        minCoverage: share(form.overall.minCoveragePercent),
        margin: form.overall.margin,
        confirmDays: form.overall.confirmDays,
      },
      weights: form.weights,
      eventsWeightByTier: form.eventsWeightByTier,
      engagement: form.engagement,
      trend: {
        days: form.trend.days,
        badDeclineOver: share(form.trend.badDeclinePercent),
        normalDeclineOver: share(form.trend.normalDeclinePercent),
      },
      breadth: {
        days: form.breadth.days,
        goodFrom: share(form.breadth.goodFromPercent),
        normalFrom: share(form.breadth.normalFromPercent),
      },
      breadthChange: {
        agoDays: form.breadthChange.agoDays,
        badDeclineOver: share(form.breadthChange.badDeclinePercent),
        normalDeclineOver: share(form.breadthChange.normalDeclinePercent),
        minBaseline: form.breadthChange.minBaseline,
      },
      champions: {
        baselineDays: form.champions.baselineDays,
        silentDays: form.champions.silentDays,
        minShare: share(form.champions.minSharePercent),
        minPoints: form.champions.minPoints,
        normalFrom: share(form.champions.normalFromPercent),
        badFrom: share(form.champions.badFromPercent),
      },
      supportLoad: form.supportLoad,
      ticketSurge: form.ticketSurge,
      selfService: {
        days: form.selfService.days,
        goodFrom: share(form.selfService.goodFromPercent),
        normalFrom: share(form.selfService.normalFromPercent),
      },
      events: form.events,
      sentiment: {
        days: form.sentiment.days,
        halfLifeDays: form.sentiment.halfLifeDays,
        fullWeightAnswers: form.sentiment.fullWeightAnswers,
        goodFrom: form.sentiment.goodFrom,
        normalFrom: form.sentiment.normalFrom,
        detractorDays: form.sentiment.detractorDays,
        detractorMin: form.sentiment.detractorMin,
        detractorShare: share(form.sentiment.detractorSharePercent),
        detractorCap: form.sentiment.detractorCap,
      },
      onboarding: {
        youngerThanDays: form.onboarding.youngerThanDays,
        firstDays: form.onboarding.firstDays,
        milestoneDays: form.onboarding.milestoneDays,
        membersFrom: share(form.onboarding.membersFromPercent),
        activeDaysFrom: form.onboarding.activeDaysFrom,
      },
      silentDays: form.silentDays,
      holidays: {
        japan: form.holidays.japan,
        // Blank rows are dropped; the schema has refused half-filled ones.
        periods: form.holidays.periods.flatMap((row) =>
          row.from && row.to ? [{ from: row.from, to: row.to, label: row.label ?? '' }] : [],
        ),
      },
    },
    grossMargin: share(form.grossMarginPercent),
  }
}

/** The form's values for some settings: the inverse of `settingsFromForm`. */
export function formFromSettings(settings: ScoringSettings): ScoringSettingsForm {
  const h = settings.health
  return {
    points: settings.points,
    caps: Object.fromEntries(cappableTypes.map((type) => [type, settings.dailyCaps[type]])),
    halfLifeDays: settings.halfLifeDays,
    levels: { ...settings.levels.thresholds, demoteBelowPercent: asPercent(settings.levels.demoteBelow) },
    overall: {
      goodFrom: h.overall.goodFrom,
      normalFrom: h.overall.normalFrom,
      minCoveragePercent: asPercent(h.overall.minCoverage),
      margin: h.overall.margin,
      confirmDays: h.overall.confirmDays,
    },
    bandScore: h.bandScore,
    weights: h.weights,
    eventsWeightByTier: h.eventsWeightByTier,
    engagement: h.engagement,
    trend: {
      days: h.trend.days,
      badDeclinePercent: asPercent(h.trend.badDeclineOver),
      normalDeclinePercent: asPercent(h.trend.normalDeclineOver),
    },
    breadth: {
      days: h.breadth.days,
      goodFromPercent: asPercent(h.breadth.goodFrom),
      normalFromPercent: asPercent(h.breadth.normalFrom),
    },
    breadthChange: {
      agoDays: h.breadthChange.agoDays,
      badDeclinePercent: asPercent(h.breadthChange.badDeclineOver),
      normalDeclinePercent: asPercent(h.breadthChange.normalDeclineOver),
      minBaseline: h.breadthChange.minBaseline,
    },
    champions: {
      baselineDays: h.champions.baselineDays,
      silentDays: h.champions.silentDays,
      minSharePercent: asPercent(h.champions.minShare),
      minPoints: h.champions.minPoints,
      normalFromPercent: asPercent(h.champions.normalFrom),
      badFromPercent: asPercent(h.champions.badFrom),
    },
    supportLoad: h.supportLoad,
    ticketSurge: h.ticketSurge,
    selfService: {
      days: h.selfService.days,
      goodFromPercent: asPercent(h.selfService.goodFrom),
      normalFromPercent: asPercent(h.selfService.normalFrom),
    },
    events: h.events,
    sentiment: {
      days: h.sentiment.days,
      halfLifeDays: h.sentiment.halfLifeDays,
      fullWeightAnswers: h.sentiment.fullWeightAnswers,
      goodFrom: h.sentiment.goodFrom,
      normalFrom: h.sentiment.normalFrom,
      detractorDays: h.sentiment.detractorDays,
      detractorMin: h.sentiment.detractorMin,
      detractorSharePercent: asPercent(h.sentiment.detractorShare),
      detractorCap: h.sentiment.detractorCap,
    },
    onboarding: {
      youngerThanDays: h.onboarding.youngerThanDays,
      firstDays: h.onboarding.firstDays,
      milestoneDays: h.onboarding.milestoneDays,
      membersFromPercent: asPercent(h.onboarding.membersFrom),
      activeDaysFrom: h.onboarding.activeDaysFrom,
    },
    silentDays: h.silentDays,
    holidays: {
      japan: h.holidays.japan,
      periods: h.holidays.periods.map((period) => ({ ...period })),
    },
    tiers: {
      currency: settings.tiers.currency,
      highFrom: settings.tiers.highFrom,
      lowFrom: settings.tiers.lowFrom,
      rates: Object.entries(settings.tiers.jpyPerUnit)
        .filter(([currency]) => currency !== 'JPY')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, rate]) => ({ currency, rate })),
    },
    grossMarginPercent: asPercent(settings.grossMargin),
  }
}
