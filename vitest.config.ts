import { defineConfig } from 'vitest/config'

// Every database test runs once per driver: the "pglite" project always, the "postgres" project
// when TEST_DATABASE_URL names a server (scripts/test.js sets it when one answers).
const shared = {
  include: ['app/**/*.test.ts', 'db/**/*.test.ts', 'search/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts'],
  setupFiles: ['./tests/setup/setup-test-env.ts'],
  globalSetup: ['./tests/setup/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
}

const projects = [{ test: { ...shared, name: 'pglite', env: { TEST_DRIVER: 'pglite' } } }]
if (process.env.TEST_DATABASE_URL) {
  projects.push({ test: { ...shared, name: 'postgres', env: { TEST_DRIVER: 'postgres' } } })
}

export default defineConfig({
  test: {
    projects,
    pool: 'forks',
    maxWorkers: 2,
  },
})
