import { z } from 'zod'
import { type ActivityType, activityTypes } from '#app/domain/activity/activity-types.ts'
import { messageWith } from '#app/lib/schema-text.ts'
import { type HealthMeasure, healthMeasures, type ScoringSettings } from './settings.ts'

/** The scoring settings as managers type them at /manage/settings: shares as percents (15, not 0.15),
 *  daily caps blank for "no cap", the currency rates as rows. One schema for the browser and the
 *  server (conform validates with it on both sides); `settingsFromForm` and `formFromSettings` convert. */

/** Activity types that a daily cap makes sense for (cheap, repeatable signals). */
export const cappableTypes = ['vote_cast', 'vote_received', 'article_viewed', 'visit_day', 'search_performed'] as const

/** Currency-rate rows offered on the form besides the stored ones, for adding a currency. */
export const SPARE_RATE_ROWS = 2

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
    overall: z.object({ goodFrom: percent, normalFrom: percent, minCoveragePercent: percent }),
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
    supportLoad: z.object({ days, goodUpTo: number(0, 100), normalUpTo: number(0, 100) }),
    selfService: z.object({ days, goodFromPercent: percent, normalFromPercent: percent }),
    events: z.object({ days, goodFrom: whole(0, 1000), normalFrom: whole(0, 1000) }),
    sentiment: z.object({
      days,
      minAnswers: whole(1, 1000),
      goodFrom: number(-100, 100),
      normalFrom: number(-100, 100),
    }),
    onboarding: z.object({ youngerThanDays: days, firstDays: days }),
    silentDays: days,
    tiers: z.object({
      currency: z
        .string({ error: 'validation.currency_invalid' })
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, 'validation.currency_invalid'),
      highFrom: number(0, 1e15),
      lowFrom: number(0, 1e15),
      rates: z.array(RateRow).max(40).default([]),
    }),
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
    ordered(value.onboarding.firstDays, value.onboarding.youngerThanDays, ['onboarding', 'youngerThanDays'])
    if (healthMeasures.every((measure) => value.weights[measure] === 0)) {
      ctx.addIssue({ code: 'custom', path: ['weights', 'engagement'], message: 'manage.settings.validation.weights' })
    }
    const seen = new Set<string>()
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
  })

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
      supportLoad: form.supportLoad,
      selfService: {
        days: form.selfService.days,
        goodFrom: share(form.selfService.goodFromPercent),
        normalFrom: share(form.selfService.normalFromPercent),
      },
      events: form.events,
      sentiment: form.sentiment,
      onboarding: form.onboarding,
      silentDays: form.silentDays,
    },
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
    supportLoad: h.supportLoad,
    selfService: {
      days: h.selfService.days,
      goodFromPercent: asPercent(h.selfService.goodFrom),
      normalFromPercent: asPercent(h.selfService.normalFrom),
    },
    events: h.events,
    sentiment: h.sentiment,
    onboarding: h.onboarding,
    silentDays: h.silentDays,
    tiers: {
      currency: settings.tiers.currency,
      highFrom: settings.tiers.highFrom,
      lowFrom: settings.tiers.lowFrom,
      rates: Object.entries(settings.tiers.jpyPerUnit)
        .filter(([currency]) => currency !== 'JPY')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, rate]) => ({ currency, rate })),
    },
  }
}
