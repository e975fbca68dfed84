import { expect, test } from 'vitest'
import { seedDemo } from '#app/server/seed/demo.server.ts'
import { db } from '#tests/db.ts'
import { loadDemoJudgements, ndcgAt, reciprocalRank, resolveJudgedDocuments } from './judgements/judgements.ts'

/** Kinds of query whose reader types the other language on purpose (an English product word for a
 *  Japanese reader): the only ones where a Japanese reader's query may be all Latin. */
const otherLanguageKinds = ['cross-language', 'translation']

test('the relevance set has at least 40 queries, half of them Japanese, each with a good answer', () => {
  const set = loadDemoJudgements()
  expect(set.queries.length).toBeGreaterThanOrEqual(40)
  const japanese = set.queries.filter((query) => query.locale === 'ja')
  expect(japanese.length * 2).toBeGreaterThanOrEqual(set.queries.length)
  // Japanese queries are written in Japanese (a Latin word such as "SAML" may come along).
  const inJapanese = japanese.filter((query) => !otherLanguageKinds.includes(query.kind))
  expect(inJapanese.every((query) => /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/.test(query.q))).toBe(true)
  const texts = set.queries.map((query) => `${query.locale}:${query.q}`)
  expect(new Set(texts).size).toBe(texts.length)
  // Every variant the analysis handles is measured, each by enough queries to report on its own.
  const kinds = ['kana', 'small-kana', 'okurigana', 'inflection', 'cross-language', 'translation']
  for (const kind of kinds) expect(set.queries.filter((query) => query.kind === kind).length).toBeGreaterThanOrEqual(6)
})

test("one hit per translation group: no query grades the other-language version of an article it has in the reader's", () => {
  const set = loadDemoJudgements()
  const titles = new Set(Object.values(set.documents).map((doc) => doc.title))
  // Versions of one article share the key before the language: a-export-en, a-export-ja.
  const grouped = (key: string, locale: string) => {
    const match = /^a-(.+)-(en|ja)$/.exec(key)
    if (!match || match[2] === locale) return false
    const own = set.documents[`a-${match[1]}-${locale}`]
    return !!own && titles.has(own.title)
  }
  for (const query of set.queries) {
    expect(
      Object.keys(query.grades).filter((key) => grouped(key, query.locale)),
      query.q,
    ).toEqual([])
  }
})

test('every judged document is one readable document of the demo seed', async () => {
  await seedDemo(db, { portfolio: false })
  const set = loadDemoJudgements()
  const ids = await resolveJudgedDocuments(db, set)
  expect(ids.size).toBe(Object.keys(set.documents).length)
  expect(new Set(ids.values()).size).toBe(ids.size)
  // Every judged document is judged by some query.
  const used = new Set(set.queries.flatMap((query) => Object.keys(query.grades)))
  expect([...ids.keys()].filter((key) => !used.has(key))).toEqual([])
})

test('nDCG@10 is 1 for the ideal order and falls when the best document comes later; MRR counts grade 2 and up', () => {
  expect(ndcgAt(10, [3, 2, 0], [3, 2])).toBe(1)
  expect(ndcgAt(10, [2, 3], [3, 2])).toBeCloseTo((3 + 7 / Math.log2(3)) / (7 + 3 / Math.log2(3)))
  expect(ndcgAt(10, [], [3])).toBe(0)
  expect(ndcgAt(1, [0, 3], [3])).toBe(0)
  expect(reciprocalRank([1, 0, 2])).toBeCloseTo(1 / 3)
  expect(reciprocalRank([1, 1])).toBe(0)
})
