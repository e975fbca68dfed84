import { and, eq, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, type RateRule, waitParams } from '#app/lib/rate-limit.server.ts'
import { rememberToday, seenToday, today } from '#app/lib/seen-today.ts'
import type { Reader } from '#app/lib/visitor.server.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { articleFeedback, articles } from '#db/schema/help.ts'
import type { FeedbackInput } from './schemas.ts'

export type Feedback = { helpful: boolean; comment: string | null }

/** Anonymous answers per visitor id: generous for a person, tight for a script filling the form. */
export const anonymousFeedbackLimit: RateRule = { limit: 20, windowSeconds: 60 * 60 }

/** Counts a read of a published article once per reader per (UTC) day: the first read of the day adds
 *  an `article_views` row and one to `view_count` and, for a signed-in user, records `article_viewed`
 *  in the ledger; later reads that day change nothing. Drafts and archived articles (staff previews)
 *  are not counted. Returns whether this read was counted. */
export async function recordArticleView(
  db: Db,
  {
    articleId,
    reader,
    user,
    day = today(),
  }: { articleId: number; reader: Pick<Reader, 'key'>; user: SessionUser | null; day?: string },
): Promise<boolean> {
  const seenKey = `article:${articleId}:${reader.key}`
  if (seenToday(db, seenKey, day)) return false
  const counted = await db.transaction(async (tx) => {
    // One statement, so the count cannot drift from the rows under concurrent reads.
    const counted = rowsOf<{ id: number }>(
      await tx.execute(sql`
        with inserted as (
          insert into article_views (article_id, reader, day)
          select ${articles.id}, ${reader.key}, ${day}::date from ${articles}
          where ${articles.id} = ${articleId} and ${articles.status} = 'published'
          on conflict do nothing
          returning article_id
        )
        update ${articles} set view_count = view_count + 1
        where id in (select article_id from inserted)
        returning id`),
    )
    if (counted.length === 0) return false
    if (user) {
      await recordActivity(tx, {
        type: 'article_viewed',
        user,
        subject: { type: 'article', id: articleId },
        uniqueKey: `article_viewed:article:${articleId}:${user.id}:${day}`,
      })
    }
    return true
  })
  rememberToday(db, seenKey, day)
  return counted
}

/** Records a reader's "Was this helpful?" answer to a published article, once per reader (a user, or a
 *  visitor id): answering again replaces the answer. A comment replaces the earlier one; an answer
 *  without a comment keeps the earlier comment when the answer is unchanged (pressing "Yes" again),
 *  and drops it when the answer flips, because a comment explains the answer it came with. A signed-in
 *  user's feedback counts once in the ledger however often it changes. Visitors are rate-limited per
 *  visitor id (429). */
export async function giveFeedback(
  db: Db,
  {
    articleId,
    reader,
    user,
    input,
  }: { articleId: number; reader: Pick<Reader, 'key'>; user: SessionUser | null; input: FeedbackInput },
): Promise<Outcome<Feedback>> {
  const helpful = input.helpful === 'yes'
  const comment = input.comment?.trim() || null

  const [article] = await db.select({ status: articles.status }).from(articles).where(eq(articles.id, articleId))
  if (article?.status !== 'published') return fail(404, 'help_insights.article_not_found')

  if (!user) {
    const limit = await hitRateLimit(db, `help-feedback:${reader.key}`, anonymousFeedbackLimit)
    if (!limit.allowed) {
      return fail(429, 'errors.rate_limited', {
        params: waitParams(limit.retryAfterSeconds, 'minutes'),
      })
    }
  }

  return db.transaction(async (tx) => {
    const [saved] = await tx
      .insert(articleFeedback)
      .values({ articleId, reader: reader.key, userId: user?.id ?? null, helpful, comment })
      .onConflictDoUpdate({
        target: [articleFeedback.articleId, articleFeedback.reader],
        set: {
          helpful,
          comment: sql`case when excluded.comment is null and ${articleFeedback.helpful} = excluded.helpful
            then ${articleFeedback.comment} else excluded.comment end`,
          userId: user?.id ?? null,
          updatedAt: sql`now()`,
        },
      })
      .returning({ helpful: articleFeedback.helpful, comment: articleFeedback.comment })
    if (user) {
      await recordActivity(tx, {
        type: 'article_feedback',
        user,
        subject: { type: 'article', id: articleId },
        uniqueKey: `article_feedback:article:${articleId}:${user.id}`,
      })
    }
    return ok({ helpful: saved!.helpful, comment: saved!.comment })
  })
}

/** The reader's current answer to the article, or null when they have not answered. */
export async function feedbackOf(
  db: Db,
  { articleId, reader }: { articleId: number; reader: Pick<Reader, 'key'> },
): Promise<Feedback | null> {
  const [row] = await db
    .select({ helpful: articleFeedback.helpful, comment: articleFeedback.comment })
    .from(articleFeedback)
    .where(and(eq(articleFeedback.articleId, articleId), eq(articleFeedback.reader, reader.key)))
  return row ?? null
}
