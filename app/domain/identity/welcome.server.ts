import { eq } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { sessions, users } from '#db/schema/identity.ts'

/** How long after signing up a session still counts as the member's first visit. */
const FIRST_VISIT_MS = 24 * 3_600_000

/** A member's first visit: a session that began on the day they signed up (confirming the address
 *  signs them in), or any visit before they confirmed it (they have not finished joining). A session
 *  begun later, when they sign in again, is a return visit. */
export async function isFirstVisit(db: Db, { sessionId }: { sessionId: string }): Promise<boolean> {
  const [row] = await db
    .select({ startedAt: sessions.createdAt, joinedAt: users.createdAt, verifiedAt: users.emailVerifiedAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sessionId))
  if (!row) return false
  if (!row.verifiedAt) return true
  return row.startedAt.getTime() - row.joinedAt.getTime() < FIRST_VISIT_MS
}
