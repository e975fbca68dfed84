import { afterAll, beforeAll, expect, test } from 'vitest'
import { type AppServer, startApp, Visitor } from './app-server.ts'
import { personaEmails } from './personas.ts'

// Overload: more concurrent requests for heavy pages than the process can render. With load shedding
// (app/server/overload.server.ts, at a low threshold here so a test machine can reach it) part of them get
// 503 with Retry-After at once instead of waiting in line; none hangs or fails at the socket; once the
// load stops the app answers normally again within a few seconds.

/** The event-loop delay (ms) above which the app sheds: low, so that a small machine overloads. */
const THRESHOLD_MS = 30
const LOAD_MS = 5_000
const WORKERS = 48
/** No answer within this is a hang. */
const HANG_MS = 15_000

let app: AppServer
let manager: Visitor
let reader: Visitor

beforeAll(async () => {
  app = await startApp({ env: { OVERLOAD_DELAY_MS: String(THRESHOLD_MS), RATE_LIMITS: 'off' } })
  manager = await new Visitor(app).signIn(personaEmails.manager)
  reader = new Visitor(app)
})

afterAll(async () => {
  await app?.stop()
})

/** Pages that take real work to render: lists, search, the manager's dashboard, the help centre. */
const heavy: { who: () => Visitor; path: string }[] = [
  { who: () => reader, path: '/questions' },
  { who: () => reader, path: '/search?q=export%20report' },
  { who: () => reader, path: '/help' },
  { who: () => manager, path: '/manage' },
  { who: () => reader, path: '/questions?tab=unanswered' },
  { who: () => manager, path: '/search?q=invoice' },
]

type Sample = {
  status: number
  ms: number
  lang: string
  retryAfter: string | null
  cacheControl: string | null
  text: string
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
}

async function hit(visitor: Visitor, path: string, lang = 'en'): Promise<Sample> {
  const started = performance.now()
  const reply = await Promise.race([
    visitor.get(path, { 'accept-language': lang }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${HANG_MS} ms`)), HANG_MS)),
  ])
  return {
    status: reply.status,
    ms: performance.now() - started,
    lang,
    retryAfter: reply.headers.get('retry-after'),
    cacheControl: reply.headers.get('cache-control'),
    text: reply.text,
  }
}

test('overloaded, the app sheds part of the load with a prompt 503 and Retry-After, and recovers when the load stops', async () => {
  // Warm: every page renders once before the load.
  for (const { who, path } of heavy) expect((await hit(who(), path)).status).toBe(200)

  const samples: Sample[] = []
  const failures: string[] = []
  const health: number[] = []
  const stopAt = Date.now() + LOAD_MS
  await Promise.all([
    ...Array.from({ length: WORKERS }, async (_, worker) => {
      for (let i = worker; Date.now() < stopAt; i++) {
        const { who, path } = heavy[i % heavy.length]!
        try {
          // A quarter of the readers read Japanese.
          samples.push(await hit(who(), path, worker % 4 === 0 ? 'ja' : 'en'))
        } catch (error) {
          failures.push(`${path}: ${(error as Error).message}`)
        }
      }
    }),
    // Liveness is never shed.
    (async () => {
      while (Date.now() < stopAt) {
        health.push((await hit(reader, '/healthz')).status)
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    })(),
  ])

  expect(failures).toEqual([])
  const shed = samples.filter((s) => s.status === 503)
  const served = samples.filter((s) => s.status === 200)
  expect(samples.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([])
  expect(shed.length).toBeGreaterThan(0)
  expect(served.length).toBeGreaterThan(0)
  for (const s of shed) {
    expect(s.retryAfter).toMatch(/^[12]$/)
    expect(s.cacheControl).toBe('no-store')
    expect(s.text).toBe(
      s.lang === 'ja'
        ? '現在アクセスが集中しています。少し待ってからもう一度お試しください。'
        : 'The site is very busy right now. Please try again in a moment.',
    )
  }
  // A refusal comes back much sooner than an answer.
  const shedMs = shed.map((s) => s.ms)
  const servedMs = served.map((s) => s.ms)
  const shedP50 = Math.round(percentile(shedMs, 50))
  const shedP95 = Math.round(percentile(shedMs, 95))
  const servedP50 = Math.round(percentile(servedMs, 50))
  const servedP95 = Math.round(percentile(servedMs, 95))
  console.info(
    `overload: ${samples.length} requests; ${shed.length} shed (p50 ${shedP50} ms, p95 ${shedP95} ms); ` +
      `${served.length} served (p50 ${servedP50} ms, p95 ${servedP95} ms)`,
  )
  expect(shedP95).toBeLessThan(servedP50)
  expect(health.length).toBeGreaterThan(0)
  expect(health.every((status) => status === 200)).toBe(true)

  // The load is gone: within a few seconds every page answers 200 again.
  const recoveredAt = Date.now()
  await expect.poll(async () => (await hit(reader, '/questions')).status, { timeout: 5_000, interval: 100 }).toBe(200)
  expect(Date.now() - recoveredAt).toBeLessThan(5_000)
  for (const { who, path } of heavy) expect((await hit(who(), path)).status).toBe(200)
  expect(app.child.exitCode).toBeNull()
})
