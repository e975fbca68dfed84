import { and, eq, lt, sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { drafts } from '#db/schema/editor.ts'
import { oneTimeKeys } from '#db/schema/settings.ts'
import { ONE_TIME_KEY_FIELD } from './one-time-key.ts'
import { type Failure, fail, type Outcome } from './outcome.ts'
import { randomId, signValue, verifySigned } from './signing.server.ts'

// One-time keys of create forms (docs/decisions/027). The loader of a page with a create form issues a
// random key signed for the member; the form sends it back in a hidden field; the domain function
// records it in the transaction that creates the post, comment or flag. A second POST with the same
// key (a double click, the browser's back button and send again, a replayed request) finds it used and
// is answered with where the first one went, creating nothing. Concurrent copies queue on the key's
// primary key: the second insert waits for the first transaction and then finds the row.

export { ONE_TIME_KEY_FIELD }

const PURPOSE = 'submission'
/** Keys are kept this long after use; a replay later than that is refused as an expired form. */
export const ONE_TIME_KEY_TTL_MS = 24 * 60 * 60 * 1000

/** A key whose signature was checked and that belongs to the member sending it. `draftKey` names the
 *  member's draft of the form (`question:new`, `answer:42`, docs/decisions/040): settling the key
 *  deletes it, in the transaction that published what the form made. */
export type OneTimeKey = { key: string; userId: number; draftKey?: string }

/** A fresh key for a form shown to `user`. */
export async function issueOneTimeKey(db: Db, user: { id: number }): Promise<string> {
  return signValue(db, PURPOSE, `${user.id}:${Date.now().toString(36)}:${randomId()}`)
}

/** The key the form sent, when the server signed it for this member less than a day ago; null when it
 *  is missing, forged, issued to someone else or older (a used key is forgotten after a day, so an
 *  older one could otherwise be replayed). */
export async function readOneTimeKey(
  db: Db,
  user: { id: number },
  formData: FormData,
  now: Date = new Date(),
): Promise<OneTimeKey | null> {
  const sent = formData.get(ONE_TIME_KEY_FIELD)
  const value = await verifySigned(db, PURPOSE, typeof sent === 'string' ? sent : null)
  if (!value) return null
  const [owner, issued] = value.split(':')
  const age = now.getTime() - Number.parseInt(issued ?? '', 36)
  if (owner !== String(user.id) || !(age >= -60_000 && age < ONE_TIME_KEY_TTL_MS)) return null
  return { key: value, userId: user.id }
}

/** The failure of a form sent without a valid key: its values are kept and shown again. */
export function formExpired(): Failure {
  return fail(400, 'errors.form_expired')
}

const REPLAY_CODE = 'one_time_key.used'
/** How long a refused copy waits for the first copy of its key to commit. */
export const REPLAY_WAIT_MS = 3000

/** Inside the create's transaction, before the create: records the key. Resolves to null when this
 *  submission is the first, or to the failure-shaped replay (see `replayPath`) when the key was used. */
export async function claimOneTimeKey(tx: Db, once: OneTimeKey): Promise<Failure | null> {
  const claimed = await tx
    .insert(oneTimeKeys)
    .values({ key: once.key, userId: once.userId, resultPath: '' })
    .onConflictDoNothing()
    .returning({ key: oneTimeKeys.key })
  if (claimed.length) return null
  const [used] = rowsOf<{ result_path: string }>(
    await tx.execute(sql`select result_path from one_time_keys where key = ${once.key}`),
  )
  return fail(409, REPLAY_CODE, { params: { path: used?.result_path || '/' } })
}

/** The replay of a key already used, checked before the create's own limits; null when unused. When
 *  `waitMs` is given (a limit refused: the first copy of a double click may be committing right now),
 *  looks again every 100 ms until then. */
export async function replayOf(db: Db, once: OneTimeKey, waitMs = 0): Promise<Failure | null> {
  const until = Date.now() + waitMs
  for (;;) {
    const [used] = await db
      .select({ resultPath: oneTimeKeys.resultPath })
      .from(oneTimeKeys)
      .where(eq(oneTimeKeys.key, once.key))
    if (used?.resultPath) return fail(409, REPLAY_CODE, { params: { path: used.resultPath } })
    if (Date.now() >= until) return null
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Inside the same transaction, after the create: where a replay of this key is sent. The form's
 *  draft, if the key names one, is gone with the same commit. */
export async function settleOneTimeKey(tx: Db, once: OneTimeKey, resultPath: string): Promise<void> {
  await tx.update(oneTimeKeys).set({ resultPath }).where(eq(oneTimeKeys.key, once.key))
  if (once.draftKey)
    await tx.delete(drafts).where(and(eq(drafts.userId, once.userId), eq(drafts.formKey, once.draftKey)))
}

/** Where the first submission of a replayed key went, or null for any other outcome. */
export function replayPath(outcome: { ok: boolean; code?: string; params?: Record<string, string | number> }) {
  return !outcome.ok && outcome.code === REPLAY_CODE ? String(outcome.params?.path ?? '/') : null
}

/** A create form's send, as its route makes it: reads the form's one-time key and runs `create` with
 *  it. A missing, forged or foreign key is `formExpired()` (the form comes back with its values); a
 *  replay of a used key answers `{ replayed }`, the address of what the first send made, where the
 *  route redirects. Every other outcome is `create`'s own. With `draft`, the member's draft of the
 *  form is deleted when the create commits. */
export async function sendOnce<T>(
  db: Db,
  user: { id: number },
  formData: FormData,
  create: (once: OneTimeKey) => Promise<Outcome<T>>,
  { draft }: { draft?: string } = {},
): Promise<Outcome<T> | { replayed: string }> {
  const once = await readOneTimeKey(db, user, formData)
  if (!once) return formExpired()
  const outcome = await create(draft ? { ...once, draftKey: draft } : once)
  const replayed = replayPath(outcome)
  return replayed ? { replayed } : outcome
}

/** Deletes keys older than a day (run with the hourly purge). */
export async function purgeOneTimeKeys(db: Db, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - ONE_TIME_KEY_TTL_MS)
  const deleted = await db
    .delete(oneTimeKeys)
    .where(lt(oneTimeKeys.createdAt, cutoff))
    .returning({ key: oneTimeKeys.key })
  return deleted.length
}
