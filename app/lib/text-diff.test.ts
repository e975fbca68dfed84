import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { TextDiff } from '#app/components/text-diff.tsx'
import { type DiffPart, diffList, diffText } from './text-diff.ts'

/** The text on one side of the difference: what a reader reconstructs from it. */
function side(parts: DiffPart[], which: 'before' | 'after'): string {
  const hidden = which === 'before' ? 'added' : 'removed'
  return parts
    .filter((part) => part.kind !== hidden)
    .map((part) => part.text)
    .join('')
}

test('an English edit shows the words that changed, not the letters', () => {
  const before = 'Open the settings page and turn notifications on.'
  const after = 'Open the account page and turn email notifications off.'
  const parts = diffText(before, after)
  expect(parts).toEqual([
    { kind: 'same', text: 'Open the ' },
    { kind: 'removed', text: 'settings' },
    { kind: 'added', text: 'account' },
    { kind: 'same', text: ' page and turn ' },
    { kind: 'added', text: 'email ' },
    { kind: 'same', text: 'notifications ' },
    { kind: 'removed', text: 'on' },
    { kind: 'added', text: 'off' },
    { kind: 'same', text: '.' },
  ])
  expect(side(parts, 'before')).toBe(before)
  expect(side(parts, 'after')).toBe(after)
})

test('a Japanese edit is split at word boundaries, though the text has no spaces', () => {
  const before = '設定画面で通知をオンにしてください。'
  const after = '設定画面でメール通知をオフにしてください。'
  const parts = diffText(before, after)
  expect(parts).toEqual([
    { kind: 'same', text: '設定画面で' },
    { kind: 'added', text: 'メール' },
    { kind: 'same', text: '通知を' },
    { kind: 'removed', text: 'オン' },
    { kind: 'added', text: 'オフ' },
    { kind: 'same', text: 'にしてください。' },
  ])
})

test('mixed English and Japanese text is split at the words of both', () => {
  const parts = diffText('Use the API キーを設定します。', 'Use the new API キーを削除します。')
  expect(parts).toEqual([
    { kind: 'same', text: 'Use the ' },
    { kind: 'added', text: 'new ' },
    { kind: 'same', text: 'API キーを' },
    { kind: 'removed', text: '設定' },
    { kind: 'added', text: '削除' },
    { kind: 'same', text: 'します。' },
  ])
})

test('a change of whitespace alone is shown', () => {
  expect(diffText('one two', 'one  two\n')).toEqual([
    { kind: 'same', text: 'one' },
    { kind: 'removed', text: ' ' },
    { kind: 'added', text: '  ' },
    { kind: 'same', text: 'two' },
    { kind: 'added', text: '\n' },
  ])
})

test('identical text is one unchanged part; empty text is no part', () => {
  expect(diffText('Nothing changed here.', 'Nothing changed here.')).toEqual([
    { kind: 'same', text: 'Nothing changed here.' },
  ])
  expect(diffText('', '')).toEqual([])
  expect(diffText('', 'new')).toEqual([{ kind: 'added', text: 'new' }])
})

test('20,000-character bodies are compared quickly, whether lightly edited or rewritten', () => {
  const english = Array.from({ length: 3000 }, (_, index) => `word${index % 97}`)
    .join(' ')
    .slice(0, 20_000)
  const japanese = 'これは日本語の長い文章です。設定を変更すると通知が届きます。\n'.repeat(700).slice(0, 20_000)
  const rewritten = 'まったく別の内容に書き換えました。'.repeat(1200).slice(0, 20_000)
  const pairs: [string, string][] = [
    [english, english.replaceAll('word13 ', 'term13 ')],
    [japanese, japanese.replaceAll('通知', 'メール')],
    [english, english.split(' ').reverse().join(' ')],
    [japanese, rewritten],
  ]
  for (const [before, after] of pairs) {
    // CPU time, not the clock: on a busy machine the clock also counts other processes.
    const started = process.cpuUsage()
    const parts = diffText(before, after)
    const spent = process.cpuUsage(started)
    expect((spent.user + spent.system) / 1000).toBeLessThan(2000)
    expect(side(parts, 'before')).toBe(before)
    expect(side(parts, 'after')).toBe(after)
  }
})

test('tags show which were added and removed; a moved tag is unchanged', () => {
  expect(diffList(['billing', 'sso', 'api'], ['api', 'sso', 'webhooks'])).toEqual([
    { kind: 'removed', text: 'billing' },
    { kind: 'same', text: 'api' },
    { kind: 'same', text: 'sso' },
    { kind: 'added', text: 'webhooks' },
  ])
  expect(diffList([], ['new'])).toEqual([{ kind: 'added', text: 'new' }])
  expect(diffList(['old'], [])).toEqual([{ kind: 'removed', text: 'old' }])
})

test('the difference renders as ins and del, each announced with its label', () => {
  const html = renderToStaticMarkup(
    createElement(TextDiff, {
      parts: diffText('turn it on', 'turn it off'),
      labels: { added: '追加:', removed: '削除:' },
    }),
  )
  expect(html).toMatch(/^<div class="text-diff"><span>turn it <\/span><del><span style="[^"]+">削除: <\/span>on<\/del>/)
  expect(html).toMatch(/<ins><span style="[^"]+">追加: <\/span>off<\/ins><\/div>$/)
})
