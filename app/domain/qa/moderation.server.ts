import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { requireVerified } from '#app/domain/identity/email-verification.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { plainExcerpt } from '#app/lib/markdown.server.ts'
import {
  claimOneTimeKey,
  type OneTimeKey,
  REPLAY_WAIT_MS,
  replayOf,
  settleOneTimeKey,
} from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { users } from '#db/schema/identity.ts'
import { answers, comments, flags, questions } from '#db/schema/qa.ts'
import { queueSearchUpdate } from '#search/outbox.server.ts'
import { canSeePost } from './policies.ts'
import { loadQuestion, lockQuestion, refreshAnswerCount } from './posts.server.ts'

export type FlagTarget = 'question' | 'answer' | 'comment'
export type FlagReason = 'spam' | 'off_topic' | 'rude' | 'duplicate' | 'other'
export type ModerationAction = 'hide' | 'unhide' | 'delete' | 'restore' | 'dismiss'

const tableOf = { question: questions, answer: answers, comment: comments } as const

/** The target's author, state and question, or null if it does not exist. */
async function loadTarget(db: Db, targetType: FlagTarget, targetId: number) {
  const table = tableOf[targetType]
  const [row] = await db
    .select({
      authorId: table.authorId,
      hiddenAt: table.hiddenAt,
      deletedAt: table.deletedAt,
      questionId:
        targetType === 'question' ? questions.id : targetType === 'answer' ? answers.questionId : comments.questionId,
    })
    .from(table)
    .where(eq(table.id, targetId))
  return row ?? null
}

/** Open spam or rude flags from this many different members hide a post until staff review it. */
export const AUTO_HIDE_FLAGS = 3

/** A member reports a post to the moderators. One open flag per member per post; not on one's own.
 *  When enough members flag the same post as spam or rude, it is hidden at once (recorded in the audit
 *  log) and stays in the queue: staff unhide it or confirm. */
export async function flagPost(
  db: Db,
  {
    user,
    input,
    once,
  }: {
    user: SessionUser
    input: { targetType: FlagTarget; targetId: number; reason: FlagReason; note?: string }
    once?: OneTimeKey
  },
): Promise<Outcome<{ questionId: number; hidden: boolean }>> {
  const unverified = requireVerified(user)
  if (unverified) return unverified
  // A form sent twice (same one-time key) flags once; the copy goes where the first went.
  const early = once ? await replayOf(db, once) : null
  if (early) return early
  const target = await loadTarget(db, input.targetType, input.targetId)
  if (!target || !canSeePost(user, target) || target.deletedAt) return fail(404, 'qa.post_not_found')
  if (target.authorId === user.id) return fail(403, 'qa.flag_own_post')
  try {
    return await db.transaction(async (tx) => {
      // The question's lock orders concurrent flags, so the threshold is crossed exactly once.
      await lockQuestion(tx, target.questionId)
      const replay = once ? await claimOneTimeKey(tx, once) : null
      if (replay) return replay
      // Where the question page sends a flag (it finds the question's current address from there).
      if (once) await settleOneTimeKey(tx, once, `/questions/${target.questionId}?notice=flagged`)
      await tx.insert(flags).values({
        targetType: input.targetType,
        targetId: input.targetId,
        questionId: target.questionId,
        reporterId: user.id,
        reason: input.reason,
        note: input.note || null,
      })
      if (target.hiddenAt) return ok({ questionId: target.questionId, hidden: true })
      const [serious] = await tx
        .select({ n: sql<number>`count(distinct ${flags.reporterId})::int` })
        .from(flags)
        .where(
          and(
            eq(flags.targetType, input.targetType),
            eq(flags.targetId, input.targetId),
            eq(flags.status, 'open'),
            inArray(flags.reason, ['spam', 'rude']),
          ),
        )
      if ((serious?.n ?? 0) < AUTO_HIDE_FLAGS) return ok({ questionId: target.questionId, hidden: false })
      const table = tableOf[input.targetType]
      await tx.update(table).set({ hiddenAt: new Date() }).where(eq(table.id, input.targetId))
      await afterVisibilityChange(tx, { ...input, questionId: target.questionId, removed: true })
      await recordAudit(tx, {
        actorUserId: null,
        action: 'qa.auto_hide',
        targetType: input.targetType,
        targetId: input.targetId,
        details: { questionId: target.questionId, flags: serious?.n },
      })
      return ok({ questionId: target.questionId, hidden: true })
    })
  } catch (error) {
    if (isUniqueViolation(error, 'flags_open_per_reporter_key'))
      return (once && (await replayOf(db, once, REPLAY_WAIT_MS))) || fail(409, 'qa.already_flagged')
    throw error
  }
}

export type FlagQueueItem = {
  targetType: FlagTarget
  targetId: number
  questionId: number
  questionTitle: string
  excerpt: string
  authorId: number
  authorName: string
  hidden: boolean
  deleted: boolean
  flagCount: number
  firstFlaggedAt: Date
  reasons: { reason: FlagReason; note: string | null; reporterName: string; createdAt: Date }[]
}

/** The moderation queue: posts with open flags, most flagged first, each with its reasons. */
export async function listFlagQueue(
  db: Db,
  { actor, page = 1, perPage = 25 }: { actor: SessionUser; page?: number; perPage?: number },
): Promise<Outcome<{ items: FlagQueueItem[]; total: number; pageCount: number }>> {
  if (!can(actor, 'qa.moderate')) return fail(403, 'errors.forbidden')
  const open = eq(flags.status, 'open')
  const groups = await db
    .select({
      targetType: flags.targetType,
      targetId: flags.targetId,
      questionId: flags.questionId,
      flagCount: count(),
      firstFlaggedAt: sql<Date>`min(${flags.createdAt})`.mapWith((v) => new Date(v)),
    })
    .from(flags)
    .where(open)
    .groupBy(flags.targetType, flags.targetId, flags.questionId)
    .orderBy(desc(count()), asc(sql`min(${flags.createdAt})`))
    .limit(perPage)
    .offset((page - 1) * perPage)
  const [{ n: total } = { n: 0 }] = await db
    .select({ n: sql<number>`count(distinct (${flags.targetType}, ${flags.targetId}))::int` })
    .from(flags)
    .where(open)
  if (!groups.length) return ok({ items: [], total, pageCount: Math.max(1, Math.ceil(total / perPage)) })

  const reasonRows = await db
    .select({
      targetType: flags.targetType,
      targetId: flags.targetId,
      reason: flags.reason,
      note: flags.note,
      createdAt: flags.createdAt,
      reporterName: users.displayName,
    })
    .from(flags)
    .innerJoin(users, eq(users.id, flags.reporterId))
    .where(and(open, inArray(flags.questionId, [...new Set(groups.map((g) => g.questionId))])))
    .orderBy(asc(flags.createdAt))
  const items: FlagQueueItem[] = []
  for (const group of groups) {
    const content = await targetContent(db, group.targetType, group.targetId)
    if (!content) continue
    items.push({
      ...group,
      ...content,
      reasons: reasonRows
        .filter((r) => r.targetType === group.targetType && r.targetId === group.targetId)
        .map(({ reason, note, reporterName, createdAt }) => ({ reason, note, reporterName, createdAt })),
    })
  }
  return ok({ items, total, pageCount: Math.max(1, Math.ceil(total / perPage)) })
}

async function targetContent(db: Db, targetType: FlagTarget, targetId: number) {
  const table = tableOf[targetType]
  // Comments are plain text; posts are read from their stored HTML, which gives an excerpt in linear time.
  const text =
    targetType === 'comment' ? comments.body : targetType === 'answer' ? answers.bodyHtml : questions.bodyHtml
  const questionId =
    targetType === 'question' ? questions.id : targetType === 'answer' ? answers.questionId : comments.questionId
  const [row] = await db
    .select({
      text,
      questionId,
      authorId: table.authorId,
      authorName: users.displayName,
      hiddenAt: table.hiddenAt,
      deletedAt: table.deletedAt,
    })
    .from(table)
    .innerJoin(users, eq(users.id, table.authorId))
    .where(eq(table.id, targetId))
  if (!row) return null
  const question = await loadQuestion(db, row.questionId)
  return {
    questionTitle: question?.title ?? '',
    excerpt: targetType === 'comment' ? row.text.slice(0, 300) : plainExcerpt(row.text, 300),
    authorId: row.authorId,
    authorName: row.authorName,
    hidden: !!row.hiddenAt,
    deleted: !!row.deletedAt,
  }
}

/** Staff hide, unhide, delete or restore a post, or dismiss its flags. Hiding or deleting resolves
 *  the post's open flags; every action is written to the audit log, and question changes reach search. */
export async function moderatePost(
  db: Db,
  {
    actor,
    targetType,
    targetId,
    action,
  }: { actor: SessionUser; targetType: FlagTarget; targetId: number; action: ModerationAction },
): Promise<Outcome<{ questionId: number }>> {
  if (!can(actor, 'qa.moderate')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const target = await loadTarget(tx, targetType, targetId)
    if (!target) return fail(404, 'qa.post_not_found')
    // Lock the question first: answer counts and the search document depend on it.
    await lockQuestion(tx, target.questionId)
    const table = tableOf[targetType]
    const now = new Date()
    const change: Record<
      Exclude<ModerationAction, 'dismiss'>,
      Partial<{ hiddenAt: Date | null; deletedAt: Date | null }>
    > = {
      hide: { hiddenAt: now },
      unhide: { hiddenAt: null },
      delete: { deletedAt: now },
      restore: { deletedAt: null },
    }
    if (action !== 'dismiss') {
      await tx.update(table).set(change[action]).where(eq(table.id, targetId))
      await afterVisibilityChange(tx, {
        targetType,
        targetId,
        questionId: target.questionId,
        removed: action === 'hide' || action === 'delete',
      })
    }
    const resolves = action === 'hide' || action === 'delete' || action === 'dismiss'
    if (resolves) {
      await tx
        .update(flags)
        .set({ status: action === 'dismiss' ? 'dismissed' : 'resolved', resolvedById: actor.id, resolvedAt: now })
        .where(and(eq(flags.targetType, targetType), eq(flags.targetId, targetId), eq(flags.status, 'open')))
    }
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: `qa.${action}`,
      targetType,
      targetId,
      details: { questionId: target.questionId },
    })
    return ok({ questionId: target.questionId })
  })
}

/** Keeps the question right after one of its posts was hidden, deleted or brought back: the answer
 *  count, the accepted answer (a removed answer cannot stay accepted) and the search document. */
async function afterVisibilityChange(
  tx: Db,
  {
    targetType,
    targetId,
    questionId,
    removed,
  }: { targetType: FlagTarget; targetId: number; questionId: number; removed: boolean },
) {
  if (targetType === 'answer') {
    await refreshAnswerCount(tx, questionId)
    if (removed) {
      await tx
        .update(questions)
        .set({ acceptedAnswerId: null })
        .where(and(eq(questions.id, questionId), eq(questions.acceptedAnswerId, targetId)))
    }
  }
  if (targetType !== 'comment') {
    const gone = await questionIsGone(tx, questionId)
    await queueSearchUpdate(tx, 'question', questionId, gone ? 'delete' : 'upsert')
  }
}

async function questionIsGone(db: Db, questionId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: questions.id })
    .from(questions)
    .where(and(eq(questions.id, questionId), isNull(questions.hiddenAt), isNull(questions.deletedAt)))
  return !row
}

/** Staff lock a question (no more answers, comments, votes or edits by members) or unlock it. */
export async function setQuestionLocked(
  db: Db,
  { actor, questionId, locked }: { actor: SessionUser; questionId: number; locked: boolean },
): Promise<Outcome<{ id: number; title: string }>> {
  if (!can(actor, 'qa.moderate')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId)
    if (!question) return fail(404, 'qa.question_not_found')
    await tx
      .update(questions)
      .set({ lockedAt: locked ? new Date() : null })
      .where(eq(questions.id, questionId))
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: locked ? 'qa.lock' : 'qa.unlock',
      targetType: 'question',
      targetId: questionId,
    })
    return ok({ id: question.id, title: question.title })
  })
}

/** Staff mark a question a duplicate of another (or clear it with `null`). A duplicate of a duplicate
 *  points at the original, so readers are never sent round in a chain. */
export async function markDuplicate(
  db: Db,
  { actor, questionId, duplicateOfId }: { actor: SessionUser; questionId: number; duplicateOfId: number | null },
): Promise<Outcome<{ id: number; title: string; duplicateOfId: number | null }>> {
  if (!can(actor, 'qa.moderate')) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId)
    if (!question) return fail(404, 'qa.question_not_found')
    let originalId = duplicateOfId
    if (originalId !== null) {
      const original = await loadQuestion(tx, originalId)
      if (!original || original.deletedAt) return fail(400, 'qa.duplicate_target_missing', { field: 'duplicateOf' })
      originalId = original.duplicateOfId ?? original.id
      if (originalId === questionId) return fail(400, 'qa.duplicate_of_self', { field: 'duplicateOf' })
    }
    await tx.update(questions).set({ duplicateOfId: originalId }).where(eq(questions.id, questionId))
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: originalId ? 'qa.mark_duplicate' : 'qa.clear_duplicate',
      targetType: 'question',
      targetId: questionId,
      details: { duplicateOf: originalId },
    })
    await queueSearchUpdate(tx, 'question', questionId)
    return ok({ id: question.id, title: question.title, duplicateOfId: originalId })
  })
}

export type RemovedPost = {
  targetType: FlagTarget
  targetId: number
  questionId: number
  questionTitle: string
  excerpt: string
  authorName: string
  hidden: boolean
  deleted: boolean
  removedAt: Date
}

/** Hidden and deleted posts, most recently removed first, so staff can find them again and restore. */
export async function listRemovedPosts(
  db: Db,
  { actor, limit = 50 }: { actor: SessionUser; limit?: number },
): Promise<Outcome<RemovedPost[]>> {
  if (!can(actor, 'qa.moderate')) return fail(403, 'errors.forbidden')
  const removedOf = async (targetType: FlagTarget) => {
    const table = tableOf[targetType]
    const removedAt = sql<Date>`greatest(${table.hiddenAt}, ${table.deletedAt})`.mapWith((v) => new Date(v))
    const query = db
      .select({
        targetId: table.id,
        questionId: questions.id,
        questionTitle: questions.title,
        text:
          targetType === 'comment' ? comments.body : targetType === 'answer' ? answers.bodyHtml : questions.bodyHtml,
        authorName: users.displayName,
        hiddenAt: table.hiddenAt,
        deletedAt: table.deletedAt,
        removedAt,
      })
      .from(table)
      .$dynamic()
    if (targetType !== 'question')
      query.innerJoin(questions, eq(questions.id, (table as typeof answers | typeof comments).questionId))
    const rows = await query
      .innerJoin(users, eq(users.id, table.authorId))
      .where(sql`(${table.hiddenAt} is not null or ${table.deletedAt} is not null)`)
      .orderBy(desc(removedAt))
      .limit(limit)
    return rows.map((row) => ({ ...row, targetType }))
  }
  const tagged = (await Promise.all((['question', 'answer', 'comment'] as const).map(removedOf))).flat()
  return ok(
    tagged
      .sort((a, b) => b.removedAt.getTime() - a.removedAt.getTime())
      .slice(0, limit)
      .map(({ text, hiddenAt, deletedAt, ...row }) => ({
        ...row,
        excerpt: row.targetType === 'comment' ? text.slice(0, 300) : plainExcerpt(text, 300),
        hidden: !!hiddenAt,
        deleted: !!deletedAt,
      })),
  )
}
