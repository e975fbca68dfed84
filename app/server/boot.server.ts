import { draftJobs } from '#app/domain/drafts/drafts.server.ts'
import { eventJobs } from '#app/domain/events/reminders.server.ts'
import { followupJobs } from '#app/domain/events/surveys.server.ts'
import { identityJobs } from '#app/domain/identity/maintenance.server.ts'
import { mentionLinkedTables } from '#app/domain/notify/mentions.server.ts'
import { notifyJobs } from '#app/domain/notify/notifications.server.ts'
import { webhookJobs } from '#app/domain/notify/webhooks.server.ts'
import { qaJobs } from '#app/domain/qa/jobs.server.ts'
import { npsJobs } from '#app/domain/retention/nps.server.ts'
import { scoringJobs } from '#app/domain/scoring/jobs.server.ts'
import { applySynonymsAtStart } from '#app/domain/search/synonyms.server.ts'
import { attemptJobs } from '#app/domain/support/attempts.server.ts'
import { uploadJobs } from '#app/domain/uploads/jobs.server.ts'
import { env } from '#app/lib/env.server.ts'
import { type JobDefinition, startJobs, stopJobs } from '#app/lib/jobs.server.ts'
import { mailJobs } from '#app/lib/mail.server.ts'
import { startMarkdownRendering, stopMarkdownRendering } from '#app/lib/markdown.server.ts'
import { markdownJobs } from '#app/lib/markdown-rerender.server.ts'
import { signingSecret } from '#app/lib/signing.server.ts'
import { type Database, openFromEnv } from '#db/client.server.ts'
import { activeSearchEngine } from '#search/active.server.ts'
import { ensureSearchIndex, searchJobs, startSearchSync } from '#search/sync.server.ts'

/** Every background job of the app, registered once at start. */
export const jobDefinitions: JobDefinition[] = [
  ...mailJobs,
  ...identityJobs,
  ...notifyJobs,
  ...qaJobs,
  ...draftJobs,
  ...eventJobs,
  ...followupJobs,
  ...searchJobs,
  ...attemptJobs,
  ...webhookJobs,
  ...scoringJobs,
  ...markdownJobs(mentionLinkedTables),
  ...npsJobs,
  ...uploadJobs,
]

let booting: Promise<Database> | undefined
let database: Database | undefined
let stopSearchSync: (() => Promise<void>) | undefined

/** Opens the database, applies migrations, optionally seeds demo data into an empty database, and
 *  starts the job workers. Memoized: every caller gets the same database. */
export function boot(): Promise<Database> {
  booting ??= (async () => {
    // The render workers start beside the database; a worker that cannot load stops the start.
    const rendering = startMarkdownRendering()
    rendering.catch(() => {})
    const opened = await openFromEnv(env())
    await opened.migrate()
    // Made (or read) before any request, so no page view is what first writes it.
    await signingSecret(opened.db)
    const demo = env().DEMO_SEED
    if (demo) {
      const { seedDemoIfEmpty } = await import('#app/server/seed/demo.server.ts')
      await seedDemoIfEmpty(opened.db, { portfolio: demo === 'full' })
    }
    await ensureSearchIndex(opened.db, activeSearchEngine(opened.db))
    await applySynonymsAtStart(opened.db)
    await startJobs(opened, jobDefinitions)
    stopSearchSync = await startSearchSync(opened)
    await rendering
    database = opened
    return opened
  })()
  booting.catch(() => {
    booting = undefined
  })
  return booting
}

export async function shutdown(): Promise<void> {
  await stopSearchSync?.()
  stopSearchSync = undefined
  await stopJobs()
  await stopMarkdownRendering()
  await database?.close()
  database = undefined
  booting = undefined
}
