import { z } from 'zod'
import { activityTypes } from '#app/domain/activity/activity-types.ts'
import { readSetting, writeSetting } from '#app/lib/settings.server.ts'
import type { Db } from '#db/client.server.ts'
import { defaultScoringSettings, healthMeasures, type ScoringSettings } from './settings.ts'

const nonNegative = z.number().finite().nonnegative()
const share = z.number().finite().min(0).max(1)
const days = z.number().int().min(1).max(730)
const monthDay = z.string().regex(/^(\d{4}-)?\d{2}-\d{2}$/)

/** The whole scoring settings object, as stored. Managers edit it at /manage/settings; a stored value
 *  that no longer fits (a shape change) falls back to the defaults rather than breaking scoring. */
export const ScoringSettingsSchema = z.object({
  points: z.object({
    ...(Object.fromEntries(activityTypes.map((type) => [type, nonNegative])) as Record<
      (typeof activityTypes)[number],
      typeof nonNegative
    >),
    // Added after settings were first stored: a stored value without it keeps the manager's points.
    profile_completed: nonNegative.default(0),
  }),
  halfLifeDays: days,
  dailyCaps: z.partialRecord(z.enum(activityTypes), z.number().int().min(1).max(1000)),
  levels: z.object({
    thresholds: z.object({ participant: nonNegative, contributor: nonNegative, champion: nonNegative }),
    demoteBelow: share,
  }),
  tiers: z.object({
    currency: z.string().regex(/^[A-Z]{3}$/),
    highFrom: nonNegative,
    lowFrom: nonNegative,
    jpyPerUnit: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().finite().positive()),
  }),
  health: z.object({
    bandScore: z.object({ GOOD: nonNegative, NORMAL: nonNegative, BAD: nonNegative }),
    overall: z.object({
      goodFrom: nonNegative,
      normalFrom: nonNegative,
      minCoverage: share,
      margin: z.number().finite().min(0).max(50),
      confirmDays: z.number().int().min(1).max(60),
    }),
    weights: z.object(
      Object.fromEntries(healthMeasures.map((m) => [m, nonNegative])) as Record<
        (typeof healthMeasures)[number],
        typeof nonNegative
      >,
    ),
    eventsWeightByTier: z.object({ high: nonNegative, low: nonNegative, tech: nonNegative }),
    engagement: z.object({
      goodFromPercentile: z.number().min(0).max(100),
      normalFromPercentile: z.number().min(0).max(100),
    }),
    trend: z.object({ days, badDeclineOver: share, normalDeclineOver: share }),
    breadth: z.object({ days, goodFrom: share, normalFrom: share }),
    breadthChange: z.object({
      agoDays: days,
      badDeclineOver: share,
      normalDeclineOver: share,
      minBaseline: z.number().int().min(1).max(100_000),
    }),
    champions: z.object({
      baselineDays: days,
      silentDays: days,
      minShare: share,
      minPoints: nonNegative,
      normalFrom: share,
      badFrom: share,
    }),
    supportLoad: z.object({ days, goodUpTo: nonNegative, normalUpTo: nonNegative }),
    ticketSurge: z.object({
      days,
      baselineDays: days,
      goodUpTo: nonNegative,
      normalUpTo: nonNegative,
      minTickets: z.number().int().min(1).max(100_000),
    }),
    selfService: z.object({ days, goodFrom: share, normalFrom: share }),
    events: z.object({ days, goodFrom: nonNegative, normalFrom: nonNegative }),
    sentiment: z.object({
      days,
      halfLifeDays: days,
      fullWeightAnswers: z.number().int().min(1).max(1000),
      goodFrom: z.number().min(-100).max(100),
      normalFrom: z.number().min(-100).max(100),
      detractorDays: days,
      detractorMin: z.number().int().min(1).max(1000),
      detractorShare: share,
      detractorCap: z.enum(['NORMAL', 'BAD']),
    }),
    onboarding: z.object({
      youngerThanDays: days,
      firstDays: days,
      milestoneDays: days,
      membersFrom: share,
      activeDaysFrom: z.number().int().min(0).max(730),
    }),
    silentDays: days,
    holidays: z.object({
      japan: z.boolean(),
      periods: z.array(z.object({ from: monthDay, to: monthDay, label: z.string().max(80) })).max(40),
    }),
  }),
  grossMargin: share,
}) satisfies z.ZodType<ScoringSettings>

export const SCORING_SETTINGS_KEY = 'scoring.settings'

/** The stored settings laid over the defaults, object by object: settings stored before a measure or
 *  a setting existed keep every value a manager chose and take the default for what is new. Arrays and
 *  records (holiday periods, currency rates, daily caps) are taken whole from the stored value. */
export function withDefaults(stored: unknown, defaults: unknown = defaultScoringSettings): unknown {
  if (!isPlainObject(stored) || !isPlainObject(defaults)) return stored === undefined ? defaults : stored
  const merged: Record<string, unknown> = { ...stored }
  for (const [key, value] of Object.entries(defaults)) {
    if (!(key in stored)) merged[key] = value
    else if (isPlainObject(value) && !openRecords.has(key)) merged[key] = withDefaults(stored[key], value)
  }
  return merged
}

/** Objects whose keys are data (a currency, an activity type), taken whole rather than merged. */
const openRecords = new Set(['jpyPerUnit', 'dailyCaps'])

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const StoredScoringSettings = z.preprocess((value) => withDefaults(value), ScoringSettingsSchema)

export function readScoringSettings(db: Db): Promise<ScoringSettings> {
  return readSetting(
    db,
    SCORING_SETTINGS_KEY,
    StoredScoringSettings as unknown as z.ZodType<ScoringSettings>,
    defaultScoringSettings,
  )
}

/** Stores the scoring settings. Callers validate, check permission, audit and recompute. */
export function writeScoringSettings(db: Db, value: ScoringSettings, actorId: number) {
  return writeSetting(db, { key: SCORING_SETTINGS_KEY, value, actorId })
}
