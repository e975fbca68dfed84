// Runs every test: typecheck, lint, the vitest suites on PGlite and (when a server answers) PostgreSQL,
// then the Playwright suite against a production build. Ends with one summary line of the totals.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
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
run('unit + integration (vitest)', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
])
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'))
  totals.passed += report.numPassedTests ?? 0
  totals.failed += report.numFailedTests ?? 0
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
} else totals.failed += 1

// playwright.config.ts takes Chromium's headless shell where it is installed, else the browser.
const chromium =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ??
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path)) ??
  '/usr/bin/chromium'
if (existsSync(chromium)) {
  const e2eJson = `${reportDir}/playwright.json`
  if (built) {
    run('end-to-end (playwright)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson,
    })
  }
  if (existsSync(e2eJson)) {
    const stats = JSON.parse(readFileSync(e2eJson, 'utf8')).stats ?? {}
    totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0)
    totals.failed += stats.unexpected ?? 0
    totals.skipped += stats.skipped ?? 0
  } else totals.failed += 1
} else if (ci) {
  console.error(`CI needs Chromium at ${chromium} for the end-to-end tests.`)
  steps.push({ name: 'end-to-end (playwright)', ok: false, seconds: 0 })
  totals.failed += 1
} else {
  notRun.push(`end-to-end: no Chromium at ${chromium} (apt-get install chromium)`)
}

console.info('\n──────── summary ────────')
for (const step of steps) console.info(`${step.ok ? '✓' : '✗'} ${step.name} (${step.seconds}s)`)
for (const reason of notRun) console.info(`– not run: ${reason}`)
console.info(`time: ${Math.round((Date.now() - started) / 1000)}s`)
const allOk = steps.every((s) => s.ok) && totals.failed === 0
console.info(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(allOk ? 0 : 1)
