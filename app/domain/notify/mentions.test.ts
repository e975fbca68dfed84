import { expect, test } from 'vitest'
import { mentionCandidates, withoutCode } from './mentions.ts'

test('an English mention offers every name that ends at a word or punctuation boundary', () => {
  expect(mentionCandidates('Thanks @Alice Smith, that worked.')).toEqual([
    [
      'alice',
      'alice smith',
      'alice smith,',
      'alice smith, that',
      'alice smith, that worked',
      'alice smith, that worked.',
    ],
  ])
})

test('a name ends before a letter only in Japanese text, so an honorific after the name is not part of it', () => {
  const [candidates] = mentionCandidates('@山田 太郎さん、ありがとうございます')
  expect(candidates).toContain('山田')
  expect(candidates).toContain('山田 太郎')
  expect(candidates).toContain('山田 太郎さん')
  expect(mentionCandidates('@Bobさん')[0]).toContain('bob')
  // In Latin script a name does not end inside a word.
  expect(mentionCandidates('@bobby')).toEqual([['bobby']])
})

test('candidates are NFKC-normalised and lower-cased; full-width spaces and letters match ordinary ones', () => {
  expect(mentionCandidates('@ＡＮＮＡ　Ｌｅｅ')).toEqual([['anna', 'anna lee']])
})

test('a candidate has at most 4 words and 40 characters, and stays on its line', () => {
  expect(mentionCandidates('@one two three four five six').at(0)?.at(-1)).toBe('one two three four')
  const long = `@${'a'.repeat(45)}`
  expect(mentionCandidates(long)).toEqual([])
  expect(mentionCandidates('@Ann\nLee')).toEqual([['ann']])
})

test('several mentions give one list each, in order', () => {
  const mentions = mentionCandidates('@ann and (@bob) 「@山田」')
  expect(mentions).toHaveLength(3)
  expect(mentions[0]![0]).toBe('ann')
  expect(mentions[1]![0]).toBe('bob')
  expect(mentions[2]).toContain('山田')
})

test('email addresses, paths and a lone @ are not mentions', () => {
  expect(mentionCandidates('write to ann@example.com or see https://example.com/@bob')).toEqual([])
  expect(mentionCandidates('first.last@example.co.jp')).toEqual([])
  expect(mentionCandidates('meet @ noon, @!')).toEqual([])
})

test('mentions inside code spans and fenced code blocks are ignored', () => {
  const text = [
    'Ask @Carol about this:',
    '```ts',
    '@Component({ selector: "x" })',
    '```',
    'and run `npm login @dave` first, or ``@eve``.',
    '~~~',
    '@frank',
    '~~~',
  ].join('\n')
  const mentions = mentionCandidates(text)
  expect(mentions).toHaveLength(1)
  expect(mentions[0]![0]).toBe('carol')
  expect(withoutCode('a `b` c')).toBe('a   c')
})

test('an unclosed fence hides the rest of the text; an unmatched backtick hides nothing', () => {
  expect(mentionCandidates('```\n@ann')).toEqual([])
  expect(mentionCandidates('a ` @ann')).toHaveLength(1)
})
