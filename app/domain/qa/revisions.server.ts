import { and, asc, eq } from 'drizzle-orm'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { revisions } from '#db/schema/qa.ts'
import { canSeePost } from './policies.ts'
import { loadAnswerWithQuestion, loadQuestion } from './posts.server.ts'

export type Revision = {
  number: number
  authorId: number | null
  authorName: string | null
  createdAt: Date
  title: string | null
  tags: string[] | null
  bodyMd: string
}

/** Every revision of a post, oldest first, for whoever may see the post. */
export async function listRevisions(
  db: Db,
  { viewer, postType, postId }: { viewer: SessionUser | null; postType: 'question' | 'answer'; postId: number },
): Promise<Outcome<{ question: { id: number; title: string }; revisions: Revision[] }>> {
  let question: { id: number; title: string } | null = null
  if (postType === 'question') {
    const found = await loadQuestion(db, postId)
    if (found && canSeePost(viewer, found)) question = found
  } else {
    const found = await loadAnswerWithQuestion(db, postId)
    if (found && canSeePost(viewer, found.answer) && canSeePost(viewer, found.question)) question = found.question
  }
  if (!question) return fail(404, 'qa.post_not_found')
  const rows = await db
    .select({
      number: revisions.number,
      authorId: revisions.authorId,
      authorName: users.displayName,
      createdAt: revisions.createdAt,
      title: revisions.title,
      tags: revisions.tags,
      bodyMd: revisions.bodyMd,
    })
    .from(revisions)
    .leftJoin(users, eq(users.id, revisions.authorId))
    .where(and(eq(revisions.postType, postType), eq(revisions.postId, postId)))
    .orderBy(asc(revisions.number))
  return ok({ question: { id: question.id, title: question.title }, revisions: rows })
}
