import { eq } from 'drizzle-orm'
import { requireVerified } from '#app/domain/identity/email-verification.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { type OneTimeKey, REPLAY_WAIT_MS, replayOf } from '#app/lib/one-time-key.server.ts'
import { type Failure, fail } from '#app/lib/outcome.ts'
import { hitRateLimit, type RateRule, waitParams } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'

/** Trust limits on posting. New members (first day) get daily caps so a spammer's first hours are
 *  cheap to clean up; everyone waits a moment between posts. Staff are exempt. */
export const postingLimits = {
  newMemberHours: 24,
  newMemberQuestions: { limit: 3, windowSeconds: 24 * 60 * 60 },
  newMemberAnswers: { limit: 10, windowSeconds: 24 * 60 * 60 },
} satisfies Record<string, RateRule | number>

export type PostKind = 'question' | 'answer' | 'comment'

/** The pace between posts (POSTING_INTERVAL_SECONDS, 10 by default; comments wait half as long), or
 *  null when the operator turned it off. */
export function postingInterval(kind: PostKind): RateRule | null {
  const seconds = env().POSTING_INTERVAL_SECONDS
  if (seconds === 0) return null
  return { limit: 1, windowSeconds: kind === 'comment' ? Math.max(1, Math.ceil(seconds / 2)) : seconds }
}

/** Counts one post against the member's limits; a refusal is a 429 with a translated reason and the
 *  wait in its parameters (the route turns it into `Retry-After`). */
export async function checkPostingLimits(db: Db, user: SessionUser, kind: PostKind): Promise<Failure | null> {
  const unverified = requireVerified(user)
  if (unverified) return unverified
  if (user.role !== 'member') return null
  const interval = postingInterval(kind)
  if (interval) {
    const pace = await hitRateLimit(db, `post:${kind === 'comment' ? 'comment' : 'post'}:${user.id}`, interval)
    if (!pace.allowed) {
      return fail(429, 'qa.posting_too_fast', { params: waitParams(pace.retryAfterSeconds, 'seconds') })
    }
  }
  if (kind === 'comment') return null

  const [row] = await db.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, user.id))
  const isNew = !!row && Date.now() - row.createdAt.getTime() < postingLimits.newMemberHours * 60 * 60 * 1000
  if (!isNew) return null
  const rule = kind === 'question' ? postingLimits.newMemberQuestions : postingLimits.newMemberAnswers
  const daily = await hitRateLimit(db, `post:new:${kind}:${user.id}`, rule)
  if (!daily.allowed) {
    return fail(429, `qa.new_member_${kind}_limit`, {
      params: { count: rule.limit, seconds: daily.retryAfterSeconds, hours: Math.ceil(daily.retryAfterSeconds / 3600) },
    })
  }
  return null
}

/** What a refused post answers. A refusal that may be the second copy of a double click (its first
 *  copy counted against the pause a moment ago and may still be committing: docs/decisions/027) waits
 *  for that copy and is sent where it went; any other refusal answers at once. */
export async function refusedPost(db: Db, once: OneTimeKey | undefined, kind: PostKind, refusal: Failure) {
  if (!once) return refusal
  return (await replayOf(db, once, mayBeCopy(kind, refusal) ? REPLAY_WAIT_MS : 0)) || refusal
}

function mayBeCopy(kind: PostKind, refusal: Failure): boolean {
  // With no pause, a copy meets the first-day caps instead.
  if (refusal.code.startsWith('qa.new_member_')) return true
  if (refusal.code !== 'qa.posting_too_fast') return false
  // The pause started when the last post was counted: a copy's first is at most a moment old.
  const started = (postingInterval(kind)?.windowSeconds ?? 0) - Number(refusal.params?.seconds ?? 0)
  return started * 1000 <= REPLAY_WAIT_MS
}
