import { expect, test } from 'vitest'
import { db } from '#tests/db.ts'
import { doc as document } from '#tests/search/documents.ts'
import { EmbeddedSearchEngine } from './embedded.server.ts'
import type { SearchDocument } from './engine.ts'

const engine = new EmbeddedSearchEngine(db)

function doc(id: number, title: string, body: string, extra: Partial<SearchDocument> = {}): SearchDocument {
  return document('question', id, title, { body, updatedAt: new Date('2026-01-01'), ...extra })
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

test('a Japanese snippet marks the whole query word in the passage that has it, not a bigram of another word', async () => {
  await engine.reset()
  const filler = 'アプリの設定画面から操作できます。'.repeat(8)
  await engine.upsert([
    doc(
      7,
      'アカウントのよくある質問',
      `レポートのダウンロードは右上のボタンから行います。${filler}パスワードを忘れた場合は、ログイン画面の「パスワードの再設定」から変更してください。`,
      { locale: 'ja' },
    ),
  ])
  const result = await engine.search({ q: 'パスワード', locale: 'ja' })
  expect(result.hits.map((hit) => hit.docId)).toEqual([7])
  const marked = result.hits[0]!.highlights.snippet.filter((part) => part.match).map((part) => part.text)
  expect(marked.length).toBeGreaterThan(0)
  expect(new Set(marked)).toEqual(new Set(['パスワード']))
  const shown = result.hits[0]!.highlights.snippet.map((part) => part.text).join('')
  expect(shown).toContain('パスワードを忘れた場合')
})
