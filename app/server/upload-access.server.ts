import { and, eq, inArray } from 'drizzle-orm'
import { eventViewerOf, viewerMaySeeEvent } from '#app/domain/events/audience.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { canSeePost } from '#app/domain/qa/policies.ts'
import { refsOf, type UploadMeta } from '#app/domain/uploads/read.server.ts'
import type { UploadSubjectType } from '#app/domain/uploads/refs.server.ts'
import type { Db } from '#db/client.server.ts'
import { events } from '#db/schema/events.ts'
import { articles } from '#db/schema/help.ts'
import { answers, comments, questions } from '#db/schema/qa.ts'

// Who may read an upload. It lives in the composition layer because the answer is each context's own
// visibility rule, and those contexts import the uploads context (to record references), not the other
// way round: the owner always; anyone else when they may see at least one subject that uses the file,
// by the same rule as that subject's page: a question, answer or comment as `canSeePost` says for it
// and each post above it (hidden for staff and the author, deleted for staff), an article when
// published or to help writers, an event as `maySeeEvent` (drafts for staff, restricted events for
// their audience and registrants). A draft's upload is its owner's alone.

type Ref = { subjectType: UploadSubjectType; subjectId: number }

const idsOf = (refs: Ref[], type: UploadSubjectType) =>
  refs.filter((ref) => ref.subjectType === type).map((ref) => ref.subjectId)

async function seesQuestion(db: Db, viewer: SessionUser | null, ids: number[]): Promise<boolean> {
  if (!ids.length) return false
  const rows = await db
    .select({ authorId: questions.authorId, hiddenAt: questions.hiddenAt, deletedAt: questions.deletedAt })
    .from(questions)
    .where(inArray(questions.id, ids))
  return rows.some((question) => canSeePost(viewer, question))
}

async function seesAnswer(db: Db, viewer: SessionUser | null, ids: number[]): Promise<boolean> {
  if (!ids.length) return false
  const rows = await db
    .select({ answer: answers, question: questions })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(inArray(answers.id, ids))
  return rows.some(({ answer, question }) => canSeePost(viewer, answer) && canSeePost(viewer, question))
}

async function seesComment(db: Db, viewer: SessionUser | null, ids: number[]): Promise<boolean> {
  if (!ids.length) return false
  const rows = await db
    .select({ comment: comments, question: questions })
    .from(comments)
    .innerJoin(questions, eq(questions.id, comments.questionId))
    .where(inArray(comments.id, ids))
  for (const { comment, question } of rows) {
    if (!canSeePost(viewer, comment) || !canSeePost(viewer, question)) continue
    if (comment.postType === 'question') return true
    const [answer] = await db
      .select({ authorId: answers.authorId, hiddenAt: answers.hiddenAt, deletedAt: answers.deletedAt })
      .from(answers)
      .where(and(eq(answers.id, comment.postId), eq(answers.questionId, question.id)))
    if (answer && canSeePost(viewer, answer)) return true
  }
  return false
}

async function seesArticle(db: Db, viewer: SessionUser | null, ids: number[]): Promise<boolean> {
  if (!ids.length) return false
  const rows = await db.select({ status: articles.status }).from(articles).where(inArray(articles.id, ids))
  return rows.some((article) => article.status === 'published' || can(viewer, 'help.write'))
}

async function seesEvent(db: Db, viewer: SessionUser | null, ids: number[]): Promise<boolean> {
  if (!ids.length) return false
  const rows = await db
    .select({
      id: events.id,
      status: events.status,
      audience: events.audience,
      audienceTiers: events.audienceTiers,
      audienceAccountIds: events.audienceAccountIds,
    })
    .from(events)
    .where(inArray(events.id, ids))
  if (!rows.length) return false
  const eventViewer = await eventViewerOf(db, viewer)
  for (const event of rows) if (await viewerMaySeeEvent(db, eventViewer, event)) return true
  return false
}

/** Whether the viewer may read the upload (see the top of this module). Staff read what their role
 *  lets them see of the subjects, not every upload: a member's unused upload or draft stays theirs. */
export async function maySeeUpload(
  db: Db,
  viewer: SessionUser | null,
  upload: Pick<UploadMeta, 'id' | 'ownerId'>,
): Promise<boolean> {
  if (viewer && viewer.id === upload.ownerId) return true
  const refs = await refsOf(db, upload.id)
  if (!refs.length) return false
  // Cheapest first: most uploads sit in one public question or answer.
  return (
    (await seesQuestion(db, viewer, idsOf(refs, 'question'))) ||
    (await seesAnswer(db, viewer, idsOf(refs, 'answer'))) ||
    (await seesComment(db, viewer, idsOf(refs, 'comment'))) ||
    (await seesArticle(db, viewer, idsOf(refs, 'article'))) ||
    (await seesEvent(db, viewer, idsOf(refs, 'event'))) ||
    (viewer !== null && idsOf(refs, 'draft').includes(viewer.id))
  )
}
