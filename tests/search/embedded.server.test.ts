import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { rowsOf } from '#db/client.server.ts'
import { searchIndexBuckets, searchIndexKinds, searchIndexSlot } from '#db/schema/search.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { type SearchDocType, type SearchDocument, type SearchQuery, searchDocTypes } from '#search/engine.ts'
import { db } from '#tests/db.ts'
import { conformanceSuite } from './conformance.ts'
import { doc } from './documents.ts'

conformanceSuite('embedded', async () => new EmbeddedSearchEngine(db))

/** The embedded engine's own layout: how it reads the index (one GIN index per kind, prefix terms, a
 *  cheap first ranking and a second one over all terms for the best) and one hit per translation group. */
describe('embedded engine', () => {
  const engine = new EmbeddedSearchEngine(db)
  const search = (q: string, query: Partial<SearchQuery> = {}) => engine.search({ q, locale: 'en', ...query })
  const ids = async (q: string, query: Partial<SearchQuery> = {}) => (await search(q, query)).hits.map((hit) => hit.id)

  /** An article in English and Japanese: one translation group, each version carrying the other's text. */
  function translated(
    enId: number,
    jaId: number,
    en: [string, string],
    ja: [string, string],
    fields: Partial<SearchDocument> = {},
  ): [SearchDocument, SearchDocument] {
    const group = `article-group:${enId}`
    return [
      doc('article', enId, en[0], {
        body: en[1],
        group,
        otherLocales: ['ja'],
        translations: `${ja[0]}\n\n${ja[1]}`,
        ...fields,
      }),
      doc('article', jaId, ja[0], {
        locale: 'ja',
        body: ja[1],
        group,
        otherLocales: ['en'],
        translations: `${en[0]}\n\n${en[1]}`,
        ...fields,
      }),
    ]
  }

  test('every kind of document has a GIN index per bucket, in the migrated database too', async () => {
    expect([...searchIndexKinds].sort()).toEqual([...searchDocTypes].sort())
    const slots = searchDocTypes.flatMap((kind) =>
      Array.from({ length: searchIndexBuckets }, (_, bucket) => searchIndexSlot(kind, bucket)),
    )
    expect(new Set(slots).size).toBe(searchDocTypes.length * searchIndexBuckets)
    const rows = rowsOf<{ definition: string }>(
      await db.execute(sql`select indexdef as definition from pg_indexes where tablename = 'search_documents'`),
    )
    for (const slot of slots) {
      expect(rows.map((row) => row.definition)).toContainEqual(
        expect.stringMatching(new RegExp(`USING gin \\(terms\\) WHERE \\(slot = ${slot}\\)`)),
      )
    }
  })

  test('a document is in the slot of its kind, and every version of a group in the same bucket', async () => {
    await engine.reset()
    const [en, ja] = translated(801, 802, ['Slots', 'One bucket.'], ['スロット', '同じバケット。'])
    const events = Array.from({ length: 40 }, (_, i) => doc('event', 810 + i, `Event ${i}`))
    await engine.upsert([en, ja, ...events])
    const rows = rowsOf<{ id: string; doc_type: string; slot: number }>(
      await db.execute(sql`select id, doc_type, slot from search_documents`),
    )
    const slotOf = (id: string) => rows.find((row) => row.id === id)?.slot
    expect(slotOf(en.id)).toBe(slotOf(ja.id))
    for (const row of rows) {
      const bucket = row.slot - searchIndexSlot(row.doc_type as SearchDocType, 0)
      expect(bucket).toBeGreaterThanOrEqual(0)
      expect(bucket).toBeLessThan(searchIndexBuckets)
    }
    // Spread over the buckets, not all in one.
    expect(new Set(events.map((event) => slotOf(event.id))).size).toBeGreaterThan(3)
  })

  describe('translation groups', () => {
    const [cancelEn, cancelJa] = translated(
      501,
      502,
      ['Cancelling your plan', 'Open Billing and choose cancel at the end of the term.'],
      ['プランの解約', '請求画面から期間の終わりに解約を選びます。'],
    )
    const [exportEn, exportJa] = translated(
      503,
      504,
      ['Exporting members', 'Download the member list as a spreadsheet.'],
      ['メンバーの書き出し', 'メンバー一覧を表計算ファイルとしてダウンロードします。'],
      { tags: ['members'] },
    )
    const lone = doc('article', 505, 'Cancelling a webinar registration', { body: 'Registrations end the day before.' })
    const question = doc('question', 506, 'Can I cancel mid-term?', { body: 'We want to cancel before renewal.' })

    beforeAll(async () => {
      await engine.reset()
      await engine.upsert([cancelEn, cancelJa, exportEn, exportJa, lone, question])
    })

    test('one hit per group, in the reader’s language, naming the other languages', async () => {
      const en = await search('cancel')
      expect(en.hits.map((hit) => hit.id).sort()).toEqual([cancelEn.id, lone.id, question.id].sort())
      expect(en.hits.find((hit) => hit.id === cancelEn.id)?.otherLocales).toEqual(['ja'])
      expect(en.hits.find((hit) => hit.id === lone.id)?.otherLocales).toEqual([])
      const ja = await search('cancel', { locale: 'ja' })
      expect(ja.hits.map((hit) => hit.id).sort()).toEqual([cancelJa.id, lone.id, question.id].sort())
      expect(ja.hits.find((hit) => hit.id === cancelJa.id)?.otherLocales).toEqual(['en'])
    })

    test('a group counts once in the total and the facets', async () => {
      const result = await search('cancel')
      expect(result.total).toBe(3)
      expect(result.facets.type).toEqual({ question: 1, article: 2, event: 0 })
      const everything = await search('')
      expect(everything.total).toBe(4)
      expect(everything.facets.type).toEqual({ question: 1, article: 3, event: 0 })
      expect(everything.hits).toHaveLength(4)
    })

    test('the version found by its own words is shown in the reader’s language', async () => {
      // Only the Japanese version says 解約 itself; the English one carries it as its translation.
      expect(await ids('解約')).toEqual([cancelEn.id])
      expect(await ids('解約', { locale: 'ja' })).toEqual([cancelJa.id])
      expect(await ids('書き出し')).toEqual([exportEn.id])
    })

    test('filters choose among the versions: a language filter keeps its version', async () => {
      expect(await ids('cancel', { locale: 'ja', filters: { locale: 'en' } })).toEqual(
        expect.arrayContaining([cancelEn.id]),
      )
      expect(await ids('cancel', { locale: 'ja', filters: { locale: 'en' } })).not.toContain(cancelJa.id)
      expect(await ids('', { locale: 'ja', filters: { tags: ['members'] } })).toEqual([exportJa.id])
      expect(await ids('', { locale: 'ja', filters: { tags: ['members'], excludeIds: [exportJa.id] } })).toEqual([
        exportEn.id,
      ])
    })
  })

  describe('reading the index', () => {
    beforeAll(async () => {
      await engine.reset()
    })

    test('a word being typed, one or two letters long, finds words that start with it anywhere', async () => {
      const body = doc('question', 601, 'Something unrelated', { body: 'The gateway returns a quokka error.' })
      const other = doc('question', 602, 'Another thing', { body: 'Nothing to see here.' })
      await engine.upsert([body, other])
      expect(await ids('q')).toEqual([body.id])
      expect(await ids('qu')).toEqual([body.id])
      expect(await ids('quo')).toEqual([body.id])
      expect(await ids('gateway q')).toEqual([body.id])
      // Finished words are whole words: "q " is the word q, which nothing has.
      expect(await ids('q ')).toEqual([])
      await engine.remove([body.id, other.id])
    })

    test('among many matches, the title match ranks first wherever it is stored', async () => {
      const many = Array.from({ length: 150 }, (_, i) =>
        doc('question', 700 + i, `Question ${i} about dashboards`, { body: `Our tapir import fails on row ${i}.` }),
      )
      const titled = doc('question', 900, 'Tapir import checklist', { body: 'Steps before importing.' })
      await engine.upsert([...many, titled])
      expect((await ids('tapir'))[0]).toBe(titled.id)
      // Pages follow one order across the documents ranked twice and those ranked once.
      const pages = []
      for (let offset = 0; offset < 160; offset += 30) pages.push(...(await ids('tapir', { limit: 30, offset })))
      expect(pages).toHaveLength(151)
      expect(new Set(pages).size).toBe(151)
      expect(pages.slice(0, 50)).toEqual(await ids('tapir', { limit: 50 }))
      await engine.remove([...many, titled].map((d) => d.id))
    })
  })
})
