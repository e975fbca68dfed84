import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { enqueue, startJobs, stopJobs } from '#app/lib/jobs.server.ts'
import { readJobStatus } from '#app/server/job-status.server.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { database, db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { action, loader } from './jobs.tsx'
import { loader as layoutLoader } from './layout.tsx'

const BROKEN_JOB = 'test.broken-once'
let failing = true

beforeAll(async () => {
  await startJobs(database, [
    {
      name: BROKEN_JOB,
      handler: async () => {
        if (failing) throw new Error('the report server is down')
      },
      // No retries: the first failure parks the job.
      options: { retryLimit: 0 },
    },
  ])
})

afterAll(async () => {
  await stopJobs()
})

const page = (user: SessionUser | null, query = '') =>
  settle(() =>
    loader({ request: new Request(`http://localhost/admin/jobs${query}`), context: routeContext(user) } as never),
  )

const retry = (user: SessionUser | null, jobId: string, locale: 'en' | 'ja' = 'en') => {
  const body = new FormData()
  body.set('jobId', jobId)
  const request = new Request('http://localhost/admin/jobs', { method: 'POST', body })
  return settle(() => action({ request, context: routeContext(user, locale) } as never))
}

async function parkedJob(): Promise<string> {
  const id = await enqueue(BROKEN_JOB, {})
  if (!id) throw new Error('the job was not queued')
  await vi.waitFor(
    async () => {
      if (!(await readJobStatus(db)).parked.some((job) => job.id === id)) throw new Error('not parked yet')
    },
    { timeout: 20_000, interval: 200 },
  )
  return id
}

test('members and staff are refused the jobs page and its retry; visitors are sent to sign in', async () => {
  const member = await insertUser(db)
  const staff = await insertStaff(db)
  const id = '00000000-0000-4000-8000-000000000000'
  expect((await page(member)).status).toBe(403)
  expect((await page(staff)).status).toBe(403)
  expect(await page(null)).toMatchObject({ status: 302, location: '/login?redirectTo=%2Fadmin%2Fjobs' })
  expect((await retry(member, id)).status).toBe(403)
  expect((await retry(staff, id)).status).toBe(403)
  // Staff see the admin area, without the link to the jobs page.
  expect(
    await settle(() =>
      layoutLoader({ request: new Request('http://localhost/admin'), context: routeContext(staff) } as never),
    ),
  ).toMatchObject({ body: { canJobs: false } })
})

test('an admin sees the parked job with its error, retries it, and it leaves the list', async () => {
  const admin = await insertUser(db, { role: 'admin' })
  expect(
    await settle(() =>
      layoutLoader({ request: new Request('http://localhost/admin'), context: routeContext(admin) } as never),
    ),
  ).toMatchObject({ body: { canJobs: true } })
  const id = await parkedJob()

  const before = await page(admin)
  expect(before.status).toBe(200)
  expect(before.body).toMatchObject({
    installed: true,
    queues: expect.arrayContaining([{ name: BROKEN_JOB, counts: expect.objectContaining({ failed: 1 }) }]),
    parked: expect.arrayContaining([
      expect.objectContaining({ id, name: BROKEN_JOB, error: 'the report server is down', retryCount: 0 }),
    ]),
  })

  // A malformed id is a bad request; an id no job has is a translated 404.
  expect((await retry(admin, 'not-a-job')).status).toBe(400)
  const unknown = await retry(admin, '00000000-0000-4000-8000-000000000000', 'ja')
  expect(unknown).toMatchObject({ status: 404, body: { message: expect.stringContaining('ジョブが見つかりません') } })

  failing = false
  expect(await retry(admin, id)).toMatchObject({ status: 302, location: `/admin/jobs?retried=${id}` })
  expect((await page(admin, `?retried=${id}`)).body).toMatchObject({ retried: id })
  await vi.waitFor(
    async () => {
      const status = await readJobStatus(db)
      if (status.queues.find((queue) => queue.name === BROKEN_JOB)?.counts.completed !== 1)
        throw new Error('not run yet')
    },
    { timeout: 20_000, interval: 200 },
  )
  const after = await page(admin)
  expect((after.body as { parked: { id: string }[] }).parked.map((job) => job.id)).not.toContain(id)
  // Retried already: a second press of the button is a conflict, not a second run.
  expect((await retry(admin, id)).status).toBe(409)
})
