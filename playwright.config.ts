import { existsSync } from 'node:fs'
import { defineConfig, devices } from '@playwright/test'

// End-to-end tests drive the production build (build/, made by `react-router build`) through
// scripts/start.js, exactly as it is deployed.

const port = Number(process.env.E2E_PORT ?? 3210)
const chromiumPath =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ??
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path)) ??
  '/usr/bin/chromium'
const baseURL = `http://localhost:${port}`

// One database directory per run, so every run starts from an empty database (seeded with the demo
// data on boot). The id is fixed in the environment once, by the runner's first load of this file:
// worker processes inherit it and so agree on the directory that global-setup must not delete.
process.env.E2E_RUN_ID ??= `${Date.now()}-${process.pid}`
export const e2eDatabaseDir = `data/e2e-${process.env.E2E_RUN_ID}`

export default defineConfig({
  testDir: 'tests/e2e',
  // The web server is started before global setup runs; global setup only clears earlier runs' data.
  globalSetup: './tests/e2e/global-setup.ts',
  fullyParallel: false,
  // Two cores, and one embedded PGlite connection behind the server: run tests one at a time.
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  // The longest flows take about 15 s on an idle machine; a busy two-core one may double that.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      // Playwright's browser download does not work here; Debian's Chromium does. Its headless shell
      // (the same engine without the desktop browser around it) runs the suite about a quarter faster
      // (docs/decisions/031-headless-shell.md); the full browser where the shell is not installed.
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node scripts/start.js',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      APP_URL: baseURL,
      DEMO_SEED: 'true',
      PGLITE_DIR: e2eDatabaseDir,
      // The support spec's webhook receiver listens on 127.0.0.1.
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      // The demo members post in quick turns across the specs; the pace between posts has its own
      // tests (tests/http/rate-limits.test.ts, app/domain/qa/questions.server.test.ts).
      POSTING_INTERVAL_SECONDS: 'off',
      // Specs that sign up new members send each from an address of its own (ownAddress() in
      // tests/e2e/fixtures.ts), as behind a deployment's proxy: the sign-up limit per address stays on.
      TRUST_PROXY: 'true',
    },
  },
})
