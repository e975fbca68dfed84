import { and, eq, lt, sql } from 'drizzle-orm'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { acceptsAnswers, canSeePost, isFrozenFor } from '#app/domain/qa/policies.ts'
import { loadQuestion } from '#app/domain/qa/posts.server.ts'
import { recordUploadRefs } from '#app/domain/uploads/refs.server.ts'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import type { OneTimeKey } from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, rateRules, waitParams } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { drafts } from '#db/schema/editor.ts'
import {
  DRAFT_KEEP_DAYS,
  DRAFTS_PER_USER,
  type DraftForm,
  draftFieldsOf,
  draftValues,
  isEmptyDraft,
  parseDraftKey,
} from './forms.ts'

// Drafts of the ask, answer, article and event forms (docs/decisions/040): one row per member and form,
// written while the member types (the /drafts endpoint) or by a form's "Save draft" button, read by the
// form's page, deleted when the form is published (`sendOnce` with `draft`, in the publish's
// transaction) or discarded. A member reads and writes only their own rows: every query is by their id.

/** A saved draft as a form's page gets it: the form's default values and when it was saved. */
export type SavedDraft = { formKey: string; values: Record<string, string | string[]>; savedAt: string }

/** What a form sent, by field name (a list field as all its values). */
export type DraftInput = (name: string) => string[]

/** Whether `user` may keep a draft of the form: the ask form is anyone's; an answer needs a question
 *  they can see that takes their answer; the article and event forms need the capability to create. */
async function mayDraft(db: Db, user: SessionUser, form: DraftForm): Promise<Outcome<undefined>> {
  switch (form.kind) {
    case 'question':
      return ok()
    case 'answer': {
      const question = await loadQuestion(db, form.questionId!)
      if (!question || !canSeePost(user, question) || question.deletedAt) return fail(404, 'qa.question_not_found')
      if (isFrozenFor(user, question)) return fail(409, 'qa.question_locked')
      if (!acceptsAnswers(user, question)) return fail(409, 'qa.question_is_duplicate')
      return ok()
    }
    case 'article':
      return can(user, 'help.write') ? ok() : fail(403, 'errors.forbidden')
    case 'event':
      return can(user, 'events.manage') ? ok() : fail(403, 'errors.forbidden')
  }
}

/** Saves the member's draft of a form, replacing the one before (one upsert: two saves at once leave
 *  one row, the later). Only the form's own fields are kept, each within its bound; a draft with
 *  nothing written in it deletes the row instead. Uploads named in it are recorded as the draft's, so
 *  the orphan job keeps them. Past `DRAFTS_PER_USER`, the member's oldest drafts go, and so do any
 *  untouched for `DRAFT_KEEP_DAYS`. With `once` (the page's one-time key), nothing is saved once that
 *  key was used: an autosave that arrives after the form was published does not bring its draft back
 *  (`published`). `savedAt` is null when nothing was kept. */
export async function saveDraft(
  db: Db,
  { user, formKey, input, once }: { user: SessionUser; formKey: string; input: DraftInput; once?: OneTimeKey | null },
): Promise<Outcome<{ savedAt: string | null; published?: true }>> {
  const form = parseDraftKey(formKey)
  if (!form) return fail(400, 'drafts.errors.unknown_form')
  const pace = await hitRateLimit(db, `drafts:${user.id}`, rateRules.draftSavesPerUser)
  if (!pace.allowed)
    return fail(429, 'drafts.errors.too_fast', { params: waitParams(pace.retryAfterSeconds, 'seconds') })
  const allowed = await mayDraft(db, user, form)
  if (!allowed.ok) return allowed
  const { fields, tooLong } = draftFieldsOf(form.kind, input)
  if (tooLong !== null) return fail(400, 'drafts.errors.too_long', tooLong ? { field: tooLong } : {})
  if (isEmptyDraft(form.kind, fields)) {
    await discardDraft(db, { user, formKey })
    return ok({ savedAt: null })
  }
  return db.transaction(async (tx) => {
    const published = once ? sql`exists (select 1 from one_time_keys where key = ${once.key})` : sql`false`
    const [saved] = rowsOf<{ updated_at: string | Date }>(
      await tx.execute(sql`
        insert into drafts (user_id, form_key, fields, updated_at)
        select ${user.id}, ${formKey}, ${JSON.stringify(fields)}::jsonb, now()
        where not ${published}
        on conflict (user_id, form_key) do update set fields = excluded.fields, updated_at = excluded.updated_at
        returning updated_at`),
    )
    if (!saved) return ok({ savedAt: null, published: true as const })
    await tx.execute(sql`
      delete from drafts where user_id = ${user.id} and (
        updated_at < now() - make_interval(days => ${DRAFT_KEEP_DAYS})
        or form_key in (
          select form_key from drafts where user_id = ${user.id}
          order by updated_at desc, form_key offset ${DRAFTS_PER_USER}))`)
    await recordUploadRefs(tx, {
      subjectType: 'draft',
      subjectId: user.id,
      authorId: user.id,
      text: Object.values(fields).join('\n'),
    })
    return ok({ savedAt: new Date(saved.updated_at).toISOString() })
  })
}

/** The member's draft of a form, as its page fills the form with it; null when there is none (or the
 *  key names no form). */
export async function loadDraft(
  db: Db,
  { user, formKey }: { user: Pick<SessionUser, 'id'>; formKey: string },
): Promise<SavedDraft | null> {
  const form = parseDraftKey(formKey)
  if (!form) return null
  const [row] = await db
    .select({ fields: drafts.fields, updatedAt: drafts.updatedAt })
    .from(drafts)
    .where(and(eq(drafts.userId, user.id), eq(drafts.formKey, formKey)))
  if (!row) return null
  return { formKey, values: draftValues(form.kind, row.fields ?? {}), savedAt: row.updatedAt.toISOString() }
}

/** Deletes the member's draft of a form (there may be none). */
export async function discardDraft(
  db: Db,
  { user, formKey }: { user: Pick<SessionUser, 'id'>; formKey: string },
): Promise<Outcome<undefined>> {
  if (!parseDraftKey(formKey)) return fail(400, 'drafts.errors.unknown_form')
  await db.delete(drafts).where(and(eq(drafts.userId, user.id), eq(drafts.formKey, formKey)))
  return ok()
}

/** Deletes drafts nobody touched for `DRAFT_KEEP_DAYS`. */
export async function purgeStaleDrafts(db: Db, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - DRAFT_KEEP_DAYS * 86_400_000)
  const deleted = await db.delete(drafts).where(lt(drafts.updatedAt, cutoff)).returning({ userId: drafts.userId })
  return deleted.length
}

export const draftJobs: JobDefinition[] = [
  {
    name: 'drafts.purge',
    handler: async (db) => {
      await purgeStaleDrafts(db)
    },
    cron: '41 3 * * *',
  },
]
