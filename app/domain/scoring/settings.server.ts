import { z } from 'zod'
import { activityTypes } from '#app/domain/activity/activity-types.ts'
import { readSetting, writeSetting } from '#app/lib/settings.server.ts'
import type { Db } from '#db/client.server.ts'
import { defaultScoringSettings, healthMeasures, type ScoringSettings } from './settings.ts'

const nonNegative = z.number().finite().nonnegative()
const share = z.number().finite().min(0).max(1)
const days = z.number().int().min(1).max(730)

/** The whole scoring settings object, as stored. Managers edit it at /manage/settings; a stored value
 *  that no longer fits (a shape change) falls back to the defaults rather than breaking scoring. */
export const ScoringSettingsSchema = z.object({
  points: z.object(
    Object.fromEntries(activityTypes.map((type) => [type, nonNegative])) as Record<
      (typeof activityTypes)[number],
      typeof nonNegative
    >,
  ),
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
    overall: z.object({ goodFrom: nonNegative, normalFrom: nonNegative, minCoverage: share }),
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
    supportLoad: z.object({ days, goodUpTo: nonNegative, normalUpTo: nonNegative }),
    selfService: z.object({ days, goodFrom: share, normalFrom: share }),
    events: z.object({ days, goodFrom: nonNegative, normalFrom: nonNegative }),
    sentiment: z.object({
      days,
      minAnswers: z.number().int().min(1),
      goodFrom: z.number().min(-100).max(100),
      normalFrom: z.number().min(-100).max(100),
    }),
    onboarding: z.object({ youngerThanDays: days, firstDays: days }),
    silentDays: days,
  }),
}) satisfies z.ZodType<ScoringSettings>

export const SCORING_SETTINGS_KEY = 'scoring.settings'

export function readScoringSettings(db: Db): Promise<ScoringSettings> {
  return readSetting(
    db,
    SCORING_SETTINGS_KEY,
    ScoringSettingsSchema as z.ZodType<ScoringSettings>,
    defaultScoringSettings,
  )
}

/** Stores the scoring settings. Callers validate, check permission, audit and recompute. */
export function writeScoringSettings(db: Db, value: ScoringSettings, actorId: number) {
  return writeSetting(db, { key: SCORING_SETTINGS_KEY, value, actorId })
}
