import { expect, test } from 'vitest'
import { insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { searchClicks, searchQueries } from '#db/schema/search.ts'
import { db } from '#tests/db.ts'
import { getSearchInsights } from './search.server.ts'

const DAY = 24 * 60 * 60 * 1000

type Seeded = { userId?: number | null; normalized: string; results: number; daysAgo: number; clicks?: number }

/** Stores searches as the search page would have, `clicks` distinct results opened on each. */
async function seed(now: Date, searches: Seeded[]) {
  for (const search of searches) {
    const at = new Date(now.getTime() - search.daysAgo * DAY)
    const [row] = await db
      .insert(searchQueries)
      .values({
        userId: search.userId ?? null,
        query: search.normalized,
        normalized: search.normalized,
        locale: 'en',
        resultCount: search.results,
        tookMs: 3,
        createdAt: at,
      })
      .returning({ id: searchQueries.id })
    for (let rank = 1; rank <= (search.clicks ?? 0); rank++) {
      const clickedAt = new Date(at.getTime() + rank * 60_000)
      await db
        .insert(searchClicks)
        .values({ queryId: row!.id, docType: 'question', docId: rank, rank, createdAt: clickedAt })
    }
  }
}

// Every test has a clock of its own, years apart, so the searches of one never fall in another's period.
async function insights(now: Date, days: number) {
  const outcome = await getSearchInsights(db, { actor: await insertStaff(db), days, now })
  if (!outcome.ok) throw new Error(outcome.code)
  return outcome.value
}

test('totals, top queries, content gaps and unclicked queries count the searches of the period', async () => {
  const now = new Date('2031-06-01T12:00:00Z')
  const [ann, ben] = [await insertUser(db), await insertUser(db)]
  await seed(now, [
    { userId: ann.id, normalized: 'csv export', results: 4, daysAgo: 1, clicks: 2 },
    { userId: ben.id, normalized: 'csv export', results: 6, daysAgo: 2, clicks: 1 },
    { userId: null, normalized: 'csv export', results: 5, daysAgo: 3 },
    { userId: ann.id, normalized: 'sso', results: 2, daysAgo: 4 },
    { userId: null, normalized: 'sso', results: 3, daysAgo: 5 },
    { userId: ben.id, normalized: '東京 ウェビナー', results: 0, daysAgo: 2 },
    { userId: null, normalized: '東京 ウェビナー', results: 0, daysAgo: 6 },
    { userId: ann.id, normalized: 'invoice pdf', results: 0, daysAgo: 1 },
    // Inside the 30-day period only.
    { userId: ben.id, normalized: 'invoice pdf', results: 3, daysAgo: 20, clicks: 1 },
    { userId: null, normalized: 'sso', results: 2, daysAgo: 25, clicks: 1 },
    // Outside every period, and in the future of this clock.
    { userId: ann.id, normalized: 'csv export', results: 4, daysAgo: 120, clicks: 1 },
    { userId: ann.id, normalized: 'csv export', results: 4, daysAgo: -1, clicks: 1 },
  ])

  const week = await insights(now, 7)
  expect(week.totals).toEqual({
    searches: 8,
    searchers: 2,
    visitorSearches: 3,
    // 2 of the 5 searches with results had a click.
    clickThroughRate: 2 / 5,
    zeroResultRate: 3 / 8,
  })
  expect(week.topQueries).toEqual([
    {
      normalized: 'csv export',
      searches: 3,
      avgResults: 5,
      clicks: 3,
      clickThroughRate: 2 / 3,
      lastSearchedAt: new Date(now.getTime() - DAY),
    },
    {
      normalized: '東京 ウェビナー',
      searches: 2,
      avgResults: 0,
      clicks: 0,
      clickThroughRate: null,
      lastSearchedAt: new Date(now.getTime() - 2 * DAY),
    },
    {
      normalized: 'sso',
      searches: 2,
      avgResults: 2.5,
      clicks: 0,
      clickThroughRate: 0,
      lastSearchedAt: new Date(now.getTime() - 4 * DAY),
    },
    {
      normalized: 'invoice pdf',
      searches: 1,
      avgResults: 0,
      clicks: 0,
      clickThroughRate: null,
      lastSearchedAt: new Date(now.getTime() - DAY),
    },
  ])
  expect(week.zeroResultQueries).toEqual([
    { normalized: '東京 ウェビナー', searches: 2, lastSearchedAt: new Date(now.getTime() - 2 * DAY) },
    { normalized: 'invoice pdf', searches: 1, lastSearchedAt: new Date(now.getTime() - DAY) },
  ])
  expect(week.unclickedQueries).toEqual([
    { normalized: 'sso', searches: 2, avgResults: 2.5, lastSearchedAt: new Date(now.getTime() - 4 * DAY) },
  ])

  const month = await insights(now, 30)
  expect(month.totals).toMatchObject({ searches: 10, searchers: 2, visitorSearches: 4, zeroResultRate: 3 / 10 })
  expect(month.totals.clickThroughRate).toBeCloseTo(4 / 7)
  expect(month.topQueries.map((row) => [row.normalized, row.searches, row.clicks])).toEqual([
    ['csv export', 3, 3],
    ['sso', 3, 1],
    ['invoice pdf', 2, 1],
    ['東京 ウェビナー', 2, 0],
  ])
  // A query that was opened once in the period no longer counts as never clicked.
  expect(month.unclickedQueries).toEqual([])
  expect(month.zeroResultQueries.map((row) => row.normalized)).toEqual(['東京 ウェビナー', 'invoice pdf'])
})

test('a period with no searches has zero totals, no rates and empty tables', async () => {
  const value = await insights(new Date('2035-01-01T00:00:00Z'), 90)
  expect(value.totals).toEqual({
    searches: 0,
    searchers: 0,
    visitorSearches: 0,
    clickThroughRate: null,
    zeroResultRate: null,
  })
  expect([value.topQueries, value.zeroResultQueries, value.unclickedQueries]).toEqual([[], [], []])
})

test('each table keeps its most searched rows, ties broken by the latest search', async () => {
  const now = new Date('2038-03-01T00:00:00Z')
  await seed(now, [
    { normalized: 'alpha', results: 0, daysAgo: 3 },
    { normalized: 'beta', results: 0, daysAgo: 1 },
    { normalized: 'gamma', results: 0, daysAgo: 2 },
    { normalized: 'gamma', results: 0, daysAgo: 2.5 },
  ])
  const outcome = await getSearchInsights(db, { actor: await insertStaff(db), days: 7, now, rows: 2 })
  expect(outcome.ok && outcome.value.zeroResultQueries.map((row) => row.normalized)).toEqual(['gamma', 'beta'])
})

test('only staff see search insights, and only for the offered periods', async () => {
  const member = await insertUser(db)
  expect(await getSearchInsights(db, { actor: member, days: 30 })).toMatchObject({ ok: false, status: 403 })
  const staff = await insertStaff(db)
  expect(await getSearchInsights(db, { actor: staff, days: 12 })).toMatchObject({
    ok: false,
    status: 400,
    code: 'search.insights.period_invalid',
  })
})
