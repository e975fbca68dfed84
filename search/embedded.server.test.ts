import { expect, test } from 'vitest'
import { db } from '#tests/db.ts'
import { EmbeddedSearchEngine } from './embedded.server.ts'
import type { SearchDocument } from './engine.ts'

const engine = new EmbeddedSearchEngine(db)

function doc(id: number, title: string, body: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return {
    id: `question:${id}`,
    type: 'question',
    docId: id,
    locale: 'en',
    title,
    body,
    answers: '',
    tags: [],
    category: null,
    url: `/questions/${id}`,
    answerCount: 0,
    accepted: false,
    score: 0,
    startsAt: null,
    restricted: false,
    updatedAt: new Date('2026-01-01'),
    ...extra,
  }
}

test('smoke: words, prefixes, typos and Japanese are found, with highlights', async () => {
  await engine.reset()
  await engine.upsert([
    doc(1, 'Customer success playbook', 'How our customer success team onboards accounts.'),
    doc(2, '有料配信の始め方', '東京本社のカスタマーサクセスが有料配信を説明します。', { locale: 'ja' }),
    doc(3, '日東電工の導入事例', '日東電工様の事例です。', { locale: 'ja' }),
  ])
  const ids = async (q: string) => (await engine.search({ q, locale: 'en' })).hits.map((h) => h.docId)
  expect(await ids('custo')).toEqual([1])
  expect(await ids('custmer sucess')).toEqual([1])
  expect(await ids('東京')).toEqual([2])
  expect(await ids('有料配信')).toEqual([2])
  expect(await ids('日東電工')).toEqual([3])
  expect(await ids('カスタマーサクセス')).toEqual([2])
  expect(await ids('カスタマサクセス')).toEqual([2])
  const result = await engine.search({ q: 'customer', locale: 'en' })
  expect(result.facets.type).toEqual({ question: 1, article: 0, event: 0 })
  expect(result.hits[0]?.highlights.title).toEqual([
    { text: 'Customer', match: true },
    { text: ' success playbook', match: false },
  ])
  expect((await engine.search({ q: '', locale: 'en' })).total).toBe(3)
})
