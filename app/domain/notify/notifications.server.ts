import { and, count, desc, eq, exists, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import { dispatchEmails, type MailMessage } from '#app/lib/mail.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { answerPath, questionPath } from '#app/lib/paths.ts'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { emailOutbox, notifications } from '#db/schema/notify.ts'
import { answers, comments, questions, questionWatches } from '#db/schema/qa.ts'
import { actorLabel } from './actor.ts'
import { findMentionedUsers } from './mentions.server.ts'
import type { EmailNotificationMode } from './schemas.ts'

export type NotificationType = (typeof notifications.$inferSelect)['type']

/** One post notifies at most this many mentioned people, so a list of names cannot be used to spam. */
const MAX_MENTIONED = 10
const PER_PAGE = 30
const EXCERPT_CHARS = 200
const DIGEST_WINDOW_MS = 7 * 24 * 60 * 60 * 1000
/** A digest lists this many notifications and links to the notifications page for the rest. */
const DIGEST_MAX_ITEMS = 50
export const DIGEST_JOB = 'notify.digest'

type Target = { question: { id: number; title: string }; answerId: number | null; commentId: number | null }

/** Where a notification leads: its comment, else its answer, else its question. A comment on an
 *  answer goes through the answer's address, which finds the page of answers it is on. */
export function notificationPath({ question, answerId, commentId }: Target): string {
  if (commentId) {
    const page = answerId ? answerPath(question, answerId).split('#')[0] : questionPath(question)
    return `${page}#comment-${commentId}`
  }
  if (answerId) return answerPath(question, answerId)
  return questionPath(question)
}

function absolute(path: string): string {
  return `${env().APP_URL.replace(/\/+$/, '')}${path}`
}

function excerptOf(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim())
  if (chars.length <= EXCERPT_CHARS) return chars.join('')
  const head = chars.slice(0, EXCERPT_CHARS - 1).join('')
  return `${head.trimEnd()}…`
}

/** Writes several outbox messages in one statement; the same rows `queueEmail` writes one at a time. */
async function queueEmails(tx: Db, messages: MailMessage[]): Promise<number[]> {
  if (messages.length === 0) return []
  const rows = await tx
    .insert(emailOutbox)
    .values(messages.map((m) => ({ toAddress: m.to, subject: m.subject, textBody: m.text, template: m.template })))
    .returning({ id: emailOutbox.id })
  return rows.map((row) => row.id)
}

type Recipient = { email: string; displayName: string; locale: Locale }

function closing(t: ReturnType<typeof translator>): string {
  return t('notify.email.footer', { link: absolute('/settings') })
}

function eventEmail(
  recipient: Recipient,
  event: { type: NotificationType; actor: string; title: string; excerpt: string | null; link: string },
): MailMessage {
  const t = translator(recipient.locale)
  const params = { actor: actorLabel(t, event.actor), title: event.title }
  const paragraphs = [
    t('notify.email.greeting', { name: recipient.displayName }),
    t(`notify.email.${event.type}.intro`, params),
  ]
  if (event.excerpt) paragraphs.push(`> ${event.excerpt}`)
  paragraphs.push(t('notify.email.open', { link: event.link }), closing(t))
  return {
    to: recipient.email,
    subject: t(`notify.email.${event.type}.subject`, params),
    text: paragraphs.join('\n\n'),
    template: `notification_${event.type}`,
  }
}

type NotificationEvent = {
  type: NotificationType
  recipientIds: number[]
  actor: SessionUser
  questionId: number
  answerId?: number | null
  commentId?: number | null
  excerpt?: string | null
}

/** Writes one notification per recipient (the actor excepted) and queues an email at once for each
 *  active recipient who wants one per notification; those rows are marked emailed. */
async function createNotifications(tx: Db, event: NotificationEvent): Promise<number[]> {
  const recipientIds = [...new Set(event.recipientIds)].filter((id) => id !== event.actor.id)
  if (recipientIds.length === 0) return []
  const [question] = await tx
    .select({ id: questions.id, title: questions.title })
    .from(questions)
    .where(eq(questions.id, event.questionId))
  if (!question) return []
  const recipients = await tx
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      mode: users.emailNotifications,
      disabledAt: users.disabledAt,
      verifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(inArray(users.id, recipientIds))
  if (recipients.length === 0) return []
  const now = new Date()
  // Mail goes only to confirmed addresses: an unconfirmed one may be someone else's.
  const emailed = recipients.filter((r) => r.mode === 'each' && !r.disabledAt && r.verifiedAt)
  const target = { question, answerId: event.answerId ?? null, commentId: event.commentId ?? null }
  await tx.insert(notifications).values(
    recipients.map((r) => ({
      userId: r.id,
      type: event.type,
      actorId: event.actor.id,
      questionId: question.id,
      answerId: target.answerId,
      commentId: target.commentId,
      createdAt: now,
      emailedAt: emailed.includes(r) ? now : null,
    })),
  )
  const link = absolute(notificationPath(target))
  const excerpt = event.excerpt ? excerptOf(event.excerpt) : null
  return queueEmails(
    tx,
    emailed.map((r) =>
      eventEmail(r, { type: event.type, actor: event.actor.displayName, title: question.title, excerpt, link }),
    ),
  )
}

/** Tells everyone watching the question (the answerer excepted) about a new answer. Runs inside the
 *  caller's transaction; returns the ids of queued emails to dispatch after commit. */
export async function notifyAnswerPosted(
  tx: Db,
  { questionId, answerId, actor }: { questionId: number; answerId: number; actor: SessionUser },
): Promise<number[]> {
  const watchers = await tx
    .select({ userId: questionWatches.userId })
    .from(questionWatches)
    .where(and(eq(questionWatches.questionId, questionId), eq(questionWatches.watching, true)))
  const [answer] = await tx.select({ bodyMd: answers.bodyMd }).from(answers).where(eq(answers.id, answerId))
  return createNotifications(tx, {
    type: 'answer',
    recipientIds: watchers.map((w) => w.userId),
    actor,
    questionId,
    answerId,
    excerpt: answer?.bodyMd,
  })
}

/** Tells the author of a question or answer about a comment on it, unless they wrote the comment.
 *  Runs inside the caller's transaction; returns the ids of queued emails. */
export async function notifyCommentPosted(
  tx: Db,
  {
    questionId,
    postType,
    postId,
    commentId,
    actor,
  }: { questionId: number; postType: 'question' | 'answer'; postId: number; commentId: number; actor: SessionUser },
): Promise<number[]> {
  const table = postType === 'question' ? questions : answers
  const [post] = await tx.select({ authorId: table.authorId }).from(table).where(eq(table.id, postId))
  const [comment] = await tx.select({ body: comments.body }).from(comments).where(eq(comments.id, commentId))
  return createNotifications(tx, {
    type: 'comment',
    recipientIds: post ? [post.authorId] : [],
    actor,
    questionId,
    answerId: postType === 'answer' ? postId : null,
    commentId,
    excerpt: comment?.body,
  })
}

/** Tells the author of an answer that it was accepted, unless they accepted it themselves. Runs
 *  inside the caller's transaction; returns the ids of queued emails. */
export async function notifyAnswerAccepted(
  tx: Db,
  { questionId, answerId, actor }: { questionId: number; answerId: number; actor: SessionUser },
): Promise<number[]> {
  const [answer] = await tx.select({ authorId: answers.authorId }).from(answers).where(eq(answers.id, answerId))
  return createNotifications(tx, {
    type: 'accepted',
    recipientIds: answer ? [answer.authorId] : [],
    actor,
    questionId,
    answerId,
  })
}

async function answerOfComment(tx: Db, commentId: number): Promise<number | null> {
  const [comment] = await tx
    .select({ postType: comments.postType, postId: comments.postId })
    .from(comments)
    .where(eq(comments.id, commentId))
  return comment?.postType === 'answer' ? comment.postId : null
}

/** Notifies the active users that `text` mentions as `@display name` (see findMentionedUsers: a name
 *  shared by several users notifies none of them), each once and at most 10 per call. Skipped: the
 *  actor, `skipUserIds`, and anyone already notified about this same post (as a watcher of a new
 *  answer, or by an earlier version of an edited post), so no one hears about one post twice.
 *  Runs inside the caller's transaction; returns the ids of queued emails. */
export async function notifyMentions(
  tx: Db,
  {
    questionId,
    answerId = null,
    commentId = null,
    text,
    actor,
    skipUserIds = [],
  }: {
    questionId: number
    answerId?: number | null
    commentId?: number | null
    text: string
    actor: SessionUser
    skipUserIds?: number[]
  },
): Promise<number[]> {
  const mentioned = await findMentionedUsers(tx, text)
  if (mentioned.length === 0) return []
  const samePost = commentId
    ? eq(notifications.commentId, commentId)
    : and(
        answerId ? eq(notifications.answerId, answerId) : isNull(notifications.answerId),
        isNull(notifications.commentId),
      )
  const already = await tx
    .select({ userId: notifications.userId })
    .from(notifications)
    .where(and(eq(notifications.questionId, questionId), samePost, inArray(notifications.userId, mentioned)))
  const skip = new Set([actor.id, ...skipUserIds, ...already.map((row) => row.userId)])
  const recipientIds = mentioned.filter((id) => !skip.has(id)).slice(0, MAX_MENTIONED)
  if (recipientIds.length === 0) return []
  return createNotifications(tx, {
    type: 'mention',
    recipientIds,
    actor,
    questionId,
    // A comment on an answer links through the answer, which finds the page of answers it is on.
    answerId: commentId && !answerId ? await answerOfComment(tx, commentId) : answerId,
    commentId,
    excerpt: text,
  })
}

export type NotificationItem = {
  id: number
  type: NotificationType
  createdAt: Date
  read: boolean
  actorName: string | null
  questionId: number
  questionTitle: string
  answerId: number | null
  commentId: number | null
}

const actors = alias(users, 'actor')

/** One page (30) of the user's notifications, newest first, leaving out those on deleted questions. */
export async function listNotifications(
  db: Db,
  { user, page = 1 }: { user: SessionUser; page?: number },
): Promise<{ items: NotificationItem[]; total: number; page: number; perPage: number }> {
  const where = and(eq(notifications.userId, user.id), isNull(questions.deletedAt))
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: notifications.id,
        type: notifications.type,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
        actorName: actors.displayName,
        questionId: questions.id,
        questionTitle: questions.title,
        answerId: notifications.answerId,
        commentId: notifications.commentId,
      })
      .from(notifications)
      .innerJoin(questions, eq(questions.id, notifications.questionId))
      .leftJoin(actors, eq(actors.id, notifications.actorId))
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(PER_PAGE)
      .offset((Math.max(1, page) - 1) * PER_PAGE),
    db
      .select({ n: count() })
      .from(notifications)
      .innerJoin(questions, eq(questions.id, notifications.questionId))
      .where(where),
  ])
  const items = rows.map(({ readAt, ...row }) => ({ ...row, read: readAt !== null }))
  return { items, total: total?.n ?? 0, page: Math.max(1, page), perPage: PER_PAGE }
}

/** The number of unread notifications the user can see; served by the partial index on unread rows. */
export async function unreadCount(db: Db, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .innerJoin(questions, eq(questions.id, notifications.questionId))
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), isNull(questions.deletedAt)))
  return row?.n ?? 0
}

/** Marks one of the user's notifications read and says where it leads. Someone else's notification,
 *  or one about a deleted question, is a 404. */
export async function markRead(
  db: Db,
  { user, notificationId }: { user: SessionUser; notificationId: number },
): Promise<Outcome<{ href: string }>> {
  const [row] = await db
    .select({
      questionId: questions.id,
      title: questions.title,
      answerId: notifications.answerId,
      commentId: notifications.commentId,
    })
    .from(notifications)
    .innerJoin(questions, eq(questions.id, notifications.questionId))
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, user.id), isNull(questions.deletedAt)))
  if (!row) return fail(404, 'notify.not_found')
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, notificationId), isNull(notifications.readAt)))
  const question = { id: row.questionId, title: row.title }
  return ok({ href: notificationPath({ question, answerId: row.answerId, commentId: row.commentId }) })
}

/** Marks every unread notification of the user read; returns how many were unread. */
export async function markAllRead(db: Db, user: SessionUser): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, user.id), isNull(notifications.readAt)))
    .returning({ id: notifications.id })
  return rows.length
}

/** The user's email notification mode. */
export async function emailNotificationsOf(db: Db, userId: number): Promise<EmailNotificationMode> {
  const [row] = await db.select({ mode: users.emailNotifications }).from(users).where(eq(users.id, userId))
  return row?.mode ?? 'each'
}

/** Sets how the user receives notification emails: each at once, a daily digest, or none. A change
 *  of mode settles the backlog (its notifications count as handled), so a notification is only ever
 *  emailed under the mode it was created in: switching from none to digest does not mail old news. */
export async function setEmailNotifications(
  db: Db,
  { user, mode }: { user: SessionUser; mode: EmailNotificationMode },
): Promise<Outcome<{ mode: EmailNotificationMode }>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ mode: users.emailNotifications })
      .from(users)
      .where(eq(users.id, user.id))
      .for('update')
    if (!row) return fail(404, 'errors.not_found')
    if (row.mode !== mode) {
      const now = new Date()
      await tx.update(users).set({ emailNotifications: mode, updatedAt: now }).where(eq(users.id, user.id))
      await tx
        .update(notifications)
        .set({ emailedAt: now })
        .where(and(eq(notifications.userId, user.id), isNull(notifications.emailedAt)))
    }
    return ok({ mode })
  })
}

type DigestItem = Target & { type: NotificationType; actorName: string | null }

function digestEmail(recipient: Recipient, items: DigestItem[]): MailMessage {
  const t = translator(recipient.locale)
  const shown = items.slice(0, DIGEST_MAX_ITEMS)
  const lines = shown.map((item) => {
    const what = t(`notify.kind.${item.type}`, {
      actor: actorLabel(t, item.actorName),
      title: item.question.title,
    })
    return `- ${what}\n  ${absolute(notificationPath(item))}`
  })
  const paragraphs = [t('notify.email.greeting', { name: recipient.displayName }), t('notify.digest.intro')]
  paragraphs.push(lines.join('\n'))
  if (items.length > shown.length) {
    paragraphs.push(t('notify.digest.more', { count: items.length - shown.length, link: absolute('/notifications') }))
  }
  paragraphs.push(closing(t))
  return {
    to: recipient.email,
    subject: t('notify.digest.subject', { count: items.length }),
    text: paragraphs.join('\n\n'),
    template: 'notification_digest',
  }
}

/** Emails each active digest reader one message listing their notifications of the last 7 days not
 *  yet emailed, and marks those emailed. Set-based: one update claims every digest's rows (so a
 *  second run, even a concurrent one, finds nothing), two queries load names and titles. Returns the
 *  queued email ids, dispatched after commit. */
export async function sendDigests(db: Db, now: Date = new Date()): Promise<number[]> {
  const since = new Date(now.getTime() - DIGEST_WINDOW_MS)
  const ids = await db.transaction(async (tx) => {
    const digestReaders = tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.emailNotifications, 'digest'), isNull(users.disabledAt), isNotNull(users.emailVerifiedAt)))
    const liveQuestion = tx
      .select({ one: sql`1` })
      .from(questions)
      .where(and(eq(questions.id, notifications.questionId), isNull(questions.deletedAt)))
    const claimed = await tx
      .update(notifications)
      .set({ emailedAt: now })
      .where(
        and(
          isNull(notifications.emailedAt),
          gt(notifications.createdAt, since),
          lte(notifications.createdAt, now),
          inArray(notifications.userId, digestReaders),
          exists(liveQuestion),
        ),
      )
      .returning({
        id: notifications.id,
        userId: notifications.userId,
        type: notifications.type,
        actorId: notifications.actorId,
        questionId: notifications.questionId,
        answerId: notifications.answerId,
        commentId: notifications.commentId,
        createdAt: notifications.createdAt,
      })
    if (claimed.length === 0) return []

    const personIds = [...new Set(claimed.flatMap((n) => (n.actorId ? [n.userId, n.actorId] : [n.userId])))]
    const people = await tx
      .select({ id: users.id, email: users.email, displayName: users.displayName, locale: users.locale })
      .from(users)
      .where(inArray(users.id, personIds))
    const titles = await tx
      .select({ id: questions.id, title: questions.title })
      .from(questions)
      .where(inArray(questions.id, [...new Set(claimed.map((n) => n.questionId))]))
    const personById = new Map(people.map((p) => [p.id, p]))
    const questionById = new Map(titles.map((q) => [q.id, q]))

    const byRecipient = new Map<number, DigestItem[]>()
    for (const n of claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)) {
      const item: DigestItem = {
        type: n.type,
        actorName: n.actorId ? (personById.get(n.actorId)?.displayName ?? null) : null,
        question: questionById.get(n.questionId)!,
        answerId: n.answerId,
        commentId: n.commentId,
      }
      const list = byRecipient.get(n.userId) ?? []
      list.push(item)
      byRecipient.set(n.userId, list)
    }
    return queueEmails(
      tx,
      [...byRecipient].map(([userId, items]) => digestEmail(personById.get(userId)!, items)),
    )
  })
  await dispatchEmails(ids)
  return ids
}

export const notifyJobs: JobDefinition[] = [
  {
    name: DIGEST_JOB,
    handler: async (db) => {
      await sendDigests(db)
    },
    cron: '0 8 * * *',
  },
]
