import { and, asc, desc, eq, gt, lte, sql } from 'drizzle-orm'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { searchClicks, searchQueries } from '#db/schema/search.ts'
import { INSIGHT_ROWS, type InsightPeriod, insightPeriods, isOfferedPeriod, lastDays } from './periods.ts'

export type SearchTotals = {
  searches: number
  /** Distinct signed-in searchers; visitors cannot be told apart, so they are counted apart. */
  searchers: number
  visitorSearches: number
  /** Share (0–1) of searches with results in which a result was opened; null with no such search. */
  clickThroughRate: number | null
  /** Share (0–1) of searches that found nothing; null with no search. */
  zeroResultRate: number | null
}

export type TopQuery = {
  normalized: string
  searches: number
  /** Mean number of results, to one decimal. */
  avgResults: number
  clicks: number
  clickThroughRate: number | null
  lastSearchedAt: Date
}

export type ZeroResultQuery = { normalized: string; searches: number; lastSearchedAt: Date }

export type UnclickedQuery = { normalized: string; searches: number; avgResults: number; lastSearchedAt: Date }

export type SearchInsights = {
  days: InsightPeriod
  since: Date
  until: Date
  totals: SearchTotals
  topQueries: TopQuery[]
  zeroResultQueries: ZeroResultQuery[]
  unclickedQueries: UnclickedQuery[]
}

/** What people search for, for staff with `search.insights`, over the last `days` days: totals, the
 *  most frequent queries, queries that found nothing (content gaps) and queries whose results nobody
 *  opened. Queries are grouped by their normalised text. Four grouped queries, whatever the volume. */
export async function getSearchInsights(
  db: Db,
  {
    actor,
    days,
    now = new Date(),
    rows = INSIGHT_ROWS,
  }: { actor: SessionUser; days: number; now?: Date; rows?: number },
): Promise<Outcome<SearchInsights>> {
  if (!can(actor, 'search.insights')) return fail(403, 'errors.forbidden')
  if (!isOfferedPeriod(days, insightPeriods)) return fail(400, 'search.insights.period_invalid', { field: 'days' })
  // The searches of (since, now]: a search at the very instant the period starts belongs to the one before.
  const since = lastDays(days, now).from

  // Clicks can only follow their search, so those before the period need not be read.
  const clicksPerSearch = db
    .select({ queryId: searchClicks.queryId, clicks: sql<number>`count(*)::int`.as('clicks') })
    .from(searchClicks)
    .where(gt(searchClicks.createdAt, since))
    .groupBy(searchClicks.queryId)
    .as('clicks_per_search')
  // The period's searches, each with the number of its results that were opened.
  const windowed = db
    .select({
      userId: searchQueries.userId,
      normalized: searchQueries.normalized,
      resultCount: searchQueries.resultCount,
      createdAt: searchQueries.createdAt,
      clicks: sql<number>`coalesce(${clicksPerSearch.clicks}, 0)`.as('clicks'),
    })
    .from(searchQueries)
    .leftJoin(clicksPerSearch, eq(clicksPerSearch.queryId, searchQueries.id))
    .where(and(gt(searchQueries.createdAt, since), lte(searchQueries.createdAt, now)))
    .as('windowed')

  const searches = sql<number>`count(*)::int`.mapWith(Number)
  const withResults = sql<number>`(count(*) filter (where ${windowed.resultCount} > 0))::int`.mapWith(Number)
  const clicked = sql<number>`(count(*) filter (where ${windowed.clicks} > 0))::int`.mapWith(Number)
  const clicks = sql<number>`coalesce(sum(${windowed.clicks}), 0)::int`.mapWith(Number)
  const avgResults = sql<number>`round(avg(${windowed.resultCount}), 1)::float8`.mapWith(Number)
  const lastSearchedAt = sql<Date>`max(${windowed.createdAt})`.mapWith(searchQueries.createdAt)

  const [totalsRows, topRows, zeroRows, unclickedRows] = await Promise.all([
    db
      .select({
        searches,
        searchers: sql<number>`count(distinct ${windowed.userId})::int`.mapWith(Number),
        visitorSearches: sql<number>`(count(*) filter (where ${windowed.userId} is null))::int`.mapWith(Number),
        zeroResults: sql<number>`(count(*) filter (where ${windowed.resultCount} = 0))::int`.mapWith(Number),
        withResults,
        clicked,
      })
      .from(windowed),
    db
      .select({ normalized: windowed.normalized, searches, avgResults, clicks, withResults, clicked, lastSearchedAt })
      .from(windowed)
      .groupBy(windowed.normalized)
      .orderBy(desc(searches), desc(lastSearchedAt), asc(windowed.normalized))
      .limit(rows),
    db
      .select({ normalized: windowed.normalized, searches, lastSearchedAt })
      .from(windowed)
      .where(eq(windowed.resultCount, 0))
      .groupBy(windowed.normalized)
      .orderBy(desc(searches), desc(lastSearchedAt), asc(windowed.normalized))
      .limit(rows),
    db
      .select({ normalized: windowed.normalized, searches, avgResults, lastSearchedAt })
      .from(windowed)
      .where(gt(windowed.resultCount, 0))
      .groupBy(windowed.normalized)
      .having(sql`sum(${windowed.clicks}) = 0`)
      .orderBy(desc(searches), desc(lastSearchedAt), asc(windowed.normalized))
      .limit(rows),
  ])

  const totals = totalsRows[0] ?? {
    searches: 0,
    searchers: 0,
    visitorSearches: 0,
    zeroResults: 0,
    withResults: 0,
    clicked: 0,
  }
  return ok({
    days,
    since,
    until: now,
    totals: {
      searches: totals.searches,
      searchers: totals.searchers,
      visitorSearches: totals.visitorSearches,
      clickThroughRate: share(totals.clicked, totals.withResults),
      zeroResultRate: share(totals.zeroResults, totals.searches),
    },
    topQueries: topRows.map(({ withResults, clicked, ...row }) => ({
      ...row,
      lastSearchedAt: new Date(row.lastSearchedAt),
      clickThroughRate: share(clicked, withResults),
    })),
    zeroResultQueries: zeroRows.map((row) => ({ ...row, lastSearchedAt: new Date(row.lastSearchedAt) })),
    unclickedQueries: unclickedRows.map((row) => ({ ...row, lastSearchedAt: new Date(row.lastSearchedAt) })),
  })
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole
}
