import stemWord from 'wink-porter2-stemmer'
import type { HighlightPart } from './engine.ts'

/** Text analysis shared by indexing and querying: both sides must cut text the same way
 *  (docs/decisions/013-search.md, 044-search-analysis.md).
 *  - Latin-script (and other spaced scripts') words are terms as they are, lower-cased after NFKC; an
 *    English word is also indexed as its Snowball stem (`~export` beside `exporting`), so inflected
 *    forms meet while the exact word still ranks first.
 *  - Japanese has no spaces. A run of kanji and kana is folded (hiragana as katakana, small kana as
 *    large, no long-vowel mark: へるすすこあ, ウエビナー and ウェビナー meet) and indexed as
 *    overlapping character bigrams (東京都 → 東京, 京都), so any word inside it is found without a
 *    dictionary; a lone character is indexed as itself. Two kanji across one or two kana of
 *    okurigana are also indexed as a pair (持ち物 → 持物, 申し込み → 申込). Queries are cut into words
 *    with Intl.Segmenter('ja'), each word then matched as its bigrams, so particles between words
 *    (の, を) do not have to match. */

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
const hiraganaWord = /^[\p{Script=Hiragana}\u30fc]+$/u

function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** Kana as searched: hiragana as katakana, small kana as large, the long-vowel mark left out, so the
 *  spellings a reader may type for one word meet (へるすすこあ, ヘルススコア; ウエビナー, ウェビナ). */
const kanaFolds = new Map<string, string>([
  ['ー', ''],
  ['ゝ', 'ヽ'],
  ['ゞ', 'ヾ'],
])
const smallKana =
  'ァアィイゥウェエォオッツャヤュユョヨヮワヵカヶケㇰクㇱシㇲスㇳトㇴヌㇵハㇶヒㇷフㇸヘㇹホㇺムㇻラㇼリㇽルㇾレㇿロ'
for (let i = 0; i < smallKana.length; i += 2) kanaFolds.set(smallKana[i]!, smallKana[i + 1]!)
for (let code = 0x3041; code <= 0x3096; code++) {
  const katakana = String.fromCharCode(code + 0x60)
  kanaFolds.set(String.fromCharCode(code), kanaFolds.get(katakana) ?? katakana)
}
const foldable = new RegExp(`[${[...kanaFolds.keys()].join('')}]`, 'gu')

function foldKana(text: string): string {
  return text.replace(foldable, (char) => kanaFolds.get(char) ?? char)
}

/** Text as both engines compare it: NFKC, lower case, kana folded. Meilisearch's adapter folds its
 *  fields and queries with it too. */
export function foldForSearch(text: string): string {
  return foldKana(normalizeText(text))
}

const stems = new Map<string, string>()
const stemmable = /^[a-z]{3,}$/u

/** The Snowball English (Porter2) stem of a lower-case word: exporting, exports → export; limiting →
 *  limit. Words that are not plain a–z (numbers, other scripts) are their own stem. */
export function stem(word: string): string {
  if (!stemmable.test(word)) return word
  let found = stems.get(word)
  if (found === undefined) {
    found = stemWord(word)
    if (stems.size > 50_000) stems.clear()
    stems.set(word, found)
  }
  return found
}

/** The index term of a stem: marked, so a stem never passes for the exact word (and a stem that is a
 *  word, `export`, is not counted as an exact match of `exporting`). */
export function stemTerm(word: string): string {
  return `~${stem(word)}`
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

/** Words and Japanese runs of normalised text, in order; Japanese runs folded. */
export function tokens(text: string): string[] {
  return (normalizeText(text).match(tokenPattern) ?? [])
    .map((token) => (isCjk(token) ? foldKana(token) : token))
    .filter(Boolean)
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

/** Two kanji with one or two kana of okurigana between them (持ち物, 申し込み, 問い合わせ); not
 *  across a particle (会社の設定 is no 社設). */
const okuriganaPair = /(\p{Script=Han})(\p{Script=Hiragana}{1,2})(?=(\p{Script=Han}))/gu
const particles = new Set(
  'の は が を に で と へ も や か から まで より など には では とは への での との'.split(' '),
)

/** A word without the okurigana between and after its kanji (申し込み → 申込, 問合せ → 問合). */
function withoutOkurigana(word: string): string {
  return word
    .replace(okuriganaPair, (pair, kanji: string, kana: string) => (particles.has(kana) ? pair : kanji))
    .replace(/(\p{Script=Han})\p{Script=Hiragana}+$/u, '$1')
}

/** The index terms of a text, one list per position (positions matter for ranking): each word with
 *  its stem, each bigram of a Japanese run with the okurigana pair starting there. Terms longer than
 *  60 characters are cut: nobody searches for them whole. */
export function indexPositions(text: string): string[][] {
  const positions: string[][] = []
  for (const token of normalizeText(text).match(tokenPattern) ?? []) {
    if (!isCjk(token)) {
      const word = token.slice(0, 60)
      const stemmed = stem(word)
      positions.push(stemmed === word ? [word] : [word, stemTerm(word)])
      continue
    }
    const folded = foldKana(token)
    if (!folded) continue
    const at = positions.length
    for (const gram of bigrams(folded)) positions.push([gram])
    for (const match of token.matchAll(okuriganaPair)) {
      if (particles.has(match[2]!)) continue
      const slot = [...foldKana(token.slice(0, match.index))].length
      positions[Math.min(at + slot, positions.length - 1)]?.push(`${match[1]}${match[3]}`)
    }
  }
  return positions
}

/** One part of a query that a document must match. A word matches itself (as a prefix when it is the
 *  last one typed), its stem, and typo corrections; a Japanese word its bigrams (folded), or those of
 *  its `compact` spelling without okurigana (申し込み → 申込) when it has one. */
export type QueryGroup =
  | { kind: 'word'; text: string; stem: string | null; prefix: boolean; required: boolean }
  | { kind: 'cjk'; text: string; grams: string[]; compact: string; required: boolean }

/** A group worth requiring: not a stop word, not a lone Japanese character. */
export function isMeaningful(group: QueryGroup): boolean {
  return group.kind === 'word' ? !stopWords.has(group.text) : [...group.text].length > 1
}

function wordGroup(text: string, prefix: boolean): QueryGroup {
  return { kind: 'word', text, stem: stemmable.test(text) ? stem(text) : null, prefix, required: true }
}

/** A Japanese query word (normalised, not yet folded) as a group; null when folding leaves nothing
 *  (a lone ー). */
function cjkGroup(word: string): QueryGroup | null {
  const text = foldKana(word)
  if (!text) return null
  const compact = withoutOkurigana(word)
  const folded = foldKana(compact)
  const useful = compact !== word && [...folded].length > 1
  return { kind: 'cjk', text, grams: bigrams(text), compact: useful ? folded : '', required: true }
}

/** The words of a Japanese run of a query, particles left out. Whether a piece is a particle is
 *  decided on the script the reader typed, before folding (after it, の is ノ). A run that starts
 *  with hiragana cut into pieces of one or two characters is a word typed in kana that the
 *  segmenter does not know (へるすすこあ → へ|る|すす|こ|あ), not particles: it stays whole — the
 *  whole run, or the leading part of it as an optional word. */
function japaneseWords(run: string): { word: string; optional: boolean }[] {
  const segments = joinLoneKanji([...segmenter.segment(run)].map((s) => s.segment))
  let lead = 0
  while (lead < segments.length && hiraganaWord.test(segments[lead]!)) lead++
  const words: { word: string; optional: boolean }[] = []
  let from = 0
  if (lead === segments.length) return [{ word: run, optional: false }]
  const leading = segments.slice(0, lead)
  if (lead > 0 && leading.every((s) => [...s].length <= 2) && [...leading.join('')].length >= 3) {
    words.push({ word: leading.join(''), optional: true })
    from = lead
  }
  for (const segment of segments.slice(from)) {
    if (!particle.test(segment)) words.push({ word: segment, optional: false })
  }
  return words
}

/** The segmenter cuts kanji compounds it does not know, often spelled without okurigana, into single
 *  characters (取込 → 取|込, 絞込み → 絞|込み): a lone kanji is joined with a following kanji that
 *  stands alone or with only its okurigana, so the compound is searched whole. */
function joinLoneKanji(segments: string[]): string[] {
  const joined: string[] = []
  for (const segment of segments) {
    const last = joined[joined.length - 1]
    if (last && loneKanji.test(last) && kanjiWithOkurigana.test(segment)) joined[joined.length - 1] = last + segment
    else joined.push(segment)
  }
  return joined
}
const loneKanji = /^\p{Script=Han}$/u
const kanjiWithOkurigana = /^\p{Script=Han}\p{Script=Hiragana}{0,2}$/u

/** Cuts a query into groups. The last Latin word is a prefix unless the query ends with a space
 *  (the reader finished typing it). Stop words and lone Japanese characters are optional when the
 *  query has anything else. A query of punctuation only has no groups: it finds nothing. */
export function parseQuery(q: string): QueryGroup[] {
  const normalized = normalizeText(q)
  const endsTyping = !/\s$/u.test(normalized)
  const raw = normalized.match(tokenPattern) ?? []
  const groups: QueryGroup[] = []
  const optional = new Set<QueryGroup>()
  raw.forEach((token, index) => {
    if (!isCjk(token)) {
      groups.push(wordGroup(token.slice(0, 60), endsTyping && index === raw.length - 1))
      return
    }
    for (const { word, optional: isOptional } of japaneseWords(token)) {
      const group = cjkGroup(word)
      if (!group) continue
      groups.push(group)
      if (isOptional) optional.add(group)
    }
  })
  const meaningful = groups.filter((g) => isMeaningful(g) && !optional.has(g))
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

// ---------------------------------------------------------------------------------------------------
// Synonyms

/** A synonym key or alternative as stored and looked up: its words and folded Japanese runs, single
 *  spaces (Cancel  Contract → cancel contract; ユーザー → ユザ). */
export function synonymKey(phrase: string): string {
  return tokens(phrase).join(' ')
}

/** Where a synonym key stands in a query: the groups it covers (`from`–`to`, inclusive) and, for a
 *  Japanese key inside a longer word, the parts of that word left outside it (解約方法 with 解約 →
 *  方法), which a document found through the synonym must still match. */
export type SynonymSpan = { key: string; from: number; to: number; rest: string[] }

/** Runs of consecutive groups of one kind, which is where a key may stand: up to four words in a row
 *  (a phrase), or any part of consecutive Japanese words. */
function groupRuns(groups: QueryGroup[]): { kind: QueryGroup['kind']; start: number; end: number }[] {
  const runs: { kind: QueryGroup['kind']; start: number; end: number }[] = []
  groups.forEach((group, i) => {
    const last = runs[runs.length - 1]
    if (last && last.kind === group.kind && last.end === i - 1) last.end = i
    else runs.push({ kind: group.kind, start: i, end: i })
  })
  return runs
}

const MAX_PHRASE_WORDS = 4
const MAX_KEY_CHARS = 16

/** Every place a synonym key could stand in the query, by key: the lookup reads just these. */
export function synonymCandidates(groups: QueryGroup[]): Map<string, SynonymSpan[]> {
  const found = new Map<string, SynonymSpan[]>()
  const add = (span: SynonymSpan) => {
    const list = found.get(span.key) ?? []
    list.push(span)
    found.set(span.key, list)
  }
  for (const run of groupRuns(groups)) {
    if (run.kind === 'word') {
      for (let from = run.start; from <= run.end; from++) {
        for (let to = from; to <= Math.min(run.end, from + MAX_PHRASE_WORDS - 1); to++) {
          const key = groups
            .slice(from, to + 1)
            .map((g) => g.text)
            .join(' ')
          add({ key, from, to, rest: [] })
        }
      }
      continue
    }
    // The Japanese words of the run, end to end, with the group each character belongs to.
    const chars: { char: string; group: number; at: number }[] = []
    for (let g = run.start; g <= run.end; g++) {
      ;[...groups[g]!.text].forEach((char, at) => {
        chars.push({ char, group: g, at })
      })
    }
    for (let start = 0; start < chars.length; start++) {
      for (let end = start + 2; end <= Math.min(chars.length, start + MAX_KEY_CHARS); end++) {
        const first = chars[start]!
        const last = chars[end - 1]!
        const firstText = [...groups[first.group]!.text]
        const lastText = [...groups[last.group]!.text]
        const rest = [firstText.slice(0, first.at).join(''), lastText.slice(last.at + 1).join('')].filter(
          (part) => [...part].length > 1,
        )
        add({
          key: chars
            .slice(start, end)
            .map((c) => c.char)
            .join(''),
          from: first.group,
          to: last.group,
          rest,
        })
      }
    }
  }
  return found
}

/** The keys found, as spans that do not overlap: the longest first, then the earliest. */
export function synonymSpans(candidates: Map<string, SynonymSpan[]>, keys: Iterable<string>): SynonymSpan[] {
  const spans = [...keys].flatMap((key) => candidates.get(key) ?? [])
  spans.sort((a, b) => [...b.key].length - [...a.key].length || a.from - b.from)
  const chosen: SynonymSpan[] = []
  for (const span of spans) {
    if (chosen.some((c) => span.from <= c.to && c.from <= span.to)) continue
    chosen.push(span)
  }
  return chosen.sort((a, b) => a.from - b.from)
}

/** The groups of a synonym alternative: every word required and whole (no prefix), each Japanese run
 *  matched whole (staff wrote it: nothing in it is a particle). */
export function phraseGroups(phrase: string): QueryGroup[] {
  const groups: QueryGroup[] = []
  for (const token of normalizeText(phrase).match(tokenPattern) ?? []) {
    const group = isCjk(token) ? cjkGroup(token) : wordGroup(token.slice(0, 60), false)
    if (group) groups.push(group)
  }
  return groups
}

// ---------------------------------------------------------------------------------------------------
// Highlights and snippets

/** What to mark in results: whole words starting with a Latin needle, whole words whose stem is one
 *  of `stems`, and every occurrence of a Japanese needle (folded, so ヘルススコア is marked for
 *  へるすすこあ; okurigana may stand between its kanji, so 持物 marks 持ち物). Japanese needles are
 *  whole query words (パスワード), never their bigrams: a bigram alone (ード) also sits inside
 *  unrelated words (ダウンロード). */
export type Needles = { words: string[]; stems?: string[]; cjk: string[] }

type Range = [start: number, end: number]

/** Sound marks that NFKC joins to the kana before them (ｶﾞ, か + ゛ are one letter once normalised). */
function isSoundMark(code: number): boolean {
  return code === 0x3099 || code === 0x309a || code === 0xff9e || code === 0xff9f
}

/** Characters that NFKC and lower case leave alone or only lower-case one for one: ASCII, kanji and
 *  ordinary kana (the bulk of every text), so they skip the slow general path. */
function isPlain(code: number): boolean {
  return (
    code < 0x80 ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a1 && code <= 0x30fa) ||
    code === 0x30fc
  )
}

/** Normalises and folds text letter by letter, remembering where each resulting character came from,
 *  so matches found in folded text map back onto the original (`from`; none when every character
 *  stays where it was: ASCII text, only lower-cased). */
function foldedWithMap(text: string): { text: string; from: number[] | null } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range
  if (/^[\u0000-\u007f]*$/u.test(text)) return { text: text.toLowerCase(), from: null }
  let folded = ''
  const from: number[] = []
  let i = 0
  while (i < text.length) {
    const code = text.charCodeAt(i)
    if (isPlain(code) && !isSoundMark(text.charCodeAt(i + 1))) {
      const char = text[i]!
      const f = code < 0x80 ? char.toLowerCase() : (kanaFolds.get(char) ?? char)
      if (f) {
        folded += f
        from.push(i)
      }
      i++
      continue
    }
    // A whole code point with the sound marks after it.
    let end = i + (code >= 0xd800 && code <= 0xdbff ? 2 : 1)
    while (end < text.length && isSoundMark(text.charCodeAt(end))) end++
    const f = foldKana(normalizeText(text.slice(i, end)))
    for (let k = 0; k < f.length; k++) from.push(i)
    folded += f
    i = end
  }
  from.push(text.length)
  return { text: folded, from }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')
}

/** A Japanese needle as a pattern over folded text: between two of its kanji, up to two kana of
 *  okurigana (folded to katakana) may stand. */
function cjkPattern(needle: string): RegExp {
  const chars = [...needle]
  const source = chars
    .map((char, i) => {
      const next = chars[i + 1]
      const okurigana = next && /\p{Script=Han}/u.test(char) && /\p{Script=Han}/u.test(next)
      return `${escapeRegExp(char)}${okurigana ? '[\\u30a1-\\u30fa]{0,2}' : ''}`
    })
    .join('')
  return new RegExp(source, 'gu')
}

/** Every match in `text` (original offsets), with the needle it matched. */
function matchesOf(text: string, needles: Needles): { range: Range; needle: string }[] {
  const { text: folded, from } = foldedWithMap(text)
  const found: { range: Range; needle: string }[] = []
  const toOriginal = (start: number, end: number): Range =>
    from ? [from[start] ?? 0, from[end] ?? text.length] : [start, end]
  const stemNeedles = new Set(needles.stems ?? [])
  // Words are looked for where a needle's start occurs, not by cutting the whole text into words: a
  // stem's word starts with all of it but its last letters (Porter2 rewrites endings: happi, happy).
  const starts = new Set([
    ...needles.words.map(normalizeText),
    ...[...stemNeedles].map((s) => s.slice(0, Math.max(2, s.length - 3))),
  ])
  const words = new Map<number, { range: Range; needle: string }>()
  for (const start of starts) {
    if (!start) continue
    for (let at = folded.indexOf(start); at !== -1; at = folded.indexOf(start, at + 1)) {
      if (words.has(at) || (at > 0 && isWordChar(folded[at - 1]!))) continue
      let end = at
      while (end < folded.length && isWordChar(folded[end]!)) end++
      const word = folded.slice(at, end)
      let needle = needles.words.find((candidate) => word.startsWith(candidate))
      if (!needle && stemNeedles.size) {
        const stemmed = stem(word)
        if (stemNeedles.has(stemmed)) needle = stemmed
      }
      if (needle) words.set(at, { range: toOriginal(at, end), needle })
    }
  }
  found.push(...words.values())
  for (const needle of needles.cjk.map(foldForSearch)) {
    if (!needle) continue
    for (const match of folded.matchAll(cjkPattern(needle))) {
      if (!match[0]) continue
      found.push({ range: toOriginal(match.index, match.index + match[0].length), needle })
    }
  }
  return found.sort((a, b) => a.range[0] - b.range[0])
}

/** A letter of a spaced-script word (not Japanese). */
function isWordChar(char: string): boolean {
  return wordChar.test(char) && !cjkChar.test(char)
}
const wordChar = /[\p{L}\p{N}\p{M}]/u

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

/** The best passage: the run of matches fitting in `length` characters that holds the most different
 *  needles (the earliest of equals), as the span from its first match's start to its last match's end.
 *  One pass with a sliding window over the matches, sorted by start. */
function bestMatches(matches: { range: Range; needle: string }[], length: number): Range | null {
  let best: { span: Range; needles: number } | null = null
  const inWindow = new Map<string, number>()
  let end = 0
  for (let i = 0; i < matches.length; i++) {
    const first = matches[i]!
    while (end < matches.length && matches[end]!.range[1] <= first.range[0] + length) {
      const { needle } = matches[end]!
      inWindow.set(needle, (inWindow.get(needle) ?? 0) + 1)
      end++
    }
    if (!best || inWindow.size > best.needles) {
      let spanEnd = first.range[1]
      for (let k = i; k < end; k++) spanEnd = Math.max(spanEnd, matches[k]!.range[1])
      best = { span: [first.range[0], spanEnd], needles: inWindow.size }
    }
    if (end > i) {
      const left = (inWindow.get(first.needle) ?? 1) - 1
      if (left) inWindow.set(first.needle, left)
      else inWindow.delete(first.needle)
    } else {
      end = i + 1
    }
  }
  return best?.span ?? null
}

/** About `length` characters of `text` centred on its best passage (the one with the most query
 *  words; else the start of the text), matches marked, with an ellipsis where text was cut. Cuts fall
 *  on spaces where there are any nearby. */
export function snippet(text: string, needles: Needles, length = 160): HighlightPart[] {
  const flat = text.replace(/\s+/gu, ' ').trim()
  if (!flat) return []
  const matches = matchesOf(flat, needles)
  const ranges = mergeRanges(matches.map((match) => [...match.range] as Range))
  let start = 0
  const passage = bestMatches(matches, length)
  if (passage && flat.length > length) {
    const centre = Math.floor((passage[0] + passage[1]) / 2)
    start = Math.max(0, Math.min(centre - Math.floor(length / 2), flat.length - length, passage[0]))
    const space = flat.lastIndexOf(' ', start)
    if (start > 0 && space !== -1 && space > start - 20) start = space + 1
  }
  let end = Math.min(flat.length, start + length)
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end)
    if (space > end - 20 && space > start && space >= (passage?.[1] ?? 0)) end = space
  }
  const parts = partsOf(flat, ranges, start, end)
  if (start > 0) parts.unshift({ text: '…', match: false })
  if (end < flat.length) parts.push({ text: '…', match: false })
  return parts
}
