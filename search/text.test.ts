import { expect, test } from 'vitest'
import {
  foldForSearch,
  highlight,
  indexPositions,
  parseQuery,
  phraseGroups,
  snippet,
  stem,
  synonymCandidates,
  synonymKey,
  synonymSpans,
} from './text.ts'

const text = `ダウンロードしたファイルは共有フォルダに保存されます。${'画面の説明が続きます。'.repeat(12)}パスワードは 90 日ごとに変更してください。`

test('a Japanese needle is marked only where the whole word stands, never inside another word', () => {
  const parts = highlight(text, { words: [], cjk: ['パスワード'] })
  expect(parts.filter((part) => part.match).map((part) => part.text)).toEqual(['パスワード'])
})

test('the snippet is the passage around the best match, with the whole term marked', () => {
  const parts = snippet(text, { words: [], cjk: ['パスワード'] }, 60)
  const shown = parts.map((part) => part.text).join('')
  expect(shown).toContain('パスワードは 90 日ごとに')
  expect(shown).not.toContain('ダウンロード')
  expect(parts.filter((part) => part.match).map((part) => part.text)).toEqual(['パスワード'])
})

test('with several query words, the window with the most of them wins over the first match', () => {
  const long = `export once here. ${'Filler words about other things. '.repeat(10)}To export a report as CSV, open the report.`
  const shown = snippet(long, { words: ['export', 'csv'], cjk: [] }, 80)
    .map((part) => part.text)
    .join('')
  expect(shown).toContain('export a report as CSV')
})

test('folding: hiragana as katakana, small kana as large, no long-vowel mark, after NFKC and lower case', () => {
  expect(foldForSearch('へるすすこあ')).toBe(foldForSearch('ヘルススコア'))
  expect(foldForSearch('ウエビナー')).toBe('ウエビナ')
  expect(foldForSearch('ウェビナー')).toBe('ウエビナ')
  expect(foldForSearch('ｳｪﾋﾞﾅｰ')).toBe('ウエビナ')
  expect(foldForSearch('ダッシュボード')).toBe('ダツシユボド')
  expect(foldForSearch('Ｅｘｐｏｒｔ CSV')).toBe('export csv')
  // Kanji and Latin text pass through.
  expect(foldForSearch('東京 API')).toBe('東京 api')
})

test('stems: Snowball English; words that are not plain a–z are their own', () => {
  expect(stem('exporting')).toBe('export')
  expect(stem('exports')).toBe('export')
  expect(stem('limiting')).toBe('limit')
  expect(stem('reporting')).toBe('report')
  expect(stem('sha256')).toBe('sha256')
  expect(stem('café')).toBe('café')
})

test('index terms: words with their stem term, folded bigrams, okurigana pairs but not across particles', () => {
  expect(indexPositions('Exporting CSV')).toEqual([['exporting', '~export'], ['csv']])
  expect(indexPositions('持ち物').flat()).toEqual(expect.arrayContaining(['持チ', 'チ物', '持物']))
  expect(indexPositions('申し込み').flat()).toContain('申込')
  expect(indexPositions('お問い合わせ').flat()).toContain('問合')
  expect(indexPositions('会社の設定').flat()).not.toContain('社設')
  expect(indexPositions('ウェビナー')).toEqual([['ウエ'], ['エビ'], ['ビナ']])
})

test('queries: a word typed in hiragana stays whole; particles are still optional', () => {
  expect(parseQuery('へるすすこあ').map((g) => [g.text, g.required])).toEqual([['ヘルススコア', true]])
  // A hiragana run before a known word: kept as an optional word, not cut into particles.
  expect(parseQuery('へるすすこあの見方').map((g) => [g.text, g.required])).toEqual([
    ['ヘルススコアノ', false],
    ['見方', true],
  ])
  expect(parseQuery('ダッシュボードの日付がずれる').map((g) => g.text)).toEqual(['ダツシユボド', '日付', 'ズレル'])
  // Lone kanji the segmenter cut out of an unknown compound are joined again.
  expect(parseQuery('絞込み').map((g) => g.text)).toEqual(['絞込ミ'])
  expect(parseQuery('取込').map((g) => g.text)).toEqual(['取込'])
})

test('queries: okurigana spellings meet; English words carry their stem; punctuation is nothing', () => {
  const [apply] = parseQuery('申し込み')
  expect(apply).toMatchObject({ kind: 'cjk', compact: '申込' })
  expect(parseQuery('申込み').map((g) => g.text)).toEqual(['申込'])
  expect(parseQuery('exporting reports')).toEqual([
    { kind: 'word', text: 'exporting', stem: 'export', prefix: false, required: true },
    { kind: 'word', text: 'reports', stem: 'report', prefix: true, required: true },
  ])
  expect(parseQuery('429')[0]).toMatchObject({ stem: null })
  expect(parseQuery('!!! ？ ・・・')).toEqual([])
})

test('synonym keys are found as words, phrases and parts of Japanese words; the longest wins', () => {
  expect(synonymKey('Cancel  Contract')).toBe('cancel contract')
  expect(synonymKey('ユーザー')).toBe('ユザ')
  const groups = parseQuery('cancel my contract 解約方法')
  const candidates = synonymCandidates(groups)
  expect([...candidates.keys()]).toEqual(
    expect.arrayContaining(['cancel', 'my contract', 'cancel my contract', '解約']),
  )
  const spans = synonymSpans(candidates, ['contract', 'my contract', '解約'])
  expect(spans.map((s) => [s.key, s.from, s.to, s.rest])).toEqual([
    ['my contract', 1, 2, []],
    ['解約', 3, 3, []],
  ])
  // A key inside one Japanese word leaves the rest of the word to match.
  const inside = synonymSpans(synonymCandidates(parseQuery('シングルサインオン設定')), ['シングルサインオン'])
  expect(inside[0]).toMatchObject({ key: 'シングルサインオン' })
  const word = synonymSpans(synonymCandidates(parseQuery('申し込み')), [synonymKey('込み')])
  expect(word[0]?.rest).toEqual(['申シ'])
  expect(phraseGroups('cancel contract').map((g) => g.text)).toEqual(['cancel', 'contract'])
})

test('highlights mark what matched after folding, stemming and okurigana, on the original text', () => {
  const marked = (text: string, needles: Parameters<typeof highlight>[1]) =>
    highlight(text, needles)
      .filter((part) => part.match)
      .map((part) => part.text)
  expect(marked('ヘルススコアの見方', { words: [], cjk: ['へるすすこあ'] })).toEqual(['ヘルススコア'])
  expect(marked('ｳｪﾋﾞﾅｰの録画', { words: [], cjk: ['ウエビナー'] })).toEqual(['ｳｪﾋﾞﾅｰ'])
  expect(marked('持ち物はノート PC', { words: [], cjk: ['持物'] })).toEqual(['持ち物'])
  expect(marked('Export a report as CSV', { words: ['exporting'], stems: ['export'], cjk: [] })).toEqual(['Export'])
})

test('the snippet is centred on the best passage', () => {
  const long = `${'Lorem ipsum dolor sit amet. '.repeat(20)}The gateway timeout happens here. ${'Other words follow on and on. '.repeat(20)}`
  const text = snippet(long, { words: ['gateway', 'timeout'], cjk: [] }, 120)
    .map((part) => part.text)
    .join('')
  const at = text.indexOf('gateway timeout')
  expect(at).toBeGreaterThan(text.length * 0.3)
  expect(at + 'gateway timeout'.length).toBeLessThan(text.length * 0.7)
})
