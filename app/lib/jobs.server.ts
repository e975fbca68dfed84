import { fromPglite, type Job, PgBoss, type Queue, type SendOptions } from 'pg-boss'
import { isDatabaseUnavailable } from '#db/availability.ts'
import type { Database, Db } from '#db/client.server.ts'

export type JobHandler<T = unknown> = (db: Db, data: T, job: Job<T>) => Promise<void>
export type JobDefinition = {
  name: string
  handler: JobHandler<never>
  /** Defaults applied to every send of this job. */
  options?: SendOptions
  /** A cron expression (UTC) to run this job on a schedule. */
  cron?: string
  /** Queue settings, e.g. a policy that keeps one job active at a time. */
  queue?: Omit<Queue, 'name'>
}

let boss: PgBoss | undefined
const defaults = new Map<string, SendOptions>()

/** Starts pg-boss on the app's own database (sharing the PGlite instance when embedded) and registers
 *  the workers. Safe to call once per process. */
export async function startJobs(database: Database, definitions: JobDefinition[]): Promise<PgBoss> {
  if (boss) return boss
  const instance =
    database.driver === 'pglite'
      ? new PgBoss({ db: fromPglite(database.pglite as never), backend: 'pglite' })
      : new PgBoss({ connectionString: database.url, max: 3 })
  // While the database is away every worker's poll fails: one line each, not the whole client object.
  instance.on('error', (error) =>
    isDatabaseUnavailable(error)
      ? console.error(`[jobs] database unavailable: ${error.message}`)
      : console.error('[jobs]', error),
  )
  await instance.start()
  for (const definition of definitions) {
    await instance.createQueue(definition.name, definition.queue)
    if (definition.options) defaults.set(definition.name, definition.options)
    await instance.work(definition.name, { pollingIntervalSeconds: 1 }, async (jobs) => {
      for (const job of jobs) await definition.handler(database.db, job.data as never, job as never)
    })
    if (definition.cron) await instance.schedule(definition.name, definition.cron)
  }
  boss = instance
  return instance
}

export async function stopJobs(): Promise<void> {
  const instance = boss
  boss = undefined
  defaults.clear()
  await instance?.stop({ graceful: true, timeout: 5000 })
}

/** Queues a job. Call it after the transaction that made the job necessary has committed. Without a
 *  running queue (scripts, unit tests) it does nothing: every job here has a sweeper that catches up. */
export async function enqueue(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
  if (!boss) return null
  return boss.send(name, data, { ...defaults.get(name), ...options })
}

/** Puts failed jobs of a queue back in line for one more try each (pg-boss raises each one's retry
 *  limit by one and keeps its count of tries). Resolves to how many it moved, or to null without a
 *  running queue in this process. */
export async function retryFailedJobs(name: string, ids: string[]): Promise<number | null> {
  if (!boss) return null
  // pg-boss declares CommandResponse without its fields; at run time it carries the count.
  const response = (await boss.retry(name, ids)) as { affected?: number }
  return response.affected ?? 0
}
