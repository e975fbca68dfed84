// HTTP benchmark of the production build: cold start on PGlite (empty and existing data), then
// throughput and latency of the main pages with autocannon, and the server's memory.
//   npm run build && node scripts/bench/http.js            (PGlite)
//   DATABASE_URL=postgres://… node scripts/bench/http.js   (PostgreSQL; cold start then skips the seed)
// Only loopback is targeted; every run is bounded in time.
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import autocannon from 'autocannon'

const port = Number(process.env.BENCH_PORT ?? 3390)
const base = `http://127.0.0.1:${port}`
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20)
const dataDir = 'data/bench-pglite'

function startServer() {
  const t0 = performance.now()
  const child = spawn('node', ['scripts/start.js'], {
    env: { ...process.env, PORT: String(port), PGLITE_DIR: dataDir, DEMO_SEED: 'true', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  child.stdout.on('data', () => {})
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 120_000
    const poll = async () => {
      try {
        const res = await fetch(`${base}/healthz`)
        if (res.ok) return resolve({ child, ms: Math.round(performance.now() - t0) })
      } catch {}
      if (Date.now() > deadline) return reject(new Error('server did not start'))
      setTimeout(poll, 50)
    }
    poll()
  })
}

async function stopServer(child) {
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0)
  return Math.round(kb / 1024)
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

function percentile(sorted, p) {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** Runs autocannon on one path and computes p50/p95/p99 from every response's own time. */
function bench(title, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const times = []
    const instance = autocannon({ url: `${base}${path}`, connections, duration: seconds, headers }, (error, result) => {
      if (error) return reject(error)
      times.sort((a, b) => a - b)
      resolve({
        title,
        'req/s': Math.round(result.requests.average),
        'p50 ms': Math.round(percentile(times, 50) * 10) / 10,
        'p95 ms': Math.round(percentile(times, 95) * 10) / 10,
        'p99 ms': Math.round(percentile(times, 99) * 10) / 10,
        errors: result.errors + result.non2xx,
      })
    })
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime))
  })
}

const driver = process.env.DATABASE_URL ? 'postgres' : 'pglite'
if (!process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true })

const first = await startServer()
console.info(`cold start, ${driver}, empty database (migrate + demo seed): ${first.ms} ms`)
await stopServer(first.child)
const { child, ms } = await startServer()
console.info(`cold start, ${driver}, existing database: ${ms} ms`)
console.info(`memory after start: ${rssMb(child.pid)} MB RSS`)

const cookie = await signInCookie()
const rows = []
rows.push(await bench('GET /healthz', '/healthz'))
rows.push(await bench('GET / (visitor)', '/'))
rows.push(await bench('GET /login (visitor)', '/login'))
rows.push(await bench('GET / (signed in)', '/', { cookie }))
rows.push(await bench('GET /settings (signed in)', '/settings', { cookie }))
console.info(`\n${connections} connections, ${seconds}s each`)
console.table(rows)
console.info(`memory after load: ${rssMb(child.pid)} MB RSS`)
await stopServer(child)
if (!process.env.DATABASE_URL) rmSync(dataDir, { recursive: true, force: true })
