import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { enqueue, type JobDefinition, startJobs, stopJobs } from '#app/lib/jobs.server.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { auditLog } from '#db/schema/identity.ts'
import { database, db } from '#tests/db.ts'
import { readJobStatus, retryParkedJob } from './job-status.server.ts'

const FLAKY_JOB = 'test.flaky'
const flaky = { failing: true, runs: 0 }

/** Throws while `flaky.failing` is set: two retries, so three tries in all, with no delay between. */
const flakyJob: JobDefinition = {
  name: FLAKY_JOB,
  handler: async () => {
    flaky.runs++
    if (flaky.failing) throw new Error('the upstream answered 502')
  },
  options: { retryLimit: 2, retryDelay: 0 },
}

beforeAll(async () => {
  await startJobs(database, [flakyJob])
})

afterAll(async () => {
  await stopJobs()
})

const waitLong = { timeout: 20_000, interval: 200 }

async function jobInQueue(id: string) {
  const status = await readJobStatus(db)
  return {
    parked: status.parked.find((job) => job.id === id),
    counts: status.queues.find((queue) => queue.name === FLAKY_JOB)?.counts,
  }
}

test('a job that keeps throwing is tried three times, then parked with its error until an admin retries it', async () => {
  const admin = await insertUser(db, { role: 'admin' })
  const id = await enqueue(FLAKY_JOB, { invoice: 7 })
  if (!id) throw new Error('the job was not queued')

  const { parked } = await vi.waitFor(async () => {
    const found = await jobInQueue(id)
    if (!found.parked) throw new Error('not parked yet')
    return found
  }, waitLong)
  expect(flaky.runs).toBe(3)
  expect(parked).toMatchObject({ name: FLAKY_JOB, error: 'the upstream answered 502', retryCount: 2 })
  expect(parked!.startedOn).toBeInstanceOf(Date)
  expect(parked!.completedOn!.getTime()).toBeGreaterThanOrEqual(parked!.startedOn!.getTime())
  expect((await jobInQueue(id)).counts).toMatchObject({ failed: 1, completed: 0, active: 0 })

  flaky.failing = false
  expect(await retryParkedJob(db, { actor: admin, jobId: id })).toEqual({ ok: true, value: { id, name: FLAKY_JOB } })
  const after = await vi.waitFor(async () => {
    const found = await jobInQueue(id)
    if (found.counts?.completed !== 1) throw new Error('not run again yet')
    return found
  }, waitLong)
  expect(flaky.runs).toBe(4)
  expect(after.parked).toBeUndefined()
  expect(after.counts).toMatchObject({ failed: 0, completed: 1 })

  const [entry] = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'jobs.retried'), eq(auditLog.targetId, id)))
  expect(entry).toMatchObject({
    actorUserId: admin.id,
    targetType: 'job',
    details: { queue: FLAKY_JOB, retryCount: 2, error: 'the upstream answered 502' },
  })
  // Done now: a second retry has nothing to send round.
  expect(await retryParkedJob(db, { actor: admin, jobId: id })).toMatchObject({
    ok: false,
    status: 409,
    code: 'admin.jobs.not_parked',
  })
})

test('only admins retry jobs, and only jobs that exist', async () => {
  const staff = await insertStaff(db)
  const admin = await insertUser(db, { role: 'admin' })
  const missing = '00000000-0000-4000-8000-000000000000'
  expect(await retryParkedJob(db, { actor: staff, jobId: missing })).toMatchObject({ ok: false, status: 403 })
  expect(await retryParkedJob(db, { actor: admin, jobId: missing })).toMatchObject({
    ok: false,
    status: 404,
    code: 'admin.jobs.not_found',
  })
  expect(await retryParkedJob(db, { actor: admin, jobId: 'not-a-uuid' })).toMatchObject({ ok: false, status: 404 })
})

test('every queue is listed with its jobs counted by state', async () => {
  const status = await readJobStatus(db)
  expect(status.installed).toBe(true)
  expect(status.queues.map((queue) => queue.name)).toContain(FLAKY_JOB)
  for (const queue of status.queues) {
    expect(Object.keys(queue.counts).sort()).toEqual(['active', 'cancelled', 'completed', 'created', 'failed', 'retry'])
  }
})
