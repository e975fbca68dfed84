import { expect, test } from 'vitest'
import {
  applyCommand,
  type Command,
  commandForKey,
  diffEdit,
  type EditorState,
  insertMention,
  mentionAt,
  tagBeingTyped,
  tagsBefore,
  withTag,
} from './markdown-edits.ts'

// The toolbar's markdown, written as text with its selection: «selected» or a caret ‸.

function state(marked: string): EditorState {
  const caret = marked.indexOf('‸')
  if (caret !== -1) return { text: marked.replace('‸', ''), selection: { start: caret, end: caret } }
  const start = marked.indexOf('«')
  const end = marked.indexOf('»') - 1
  return { text: marked.replace('«', '').replace('»', ''), selection: { start, end } }
}

function shown({ text, selection: { start, end } }: EditorState): string {
  if (start === end) return `${text.slice(0, start)}‸${text.slice(start)}`
  return `${text.slice(0, start)}«${text.slice(start, end)}»${text.slice(end)}`
}

function run(command: Command, marked: string): string {
  return shown(applyCommand(state(marked), command))
}

test('bold and italic wrap the selection and select the words inside; again, they unwrap', () => {
  expect(run('bold', 'make «this» stand out')).toBe('make **«this»** stand out')
  expect(run('bold', 'make **«this»** stand out')).toBe('make «this» stand out')
  expect(run('bold', 'make «**this**» stand out')).toBe('make «this» stand out')
  expect(run('italic', 'an «aside»')).toBe('an _«aside»_')
  expect(run('italic', 'an _«aside»_')).toBe('an «aside»')
  // Spaces at the edges stay outside the markers, where emphasis needs them.
  expect(run('bold', 'make« this »stand')).toBe('make **«this»** stand')
})

test('bold and italic without a selection insert a selected placeholder', () => {
  expect(run('bold', 'Say ‸')).toBe('Say **«bold text»**')
  expect(run('italic', '‸')).toBe('_«italic text»_')
  const japanese = applyCommand(state('‸'), 'bold', {
    bold: '太字のテキスト',
    italic: '',
    link: '',
    code: '',
    image: '',
  })
  expect(shown(japanese)).toBe('**«太字のテキスト»**')
})

test('bold over several lines wraps each line, leaving blank lines alone, and selects the block', () => {
  expect(run('bold', '«one\n\ntwo »three')).toBe('«**one**\n\n**two** »three')
})

test('italic inside bold is told apart from the bold markers', () => {
  expect(run('italic', '**«word»**')).toBe('**_«word»_**')
})

test('code wraps one line inline, with a longer fence around backticks; again, it unwraps', () => {
  expect(run('code', 'run «npm test» now')).toBe('run `«npm test»` now')
  expect(run('code', 'run `«npm test»` now')).toBe('run «npm test» now')
  expect(run('code', 'type «a`b»')).toBe('type `` «a`b» ``')
  expect(run('code', '‸')).toBe('`«code»`')
})

test('code over several lines becomes a fenced block on lines of its own', () => {
  expect(run('code', 'Run:«npm ci\nnpm test»')).toBe('Run:\n```\n«npm ci\nnpm test»\n```')
  expect(run('code', 'Before\n«a\nb\n»After')).toBe('Before\n```\n«a\nb»\n```\nAfter')
  expect(run('code', '«x\n```\ny»')).toBe('````\n«x\n```\ny»\n````')
})

test('a link writes [text](https://) with the address selected; a selected address becomes the target', () => {
  expect(run('link', 'see «the guide»')).toBe('see [the guide](«https://»)')
  expect(run('link', 'see ‸')).toBe('see [link text](«https://»)')
  expect(run('link', 'see «https://example.com/a»')).toBe('see [«link text»](https://example.com/a)')
})

test('an image writes ![description](https://) the same way', () => {
  expect(run('image', '«the export dialog»')).toBe('![the export dialog](«https://»)')
  expect(run('image', '‸')).toBe('![image description](«https://»)')
  expect(run('image', '«https://example.com/a.png»')).toBe('![«image description»](https://example.com/a.png)')
})

test('a list prefixes every selected line, skipping blank ones; again, it removes the markers', () => {
  expect(run('list', 'Steps:\n«open\n\nsave»')).toBe('Steps:\n«- open\n\n- save»')
  expect(run('list', '«- open\n- save»')).toBe('«open\nsave»')
  // Part of a line is the whole line; a selection ending at a line's start leaves that line out.
  expect(run('list', 'a «b\nc» d\ne')).toBe('«- a b\n- c d»\ne')
  expect(run('list', '«a\n»b')).toBe('«- a»\nb')
  // A line that is already an item stays one.
  expect(run('list', '«- a\nb»')).toBe('«- a\n- b»')
})

test('a list or quote without a selection works on the caret’s line and keeps the caret in its text', () => {
  expect(run('list', 'first\nsec‸ond')).toBe('first\n- sec‸ond')
  expect(run('list', '- sec‸ond')).toBe('sec‸ond')
  expect(run('list', '‸')).toBe('- ‸')
  expect(run('quote', 'wise wo‸rds')).toBe('> wise wo‸rds')
})

test('a quote prefixes every line, blank ones too so the quote goes on; again, it unquotes', () => {
  expect(run('quote', '«one\n\ntwo»')).toBe('«> one\n>\n> two»')
  expect(run('quote', '«> one\n>\n> two»')).toBe('«one\n\ntwo»')
})

test('a selection made backwards is read forwards', () => {
  const backwards = { text: 'make this bold', selection: { start: 9, end: 5 } }
  expect(shown(applyCommand(backwards, 'bold'))).toBe('make **«this»** bold')
})

test('shortcuts: Ctrl or Cmd with B, I, K, E, Shift+8 and Shift+.; nothing else', () => {
  const key = (code: string, more: Partial<Parameters<typeof commandForKey>[0]> = {}) =>
    commandForKey({
      key: code.slice(3).toLowerCase(),
      code,
      ctrlKey: true,
      metaKey: false,
      shiftKey: false,
      altKey: false,
      ...more,
    })
  expect(key('KeyB')).toBe('bold')
  expect(key('KeyI', { ctrlKey: false, metaKey: true })).toBe('italic')
  expect(key('KeyK')).toBe('link')
  expect(key('KeyE')).toBe('code')
  expect(key('Digit8', { shiftKey: true })).toBe('list')
  expect(key('Period', { shiftKey: true })).toBe('quote')
  expect(key('KeyB', { ctrlKey: false })).toBeNull()
  expect(key('KeyB', { altKey: true })).toBeNull()
  expect(key('KeyB', { shiftKey: true })).toBeNull()
  expect(key('KeyZ')).toBeNull()
})

test('the smallest edit between two texts keeps what they share at both ends', () => {
  expect(diffEdit('make this bold', 'make **this** bold')).toEqual({ start: 5, end: 9, text: '**this**' })
  expect(diffEdit('aaa', 'aaaa')).toEqual({ start: 3, end: 3, text: 'a' })
  expect(diffEdit('abc', 'abc')).toEqual({ start: 3, end: 3, text: '' })
  expect(diffEdit('a **b** c', 'a b c')).toEqual({ start: 2, end: 7, text: 'b' })
})

test('the mention at the caret: after an @ that starts one, outside code, one line, a few words', () => {
  expect(mentionAt('Thanks @Ali', 11)).toEqual({ start: 7, query: 'Ali' })
  expect(mentionAt('@Alice Ta', 9)).toEqual({ start: 0, query: 'Alice Ta' })
  expect(mentionAt('「@山田', 4)).toEqual({ start: 1, query: '山田' })
  expect(mentionAt('Thanks @', 8)).toBeNull()
  expect(mentionAt('mail me@example', 15)).toBeNull()
  expect(mentionAt('`@Ali', 5)).toBeNull()
  expect(mentionAt('```\n@Ali', 8)).toBeNull()
  expect(mentionAt('```\nx\n```\n@Ali', 14)).toEqual({ start: 10, query: 'Ali' })
  expect(mentionAt('@Ali\nce', 7)).toBeNull()
  expect(mentionAt('@a b c d e', 10)).toBeNull()
  expect(mentionAt(`@${'a'.repeat(41)}`, 42)).toBeNull()
})

test('inserting a mention replaces what was typed after the @ with the whole name and a space', () => {
  const typed = state('Ask @Ali‸ please')
  expect(shown(insertMention(typed, 4, 'Alice Tanaka'))).toBe('Ask @Alice Tanaka ‸please')
  expect(shown(insertMention(state('@山‸'), 0, '山田 太郎'))).toBe('@山田 太郎 ‸')
})

test('the tag being typed is the text after the last separator; a chosen tag is added with commas', () => {
  expect(tagBeingTyped('csv, rep')).toEqual({ start: 4, query: 'rep' })
  expect(tagBeingTyped('rep')).toEqual({ start: 0, query: 'rep' })
  expect(tagBeingTyped('csv rep')).toEqual({ start: 4, query: 'rep' })
  expect(tagBeingTyped('csv, ')).toEqual({ start: 4, query: '' })
  expect(tagBeingTyped('csv、レポ')).toEqual({ start: 4, query: 'レポ' })
  expect(withTag('csv, rep', 'reports')).toBe('csv, reports, ')
  expect(withTag('rep', 'reports')).toBe('reports, ')
  expect(withTag('csv export rep', 'reports')).toBe('csv, export, reports, ')
  expect(tagsBefore('CSV, data export, rep')).toEqual(['csv', 'data-export'])
})
