import { defineConfig } from 'vitest/config'

// Every database test runs once per driver: the "pglite" project always, the "postgres" project
// when TEST_DATABASE_URL names a server (scripts/test.js sets it when one answers).
const shared = {
  include: ['app/**/*.test.ts', 'db/**/*.test.ts', 'search/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts'],
  exclude: ['tests/http/**', '**/node_modules/**'],
  setupFiles: ['./tests/setup/setup-test-env.ts'],
  globalSetup: ['./tests/setup/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
}

type Project = { test: typeof shared & { name: string; env: Record<string, string> } }
const projects: Project[] = [{ test: { ...shared, name: 'pglite', env: { TEST_DRIVER: 'pglite' } } }]
if (process.env.TEST_DATABASE_URL) {
  projects.push({ test: { ...shared, name: 'postgres', env: { TEST_DRIVER: 'postgres' } } })
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
