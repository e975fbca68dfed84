import { and, eq } from 'drizzle-orm'
import { isStaffRole, type SessionUser } from '#app/domain/identity/permissions.ts'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import { type TouchTier, touchTierOf } from '#app/domain/scoring/tiers.ts'
import type { Db } from '#db/client.server.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { accounts } from '#db/schema/identity.ts'
import { type EventViewer, maySeeEvent, type VisibleEvent, visitorViewer } from './audience.ts'

/** The touch tier of a customer account under the current scoring settings (managers edit the rates
 *  and thresholds), or null when there is no such account. */
/** The columns `maySeeEvent` reads: select them with an event wherever its audience is checked. */
export const audienceColumns = {
  status: events.status,
  audience: events.audience,
  audienceTiers: events.audienceTiers,
  audienceAccountIds: events.audienceAccountIds,
}

export async function accountTouchTier(db: Db, accountId: number): Promise<TouchTier | null> {
  const [[account], settings] = await Promise.all([
    db
      .select({
        arrMinor: accounts.arrMinor,
        arrCurrency: accounts.arrCurrency,
        touchTierOverride: accounts.touchTierOverride,
      })
      .from(accounts)
      .where(eq(accounts.id, accountId)),
    readScoringSettings(db),
  ])
  return account ? touchTierOf(account, settings) : null
}

/** The signed-in user (or nobody) as event audiences see them. Staff need no lookup; a member's tier
 *  is read now, so a change of ARR or of the tier settings applies at once. */
export async function eventViewerOf(
  db: Db,
  user: Pick<SessionUser, 'id' | 'role' | 'accountId'> | null,
): Promise<EventViewer> {
  if (!user) return visitorViewer
  if (isStaffRole(user.role)) return { staff: true, userId: user.id, accountId: user.accountId, tier: null }
  const tier = user.accountId === null ? null : await accountTouchTier(db, user.accountId)
  return { staff: false, userId: user.id, accountId: user.accountId, tier }
}

/** `maySeeEvent` for one event, looking up the viewer's registration only when it decides. */
export async function viewerMaySeeEvent(
  db: Db,
  viewer: EventViewer,
  event: VisibleEvent & { id: number },
): Promise<boolean> {
  if (maySeeEvent(viewer, event, false)) return true
  if (viewer.userId === null || !maySeeEvent(viewer, event, true)) return false
  const [registration] = await db
    .select({ id: eventRegistrations.id })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.userId, viewer.userId)))
  return !!registration
}
