import type { Db } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import type { ActivityType } from './activity-types.ts'

export { type ActivityType, activityTypes } from './activity-types.ts'

export type ActivityInput = {
  type: ActivityType
  /** The member credited; `id` is null only for signals of an account with no matching member (a
   *  ticket imported for an unknown requester of a known domain). */
  user: { id: number | null; accountId: number | null }
  subject?: { type: string; id: string | number }
  /** Defaults to `type:subjectType:subjectId:userId`: one signal per user per subject. */
  uniqueKey?: string
  occurredAt?: Date
}

/** Records one participation signal. Idempotent: a second call with the same unique key changes
 *  nothing and returns false. Call it inside the transaction of the action it records. */
export async function recordActivity(db: Db, input: ActivityInput): Promise<boolean> {
  const uniqueKey =
    input.uniqueKey ?? [input.type, input.subject?.type ?? '-', input.subject?.id ?? '-', input.user.id].join(':')
  const inserted = await db
    .insert(activityEvents)
    .values({
      type: input.type,
      userId: input.user.id,
      accountId: input.user.accountId,
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject ? String(input.subject.id) : null,
      uniqueKey,
      occurredAt: input.occurredAt ?? new Date(),
    })
    .onConflictDoNothing({ target: activityEvents.uniqueKey })
    .returning({ id: activityEvents.id })
  return inserted.length > 0
}

/** The day key of a visit: one `visit_day` per user per UTC calendar day. */
export function visitDayKey(userId: number, at: Date = new Date()): string {
  return `visit_day:${userId}:${at.toISOString().slice(0, 10)}`
}

const recordedVisits = new Map<number, string>()

/** Records today's visit once; repeated requests on the same day skip the database entirely. */
export async function recordVisitDay(db: Db, user: { id: number; accountId: number | null }): Promise<void> {
  const key = visitDayKey(user.id)
  if (recordedVisits.get(user.id) === key) return
  await recordActivity(db, { type: 'visit_day', user, uniqueKey: key })
  recordedVisits.set(user.id, key)
}
