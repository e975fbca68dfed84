import { and, eq, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { requireVerified } from '#app/domain/identity/email-verification.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { answers, questions, votes } from '#db/schema/qa.ts'
import { canSeePost, isFrozenFor } from './policies.ts'
import { loadQuestion } from './posts.server.ts'

export type VoteChoice = 'up' | 'down' | 'retract'

/** Casts, changes or retracts the user's vote on a question or an answer, never on their own post.
 *  The post's row is locked while the vote row and the score change together, so concurrent votes
 *  leave the score equal to the sum of the votes. Voting the same way twice is refused. */
export async function castVote(
  db: Db,
  {
    user,
    postType,
    postId,
    choice,
  }: { user: SessionUser; postType: 'question' | 'answer'; postId: number; choice: VoteChoice },
): Promise<Outcome<{ score: number; value: number; questionId: number }>> {
  const unverified = requireVerified(user)
  if (unverified) return unverified
  return db.transaction(async (tx) => {
    const table = postType === 'question' ? questions : answers
    const [post] = await tx
      .select({
        authorId: table.authorId,
        hiddenAt: table.hiddenAt,
        deletedAt: table.deletedAt,
        score: table.score,
        questionId: postType === 'question' ? questions.id : answers.questionId,
      })
      .from(table)
      .where(eq(table.id, postId))
      .for('update')
    if (!post || !canSeePost(user, post) || post.deletedAt) return fail(404, 'qa.post_not_found')
    const question = await loadQuestion(tx, post.questionId)
    if (!question || question.deletedAt || !canSeePost(user, question)) return fail(404, 'qa.post_not_found')
    if (isFrozenFor(user, question)) return fail(409, 'qa.question_locked')
    if (post.authorId === user.id) return fail(403, 'qa.vote_own_post')

    const [existing] = await tx
      .select({ value: votes.value })
      .from(votes)
      .where(and(eq(votes.userId, user.id), eq(votes.postType, postType), eq(votes.postId, postId)))
    const before = existing?.value ?? 0
    const value = choice === 'up' ? 1 : choice === 'down' ? -1 : 0
    if (value !== 0 && value === before) return fail(409, 'qa.already_voted')
    if (value === 0 && before === 0) return fail(409, 'qa.no_vote_to_retract')

    if (value === 0) {
      await tx
        .delete(votes)
        .where(and(eq(votes.userId, user.id), eq(votes.postType, postType), eq(votes.postId, postId)))
    } else {
      await tx
        .insert(votes)
        .values({ userId: user.id, postType, postId, value })
        .onConflictDoUpdate({
          target: [votes.userId, votes.postType, votes.postId],
          set: { value, updatedAt: new Date() },
        })
    }
    const [updated] = await tx
      .update(table)
      .set({ score: sql`${table.score} + ${value - before}` })
      .where(eq(table.id, postId))
      .returning({ score: table.score })

    if (value !== 0) {
      const subject = { type: postType, id: postId }
      await recordActivity(tx, { type: 'vote_cast', user, subject })
      if (value === 1) {
        const [author] = await tx
          .select({ id: users.id, accountId: users.accountId })
          .from(users)
          .where(eq(users.id, post.authorId))
        // One credit per voter per post: voting up, down and up again is not counted twice.
        if (author)
          await recordActivity(tx, {
            type: 'vote_received',
            user: author,
            subject,
            uniqueKey: `vote_received:${postType}:${postId}:${user.id}`,
          })
      }
    }
    return ok({ score: updated!.score, value, questionId: post.questionId })
  })
}
