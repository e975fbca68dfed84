// Shared by the benchmarks: start the built app, measure a URL with autocannon, read memory, hand the
// figures to `npm run bench`.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import postgres from 'postgres'
import { type FigureRow, figureLines } from './report.ts'

/** Starts scripts/start.js (the production build) and resolves once /healthz answers. */
export function startServer({ port, env = {} }: { port: number; env?: Record<string, string> }) {
  const base = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const child = spawn('node', ['scripts/start.js'], {
    env: { ...process.env, NODE_ENV: 'production', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  child.stdout.on('data', () => {})
  return new Promise<{ child: ChildProcess; base: string; ms: number }>((resolve, reject) => {
    const deadline = Date.now() + 120_000
    const poll = async () => {
      try {
        const res = await fetch(`${base}/healthz`)
        if (res.ok) return resolve({ child, base, ms: Math.round(performance.now() - t0) })
      } catch {}
      if (Date.now() > deadline) return reject(new Error('server did not start'))
      setTimeout(poll, 50)
    }
    poll()
  })
}

export async function stopServer(child: ChildProcess) {
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
}

export function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

let clockTicks: number | undefined

/** The CPU time (user + system, every thread) a process has used so far, in ms, from /proc/<pid>/stat. */
export function processCpuMs(pid: number | undefined): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The fields after the command name, which is in parentheses and may hold spaces: state is the first,
  // utime the 12th and stime the 13th (fields 14 and 15 of proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}

/** Runs autocannon on one URL and computes p50/p95/p99 from every response's own time. */
export type BenchRow = {
  title: string
  'req/s': number
  'p50 ms': number
  'p95 ms': number
  'p99 ms': number
  errors: number
}

export function bench({
  title,
  url,
  connections,
  seconds,
  headers = {},
  onResult,
}: {
  title: string
  url: string
  connections: number
  seconds: number
  headers?: Record<string, string>
  /** Also hands over autocannon's own result (its request total, say); the row stays the same. */
  onResult?: (result: autocannon.Result) => void
}) {
  return new Promise<BenchRow>((resolve, reject) => {
    const times: number[] = []
    const instance = autocannon({ url, connections, duration: seconds, headers }, (error, result) => {
      if (error) return reject(error)
      onResult?.(result)
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
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
      times.push(responseTime),
    )
  })
}

/** Drops and creates the benchmark's own database (named by the URL's path), so every run starts empty. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url)
  const name = target.pathname.slice(1)
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name: ${name}`)
  const admin = postgres({
    host: target.hostname,
    port: Number(target.port || 5432),
    user: decodeURIComponent(target.username || 'postgres'),
    password: decodeURIComponent(target.password),
    database: 'postgres',
    max: 1,
    onnotice: () => {},
  })
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.unsafe(`create database ${name}`)
  await admin.end()
}

/** Hands a benchmark's headline figures to `npm run bench` (scripts/bench/all.ts), which sets
 *  BENCH_FIGURES to a file for them; run on its own, a benchmark only prints. */
export function reportFigures(bench: string, rows: FigureRow[]): void {
  const file = process.env.BENCH_FIGURES
  if (file) appendFileSync(file, figureLines(bench, rows))
}
