// HTTP benchmark of the production build: cold start on PGlite (empty and existing data), then
// throughput and latency of the main pages with autocannon, and the server's memory.
//   npm run build && npx tsx scripts/bench/http.js            (PGlite)
//   DATABASE_URL=postgres://… npx tsx scripts/bench/http.js   (PostgreSQL; cold start then skips the seed)
// Only loopback is targeted; every run is bounded in time.
import { rmSync } from 'node:fs'
import { bench as measure, reportFigures, rssMb, startServer as start, stopServer } from './lib.ts'
import { rowFigures } from './report.ts'

const port = Number(process.env.BENCH_PORT ?? 3390)
const base = `http://127.0.0.1:${port}`
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20)
const dataDir = 'data/bench-pglite'

function startServer() {
  return start({ port, env: { PGLITE_DIR: dataDir, DEMO_SEED: 'true' } })
}

async function signInCookie() {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ email: 'alice@acme.example', password: 'community-demo-2026' }),
  })
  const cookie = res.headers.get('set-cookie')?.split(';')[0]
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`)
  return cookie
}

/** The first link on a page that matches, so the benchmark follows real demo content. */
async function firstLink(path, pattern) {
  const html = await (await fetch(`${base}${path}`)).text()
  const match = pattern.exec(html)
  if (!match) throw new Error(`no link matching ${pattern} on ${path}`)
  return match[1]
}

function bench(title, path, headers = {}) {
  return measure({ title, url: `${base}${path}`, connections, seconds, headers })
}

const driver = process.env.DATABASE_URL ? 'postgres' : 'pglite'
if (!process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true })

const first = await startServer()
console.info(`cold start, ${driver}, empty database (migrate + demo seed): ${first.ms} ms`)
await stopServer(first.child)
const { child, ms } = await startServer()
console.info(`cold start, ${driver}, existing database: ${ms} ms`)
const memoryAfterStart = rssMb(child.pid)
console.info(`memory after start: ${memoryAfterStart} MB RSS`)

const cookie = await signInCookie()
const rows = []
rows.push(await bench('GET /healthz', '/healthz'))
rows.push(await bench('GET / (visitor)', '/'))
rows.push(await bench('GET /login (visitor)', '/login'))
rows.push(await bench('GET / (signed in)', '/', { cookie }))
rows.push(await bench('GET /settings (signed in)', '/settings', { cookie }))
rows.push(await bench('GET /questions (visitor)', '/questions'))
rows.push(await bench('GET /help (visitor)', '/help'))
rows.push(await bench('GET /help/reports-exports (visitor)', '/help/reports-exports'))
const articlePath = await firstLink('/help/reports-exports', /href="(\/help\/reports-exports\/[^"]+)"/)
rows.push(await bench('GET help article (visitor)', articlePath))
rows.push(await bench('GET /events (signed in)', '/events', { cookie }))
const eventPath = await firstLink('/events', /href="(\/events\/\d+)"/)
rows.push(await bench('GET event page (signed in)', eventPath, { cookie }))
console.info(`\n${connections} connections, ${seconds}s each`)
console.table(rows)
const memoryAfterLoad = rssMb(child.pid)
console.info(`memory after load: ${memoryAfterLoad} MB RSS`)
await stopServer(child)
if (!process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true })
reportFigures('http', [
  { name: `cold start (${driver}), empty database`, figure: first.ms, unit: 'ms' },
  { name: `cold start (${driver}), existing database`, figure: ms, unit: 'ms' },
  { name: 'memory after start', figure: memoryAfterStart, unit: 'MB' },
  ...rows.flatMap((row) => rowFigures(row.title, row)),
  { name: 'memory after load', figure: memoryAfterLoad, unit: 'MB' },
])
