import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { doc } from '#tests/search/documents.ts'
import type { SearchDocument } from './engine.ts'
import {
  indexSettings,
  type MeiliDoc,
  MeilisearchEngine,
  MeilisearchVersionError,
  toMeiliDoc,
} from './meilisearch.server.ts'

// What the adapter sends over the wire, checked against a stand-in for Meilisearch on 127.0.0.1: a real
// HTTP server that records each request and answers in Meilisearch's shapes (tasks that succeed,
// errors with codes), as documented for v1.x. It does not search: a test says what searches return.

type Recorded = { method: string; path: string; body: unknown; key: string | undefined }
type Answer = { status: number; body: unknown }
type Handler = (request: Recorded) => Answer | undefined

class StandIn {
  readonly requests: Recorded[] = []
  version = '1.18.2'
  indexes = new Map<string, { settings: Record<string, unknown>; synonyms: Record<string, string[]> }>()
  /** Answers a test sets before the defaults (e.g. a search result, a refusal). */
  handlers: Handler[] = []
  #tasks = 0
  #server: Server | undefined
  url = ''

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void this.#read(req).then((request) => {
        this.requests.push(request)
        const answer = this.handlers.map((handle) => handle(request)).find(Boolean) ?? this.#answer(request)
        res.writeHead(answer.status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(answer.body))
      })
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server?.close(() => resolve()) ?? resolve())
  }

  reset(): void {
    this.requests.length = 0
    this.handlers = []
    this.indexes.clear()
    this.version = '1.18.2'
  }

  /** Requests other than task polling, as `METHOD path`. */
  calls(): string[] {
    return this.requests.filter((r) => !r.path.startsWith('/tasks/')).map((r) => `${r.method} ${r.path}`)
  }

  async #read(req: IncomingMessage): Promise<Recorded> {
    let raw = ''
    for await (const chunk of req) raw += chunk
    const auth = req.headers.authorization
    return {
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0]!,
      body: raw ? JSON.parse(raw) : undefined,
      key: auth?.replace(/^Bearer /u, ''),
    }
  }

  #task(type: string, indexUid: string | null): Answer {
    this.#tasks += 1
    return {
      status: 202,
      body: { taskUid: this.#tasks, indexUid, status: 'enqueued', type, enqueuedAt: new Date().toISOString() },
    }
  }

  #missing(uid: string): Answer {
    return {
      status: 404,
      body: { message: `Index \`${uid}\` not found.`, code: 'index_not_found', type: 'invalid_request', link: '' },
    }
  }

  #answer({ method, path, body }: Recorded): Answer {
    const parts = path.split('/').filter(Boolean)
    if (method === 'GET' && path === '/version') {
      return { status: 200, body: { pkgVersion: this.version, commitSha: 'x', commitDate: 'x' } }
    }
    if (method === 'GET' && parts[0] === 'tasks') {
      return { status: 200, body: { uid: Number(parts[1]), status: 'succeeded', type: 'x', error: null } }
    }
    if (method === 'POST' && path === '/multi-search') {
      const queries = (body as { queries: unknown[] }).queries
      return { status: 200, body: { results: queries.map(() => ({ hits: [], facetDistribution: {} })) } }
    }
    if (method === 'POST' && path === '/swap-indexes') return this.#task('indexSwap', null)
    if (method === 'POST' && path === '/indexes') {
      const { uid } = body as { uid: string }
      this.indexes.set(uid, { settings: {}, synonyms: {} })
      return this.#task('indexCreation', uid)
    }
    const uid = parts[1] ?? ''
    const index = this.indexes.get(uid)
    if (parts[0] !== 'indexes' || !index) return this.#missing(uid)
    const rest = parts.slice(2).join('/')
    if (method === 'GET' && rest === '') return { status: 200, body: { uid, primaryKey: 'id' } }
    if (method === 'DELETE' && rest === '') {
      this.indexes.delete(uid)
      return this.#task('indexDeletion', uid)
    }
    if (method === 'GET' && rest === 'settings')
      return { status: 200, body: { ...index.settings, synonyms: index.synonyms } }
    if (method === 'PATCH' && rest === 'settings') {
      const { synonyms, ...settings } = body as Record<string, unknown>
      Object.assign(index.settings, settings)
      if (synonyms) index.synonyms = synonyms as Record<string, string[]>
      return this.#task('settingsUpdate', uid)
    }
    if (rest === 'settings/synonyms') {
      if (method === 'GET') return { status: 200, body: index.synonyms }
      index.synonyms = method === 'PUT' ? (body as Record<string, string[]>) : {}
      return this.#task('settingsUpdate', uid)
    }
    if (rest.startsWith('documents')) return this.#task('documentAdditionOrUpdate', uid)
    return { status: 404, body: { message: 'unknown route', code: 'not_found', type: 'invalid_request', link: '' } }
  }
}

const meili = new StandIn()
beforeAll(() => meili.start())
afterAll(() => meili.stop())
afterEach(() => meili.reset())

const engine = (key?: string) => new MeilisearchEngine({ host: meili.url, apiKey: key, indexPrefix: 'content' })

/** The live index as a deploy left it: present, with these settings. */
function liveIndex(settings: Record<string, unknown> = indexSettings, synonyms: Record<string, string[]> = {}) {
  meili.indexes.set('content', { settings: { ...settings }, synonyms })
}

type SentQuery = { q: string; filter: string[]; facets?: string[]; hitsPerPage?: number; limit?: number }

/** Answers each multi-search with `results(queries)`. */
function searches(
  results: (queries: SentQuery[]) => Partial<{ hits: unknown[]; facetDistribution: unknown }>[],
): Handler {
  return (request) =>
    request.path === '/multi-search'
      ? { status: 200, body: { results: results((request.body as { queries: SentQuery[] }).queries) } }
      : undefined
}

const sentQueries = () => meili.requests.map((r) => (r.body as { queries: SentQuery[] }).queries)

const refuse =
  (status: number, code: string, when: (r: Recorded) => boolean): Handler =>
  (request) =>
    when(request) ? { status, body: { message: code, code, type: 'invalid_request', link: '' } } : undefined

const question: SearchDocument = doc('question', 12, 'Exporting reports', {
  body: 'Reports export as CSV.',
  tags: ['reports'],
})

describe('at start', () => {
  test('checks the version, then the live index and its settings; nothing changes when they match', async () => {
    liveIndex()
    expect(await engine('admin').prepare()).toBe(false)
    expect(meili.calls()).toEqual(['GET /version', 'GET /indexes/content', 'GET /indexes/content/settings'])
    expect(meili.requests.every((r) => r.key === 'admin')).toBe(true)
  })

  test('settings drift (a deploy added a filterable attribute) is corrected before any search fails', async () => {
    liveIndex({
      ...indexSettings,
      filterableAttributes: indexSettings.filterableAttributes.filter((a) => a !== 'group'),
    })
    await engine().prepare()
    const update = meili.requests.find((r) => r.method === 'PATCH')
    expect(update?.path).toBe('/indexes/content/settings')
    expect(update?.body).toEqual(indexSettings)
    expect(update?.body).not.toHaveProperty('synonyms')
  })

  test('a missing live index is created with its settings, and reported as new', async () => {
    expect(await engine().prepare()).toBe(true)
    expect(meili.calls()).toEqual([
      'GET /version',
      'GET /indexes/content',
      'POST /indexes',
      'GET /indexes/content/settings',
      'PATCH /indexes/content/settings',
    ])
    expect(meili.requests.find((r) => r.path === '/indexes')?.body).toEqual({ uid: 'content', primaryKey: 'id' })
  })

  test('a server older than 1.18 is refused with a message saying why and what to do', async () => {
    meili.version = '1.17.1'
    liveIndex()
    const failed = engine().prepare()
    await expect(failed).rejects.toBeInstanceOf(MeilisearchVersionError)
    await expect(failed).rejects.toThrow(/1\.17\.1 is too old.*1\.18\.0 or later/u)
    expect(meili.calls()).toEqual(['GET /version'])
    // Every write refuses the same way, and tries again (the server may have been upgraded).
    await expect(engine().upsert([question])).rejects.toThrow(/too old/u)
  })
})

describe('searching', () => {
  test('a search only searches: one multi-search, nothing about the index (a search-only key will do)', async () => {
    meili.handlers.push(refuse(403, 'invalid_api_key', (r) => r.path !== '/multi-search'))
    const result = await engine('search-only').search({ q: 'exporting reports', locale: 'en' })
    expect(result).toMatchObject({ hits: [], total: 0 })
    expect(meili.calls().every((call) => call === 'POST /multi-search')).toBe(true)
    const sent = meili.requests[0]?.body as { queries: { q: string; matchingStrategy: string }[] }
    expect(sent.queries.map((q) => [q.q, q.matchingStrategy])).toEqual([
      ['export report', 'all'],
      ['"exporting" "reports"', 'all'],
      ['export report', 'all'],
    ])
  })

  test('nothing matching every word: the search asks again, one query per word', async () => {
    await engine().search({ q: 'tesm playbook', locale: 'en' })
    const batches = meili.requests.map((r) => (r.body as { queries: { q: string; hitsPerPage?: number }[] }).queries)
    expect(batches).toHaveLength(2)
    expect(batches[1]?.map((q) => q.q)).toEqual(['tesm ', 'playbook'])
  })

  test('a query with no words sends nothing and finds nothing', async () => {
    expect(await engine().search({ q: '" -', locale: 'en' })).toMatchObject({ hits: [], total: 0 })
    expect(meili.requests).toEqual([])
  })

  test('an index gone (or re-created without settings) is brought back into shape, and the search retried', async () => {
    let failures = 1
    meili.handlers.push(refuse(404, 'index_not_found', (r) => r.path === '/multi-search' && failures-- > 0))
    const result = await engine('admin').search({ q: 'sandbox', locale: 'en' })
    expect(result.total).toBe(0)
    expect(meili.calls()).toEqual([
      'POST /multi-search',
      'GET /version',
      'GET /indexes/content',
      'POST /indexes',
      'GET /indexes/content/settings',
      'PATCH /indexes/content/settings',
      'POST /multi-search',
    ])
  })

  test('a filter on an attribute the index does not know yet: settings updated, search retried', async () => {
    liveIndex({ ...indexSettings, filterableAttributes: ['type'] })
    let failures = 1
    meili.handlers.push(refuse(400, 'invalid_search_filter', (r) => r.path === '/multi-search' && failures-- > 0))
    await engine().search({ q: 'sandbox', locale: 'en', filters: { category: 'guides' } })
    expect(meili.calls().filter((c) => c.startsWith('PATCH'))).toEqual(['PATCH /indexes/content/settings'])
    expect(meili.calls().at(-1)).toBe('POST /multi-search')
  })

  test('with a key that may only search, recovering fails and the search fails with the original error', async () => {
    meili.handlers.push(refuse(404, 'index_not_found', (r) => r.path === '/multi-search'))
    meili.handlers.push(refuse(403, 'invalid_api_key', (r) => r.path !== '/multi-search'))
    await expect(engine('search-only').search({ q: 'sandbox', locale: 'en' })).rejects.toThrow('index_not_found')
  })
})

describe('answers', () => {
  const article = (id: number, locale: 'en' | 'ja', title: string): MeiliDoc =>
    toMeiliDoc({
      ...question,
      id: `article:${id}`,
      type: 'article',
      docId: id,
      locale,
      title,
      body: `${title} body`,
      group: 'article-group:1',
      otherLocales: [locale === 'en' ? 'ja' : 'en'],
    })
  const ja = article(31, 'ja', 'SSOの設定')
  const en = article(32, 'en', 'SSO setup')

  test("counts from the counting query; a group found in Japanese is shown in the English reader's version", async () => {
    meili.handlers.push(
      searches((queries) =>
        queries.map((query) =>
          query.hitsPerPage === 0
            ? { hits: [], facetDistribution: { type: { article: 1, question: 3 } } }
            : query.filter.some((clause) => clause.startsWith('group IN'))
              ? { hits: [{ ...en, _formatted: { title: { en: '\u0001SSO\u0002 setup' } } }] }
              : { hits: [ja] },
        ),
      ),
    )
    const result = await engine().search({ q: 'sso', locale: 'en', types: ['article'] })
    expect(result.total).toBe(1)
    expect(result.facets.type).toEqual({ question: 3, article: 1, event: 0 })
    expect(result.hits.map((hit) => [hit.id, hit.locale, hit.otherLocales])).toEqual([['article:32', 'en', ['ja']]])
    expect(result.hits[0]?.highlights.title).toEqual([
      { text: 'SSO', match: true },
      { text: ' setup', match: false },
    ])
    expect(sentQueries().at(-1)?.[0]?.filter).toEqual([
      'restricted = false',
      'type IN [article]',
      'group IN ["article-group:1"]',
      'locale = "en"',
    ])
  })

  test('any word: per-word lists merged, then the page fetched with the words each document matched', async () => {
    const one = toMeiliDoc({ ...question, id: 'question:1', docId: 1, group: 'question:1', title: 'Passkey login' })
    const two = toMeiliDoc({ ...question, id: 'question:2', docId: 2, group: 'question:2', title: 'Laptop passkey' })
    meili.handlers.push(
      searches((queries) =>
        queries.map((query) => {
          if (query.q === 'passkey ')
            return {
              hits: [
                { ...one, _rankingScore: 0.9 },
                { ...two, _rankingScore: 0.8 },
              ],
            }
          if (query.q === 'laptop') return { hits: [{ ...two, _rankingScore: 0.9 }] }
          if (query.hitsPerPage) return { hits: [] }
          return { hits: query.filter.at(-1)?.includes('question-1') ? [one] : [two] }
        }),
      ),
    )
    const result = await engine().search({ q: 'Passkey login on a new laptop', locale: 'en', matching: 'any' })
    expect(result.hits.map((hit) => hit.id)).toEqual(['question:2', 'question:1'])
    expect(result.total).toBe(2)
    const [lists, shown] = sentQueries()
    expect(lists?.map((q) => q.q)).toEqual(['passkey ', 'login ', 'new ', 'laptop'])
    expect(shown?.map((q) => q.q).sort()).toEqual(['passkey ', 'passkey laptop'])
  })
})

describe('writing', () => {
  test('documents are sent with their nested texts and analysed forms, under the primary key', async () => {
    liveIndex()
    await engine().upsert([question])
    const added = meili.requests.find((r) => r.path === '/indexes/content/documents')
    expect(added?.method).toBe('POST')
    expect(added?.body).toEqual([
      expect.objectContaining({
        id: 'question-12',
        group: 'question:12',
        title: { en: 'Exporting reports', en_v: 'export report' },
        labels: { en: 'reports', en_v: 'report' },
      }),
    ])
    await engine().remove(['question:12'])
    expect(meili.requests.find((r) => r.path === '/indexes/content/documents/delete-batch')?.body).toEqual([
      'question-12',
    ])
  })

  test('synonyms go to the live index, keyed as searches send words; reset empties them too', async () => {
    liveIndex()
    const e = engine()
    await e.setSynonyms({ exports: ['downloads'] })
    expect(meili.indexes.get('content')?.synonyms).toEqual({ exports: ['downloads'], export: ['downloads'] })
    await e.reset()
    expect(meili.calls().slice(-2)).toEqual([
      'DELETE /indexes/content/documents',
      'DELETE /indexes/content/settings/synonyms',
    ])
    expect(meili.indexes.get('content')?.synonyms).toEqual({})
  })

  test("a rebuild fills a new index with the live one's settings and synonyms, then swaps without renaming", async () => {
    liveIndex(indexSettings, { sso: ['single sign-on'] })
    const e = engine()
    async function* batches() {
      yield [question]
      // Staff change the synonyms in another process while the build runs.
      meili.indexes.get('content')!.synonyms = { sso: ['single sign-on'], 解約: ['cancel contract'] }
      yield []
    }
    expect(await e.rebuild(batches(), 1)).toBe(1)
    const build = (meili.requests.find((r) => r.path === '/indexes' && r.method === 'POST')?.body as { uid: string })
      .uid
    expect(build).toMatch(/^content_v3_\d+$/u)
    const settings = meili.requests.find((r) => r.method === 'PATCH' && r.path === `/indexes/${build}/settings`)
    expect(settings?.body).toEqual({ ...indexSettings, synonyms: { sso: ['single sign-on'] } })
    expect(
      meili.requests.find((r) => r.method === 'PUT' && r.path === `/indexes/${build}/settings/synonyms`)?.body,
    ).toEqual({ sso: ['single sign-on'], 解約: ['cancel contract'] })
    expect(meili.requests.find((r) => r.path === '/swap-indexes')?.body).toEqual([
      { indexes: ['content', build], rename: false },
    ])
    expect(meili.calls().at(-1)).toBe(`DELETE /indexes/${build}`)
  })

  test('synonyms set during a rebuild in this process reach the index being built', async () => {
    liveIndex()
    const e = engine()
    let build = ''
    async function* batches() {
      build = [...meili.indexes.keys()].find((uid) => uid !== 'content')!
      await e.setSynonyms({ sso: ['single sign-on'] })
      yield [question]
    }
    await e.rebuild(batches(), 1)
    const puts = meili.requests.filter((r) => r.method === 'PUT').map((r) => r.path)
    expect(puts).toEqual(['/indexes/content/settings/synonyms', `/indexes/${build}/settings/synonyms`])
  })
})
