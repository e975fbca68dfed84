import { ARTICLE_BODY_MAX, ARTICLE_TITLE_MAX } from '#app/domain/help/schemas.ts'
import { BODY_MAX, TITLE_MAX } from '#app/domain/qa/schemas.ts'

// The forms that keep a draft on the server, and what each may keep. Plain (no database): the routes,
// the /drafts endpoint and the editor's client code read the same list.
//
// A form is named by its key: `question:new`, `answer:<question id>`, `article:new`, `event:new`. A
// draft holds the form's own field names with their values as typed, each at most its field's bound
// (the schema's maximum where it has one); a list field (checkboxes, a multiple select) is kept as
// its values joined by newlines.

/** A field of a draft: its longest value, and whether it is a list. */
type DraftField = { max: number; list?: boolean }

type DraftFormSpec = {
  fields: Record<string, DraftField>
  /** The fields a person writes in. A draft with all of them empty is no draft (its row is deleted),
   *  and "Discard" empties them; the others (choices, dates) keep their defaults. */
  content: readonly string[]
}

const text = (max: number): DraftField => ({ max })
/** An id, a language, a choice: short. */
const choice = text(64)
const list = (items: number): DraftField => ({ max: items * 12, list: true })

export const draftForms = {
  question: {
    fields: { title: text(TITLE_MAX), body: text(BODY_MAX), tags: text(400) },
    content: ['title', 'body', 'tags'],
  },
  answer: { fields: { body: text(BODY_MAX) }, content: ['body'] },
  article: {
    fields: {
      title: text(ARTICLE_TITLE_MAX),
      slug: text(80),
      categoryId: choice,
      sectionId: choice,
      locale: choice,
      tags: text(400),
      body: text(ARTICLE_BODY_MAX),
      translationOf: choice,
    },
    content: ['title', 'slug', 'tags', 'body'],
  },
  event: {
    fields: {
      kind: choice,
      title: text(150),
      body: text(20_000),
      locale: choice,
      timeZone: choice,
      startsAt: choice,
      endsAt: choice,
      registrationClosesAt: choice,
      capacity: choice,
      onlineUrl: text(500),
      venue: text(300),
      recordingUrl: text(500),
      hostIds: list(500),
      audience: choice,
      audienceTiers: list(10),
      audienceAccountIds: list(5000),
      onboarding: choice,
    },
    content: ['title', 'body', 'onlineUrl', 'venue', 'recordingUrl'],
  },
} as const satisfies Record<string, DraftFormSpec>

export type DraftKind = keyof typeof draftForms

/** The longest draft any form keeps, all fields together (its fields' bounds add up to less). */
export const DRAFT_MAX_CHARS = 200_000

/** A member keeps at most this many drafts; saving one more drops the oldest. */
export const DRAFTS_PER_USER = 50

/** A draft nobody touched for this many days is dropped. */
export const DRAFT_KEEP_DAYS = 90

/** What a form key names: the kind of form and, for an answer, the question. */
export type DraftForm = { kind: DraftKind; questionId?: number }

/** The key of a form's draft. */
export function draftKey(kind: 'question' | 'article' | 'event'): string
export function draftKey(kind: 'answer', questionId: number): string
export function draftKey(kind: DraftKind, questionId?: number): string {
  return kind === 'answer' ? `answer:${questionId}` : `${kind}:new`
}

const KEY = /^(?:(question|article|event):new|answer:([1-9]\d{0,8}))$/

/** The form a key names, or null for anything else (only the keys `draftKey` makes are known). */
export function parseDraftKey(key: unknown): DraftForm | null {
  if (typeof key !== 'string') return null
  const match = KEY.exec(key)
  if (!match) return null
  return match[1] ? { kind: match[1] as DraftKind } : { kind: 'answer', questionId: Number(match[2]) }
}

/** Every field name any draft form declares (the /drafts endpoint reads only these). */
export const allDraftFieldNames: readonly string[] = [
  ...new Set(Object.values(draftForms).flatMap((form) => Object.keys(form.fields))),
]

/** A draft's fields as a form sent them: the kind's own names only, list fields joined by newlines,
 *  NUL characters and lone surrogates (which PostgreSQL's jsonb refuses) replaced. `too_long` names the
 *  first field over its bound (or `''` for the whole draft). */
export function draftFieldsOf(
  kind: DraftKind,
  read: (name: string) => string[],
): { fields: Record<string, string>; tooLong: string | null } {
  const fields: Record<string, string> = {}
  let total = 0
  for (const [name, field] of Object.entries(draftForms[kind].fields) as [string, DraftField][]) {
    const values = read(name).map(clean)
    const value = field.list ? values.filter((item) => item && !item.includes('\n')).join('\n') : (values[0] ?? '')
    if (value.length > field.max) return { fields, tooLong: name }
    total += value.length
    fields[name] = value
  }
  if (total > DRAFT_MAX_CHARS) return { fields, tooLong: '' }
  return { fields, tooLong: null }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function clean(value: string): string {
  return value.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD')
}

/** Whether a draft holds nothing a person wrote (then it is not kept). */
export function isEmptyDraft(kind: DraftKind, fields: Record<string, string>): boolean {
  return draftForms[kind].content.every((name) => !fields[name]?.trim())
}

/** A stored draft's fields as a form's default values: the kind's own names, lists split again. */
export function draftValues(kind: DraftKind, fields: Record<string, unknown>): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  for (const [name, field] of Object.entries(draftForms[kind].fields) as [string, DraftField][]) {
    const value = fields[name]
    if (typeof value !== 'string') continue
    values[name] = field.list ? value.split('\n').filter(Boolean) : value
  }
  return values
}

/** The intents of a form's own draft buttons (used without JavaScript; with it they save through
 *  /drafts). */
export const SAVE_DRAFT = 'save_draft'
export const DISCARD_DRAFT = 'discard_draft'

/** What a page's action answers to those buttons: when the draft was saved (null: nothing to keep;
 *  `incomplete`: kept as a draft because the form's own save refused it), that it was discarded, or
 *  why it could not be saved. */
export type DraftReply = { savedAt: string | null; incomplete?: boolean } | { discarded: true } | { error: string }

/** A form's default values with its draft's laid over them: only the names the defaults have, each
 *  in the shape the default has (a list or a string). */
export function withDraft<T extends Record<string, string | string[]>>(
  defaults: T,
  draft: { values: Record<string, string | string[]> } | null | undefined,
): T {
  if (!draft) return defaults
  const merged: Record<string, string | string[]> = { ...defaults }
  for (const [name, value] of Object.entries(draft.values)) {
    if (!Object.hasOwn(defaults, name)) continue
    if (Array.isArray(defaults[name])) merged[name] = Array.isArray(value) ? value : value ? [value] : []
    else merged[name] = Array.isArray(value) ? (value[0] ?? '') : value
  }
  return merged as T
}
