import { expect, test } from 'vitest'
import { prefixTerms, prefixTermsLiteral, queryWithPrefixTerms } from './prefix-terms.ts'
import { indexPositions, parseQuery } from './text.ts'

test('prefix terms: the one- and two-character starts of every word, once each, marked', () => {
  expect(prefixTerms(['the', 'team', 'tea', 'time'], 2).sort()).toEqual(['^t', '^te', '^th', '^ti'])
  expect(prefixTerms(['a', '42'], 2).sort()).toEqual(['^4', '^42', '^a'])
  expect(prefixTerms(['export'], 3).sort()).toEqual(['^e', '^ex', '^exp'])
})

test('prefix terms are cut from the words as the index cuts them, as query words are', () => {
  const words = indexPositions('Ｅｘｐｏｒｔ THE 東京 reports').map((slot) => slot[0]!)
  expect(prefixTerms(words, 2).sort()).toEqual(['^e', '^ex', '^r', '^re', '^t', '^th'])
  const typed = parseQuery('Ｅｘ')[0]
  expect(typed).toMatchObject({ kind: 'word', text: 'ex', prefix: true })
})

test('prefix terms: none for Japanese terms (bigrams, matched by prefix already), nor for empty words', () => {
  expect(prefixTerms(['東京', 'カス', 'export', ''], 2).sort()).toEqual(['^e', '^ex'])
})

test('prefix terms as a tsvector literal: quoted, without positions', () => {
  expect(prefixTermsLiteral(['^t', "^o'"])).toBe("'^t' '^o'''")
  expect(prefixTermsLiteral([])).toBe('')
})

test('a short prefix operand becomes its prefix term; longer ones stay prefixes', () => {
  expect(queryWithPrefixTerms("'t':*", 2)).toBe("'^t'")
  expect(queryWithPrefixTerms("('export' | '~export') & 'cs':*", 2)).toBe("('export' | '~export') & '^cs'")
  expect(queryWithPrefixTerms("'csv':*", 2)).toBe("'csv':*")
  expect(queryWithPrefixTerms("('a' & 'th':*) | 'th':*", 2)).toBe("('a' & '^th') | '^th'")
})

test('Japanese prefixes, weighted operands and whole words are left as they are', () => {
  expect(queryWithPrefixTerms("'東':*", 2)).toBe("'東':*")
  expect(queryWithPrefixTerms("'t':*A", 2)).toBe("'t':*A")
  expect(queryWithPrefixTerms("'t'", 2)).toBe("'t'")
  expect(queryWithPrefixTerms("'it''s' & 'x':*", 2)).toBe("'it''s' & '^x'")
})
