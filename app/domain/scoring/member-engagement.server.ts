import { type SQL, sql } from 'drizzle-orm'
import { activityTypes } from '#app/domain/activity/ledger.server.ts'
import { utcDay } from '#app/lib/days.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { horizonDays, levelFor, pointsFromWeighted } from './engagement.ts'
import { defaultScoringSettings, type MemberLevel, type ScoringSettings } from './settings.ts'

export type MemberEngagement = {
  points: number
  level: MemberLevel
  byType: Record<string, number>
  /** The member's account now (null for staff). */
  accountId?: number | null
  /** The last ledger row worth points within the horizon; null without one. */
  lastActiveAt?: Date | null
}

export type MemberEngagementOptions = {
  /** Only these users; each of them is in the result, with zero points if they did nothing. */
  userIds?: readonly number[]
  asOf?: Date
  settings?: ScoringSettings
  /** Levels held before (from the last snapshot), so demotion follows the hysteresis rule. */
  previousLevels?: ReadonlyMap<number, MemberLevel>
}

type WeightRow = {
  user_id: number
  account_id: number | null
  weights: Record<string, number> | string
  last_at: string | Date | null
}

/** Engagement points and level of members as of a moment, from the activity ledger, in one query for
 *  all the users at once. The database groups the rows worth points by user, type and UTC day, caps
 *  each day's count, decays it by the day's age and sums per type (the definition is the pure
 *  `weightedCounts`); points and levels are then the pure `pointsFromWeighted` and `levelFor`. Only the
 *  days whose signals still carry weight are read, and signals after `asOf` are ignored, so a recompute
 *  for a past date gives the same figures. */
export async function memberEngagement(
  db: Db,
  { userIds, asOf = new Date(), settings = defaultScoringSettings, previousLevels }: MemberEngagementOptions = {},
): Promise<Map<number, MemberEngagement>> {
  const result = new Map<number, MemberEngagement>()
  if (userIds && userIds.length === 0) return result

  const asOfDay = utcDay(asOf)
  const firstDay = new Date(Date.parse(`${asOfDay}T00:00:00Z`) - horizonDays(settings) * 86_400_000)
  const pointTypes = activityTypes.filter((type) => (settings.points[type] ?? 0) > 0)
  const rows =
    pointTypes.length === 0
      ? []
      : rowsOf<WeightRow>(
          await db.execute(sql`
            with daily as (
              select user_id, type, (occurred_at at time zone 'UTC')::date as day, count(*)::int as n,
                     max(occurred_at) as last_at
              from activity_events
              where ${userFilter(userIds)}
                and occurred_at >= ${firstDay.toISOString()}::timestamptz
                and occurred_at <= ${asOf.toISOString()}::timestamptz
                and type in ${pointTypes}
              group by 1, 2, 3
            ), typed as (
              select user_id, type, max(last_at) as last_at,
                     sum(least(n, coalesce((${JSON.stringify(settings.dailyCaps)}::jsonb ->> type)::int, n))
                         * power(0.5, greatest(0, ${asOfDay}::date - day)::float8 / ${settings.halfLifeDays}::float8)
                     ) as weight
              from daily
              group by 1, 2
            )
            select t.user_id, u.account_id, jsonb_object_agg(t.type, t.weight) as weights, max(t.last_at) as last_at
            from typed t
            join users u on u.id = t.user_id
            group by t.user_id, u.account_id`),
        )

  const set = (userId: number, entry: Omit<MemberEngagement, 'level'>) => {
    result.set(userId, { ...entry, level: levelFor(entry.points, settings, previousLevels?.get(userId)) })
  }
  for (const id of userIds ?? []) set(id, { points: 0, byType: {}, lastActiveAt: null })
  for (const row of rows) {
    const weights = typeof row.weights === 'string' ? JSON.parse(row.weights) : row.weights
    set(Number(row.user_id), {
      ...pointsFromWeighted(weights, settings),
      accountId: row.account_id === null ? null : Number(row.account_id),
      lastActiveAt: row.last_at ? new Date(row.last_at) : null,
    })
  }
  return result
}

function userFilter(userIds: readonly number[] | undefined): SQL {
  return userIds ? sql`user_id in ${[...userIds]}` : sql`user_id is not null`
}
