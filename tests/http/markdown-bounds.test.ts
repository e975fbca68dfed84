import { inArray, like } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ARTICLE_BODY_MAX } from '#app/domain/help/schemas.ts'
import { BODY_MAX } from '#app/domain/qa/schemas.ts'
import { FALLBACK_RENDER_VERSION, RENDER_VERSION } from '#app/lib/markdown.server.ts'
import { rateRules } from '#app/lib/rate-limit.server.ts'
import { events } from '#db/schema/events.ts'
import { articles } from '#db/schema/help.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { type AppServer, type Reply, Visitor } from './app-server.ts'
import { escapeHtml, formBody, issuedSubmissionKey, type PageForm, postForms } from './forms.ts'
import { type DemoObjects, type Persona, startWithPersonas } from './personas.ts'

// Markdown that overflowed marked's stack (a 500) or took it seconds (the whole server waiting), sent
// to the production build as previews and saves of questions, answers, help articles and events: every
// answer is below 500 and comes within a bound, /healthz answers promptly meanwhile, and previews are
// rate-limited (docs/decisions/021-markdown-bounds.md). Rate limits and load shedding are on, as
// deployed.

const EVENT_BODY_MAX = 20_000
/** A request's bound: the render's deadline and margin (100 ms), the rate-limit write and the page's
 *  own rendering with up to 100,000 characters of text in it twice (about 300 ms here), with room for
 *  two busy, shared cores. Before the render bounds, "_a" alone took 0.7–3 s at 30,000 characters. */
const REQUEST_BOUND_MS = 1_500
/** How much later than with ordinary texts /healthz may answer while hostile texts render (its 95th
 *  percentile), and its longest answer. */
const HEALTH_DELAY_MS = 100
const HEALTH_SPIKE_MS = 250

let app: AppServer
let visitors: Record<Persona, Visitor>
let objects: DemoObjects

beforeAll(async () => {
  ;({ app, visitors, objects } = await startWithPersonas({}))
})

afterAll(async () => {
  await app?.stop()
})

function repeated(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
}

/** The hostile shapes, each as long as the form takes. */
function hostile(limit: number): Record<string, string> {
  const lines = (line: (i: number) => string) => {
    let text = ''
    for (let i = 0; text.length < limit; i++) text += `${line(i)}\n`
    return text.slice(0, limit)
  }
  return {
    '">" × 3,000': '>'.repeat(3_000),
    '"1. " × 3,000': '1. '.repeat(3_000),
    '"- " × 3,000': '- '.repeat(3_000),
    '"> - " × 1,500': '> - '.repeat(1_500),
    'a list two spaces deeper each line': lines((i) => `${'  '.repeat(i % 400)}- item`),
    '"_a"': repeated('_a', limit),
    '"*a"': repeated('*a', limit),
    '"**a"': repeated('**a', limit),
    '"[a"': repeated('[a', limit),
    '"![a"': repeated('![a', limit),
    '"`a"': repeated('`a', limit),
    '"<a"': repeated('<a', limit),
    '"|"': repeated('| a ', limit),
    '"&#"': repeated('&#', limit),
    'a mixture': repeated('_a*a**a[a![a`a<a&#|> - 1. ', limit),
  }
}

/** The form of `page` sent with the submit button `intent`, as `persona` sees it. */
async function formOf(persona: Persona, page: string, intent: string): Promise<PageForm> {
  const reply = await visitors[persona].get(page)
  expect(reply.status, page).toBe(200)
  const form = postForms(reply.text, new URL(page, app.origin).toString()).find(
    (candidate) => candidate.button?.name === 'intent' && candidate.button.value === intent,
  )
  if (!form) throw new Error(`${page} has no form sent with intent=${intent}`)
  return form
}

async function send(persona: Persona, form: PageForm, values: Record<string, string>) {
  const body = formBody(form, values)
  // One value per name, also for a group of radio buttons (which formBody would repeat).
  for (const [name, value] of Object.entries(values)) body.set(name, value)
  const { pathname, search } = new URL(form.action)
  // Each save is a new submission, as from a form loaded anew: a fresh one-time key.
  if (body.has('submissionKey'))
    body.set('submissionKey', await issuedSubmissionKey(visitors[persona], pathname + search))
  const started = performance.now()
  const reply = await visitors[persona].post(pathname + search, body)
  return { reply, ms: performance.now() - started }
}

/** Asks for /healthz every 20 ms until stopped; resolves with how long each answer took. */
function watchHealth() {
  const times: number[] = []
  let watching = true
  const loop = (async () => {
    while (watching) {
      const started = performance.now()
      const reply = await fetch(`${app.origin}/healthz`)
      await reply.text()
      times.push(performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  return async () => {
    watching = false
    await loop
    return times
  }
}

/** The /healthz times while `work` runs: the 95th percentile and the longest. */
async function healthDuring(work: () => Promise<void>): Promise<{ p95: number; max: number }> {
  const stop = watchHealth()
  let times: number[] = []
  try {
    await work()
  } finally {
    times = (await stop()).sort((a, b) => a - b)
  }
  expect(times.length).toBeGreaterThan(0)
  return { p95: times[Math.ceil(times.length * 0.95) - 1]!, max: times.at(-1)! }
}

/** Ordinary markdown, as long as the form takes: what a big page costs anyway. */
function ordinary(limit: number): string {
  return repeated(
    '## A heading\n\nSome **bold** text, a [link](https://example.com/docs) and `code`.\n\n- one\n- two\n\n',
    limit,
  )
}

type Sent = { name: string; reply: Reply; ms: number }

/** Sends every hostile text through `submit` one after the other, with /healthz asked meanwhile, and
 *  checks the answers and the health times. /healthz answers later while a page with 100,000
 *  characters in it is built and sent (linear work on the main thread, for any text), so ordinary texts
 *  of the same length are sent first, and hostile ones may add HEALTH_DELAY_MS to that: to the 95th
 *  percentile, since two shared cores (another test file's app runs beside this one) hold a thread
 *  back now and then; the longest answer may be HEALTH_SPIKE_MS later. A render on the main thread
 *  held /healthz back 0.5–11 s. */
async function sendAll(limit: number, submit: (name: string, text: string) => Promise<Sent>) {
  const ordinaryText = ordinary(limit)
  const baseline = await healthDuring(async () => {
    for (let i = 0; i < 8; i++) expect((await submit('ordinary', ordinaryText)).reply.status).toBeLessThan(500)
  })
  const sent: Sent[] = []
  const during = await healthDuring(async () => {
    for (const [name, text] of Object.entries(hostile(limit))) sent.push(await submit(name, text))
  })
  const health = `/healthz p95 ${Math.round(during.p95)} ms, longest ${Math.round(during.max)} ms with hostile texts; ${Math.round(baseline.p95)} ms, ${Math.round(baseline.max)} ms with ordinary ones`
  expect(during.p95 - baseline.p95, health).toBeLessThan(HEALTH_DELAY_MS)
  expect(during.max - baseline.max, health).toBeLessThan(HEALTH_SPIKE_MS)
  const failures = sent
    .filter(({ reply, ms }) => reply.status >= 500 || ms > REQUEST_BOUND_MS)
    .map(({ name, reply, ms }) => `${name}: ${reply.status} in ${Math.round(ms)} ms`)
  expect(failures, app.stderr().slice(-2000)).toEqual([])
  return sent
}

test('previews of hostile questions and answers answer without a server error, promptly, while /healthz stays on time', async () => {
  const ask = await formOf('member', '/questions/new', 'preview')
  const answer = await formOf('member', objects.questionPath, 'preview')
  const sent = [
    ...(await sendAll(BODY_MAX, async (name, text) => ({
      name,
      ...(await send('member', ask, { title: `Preview of ${name}`, body: text })),
    }))),
    ...(await sendAll(BODY_MAX, async (name, text) => ({
      name: `answer ${name}`,
      ...(await send('member', answer, { body: text })),
    }))),
  ]
  for (const { name, reply } of sent) {
    expect(reply.status, name).toBe(200)
    expect(reply.text, name).toContain('class="preview"')
  }
})

test('previews of hostile articles and events, at their limits, answer without a server error, promptly', async () => {
  const article = await formOf('staff', '/help/new', 'preview')
  const event = await formOf('staff', '/events/new', 'preview')
  const sent = [
    ...(await sendAll(ARTICLE_BODY_MAX, async (name, text) => ({
      name: `article ${name}`,
      ...(await send('staff', article, { title: `Preview of ${name}`, body: text })),
    }))),
    ...(await sendAll(EVENT_BODY_MAX, async (name, text) => ({
      name: `event ${name}`,
      ...(await send('staff', event, { title: `Preview of ${name}`, body: text })),
    }))),
  ]
  for (const { name, reply } of sent) expect(reply.status, name).toBe(200)
})

test('saving hostile questions, answers, articles and events answers without a server error and stores safe HTML', async () => {
  const run = Date.now().toString(36)
  let saves = 0
  const title = (kind: string) => `Hostile ${kind} ${saves++} ${run}`
  const ask = await formOf('staff', '/questions/new', 'ask')
  const answer = await formOf('staff', objects.questionPath, 'answer')
  const article = await formOf('staff', '/help/new', 'save')
  const event = await formOf('staff', '/events/new', 'save')
  const saved = [
    ...(await sendAll(BODY_MAX, async (name, text) => ({
      name,
      ...(await send('staff', ask, { title: title('question'), body: text, tags: 'reports' })),
    }))),
    ...(await sendAll(BODY_MAX, async (name, text) => ({
      name: `answer ${name}`,
      ...(await send('staff', answer, { body: text })),
    }))),
    ...(await sendAll(ARTICLE_BODY_MAX, async (name, text) => ({
      name: `article ${name}`,
      ...(await send('staff', article, { title: title('article'), body: text })),
    }))),
    // The audience is a group of radio buttons, and an event needs a place.
    ...(await sendAll(EVENT_BODY_MAX, async (name, text) => ({
      name: `event ${name}`,
      ...(await send('staff', event, {
        title: title('event'),
        body: text,
        audience: 'everyone',
        onlineUrl: 'https://meet.example/hostile',
      })),
    }))),
  ]
  for (const { name, reply } of saved) {
    const errors = [...reply.text.matchAll(/class="field-errors">(.*?)<\/ul>/g)].map((match) => match[1])
    expect([302, 303], `${name}: ${errors.join('; ')}`).toContain(reply.status)
  }

  const count = Object.keys(hostile(BODY_MAX)).length
  const rows = [
    ...(await db
      .select()
      .from(questions)
      .where(like(questions.title, `Hostile question % ${run}`))),
    ...(await db
      .select()
      .from(answers)
      .where(inArray(answers.bodyMd, Object.values(hostile(BODY_MAX))))),
    ...(await db
      .select()
      .from(articles)
      .where(like(articles.title, `Hostile article % ${run}`))),
    ...(await db
      .select()
      .from(events)
      .where(like(events.title, `Hostile event % ${run}`))),
  ]
  expect(rows.length).toBeGreaterThanOrEqual(4 * count)
  for (const row of rows) {
    expect([RENDER_VERSION, FALLBACK_RENDER_VERSION]).toContain(row.renderVersion)
    expect(row.bodyHtml).not.toMatch(/<script|<iframe|\son\w+=/i)
  }
})

test('past its limit a preview answers 429 with Retry-After and a translated message, and keeps the text', async () => {
  const rule = rateRules.previewPerUser
  // A member no other test here signs in, so the count is this test's own; Ken reads Japanese.
  const member = await new Visitor(app).signIn('ken@acme.example')
  const page = await member.get('/questions/new')
  const form = postForms(page.text, new URL('/questions/new', app.origin).toString()).find(
    (candidate) => candidate.button?.value === 'preview',
  )!
  const preview = (body: string) => member.post('/questions/new', formBody(form, { title: 'Previewing often', body }))
  const allowed: Reply[] = []
  // Five at a time: load shedding lets in eight at first (docs/decisions/018).
  for (let i = 0; i < rule.limit; i += 5) {
    allowed.push(...(await Promise.all(Array.from({ length: 5 }, (_, j) => preview(`Draft number **${i + j}**`)))))
  }
  expect([...new Set(allowed.map((reply) => reply.status))]).toEqual([200])

  const body = 'One preview **too many**, kept as typed'
  const refused = await preview(body)
  expect(refused.status).toBe(429)
  const retryAfter = Number(refused.headers.get('retry-after'))
  expect(retryAfter).toBeGreaterThan(0)
  expect(retryAfter).toBeLessThanOrEqual(rule.windowSeconds)
  expect(refused.text).toContain('短い間隔でプレビューが続いています。')
  expect(refused.text).toContain(escapeHtml(body))
  expect(refused.text).not.toContain('<strong>too many</strong>')
})
