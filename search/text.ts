import type { HighlightPart } from './engine.ts'

/** Text analysis shared by indexing and querying: both sides must cut text the same way.
 *  - Latin-script (and other spaced scripts') words are terms as they are, lower-cased after NFKC.
 *  - Japanese has no spaces. A run of kanji and kana is indexed as overlapping character bigrams
 *    (東京都 → 東京, 京都), so any word inside it is found without a dictionary; a lone character is
 *    indexed as itself. Queries are cut into words with Intl.Segmenter('ja'), each word then matched
 *    as its bigrams, so particles between words (の, を) do not have to match. */

const cjkClass = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30fc\\u3005\\u3006'
const tokenPattern = new RegExp(`[${cjkClass}]+|(?:(?![${cjkClass}])[\\p{L}\\p{N}\\p{M}])+`, 'gu')
const cjkRun = new RegExp(`^[${cjkClass}]+$`, 'u')
const cjkChar = new RegExp(`[${cjkClass}]`, 'u')
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' })

/** Latin words this short match by prefix only when typed last; typos are allowed from 5 letters
 *  (one) and 9 letters (two), as Meilisearch does. */
export const typoThresholds = { one: 5, two: 9 } as const

/** English words too common to require: dropped from a query that has other words. */
const stopWords = new Set(
  'a an and are as at be but by can do does for from how i if in into is it its my not of on or our so that the their then there these this to was what when where which who why will with you your'.split(
    ' ',
  ),
)

/** Hiragana-only words of one or two characters are particles and endings (の, を, は, から, ます). */
const particle = /^[\p{Script=Hiragana}]{1,2}$/u

function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** A query as grouped in search insights: NFKC, lower case, single spaces. */
export function normalizeQuery(q: string): string {
  return normalizeText(q).replace(/\s+/gu, ' ').trim()
}

export function isCjk(text: string): boolean {
  return cjkRun.test(text)
}

export function hasCjk(text: string): boolean {
  return cjkChar.test(text)
}

/** Words and Japanese runs of normalised text, in order. */
export function tokens(text: string): string[] {
  return normalizeText(text).match(tokenPattern) ?? []
}

export function bigrams(run: string): string[] {
  const chars = [...run]
  if (chars.length < 2) return chars
  const grams: string[] = []
  chars.slice(1).forEach((char, i) => {
    grams.push(`${chars[i]}${char}`)
  })
  return grams
}

/** The index terms of a text, in order (positions matter for ranking): words, and bigrams of
 *  Japanese runs. Terms longer than 60 characters are cut: nobody searches for them whole. */
export function indexTerms(text: string): string[] {
  const terms: string[] = []
  for (const token of tokens(text)) {
    if (isCjk(token)) terms.push(...bigrams(token))
    else terms.push(token.slice(0, 60))
  }
  return terms
}

/** One part of a query that a document must match. */
export type QueryGroup =
  | { kind: 'word'; text: string; prefix: boolean; required: boolean }
  | { kind: 'cjk'; text: string; grams: string[]; required: boolean }

/** A group worth requiring: not a stop word, not a lone Japanese character. */
export function isMeaningful(group: QueryGroup): boolean {
  return group.kind === 'word' ? !stopWords.has(group.text) : [...group.text].length > 1
}

/** Cuts a query into groups. The last Latin word is a prefix unless the query ends with a space
 *  (the reader finished typing it). Stop words and lone Japanese characters are optional when the
 *  query has anything else. */
export function parseQuery(q: string): QueryGroup[] {
  const normalized = normalizeText(q)
  const endsTyping = !/\s$/u.test(normalized)
  const raw = normalized.match(tokenPattern) ?? []
  const groups: QueryGroup[] = []
  raw.forEach((token, index) => {
    if (!isCjk(token)) {
      const text = token.slice(0, 60)
      groups.push({ kind: 'word', text, prefix: endsTyping && index === raw.length - 1, required: true })
      return
    }
    for (const { segment } of segmenter.segment(token)) {
      if (particle.test(segment) && token.length > segment.length) continue
      groups.push({ kind: 'cjk', text: segment, grams: bigrams(segment), required: true })
    }
  })
  const meaningful = groups.filter(isMeaningful)
  if (meaningful.length) for (const g of groups) g.required = meaningful.includes(g)
  // A long query (a pasted sentence) keeps at most eight required groups, the longest ones.
  const required = groups.filter((g) => g.required)
  if (required.length > 8) {
    const keep = new Set([...required].sort((a, b) => b.text.length - a.text.length).slice(0, 8))
    for (const g of required) g.required = keep.has(g)
  }
  return groups
}

/** Edits allowed between a typed word and an indexed term. */
export function allowedTypos(word: string): number {
  const length = [...word].length
  return length >= typoThresholds.two ? 2 : length >= typoThresholds.one ? 1 : 0
}

/** Damerau-Levenshtein distance (with adjacent transpositions), stopping early above `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  const s = [...a]
  const t = [...b]
  if (Math.abs(s.length - t.length) > max) return max + 1
  // Rows of the distance table, flattened; `at` reads a cell (every cell read is already written).
  const width = t.length + 1
  const table = new Array<number>((s.length + 1) * width).fill(0)
  const at = (i: number, j: number) => table[i * width + j] ?? 0
  for (let j = 0; j < width; j++) table[j] = j
  for (let i = 1; i <= s.length; i++) {
    table[i * width] = i
    let best = i
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1)
      }
      table[i * width + j] = value
      best = Math.min(best, value)
    }
    if (best > max) return max + 1
  }
  return at(s.length, t.length)
}

/** What to mark in results: whole words starting with a Latin needle, and every occurrence of a
 *  Japanese needle. Japanese needles are whole query words (パスワード), never their bigrams: a bigram
 *  alone (ード) also sits inside unrelated words (ダウンロード). */
export type Needles = { words: string[]; cjk: string[] }

type Range = [start: number, end: number]

/** Normalises text character by character, remembering where each normalised character came from, so
 *  matches found in normalised text map back onto the original. */
function normalizedWithMap(text: string): { text: string; from: number[] } {
  let normalized = ''
  const from: number[] = []
  let offset = 0
  for (const char of text) {
    const n = normalizeText(char)
    for (let k = 0; k < n.length; k++) from.push(offset)
    normalized += n
    offset += char.length
  }
  from.push(offset)
  return { text: normalized, from }
}

/** Every match in `text` (original offsets), with the needle it matched. */
function matchesOf(text: string, needles: Needles): { range: Range; needle: string }[] {
  const { text: normalized, from } = normalizedWithMap(text)
  const found: { range: Range; needle: string }[] = []
  const toOriginal = (start: number, end: number): Range => [from[start] ?? 0, from[end] ?? text.length]
  if (needles.words.length) {
    for (const match of normalized.matchAll(tokenPattern)) {
      const word = match[0]
      if (isCjk(word)) continue
      const needle = needles.words.find((candidate) => word.startsWith(candidate))
      if (needle) found.push({ range: toOriginal(match.index, match.index + word.length), needle })
    }
  }
  for (const needle of needles.cjk) {
    if (!needle) continue
    let at = normalized.indexOf(needle)
    while (at !== -1) {
      found.push({ range: toOriginal(at, at + needle.length), needle })
      at = normalized.indexOf(needle, at + 1)
    }
  }
  return found.sort((a, b) => a.range[0] - b.range[0])
}

function matchRanges(text: string, needles: Needles): Range[] {
  return mergeRanges(matchesOf(text, needles).map((match) => match.range))
}

function mergeRanges(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0])
  const merged: Range[] = []
  for (const range of ranges) {
    const last = merged[merged.length - 1]
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }
  return merged
}

function partsOf(text: string, ranges: Range[], start = 0, end = text.length): HighlightPart[] {
  const parts: HighlightPart[] = []
  let at = start
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue
    const a = Math.max(from, start)
    const b = Math.min(to, end)
    if (a > at) parts.push({ text: text.slice(at, a), match: false })
    parts.push({ text: text.slice(a, b), match: true })
    at = b
  }
  if (at < end) parts.push({ text: text.slice(at, end), match: false })
  return parts
}

/** The whole text with the needles marked. */
export function highlight(text: string, needles: Needles): HighlightPart[] {
  return partsOf(text, matchRanges(text, needles))
}

/** Where the best passage starts: the match whose window (a quarter of `length` before it, the rest
 *  after) holds the most different needles, the earliest of equals. */
function bestMatchStart(matches: { range: Range; needle: string }[], length: number): number {
  let best = { at: matches[0]?.range[0] ?? 0, needles: 0 }
  for (const { range } of matches) {
    const windowEnd = range[0] + length - Math.floor(length / 4)
    const inside = new Set(
      matches.filter((m) => m.range[0] >= range[0] && m.range[1] <= windowEnd).map((m) => m.needle),
    )
    if (inside.size > best.needles) best = { at: range[0], needles: inside.size }
  }
  return best.at
}

/** About `length` characters of `text` around its best match (the passage with the most query words;
 *  else its start), matches marked, with an ellipsis where text was cut. Cuts fall on spaces where
 *  there are any nearby. */
export function snippet(text: string, needles: Needles, length = 160): HighlightPart[] {
  const flat = text.replace(/\s+/gu, ' ').trim()
  if (!flat) return []
  const matches = matchesOf(flat, needles)
  const ranges = mergeRanges(matches.map((match) => [...match.range] as Range))
  let start = 0
  const first = bestMatchStart(matches, length)
  if (first > length / 4) {
    start = first - Math.floor(length / 4)
    const space = flat.lastIndexOf(' ', first - 1)
    if (space > start - 20 && space < first) start = space + 1
  }
  let end = Math.min(flat.length, start + length)
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end)
    if (space > end - 20 && space > start) end = space
  }
  const parts = partsOf(flat, ranges, start, end)
  if (start > 0) parts.unshift({ text: '…', match: false })
  if (end < flat.length) parts.push({ text: '…', match: false })
  return parts
}
