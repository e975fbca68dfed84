import { and, desc, eq, lt } from 'drizzle-orm'
import { utcDay } from '#app/lib/days.ts'
import type { Db } from '#db/client.server.ts'
import { userScores } from '#db/schema/scoring.ts'
import { type MemberEngagement, memberEngagement } from './member-engagement.server.ts'
import { readScoringSettings } from './settings.server.ts'
import type { ScoringSettings } from './settings.ts'

/** One member's engagement now, as their profile shows it: computed live from the ledger with the
 *  managers' current settings, and with the level held in the latest snapshot before today as the
 *  previous level, so the profile and the snapshots agree on hysteresis (a member just under a
 *  threshold keeps the level the snapshots gave them). */
export async function currentMemberEngagement(
  db: Db,
  { userId, asOf = new Date(), settings }: { userId: number; asOf?: Date; settings?: ScoringSettings },
): Promise<MemberEngagement & { settings: ScoringSettings }> {
  const [scoring, [previous]] = await Promise.all([
    settings ?? readScoringSettings(db),
    db
      .select({ level: userScores.level })
      .from(userScores)
      .where(and(eq(userScores.userId, userId), lt(userScores.asOf, utcDay(asOf))))
      .orderBy(desc(userScores.asOf))
      .limit(1),
  ])
  const result = await memberEngagement(db, {
    userIds: [userId],
    asOf,
    settings: scoring,
    previousLevels: previous ? new Map([[userId, previous.level]]) : undefined,
  })
  const mine = result.get(userId) ?? { points: 0, level: 'observer' as const, byType: {} }
  return { ...mine, settings: scoring }
}
