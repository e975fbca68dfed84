import { eq, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { withMentionLinks } from '#app/domain/notify/mentions.server.ts'
import { notifyAnswerAccepted, notifyAnswerPosted, notifyMentions } from '#app/domain/notify/notifications.server.ts'
import { recordUploadRefs } from '#app/domain/uploads/refs.server.ts'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import { markdownColumns } from '#app/lib/markdown.server.ts'
import { claimOneTimeKey, type OneTimeKey, replayOf, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { answerPath } from '#app/lib/paths.ts'
import type { Db } from '#db/client.server.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { queueSearchUpdate } from '#search/outbox.server.ts'
import { checkPostingLimits, refusedPost } from './limits.server.ts'
import { acceptsAnswers, canAcceptOn, canEditPost, canSeePost, isFrozenFor } from './policies.ts'
import { addRevision, loadAnswerWithQuestion, loadQuestion, lockAnswer, lockQuestion } from './posts.server.ts'
import type { AnswerInput } from './schemas.ts'
import { watchQuestion } from './watches.server.ts'

type AnswerRef = { id: number; questionId: number; questionTitle: string }

/** Posts an answer. Refused on a locked, deleted or duplicate question (staff excepted for locks and
 *  duplicates). Watchers are notified and the answerer starts watching, in the same transaction. */
export async function postAnswer(
  db: Db,
  { user, questionId, input, once }: { user: SessionUser; questionId: number; input: AnswerInput; once?: OneTimeKey },
): Promise<Outcome<AnswerRef>> {
  // A form sent twice (same one-time key) answers once; the copy goes where the first went.
  const early = once ? await replayOf(db, once) : null
  if (early) return early
  const found = await loadQuestion(db, questionId)
  if (!found || !canSeePost(user, found) || found.deletedAt) return fail(404, 'qa.question_not_found')
  if (isFrozenFor(user, found)) return fail(409, 'qa.question_locked')
  if (!acceptsAnswers(user, found)) return fail(409, 'qa.question_is_duplicate')
  const limited = await checkPostingLimits(db, user, 'answer')
  if (limited) return refusedPost(db, once, 'answer', limited)
  // Rendered before the transaction, which would otherwise hold the question's lock while a worker renders.
  const columns = await withMentionLinks(db, await markdownColumns(input.body))

  const result = await db.transaction(async (tx) => {
    // The lock orders this answer against a concurrent lock or deletion of the question.
    const question = await lockQuestion(tx, questionId)
    if (!question || question.deletedAt) return { outcome: fail(404, 'qa.question_not_found'), emails: [] }
    if (isFrozenFor(user, question)) return { outcome: fail(409, 'qa.question_locked'), emails: [] }
    const replay = once ? await claimOneTimeKey(tx, once) : null
    if (replay) return { outcome: replay, emails: [] }
    const now = new Date()
    const [answer] = await tx
      .insert(answers)
      .values({ questionId, authorId: user.id, ...columns, createdAt: now, updatedAt: now })
      .returning({ id: answers.id })
    await addRevision(tx, { postType: 'answer', postId: answer!.id, authorId: user.id, bodyMd: input.body })
    await recordUploadRefs(tx, { subjectType: 'answer', subjectId: answer!.id, authorId: user.id, text: input.body })
    await tx
      .update(questions)
      .set({ answerCount: sql`${questions.answerCount} + 1`, lastActivityAt: now })
      .where(eq(questions.id, questionId))
    await recordActivity(tx, { type: 'answer_posted', user, subject: { type: 'answer', id: answer!.id } })
    const emails = await notifyAnswerPosted(tx, { questionId, answerId: answer!.id, actor: user })
    await watchQuestion(tx, { userId: user.id, questionId })
    emails.push(
      ...(await notifyMentions(tx, {
        questionId,
        answerId: answer!.id,
        text: input.body,
        actor: user,
      })),
    )
    await queueSearchUpdate(tx, 'question', questionId)
    if (once) await settleOneTimeKey(tx, once, answerPath(question, answer!.id))
    return { outcome: ok({ id: answer!.id, questionId, questionTitle: question.title }), emails }
  })
  await dispatchEmails(result.emails)
  return result.outcome
}

/** Edits an answer (its author, or staff); each change is a revision. */
export async function editAnswer(
  db: Db,
  { user, answerId, input }: { user: SessionUser; answerId: number; input: AnswerInput },
): Promise<Outcome<AnswerRef & { revision: number | null }>> {
  // Rendered before the transaction, which would otherwise hold the answer's lock while a worker renders.
  const columns = await withMentionLinks(db, await markdownColumns(input.body))
  return db.transaction(async (tx) => {
    const found = await loadAnswerWithQuestion(tx, answerId)
    if (!found || !canSeePost(user, found.answer) || !canSeePost(user, found.question) || found.answer.deletedAt)
      return fail(404, 'qa.answer_not_found')
    if (!canEditPost(user, found.answer)) return fail(403, 'qa.cannot_edit')
    if (isFrozenFor(user, found.question)) return fail(409, 'qa.question_locked')
    const answer = await lockAnswer(tx, answerId)
    const ref = { id: answerId, questionId: found.question.id, questionTitle: found.question.title }
    if (!answer) return fail(404, 'qa.answer_not_found')
    if (answer.bodyMd === input.body) return ok({ ...ref, revision: null })
    const now = new Date()
    await tx
      .update(answers)
      .set({ ...columns, editedAt: now, updatedAt: now })
      .where(eq(answers.id, answerId))
    await tx.update(questions).set({ lastActivityAt: now }).where(eq(questions.id, found.question.id))
    const revision = await addRevision(tx, {
      postType: 'answer',
      postId: answerId,
      authorId: user.id,
      bodyMd: input.body,
    })
    await recordUploadRefs(tx, { subjectType: 'answer', subjectId: answerId, authorId: user.id, text: input.body })
    await queueSearchUpdate(tx, 'question', found.question.id)
    return ok({ ...ref, revision })
  })
}

export async function getAnswerForEdit(db: Db, { user, answerId }: { user: SessionUser; answerId: number }) {
  const found = await loadAnswerWithQuestion(db, answerId)
  if (!found || !canSeePost(user, found.answer) || !canSeePost(user, found.question) || found.answer.deletedAt)
    return fail(404, 'qa.answer_not_found')
  if (!canEditPost(user, found.answer)) return fail(403, 'qa.cannot_edit')
  if (isFrozenFor(user, found.question)) return fail(409, 'qa.question_locked')
  return ok({
    id: found.answer.id,
    bodyMd: found.answer.bodyMd,
    question: { id: found.question.id, title: found.question.title },
  })
}

/** Accepts an answer: the asker or staff; one accepted answer per question, and accepting another moves
 *  it. The answer's author is credited once per answer in the ledger (not when accepting one's own). */
export async function acceptAnswer(
  db: Db,
  { user, answerId }: { user: SessionUser; answerId: number },
): Promise<Outcome<AnswerRef>> {
  const result = await db.transaction(async (tx) => {
    const found = await loadAnswerWithQuestion(tx, answerId)
    if (!found || !canSeePost(user, found.question) || found.question.deletedAt)
      return { outcome: fail(404, 'qa.answer_not_found'), emails: [] as number[] }
    if (!canAcceptOn(user, found.question)) return { outcome: fail(403, 'qa.cannot_accept'), emails: [] }
    const question = await lockQuestion(tx, found.question.id)
    if (!question) return { outcome: fail(404, 'qa.answer_not_found'), emails: [] }
    if (isFrozenFor(user, question)) return { outcome: fail(409, 'qa.question_locked'), emails: [] }
    if (found.answer.hiddenAt || found.answer.deletedAt)
      return { outcome: fail(409, 'qa.answer_not_acceptable'), emails: [] }
    const ref = { id: answerId, questionId: question.id, questionTitle: question.title }
    if (question.acceptedAnswerId === answerId) return { outcome: ok(ref), emails: [] }

    await tx
      .update(questions)
      .set({ acceptedAnswerId: answerId, lastActivityAt: new Date() })
      .where(eq(questions.id, question.id))
    const author = await tx.query.users.findFirst({
      columns: { id: true, accountId: true },
      where: (u, { eq }) => eq(u.id, found.answer.authorId),
    })
    if (author && author.id !== question.authorId) {
      await recordActivity(tx, {
        type: 'answer_accepted',
        user: author,
        subject: { type: 'answer', id: answerId },
        uniqueKey: `answer_accepted:answer:${answerId}`,
      })
    }
    const emails = await notifyAnswerAccepted(tx, { questionId: question.id, answerId, actor: user })
    await queueSearchUpdate(tx, 'question', question.id)
    return { outcome: ok(ref), emails }
  })
  await dispatchEmails(result.emails)
  return result.outcome
}

/** Removes the acceptance (the asker or staff); the question shows as unanswered again. The ledger
 *  credit stays: it recorded that the answer was once accepted, and re-accepting will not double it. */
export async function unacceptAnswer(
  db: Db,
  { user, questionId }: { user: SessionUser; questionId: number },
): Promise<Outcome<{ id: number; title: string }>> {
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId)
    if (!question || !canSeePost(user, question) || question.deletedAt) return fail(404, 'qa.question_not_found')
    if (!canAcceptOn(user, question)) return fail(403, 'qa.cannot_accept')
    if (isFrozenFor(user, question)) return fail(409, 'qa.question_locked')
    if (question.acceptedAnswerId) {
      await tx.update(questions).set({ acceptedAnswerId: null }).where(eq(questions.id, questionId))
      await queueSearchUpdate(tx, 'question', questionId)
    }
    return ok({ id: question.id, title: question.title })
  })
}
