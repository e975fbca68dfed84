import { expect, test } from 'vitest'
import { draftFieldsOf, draftKey, isEmptyDraft, parseDraftKey, withDraft } from './forms.ts'

test('form keys: only the ones draftKey makes are read back', () => {
  expect(parseDraftKey(draftKey('question'))).toEqual({ kind: 'question' })
  expect(parseDraftKey(draftKey('answer', 42))).toEqual({ kind: 'answer', questionId: 42 })
  for (const key of [
    'answer:',
    'answer:01',
    'answer:1e3',
    'answer:9999999999',
    'Question:new',
    ' question:new',
    null,
    7,
  ])
    expect(parseDraftKey(key)).toBeNull()
})

test('a draft laid over a form’s defaults keeps each field’s shape and ignores unknown names', () => {
  const defaults = { title: '', hostIds: ['1'], kind: 'webinar' }
  expect(withDraft(defaults, null)).toBe(defaults)
  expect(withDraft(defaults, { values: { title: 'T', hostIds: '4', role: 'admin' } })).toEqual({
    title: 'T',
    hostIds: ['4'],
    kind: 'webinar',
  })
  expect(withDraft(defaults, { values: { title: ['a', 'b'], hostIds: [] } })).toEqual({
    title: 'a',
    hostIds: [],
    kind: 'webinar',
  })
})

test('the whole draft is bounded, and emptiness is judged by what a person writes', () => {
  const read = (values: Record<string, string>) => (name: string) => (name in values ? [values[name]!] : [])
  expect(draftFieldsOf('answer', read({ body: 'ok' }))).toEqual({ fields: { body: 'ok' }, tooLong: null })
  expect(draftFieldsOf('question', read({ title: 't'.repeat(151) })).tooLong).toBe('title')
  expect(isEmptyDraft('article', { title: '', locale: 'ja', categoryId: '3' })).toBe(true)
  expect(isEmptyDraft('article', { slug: 'reset-password' })).toBe(false)
})
