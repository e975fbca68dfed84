import { count, eq } from 'drizzle-orm'
import { expect, test, vi } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { otherVersionsOf } from '#app/domain/search/search.server.ts'
import { insertArticle, insertCategory, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { searchClicks, searchQueries, searchSynonyms } from '#db/schema/search.ts'
import { loadSearchDocuments } from '#search/documents.server.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { type SearchDocument, type SearchHit, searchDocId } from '#search/engine.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { action as clickAction, loader as clickLoader } from './click.ts'
import { loader as searchLoader } from './index.tsx'
import { action as insightsAction, loader as insightsLoader } from './insights.tsx'
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
    group: searchDocId('question', docId),
    otherLocales: [],
    translations: '',
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

test('a hit names the other languages it exists in, with the address of each published version', async () => {
  const category = await insertCategory(db)
  const ja = await insertArticle(db, {
    category,
    locale: 'ja',
    title: 'ゾルテックス連携の解約',
    bodyMd: '解約の手順。',
  })
  const en = await insertArticle(db, {
    category,
    locale: 'en',
    translationGroup: ja.id,
    title: 'Cancel the Zoltex integration',
    bodyMd: 'How to cancel.',
  })
  // A draft version is not offered; a language the index names but the database has no published
  // version of (the index catching up) is named without a link.
  const alone = await insertArticle(db, { category, locale: 'en', title: 'Zoltex billing' })
  await insertArticle(db, {
    category,
    locale: 'ja',
    translationGroup: alone.id,
    title: 'ゾルテックスの請求',
    status: 'draft',
  })
  const { docs } = await loadSearchDocuments(db, [
    { type: 'article', id: ja.id },
    { type: 'article', id: en.id },
  ])
  const hit = (doc: SearchDocument, otherLocales: SearchDocument['otherLocales']): SearchHit => ({
    ...doc,
    otherLocales,
    highlights: { title: [], snippet: [] },
  })
  const [jaDoc, enDoc] = [docs.find((d) => d.docId === ja.id)!, docs.find((d) => d.docId === en.id)!]
  const versions = await otherVersionsOf(db, [
    hit(enDoc, ['ja']),
    hit(jaDoc, ['en']),
    hit({ ...enDoc, id: `article:${alone.id}`, docId: alone.id }, ['ja']),
    hit(document(9101, 'A question'), []),
  ])
  expect(versions).toEqual({
    [enDoc.id]: [{ locale: 'ja', url: `/help/${category.slug}/${ja.slug}` }],
    [jaDoc.id]: [{ locale: 'en', url: `/help/${category.slug}/${en.slug}` }],
    [`article:${alone.id}`]: [{ locale: 'ja', url: null }],
  })
  expect(await otherVersionsOf(db, [])).toEqual({})
})

test('the search page shows one hit per translated article, in the reader’s language, naming the other', async () => {
  const category = await insertCategory(db)
  const ja = await insertArticle(db, { category, locale: 'ja', title: 'クワッガ連携の設定', bodyMd: '設定の手順。' })
  const en = await insertArticle(db, {
    category,
    locale: 'en',
    translationGroup: ja.id,
    title: 'Set up the Quagga integration',
    bodyMd: 'How to set it up.',
  })
  const { docs } = await loadSearchDocuments(db, [
    { type: 'article', id: ja.id },
    { type: 'article', id: en.id },
  ])
  await new EmbeddedSearchEngine(db).upsert(docs)
  const { page } = await searchPage('q=quagga')
  expect(page.result.hits.map((h) => h.id)).toEqual([`article:${en.id}`])
  expect(page.otherVersions).toEqual({
    [`article:${en.id}`]: [{ locale: 'ja', url: `/help/${category.slug}/${ja.slug}` }],
  })
})

/** The insights page's action, as the browser posts its forms. */
function postInsights(fields: Record<string, string>, user: SessionUser | null, locale: 'en' | 'ja' = 'en') {
  const body = new FormData()
  for (const [key, value] of Object.entries(fields)) body.set(key, value)
  const request = new Request('http://localhost/search/insights?days=30', { method: 'POST', body })
  return settle(() => insightsAction({ request, context: routeContext(user, locale), params: {} } as never))
}

function insightsPage(user: SessionUser | null, query = '') {
  const request = new Request(`http://localhost/search/insights${query}`)
  return settle(() => insightsLoader({ request, context: routeContext(user), params: {} } as never))
}

test('staff add and delete synonyms on the insights page; the page lists them and says what was done', async () => {
  const staff = await insertStaff(db)
  const added = await postInsights(
    { intent: 'add-synonym', terms: 'Zoltex, ゾルテックス\nzoltex suite', direction: 'two-way' },
    staff,
  )
  expect(added).toMatchObject({ status: 302, location: '/search/insights?days=30&done=synonym-added#synonyms' })
  const [rule] = await db.select().from(searchSynonyms).where(eq(searchSynonyms.createdBy, staff.id))
  expect(rule).toMatchObject({ terms: ['zoltex', 'ゾルテックス', 'zoltex suite'], oneWay: false })

  const shown = await insightsPage(staff, '?done=synonym-added')
  expect(shown.body).toMatchObject({
    notice: 'synonym-added',
    synonyms: [expect.objectContaining({ id: rule!.id, terms: rule!.terms, createdByName: staff.displayName })],
  })
  expect((await insightsPage(staff, '?done=nonsense')).body).toMatchObject({ notice: null })

  const deleted = await postInsights({ intent: 'delete-synonym', id: String(rule!.id) }, staff)
  expect(deleted).toMatchObject({ status: 302, location: '/search/insights?days=30&done=synonym-deleted#synonyms' })
  expect(await db.select().from(searchSynonyms).where(eq(searchSynonyms.id, rule!.id))).toEqual([])
  // Deleting it again (a second click, another tab) says so above the list, translated.
  expect(await postInsights({ intent: 'delete-synonym', id: String(rule!.id) }, staff, 'ja')).toMatchObject({
    status: 404,
    body: { deleteError: 'この類義語のルールはもう存在しません。' },
  })
})

test('a refused synonym comes back translated, next to the terms, with what was typed kept', async () => {
  const staff = await insertStaff(db)
  // Line breaks as a browser sends them.
  const typed = 'ＳＳＯ\r\nSSO'
  const refused = await postInsights({ intent: 'add-synonym', terms: typed, direction: 'one-way' }, staff, 'ja')
  expect(refused.status).toBe(400)
  const { result } = refused.body as {
    result: { error: Record<string, string[]>; initialValue: Record<string, string> }
  }
  expect(result.error.terms).toEqual(['「sso」が 2 回入力されています。'])
  expect(result.initialValue).toMatchObject({ terms: typed, direction: 'one-way' })

  // Empty terms: the schema's message key, which the form translates.
  const empty = await postInsights({ intent: 'add-synonym', terms: '  ' }, staff)
  expect(empty.status).toBe(400)
  expect((empty.body as { result: { error: Record<string, string[]> } }).result.error.terms).toEqual([
    'search.synonyms.validation.terms_required',
  ])
  expect(await db.select().from(searchSynonyms).where(eq(searchSynonyms.createdBy, staff.id))).toEqual([])
})

test('only staff reach the synonyms; an unknown intent is a 400', async () => {
  const member = await insertUser(db)
  expect((await insightsPage(member)).status).toBe(403)
  expect((await postInsights({ intent: 'add-synonym', terms: 'a, b' }, member)).status).toBe(403)
  expect((await postInsights({ intent: 'delete-synonym', id: '1' }, member)).status).toBe(403)
  expect(await postInsights({ intent: 'add-synonym', terms: 'a, b' }, null)).toMatchObject({ status: 302 })
  expect((await postInsights({ intent: 'rename-synonym' }, await insertStaff(db))).status).toBe(400)
})
