import { hasCjk } from './text.ts'

/** Prefix terms of the embedded engine: a word being typed (`t`, `th`) is matched as a prefix, and a
 *  prefix query (`'t':*`) makes the GIN index read every entry starting with it, thousands for one
 *  letter, before it can answer. Indexing the short prefixes of each document's words as terms of
 *  their own (`^t`, `^th`) makes each such query read one entry. Longer prefixes match few entries. */

/** Marks a prefix term: words never contain it (they are letters, digits and marks), so a prefix term
 *  never matches a word, nor a word query a prefix term. */
const MARK = '^'

function quote(term: string): string {
  return `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}

/** The distinct prefixes of one to `max` characters of `words` (as the index cuts them: normalised
 *  and lower-cased), as terms, for the document's tsvector. Japanese terms are skipped: they are
 *  bigrams, which prefix queries match already. */
export function prefixTerms(words: Iterable<string>, max: number): string[] {
  const terms = new Set<string>()
  for (const word of words) {
    if (!word || hasCjk(word)) continue
    let prefix = MARK
    let length = 0
    for (const char of word) {
      prefix += char
      terms.add(prefix)
      if (++length >= max) break
    }
  }
  return [...terms]
}

/** The terms as a tsvector literal without positions: they only match, never rank. */
export function prefixTermsLiteral(terms: string[]): string {
  return terms.map(quote).join(' ')
}

const prefixOperand = /(^|[\s(|&!])'((?:[^'\\]|''|\\\\)+)':\*(?![A-Da-d*])/gu

/** The tsquery with each short prefix operand (`'t':*`, the last word while it is typed) replaced by
 *  its prefix term (`'^t'`), for matching through the index. Japanese prefixes (a lone kana or kanji,
 *  matched against bigrams) and operands limited to a weight stay as they are. */
export function queryWithPrefixTerms(tsquery: string, max: number): string {
  return tsquery.replace(prefixOperand, (operand, before: string, quoted: string) => {
    const text = quoted.replaceAll("''", "'").replaceAll('\\\\', '\\')
    if ([...text].length > max || hasCjk(text)) return operand
    return `${before}${quote(MARK + text)}`
  })
}
