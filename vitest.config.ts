import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

// Every database test runs once per driver: the "pglite" project always, the "postgres" project
// when TEST_DATABASE_URL names a server (scripts/test.js sets it when one answers). Tests that open no
// database (pure functions) gain nothing from a second driver and run in "pglite" only.
const roots = ['app', 'db', 'search', 'scripts', 'tests']
const shared = {
  include: roots.map((root) => `${root}/**/*.test.ts`),
  exclude: ['tests/http/**', '**/node_modules/**'],
  setupFiles: ['./tests/setup/setup-test-env.ts'],
  globalSetup: ['./tests/setup/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Files share a worker process instead of starting one each (docs/decisions/028-test-suite-budget.md):
  // each still gets a database of its own, and tests/setup/setup-test-env.ts gives it back the
  // environment and fresh app modules, as a new process would.
  isolate: false,
}

/** The test files that open a database: they import tests/db.ts, or choose a driver themselves. */
function databaseTestFiles(): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && path !== join('tests', 'http')) walk(path)
      } else if (entry.name.endsWith('.test.ts')) {
        if (/#tests\/db\.ts|TEST_DRIVER|TEST_DATABASE_URL|openDatabase\(/.test(readFileSync(path, 'utf8')))
          files.push(path)
      }
    }
  }
  for (const root of roots) walk(root)
  return files
}

type Project = { test: typeof shared & { name: string; env: Record<string, string> } }
const projects: Project[] = [{ test: { ...shared, name: 'pglite', env: { TEST_DRIVER: 'pglite' } } }]
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    test: { ...shared, include: databaseTestFiles(), name: 'postgres', env: { TEST_DRIVER: 'postgres' } },
  })
  // The HTTP suites (tests/http/): the production build (scripts/test.js builds it first) started per
  // file on a PostgreSQL copy of the template; attack, fault and load tests that need a real server.
  projects.push({
    test: {
      ...shared,
      include: ['tests/http/**/*.test.ts'],
      exclude: ['**/node_modules/**'],
      name: 'http',
      env: { TEST_DRIVER: 'postgres' },
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  })
}

export default defineConfig({
  test: {
    projects,
    pool: 'forks',
    maxWorkers: 2,
  },
})
