import { and, asc, desc, eq, gte, isNotNull, lt, lte, ne, sql } from 'drizzle-orm'
import { helpSettings } from '#app/domain/help/review.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { isDay } from '#app/lib/days.ts'
import type { Locale } from '#app/lib/i18n.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { articleFeedback, articles, articleViews, helpCategories } from '#db/schema/help.ts'
import type { DayRange } from './periods.ts'

/** How many of an article's newest comments the insights show. */
export const LATEST_COMMENTS = 3

export type LatestComment = { comment: string; helpful: boolean; at: Date }

export type ArticleInsight = {
  id: number
  title: string
  slug: string
  locale: Locale
  categorySlug: string
  status: 'published' | 'archived'
  /** Every counted view since the article was written. */
  viewCount: number
  /** Counted views (one per reader per day) in the period; all of them without a period. */
  views: number
  uniqueReaders: number
  helpfulYes: number
  helpfulNo: number
  /** Rounded share of "yes" answers; null when nobody answered. */
  helpfulPercent: number | null
  latestComments: LatestComment[]
}

export type ReviewDue = {
  id: number
  title: string
  slug: string
  locale: Locale
  categorySlug: string
  /** When the article was last reviewed, or published (or written) when it never was. */
  lastReviewedAt: Date
}

export type HelpInsights = {
  period: DayRange | null
  articles: ArticleInsight[]
  needsReview: ReviewDue[]
  reviewAfterDays: number
}

/** What readers make of the help center, for staff with `help.insights`: per published or archived
 *  article, views, unique readers, "Was this helpful?" counts and the newest comments, worst first
 *  (lowest helpful share, then more "no" answers, then articles nobody answered, most read first).
 *  With a period, views, readers and feedback are those of the period (feedback by when it was last
 *  given). `needsReview` lists published articles not reviewed within the review interval, oldest
 *  first. A fixed number of queries, whatever the number of articles. */
export async function getHelpInsights(
  db: Db,
  { actor, from, to }: { actor: SessionUser; from?: string; to?: string },
): Promise<Outcome<HelpInsights>> {
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value && !isDay(value)) return fail(400, 'help_insights.validation.date_invalid', { field })
  }
  if (from && to && from > to) return fail(400, 'help_insights.validation.period_reversed', { field: 'to' })
  if (!can(actor, 'help.insights')) return fail(403, 'errors.forbidden')
  const period = from || to ? { from: from || null, to: to || null } : null
  const feedbackInPeriod = and(
    period?.from
      ? gte(articleFeedback.updatedAt, sql`(${period.from}::date)::timestamp at time zone 'UTC'`)
      : undefined,
    period?.to ? lt(articleFeedback.updatedAt, sql`(${period.to}::date + 1)::timestamp at time zone 'UTC'`) : undefined,
  )

  const viewStats = db
    .select({
      articleId: articleViews.articleId,
      views: sql<number>`count(*)`.as('views'),
      readers: sql<number>`count(distinct ${articleViews.reader})`.as('readers'),
    })
    .from(articleViews)
    .where(
      and(
        period?.from ? gte(articleViews.day, period.from) : undefined,
        period?.to ? lte(articleViews.day, period.to) : undefined,
      ),
    )
    .groupBy(articleViews.articleId)
    .as('view_stats')
  const feedbackStats = db
    .select({
      articleId: articleFeedback.articleId,
      yes: sql<number>`count(*) filter (where ${articleFeedback.helpful})`.as('yes'),
      no: sql<number>`count(*) filter (where not ${articleFeedback.helpful})`.as('no'),
    })
    .from(articleFeedback)
    .where(feedbackInPeriod)
    .groupBy(articleFeedback.articleId)
    .as('feedback_stats')

  const yes = sql<number>`coalesce(${feedbackStats.yes}, 0)`.mapWith(Number)
  const no = sql<number>`coalesce(${feedbackStats.no}, 0)`.mapWith(Number)
  const views = period ? sql<number>`coalesce(${viewStats.views}, 0)`.mapWith(Number) : articles.viewCount
  const rows = await db
    .select({
      id: articles.id,
      title: articles.title,
      slug: articles.slug,
      locale: articles.locale,
      categorySlug: helpCategories.slug,
      status: articles.status,
      viewCount: articles.viewCount,
      views,
      uniqueReaders: sql<number>`coalesce(${viewStats.readers}, 0)`.mapWith(Number),
      helpfulYes: yes,
      helpfulNo: no,
    })
    .from(articles)
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .leftJoin(viewStats, eq(viewStats.articleId, articles.id))
    .leftJoin(feedbackStats, eq(feedbackStats.articleId, articles.id))
    .where(ne(articles.status, 'draft'))
    .orderBy(
      // Articles with answers first, the lowest share of "yes" first; nulls (no answers) sort last.
      sql`${yes}::float / nullif(${yes} + ${no}, 0) asc nulls last`,
      desc(no),
      desc(views),
      asc(articles.id),
    )

  const comments = await latestComments(db, feedbackInPeriod)
  const commentsOf = new Map<number, LatestComment[]>()
  for (const { articleId, ...comment } of comments) {
    const list = commentsOf.get(articleId) ?? []
    list.push(comment)
    commentsOf.set(articleId, list)
  }

  const settings = await helpSettings(db)
  return ok({
    period,
    articles: rows.map((row) => ({
      ...row,
      status: row.status as ArticleInsight['status'],
      helpfulPercent:
        row.helpfulYes + row.helpfulNo === 0
          ? null
          : Math.round((100 * row.helpfulYes) / (row.helpfulYes + row.helpfulNo)),
      latestComments: commentsOf.get(row.id) ?? [],
    })),
    needsReview: await reviewsDue(db, settings.reviewAfterDays),
    reviewAfterDays: settings.reviewAfterDays,
  })
}

/** The newest comments of every non-draft article, at most LATEST_COMMENTS each, in one query. */
async function latestComments(db: Db, inPeriod: ReturnType<typeof and>) {
  const ranked = db
    .select({
      articleId: articleFeedback.articleId,
      comment: articleFeedback.comment,
      helpful: articleFeedback.helpful,
      at: articleFeedback.updatedAt,
      position: sql<number>`row_number() over (
        partition by ${articleFeedback.articleId}
        order by ${articleFeedback.updatedAt} desc, ${articleFeedback.id} desc)`.as('position'),
    })
    .from(articleFeedback)
    .innerJoin(articles, eq(articles.id, articleFeedback.articleId))
    .where(and(isNotNull(articleFeedback.comment), ne(articles.status, 'draft'), inPeriod))
    .as('ranked')
  const rows = await db
    .select({ articleId: ranked.articleId, comment: ranked.comment, helpful: ranked.helpful, at: ranked.at })
    .from(ranked)
    .where(lte(ranked.position, LATEST_COMMENTS))
    .orderBy(asc(ranked.articleId), asc(ranked.position))
  return rows.map((row) => ({ ...row, comment: row.comment ?? '', at: new Date(row.at) }))
}

/** Published articles not reviewed within `days`, the longest-waiting first. An article never reviewed
 *  counts from when it was published (or written). */
async function reviewsDue(db: Db, days: number): Promise<ReviewDue[]> {
  const lastReviewed = sql<Date>`coalesce(${articles.reviewedAt}, ${articles.publishedAt}, ${articles.createdAt})`
  const rows = await db
    .select({
      id: articles.id,
      title: articles.title,
      slug: articles.slug,
      locale: articles.locale,
      categorySlug: helpCategories.slug,
      lastReviewedAt: lastReviewed.mapWith(articles.reviewedAt),
    })
    .from(articles)
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .where(and(eq(articles.status, 'published'), lt(lastReviewed, sql`now() - make_interval(days => ${days}::int)`)))
    .orderBy(asc(lastReviewed), asc(articles.id))
  return rows.map((row) => ({ ...row, lastReviewedAt: new Date(row.lastReviewedAt) }))
}
