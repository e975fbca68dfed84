import { addDays, daysBetween, utcDay } from '#app/lib/days.ts'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import type { Db } from '#db/client.server.ts'
import { notifyHealthChanges } from './crm.server.ts'
import { latestSnapshotDay, type RecomputeResult, recomputeScores } from './snapshots.server.ts'

export const DAILY_SCORES_JOB = 'scoring.daily'

/** The daily run: the day that just ended is recomputed with all of its activity, then today's
 *  snapshot is started, so the dashboards always have a snapshot of today. A day missed while the app
 *  was down (up to a week) is filled in first, so history has no holes. After today's snapshot the CRM
 *  is told about accounts whose level changed (`notifyHealthChanges`; once per change, so a retried
 *  run sends nothing twice). */
export async function runDailyScores(db: Db, now = new Date()): Promise<RecomputeResult[]> {
  const today = utcDay(now)
  const yesterday = addDays(today, -1)
  const latest = await latestSnapshotDay(db, today)
  // From the first day without a snapshot, at most a week back, and never later than yesterday.
  const firstMissing = latest ? addDays(latest, 1) : yesterday
  const weekAgo = addDays(today, -7)
  const from = firstMissing < weekAgo ? weekAgo : firstMissing > yesterday ? yesterday : firstMissing
  const results: RecomputeResult[] = []
  for (const day of daysBetween(from, today)) results.push(await recomputeScores(db, { day }))
  // Only today's snapshot: the CRM wants the current level. It is compared with the level the CRM was
  // last told, not with yesterday's, so a change on a day filled in above is not lost.
  const todays = results.at(-1)
  if (todays) await notifyHealthChanges(db, todays)
  return results
}

/** Register in app/server/boot.server.ts. One run at a time: a second one waits for the first. */
export const scoringJobs: JobDefinition[] = [
  {
    name: DAILY_SCORES_JOB,
    handler: async (db) => {
      await runDailyScores(db)
    },
    cron: '5 0 * * *',
    queue: { policy: 'singleton' },
    options: { retryLimit: 3, retryDelay: 300, expireInSeconds: 3600 },
  },
]
