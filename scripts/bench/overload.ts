// Overload benchmark: the production build on the demo data, asked for heavy pages (lists, search, the
// help centre, the manager's dashboard) faster than it can render them, with load shedding as
// configured by default and with it off (docs/decisions/018-overload-shedding.md). Two kinds of load:
// - arrivals: requests sent at a fixed rate, BENCH_FACTOR (default 3) times what the app serves in a
//   short calibration, whatever becomes of the earlier ones. People arrive like this, and it is what
//   makes a queue grow until requests time out;
// - clients that ask again the moment they are answered, 503 or not (autocannon, BENCH_CONNECTIONS
//   connections, default 400): the worst case for shedding, since every refusal is asked again at once.
// For each: requests per second served (200) and answered in all, the share refused with 503, the
// latency of 200s and of 503s (p50/p95/p99), timeouts and socket errors, and peak memory.
//   npm run bench:overload
// Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_overload), dropped and
// created again on every run. BENCH_SECONDS (default 15) per run; BENCH_RATE sets the arrival rate
// outright; BENCH_TIMEOUT seconds (default 10) before a request counts as timed out; BENCH_MODES
// (default "off,on"; a number is a run with OVERLOAD_DELAY_MS set to it). Only loopback is targeted.
import { Agent, request as httpRequest } from 'node:http'
import autocannon from 'autocannon'
import { percentile, recreateDatabase, reportFigures, rssMb, startServer, stopServer } from './lib.ts'
import type { FigureRow } from './report.ts'

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_overload'
const port = Number(process.env.BENCH_PORT ?? 3396)
const seconds = Number(process.env.BENCH_SECONDS ?? 15)
const factor = Number(process.env.BENCH_FACTOR ?? 3)
const fixedRate = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined
const connections = Number(process.env.BENCH_CONNECTIONS ?? 400)
const timeoutMs = Number(process.env.BENCH_TIMEOUT ?? 10) * 1000
const modes = (process.env.BENCH_MODES ?? 'off,on').split(',').map((mode) => mode.trim())
/** The calibration: what the app serves to this many clients at a time, with shedding off. */
const CALIBRATION = { connections: 16, seconds: 8 }
const serverEnv = { DATABASE_URL: url, DEMO_SEED: 'true', RATE_LIMITS: 'off' }

/** The environment of each mode: `on` is the default configuration, `off` turns both checks off. */
function modeEnv(mode: string): Record<string, string> {
  if (mode === 'off') return { OVERLOAD_DELAY_MS: 'off', MAX_IN_FLIGHT: 'off' }
  if (mode === 'on') return {}
  if (/^\d+$/.test(mode)) return { OVERLOAD_DELAY_MS: mode }
  throw new Error(`BENCH_MODES takes off, on or a number of milliseconds; got ${mode}`)
}

function modeTitle(mode: string): string {
  return mode === 'off' ? 'shedding off' : mode === 'on' ? 'shedding on (defaults)' : `shedding at ${mode} ms`
}

type Page = { path: string; headers?: Record<string, string> }

async function heavyPages(base: string): Promise<Page[]> {
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ email: 'manager@community.example', password: 'community-demo-2026' }),
    redirect: 'manual',
  })
  const manager = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .find((pair) => pair?.startsWith('ct_session='))
  if (!manager) throw new Error(`could not sign in as the manager: ${response.status}`)
  return [
    { path: '/questions' },
    { path: '/search?q=export%20report' },
    { path: '/help' },
    { path: '/manage', headers: { cookie: manager } },
    { path: '/questions?sort=votes&page=2' },
    { path: '/search?q=invoice' },
  ]
}

type Outcome = { status: number; ms: number } | 'timeout' | 'error'

/** Requests at a fixed rate for `seconds`, each on a connection of its own if need be (an open loop:
 *  a slow answer does not hold the next request back). */
async function arrivals(base: string, pages: Page[], rate: number, runSeconds: number): Promise<Outcome[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY })
  const target = new URL(base)
  const send = (page: Page) =>
    new Promise<Outcome>((resolve) => {
      const started = performance.now()
      const req = httpRequest(
        { agent, host: target.hostname, port: target.port, path: page.path, headers: page.headers },
        (res) => {
          res.resume()
          res.on('end', () => {
            clearTimeout(timer)
            resolve({ status: res.statusCode ?? 0, ms: performance.now() - started })
          })
        },
      )
      const timer = setTimeout(() => {
        req.destroy()
        resolve('timeout')
      }, timeoutMs)
      req.on('error', () => {
        clearTimeout(timer)
        resolve('error')
      })
      req.end()
    })
  const outcomes: Promise<Outcome>[] = []
  const start = performance.now()
  for (let i = 0; i < rate * runSeconds; i++) {
    const wait = start + (i * 1000) / rate - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    outcomes.push(send(pages[i % pages.length]!))
  }
  const done = await Promise.all(outcomes)
  agent.destroy()
  return done
}

/** autocannon's closed loop: every connection asks again as soon as it has its answer. */
function retryingClients(base: string, pages: Page[], clients: number, runSeconds: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = []
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: clients,
        duration: runSeconds,
        timeout: timeoutMs / 1000,
        requests: pages.map((page) => ({ method: 'GET' as const, ...page })),
      },
      (error: Error | null, result: autocannon.Result) => {
        if (error) return reject(error)
        for (let i = 0; i < result.timeouts; i++) outcomes.push('timeout')
        for (let i = 0; i < result.errors - result.timeouts; i++) outcomes.push('error')
        resolve(outcomes)
      },
    )
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) =>
      outcomes.push({ status, ms }),
    )
  })
}

type Row = {
  load: string
  mode: string
  'answered/s': number
  'served/s': number
  '503 %': number
  '200 p50': number
  '200 p95': number
  '200 p99': number
  '503 p50': number
  '503 p95': number
  '503 p99': number
  timeouts: number
  errors: number
  'other status': number
  'peak RSS MB': number
}

async function measure(
  mode: string,
  load: string,
  run: (base: string, pages: Page[]) => Promise<Outcome[]>,
  runSeconds: number,
): Promise<Row> {
  const { child, base } = await startServer({ port, env: { ...serverEnv, ...modeEnv(mode) } })
  try {
    const pages = await heavyPages(base)
    // Warm: every page once, so the first seconds do not measure the JIT.
    for (const page of pages) await (await fetch(`${base}${page.path}`, { headers: page.headers })).text()
    let peakRss = rssMb(child.pid)
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMb(child.pid))
    }, 250)
    const outcomes = await run(base, pages)
    clearInterval(sampler)
    const answers = outcomes.filter((o): o is { status: number; ms: number } => typeof o === 'object')
    const ok = answers.filter((a) => a.status === 200).map((a) => a.ms)
    const shed = answers.filter((a) => a.status === 503).map((a) => a.ms)
    for (const list of [ok, shed]) list.sort((a, b) => a - b)
    const ms = (list: number[], p: number) => Math.round(percentile(list, p))
    return {
      load,
      mode: modeTitle(mode),
      'answered/s': Math.round(answers.length / runSeconds),
      'served/s': Math.round(ok.length / runSeconds),
      '503 %': answers.length ? Math.round((shed.length / answers.length) * 1000) / 10 : 0,
      '200 p50': ms(ok, 50),
      '200 p95': ms(ok, 95),
      '200 p99': ms(ok, 99),
      '503 p50': ms(shed, 50),
      '503 p95': ms(shed, 95),
      '503 p99': ms(shed, 99),
      timeouts: outcomes.filter((o) => o === 'timeout').length,
      errors: outcomes.filter((o) => o === 'error').length,
      'other status': answers.length - ok.length - shed.length,
      'peak RSS MB': peakRss,
    }
  } finally {
    await stopServer(child)
  }
}

await recreateDatabase(url)
{
  // The first start seeds the demo data and indexes it in the background: let that finish first.
  const { child } = await startServer({ port, env: serverEnv })
  await new Promise((resolve) => setTimeout(resolve, 8_000))
  await stopServer(child)
}
let rate = fixedRate
if (!rate) {
  const calibration = await measure(
    'off',
    'calibration',
    (base, pages) => retryingClients(base, pages, CALIBRATION.connections, CALIBRATION.seconds),
    CALIBRATION.seconds,
  )
  rate = Math.max(1, Math.round(calibration['served/s'] * factor))
  console.info(
    `calibration: ${calibration['served/s']} pages/s at ${CALIBRATION.connections} clients ` +
      `(p50 ${calibration['200 p50']} ms); arrivals at ${factor}× that: ${rate}/s`,
  )
}
const rows: Row[] = []
for (const mode of modes) {
  rows.push(await measure(mode, `${rate}/s arriving`, (base, pages) => arrivals(base, pages, rate, seconds), seconds))
  console.info(`${rows.at(-1)!.load}, ${rows.at(-1)!.mode}: done`)
}
for (const mode of modes) {
  const load = `${connections} retrying clients`
  rows.push(await measure(mode, load, (base, pages) => retryingClients(base, pages, connections, seconds), seconds))
  console.info(`${load}, ${rows.at(-1)!.mode}: done`)
}
console.table(rows)

reportFigures('overload', [
  { name: 'arrival rate', figure: rate, unit: 'req/s' },
  ...rows.flatMap((row): FigureRow[] => {
    const title = `${row.load.includes('arriving') ? 'arrivals' : 'retrying clients'}, ${row.mode}`
    return [
      { name: `${title}: served`, figure: row['served/s'], unit: 'req/s' },
      { name: `${title}: 503 share`, figure: row['503 %'], unit: '%' },
      { name: `${title}: 200 p95`, figure: row['200 p95'], unit: 'ms' },
      { name: `${title}: 503 p95`, figure: row['503 p95'], unit: 'ms' },
      { name: `${title}: timeouts`, figure: row.timeouts, unit: 'requests' },
      { name: `${title}: peak RSS`, figure: row['peak RSS MB'], unit: 'MB' },
    ]
  }),
])
