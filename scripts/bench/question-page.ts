// Question-page benchmark on the server database (issue 25): one question with 20 answers of about 600
// characters each, measured with autocannon against the production build as a visitor (no session; the
// way it is served today, without a page cache) and as a signed-in member (a real session cookie), beside
// the same visitor bytes served by a bare node:http server in a child process (the ceiling for this
// machine); each at 10 connections and at 1. Every row also gives the serving process's CPU time per
// page (from /proc/<pid>/stat), the database server's CPU time and transactions per page, and the
// serving process's memory; the ratios follow the table.
//   npm run bench:question
// Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_qa); the database is
// dropped and created again on every run. Only loopback is targeted; every round is bounded in time
// (BENCH_SECONDS, default 10).
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { createSession, generateToken, SESSION_COOKIE } from '#app/domain/identity/sessions.server.ts'
import { RENDER_VERSION, renderMarkdown } from '#app/lib/markdown.server.ts'
import { insertAccount, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { openDatabase } from '#db/client.server.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { bench, processCpuMs, recreateDatabase, reportFigures, rssMb, startServer, stopServer } from './lib.ts'
import { type FigureRow, rowFigures } from './report.ts'

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_qa'
const port = Number(process.env.BENCH_PORT ?? 3391)
const staticPort = port + 1
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const ANSWERS = 20
const MEMBER_NAME = 'Bench Member Sakuraba'
/** The connection counts every page is measured at. */
const CONCURRENCY = [10, 1] as const

/** About 600 characters of markdown; the token marks each answer's text wherever it shows in the page. */
function answerMarkdown(i: number): string {
  return `Answer ${i} (bench-answer-${i}-token): we had the same timeout with **monthly reports** of about 200k rows, and the fix was to stop exporting from the report page.

1. Split the export by *month* and request each part from the \`/exports\` API instead.
2. Poll the export job until its status is \`done\`, then download the file from the link it returns.
3. Keep pages at 5,000 rows; larger pages were slower for us overall.

\`\`\`sh
curl -H "Authorization: Bearer $TOKEN" "https://api.example/exports?month=2026-0${(i % 9) + 1}&page=${i}"
\`\`\`

> The download link expires after 24 hours.

See [the export guide](https://docs.example/exports) for details.`
}

async function seed() {
  const database = await openDatabase({ driver: 'postgres', url })
  await database.migrate()
  const db = database.db
  const asker = await insertUser(db, { displayName: 'Bench Asker' })
  const answerers: { id: number }[] = []
  for (let i = 0; i < ANSWERS; i++) answerers.push(await insertUser(db, { displayName: `Answerer ${i}` }))
  // The signed-in reader: a confirmed member of a customer account, with a session as sign-in makes one.
  const account = await insertAccount(db, { name: 'Bench Account' })
  const member = await insertUser(db, { displayName: MEMBER_NAME, accountId: account.id })
  const token = generateToken()
  await createSession(db, token, member.id)
  // Other questions, so the list has something to page through.
  for (let i = 0; i < 200; i++) {
    await insertQuestion(db, {
      author: asker,
      title: `Background question number ${i} about reports`,
      tags: ['reports', `tag-${i % 20}`],
    })
  }
  const question = await insertQuestion(db, {
    author: asker,
    title: 'How do I export a large report without timeouts?',
    bodyMd: 'We export **monthly reports** with 200k rows and the export times out. What are the options?',
    tags: ['reports', 'export', 'performance'],
  })
  const start = Date.now() - ANSWERS * 60_000
  const rows = []
  for (let i = 0; i < ANSWERS; i++) {
    const bodyMd = answerMarkdown(i)
    rows.push({
      questionId: question.id,
      authorId: answerers[i]!.id,
      bodyMd,
      bodyHtml: await renderMarkdown(bodyMd),
      renderVersion: RENDER_VERSION,
      score: ((i * 7919) % 23) - 5,
      createdAt: new Date(start + i * 60_000),
    })
  }
  await db.insert(answers).values(rows)
  await db.execute(sql`update ${questions} set answer_count = ${ANSWERS} where id = ${question.id}`)
  await database.close()
  const average = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / values.length)
  return {
    path: `/questions/${question.id}`,
    cookie: `${SESSION_COOKIE}=${token}`,
    markdownChars: average(rows.map((row) => row.bodyMd.length)),
    htmlChars: average(rows.map((row) => row.bodyHtml.length)),
  }
}

/** CPU time of every process of the PostgreSQL server on this machine (backends, writers), in ms. */
function postgresCpuMs(): number {
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue
      total += processCpuMs(Number(entry))
    } catch {
      // The process ended while the list was read.
    }
  }
  return total
}

/** Transactions the bench database has finished; postgres.js runs each statement outside a transaction
 *  block in its own, so this counts statements plus BEGIN…COMMIT blocks. Read from the `postgres`
 *  database, so the reading itself is not counted. */
const monitor = (() => {
  const target = new URL(url)
  target.pathname = '/postgres'
  return postgres(target.toString(), { max: 1, onnotice: () => {} })
})()
const databaseName = new URL(url).pathname.slice(1)
async function transactions(): Promise<number> {
  const [row] = await monitor<{ n: string }[]>`
    select xact_commit + xact_rollback as n from pg_stat_database where datname = ${databaseName}`
  return Number(row?.n ?? 0)
}
/** Backends publish their statistics within about a second of going idle. */
const STATS_SETTLE_MS = 1500

/** The same bytes from a bare node:http server in its own process, so its CPU time is its own. */
async function serveStatic(body: Buffer, contentType: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-qa-'))
  const file = join(dir, 'page.html')
  writeFileSync(file, body)
  const script = `const body = require('node:fs').readFileSync(process.argv[1])
require('node:http').createServer((_req, res) => {
  res.writeHead(200, { 'content-type': process.argv[2], 'content-length': body.length })
  res.end(body)
}).listen(Number(process.argv[3]), '127.0.0.1', () => console.log('ready'))`
  const child = spawn(process.execPath, ['-e', script, file, contentType, String(staticPort)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`node:http server exited with ${code}`)))
  })
  return { child, dir }
}

type Row = {
  row: string
  conns: number
  'req/s': number
  'p50 ms': number
  'p95 ms': number
  'p99 ms': number
  errors: number
  'server CPU ms/page': number
  'pg CPU ms/page': number | '-'
  'db xacts/page': number | '-'
  'RSS MB': number
}

const round1 = (n: number) => Math.round(n * 10) / 10
const round2 = (n: number) => Math.round(n * 100) / 100

/** One round: autocannon for BENCH_SECONDS, with the serving process's CPU time (and, for the app, the
 *  database's CPU time and transactions) before and after, divided by the responses counted. */
async function round(
  title: string,
  target: string,
  connections: number,
  server: ChildProcess,
  { headers = {}, database = false, idleTransactionsPerSecond = 0 } = {},
): Promise<Row> {
  const before = {
    cpu: processCpuMs(server.pid),
    pg: database ? postgresCpuMs() : 0,
    transactions: database ? await transactions() : 0,
  }
  const t0 = performance.now()
  let served = 0
  const row = await bench({
    title,
    url: target,
    connections,
    seconds,
    headers,
    onResult: (result) => {
      served = result.requests.total
    },
  })
  const cpu = processCpuMs(server.pid) - before.cpu
  const pg = database ? postgresCpuMs() - before.pg : 0
  let perPage: number | '-' = '-'
  if (database) {
    await sleep(STATS_SETTLE_MS)
    // What the app's jobs do meanwhile (pg-boss polling) is taken off, at the rate measured while idle.
    const background = (idleTransactionsPerSecond * (performance.now() - t0)) / 1000
    perPage = round2(((await transactions()) - before.transactions - background) / Math.max(1, served))
  }
  return {
    row: title,
    conns: connections,
    'req/s': row['req/s'],
    'p50 ms': row['p50 ms'],
    'p95 ms': row['p95 ms'],
    'p99 ms': row['p99 ms'],
    errors: row.errors,
    'server CPU ms/page': round2(cpu / Math.max(1, served)),
    'pg CPU ms/page': database ? round2(pg / Math.max(1, served)) : '-',
    'db xacts/page': perPage,
    'RSS MB': rssMb(server.pid),
  }
}

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1
}

/** How much of the page is its scripts, and how much of that the loader data React Router streams into
 *  it (`window.__reactRouterContext` and the turbo-stream chunks enqueued on it). */
function anatomy(html: string) {
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[0])
  const loaderData = scripts.filter((script) => script.includes('__reactRouterContext'))
  const bytes = (parts: string[]) => parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0)
  const inLoaderData = loaderData.join('\n')
  return {
    htmlBytes: Buffer.byteLength(html),
    scriptBytes: bytes(scripts),
    loaderDataBytes: bytes(loaderData),
    loaderDataScripts: loaderData.length,
    // Each answer's token: in the whole page, and in the loader data.
    answerCopies: Array.from({ length: ANSWERS }, (_, i) => countOf(html, `bench-answer-${i}-token`)),
    answerCopiesInLoaderData: Array.from({ length: ANSWERS }, (_, i) =>
      countOf(inLoaderData, `bench-answer-${i}-token`),
    ),
  }
}

const kib = (bytes: number) => round1(bytes / 1024)

console.info(`seeding ${url}: one question with ${ANSWERS} answers, a member with a session, 200 other questions…`)
await recreateDatabase(url)
const seeded = await seed()
console.info(`answers: ${seeded.markdownChars} characters of markdown, ${seeded.htmlChars} of HTML on average`)

const rows: Row[] = []
let html = ''
let contentType = 'text/html'
const app = await startServer({ port, env: { DATABASE_URL: url, DEMO_SEED: 'false', RATE_LIMITS: 'off' } })
const memoryAfterStart = rssMb(app.child.pid)
let memory = memoryAfterStart
let idleTransactionsPerSecond = 0
try {
  console.info(`app started on PostgreSQL in ${app.ms} ms; memory ${memoryAfterStart} MB RSS`)
  // The canonical address carries the slug; measure it, not the redirect.
  const first = await fetch(`${app.base}${seeded.path}`)
  const canonical = new URL(first.url).pathname
  html = await first.text()
  contentType = first.headers.get('content-type') ?? contentType
  const memberResponse = await fetch(`${app.base}${canonical}`, {
    headers: { cookie: seeded.cookie },
    redirect: 'manual',
  })
  const memberHtml = await memberResponse.text()
  if (!first.ok || memberResponse.status !== 200) {
    throw new Error(`question page answered ${first.status} (visitor) / ${memberResponse.status} (member)`)
  }
  // Only a signed-in member sees their own name in the header's account menu.
  const signedIn = `account-menu-name">${MEMBER_NAME}<`
  if (!memberHtml.includes(signedIn)) throw new Error(`the member's page is not signed in: no ${signedIn} in it`)
  if (html.includes(MEMBER_NAME)) throw new Error(`the visitor's page shows the member's name`)
  for (const [who, page] of [
    ['visitor', html],
    ['member', memberHtml],
  ] as const) {
    const missing = Array.from({ length: ANSWERS }, (_, i) => i).filter((i) => !page.includes(`bench-answer-${i}-`))
    if (missing.length) throw new Error(`the ${who} page lacks answers ${missing.join(', ')}`)
  }

  for (const [who, page] of [
    ['visitor', html],
    ['member', memberHtml],
  ] as const) {
    const a = anatomy(page)
    const copies = [...new Set(a.answerCopies)].join('/')
    const inData = [...new Set(a.answerCopiesInLoaderData)].join('/')
    console.info(
      `${who} page: ${kib(a.htmlBytes)} KiB of HTML; scripts ${kib(a.scriptBytes)} KiB, of which loader data ` +
        `(${a.loaderDataScripts} __reactRouterContext scripts) ${kib(a.loaderDataBytes)} KiB = ` +
        `${round1((a.loaderDataBytes / a.htmlBytes) * 100)}% of the page; each answer's text ${copies}× in the page, ` +
        `${inData}× of them in the loader data`,
    )
  }

  // Warm-up (JIT, pools, caches of keys), not measured.
  await bench({ title: 'warm-up', url: `${app.base}${canonical}`, connections: 10, seconds: 3 })
  await bench({
    title: 'warm-up',
    url: `${app.base}${canonical}`,
    connections: 10,
    seconds: 3,
    headers: { cookie: seeded.cookie },
  })
  // The app's own background work (jobs polling the database) while no page is asked for.
  await sleep(STATS_SETTLE_MS)
  const idle = { cpu: processCpuMs(app.child.pid), transactions: await transactions(), t0: performance.now() }
  await sleep(5000)
  const idleSeconds = (performance.now() - idle.t0) / 1000
  idleTransactionsPerSecond = ((await transactions()) - idle.transactions) / idleSeconds
  console.info(
    `app idle: ${round1((processCpuMs(app.child.pid) - idle.cpu) / idleSeconds)} ms CPU/s, ` +
      `${round1(idleTransactionsPerSecond)} database transactions/s (taken off the rounds' counts)`,
  )

  const options = { database: true, idleTransactionsPerSecond }
  for (const connections of CONCURRENCY) {
    const target = `${app.base}${canonical}`
    rows.push(await round('visitor (no cache)', target, connections, app.child, options))
    rows.push(
      await round('member (signed in)', target, connections, app.child, {
        ...options,
        headers: { cookie: seeded.cookie },
      }),
    )
  }
  rows.push(await round('/questions', `${app.base}/questions`, 10, app.child, options))
  // The session is still good after the rounds: nothing above signed the member out.
  const after = await (await fetch(`${app.base}${canonical}`, { headers: { cookie: seeded.cookie } })).text()
  if (!after.includes(signedIn)) throw new Error('the member was signed out during the rounds')
  memory = rssMb(app.child.pid)
} finally {
  await stopServer(app.child)
}

const ceiling = await serveStatic(Buffer.from(html), contentType)
try {
  for (const connections of CONCURRENCY) {
    rows.push(await round('node:http (same bytes)', `http://127.0.0.1:${staticPort}/`, connections, ceiling.child))
  }
} finally {
  await stopServer(ceiling.child)
  rmSync(ceiling.dir, { recursive: true, force: true })
  await monitor.end()
}

console.info(
  `\n${seconds}s per round; server CPU is the serving process's (app or node:http) user + system time per ` +
    `response; pg CPU is every PostgreSQL process's; db xacts are the bench database's finished transactions`,
)
console.table(rows)

const find = (title: string, connections: number) => rows.find((r) => r.row === title && r.conns === connections)!
const figures: FigureRow[] = []
for (const connections of CONCURRENCY) {
  const visitor = find('visitor (no cache)', connections)
  const member = find('member (signed in)', connections)
  const ceilingRow = find('node:http (same bytes)', connections)
  const vs = visitor['req/s'] / ceilingRow['req/s']
  const ms = member['req/s'] / visitor['req/s']
  console.info(
    `c=${connections}: visitor ÷ node:http = ${visitor['req/s']} ÷ ${ceilingRow['req/s']} req/s = ${round1(vs * 100)}%; ` +
      `member ÷ visitor = ${member['req/s']} ÷ ${visitor['req/s']} req/s = ${round1(ms * 100)}%`,
  )
  figures.push(
    { name: `visitor vs node:http c${connections}`, figure: round1(vs * 100), unit: '%' },
    { name: `member vs visitor c${connections}`, figure: round1(ms * 100), unit: '%' },
  )
}
console.info(`app memory after load: ${memory} MB RSS`)

const page = anatomy(html)
reportFigures('question', [
  { name: 'app start (PostgreSQL)', figure: app.ms, unit: 'ms' },
  { name: 'memory after start', figure: memoryAfterStart, unit: 'MB' },
  { name: 'question page HTML', figure: kib(page.htmlBytes), unit: 'KiB' },
  { name: 'question page loader data', figure: kib(page.loaderDataBytes), unit: 'KiB' },
  ...rows.flatMap((row) => {
    const name = row.row === '/questions' ? row.row : `${row.row} c${row.conns}`
    return [
      ...rowFigures(name, row),
      { name: `${name} server CPU`, figure: row['server CPU ms/page'], unit: 'ms/page' },
    ]
  }),
  ...figures,
  { name: 'memory after load', figure: memory, unit: 'MB' },
])
