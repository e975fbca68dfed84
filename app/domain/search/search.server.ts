import { and, asc, eq, gt, inArray, isNull, ne } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { eventViewerOf } from '#app/domain/events/audience.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { Locale } from '#app/lib/i18n.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { articlePath } from '#app/lib/paths.ts'
import type { Db } from '#db/client.server.ts'
import { articles, helpCategories } from '#db/schema/help.ts'
import { searchClicks, searchQueries } from '#db/schema/search.ts'
import { activeSearchEngine } from '#search/active.server.ts'
import {
  parseSearchDocId,
  type SearchDocType,
  type SearchFilters,
  type SearchHit,
  type SearchResult,
  searchLimits,
} from '#search/engine.ts'
import { normalizeQuery } from '#search/text.ts'
import type { OtherVersion } from './types.ts'

export type SearchRequest = {
  q: string
  types?: SearchDocType[]
  tag?: string
  /** Questions: true = answered (accepted answer), false = unanswered. */
  answered?: boolean
  upcoming?: boolean
  page?: number
  perPage?: number
}

export type SearchPage = {
  result: SearchResult
  page: number
  pageCount: number
  /** The recorded search, for click tracking; null when not recorded. */
  queryId: number | null
}

/** A repeat of the same search by the same person within this window is one search (a reload, the
 *  back button, a second page). */
const REPEAT_WINDOW_MINUTES = 10

/** Searches questions, articles and events for a reader. With `record`, a non-empty search (its first
 *  page; later pages reuse that record) is stored for search insights (user id only, no address) and credited as `search_performed`.
 *  The engine being unreachable is a 503 with a translated message, never a crash. */
export async function searchContent(
  db: Db,
  {
    request,
    user,
    locale,
    record = false,
    now = new Date(),
  }: { request: SearchRequest; user: SessionUser | null; locale: Locale; record?: boolean; now?: Date },
): Promise<Outcome<SearchPage>> {
  const q = request.q.trim().slice(0, searchLimits.maxQueryLength)
  const perPage = Math.min(request.perPage ?? searchLimits.defaultLimit, searchLimits.maxLimit)
  const page = Math.max(1, request.page ?? 1)
  const filters: SearchFilters = {
    tags: request.tag ? [request.tag] : undefined,
    answered: request.answered,
    upcoming: request.upcoming,
    // Restricted events reach the same people as their page: their audience and staff.
    audience: await eventViewerOf(db, user),
  }
  let result: SearchResult
  try {
    result = await activeSearchEngine(db).search({
      q,
      types: request.types,
      filters,
      locale,
      limit: perPage,
      offset: (page - 1) * perPage,
      now,
    })
  } catch (error) {
    console.error('[search]', error)
    return fail(503, 'search.errors.unavailable')
  }
  const queryId = record && q ? await recordSearch(db, { q, user, locale, request, result, now, page }) : null
  return ok({ result, page, pageCount: Math.max(1, Math.ceil(result.total / perPage)), queryId })
}

/** The other languages each hit exists in (`otherLocales`), with the address of that version where it is
 *  a published article: "also in 日本語" links to it. By hit id; a hit with no other version is left out.
 *  A language the index names but the database no longer has published (the index catching up) is
 *  named without a link. One query for the page's articles. */
export async function otherVersionsOf(db: Db, hits: SearchHit[]): Promise<Record<string, OtherVersion[]>> {
  // An index written before translation groups may leave `otherLocales` out.
  const grouped = hits.filter((hit) => (hit.otherLocales?.length ?? 0) > 0)
  const articleIds = grouped.filter((hit) => hit.type === 'article').map((hit) => hit.docId)
  const other = alias(articles, 'other')
  const rows = articleIds.length
    ? await db
        .select({ articleId: articles.id, locale: other.locale, slug: other.slug, categorySlug: helpCategories.slug })
        .from(articles)
        .innerJoin(other, and(eq(other.translationGroup, articles.translationGroup), ne(other.id, articles.id)))
        .innerJoin(helpCategories, eq(helpCategories.id, other.categoryId))
        .where(and(inArray(articles.id, articleIds), eq(other.status, 'published')))
        .orderBy(asc(other.locale))
    : []
  const versions: Record<string, OtherVersion[]> = {}
  for (const hit of grouped) {
    const found = rows.filter((row) => hit.type === 'article' && row.articleId === hit.docId)
    versions[hit.id] = hit.otherLocales.map((locale) => {
      const row = found.find((r) => r.locale === locale)
      return { locale, url: row ? articlePath(row) : null }
    })
  }
  return versions
}

async function recordSearch(
  db: Db,
  {
    q,
    user,
    locale,
    request,
    result,
    now,
    page,
  }: {
    q: string
    user: SessionUser | null
    locale: Locale
    request: SearchRequest
    result: SearchResult
    now: Date
    page: number
  },
): Promise<number | null> {
  const normalized = normalizeQuery(q)
  return db.transaction(async (tx) => {
    if (user) {
      const since = new Date(now.getTime() - REPEAT_WINDOW_MINUTES * 60_000)
      const [repeat] = await tx
        .select({ id: searchQueries.id })
        .from(searchQueries)
        .where(
          and(
            eq(searchQueries.userId, user.id),
            eq(searchQueries.normalized, normalized),
            gt(searchQueries.createdAt, since),
          ),
        )
        .limit(1)
      if (repeat) return repeat.id
    }
    // A later page is the same search: clicks on it count for the first page's record.
    if (page > 1) return null
    const [row] = await tx
      .insert(searchQueries)
      .values({
        userId: user?.id ?? null,
        query: q,
        normalized,
        locale,
        types: request.types ?? [],
        resultCount: result.total,
        tookMs: Math.round(result.tookMs),
        createdAt: now,
      })
      .returning({ id: searchQueries.id })
    if (!row) throw new Error('search_queries insert returned no row')
    if (user) {
      await recordActivity(tx, {
        type: 'search_performed',
        user,
        subject: { type: 'search', id: row.id },
        occurredAt: now,
      })
    }
    return row.id
  })
}

/** Notes that a result of a recorded search was opened. Counted once per result per search; a click
 *  on someone else's search, or on an unknown one, is ignored. */
export async function recordSearchClick(
  db: Db,
  { queryId, doc, rank, user }: { queryId: number; doc: string; rank: number; user: SessionUser | null },
): Promise<Outcome<{ recorded: boolean }>> {
  const parsed = parseSearchDocId(doc)
  if (!parsed || !Number.isSafeInteger(queryId) || !Number.isSafeInteger(rank) || rank < 1 || rank > 1000) {
    return fail(400, 'search.errors.bad_click')
  }
  const [query] = await db
    .select({ id: searchQueries.id })
    .from(searchQueries)
    .where(and(eq(searchQueries.id, queryId), user ? eq(searchQueries.userId, user.id) : isNull(searchQueries.userId)))
  if (!query) return ok({ recorded: false })
  const inserted = await db
    .insert(searchClicks)
    .values({ queryId, docType: parsed.type, docId: parsed.docId, rank })
    .onConflictDoNothing()
    .returning({ id: searchClicks.id })
  return ok({ recorded: inserted.length > 0 })
}
