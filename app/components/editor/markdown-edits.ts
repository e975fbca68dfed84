// What the editor's toolbar, its shortcuts, the mention suggestions and the tag suggestions do to text,
// as pure functions: given the text and its selection, the new text and selection. The components only
// read the textarea and write the result back (toolbar.tsx), so every edit is tested here without a
// browser.
import { canStartMention, MENTION_MAX_CHARS, MENTION_MAX_WORDS } from '#app/domain/notify/mentions.ts'
import { normalizeTag } from '#app/domain/qa/tags.ts'

/** Offsets into the text (UTF-16 code units, as a textarea's selectionStart and selectionEnd). */
export type Selection = { start: number; end: number }
export type EditorState = { text: string; selection: Selection }

export const commands = ['bold', 'italic', 'link', 'code', 'list', 'quote', 'image'] as const
export type Command = (typeof commands)[number]

/** Text inserted where a command has nothing selected to work on, selected so typing replaces it;
 *  the toolbar passes them in the reader's language. */
export type Placeholders = Record<'bold' | 'italic' | 'link' | 'code' | 'image', string>

export const englishPlaceholders: Placeholders = {
  bold: 'bold text',
  italic: 'italic text',
  link: 'link text',
  code: 'code',
  image: 'image description',
}

/** The address a new link or image starts with, selected so that pasting replaces it. */
export const URL_STUB = 'https://'

/** The new text and selection after `command`. Inline commands (bold, italic, code) wrap the selection
 *  or, when it is already wrapped, unwrap it; list and quote prefix every selected line or, when all
 *  already have the prefix, remove it; a code selection of several lines becomes a fenced block; link
 *  and image write `[text](https://)` with the address selected. */
export function applyCommand(state: EditorState, command: Command, placeholders = englishPlaceholders): EditorState {
  const selection = ordered(state)
  const current = { text: state.text, selection }
  switch (command) {
    case 'bold':
      return wrapInline(current, '**', placeholders.bold)
    case 'italic':
      return wrapInline(current, '_', placeholders.italic)
    case 'code':
      return code(current, placeholders.code)
    case 'link':
      return link(current, '', placeholders.link)
    case 'image':
      return link(current, '!', placeholders.image)
    case 'list':
      return prefixLines(current, '- ', /^(\s*)[-*+] /)
    case 'quote':
      return prefixLines(current, '> ', /^()> ?/)
  }
}

/** The command a key press with Ctrl (Cmd on a Mac) asks for, if any: B, I, K, E, Shift+8 (list) and
 *  Shift+. (quote), by the key's place on the keyboard so that other layouts work alike. */
export function commandForKey(event: {
  key: string
  code?: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}): Command | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || (event.ctrlKey && event.metaKey)) return null
  const code = event.code ?? ''
  if (event.shiftKey) {
    if (code === 'Digit8') return 'list'
    if (code === 'Period') return 'quote'
    return null
  }
  const key = code.startsWith('Key') ? code.slice(3).toLowerCase() : event.key.toLowerCase()
  return ({ b: 'bold', i: 'italic', k: 'link', e: 'code' } as const)[key as 'b'] ?? null
}

/** The keys of each command's shortcut, as aria-keyshortcuts names them. */
export const shortcutKeys: Partial<Record<Command, string>> = {
  bold: 'B',
  italic: 'I',
  link: 'K',
  code: 'E',
  list: 'Shift+8',
  quote: 'Shift+.',
}

function ordered({ selection }: EditorState): Selection {
  const start = Math.max(0, Math.min(selection.start, selection.end))
  const end = Math.max(selection.start, selection.end)
  return { start, end }
}

function replace(state: EditorState, from: number, to: number, insert: string, selection: Selection): EditorState {
  return { text: state.text.slice(0, from) + insert + state.text.slice(to), selection }
}

function wrapInline(state: EditorState, marker: string, placeholder: string): EditorState {
  const { text } = state
  const { start, end } = state.selection
  const m = marker.length
  // Already wrapped around the selection (or the selection includes the markers): unwrap.
  if (
    start >= m &&
    text.slice(start - m, start) === marker &&
    text.slice(end, end + m) === marker &&
    !isDoubled(text, start, end, marker)
  ) {
    return replace(state, start - m, end + m, text.slice(start, end), { start: start - m, end: end - m })
  }
  const selected = text.slice(start, end)
  if (selected.length > 2 * m && selected.startsWith(marker) && selected.endsWith(marker)) {
    const inner = selected.slice(m, -m)
    return replace(state, start, end, inner, { start, end: start + inner.length })
  }
  if (start === end) {
    const insert = `${marker}${placeholder}${marker}`
    return replace(state, start, end, insert, { start: start + m, end: start + m + placeholder.length })
  }
  // Emphasis does not cross paragraphs, nor start or end with a space: each line's words are wrapped.
  const wrapped = selected
    .split('\n')
    .map((line) => {
      const lead = /^\s*/.exec(line)![0]
      const trail = /\s*$/.exec(line.slice(lead.length))![0]
      const words = line.slice(lead.length, line.length - trail.length)
      return words ? `${lead}${marker}${words}${marker}${trail}` : line
    })
    .join('\n')
  if (!selected.includes('\n') && wrapped !== selected) {
    const lead = /^\s*/.exec(selected)![0].length
    const trail = /\s*$/.exec(selected)![0].length
    return replace(state, start, end, wrapped, { start: start + lead + m, end: end - trail + m })
  }
  return replace(state, start, end, wrapped, { start, end: start + wrapped.length })
}

/** `**bold**` seen from inside with `*`: the marker is part of a longer run, not a wrapper of its own. */
function isDoubled(text: string, start: number, end: number, marker: string): boolean {
  const m = marker.length
  return marker.length === 1 && (text[start - m - 1] === marker || text[end + m] === marker)
}

function longestRun(text: string, char: string): number {
  let longest = 0
  let run = 0
  for (const c of text) {
    run = c === char ? run + 1 : 0
    longest = Math.max(longest, run)
  }
  return longest
}

function code(state: EditorState, placeholder: string): EditorState {
  const { text } = state
  const { start, end } = state.selection
  const selected = text.slice(start, end)
  if (!selected.includes('\n')) {
    const fence = '`'.repeat(longestRun(selected, '`') + 1)
    if (
      fence === '`' &&
      text[start - 1] === '`' &&
      text[end] === '`' &&
      text[start - 2] !== '`' &&
      text[end + 1] !== '`'
    ) {
      return replace(state, start - 1, end + 1, selected, { start: start - 1, end: end - 1 })
    }
    const inner = selected || placeholder
    // A code span that starts or ends with a backtick needs a space inside its fence.
    const pad = fence.length > 1 || inner.startsWith('`') || inner.endsWith('`') ? ' ' : ''
    const insert = `${fence}${pad}${inner}${pad}${fence}`
    const at = start + fence.length + pad.length
    return replace(state, start, end, insert, { start: at, end: at + inner.length })
  }
  // Several lines: a fenced block on lines of its own, longer than any backtick run inside.
  const fence = '`'.repeat(Math.max(3, longestRun(selected, '`') + 1))
  const body = selected.endsWith('\n') ? selected.slice(0, -1) : selected
  const before = start > 0 && text[start - 1] !== '\n' ? '\n' : ''
  const stop = selected.endsWith('\n') ? end - 1 : end
  const after = stop < text.length && text[stop] !== '\n' ? '\n' : ''
  const insert = `${before}${fence}\n${body}\n${fence}${after}`
  const bodyStart = start + before.length + fence.length + 1
  return replace(state, start, stop, insert, { start: bodyStart, end: bodyStart + body.length })
}

const URL_LIKE = /^(https?:\/\/|mailto:)\S+$/i

function link(state: EditorState, bang: '' | '!', placeholder: string): EditorState {
  const { text } = state
  const { start, end } = state.selection
  const selected = text.slice(start, end)
  if (URL_LIKE.test(selected.trim())) {
    const insert = `${bang}[${placeholder}](${selected.trim()})`
    const at = start + bang.length + 1
    return replace(state, start, end, insert, { start: at, end: at + placeholder.length })
  }
  const label = selected || placeholder
  const insert = `${bang}[${label}](${URL_STUB})`
  const at = start + bang.length + label.length + 3
  return replace(state, start, end, insert, { start: at, end: at + URL_STUB.length })
}

/** The whole lines the selection touches: a selection that ends at the start of a line leaves it out. */
function lineRange(text: string, { start, end }: Selection): Selection {
  const last = end > start && text[end - 1] === '\n' ? end - 1 : end
  const from = text.lastIndexOf('\n', start - 1) + 1
  const newline = text.indexOf('\n', last)
  return { start: from, end: newline === -1 ? text.length : newline }
}

function prefixLines(state: EditorState, prefix: string, existing: RegExp): EditorState {
  const { text, selection } = state
  const range = lineRange(text, selection)
  const lines = text.slice(range.start, range.end).split('\n')
  const filled = lines.filter((line) => line.trim() !== '')
  const remove = filled.length > 0 && filled.every((line) => existing.test(line))
  const quote = prefix.startsWith('>')
  const changed = lines.map((line) => {
    if (remove) return line.replace(existing, '$1')
    if (line.trim() === '') return lines.length === 1 ? prefix : quote ? '>' : line
    return existing.test(line) ? line : prefix + line
  })
  const block = changed.join('\n')
  if (selection.start === selection.end) {
    // A caret stays where it was in its line's text.
    const delta = changed[0]!.length - lines[0]!.length
    const caret = Math.max(range.start, selection.start + delta)
    return replace(state, range.start, range.end, block, { start: caret, end: caret })
  }
  return replace(state, range.start, range.end, block, { start: range.start, end: range.start + block.length })
}

/** The smallest replacement that turns `before` into `after`: the common start and end are kept, so
 *  the browser's undo and the caret treat the edit as what changed, not as the whole text. */
export function diffEdit(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0
  const shorter = Math.min(before.length, after.length)
  while (start < shorter && before[start] === after[start]) start++
  let tail = 0
  while (tail < shorter - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) }
}

/** The mention being typed at the caret: an "@" that can start a mention, on the caret's line, outside
 *  code, followed by at least one character of a name (at most 40 characters and 4 words) up to the
 *  caret. Null when the caret is not in one. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const lineStart = text.lastIndexOf('\n', caret - 1) + 1
  const from = Math.max(lineStart, caret - MENTION_MAX_CHARS - 1)
  const at = text.lastIndexOf('@', caret - 1)
  if (at < from) return null
  const query = text.slice(at + 1, caret)
  if (!/^[\p{L}\p{N}]/u.test(query) || query.includes('@') || /\s{2}/u.test(query)) return null
  if (query.trim().split(/\s+/u).length > MENTION_MAX_WORDS) return null
  if (!canStartMention(at > 0 ? text[at - 1] : undefined)) return null
  if (insideCode(text, lineStart, at)) return null
  return { start: at, query }
}

/** Whether `at` is inside a fenced block (an odd number of fence lines before it) or an inline code
 *  span on its line (an odd number of backticks before it). */
function insideCode(text: string, lineStart: number, at: number): boolean {
  const fences = text.slice(0, lineStart).match(/^ {0,3}(```|~~~)/gm)?.length ?? 0
  if (fences % 2 === 1) return true
  return (text.slice(lineStart, at).match(/`/g)?.length ?? 0) % 2 === 1
}

/** The text with the mention being typed (from its "@" to the caret) replaced by `@Display Name ` and
 *  the caret after it. */
export function insertMention(state: EditorState, start: number, name: string): EditorState {
  const caret = state.selection.end
  const insert = `@${name} `
  const after = state.text[caret] === ' ' ? caret + 1 : caret
  return replace(state, start, after, insert, { start: start + insert.length, end: start + insert.length })
}

/** The tag being typed in a tags field: the text after its last separator (commas when the field has a
 *  comma anywhere, else spaces, as parseTags reads it). */
export function tagBeingTyped(value: string): { start: number; query: string } {
  const commas = /[,、，]/.test(value)
  const separator = commas ? /[,、，][^,、，]*$/ : /\s\S*$/
  const match = separator.exec(value)
  const start = match ? match.index + 1 : 0
  return { start, query: value.slice(start).trim() }
}

/** The tags complete in the field before the one being typed, as typed (trimmed). */
function completeTags(value: string): string[] {
  const { start } = tagBeingTyped(value)
  const separator = /[,、，]/.test(value) ? /[,、，]/ : /\s+/
  return value
    .slice(0, start)
    .split(separator)
    .map((tag) => tag.trim())
    .filter(Boolean)
}

/** The tags field with the tag being typed replaced by `tag`, every tag separated by a comma (as the
 *  field's hint asks) and one after the last, ready for the next. */
export function withTag(value: string, tag: string): string {
  return `${[...completeTags(value), tag].join(', ')}, `
}

/** The tags already complete in the field (all but the one being typed), normalised as parseTags does. */
export function tagsBefore(value: string): string[] {
  return completeTags(value).map(normalizeTag).filter(Boolean)
}
