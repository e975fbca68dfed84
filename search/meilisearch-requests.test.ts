import type { Hit, MultiSearchQuery } from 'meilisearch'
import { describe, expect, test } from 'vitest'
import { doc as document } from '#tests/search/documents.ts'
import type { SearchDocument, SearchQuery } from './engine.ts'
import {
  allWordsQueries,
  anyDisplayQueries,
  anyPage,
  anyWordQueries,
  countsOf,
  indexSettings,
  type MeiliDoc,
  meiliSynonyms,
  meiliText,
  pageOf,
  rankAnyMatches,
  readerVersionsQuery,
  type SearchPlan,
  searchPlan,
  settingsDrift,
  toHit,
  toMeiliDoc,
  versionProblem,
  withReaderVersions,
} from './meilisearch.server.ts'

// No Meilisearch server runs here: these check, without one, the requests the adapter builds and how it
// reads the answers (docs/decisions/046-meilisearch-adapter.md says which Meilisearch behaviour each
// relies on). search/meilisearch-wire.test.ts sends them to a loopback stand-in.

const now = new Date('2030-06-01T00:00:00Z')
const plan = (q: string, query: Partial<SearchQuery> = {}): SearchPlan =>
  searchPlan('content', { q, locale: 'en', now, ...query })
const words = (q: string) => {
  const text = meiliText(q)
  if (text.kind !== 'words') throw new Error(`no words in ${q}`)
  return text
}
const filterOf = (query: MultiSearchQuery) => (query.filter ?? []) as string[]

function doc(fields: Partial<SearchDocument> & Pick<SearchDocument, 'id' | 'title'>): SearchDocument {
  const { id, title, type: _type, docId: _docId, ...rest } = fields
  const [type, docId] = id.split(':') as [SearchDocument['type'], string]
  return document(type, Number(docId), title, { updatedAt: now, ...rest })
}

/** A hit as Meilisearch returns it for a stored document (no formatting). */
function hit(fields: Partial<MeiliDoc> & Pick<MeiliDoc, 'id'>, extra: Partial<Hit<MeiliDoc>> = {}): Hit<MeiliDoc> {
  const stored = toMeiliDoc(doc({ id: fields.id.replace('-', ':'), title: `Title of ${fields.id}` }))
  return { ...stored, ...fields, ...extra }
}

describe('the words sent', () => {
  test('stop words stay out, as in the analyser: "how do I export reports" requires export and reports', () => {
    expect(words('how do I export reports')).toMatchObject({ typed: 'export "reports"', analysed: 'export report' })
  })

  test("Meilisearch's query syntax never reaches it: quotes and a leading minus are not sent", () => {
    const text = words('Import fails with error -1')
    expect(text.analysed).toBe('import fail error 1')
    expect(text.typed).toBe('import "fails" error 1')
    expect(words('"fails import').analysed).toBe('fail import')
    expect(words('say "hello world" -draft ').typed).toBe('say hello world draft ')
  })

  test('a query with no words finds nothing (not everything); the empty query lists everything', () => {
    expect(meiliText('"').kind).toBe('nothing')
    expect(meiliText(' - " ').kind).toBe('nothing')
    expect(meiliText('   ').kind).toBe('everything')
    expect(meiliText('').kind).toBe('everything')
  })

  test('an inflected word is matched exactly as typed (no typo finds another word); its stem in the analysed pass', () => {
    expect(words('exporting')).toMatchObject({ typed: '"exporting"', analysed: 'export' })
    expect(words('exportng')).toMatchObject({ typed: 'exportng', analysed: 'exportng' })
  })

  test('the last word is a prefix while typed; a space, or a stop word after it, ends it', () => {
    expect(words('export rep').typed).toBe('export rep')
    expect(words('export rep ').typed).toBe('export rep ')
    expect(words('export reports to').analysed).toBe('export report ')
    expect(words('export reports to').words.map((w) => w.prefix)).toEqual([false, false])
    expect(words('export rep').words.map((w) => w.prefix)).toEqual([false, true])
  })

  test('analysed words: English stems, kana folded, okurigana dropped', () => {
    expect(words('exporting reports ').analysed).toBe('export report ')
    expect(words('limiting').analysed).toBe('limit')
    expect(words('へるすすこあ').analysed).toBe('ヘルススコア')
    expect(words('ウエビナー').analysed).toBe('ウエビナ')
    expect(words('申込み').analysed).toBe('申込')
  })
})

describe('every word required', () => {
  test('counts: exact (page + hitsPerPage), per group (distinct), every kind, every word required', () => {
    const [count] = allWordsQueries(plan('customer success', { types: ['event'] }))
    expect(count).toMatchObject({
      indexUid: 'content',
      q: 'custom success',
      matchingStrategy: 'all',
      distinct: 'group',
      facets: ['type'],
      hitsPerPage: 0,
      page: 1,
    })
    expect(filterOf(count!)).toEqual(['restricted = false'])
  })

  test('one page query when analysis changes nothing; the kinds filter it; the reader sorts ties', () => {
    const queries = allWordsQueries(
      plan('sandbox', { types: ['event', 'article'], limit: 5, offset: 10, locale: 'ja' }),
    )
    expect(queries).toHaveLength(2)
    expect(queries[1]).toMatchObject({
      q: 'sandbox',
      matchingStrategy: 'all',
      distinct: 'group',
      offset: 10,
      limit: 5,
      sort: ['rank_ja:desc'],
    })
    expect(filterOf(queries[1]!)).toEqual(['restricted = false', 'type IN [event, article]'])
  })

  test('when analysis changes the words, the typed words and the analysed ones, both from the top', () => {
    const queries = allWordsQueries(plan('exporting reports', { limit: 5, offset: 10 }))
    expect(queries.slice(1).map((q) => [q.q, q.offset, q.limit])).toEqual([
      ['"exporting" "reports"', 0, 15],
      ['export report', 0, 15],
    ])
  })

  test('the empty query counts and lists everything the filters allow', () => {
    const queries = allWordsQueries(plan(''))
    expect(queries.map((q) => q.q)).toEqual(['', ''])
  })

  test('Japanese words are tokenized as Japanese', () => {
    expect(allWordsQueries(plan('有料配信'))[1]).toMatchObject({ locales: ['jpn'] })
    expect(allWordsQueries(plan('sandbox'))[1]).not.toHaveProperty('locales')
  })

  test('the total counts the kinds asked for; each count stops at the cap', () => {
    const counted = { facetDistribution: { type: { question: 4, article: 2000, event: 1 } } }
    expect(countsOf(counted, plan('x', { types: ['question', 'event'] }))).toEqual({
      total: 5,
      facets: { question: 4, article: 1000, event: 1 },
    })
    expect(countsOf({}, plan('x')).total).toBe(0)
  })

  test('the typed matches come first, then the analysed ones, each group once, cut to the page', () => {
    const typed = [hit({ id: 'question-1' }), hit({ id: 'question-2' })]
    const analysed = [hit({ id: 'question-3' }), hit({ id: 'question-1' }), hit({ id: 'question-4' })]
    const page = pageOf([typed, analysed], plan('exporting', { offset: 1, limit: 2 }))
    expect(page.map((h) => h.id)).toEqual(['question-2', 'question-3'])
  })

  test("a group found in another language is shown in the reader's, fetched with every filter", () => {
    const hits = [
      hit({ id: 'article-7', locale: 'ja', group: 'article-group:7', otherLocales: ['en'] }),
      hit({ id: 'article-9', locale: 'ja', group: 'article-group:9', otherLocales: [] }),
      hit({ id: 'question-3' }),
    ]
    const p = plan('sso', { filters: { category: 'guides' }, types: ['article'] })
    const query = readerVersionsQuery(p, hits)
    expect(query).toMatchObject({ q: 'sso', matchingStrategy: 'all', limit: 1 })
    expect(filterOf(query!)).toEqual([
      'restricted = false',
      'category = "guides"',
      'type IN [article]',
      'group IN ["article-group:7"]',
      'locale = "en"',
    ])
    expect(readerVersionsQuery(plan('sso', { locale: 'ja' }), hits)).toBeNull()
    const english = hit({ id: 'article-8', locale: 'en', group: 'article-group:7', otherLocales: ['ja'] })
    expect(withReaderVersions(hits, [english]).map((h) => h.id)).toEqual(['article-8', 'article-9', 'question-3'])
  })
})

describe('any word', () => {
  const p = plan('Passkey login on a new laptop', { matching: 'any', types: ['question'], limit: 2 })

  test('one search per meaningful word, each requiring it, over every kind, with scores', () => {
    const queries = anyWordQueries(p)
    expect(queries.map((q) => q.q)).toEqual(['passkey ', 'login ', 'new ', 'laptop'])
    for (const query of queries) {
      expect(query).toMatchObject({ matchingStrategy: 'all', distinct: 'group', showRankingScore: true, page: 1 })
      expect(filterOf(query)).toEqual(['restricted = false'])
    }
  })

  test('groups matching more words come first, then better matches, then the static rank', () => {
    const lists = [
      { hits: [hit({ id: 'question-1' }, { _rankingScore: 0.9 }), hit({ id: 'question-2' }, { _rankingScore: 0.5 })] },
      { hits: [hit({ id: 'question-2' }, { _rankingScore: 0.5 }), hit({ id: 'article-5' }, { _rankingScore: 1 })] },
      { hits: [hit({ id: 'question-3' }, { _rankingScore: 0.95 })], facetDistribution: { type: { question: 500 } } },
      { hits: [] },
    ]
    const { matches, total, facets } = rankAnyMatches(lists, p)
    expect(matches.map((m) => [m.id, m.words])).toEqual([
      ['question-2', [0, 1]],
      ['question-3', [2]],
      ['question-1', [0]],
    ])
    // The third word had more matches than were fetched: the counts are at least its own.
    expect(facets).toEqual({ question: 500, article: 1, event: 0 })
    expect(total).toBe(500)
  })

  test('the page is fetched with the words each document matched, and the reader-language versions', () => {
    const matches = rankAnyMatches(
      [
        {
          hits: [hit({ id: 'question-1' }), hit({ id: 'article-4', locale: 'ja', group: 'g4', otherLocales: ['en'] })],
        },
        { hits: [hit({ id: 'question-1' })] },
        { hits: [] },
        { hits: [hit({ id: 'question-2' })] },
      ],
      plan('Passkey login on a new laptop', { matching: 'any' }),
    ).matches
    const queries = anyDisplayQueries(p, matches)
    expect(queries.map((q) => [q.q, q.limit, filterOf(q).at(-1)])).toEqual([
      ['passkey login ', 1, 'id IN ["question-1"]'],
      ['passkey ', 2, 'id IN ["article-4"] OR (group IN ["g4"] AND locale = "en")'],
      ['laptop', 1, 'id IN ["question-2"]'],
    ])
    const english = hit({ id: 'article-6', locale: 'en', group: 'g4' })
    const shown = anyPage(matches, [hit({ id: 'question-2' }), english, hit({ id: 'question-1' })], 'en')
    expect(shown.map((h) => h.id)).toEqual(['question-1', 'article-6', 'question-2'])
  })
})

describe('documents and settings', () => {
  test('text sits under its language, with its analysed forms; tags and categories too', () => {
    const stored = toMeiliDoc(
      doc({
        id: 'article:3',
        locale: 'ja',
        title: '持ち物の一覧',
        body: 'ウェビナーの申し込み方法',
        tags: ['導入支援', 'sso'],
        category: 'case-studies',
        group: 'article-group:3',
        otherLocales: ['en'],
        translations: 'What to bring',
      }),
    )
    expect(stored.title).toEqual({ ja: '持ち物の一覧', ja_v: expect.stringContaining('持物') })
    expect(stored.body.ja_v).toContain('ウエビナ')
    expect(stored.labels).toMatchObject({ ja: '導入支援', en: 'sso\ncase studies' })
    expect(stored.translations).toEqual({ en: 'What to bring' })
    expect(stored).toMatchObject({ id: 'article-3', group: 'article-group:3', otherLocales: ['en'] })
    const english = toMeiliDoc(doc({ id: 'question:4', title: 'Exporting reports' }))
    expect(english.title).toEqual({ en: 'Exporting reports', en_v: 'export report' })
    expect(english.group).toBe('question:4')
  })

  test("the reader's language outweighs a small difference of static rank, not a large one", () => {
    const ja = toMeiliDoc(doc({ id: 'question:1', title: 'SSO', locale: 'ja', score: 2 }))
    const en = toMeiliDoc(doc({ id: 'question:2', title: 'SSO', score: 1 }))
    expect(en.rank_en).toBeGreaterThan(ja.rank_en)
    expect(ja.rank_ja).toBeGreaterThan(en.rank_ja)
    const accepted = toMeiliDoc(doc({ id: 'question:3', title: 'SSO', locale: 'ja', accepted: true }))
    expect(accepted.rank_en).toBeGreaterThan(en.rank_en)
  })

  test('settings: nested texts share their weight; every text field is localized; no float rule before sort', () => {
    expect(indexSettings.searchableAttributes).toEqual(['title', 'labels', 'body', 'answers', 'translations'])
    expect(indexSettings.rankingRules.at(-1)).toBe('sort')
    expect(indexSettings.rankingRules.some((rule) => rule.includes(':'))).toBe(false)
    expect(indexSettings.filterableAttributes).toContain('group')
    const patterns = indexSettings.localizedAttributes.flatMap((rule) => rule.attributePatterns)
    for (const field of indexSettings.searchableAttributes) {
      for (const key of ['ja', 'en', 'ja_v', 'en_v']) {
        expect(patterns.some((pattern) => `${field}.${key}`.endsWith(pattern.slice(1)))).toBe(true)
      }
    }
  })

  test("settings drift: found per setting, ignoring Meilisearch's own additions and set order", () => {
    const returned = {
      ...indexSettings,
      filterableAttributes: [...indexSettings.filterableAttributes].reverse(),
      typoTolerance: { ...indexSettings.typoTolerance, disableOnWords: [], disableOnAttributes: [] },
      faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' as const } },
      synonyms: { sso: ['single sign-on'] },
      stopWords: [],
    }
    expect(settingsDrift(returned)).toEqual([])
    const older = { ...returned, filterableAttributes: returned.filterableAttributes.filter((a) => a !== 'group') }
    expect(settingsDrift(older)).toEqual(['filterableAttributes'])
    expect(
      settingsDrift({ ...returned, searchableAttributes: ['title_ja', 'title_en'], localizedAttributes: null }),
    ).toEqual(['searchableAttributes', 'localizedAttributes'])
    expect(settingsDrift({})).toHaveLength(Object.keys(indexSettings).length)
  })

  test('versions: 1.18 or later (swapIndexes rename); an older one gets a message saying what to do', () => {
    expect(versionProblem('1.17.2')).toMatch(/Meilisearch 1\.17\.2 is too old.*1\.18\.0 or later.*MEILI_URL/u)
    expect(versionProblem('0.30.0')).not.toBeNull()
    for (const ok of ['1.18.0', '1.18.0-rc.1', '1.50.0', '2.0.0']) expect(versionProblem(ok)).toBeNull()
  })

  test('synonyms are keyed as the adapter sends words: folded, and analysed', () => {
    expect(
      meiliSynonyms({ exports: ['downloads'], かいやく: ['cancel contract'], sso: ['シングルサインオン'] }),
    ).toEqual({
      exports: ['downloads'],
      export: ['downloads'],
      カイヤク: ['cancel contract'],
      sso: ['シングルサインオン'],
    })
  })
})

describe('hits', () => {
  const stored = toMeiliDoc(
    doc({
      id: 'question:5',
      title: 'Exporting monthly reports',
      body: 'Reports are exported at night.',
      answers: 'Open the report settings.',
      otherLocales: ['ja'],
    }),
  )

  test('highlights mark the query words, their stems and what Meilisearch marked (a typo correction)', () => {
    const formatted = {
      title: { en: '\u0001Exporting\u0002 monthly reports' },
      body: { en: 'Reports are \u0001exported\u0002 at night.' },
      answers: { en: 'Open the \u0001report\u0002 settings.' },
    }
    const shown = toHit({ ...stored, _formatted: formatted as never }, words('exportng report').needles)
    expect(shown.highlights.title).toEqual([
      { text: 'Exporting', match: true },
      { text: ' monthly ', match: false },
      { text: 'reports', match: true },
    ])
    const snippet = shown.highlights.snippet
    expect(snippet.map((part) => part.text).join('')).toBe('Reports are exported at night. Open the report settings.')
    expect(snippet.filter((part) => part.match).map((part) => part.text)).toEqual(['Reports', 'exported', 'report'])
    expect(shown).toMatchObject({ id: 'question:5', title: 'Exporting monthly reports', otherLocales: ['ja'] })
  })
})
