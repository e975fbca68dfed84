import { sql } from 'drizzle-orm'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import { type Db, rowsOf } from '#db/client.server.ts'

/** An upload nothing uses is kept this long (a form being written, a preview), then deleted. */
export const ORPHAN_AFTER_HOURS = 24

/** Rows deleted per statement, so a large cleanup never holds one long transaction. */
const BATCH = 200

/** Deletes uploads no post or draft uses, older than ORPHAN_AFTER_HOURS, in batches. A draft's
 *  reference counts only while one of the member's drafts still names the upload (a discarded or
 *  published draft leaves its rows behind, which are dropped first). Returns how many uploads went. */
export async function deleteOrphanUploads(db: Db, { maxBatches = 50 }: { maxBatches?: number } = {}): Promise<number> {
  const cutoff = sql`now() - make_interval(hours => ${ORPHAN_AFTER_HOURS})`
  for (let i = 0; i < maxBatches; i++) {
    const dropped = await db.execute(sql`
      delete from upload_refs r
      where (r.upload_id, r.subject_type, r.subject_id) in (
        select r2.upload_id, r2.subject_type, r2.subject_id from upload_refs r2
        where r2.subject_type = 'draft' and r2.created_at < ${cutoff}
          and not exists (
            select 1 from drafts d where d.user_id = r2.subject_id and strpos(d.fields::text, r2.upload_id) > 0)
        limit ${BATCH})
      returning r.upload_id`)
    if (rowsOf(dropped).length < BATCH) break
  }
  let deleted = 0
  for (let i = 0; i < maxBatches; i++) {
    const gone = await db.execute(sql`
      delete from uploads u
      where u.id in (
        select u2.id from uploads u2
        where u2.created_at < ${cutoff}
          and not exists (select 1 from upload_refs r where r.upload_id = u2.id)
        order by u2.created_at
        limit ${BATCH})
      returning u.id`)
    const count = rowsOf(gone).length
    deleted += count
    if (count < BATCH) break
  }
  return deleted
}

export const uploadJobs: JobDefinition[] = [
  {
    name: 'uploads.delete-orphans',
    handler: async (db) => {
      await deleteOrphanUploads(db)
    },
    cron: '41 * * * *',
    queue: { policy: 'singleton' },
  },
]
