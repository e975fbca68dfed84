import { type ChangeObject, diffArrays, diffWordsWithSpace } from 'diff'

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string }

/** Beyond this many edits a word-level difference is slow to compute and no easier to read than a
 *  line-level one; beyond it again for lines, the revision is shown as replaced whole. */
const MAX_EDITS = 2000

/** Scripts written without spaces between words: their words come from the segmenter. */
const unspacedScript = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}]/u

const wordSegmenter = new Intl.Segmenter('ja', { granularity: 'word' })

/** Words, spaces and punctuation of `text`, in order; joined they give `text` back. The segmenter
 *  splits Latin text at spaces as well, so mixed text is tokenized consistently. */
function segmentWords(text: string): string[] {
  return Array.from(wordSegmenter.segment(text), (segment) => segment.segment)
}

/** Lines of `text`, each keeping its line break. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? []
}

function kindOf(change: ChangeObject<unknown>): DiffPart['kind'] {
  return change.added ? 'added' : change.removed ? 'removed' : 'same'
}

/** Adjacent parts of one kind become one part, and empty parts are dropped. */
function merge(parts: DiffPart[]): DiffPart[] {
  const merged: DiffPart[] = []
  for (const part of parts) {
    if (!part.text) continue
    const last = merged.at(-1)
    if (last?.kind === part.kind) last.text += part.text
    else merged.push({ ...part })
  }
  return merged
}

function fromTokens(changes: ChangeObject<string[]>[] | undefined): DiffPart[] | undefined {
  return changes && merge(changes.map((change) => ({ kind: kindOf(change), text: change.value.join('') })))
}

function byWords(before: string, after: string): DiffPart[] | undefined {
  if (unspacedScript.test(before) || unspacedScript.test(after)) {
    return fromTokens(diffArrays(segmentWords(before), segmentWords(after), { maxEditLength: MAX_EDITS }))
  }
  const changes = diffWordsWithSpace(before, after, { maxEditLength: MAX_EDITS })
  return changes && merge(changes.map((change) => ({ kind: kindOf(change), text: change.value })))
}

function byLines(before: string, after: string): DiffPart[] | undefined {
  return fromTokens(diffArrays(splitLines(before), splitLines(after), { maxEditLength: MAX_EDITS }))
}

/** How `before` became `after`, word by word: spaced text by words and runs of whitespace, text
 *  with Japanese (or other unspaced scripts) by the words the segmenter finds. Joining the 'same'
 *  and 'removed' parts gives `before` back; 'same' and 'added' give `after`. Very different long
 *  texts fall back to lines, then to the whole text replaced, so the cost stays bounded. */
export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return merge([{ kind: 'same', text: before }])
  return (
    byWords(before, after) ??
    byLines(before, after) ??
    merge([
      { kind: 'removed', text: before },
      { kind: 'added', text: after },
    ])
  )
}

/** How a list of names (a post's tags) changed: one part per name. A name in both lists is 'same'
 *  even if it moved, since the order of tags carries no meaning. */
export function diffList(before: string[], after: string[]): DiffPart[] {
  const inBefore = new Set(before)
  const inAfter = new Set(after)
  const parts: DiffPart[] = []
  for (const change of diffArrays(before, after)) {
    for (const name of change.value) {
      if (change.removed) {
        if (!inAfter.has(name)) parts.push({ kind: 'removed', text: name })
      } else if (change.added) {
        parts.push({ kind: inBefore.has(name) ? 'same' : 'added', text: name })
      } else {
        parts.push({ kind: 'same', text: name })
      }
    }
  }
  return parts
}
