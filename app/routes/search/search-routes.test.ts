import { count, eq } from 'drizzle-orm'
import { expect, test, vi } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { searchClicks, searchQueries } from '#db/schema/search.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { type SearchDocument, searchDocId } from '#search/engine.ts'
import { db } from '#tests/db.ts'
import { routeContext } from '#tests/route-harness.ts'
import { action as clickAction, loader as clickLoader } from './click.ts'
import { loader as searchLoader } from './index.tsx'
import { parseSearchParams, searchHref } from './params.ts'
import { loader as suggestLoader } from './suggest.ts'

function document(docId: number, title: string): SearchDocument {
  return {
    id: searchDocId('question', docId),
    type: 'question',
    docId,
    locale: 'en',
    title,
    body: `Body of ${title}`,
    answers: '',
    tags: ['routes'],
    category: null,
    url: `/questions/${docId}`,
    answerCount: 1,
    accepted: true,
    score: 1,
    startsAt: null,
    restricted: false,
    audienceAccountIds: [],
    audienceTiers: [],
    updatedAt: new Date(),
  }
}

type Loaded = Awaited<ReturnType<typeof searchLoader>>
type PageData = Exclude<Loaded, { init: unknown }>

async function searchPage(query: string, user: SessionUser | null = null): Promise<{ status: number; page: PageData }> {
  const request = new Request(`http://localhost/search?${query}`)
  const result: Loaded = await searchLoader({ request, context: routeContext(user), params: {} } as never)
  // A failure comes wrapped in data() with its status; a success is the page's data itself.
  if ('init' in result) return { status: result.init?.status ?? 200, page: result.data as PageData }
  return { status: 200, page: result }
}

function beacon(fields: Record<string, string>, user: SessionUser | null = null) {
  const body = new FormData()
  for (const [key, value] of Object.entries(fields)) body.set(key, value)
  const request = new Request('http://localhost/search/click', { method: 'POST', body })
  return clickAction({ request, context: routeContext(user), params: {} } as never)
}

async function searchesOf(userId: number) {
  const [row] = await db.select({ n: count() }).from(searchQueries).where(eq(searchQueries.userId, userId))
  return row!.n
}

test('query parameters that cannot be used are dropped, and filters stay with their kind', () => {
  const parse = (query: string) => parseSearchParams(new URLSearchParams(query))
  expect(parse('q=%20csv%20&type=book&tag=%20CSV%20Export&answered=maybe&page=-2')).toEqual({
    q: 'csv',
    type: undefined,
    tag: 'csv-export',
    answered: undefined,
    upcoming: undefined,
    page: 1,
  })
  expect(parse('q=x&type=question&answered=no&upcoming=yes&page=3')).toMatchObject({
    type: 'question',
    answered: 'no',
    upcoming: undefined,
    page: 3,
  })
  expect(parse('type=event&upcoming=yes&answered=yes')).toMatchObject({ upcoming: 'yes', answered: undefined })
  expect(parse(`q=${'a'.repeat(500)}`).q).toHaveLength(200)
  const params = parse('q=csv&type=question&tag=api&answered=yes&page=4')
  expect(searchHref(params, { type: 'article' })).toBe('/search?q=csv&type=article&tag=api')
  expect(searchHref(params, { tag: undefined })).toBe('/search?q=csv&type=question&answered=yes')
})

test('the search page records the search, offers click tracking and highlights; suggestions do not record', async () => {
  await new EmbeddedSearchEngine(db).upsert([document(9001, 'Routing webhooks to staging'), document(9002, 'Other')])
  const user = await insertUser(db)

  const { status, page } = await searchPage('q=webhooks&tag=routes', user)
  expect(status).toBe(200)
  expect(page.searched).toBe(true)
  expect(page.queryId).toEqual(expect.any(Number))
  expect(page.result.hits.map((hit) => hit.id)).toEqual(['question:9001'])
  expect(page.result.hits[0]!.highlights.title).toContainEqual({ text: 'webhooks', match: true })
  expect(await searchesOf(user.id)).toBe(1)

  const response = await suggestLoader({
    request: new Request('http://localhost/search/suggest?q=webhoo'),
    context: routeContext(user),
    params: {},
  } as never)
  expect(response.headers.get('Cache-Control')).toBe('private, max-age=30')
  const body = await response.json()
  expect(body.hits[0]).toMatchObject({ id: 'question:9001', type: 'question', url: '/questions/9001' })
  expect(body.hits[0].title.some((part: { match: boolean }) => part.match)).toBe(true)
  expect(await searchesOf(user.id)).toBe(1)

  // The click on the recorded search counts once; a malformed beacon is a 400.
  const fields = { queryId: String(page.queryId), doc: 'question:9001', rank: '1' }
  expect((await beacon(fields, user)).status).toBe(204)
  expect((await beacon(fields, user)).status).toBe(204)
  const clicks = await db.select().from(searchClicks).where(eq(searchClicks.queryId, page.queryId!))
  expect(clicks).toHaveLength(1)
  expect((await beacon({ ...fields, doc: 'nonsense' }, user)).status).toBe(400)
  expect((await beacon({ ...fields, rank: 'first' }, user)).status).toBe(400)
  expect(clickLoader().status).toBe(405)
})

test('a bare search page searches nothing; staff are offered the insights link', async () => {
  const { page } = await searchPage('', await insertStaff(db))
  expect(page).toMatchObject({ searched: false, canSeeInsights: true, queryId: null })
  expect((await searchPage('')).page.canSeeInsights).toBe(false)
})

test('search being down is a 503 with a translated message, for the page and for suggestions', async () => {
  vi.spyOn(EmbeddedSearchEngine.prototype, 'search').mockRejectedValue(new Error('engine down'))
  vi.spyOn(console, 'error').mockImplementation(() => {})
  const { status, page } = await searchPage('q=anything')
  expect(status).toBe(503)
  expect(page.error).toBe('Search is not available right now. Please try again in a moment.')
  const response = await suggestLoader({
    request: new Request('http://localhost/search/suggest?q=any'),
    context: routeContext(null),
    params: {},
  } as never)
  expect(response.status).toBe(503)
})
