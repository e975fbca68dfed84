import type { ActivityType } from '#app/domain/activity/activity-types.ts'
import { type MemberLevel, memberLevels, type ScoringSettings } from './settings.ts'

const DAY_MS = 86_400_000

/** Beyond this many half-lives a signal keeps under 0.03% of its worth, so the ledger query can stop
 *  there without changing any figure shown with one decimal. */
export const HORIZON_HALF_LIVES = 12

/** How many days back the ledger is read for engagement. */
export function horizonDays(settings: ScoringSettings): number {
  return Math.ceil(settings.halfLifeDays * HORIZON_HALF_LIVES)
}

/** The share of its worth a signal keeps after `ageDays`: 1 today, ½ after one half-life. Signals dated
 *  in the future count as today's. */
export function decayWeight(ageDays: number, halfLifeDays: number): number {
  return 0.5 ** (Math.max(0, ageDays) / halfLifeDays)
}

/** Points as shown: one decimal. */
export function roundPoints(points: number): number {
  return Math.round(points * 10) / 10
}

export type DailyActivity = { type: ActivityType; day: string; count: number }
export type MemberPoints = { points: number; byType: Record<string, number> }

/** Whole UTC days between a `YYYY-MM-DD` day and the UTC day of `asOf`. Days are the ledger's unit
 *  (caps are per day), so every signal of one day ages alike. */
function ageInDays(day: string, asOf: Date): number {
  const asOfDay = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate())
  return Math.round((asOfDay - Date.parse(`${day}T00:00:00Z`)) / DAY_MS)
}

/** Each type's ledger rows as points see them: every day's count capped for cheap signals, decayed by
 *  the day's age to `asOf`, and summed. Types worth no points are left out. This is the definition the
 *  ledger query (`memberEngagement`) computes in SQL for every member at once; a test on both drivers
 *  holds the two to the same figures. */
export function weightedCounts(
  rows: readonly DailyActivity[],
  asOf: Date,
  settings: ScoringSettings,
): Partial<Record<ActivityType, number>> {
  const weighted: Partial<Record<ActivityType, number>> = {}
  for (const row of rows) {
    if ((settings.points[row.type] ?? 0) === 0 || row.count <= 0) continue
    const cap = settings.dailyCaps[row.type]
    const counted = cap === undefined ? row.count : Math.min(row.count, cap)
    weighted[row.type] =
      (weighted[row.type] ?? 0) + counted * decayWeight(ageInDays(row.day, asOf), settings.halfLifeDays)
  }
  return weighted
}

/** Points from weighted counts: each type's weighted count times its points. The total and each type's
 *  share are rounded to one decimal, so what is shown is what levels are decided on. */
export function pointsFromWeighted(weighted: Partial<Record<string, number>>, settings: ScoringSettings): MemberPoints {
  const byType: Record<string, number> = {}
  let total = 0
  for (const [type, count] of Object.entries(weighted)) {
    const value = (count ?? 0) * (settings.points[type as ActivityType] ?? 0)
    if (value <= 0) continue
    byType[type] = roundPoints(value)
    total += value
  }
  return { points: roundPoints(total), byType }
}

/** A member's engagement points from their ledger rows grouped by type and day (caps, decay, points). */
export function memberPoints(rows: readonly DailyActivity[], asOf: Date, settings: ScoringSettings): MemberPoints {
  return pointsFromWeighted(weightedCounts(rows, asOf, settings), settings)
}

/** The points at which a level is reached; observer needs none. */
export function levelThreshold(level: MemberLevel, settings: ScoringSettings): number {
  return level === 'observer' ? 0 : settings.levels.thresholds[level]
}

/** The member level for some points. Promotion is immediate. Given the level held before, a member
 *  keeps it (and each level below it) until their points fall below `demoteBelow` × its threshold, so a
 *  member hovering around a threshold does not flap between two levels. */
export function levelFor(points: number, settings: ScoringSettings, previous?: MemberLevel): MemberLevel {
  const top = memberLevels.length - 1
  const reached = memberLevels.findLastIndex((level) => points >= levelThreshold(level, settings))
  const held = previous ? memberLevels.indexOf(previous) : -1
  if (held <= reached) return memberLevels[Math.max(reached, 0)]!
  for (let index = Math.min(held, top); index > reached; index--) {
    const level = memberLevels[index]!
    if (points >= settings.levels.demoteBelow * levelThreshold(level, settings)) return level
  }
  return memberLevels[Math.max(reached, 0)]!
}

/** The level after this one, or null at the top. */
export function nextLevel(level: MemberLevel): MemberLevel | null {
  return memberLevels[memberLevels.indexOf(level) + 1] ?? null
}

export type LevelProgress = {
  next: MemberLevel
  /** Points still needed to reach `next` ("12 points to contributor"). */
  remaining: number
  /** 0–1 of the way from the current level's threshold to the next one's, for a progress bar. */
  ratio: number
}

/** How far a member is from their next level; null at the top level. */
export function levelProgress(points: number, level: MemberLevel, settings: ScoringSettings): LevelProgress | null {
  const next = nextLevel(level)
  if (!next) return null
  const from = levelThreshold(level, settings)
  const to = levelThreshold(next, settings)
  const ratio = to > from ? (points - from) / (to - from) : 1
  return { next, remaining: roundPoints(Math.max(0, to - points)), ratio: Math.min(1, Math.max(0, ratio)) }
}
