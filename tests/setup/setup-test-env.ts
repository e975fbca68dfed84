import { afterAll, afterEach, beforeEach, vi } from 'vitest'
import { closeTestDatabase } from './test-database.ts'

process.env.NODE_ENV = 'test'
process.env.APP_URL ??= 'http://localhost:3000'

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
})
