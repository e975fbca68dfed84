import { and, count, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm'
import { type ActivityType, activityTypes } from '#app/domain/activity/ledger.server.ts'
import type { Db } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { type DailyActivity, horizonDays, levelFor, memberPoints } from './engagement.ts'
import { defaultScoringSettings, type MemberLevel, type ScoringSettings } from './settings.ts'

export type MemberEngagement = { points: number; level: MemberLevel; byType: Record<string, number> }

export type MemberEngagementOptions = {
  /** Only these users; each of them is in the result, with zero points if they did nothing. */
  userIds?: readonly number[]
  asOf?: Date
  settings?: ScoringSettings
  /** Levels held before (from the last snapshot), so demotion follows the hysteresis rule. */
  previousLevels?: ReadonlyMap<number, MemberLevel>
}

const knownTypes = new Set<string>(activityTypes)

/** Engagement points and level of members as of a moment, from the activity ledger. One grouped query
 *  (user, type, UTC day) over the days whose signals still carry weight, for all the users at once;
 *  the scoring itself is the pure `memberPoints`. Signals after `asOf` are ignored, so a recompute for
 *  a past date gives the same figures. */
export async function memberEngagement(
  db: Db,
  { userIds, asOf = new Date(), settings = defaultScoringSettings, previousLevels }: MemberEngagementOptions = {},
): Promise<Map<number, MemberEngagement>> {
  const result = new Map<number, MemberEngagement>()
  if (userIds && userIds.length === 0) return result

  const firstDay = new Date(
    Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate()) - horizonDays(settings) * 86_400_000,
  )
  const day = sql<string>`to_char(${activityEvents.occurredAt} at time zone 'UTC', 'YYYY-MM-DD')`
  const rows = await db
    .select({ userId: activityEvents.userId, type: activityEvents.type, day, count: count() })
    .from(activityEvents)
    .where(
      and(
        userIds ? inArray(activityEvents.userId, [...userIds]) : isNotNull(activityEvents.userId),
        gte(activityEvents.occurredAt, firstDay),
        lte(activityEvents.occurredAt, asOf),
      ),
    )
    .groupBy(activityEvents.userId, activityEvents.type, day)

  const perUser = new Map<number, DailyActivity[]>((userIds ?? []).map((id) => [id, []]))
  for (const row of rows) {
    if (row.userId === null || !knownTypes.has(row.type)) continue
    const list = perUser.get(row.userId) ?? []
    list.push({ type: row.type as ActivityType, day: row.day, count: row.count })
    perUser.set(row.userId, list)
  }
  for (const [userId, activity] of perUser) {
    const { points, byType } = memberPoints(activity, asOf, settings)
    result.set(userId, { points, byType, level: levelFor(points, settings, previousLevels?.get(userId)) })
  }
  return result
}
