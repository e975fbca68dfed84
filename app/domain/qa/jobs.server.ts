import { sql } from 'drizzle-orm'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import type { Db } from '#db/client.server.ts'
import { questionViews } from '#db/schema/qa.ts'

/** Daily view rows only matter for today's de-duplication; older ones are dropped. */
export async function purgeQuestionViews(db: Db): Promise<number> {
  const deleted = await db
    .delete(questionViews)
    .where(sql`${questionViews.day} < current_date - 1`)
    .returning({ day: questionViews.day })
  return deleted.length
}

export const qaJobs: JobDefinition[] = [
  {
    name: 'qa.purge-views',
    handler: async (db) => {
      await purgeQuestionViews(db)
    },
    cron: '23 3 * * *',
  },
]
