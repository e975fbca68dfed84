import { expect, test } from 'vitest'
import { generateToken } from '#app/domain/identity/sessions.server.ts'
import { db } from '#tests/db.ts'
import { clearRateLimit, hitRateLimit, peekRateLimit } from './rate-limit.server.ts'

test('a window allows `limit` hits, refuses the next with a retry time, and restarts after it', async () => {
  const key = `test:${generateToken(6)}`
  const rule = { limit: 3, windowSeconds: 1 }
  const results = []
  for (let i = 0; i < 4; i++) results.push(await hitRateLimit(db, key, rule))
  expect(results.map((r) => r.allowed)).toEqual([true, true, true, false])
  expect(results[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(1)
  expect((await peekRateLimit(db, key, rule)).allowed).toBe(false)
  await new Promise((resolve) => setTimeout(resolve, 1100))
  expect((await peekRateLimit(db, key, rule)).allowed).toBe(true)
  expect((await hitRateLimit(db, key, rule)).allowed).toBe(true)
})

test('concurrent hits are counted exactly: no more than the limit get through', async () => {
  const key = `test:${generateToken(6)}`
  const rule = { limit: 5, windowSeconds: 60 }
  const results = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(db, key, rule)))
  expect(results.filter((r) => r.allowed)).toHaveLength(5)
})

test('peeking does not count, and clearing forgets the key', async () => {
  const key = `test:${generateToken(6)}`
  const rule = { limit: 1, windowSeconds: 60 }
  for (let i = 0; i < 5; i++) await peekRateLimit(db, key, rule)
  expect((await hitRateLimit(db, key, rule)).allowed).toBe(true)
  expect((await peekRateLimit(db, key, rule)).allowed).toBe(false)
  await clearRateLimit(db, key)
  expect((await peekRateLimit(db, key, rule)).allowed).toBe(true)
})
