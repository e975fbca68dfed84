import { sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { users } from '#db/schema/identity.ts'
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
 *  nothing and returns false. A member whose email address is not confirmed counts in no score, so
 *  their signals are not recorded (decided here, in the same statement, whoever calls). Call it inside
 *  the transaction of the action it records. */
export async function recordActivity(db: Db, input: ActivityInput): Promise<boolean> {
  const uniqueKey =
    input.uniqueKey ?? [input.type, input.subject?.type ?? '-', input.subject?.id ?? '-', input.user.id].join(':')
  const userId = input.user.id
  const inserted = await db.execute(sql`
    insert into ${activityEvents} (type, user_id, account_id, subject_type, subject_id, unique_key, occurred_at)
    select ${input.type}, ${userId}::int, ${input.user.accountId}::int, ${input.subject?.type ?? null}::text,
      ${input.subject ? String(input.subject.id) : null}::text, ${uniqueKey},
      ${(input.occurredAt ?? new Date()).toISOString()}::timestamptz
    where ${userId}::int is null
      or exists (select 1 from ${users} where ${users.id} = ${userId}::int and ${users.emailVerifiedAt} is not null)
    on conflict (unique_key) do nothing
    returning id`)
  return rowsOf(inserted).length > 0
}

/** The day key of a visit: one `visit_day` per user per UTC calendar day. */
export function visitDayKey(userId: number, at: Date = new Date()): string {
  return `visit_day:${userId}:${at.toISOString().slice(0, 10)}`
}

const recordedVisits = new Map<number, string>()

/** Records today's visit once; repeated requests on the same day skip the database entirely. A member
 *  who has not confirmed their address yet has no visits to count. */
export async function recordVisitDay(
  db: Db,
  user: { id: number; accountId: number | null; emailVerified: boolean },
): Promise<void> {
  if (!user.emailVerified) return
  const key = visitDayKey(user.id)
  if (recordedVisits.get(user.id) === key) return
  await recordActivity(db, { type: 'visit_day', user, uniqueKey: key })
  recordedVisits.set(user.id, key)
}
