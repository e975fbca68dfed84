import type { Element } from 'domhandler'
import { DomUtils, parseDocument } from 'htmlparser2'
import type { Visitor } from './app-server.ts'

// The forms a page offers, read from its HTML the way a browser would submit them.

export type FormField = {
  name: string
  /** input type (text, email, number, hidden, checkbox, …), or textarea / select. */
  kind: string
  value: string
  options: string[]
}

export type PageForm = {
  /** The address it posts to, resolved against the page. */
  action: string
  fields: FormField[]
  /** The named submit button it is sent with (an intent, often), as a browser sends the clicked one. */
  button: { name: string; value: string } | null
}

/** The POST forms of a page, once per named submit button (each is a different request). Fields
 *  outside a form that name it (form="…") are not followed. */
export function postForms(html: string, pageUrl: string): PageForm[] {
  const document = parseDocument(html)
  const forms = DomUtils.findAll((node) => node.name === 'form', document.children)
  return forms
    .filter((form) => (form.attribs.method ?? 'get').toLowerCase() === 'post')
    .flatMap((form): PageForm[] => {
      const elements = DomUtils.findAll(
        (node) => ['input', 'textarea', 'select', 'button'].includes(node.name),
        form.children,
      )
      const fields: FormField[] = []
      const buttons: NonNullable<PageForm['button']>[] = []
      for (const element of elements) {
        const name = element.attribs.name
        if (!name || element.attribs.disabled !== undefined) continue
        if (element.name === 'button' || ['submit', 'image'].includes(element.attribs.type ?? '')) {
          if (element.name === 'button' && (element.attribs.type ?? 'submit') !== 'submit') continue
          buttons.push({ name, value: element.attribs.value ?? '' })
          continue
        }
        fields.push(fieldOf(element, name))
      }
      const action = new URL(form.attribs.action || pageUrl, pageUrl).toString()
      return buttons.length ? buttons.map((button) => ({ action, fields, button })) : [{ action, fields, button: null }]
    })
}

function fieldOf(element: Element, name: string): FormField {
  if (element.name === 'textarea') return { name, kind: 'textarea', value: DomUtils.textContent(element), options: [] }
  if (element.name === 'select') {
    const options = DomUtils.findAll((node) => node.name === 'option', element.children).map(
      (option) => option.attribs.value ?? DomUtils.textContent(option),
    )
    const selected = DomUtils.findOne((node) => node.name === 'option' && 'selected' in node.attribs, element.children)
    return { name, kind: 'select', value: selected?.attribs.value ?? options[0] ?? '', options }
  }
  return { name, kind: (element.attribs.type ?? 'text').toLowerCase(), value: element.attribs.value ?? '', options: [] }
}

/** Fields a person types into or picks from, as opposed to hidden state and buttons. */
export function isVisible(field: FormField): boolean {
  return field.kind !== 'hidden'
}

/** Fields whose value is free text a person typed (the ones a re-shown form must keep). */
export function isTyped(field: FormField): boolean {
  return ['text', 'textarea', 'email', 'search', 'url', 'tel'].includes(field.kind)
}

/** The body a browser sends for the form as the page shows it, with some values replaced. */
export function formBody(form: PageForm, values: Record<string, string | string[] | undefined> = {}): URLSearchParams {
  const body = new URLSearchParams()
  for (const field of form.fields) {
    if (field.name in values) {
      const value = values[field.name]
      if (value === undefined) continue
      for (const one of Array.isArray(value) ? value : [value]) body.append(field.name, one)
      continue
    }
    if (field.kind === 'checkbox' || field.kind === 'radio') continue
    body.append(field.name, field.value)
  }
  if (form.button) body.append(form.button.name, form.button.value)
  return body
}

/** How React escapes text and attribute values, to find a kept value in the page. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;')
}

/** The attempt key the contact form carries, as the server issued it to this visitor just now. */
export async function issuedAttemptKey(visitor: Visitor): Promise<string> {
  const page = await visitor.get('/support/new')
  const key = /name="attempt" value="([^"]+)"/.exec(page.text)?.[1]
  if (!key) throw new Error(`the contact form carried no attempt key (${page.status})`)
  return key
}

/** The one-time key the create forms of `path` carry (docs/decisions/027), as the server issued it to
 *  this visitor just now: what a test that builds a create form's body by hand sends with it. */
export async function issuedSubmissionKey(visitor: Visitor, path: string): Promise<string> {
  const page = await visitor.get(path)
  const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)?.[1]
  if (!key) throw new Error(`${path} carried no one-time key (${page.status})`)
  return key
}
