import { and, eq, inArray, sql } from 'drizzle-orm'
import { z } from 'zod'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { readSetting, writeSetting } from '#app/lib/settings.server.ts'
import type { Db } from '#db/client.server.ts'
import { articles } from '#db/schema/help.ts'
import { REVIEW_AFTER_DAYS_MAX, REVIEW_AFTER_DAYS_MIN } from './schemas.ts'

/** Keeping articles reviewed: the interval after which a published article needs review, and marking
 *  one reviewed. The list of articles due is a report (`reporting/help.server.ts`). */

export const REVIEW_AFTER_DAYS_KEY = 'help.review_after_days'
export const REVIEW_AFTER_DAYS_DEFAULT = 180

const ReviewAfterDays = z.number().int().min(REVIEW_AFTER_DAYS_MIN).max(REVIEW_AFTER_DAYS_MAX)

export type HelpSettings = { reviewAfterDays: number }

/** The help center's settings, with defaults for those nobody changed. */
export async function helpSettings(db: Db): Promise<HelpSettings> {
  return {
    reviewAfterDays: await readSetting(db, REVIEW_AFTER_DAYS_KEY, ReviewAfterDays, REVIEW_AFTER_DAYS_DEFAULT),
  }
}

/** Changes after how many days without review a published article is listed as needing review
 *  (30–730). Staff with `help.insights`; audited with the old and new value. */
export async function setReviewInterval(
  db: Db,
  { actor, days }: { actor: SessionUser; days: number },
): Promise<Outcome<HelpSettings>> {
  if (!ReviewAfterDays.safeParse(days).success) {
    return fail(400, 'help_insights.validation.interval_range', { field: 'days' })
  }
  if (!can(actor, 'help.insights')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const before = await helpSettings(tx)
    await writeSetting(tx, { key: REVIEW_AFTER_DAYS_KEY, value: days, actorId: actor.id })
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'help.review_interval_changed',
      targetType: 'setting',
      targetId: REVIEW_AFTER_DAYS_KEY,
      details: { from: before.reviewAfterDays, to: days },
    })
    return ok({ reviewAfterDays: days })
  })
}

/** Marks an article as reviewed now, which takes it off the "needs review" list for another interval.
 *  Staff with `help.insights`; drafts cannot be marked (404); audited. */
export async function markReviewed(
  db: Db,
  { actor, articleId }: { actor: SessionUser; articleId: number },
): Promise<Outcome<{ reviewedAt: Date }>> {
  if (!can(actor, 'help.insights')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const [article] = await tx
      .update(articles)
      .set({ reviewedAt: sql`now()` })
      .where(and(eq(articles.id, articleId), inArray(articles.status, ['published', 'archived'])))
      .returning({ reviewedAt: articles.reviewedAt })
    if (!article?.reviewedAt) return fail(404, 'help_insights.article_not_found')
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'help.article_reviewed',
      targetType: 'article',
      targetId: articleId,
    })
    return ok({ reviewedAt: article.reviewedAt })
  })
}
