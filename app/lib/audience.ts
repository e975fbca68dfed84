import { type Column, or, type SQL, sql } from 'drizzle-orm'

// The rule of a restricted audience, apart from what carries it: an event row (app/domain/events/audience.ts)
// and a search document (search/) store the same three things, and both ask the same question of a viewer.
// It lives here, below both, so the search engines need not know the events context.

/** A viewer as an audience sees them: staff see everything; a member brings their account and its
 *  current touch tier; a visitor brings nothing. */
export type AudienceViewer = { staff: boolean; accountId: number | null; tier: string | null }

export const visitorAudience: AudienceViewer = { staff: false, accountId: null, tier: null }

/** An audience: everyone, or (restricted) members of the listed accounts or of accounts in the listed tiers. */
export type Audience = {
  audience: 'everyone' | 'restricted'
  audienceTiers: readonly string[]
  audienceAccountIds: readonly number[]
}

/** Whether the viewer belongs to the audience. Staff always do, so they can attend and test. */
export function inAudience(viewer: AudienceViewer, target: Audience): boolean {
  if (viewer.staff || target.audience === 'everyone') return true
  if (viewer.accountId !== null && target.audienceAccountIds.includes(viewer.accountId)) return true
  return viewer.tier !== null && target.audienceTiers.includes(viewer.tier)
}

/** Where an audience is stored: the events table, or a search index row. */
export type AudienceColumns = { restricted: SQL | Column; accountIds: Column; tiers: Column }

/** `inAudience` as a condition over stored audience columns; undefined (no condition) for staff. */
export function audienceCondition(viewer: AudienceViewer, columns: AudienceColumns): SQL | undefined {
  if (viewer.staff) return undefined
  return or(
    sql`not (${columns.restricted})`,
    viewer.accountId !== null ? sql`${viewer.accountId}::int = any(${columns.accountIds})` : undefined,
    viewer.tier !== null ? sql`${viewer.tier}::text = any(${columns.tiers})` : undefined,
  )
}
