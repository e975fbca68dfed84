import { sql } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { retryFailedJobs } from '#app/lib/jobs.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'

/** pg-boss's job states (its `job_state` enum), in the order a job moves through them. */
export const jobStates = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const
export type JobState = (typeof jobStates)[number]

export type QueueStatus = { name: string; counts: Record<JobState, number> }

/** A job that failed its last retry: pg-boss keeps it in state `failed` until someone retries it or
 *  its retention runs out. */
export type ParkedJob = {
  id: string
  name: string
  /** The message of the error the handler threw (pg-boss stores the serialized error as `output`). */
  error: string | null
  retryCount: number
  createdOn: Date
  startedOn: Date | null
  completedOn: Date | null
}

export type JobStatus = { installed: boolean; queues: QueueStatus[]; parked: ParkedJob[] }

type Stamp = Date | string | null

function toDate(value: Stamp): Date | null {
  return value === null ? null : new Date(value)
}

function emptyCounts(): Record<JobState, number> {
  return { created: 0, retry: 0, active: 0, completed: 0, cancelled: 0, failed: 0 }
}

/** pg-boss creates its schema when it first starts, which a fresh database has not seen yet. */
async function jobTablesExist(db: Db): Promise<boolean> {
  const [row] = rowsOf<{ installed: boolean }>(
    await db.execute(sql`select to_regclass('pgboss.job') is not null as installed`),
  )
  return !!row?.installed
}

/** What the background jobs are doing, read from pg-boss's own tables (schema `pgboss`), so any process
 *  can show it whether or not it runs workers: every queue with its jobs counted by state, and the
 *  parked jobs (failed after their last retry), most recently failed first. Before pg-boss has first
 *  started on the database, `installed` is false and both lists are empty. */
export async function readJobStatus(db: Db, { limit = 50 }: { limit?: number } = {}): Promise<JobStatus> {
  if (!(await jobTablesExist(db))) return { installed: false, queues: [], parked: [] }
  const counted = rowsOf<{ name: string; state: string | null; n: number }>(
    await db.execute(sql`
      select q.name, j.state::text as state, count(j.id)::int as n
      from pgboss.queue q left join pgboss.job j on j.name = q.name
      group by q.name, j.state
      order by q.name`),
  )
  const queues = new Map<string, QueueStatus>()
  for (const row of counted) {
    const queue = queues.get(row.name) ?? { name: row.name, counts: emptyCounts() }
    queues.set(row.name, queue)
    const state = jobStates.find((s) => s === row.state)
    if (state) queue.counts[state] = Number(row.n)
  }
  const failed = rowsOf<{
    id: string
    name: string
    error: string | null
    retry_count: number
    created_on: Stamp
    started_on: Stamp
    completed_on: Stamp
  }>(
    await db.execute(sql`
      select id::text as id, name, coalesce(output->>'message', output::text) as error, retry_count,
        created_on, started_on, completed_on
      from pgboss.job
      where state = 'failed'
      order by completed_on desc nulls last, created_on desc
      limit ${limit}`),
  )
  return {
    installed: true,
    queues: [...queues.values()],
    parked: failed.map((row) => ({
      id: row.id,
      name: row.name,
      error: row.error,
      retryCount: Number(row.retry_count),
      createdOn: new Date(row.created_on ?? 0),
      startedOn: toDate(row.started_on),
      completedOn: toDate(row.completed_on),
    })),
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Sends a parked job round once more: it runs again with the same data, and leaves the parked list
 *  (back there if it fails again). Admins only (`jobs.view`); audited. Needs the job queue running
 *  in this process, which every web process has. */
export async function retryParkedJob(
  db: Db,
  { actor, jobId }: { actor: SessionUser; jobId: string },
): Promise<Outcome<{ id: string; name: string }>> {
  if (!can(actor, 'jobs.view')) return fail(403, 'errors.forbidden')
  if (!UUID.test(jobId) || !(await jobTablesExist(db))) return fail(404, 'admin.jobs.not_found')
  const [job] = rowsOf<{ name: string; state: string; retry_count: number; error: string | null }>(
    await db.execute(sql`
      select name, state::text as state, retry_count, coalesce(output->>'message', output::text) as error
      from pgboss.job where id = ${jobId}::uuid`),
  )
  if (!job) return fail(404, 'admin.jobs.not_found')
  if (job.state !== 'failed') return fail(409, 'admin.jobs.not_parked')
  const moved = await retryFailedJobs(job.name, [jobId])
  if (moved === null) return fail(503, 'admin.jobs.not_running')
  // Someone else retried it between the read and the retry.
  if (moved === 0) return fail(409, 'admin.jobs.not_parked')
  await recordAudit(db, {
    actorUserId: actor.id,
    action: 'jobs.retried',
    targetType: 'job',
    targetId: jobId,
    details: { queue: job.name, retryCount: Number(job.retry_count), error: job.error?.slice(0, 200) ?? null },
  })
  return ok({ id: jobId, name: job.name })
}
