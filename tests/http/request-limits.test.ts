import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type AppServer, startApp, Visitor } from './app-server.ts'
import { personaEmails } from './personas.ts'

// Work per request is bounded before any parsing (app/server/request-door.server.ts at the Node server,
// app/server/request-body.server.ts in each route): hostile bodies of up to 1 MB, to any kind of route,
// anonymous or signed in, cost the server little CPU and do not hold up /healthz; larger bodies are
// refused as they stream in; malformed requests get a 4xx, never a 500.

let app: AppServer
let visitor: Visitor
let member: Visitor
let admin: Visitor

beforeAll(async () => {
  // Rate limits would answer the repeated sign-in posts with 429 before their bodies matter.
  app = await startApp({ env: { RATE_LIMITS: 'off', OVERLOAD_DELAY_MS: 'off' } })
  visitor = new Visitor(app)
  member = await new Visitor(app).signIn(personaEmails.member)
  admin = await new Visitor(app).signIn(personaEmails.admin)
})

afterAll(async () => {
  await app?.stop()
})

/** CPU milliseconds the server process (all its threads) has used so far. */
function serverCpuMs(): number {
  const stat = readFileSync(`/proc/${app.child.pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime, fields 14 and 15 of stat (11 and 12 after the name), in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10
}

function repeat(pair: string, times: number): string {
  return Array.from({ length: times }, () => pair).join('&')
}

/** The shapes an outsider sent: each within 1 MB. */
const shapes: Record<string, string> = {
  'bracket index a[9999999]': 'a[9999999]=1&email=x',
  'one declared name 20,000 times': repeat('email=a', 20_000),
  'one undeclared name 20,000 times': repeat('zz=a', 20_000),
  'a 5,000-level dotted name': `${Array.from({ length: 5_000 }, () => 'a').join('.')}=1`,
  'a 5,000-level bracket name': `a${'[0]'.repeat(5_000)}=1`,
  '1 MB of tiny fields': repeat('a=1', 250_000).slice(0, 1_000_000),
  'one field of almost 1 MB': `title=${'x'.repeat(1_000_000)}`,
  'percent escapes, broken and whole': repeat('%E3%81%82=%ZZ%E3', 40_000).slice(0, 1_000_000),
}

/** Where they go: a sign-in form (anonymous), a member's forms, and a page that takes no form. */
const targets: { name: string; who: () => Visitor; path: string }[] = [
  { name: 'anonymous sign-in', who: () => visitor, path: '/login' },
  { name: 'anonymous sign-up', who: () => visitor, path: '/signup' },
  { name: 'member asks a question', who: () => member, path: '/questions/new' },
  { name: 'member contacts support', who: () => member, path: '/support/new' },
  { name: 'a page without a form', who: () => member, path: '/questions' },
]

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** Polls /healthz back to back from a thread of its own (so the test's own work of sending megabytes
 *  does not delay the polls) until stopped; each sample is [sent at (epoch ms), latency (ms)]. */
function startHealthzPoller(origin: string) {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads')
     const samples = []
     let running = true
     parentPort.on('message', () => { running = false })
     ;(async () => {
       while (running) {
         const sentAt = Date.now()
         const started = performance.now()
         try { const reply = await fetch(workerData + '/healthz'); await reply.text() } catch {}
         samples.push([sentAt, performance.now() - started])
       }
       parentPort.postMessage(samples)
     })()`,
    { eval: true, workerData: origin },
  )
  return {
    stop: () =>
      new Promise<[number, number][]>((resolve) => {
        worker.once('message', (samples: [number, number][]) => {
          void worker.terminate()
          resolve(samples)
        })
        worker.postMessage('stop')
      }),
  }
}

async function sendRaw(target: (typeof targets)[number], body: string): Promise<number> {
  // The body itself, sent raw: URLSearchParams would re-encode it.
  const reply = await fetch(`${app.origin}${target.path}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: app.origin,
      cookie: `ct_session=${target.who().sessionToken ?? ''}`,
    },
    redirect: 'manual',
  })
  await reply.text()
  return reply.status
}

test('hostile bodies of up to 1 MB cost under 100 ms of server time each and do not hold up /healthz', async () => {
  // Warm up every route first: the first requests of a fresh process compile code, which is not the
  // cost of a body.
  for (const target of targets) {
    for (let i = 0; i < 3; i++) await target.who().post(target.path, { email: 'warm@up.example', title: 'warm up' })
  }
  const findings: string[] = []
  const rounds = 3
  // Server time: the CPU the process spent on each request, nothing else running against it.
  for (const target of targets) {
    for (const [shape, body] of Object.entries(shapes)) {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1_048_576)
      const label = `${target.name} ← ${shape}`
      const cpuBefore = serverCpuMs()
      const started = performance.now()
      for (let i = 0; i < rounds; i++) {
        const status = await sendRaw(target, body)
        if (status >= 500) findings.push(`${label}: answered ${status}`)
      }
      const cpuPerRequest = (serverCpuMs() - cpuBefore) / rounds
      const wall = (performance.now() - started) / rounds
      if (cpuPerRequest > 100) findings.push(`${label}: ${Math.round(cpuPerRequest)} ms of server CPU per request`)
      if (wall > 2_000) findings.push(`${label}: ${Math.round(wall)} ms per request`)
    }
  }
  // /healthz while the same requests arrive, against /healthz while nothing does.
  const poller = startHealthzPoller(app.origin)
  await new Promise((resolve) => setTimeout(resolve, 1_500))
  const windows: { label: string; from: number; to: number }[] = []
  const idle = { from: Date.now() - 1_000, to: Date.now() }
  for (const target of targets) {
    for (const [shape, body] of Object.entries(shapes)) {
      const from = Date.now()
      for (let i = 0; i < rounds; i++) await sendRaw(target, body)
      windows.push({ label: `${target.name} ← ${shape}`, from, to: Date.now() })
    }
  }
  const samples = await poller.stop()
  const within = (w: { from: number; to: number }) =>
    samples.filter(([at]) => at >= w.from && at <= w.to).map(([, ms]) => ms)
  const idleMedian = median(within(idle))
  for (const window of windows) {
    const during = within(window)
    if (during.length === 0) continue
    const delay = median(during) - idleMedian
    if (delay > 100) findings.push(`${window.label}: /healthz ${Math.round(delay)} ms slower (median)`)
    if (Math.max(...during) > 2_000)
      findings.push(`${window.label}: /healthz took ${Math.round(Math.max(...during))} ms`)
  }
  expect(within(idle).length).toBeGreaterThan(5)
  expect(findings).toEqual([])
})

/** Sends `total` bytes as the body of one POST, a chunk at a time as a browser would (reading any answer
 *  between chunks), and reports the answer and how much was sent before it came. */
function flood(
  path: string,
  total: number,
  { chunked = false }: { chunked?: boolean } = {},
): Promise<{ status: number; sentBeforeAnswer: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const headers: Record<string, string | number> = {
      'content-type': 'application/x-www-form-urlencoded',
      origin: app.origin,
    }
    if (!chunked) headers['content-length'] = total
    const req = httpRequest(`${app.origin}${path}`, { method: 'POST', headers })
    let sent = 0
    let answered: { status: number; sentBeforeAnswer: number; ms: number } | null = null
    let failed: Error | null = null
    req.on('response', (res) => {
      answered = { status: res.statusCode ?? 0, sentBeforeAnswer: sent, ms: performance.now() - started }
      res.resume()
      res.on('end', () => resolve(answered!))
      res.on('error', () => resolve(answered!))
    })
    req.on('error', (error) => {
      failed = error
      // The server closed after answering: the answer counts. Closed without one: that is the failure.
      setTimeout(() => (answered ? resolve(answered) : reject(error)), 200)
    })
    const chunk = Buffer.alloc(64 * 1024, 'a')
    void (async () => {
      while (!answered && !failed && sent < total) {
        sent += chunk.length
        if (!req.write(chunk)) await new Promise((resume) => req.once('drain', resume))
        await new Promise((resume) => setImmediate(resume))
      }
      if (!answered && !failed) req.end()
    })()
  })
}

test('a 100 MB body is refused with 413 as it streams, declared or chunked, without being read', async () => {
  const declared = await flood('/login', 100 * 1024 * 1024)
  expect(declared.status).toBe(413)
  expect(declared.sentBeforeAnswer).toBeLessThan(8 * 1024 * 1024)
  const chunked = await flood('/login', 100 * 1024 * 1024, { chunked: true })
  expect(chunked.status).toBe(413)
  expect(chunked.sentBeforeAnswer).toBeLessThan(8 * 1024 * 1024)
  // A page without a form, and the API, have the same cap.
  expect((await flood('/questions', 3 * 1024 * 1024, { chunked: true })).status).toBe(413)
  expect((await flood('/api/v1/tickets/1', 3 * 1024 * 1024)).status).toBe(413)
  // The refusal is translated.
  const reply = await visitor.post('/login', { email: 'x'.repeat(1_100_000) }, { 'accept-language': 'ja' })
  expect(reply.status).toBe(413)
  expect(reply.text).toContain('大きすぎます')
})

test('a CSV upload larger than the form cap reaches each upload route, and a larger one is refused', async () => {
  // A file its route reads and then refuses for its header: what matters is that the door let it in.
  const rows = Array.from({ length: 30_000 }, (_, i) => `Imported Company ${i},imported${i}.example`).join('\n')
  const csv = `not,a,known,header\n${rows}\n`
  expect(Buffer.byteLength(csv)).toBeGreaterThan(1_100_000)
  const form = new FormData()
  form.append('file', new File([csv], 'accounts.csv', { type: 'text/csv' }))
  const upload = await fetch(`${app.origin}/admin/accounts/import`, {
    method: 'POST',
    body: form,
    headers: { origin: app.origin, cookie: `ct_session=${admin.sessionToken}` },
    redirect: 'manual',
  })
  const text = await upload.text()
  // Not refused at the door: the route read the file and says what is wrong with it.
  expect(upload.status, app.stderr().slice(-2000)).toBe(400)
  expect(text).not.toContain('too large')
  for (const path of ['/support/import', '/events/1/attendance']) {
    const other = await fetch(`${app.origin}${path}`, {
      method: 'POST',
      body: form,
      headers: { origin: app.origin, cookie: `ct_session=${admin.sessionToken}` },
      redirect: 'manual',
    })
    await other.text()
    expect(other.status, path).not.toBe(413)
    expect(other.status, path).toBeLessThan(500)
  }
  expect((await flood('/admin/accounts/import', 40 * 1024 * 1024, { chunked: true })).status).toBe(413)
})

test('a file larger than the form cap reaches the upload route and the forms with a markdown field', async () => {
  // Text, which is stored as sent: what matters is that the door let it in (decision 041).
  const text = 'log line of an export that failed\n'.repeat(60_000)
  expect(Buffer.byteLength(text)).toBeGreaterThan(1_100_000)
  const send = async (path: string, fields: Record<string, string> = {}) => {
    const form = new FormData()
    for (const [name, value] of Object.entries(fields)) form.append(name, value)
    form.append('upload', new File([text], 'export.log', { type: 'text/plain' }))
    const reply = await fetch(`${app.origin}${path}`, {
      method: 'POST',
      body: form,
      headers: { origin: app.origin, cookie: `ct_session=${member.sessionToken}` },
      redirect: 'manual',
    })
    return { status: reply.status, text: await reply.text() }
  }
  const upload = await send('/uploads')
  expect(upload.status, upload.text.slice(0, 300)).toBe(201)
  expect(JSON.parse(upload.text)).toMatchObject({ kind: 'file', fileName: 'export.log' })
  const preview = await send('/questions/new', { intent: 'preview', title: 'Export fails', body: 'See the log.' })
  expect(preview.status).toBe(200)
  expect(preview.text).toContain('export.log')
  expect((await flood('/uploads', 40 * 1024 * 1024, { chunked: true })).status).toBe(413)
})

/** A request by node:http, which sends any method and header as given (fetch refuses TRACE). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; allow: string | null }> {
  return new Promise((resolve) => {
    const req = httpRequest(`${app.origin}${path}`, { method, headers: { origin: app.origin, ...headers } })
    req.on('response', (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, allow: (res.headers.allow as string | undefined) ?? null })
    })
    // Refused before any answer (the parser closing the connection): the client's error.
    req.on('error', () => resolve({ status: 400, allow: null }))
    req.end()
  })
}

test('malformed requests get a 4xx, never a 500', async () => {
  const findings: string[] = []
  const check = async (label: string, status: number, expected: (status: number) => boolean) => {
    if (!expected(status)) findings.push(`${label}: ${status}`)
  }
  const is4xx = (status: number) => status >= 400 && status < 500

  // Redirect targets with a tab or a line break: a same-site redirect, never another site or a 500.
  for (const target of ['/%09/evil.example', '/%0d%0aSet-Cookie:%20a=b', '/%5C/evil.example', '/%E3%81%82']) {
    const reply = await fetch(`${app.origin}/login`, {
      method: 'POST',
      body: `email=${encodeURIComponent(personaEmails.other)}&password=community-demo-2026&redirectTo=${target}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.origin },
      redirect: 'manual',
    })
    const location = reply.headers.get('location') ?? ''
    if (reply.status !== 302 || !location.startsWith('/') || location.startsWith('//'))
      findings.push(`redirectTo=${target}: ${reply.status} ${location}`)
  }
  // A cookie with a bad percent-escape or a NUL, on every kind of page.
  for (const cookie of ['ct_session=%E0%A4%A', 'ct_session=%00abc', 'ct_vid=%', 'ct_locale=%FF', 'tz=%']) {
    for (const path of ['/healthz', '/', '/help', '/questions', '/login']) {
      const reply = await fetch(`${app.origin}${path}`, { headers: { cookie } })
      await reply.text()
      await check(`${path} with cookie ${cookie}`, reply.status, (s) => s < 400)
    }
  }
  // A NUL in the path or the query.
  for (const path of [
    '/help?q=%00',
    '/help/%00',
    '/admin/users?q=a%00b',
    '/search?q=a%00b',
    '/questions/1%00',
    '/%00',
  ]) {
    const reply = await admin.get(path)
    await check(`GET ${path}`, reply.status, (s) => s === 400)
  }
  // Methods no page takes: 405 with Allow.
  for (const method of ['PUT', 'PATCH', 'DELETE', 'TRACE', 'PROPFIND']) {
    for (const path of ['/questions', '/login', '/settings']) {
      const reply = await raw(method, path)
      if (reply.status !== 405 || !reply.allow) findings.push(`${method} ${path}: ${reply.status}`)
    }
  }
  // A POST to a page without a form: 405 naming what it takes.
  const post = await member.post('/questions', { a: '1' })
  if (post.status !== 405 || post.headers.get('allow') !== 'GET, HEAD') findings.push(`POST /questions: ${post.status}`)
  // JSON, text or a cut-off multipart body on form routes.
  for (const path of ['/login', '/signup', '/questions/new', '/support/new']) {
    const headers = { origin: app.origin, cookie: `ct_session=${member.sessionToken}` }
    const json = await fetch(`${app.origin}${path}`, {
      method: 'POST',
      body: '{"email":"a@b.example","password":"x"}',
      headers: { ...headers, 'content-type': 'application/json' },
      redirect: 'manual',
    })
    await json.text()
    if (path !== '/login' && path !== '/signup') await check(`JSON to ${path}`, json.status, (s) => s === 415)
    else await check(`JSON to ${path}`, json.status, (s) => s === 415 || s === 302)
    const truncated = await fetch(`${app.origin}${path}`, {
      method: 'POST',
      body: '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc',
      headers: { ...headers, 'content-type': 'multipart/form-data; boundary=XyZ' },
      redirect: 'manual',
    })
    await truncated.text()
    await check(`truncated multipart to ${path}`, truncated.status, is4xx)
    const noBoundary = await fetch(`${app.origin}${path}`, {
      method: 'POST',
      body: 'a=1',
      headers: { ...headers, 'content-type': 'multipart/form-data' },
      redirect: 'manual',
    })
    await noBoundary.text()
    await check(`multipart without boundary to ${path}`, noBoundary.status, is4xx)
  }
  // A Content-Length that is no number (Node itself refuses it with 400).
  await check('Content-Length: 12abc', (await raw('POST', '/login', { 'content-length': '12abc' })).status, is4xx)
  expect(findings).toEqual([])
  expect(app.stderr()).not.toMatch(/TypeError|RangeError|Maximum call stack/)
})

test('static files carry the same security headers as pages', async () => {
  const page = await fetch(`${app.origin}/login`)
  await page.text()
  const html = await (await fetch(`${app.origin}/`)).text()
  const asset = /\/assets\/[\w.-]+\.js/.exec(html)?.[0]
  expect(asset).toBeTruthy()
  for (const path of ['/favicon.svg', asset!, '/assets/missing.js']) {
    const reply = await fetch(`${app.origin}${path}`)
    await reply.arrayBuffer()
    for (const name of [
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
      'cross-origin-opener-policy',
      'permissions-policy',
    ]) {
      expect(reply.headers.get(name), `${name} on ${path}`).toEqual(
        name === 'content-security-policy' ? expect.stringContaining("frame-ancestors 'none'") : page.headers.get(name),
      )
    }
  }
})
