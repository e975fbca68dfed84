import { eq } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { notifyCommentPosted, notifyMentions } from '#app/domain/notify/notifications.server.ts'
import { recordUploadRefs } from '#app/domain/uploads/refs.server.ts'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import { claimOneTimeKey, type OneTimeKey, replayOf, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { comments, questions } from '#db/schema/qa.ts'
import { checkPostingLimits, refusedPost } from './limits.server.ts'
import { canSeePost, isFrozenFor } from './policies.ts'
import { loadAnswer, lockQuestion } from './posts.server.ts'
import { watchQuestion } from './watches.server.ts'

type CommentInput = { postType: 'question' | 'answer'; postId: number; body: string }

/** Comments on a question or an answer. The post's author is notified, mentions notify the people
 *  named, and the commenter starts watching the question. */
export async function postComment(
  db: Db,
  { user, input, once }: { user: SessionUser; input: CommentInput; once?: OneTimeKey },
): Promise<Outcome<{ id: number; questionId: number; questionTitle: string }>> {
  // A form sent twice (same one-time key) comments once; the copy goes where the first went.
  const early = once ? await replayOf(db, once) : null
  if (early) return early
  const answer = input.postType === 'answer' ? await loadAnswer(db, input.postId) : null
  if (input.postType === 'answer' && (!answer || !canSeePost(user, answer) || answer.deletedAt))
    return fail(404, 'qa.answer_not_found')
  const questionId = answer ? answer.questionId : input.postId
  const limited = await checkPostingLimits(db, user, 'comment')
  if (limited) return refusedPost(db, once, 'comment', limited)

  const result = await db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId)
    if (!question || !canSeePost(user, question) || question.deletedAt)
      return { outcome: fail(404, 'qa.question_not_found'), emails: [] as number[] }
    if (isFrozenFor(user, question)) return { outcome: fail(409, 'qa.question_locked'), emails: [] }
    const replay = once ? await claimOneTimeKey(tx, once) : null
    if (replay) return { outcome: replay, emails: [] }
    const now = new Date()
    const [comment] = await tx
      .insert(comments)
      .values({
        questionId,
        postType: input.postType,
        postId: input.postId,
        authorId: user.id,
        body: input.body,
        createdAt: now,
      })
      .returning({ id: comments.id })
    await recordUploadRefs(tx, { subjectType: 'comment', subjectId: comment!.id, authorId: user.id, text: input.body })
    await tx.update(questions).set({ lastActivityAt: now }).where(eq(questions.id, questionId))
    await recordActivity(tx, { type: 'comment_posted', user, subject: { type: 'comment', id: comment!.id } })
    const emails = await notifyCommentPosted(tx, {
      questionId,
      postType: input.postType,
      postId: input.postId,
      commentId: comment!.id,
      actor: user,
    })
    const postAuthorId = answer ? answer.authorId : question.authorId
    emails.push(
      ...(await notifyMentions(tx, {
        questionId,
        commentId: comment!.id,
        text: input.body,
        actor: user,
        skipUserIds: [postAuthorId],
      })),
    )
    await watchQuestion(tx, { userId: user.id, questionId })
    if (once) await settleOneTimeKey(tx, once, `/questions/${questionId}#comment-${comment!.id}`)
    return { outcome: ok({ id: comment!.id, questionId, questionTitle: question.title }), emails }
  })
  await dispatchEmails(result.emails)
  return result.outcome
}
