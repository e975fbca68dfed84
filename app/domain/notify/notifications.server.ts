import { and, count, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import type { JobDefinition } from '#app/lib/jobs.server.ts'
import { dispatchEmails, type MailAttachment, type MailMessage, queueEmails } from '#app/lib/mail.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { answerPath, questionPath } from '#app/lib/paths.ts'
import type { Db } from '#db/client.server.ts'
import { events } from '#db/schema/events.ts'
import { users } from '#db/schema/identity.ts'
import { notificationPreferences, notifications } from '#db/schema/notify.ts'
import { answers, comments, questions, questionWatches } from '#db/schema/qa.ts'
import { tickets } from '#db/schema/support.ts'
import { actorLabel } from './actor.ts'
import { canTurnOffEmail, type NotificationKind } from './kinds.ts'
import { findMentionedUsers } from './mentions.server.ts'
import { channelOf, unsubscribeHeaders, unsubscribeToken, unsubscribeUrl } from './preferences.server.ts'

export type NotificationType = (typeof notifications.$inferSelect)['type']

/** One post notifies at most this many mentioned people, so a list of names cannot be used to spam. */
const MAX_MENTIONED = 10
const PER_PAGE = 30
const EXCERPT_CHARS = 200
const DIGEST_WINDOW_MS = 7 * 24 * 60 * 60 * 1000
/** A digest lists this many notifications and links to the notifications page for the rest. */
const DIGEST_MAX_ITEMS = 50
export const DIGEST_JOB = 'notify.digest'

/** What a notification is about: a question (one of its answers or comments), an event or a support
 *  request. The title is the question's or event's title, or the ticket's number and subject. */
export type Target = {
  question?: { id: number; title: string } | null
  answerId?: number | null
  commentId?: number | null
  eventId?: number | null
  ticketId?: number | null
}

/** Where a notification leads: a comment, else an answer, else its question; an event's page; a
 *  support request's page. A comment on an answer goes through the answer's address, which finds the
 *  page of answers it is on. */
export function notificationPath({ question, answerId, commentId, eventId, ticketId }: Target): string {
  if (question) {
    if (commentId) {
      const page = answerId ? answerPath(question, answerId).split('#')[0] : questionPath(question)
      return `${page}#comment-${commentId}`
    }
    if (answerId) return answerPath(question, answerId)
    return questionPath(question)
  }
  if (eventId) return `/events/${eventId}`
  if (ticketId) return `/support/tickets/${ticketId}`
  return '/notifications'
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

/** A person a notification goes to, as its email needs them. */
export type Recipient = { id: number; email: string; displayName: string; locale: Locale; timeZone: string }

/** The part of a notification email that is the kind's own: the subject, the paragraphs after the
 *  greeting, files to attach. The writer adds the greeting, the link to the page and the footer. */
export type KindEmail = { subject: string; paragraphs: string[]; attachments?: MailAttachment[] }

/** A notification of one kind to some members. */
export type Notice = {
  kind: NotificationKind
  recipientIds: number[]
  /** Who did it; never notified of their own act. */
  actorId?: number | null
  target: Target
  /** The kind's email in the recipient's language. */
  email: (recipient: Recipient, link: string) => KindEmail
  /** What makes the email to this recipient one of a kind (see `MailMessage.dedupeKey`): an action
   *  retried or raced queues it once. */
  dedupeKey?: (recipient: Recipient) => string
}

/** The whole email of a notification: greeting, the kind's paragraphs, the page, and a footer that
 *  says how to change it (with the one-click unsubscribe link where the member may turn it off). */
async function notificationEmail(tx: Db, notice: Notice, recipient: Recipient, link: string): Promise<MailMessage> {
  const t = translator(recipient.locale)
  const own = notice.email(recipient, link)
  const settings = absolute('/settings/notifications')
  const paragraphs = [t('notify.email.greeting', { name: recipient.displayName }), ...own.paragraphs]
  paragraphs.push(t('notify.email.open', { link }))
  let headers: Record<string, string> | undefined
  if (canTurnOffEmail(notice.kind)) {
    const unsubscribe = unsubscribeUrl(await unsubscribeToken(tx, recipient.id, notice.kind))
    paragraphs.push(t('notify.email.footer', { link: settings }), t('notify.email.unsubscribe', { link: unsubscribe }))
    headers = unsubscribeHeaders(unsubscribe)
  } else {
    paragraphs.push(t('notify.email.footer_required', { link: settings }))
  }
  return {
    to: recipient.email,
    subject: own.subject,
    text: paragraphs.join('\n\n'),
    template: `notification_${notice.kind}`,
    ...(headers ? { headers } : {}),
    ...(own.attachments?.length ? { attachments: own.attachments } : {}),
    ...(notice.dedupeKey ? { dedupeKey: notice.dedupeKey(recipient) } : {}),
  }
}

/** The one writer of notifications, for every kind. Each recipient (the actor excepted) gets what their
 *  channel for the kind says: `email`, the in-app row and an email queued now (only to an active,
 *  confirmed address: an unconfirmed one may be someone else's); `digest`, the in-app row for the next
 *  digest; `in_app`, the row only; `none`, nothing. Runs inside the caller's transaction; returns the
 *  ids of queued emails to dispatch after commit (an email whose dedupe key was queued before is not
 *  queued again). */
export async function notify(tx: Db, notice: Notice): Promise<number[]> {
  const recipientIds = [...new Set(notice.recipientIds)].filter((id) => id !== notice.actorId)
  if (recipientIds.length === 0) return []
  // The recipients and their channel for this kind in one statement: it often runs under a row lock
  // (an event's, while its seats are given out), so every round trip there is paid by the queue.
  const rows = await tx
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      timeZone: users.timeZone,
      disabledAt: users.disabledAt,
      verifiedAt: users.emailVerifiedAt,
      stored: notificationPreferences.channel,
    })
    .from(users)
    .leftJoin(
      notificationPreferences,
      and(eq(notificationPreferences.userId, users.id), eq(notificationPreferences.kind, notice.kind)),
    )
    .where(inArray(users.id, recipientIds))
  const channels = new Map(rows.map((row) => [row.id, channelOf(notice.kind, row.stored)]))
  const people = rows.map(({ stored: _stored, ...person }) => person)
  const told = people.filter((person) => channels.get(person.id) !== 'none')
  if (told.length === 0) return []
  const emailed = told.filter((p) => channels.get(p.id) === 'email' && !p.disabledAt && p.verifiedAt)
  const now = new Date()
  const { target } = notice
  await tx.insert(notifications).values(
    told.map((person) => ({
      userId: person.id,
      type: notice.kind,
      actorId: notice.actorId ?? null,
      questionId: target.question?.id ?? null,
      answerId: target.answerId ?? null,
      commentId: target.commentId ?? null,
      eventId: target.eventId ?? null,
      ticketId: target.ticketId ?? null,
      createdAt: now,
      emailedAt: emailed.includes(person) ? now : null,
    })),
  )
  const link = absolute(notificationPath(target))
  const messages: MailMessage[] = []
  for (const person of emailed) messages.push(await notificationEmail(tx, notice, person, link))
  return queueEmails(tx, messages)
}

type QuestionNotice = {
  type: 'answer' | 'comment' | 'accepted' | 'mention'
  recipientIds: number[]
  actor: SessionUser
  questionId: number
  answerId?: number | null
  commentId?: number | null
  excerpt?: string | null
}

/** A notification about a question, its answer or comment, through `notify`. */
async function createNotifications(tx: Db, event: QuestionNotice): Promise<number[]> {
  const [question] = await tx
    .select({ id: questions.id, title: questions.title })
    .from(questions)
    .where(eq(questions.id, event.questionId))
  if (!question) return []
  const excerpt = event.excerpt ? excerptOf(event.excerpt) : null
  return notify(tx, {
    kind: event.type,
    recipientIds: event.recipientIds,
    actorId: event.actor.id,
    target: { question, answerId: event.answerId ?? null, commentId: event.commentId ?? null },
    email: (recipient) => {
      const t = translator(recipient.locale)
      const params = { actor: actorLabel(t, event.actor.displayName), title: question.title }
      const paragraphs = [t(`notify.email.${event.type}.intro`, params)]
      if (excerpt) paragraphs.push(`> ${excerpt}`)
      return { subject: t(`notify.email.${event.type}.subject`, params), paragraphs }
    },
  })
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
  /** The question's or event's title, or the support request's subject. */
  title: string
  questionId: number | null
  eventId: number | null
  ticketId: number | null
  answerId: number | null
  commentId: number | null
}

const actors = alias(users, 'actor')

/** A notification stays visible while what it is about does: an event or a ticket is gone with its
 *  rows (the foreign keys cascade), a question is only marked deleted. */
const liveTarget = or(isNull(notifications.questionId), isNull(questions.deletedAt))

/** The title column of a notification's target, whichever of the three it is. */
const targetTitle = sql<string>`coalesce(${questions.title}, ${events.title}, '#' || ${tickets.id} || ' ' || ${tickets.subject}, '')`

/** One page (30) of the user's notifications, newest first, leaving out those on deleted questions. */
export async function listNotifications(
  db: Db,
  { user, page = 1 }: { user: SessionUser; page?: number },
): Promise<{ items: NotificationItem[]; total: number; page: number; perPage: number }> {
  const where = and(eq(notifications.userId, user.id), liveTarget)
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: notifications.id,
        type: notifications.type,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
        actorName: actors.displayName,
        title: targetTitle,
        questionId: notifications.questionId,
        eventId: notifications.eventId,
        ticketId: notifications.ticketId,
        answerId: notifications.answerId,
        commentId: notifications.commentId,
      })
      .from(notifications)
      .leftJoin(questions, eq(questions.id, notifications.questionId))
      .leftJoin(events, eq(events.id, notifications.eventId))
      .leftJoin(tickets, eq(tickets.id, notifications.ticketId))
      .leftJoin(actors, eq(actors.id, notifications.actorId))
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(PER_PAGE)
      .offset((Math.max(1, page) - 1) * PER_PAGE),
    db
      .select({ n: count() })
      .from(notifications)
      .leftJoin(questions, eq(questions.id, notifications.questionId))
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
    .leftJoin(questions, eq(questions.id, notifications.questionId))
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), liveTarget))
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
      eventId: notifications.eventId,
      ticketId: notifications.ticketId,
    })
    .from(notifications)
    .leftJoin(questions, eq(questions.id, notifications.questionId))
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, user.id), liveTarget))
  if (!row) return fail(404, 'notify.not_found')
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, notificationId), isNull(notifications.readAt)))
  const question = row.questionId !== null && row.title !== null ? { id: row.questionId, title: row.title } : null
  return ok({ href: notificationPath({ ...row, question }) })
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

type DigestItem = { type: NotificationType; actorName: string | null; title: string; path: string }

/** The line a notification is listed by (the notifications page and the digest). */
export function kindLine(
  t: ReturnType<typeof translator>,
  item: { type: NotificationType; actorName: string | null; title: string },
): string {
  return t(`notify.kind.${item.type}`, { actor: actorLabel(t, item.actorName), title: item.title })
}

async function digestEmail(tx: Db, recipient: Recipient & { id: number }, items: DigestItem[]): Promise<MailMessage> {
  const t = translator(recipient.locale)
  const shown = items.slice(0, DIGEST_MAX_ITEMS)
  const lines = shown.map((item) => `- ${kindLine(t, item)}\n  ${absolute(item.path)}`)
  const paragraphs = [t('notify.email.greeting', { name: recipient.displayName }), t('notify.digest.intro')]
  paragraphs.push(lines.join('\n'))
  if (items.length > shown.length) {
    paragraphs.push(t('notify.digest.more', { count: items.length - shown.length, link: absolute('/notifications') }))
  }
  const unsubscribe = unsubscribeUrl(await unsubscribeToken(tx, recipient.id, 'digest'))
  paragraphs.push(
    t('notify.email.footer', { link: absolute('/settings/notifications') }),
    t('notify.digest.unsubscribe', { link: unsubscribe }),
  )
  return {
    to: recipient.email,
    subject: t('notify.digest.subject', { count: items.length }),
    text: paragraphs.join('\n\n'),
    template: 'notification_digest',
    headers: unsubscribeHeaders(unsubscribe),
  }
}

/** Emails each active member one message listing their notifications of the last 7 days not yet
 *  emailed whose kind they get in the digest, and marks those emailed. Set-based: one update claims
 *  every digest's rows (so a second run, even a concurrent one, finds nothing), then names and titles
 *  are loaded. Returns the queued email ids, dispatched after commit. */
export async function sendDigests(db: Db, now: Date = new Date()): Promise<number[]> {
  const since = new Date(now.getTime() - DIGEST_WINDOW_MS)
  const ids = await db.transaction(async (tx) => {
    const inDigest = tx
      .select({ one: sql`1` })
      .from(notificationPreferences)
      .innerJoin(users, eq(users.id, notificationPreferences.userId))
      .where(
        and(
          eq(notificationPreferences.userId, notifications.userId),
          eq(notificationPreferences.kind, notifications.type),
          eq(notificationPreferences.channel, 'digest'),
          isNull(users.disabledAt),
          isNotNull(users.emailVerifiedAt),
        ),
      )
    const liveQuestion = sql`(${notifications.questionId} is null or exists (
      select 1 from questions q where q.id = ${notifications.questionId} and q.deleted_at is null))`
    const claimed = await tx
      .update(notifications)
      .set({ emailedAt: now })
      .where(
        and(
          isNull(notifications.emailedAt),
          gt(notifications.createdAt, since),
          lte(notifications.createdAt, now),
          sql`exists (${inDigest})`,
          liveQuestion,
        ),
      )
      .returning({
        id: notifications.id,
        userId: notifications.userId,
        type: notifications.type,
        actorId: notifications.actorId,
        questionId: notifications.questionId,
        eventId: notifications.eventId,
        ticketId: notifications.ticketId,
        answerId: notifications.answerId,
        commentId: notifications.commentId,
        createdAt: notifications.createdAt,
      })
    if (claimed.length === 0) return []

    const personIds = [...new Set(claimed.flatMap((n) => (n.actorId ? [n.userId, n.actorId] : [n.userId])))]
    const people = await tx
      .select({
        id: users.id,
        email: users.email,
        displayName: users.displayName,
        locale: users.locale,
        timeZone: users.timeZone,
      })
      .from(users)
      .where(inArray(users.id, personIds))
    const idsOf = (pick: (n: (typeof claimed)[number]) => number | null) => [
      ...new Set(claimed.map(pick).filter((id): id is number => id !== null)),
    ]
    const questionIds = idsOf((n) => n.questionId)
    const eventIds = idsOf((n) => n.eventId)
    const ticketIds = idsOf((n) => n.ticketId)
    const [questionRows, eventRows, ticketRows] = await Promise.all([
      questionIds.length
        ? tx
            .select({ id: questions.id, title: questions.title })
            .from(questions)
            .where(inArray(questions.id, questionIds))
        : [],
      eventIds.length
        ? tx.select({ id: events.id, title: events.title }).from(events).where(inArray(events.id, eventIds))
        : [],
      ticketIds.length
        ? tx.select({ id: tickets.id, subject: tickets.subject }).from(tickets).where(inArray(tickets.id, ticketIds))
        : [],
    ])
    const personById = new Map(people.map((p) => [p.id, p]))
    const questionById = new Map(questionRows.map((q) => [q.id, q]))
    const eventById = new Map(eventRows.map((e) => [e.id, e]))
    const ticketById = new Map(ticketRows.map((ticket) => [ticket.id, ticket]))

    const byRecipient = new Map<number, DigestItem[]>()
    for (const n of claimed.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)) {
      const question = n.questionId ? (questionById.get(n.questionId) ?? null) : null
      const ticket = n.ticketId ? ticketById.get(n.ticketId) : undefined
      const title =
        question?.title ??
        (n.eventId ? eventById.get(n.eventId)?.title : undefined) ??
        (ticket ? `#${ticket.id} ${ticket.subject}` : '')
      const item: DigestItem = {
        type: n.type,
        actorName: n.actorId ? (personById.get(n.actorId)?.displayName ?? null) : null,
        title,
        path: notificationPath({ ...n, question }),
      }
      const list = byRecipient.get(n.userId) ?? []
      list.push(item)
      byRecipient.set(n.userId, list)
    }
    const messages: MailMessage[] = []
    for (const [userId, items] of byRecipient) messages.push(await digestEmail(tx, personById.get(userId)!, items))
    return queueEmails(tx, messages)
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
