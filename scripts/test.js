// Runs every test: typecheck, lint, the vitest suites on PGlite and (when a server answers) PostgreSQL,
// then the Playwright suite against a production build. Ends with one summary line of the totals.
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'

const ci = ['true', '1'].includes(process.env.CI ?? '')
const reportDir = 'data/test-reports'
rmSync(reportDir, { recursive: true, force: true })
mkdirSync(reportDir, { recursive: true })

const started = Date.now()
const steps = []
const totals = { passed: 0, failed: 0, skipped: 0 }
const notRun = []

function run(name, command, args, env = {}) {
  const t0 = Date.now()
  console.info(`\n▶ ${name}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  const ok = result.status === 0
  steps.push({ name, ok, seconds: Math.round((Date.now() - t0) / 100) / 10 })
  return ok
}

/** Starts a step in the background, its output to `logFile`; resolves to whether it passed. */
function start(name, command, args, logFile, env = {}) {
  const t0 = Date.now()
  console.info(`\n▶ ${name} (in the background, output to ${logFile}): ${command} ${args.join(' ')}`)
  const out = openSync(logFile, 'w')
  const child = spawn(command, args, { stdio: ['ignore', out, out], env: { ...process.env, ...env } })
  return new Promise((resolve) => {
    child.on('close', (code) => {
      closeSync(out)
      const ok = code === 0
      steps.push({ name, ok, seconds: Math.round((Date.now() - t0) / 100) / 10 })
      resolve(ok)
    })
  })
}

function canConnect(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 })
    socket.once('connect', () => {
      socket.end()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

if (!process.env.TEST_DATABASE_URL && (await canConnect('127.0.0.1', 5432))) {
  process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres'
}
if (!process.env.TEST_DATABASE_URL) {
  if (ci) {
    console.error('CI needs PostgreSQL: set TEST_DATABASE_URL or start a server on 127.0.0.1:5432.')
    process.exit(1)
  }
  notRun.push('postgres driver and the HTTP suites (tests/http): no server (set TEST_DATABASE_URL)')
}
if (!process.env.MEILI_URL) notRun.push('meilisearch engine: MEILI_URL is unset')

run('route types', 'npx', ['react-router', 'typegen']) && run('typecheck', 'npx', ['tsc'])
run('lint', 'npx', ['biome', 'check', '.'])

// The production build comes first: the HTTP suites (tests/http/) and Playwright both serve it.
const built = run('build', 'npx', ['react-router', 'build'])

const vitestJson = `${reportDir}/vitest.json`
const httpJson = `${reportDir}/vitest-http.json`
const e2eJson = `${reportDir}/playwright.json`
const e2eLog = `${reportDir}/playwright.log`

// playwright.config.ts takes Chromium's headless shell where it is installed, else the browser.
const chromium =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ??
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path)) ??
  '/usr/bin/chromium'

// The browser suite waits on pages far more than it computes, and the database suites compute far more
// than they wait: they run side by side (docs/decisions/048-suite-side-by-side.md). The HTTP suites
// measure server time and latency, so they run afterwards with the machine to themselves.
let e2e = null
if (existsSync(chromium) && built) {
  e2e = start('end-to-end (playwright)', 'npx', ['playwright', 'test', '--reporter=list,json'], e2eLog, {
    PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson,
  })
} else if (existsSync(chromium)) {
  steps.push({ name: 'end-to-end (playwright)', ok: false, seconds: 0 })
} else if (ci) {
  console.error(`CI needs Chromium at ${chromium} for the end-to-end tests.`)
  steps.push({ name: 'end-to-end (playwright)', ok: false, seconds: 0 })
  totals.failed += 1
} else {
  notRun.push(`end-to-end: no Chromium at ${chromium} (apt-get install chromium)`)
}

const databaseProjects = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
run('unit + integration (vitest)', 'npx', [
  'vitest',
  'run',
  ...databaseProjects.flatMap((name) => ['--project', name]),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
])
addVitest(vitestJson)

if (e2e) {
  await e2e
  console.info(`\n▶ end-to-end (playwright), run beside vitest: its output (${e2eLog})`)
  console.info(readFileSync(e2eLog, 'utf8'))
  if (existsSync(e2eJson)) {
    const stats = JSON.parse(readFileSync(e2eJson, 'utf8')).stats ?? {}
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0)
    totals.failed += stats.unexpected ?? 0
    totals.skipped += stats.skipped ?? 0
  } else totals.failed += 1
}

if (process.env.TEST_DATABASE_URL) {
  run('HTTP suites (vitest, production build)', 'npx', [
    'vitest',
    'run',
    '--project',
    'http',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${httpJson}`,
  ])
  addVitest(httpJson)
}

function addVitest(file) {
  if (!existsSync(file)) {
    totals.failed += 1
    return
  }
  const report = JSON.parse(readFileSync(file, 'utf8'))
  totals.passed += report.numPassedTests ?? 0
  totals.failed += report.numFailedTests ?? 0
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
}

console.info('\n──────── summary ────────')
for (const step of steps) console.info(`${step.ok ? '✓' : '✗'} ${step.name} (${step.seconds}s)`)
for (const reason of notRun) console.info(`– not run: ${reason}`)
console.info(`time: ${Math.round((Date.now() - started) / 1000)}s`)
const allOk = steps.every((s) => s.ok) && totals.failed === 0
console.info(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(allOk ? 0 : 1)
