import { lt } from 'drizzle-orm'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import { purgeOneTimeKeys } from '#app/lib/one-time-key.server.ts'
import type { Db } from '#db/client.server.ts'
import { passwordResetTokens, rateLimits, sessions } from '#db/schema/identity.ts'

export type PurgeReport = { sessions: number; resetTokens: number; rateLimits: number }

/** Deletes what can no longer be used: expired sessions, reset tokens a day past expiry, and rate-limit
 *  windows that ended more than a day ago (the longest window is an hour). Idempotent. */
export async function purgeExpired(db: Db, now: Date = new Date()): Promise<PurgeReport> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000)
  const [ended, tokens, limits] = await Promise.all([
    db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id }),
    db
      .delete(passwordResetTokens)
      .where(lt(passwordResetTokens.expiresAt, dayAgo))
      .returning({ id: passwordResetTokens.id }),
    db.delete(rateLimits).where(lt(rateLimits.windowStart, dayAgo)).returning({ key: rateLimits.key }),
  ])
  return { sessions: ended.length, resetTokens: tokens.length, rateLimits: limits.length }
}

export const identityJobs: JobDefinition[] = [
  {
    name: 'identity.purge-expired',
    handler: async (db) => {
      await purgeExpired(db)
      await purgeOneTimeKeys(db)
    },
    cron: '17 * * * *',
  },
]
