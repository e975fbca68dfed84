import { count, eq, inArray, sql } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { seedDemo } from '#app/server/seed/demo.server.ts'
import { questions } from '#db/schema/qa.ts'
import { database, db } from '#tests/db.ts'
import { type AppServer, type Reply, startApp, Visitor } from './app-server.ts'
import { issuedSubmissionKey } from './forms.ts'
import { personaEmails } from './personas.ts'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts'

// PostgreSQL restarted under a running app. The server the other test files share cannot be restarted,
// so this app reaches it through a TCP proxy of its own, and "the restart" is the proxy's doing: no new
// connections, the app's backends terminated (they send the app 57P01 admin_shutdown, as a real
// shutdown does), what is left of the connections cut. While the database is away the app answers at
// once, 503 with Retry-After and a translated page, and stays up; once it is back the app carries on
// without a restart: pages, sign-in, a post that writes, and the background jobs that index it.

/** How long the database stays away: long enough for every pooled connection to notice. */
const DOWN_MS = 3_000
/** "At once": a request while the database is away must not wait for a timeout. */
const PROMPT_MS = 3_000

let proxy: TcpProxy
let app: AppServer

beforeAll(async () => {
  const direct = new URL(database.url!)
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) })
  const viaProxy = new URL(direct)
  viaProxy.hostname = '127.0.0.1'
  viaProxy.port = String(proxy.port)
  // The demo data goes in directly (through the proxy it takes twice as long); the app finds it there.
  await seedDemo(db, { portfolio: false })
  // Rate limits off: the sign-ins and posts here are the probe, not what is tested.
  app = await startApp({ databaseUrl: viaProxy.toString(), env: { RATE_LIMITS: 'off' } })
})

afterAll(async () => {
  await app?.stop()
  await proxy?.close()
})

/** Takes the database away from the app, as a restart does from every client at once. */
async function takeDatabaseAway() {
  await proxy.refuse()
  const ports = proxy.upstreamPorts()
  if (ports.length) {
    await db.execute(sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()
        and client_port in (${sql.join(
          ports.map((port) => sql`${port}`),
          sql`, `,
        )})`)
  }
  proxy.dropAll()
}

async function timed<T>(run: () => Promise<T>): Promise<T & { ms: number }> {
  const started = performance.now()
  const result = await run()
  return { ...result, ms: performance.now() - started }
}

function questionForm(title: string) {
  return { title, body: 'Asked while testing a database restart; the body only needs to be long enough.', tags: '' }
}

async function questionsTitled(titles: string[]): Promise<number> {
  const [row] = await db.select({ n: count() }).from(questions).where(inArray(questions.title, titles))
  return row?.n ?? 0
}

/** Retries until `check` passes, for at most `ms`. */
async function eventually<T>(ms: number, check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms
  while (true) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}

function expectUnavailablePage(reply: Reply & { ms: number }, title: string) {
  expect(reply.status, reply.text.slice(0, 200)).toBe(503)
  expect(reply.ms).toBeLessThan(PROMPT_MS)
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0)
  expect(reply.headers.get('cache-control')).toBe('no-store')
  expect(reply.text).toContain(title)
}

test('while PostgreSQL restarts the app answers 503 at once and stays up; afterwards it carries on without a restart', async () => {
  const member = await new Visitor(app).signIn(personaEmails.member)
  const reader = new Visitor(app)
  expect((await reader.get('/questions')).status).toBe(200)
  const submissionKey = await issuedSubmissionKey(member, '/questions/new')
  expect(proxy.connections()).toBeGreaterThan(0)

  await takeDatabaseAway()
  const downSince = Date.now()
  const askedWhileDown = `Asked while the database was away ${Date.now()}`
  const [page, signedInPage, post, signIn, japanese, api, health] = await Promise.all([
    timed(() => reader.get('/questions')),
    // The session cookie is checked against the database before any loader runs.
    timed(() => member.get('/settings')),
    timed(() => member.post('/questions/new', { ...questionForm(askedWhileDown), submissionKey })),
    timed(() => new Visitor(app).post('/login', { email: personaEmails.staff, password: 'whatever it is' })),
    timed(() => reader.get('/help', { 'accept-language': 'ja' })),
    timed(() => member.request('POST', '/support/suggest', { form: { attempt: crypto.randomUUID(), q: 'export' } })),
    timed(() => reader.get('/healthz')),
  ])
  expectUnavailablePage(page, 'Temporarily unavailable')
  expectUnavailablePage(signedInPage, 'Temporarily unavailable')
  expectUnavailablePage(post, 'Temporarily unavailable')
  expectUnavailablePage(signIn, 'Temporarily unavailable')
  expectUnavailablePage(japanese, '一時的にご利用いただけません')
  expect(japanese.text).toContain('<html lang="ja"')
  // A resource route (fetched by the contact form's script) gets the message as JSON.
  expect(api.status).toBe(503)
  expect(JSON.parse(api.text)).toMatchObject({ error: { message: expect.stringContaining('temporarily unavailable') } })
  expect(health.status).toBe(503)
  expect(health.ms).toBeLessThan(PROMPT_MS)
  expect(JSON.parse(health.text)).toMatchObject({ status: 'unavailable', database: 'down' })
  // A failed request does not sign the member out.
  expect(signedInPage.headers.get('set-cookie')).toBeNull()

  // Still down a moment later (the pool has been retrying meanwhile): the same prompt answer.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, DOWN_MS - (Date.now() - downSince))))
  expectUnavailablePage(await timed(() => reader.get('/questions')), 'Temporarily unavailable')
  expect(app.child.exitCode).toBeNull()

  await proxy.restore()
  const back = await eventually(5_000, async () => {
    const reply = await reader.get('/questions')
    expect(reply.status).toBe(200)
    return reply
  })
  expect(back.headers.get('retry-after')).toBeNull()
  expect((await reader.get('/healthz')).status).toBe(200)
  // The member's session survived; a new sign-in works; a post writes.
  expect((await member.get('/settings')).status).toBe(200)
  const staff = await new Visitor(app).signIn(personaEmails.staff)
  expect((await staff.get('/settings')).status).toBe(200)
  const askedAfter = `Asked after the database came back ${Date.now()}`
  const created = await member.post('/questions/new', {
    ...questionForm(askedAfter),
    submissionKey: await issuedSubmissionKey(member, '/questions/new'),
  })
  expect(created.status).toBe(302)
  expect(await questionsTitled([askedWhileDown])).toBe(0)
  expect(await questionsTitled([askedAfter])).toBe(1)
  // The background jobs (pg-boss lost its connections too) index the new question.
  await eventually(20_000, async () => {
    const found = await reader.get(`/search?q=${encodeURIComponent(askedAfter)}`)
    expect(found.text).toContain(askedAfter)
  })

  // The process never went down, and nothing crashed on the way.
  expect(app.child.exitCode).toBeNull()
  expect(app.stderr()).not.toMatch(/unhandled|uncaught/i)
  expect(app.stderr()).toContain('database unavailable')
  const [stillThere] = await db.select({ id: questions.id }).from(questions).where(eq(questions.title, askedAfter))
  expect(stillThere).toBeDefined()
})
