import { afterAll, afterEach, beforeEach, vi } from 'vitest'
import { closeTestDatabase } from './test-database.ts'

// Test files share their worker process (vitest.config.ts: `isolate: false`, docs/decisions/028-test-
// suite-budget.md). Vitest runs this file again before every test file; what one file changes must not
// reach the next, so each file starts as it would in a fresh process: its own database (tests/db.ts),
// the environment as it was before the file, and fresh app modules (their module-level state: the
// cached env(), the signing secret of app/lib/signing.server.ts, the job queue, the mail transport, the
// visits already recorded...). Libraries in node_modules stay loaded, which is most of the saving.
const environmentBefore = { ...process.env }

process.env.NODE_ENV = 'test'
process.env.APP_URL ??= 'http://localhost:3000'
// The tests' webhook receivers listen on 127.0.0.1, which production refuses. A test of the refusal
// sets it to 'false' before anything reads the environment (app/domain/support/ssrf.server.test.ts).
process.env.WEBHOOKS_ALLOW_PRIVATE = 'true'

// An unexpected console.error is a bug: fail the test that caused it.
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    throw new Error(`console.error was called: ${args.map(String).join(' ')}`)
  })
})

afterEach(() => {
  vi.restoreAllMocks()
})

afterAll(async () => {
  await closeTestDatabase()
  for (const name of Object.keys(process.env)) if (!(name in environmentBefore)) delete process.env[name]
  Object.assign(process.env, environmentBefore)
  // The next file in this worker imports every module afresh (this file, run again, too).
  vi.resetModules()
})
