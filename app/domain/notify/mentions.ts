// Finding "@display name" mentions in a post. Display names may contain spaces and Japanese, so the
// text after "@" does not say where a name ends: each mention yields every plausible name (its
// candidates), and the database lookup (mentions.server.ts) keeps the longest one that names a user.

/** The longest name a mention can stand for, in characters and in words. */
export const MENTION_MAX_CHARS = 40
export const MENTION_MAX_WORDS = 4
const MAX_CHARS = MENTION_MAX_CHARS
const MAX_WORDS = MENTION_MAX_WORDS

/** Text before "@" that makes it part of an address or a path (`a@b.com`, `/@user`), not a mention. */
const NOT_A_MENTION_BEFORE = /[\p{L}\p{N}\p{M}/\\@._+\-=&%~]/u
/** A name may end before these: whitespace, punctuation (`,.!?:;)」、。`) and symbols. */
const BOUNDARY = /[\s\p{P}\p{S}]/u
/** Japanese is written without spaces, so a name may end between any two Japanese characters
 *  (`@山田 太郎さん` names 山田 太郎). */
const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々]/u
const NAME_START = /[\p{L}\p{N}]/u

/** Normalises a name for comparison; the lookup applies the same to stored display names. */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase()
}

/** The text with fenced code blocks and inline code spans blanked out: code is not prose, and
 *  `user@host` or a decorator like `@Component` in a snippet mentions nobody. */
export function withoutCode(text: string): string {
  const lines = text.split(/\r?\n/)
  let fence: { char: string; length: number } | null = null
  const kept: string[] = []
  for (const line of lines) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (fence) {
      const closes = marker?.[0] === fence.char && marker.length >= fence.length && /^ {0,3}[`~]+\s*$/.test(line)
      if (closes) fence = null
      kept.push('')
    } else if (marker) {
      fence = { char: marker[0]!, length: marker.length }
      kept.push('')
    } else {
      kept.push(line)
    }
  }
  // A code span opens and closes with backtick runs of the same length.
  return kept.join('\n').replace(/(?<!`)(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, ' ')
}

/** Whether an "@" after `before` (undefined at the start of the text) can start a mention. */
export function canStartMention(before: string | undefined): boolean {
  return before === undefined || /\s/u.test(before) || !NOT_A_MENTION_BEFORE.test(before)
}

function isBoundary(chars: readonly string[], end: number): boolean {
  const next = chars[end]
  if (next === undefined || BOUNDARY.test(next)) return true
  return JAPANESE.test(next) || JAPANESE.test(chars[end - 1]!)
}

/** One "@" that starts a mention: where it is (an index into `Array.from(text)`, so in code points) and
 *  the names it may stand for, each with the index just past its last character. */
export type MentionSpan = { at: number; candidates: { name: string; end: number }[] }

/** Every "@" of `chars` that starts a mention (at the start or after whitespace or punctuation), with its
 *  candidates as mentionCandidates describes them. Code is not removed here: callers pass prose. */
export function mentionSpans(chars: readonly string[]): MentionSpan[] {
  const spans: MentionSpan[] = []
  for (let at = 0; at < chars.length; at++) {
    if (chars[at] !== '@') continue
    if (!canStartMention(chars[at - 1])) continue
    if (!NAME_START.test(chars[at + 1] ?? '')) continue
    const candidates: MentionSpan['candidates'] = []
    let words = 1
    for (let end = at + 2; end <= Math.min(chars.length, at + 1 + MAX_CHARS); end++) {
      const last = chars[end - 1]!
      if (last === '\n' || last === '\r') break
      if (/\s/u.test(last)) {
        if (!/\s/u.test(chars[end - 2]!)) words++
        if (words > MAX_WORDS) break
        continue
      }
      if (isBoundary(chars, end)) candidates.push({ name: normalizeName(chars.slice(at + 1, end).join('')), end })
    }
    if (candidates.length > 0) spans.push({ at, candidates })
  }
  return spans
}

/** For each "@" that starts a mention (at the start of the text or after whitespace or punctuation,
 *  outside code), the names it may stand for: every prefix of the following text of at most 40
 *  characters and 4 words that ends at a boundary, on one line, normalised (NFKC, lower case).
 *  Mentions that can name nothing (`@ `, `@!`, a word longer than 40 characters) are left out. */
export function mentionCandidates(text: string): string[][] {
  return mentionSpans(Array.from(withoutCode(text))).map((span) => span.candidates.map((candidate) => candidate.name))
}
