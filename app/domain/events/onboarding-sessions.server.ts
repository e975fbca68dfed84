import { and, asc, eq, gt } from 'drizzle-orm'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { Db } from '#db/client.server.ts'
import { events } from '#db/schema/events.ts'
import { eventViewerOf } from './audience.server.ts'
import { audienceSql } from './audience.ts'

/** The next published onboarding session (`events.onboarding`) that has not started and that the
 *  member may see (its audience): where the first-steps checklist sends a new member. Null when none
 *  is planned. */
export async function nextOnboardingSession(
  db: Db,
  { user, now = new Date() }: { user: Pick<SessionUser, 'id' | 'role' | 'accountId'>; now?: Date },
): Promise<{ id: number; title: string; startsAt: Date } | null> {
  const viewer = await eventViewerOf(db, user)
  const [next] = await db
    .select({ id: events.id, title: events.title, startsAt: events.startsAt })
    .from(events)
    .where(
      and(eq(events.onboarding, true), eq(events.status, 'published'), gt(events.startsAt, now), audienceSql(viewer)),
    )
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(1)
  return next ?? null
}
