import { expect, test } from 'vitest'
import { highlight, snippet } from './text.ts'

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
