import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { uploadRefs, uploads } from '#db/schema/editor.ts'

/** What can carry an upload: the posts of each context, and a member's drafts (subject id = the member). */
export type UploadSubjectType = 'question' | 'answer' | 'comment' | 'article' | 'event' | 'draft'

/** An upload's address inside text: `/uploads/<22-character id>/`. The id is base64url of 16 bytes. */
const UPLOAD_URL = /\/uploads\/([A-Za-z0-9_-]{22})\//g

/** At most this many distinct uploads are looked at per text; more is not a post anyone writes. */
const MAX_IDS_PER_TEXT = 200

/** The distinct upload ids named by `/uploads/<id>/` addresses in a text, in order of appearance. */
export function uploadIdsIn(text: string): string[] {
  const ids = new Set<string>()
  for (const match of text.matchAll(UPLOAD_URL)) {
    ids.add(match[1]!)
    if (ids.size >= MAX_IDS_PER_TEXT) break
  }
  return [...ids]
}

export type UploadSubject = { subjectType: UploadSubjectType; subjectId: number }

const referencedBy = (subject: UploadSubject) =>
  sql`exists (select 1 from ${uploadRefs} where ${uploadRefs.uploadId} = ${uploads.id}
        and ${uploadRefs.subjectType} = ${subject.subjectType} and ${uploadRefs.subjectId} = ${subject.subjectId})`

/** Records that a subject uses the uploads its text names, so readers of the subject may read them
 *  (access follows the subject) and the orphan job keeps them. Call it in the transaction that saves
 *  the text. Only uploads the author owns, or that this same subject already references, are
 *  recorded: otherwise pasting the address of someone else's private upload into a public post would
 *  make it public. `from` names subjects whose text was copied into this one by the app itself (an
 *  answer made into a help article): their uploads may be referenced too. Existing rows are kept
 *  (revisions may still show the file). */
export async function recordUploadRefs(
  tx: Db,
  ref: UploadSubject & { authorId: number; text: string; from?: UploadSubject[] },
): Promise<void> {
  const ids = uploadIdsIn(ref.text)
  if (!ids.length) return
  const allowed = await tx
    .select({ id: uploads.id })
    .from(uploads)
    .where(
      and(
        inArray(uploads.id, ids),
        or(eq(uploads.ownerId, ref.authorId), referencedBy(ref), ...(ref.from ?? []).map(referencedBy)),
      ),
    )
  if (!allowed.length) return
  await tx
    .insert(uploadRefs)
    .values(allowed.map(({ id }) => ({ uploadId: id, subjectType: ref.subjectType, subjectId: ref.subjectId })))
    .onConflictDoNothing()
}
