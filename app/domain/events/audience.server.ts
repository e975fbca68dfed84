import { eq } from 'drizzle-orm'
import { isStaffRole, type SessionUser } from '#app/domain/identity/permissions.ts'
import { defaultScoringSettings, type ScoringSettings } from '#app/domain/scoring/settings.ts'
import { type TouchTier, touchTierOf } from '#app/domain/scoring/tiers.ts'
import type { Db } from '#db/client.server.ts'
import { accounts } from '#db/schema/identity.ts'

type AudienceEvent = { audience: 'everyone' | 'restricted'; audienceTiers: string[]; audienceAccountIds: number[] }

/** Whether a member belongs to an event's audience: everyone, or (restricted) members of the chosen
 *  accounts or of accounts in the chosen touch tiers. Staff always do, so they can attend and test. */
export async function isInAudience(
  db: Db,
  user: Pick<SessionUser, 'role' | 'accountId'>,
  event: AudienceEvent,
  settings: ScoringSettings = defaultScoringSettings,
): Promise<boolean> {
  if (event.audience === 'everyone' || isStaffRole(user.role)) return true
  if (!user.accountId) return false
  if (event.audienceAccountIds.includes(user.accountId)) return true
  if (!event.audienceTiers.length) return false
  const tier = await accountTouchTier(db, user.accountId, settings)
  return !!tier && event.audienceTiers.includes(tier)
}

/** The touch tier of a customer account, or null when there is no such account. */
export async function accountTouchTier(
  db: Db,
  accountId: number,
  settings: ScoringSettings = defaultScoringSettings,
): Promise<TouchTier | null> {
  const [account] = await db
    .select({
      arrMinor: accounts.arrMinor,
      arrCurrency: accounts.arrCurrency,
      touchTierOverride: accounts.touchTierOverride,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId))
  return account ? touchTierOf(account, settings) : null
}
