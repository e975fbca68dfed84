import { and, eq } from 'drizzle-orm'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { questions, questionWatches } from '#db/schema/qa.ts'
import { canSeePost } from './policies.ts'

/** Starts watching a question on the member's behalf (when they ask, answer or comment on it). Any
 *  existing row wins, so an explicit unwatch is respected. Runs inside the caller's transaction. */
export async function watchQuestion(
  tx: Db,
  { userId, questionId }: { userId: number; questionId: number },
): Promise<void> {
  await tx.insert(questionWatches).values({ userId, questionId, watching: true }).onConflictDoNothing()
}

/** Watches or unwatches a question on the member's request. An unwatch is kept as a row, so taking
 *  part in the question later does not watch it again. 404 for a question the member cannot see. */
export async function setWatching(
  db: Db,
  { user, questionId, watching }: { user: SessionUser; questionId: number; watching: boolean },
): Promise<Outcome<{ watching: boolean }>> {
  const [question] = await db
    .select({ authorId: questions.authorId, hiddenAt: questions.hiddenAt, deletedAt: questions.deletedAt })
    .from(questions)
    .where(eq(questions.id, questionId))
  if (!question || question.deletedAt || !canSeePost(user, question)) return fail(404, 'notify.question_not_found')
  await db
    .insert(questionWatches)
    .values({ userId: user.id, questionId, watching })
    .onConflictDoUpdate({ target: [questionWatches.userId, questionWatches.questionId], set: { watching } })
  return ok({ watching })
}

/** True when the user receives notifications of new answers to the question. */
export async function isWatching(
  db: Db,
  { userId, questionId }: { userId: number; questionId: number },
): Promise<boolean> {
  const [row] = await db
    .select({ watching: questionWatches.watching })
    .from(questionWatches)
    .where(and(eq(questionWatches.userId, userId), eq(questionWatches.questionId, questionId)))
  return row?.watching ?? false
}
