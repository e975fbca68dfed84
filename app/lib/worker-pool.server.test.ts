import { fileURLToPath } from 'node:url'
import { afterEach, expect, test } from 'vitest'
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './worker-pool.server.ts'

// The pool against a real worker thread (tests/fixtures/pool-worker.mjs) that does what each job asks.

type Input = {
  kind: 'echo' | 'fail' | 'stop-at-deadline' | 'spin' | 'hang' | 'crash' | 'exit'
  value?: string
  ms?: number
}

const file = fileURLToPath(new URL('../../tests/fixtures/pool-worker.mjs', import.meta.url))
const pools: WorkerPool<Input, string>[] = []

function pool(options: Partial<WorkerPoolOptions> = {}) {
  const created = createWorkerPool<Input, string>({
    file,
    size: 2,
    deadlineMs: 50,
    marginMs: 20,
    graceMs: 200,
    maxWaitMs: 5_000,
    startTimeoutMs: 30_000,
    maxQueue: 16,
    ...options,
  })
  pools.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()))
})

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await work
  return { value, ms: performance.now() - started }
}

test('jobs run in the workers and each gets its own answer', async () => {
  const workers = pool()
  await workers.ready()
  const values = ['a', 'b', 'c', 'd', 'e', 'f']
  const results = await Promise.all(values.map((value) => workers.run({ kind: 'echo', value })))
  expect(results).toEqual(values.map((value) => ({ ok: true, value })))
  expect(workers.stats()).toMatchObject({ completed: 6, deadline: 0, errors: 0, replaced: 0 })
})

test('a job the worker stops at its deadline fails as "deadline", and the worker takes the next job', async () => {
  const workers = pool({ size: 1 })
  await workers.ready()
  const { value, ms } = await timed(workers.run({ kind: 'stop-at-deadline' }))
  expect(value).toMatchObject({ ok: false, reason: 'deadline' })
  expect(ms).toBeGreaterThanOrEqual(45)
  expect(await workers.run({ kind: 'echo', value: 'after' })).toEqual({ ok: true, value: 'after' })
  expect(workers.stats()).toMatchObject({ deadline: 1, replaced: 0 })
})

test('a job that never answers fails at its deadline and margin; its worker is ended after the grace period and replaced', async () => {
  const workers = pool({ size: 1 })
  await workers.ready()
  const { value, ms } = await timed(workers.run({ kind: 'hang' }))
  expect(value).toMatchObject({ ok: false, reason: 'deadline' })
  expect(ms).toBeGreaterThanOrEqual(65)
  expect(ms).toBeLessThan(1_000)
  // The next job waits for the replacement, which starts once the grace period is over.
  expect(await workers.run({ kind: 'echo', value: 'after' })).toEqual({ ok: true, value: 'after' })
  expect(workers.stats()).toMatchObject({ replaced: 1 })
})

test('a failure, an uncaught exception or an exit in the worker fails only that job; a dead worker is replaced', async () => {
  const workers = pool({ size: 1 })
  await workers.ready()
  expect(await workers.run({ kind: 'fail' })).toMatchObject({
    ok: false,
    reason: 'error',
    detail: 'Error: asked to fail',
  })
  expect(await workers.run({ kind: 'crash' })).toMatchObject({ ok: false, reason: 'error' })
  expect(await workers.run({ kind: 'exit' })).toMatchObject({ ok: false, reason: 'error' })
  expect(await workers.run({ kind: 'echo', value: 'still here' })).toEqual({ ok: true, value: 'still here' })
  expect(workers.stats()).toMatchObject({ errors: 3, replaced: 2 })
})

test('the event loop keeps running while a worker computes', async () => {
  const workers = pool({ deadlineMs: 2_000 })
  await workers.ready()
  let ticks = 0
  let longest = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
    ticks++
  }, 5)
  const results = await Promise.all([workers.run({ kind: 'spin', ms: 400 }), workers.run({ kind: 'spin', ms: 400 })])
  clearInterval(timer)
  expect(results).toEqual([
    { ok: true, value: 'spun' },
    { ok: true, value: 'spun' },
  ])
  expect(ticks).toBeGreaterThan(20)
  expect(longest).toBeLessThan(100)
})

test('past the queue a job fails at once as "busy", and one that waits longer than allowed fails as "busy"', async () => {
  const workers = pool({ size: 1, maxQueue: 1, maxWaitMs: 100, deadlineMs: 1_000 })
  await workers.ready()
  const running = workers.run({ kind: 'spin', ms: 400 })
  await new Promise((resolve) => setTimeout(resolve, 20))
  const waiting = timed(workers.run({ kind: 'echo', value: 'waits' }))
  const refused = await timed(workers.run({ kind: 'echo', value: 'refused' }))
  expect(refused.value).toMatchObject({ ok: false, reason: 'busy' })
  expect(refused.ms).toBeLessThan(50)
  const waited = await waiting
  expect(waited.value).toMatchObject({ ok: false, reason: 'busy' })
  expect(waited.ms).toBeGreaterThanOrEqual(95)
  expect(waited.ms).toBeLessThan(400)
  expect(await running).toEqual({ ok: true, value: 'spun' })
})

test('a worker that cannot load fails ready(), and its jobs fail as "unavailable" after the start timeout', async () => {
  const workers = pool({ file: fileURLToPath(new URL('./no-such-worker.mjs', import.meta.url)), startTimeoutMs: 300 })
  await expect(workers.ready()).rejects.toThrow(/did not start/)
  const { value, ms } = await timed(workers.run({ kind: 'echo', value: 'x' }))
  expect(value).toMatchObject({ ok: false, reason: 'unavailable' })
  expect(ms).toBeGreaterThanOrEqual(250)
})

test('closing the pool fails the jobs in flight and in line, and later jobs at once', async () => {
  const workers = pool({ size: 1, deadlineMs: 5_000 })
  await workers.ready()
  const running = workers.run({ kind: 'spin', ms: 300 })
  const waiting = workers.run({ kind: 'echo', value: 'x' })
  await new Promise((resolve) => setTimeout(resolve, 20))
  await workers.close()
  expect(await running).toMatchObject({ ok: false, reason: 'unavailable' })
  expect(await waiting).toMatchObject({ ok: false, reason: 'unavailable' })
  expect(await workers.run({ kind: 'echo', value: 'y' })).toMatchObject({ ok: false, reason: 'unavailable' })
})
