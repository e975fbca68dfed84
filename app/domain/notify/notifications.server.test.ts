import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { setWatching, watchQuestion } from '#app/domain/qa/watches.server.ts'
import { answerPath, questionPath } from '#app/lib/paths.ts'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { insertAnswer, insertComment, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { emailOutbox, notifications } from '#db/schema/notify.ts'
import { questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import type { NotificationChannel } from './kinds.ts'
import {
  listNotifications,
  markAllRead,
  markRead,
  notifyAnswerAccepted,
  notifyAnswerPosted,
  notifyCommentPosted,
  notifyMentions,
  sendDigests,
  unreadCount,
} from './notifications.server.ts'
import { setPreferences } from './preferences.server.ts'

const APP = 'http://localhost:3000'

type UserOverrides = NonNullable<Parameters<typeof insertUser>[1]>

/** A user whose four question kinds go by `channel` (what the old single email setting became). */
async function userWith(channel: NotificationChannel, overrides: UserOverrides = {}) {
  const user = await insertUser(db, overrides)
  await setQuestionChannel(user, channel)
  return user
}

async function setQuestionChannel(user: SessionUser, channel: NotificationChannel) {
  return setPreferences(db, { user, input: { answer: channel, comment: channel, accepted: channel, mention: channel } })
}

function inbox(user: { email: string }) {
  return db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, user.email)).orderBy(emailOutbox.id)
}

function notificationsOf(user: { id: number }) {
  return db.select().from(notifications).where(eq(notifications.userId, user.id)).orderBy(notifications.id)
}

/** A question with watchers; the asker watches it as asking does. */
async function watchedQuestion(title = `How do I export ${randomUUID().slice(0, 6)}?`, asker?: SessionUser) {
  asker ??= await insertUser(db)
  const question = await insertQuestion(db, { author: asker, title })
  await watchQuestion(db, { userId: asker.id, questionId: question.id })
  return { asker, question }
}

async function postAnswer(question: { id: number }, actor: SessionUser, bodyMd = 'Use the export button.') {
  const answer = await insertAnswer(db, question, { author: actor, bodyMd })
  const emails = await db.transaction((tx) =>
    notifyAnswerPosted(tx, { questionId: question.id, answerId: answer.id, actor }),
  )
  return { answer, emails }
}

test('a new answer notifies every watcher but the answerer, with an email naming the question and linking to the answer', async () => {
  const { asker, question } = await watchedQuestion('How do I export invoices?')
  const watcher = await insertUser(db)
  const unwatcher = await insertUser(db)
  const stranger = await insertUser(db)
  const answerer = await insertUser(db, { displayName: 'Hana Answerer' })
  await watchQuestion(db, { userId: watcher.id, questionId: question.id })
  await watchQuestion(db, { userId: answerer.id, questionId: question.id })
  await setWatching(db, { user: unwatcher, questionId: question.id, watching: false })

  const { answer, emails } = await postAnswer(question, answerer, 'Open **Billing** and press Export.')

  expect(emails).toHaveLength(2)
  for (const user of [asker, watcher]) {
    expect(await notificationsOf(user)).toMatchObject([
      { type: 'answer', actorId: answerer.id, questionId: question.id, answerId: answer.id, readAt: null },
    ])
  }
  for (const user of [answerer, unwatcher, stranger]) expect(await notificationsOf(user)).toEqual([])

  const [mail] = await inbox(asker)
  expect(mail).toMatchObject({ subject: 'New answer to “How do I export invoices?”', template: 'notification_answer' })
  expect(mail!.textBody).toContain('Hana Answerer answered a question you are watching')
  expect(mail!.textBody).toContain('> Open **Billing** and press Export.')
  expect(mail!.textBody).toContain(`${APP}${answerPath(question, answer.id)}`)
  expect(mail!.textBody).toContain(`${APP}/settings`)
  expect(emails).toContain(mail!.id)
  expect((await notificationsOf(asker))[0]!.emailedAt).not.toBeNull()
})

test('a disabled watcher gets the in-app notification but no email', async () => {
  const { question } = await watchedQuestion()
  const disabled = await insertUser(db, { disabledAt: new Date() })
  await watchQuestion(db, { userId: disabled.id, questionId: question.id })
  await postAnswer(question, await insertUser(db))
  expect(await notificationsOf(disabled)).toMatchObject([{ type: 'answer', emailedAt: null }])
  expect(await inbox(disabled)).toEqual([])
})

test('emails go in the reader’s language', async () => {
  const asker = await insertUser(db, { locale: 'ja' })
  const question = await insertQuestion(db, { author: asker, title: '請求書の出力方法' })
  await watchQuestion(db, { userId: asker.id, questionId: question.id })
  await postAnswer(question, await insertUser(db, { displayName: '佐藤' }))
  const [mail] = await inbox(asker)
  expect(mail!.subject).toBe('「請求書の出力方法」に新しい回答')
  expect(mail!.textBody).toContain('佐藤 さんが回答しました')
})

test('a comment notifies the author of the post it is on, never the commenter, and links to the comment', async () => {
  const { asker, question } = await watchedQuestion('Where are the logs?')
  const answerer = await insertUser(db)
  const answer = await insertAnswer(db, question, { author: answerer })
  const commenter = await insertUser(db, { displayName: 'Kai Commenter' })

  const onQuestion = await insertComment(
    db,
    { questionId: question.id, postType: 'question', postId: question.id },
    { author: commenter, body: 'Which version are you on?' },
  )
  const onAnswer = await insertComment(
    db,
    { questionId: question.id, postType: 'answer', postId: answer.id },
    { author: commenter, body: 'This worked for me.' },
  )
  const ownPost = await insertComment(
    db,
    { questionId: question.id, postType: 'answer', postId: answer.id },
    { author: answerer, body: 'Edit: also restart.' },
  )
  await db.transaction(async (tx) => {
    const actor = commenter
    await notifyCommentPosted(tx, {
      questionId: question.id,
      postType: 'question',
      postId: question.id,
      commentId: onQuestion.id,
      actor,
    })
    await notifyCommentPosted(tx, {
      questionId: question.id,
      postType: 'answer',
      postId: answer.id,
      commentId: onAnswer.id,
      actor,
    })
    const none = await notifyCommentPosted(tx, {
      questionId: question.id,
      postType: 'answer',
      postId: answer.id,
      commentId: ownPost.id,
      actor: answerer,
    })
    expect(none).toEqual([])
  })

  expect(await notificationsOf(asker)).toMatchObject([{ type: 'comment', commentId: onQuestion.id, answerId: null }])
  expect(await notificationsOf(answerer)).toMatchObject([
    { type: 'comment', commentId: onAnswer.id, answerId: answer.id },
  ])
  expect(await notificationsOf(commenter)).toEqual([])
  const [mail] = await inbox(answerer)
  expect(mail!.subject).toBe('New comment in “Where are the logs?”')
  expect(mail!.textBody).toContain('Kai Commenter commented on your post')
  expect(mail!.textBody).toContain('> This worked for me.')
  expect(mail!.textBody).toContain(`${APP}${answerPath(question, answer.id).split('#')[0]}#comment-${onAnswer.id}`)
  const [questionMail] = await inbox(asker)
  expect(questionMail!.textBody).toContain(`${APP}${questionPath(question)}#comment-${onQuestion.id}`)
})

test('accepting an answer notifies its author, unless they accepted it themselves', async () => {
  const { asker, question } = await watchedQuestion('Can I rename a workspace?')
  const answerer = await insertUser(db)
  const answer = await insertAnswer(db, question, { author: answerer })
  const own = await insertAnswer(db, question, { author: asker })
  await db.transaction(async (tx) => {
    await notifyAnswerAccepted(tx, { questionId: question.id, answerId: answer.id, actor: asker })
    expect(await notifyAnswerAccepted(tx, { questionId: question.id, answerId: own.id, actor: asker })).toEqual([])
  })
  expect(await notificationsOf(answerer)).toMatchObject([{ type: 'accepted', answerId: answer.id }])
  expect(await notificationsOf(asker)).toEqual([])
  const [mail] = await inbox(answerer)
  expect(mail!.subject).toBe('Your answer to “Can I rename a workspace?” was accepted')
  expect(mail!.textBody).toContain(`${APP}${answerPath(question, answer.id)}`)
})

test('mentions notify each mentioned user once, but not the actor, skipped users or an ambiguous name', async () => {
  const t = randomUUID().slice(0, 6)
  const { question } = await watchedQuestion()
  const actor = await insertUser(db, { displayName: `Writer ${t}` })
  const mei = await insertUser(db, { displayName: `Mei ${t}` })
  const yamada = await insertUser(db, { displayName: `山田 太郎${t}`, locale: 'ja' })
  const skipped = await insertUser(db, { displayName: `Skip ${t}` })
  const twinA = await insertUser(db, { displayName: `Twin ${t}` })
  const twinB = await insertUser(db, { displayName: `Twin ${t}` })
  const text = `@Mei ${t} and @山田 太郎${t}さん, see this. cc @mei ${t} @Writer ${t} @Skip ${t} @Twin ${t} \`@Mei ${t}\``

  const emails = await db.transaction((tx) =>
    notifyMentions(tx, { questionId: question.id, text, actor, skipUserIds: [skipped.id] }),
  )

  expect(emails).toHaveLength(2)
  expect(await notificationsOf(mei)).toMatchObject([{ type: 'mention', actorId: actor.id, answerId: null }])
  expect(await notificationsOf(yamada)).toMatchObject([{ type: 'mention' }])
  for (const user of [actor, skipped, twinA, twinB]) expect(await notificationsOf(user)).toEqual([])
  const [mail] = await inbox(yamada)
  expect(mail!.subject).toBe(`Writer ${t} さんが「${question.title}」であなたをメンションしました`)
  expect(mail!.textBody).toContain(`${APP}${questionPath(question)}`)
})

test('a watcher mentioned in a new answer hears about it once, and editing the post does not notify again', async () => {
  const t = randomUUID().slice(0, 6)
  const { asker, question } = await watchedQuestion(undefined, await insertUser(db, { displayName: `Asker ${t}` }))
  const friend = await insertUser(db, { displayName: `Friend ${t}` })
  const answerer = await insertUser(db)
  const text = `@Asker ${t} @Friend ${t} this should do it.`
  const { answer } = await postAnswer(question, answerer, text)
  const mention = () =>
    db.transaction((tx) => notifyMentions(tx, { questionId: question.id, answerId: answer.id, text, actor: answerer }))
  await mention()
  await mention()
  expect((await notificationsOf(asker)).map((n) => n.type)).toEqual(['answer'])
  expect(await notificationsOf(friend)).toMatchObject([{ type: 'mention', answerId: answer.id }])
})

test('one post notifies at most 10 mentioned users', async () => {
  const t = randomUUID().slice(0, 6)
  const { question } = await watchedQuestion()
  const people: SessionUser[] = []
  for (let i = 0; i < 12; i++) people.push(await userWith('in_app', { displayName: `P${i} ${t}` }))
  const actor = await insertUser(db)
  await db.transaction((tx) =>
    notifyMentions(tx, { questionId: question.id, text: people.map((p) => `@${p.displayName}`).join(' '), actor }),
  )
  const notified = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.questionId, question.id), eq(notifications.type, 'mention')))
  expect(notified.map((n) => n.userId).sort()).toEqual(
    people
      .slice(0, 10)
      .map((p) => p.id)
      .sort(),
  )
})

test('channels: email is mailed at once, digest in one daily email, in-app never; a digest is sent once', async () => {
  const { question } = await watchedQuestion('Digest question?')
  const each = await insertUser(db)
  const digest = await userWith('digest', { displayName: 'Dee' })
  const none = await userWith('in_app')
  const disabledDigest = await userWith('digest', { disabledAt: new Date() })
  for (const user of [each, digest, none, disabledDigest]) {
    await watchQuestion(db, { userId: user.id, questionId: question.id })
  }
  const answerer = await insertUser(db, { displayName: 'Ren' })
  const first = await postAnswer(question, answerer)
  const second = await postAnswer(question, answerer)
  const old = await postAnswer(question, answerer)
  // Older than the digest window: never mailed.
  await db
    .update(notifications)
    .set({ createdAt: new Date(Date.now() - 8 * 24 * 60 * 60 * 1000) })
    .where(eq(notifications.answerId, old.answer.id))

  expect(await inbox(each)).toHaveLength(3)
  expect(await inbox(digest)).toEqual([])

  const sent = await sendDigests(db)
  const [mail, ...more] = await inbox(digest)
  expect(more).toEqual([])
  expect(sent).toContain(mail!.id)
  expect(mail).toMatchObject({ subject: '2 new notifications from the Community', template: 'notification_digest' })
  expect(mail!.textBody).toContain('Hello Dee,')
  expect(mail!.textBody).toContain('Ren answered “Digest question?”')
  expect(mail!.textBody).toContain(`${APP}${answerPath(question, first.answer.id)}`)
  expect(mail!.textBody).toContain(`${APP}${answerPath(question, second.answer.id)}`)
  expect(mail!.textBody).not.toContain(`#answer-${old.answer.id}`)
  expect(await inbox(each)).toHaveLength(3)
  expect(await inbox(none)).toEqual([])
  expect(await inbox(disabledDigest)).toEqual([])

  expect(await sendDigests(db)).toEqual([])
  expect(await inbox(digest)).toHaveLength(1)
})

test('a digest skips deleted questions and is written in the reader’s language', async () => {
  const reader = await userWith('digest', { locale: 'ja' })
  const { question } = await watchedQuestion('残る質問')
  const { question: gone } = await watchedQuestion('消える質問')
  for (const q of [question, gone]) await watchQuestion(db, { userId: reader.id, questionId: q.id })
  await postAnswer(question, await insertUser(db))
  await postAnswer(gone, await insertUser(db))
  await db.update(questions).set({ deletedAt: new Date() }).where(eq(questions.id, gone.id))
  await sendDigests(db)
  const [mail] = await inbox(reader)
  expect(mail!.subject).toBe('コミュニティからの新しい通知 1 件')
  expect(mail!.textBody).toContain('「残る質問」に回答しました')
  expect(mail!.textBody).not.toContain('消える質問')
})

test('a Japanese digest names the person with さん, and a person who is gone as どなたか without it', async () => {
  const reader = await userWith('digest', { locale: 'ja' })
  const { question } = await watchedQuestion('名前の質問')
  const { question: orphan } = await watchedQuestion('名前のない質問')
  for (const q of [question, orphan]) await watchQuestion(db, { userId: reader.id, questionId: q.id })
  await postAnswer(question, await insertUser(db, { displayName: '山田 太郎' }))
  await postAnswer(orphan, await insertUser(db))
  // The actor's account was deleted: the foreign key sets the notification's actor to null.
  await db
    .update(notifications)
    .set({ actorId: null })
    .where(and(eq(notifications.userId, reader.id), eq(notifications.questionId, orphan.id)))
  await sendDigests(db)
  const [mail] = await inbox(reader)
  expect(mail!.textBody).toContain('山田 太郎 さんが「名前の質問」に回答しました')
  expect(mail!.textBody).toContain('どなたかが「名前のない質問」に回答しました')
  expect(mail!.textBody).not.toMatch(/(だれか|どなたか) ?さん/)
})

test('changing a kind’s channel settles its backlog, so old notifications are not mailed later', async () => {
  const { question } = await watchedQuestion()
  const quiet = await userWith('in_app')
  await watchQuestion(db, { userId: quiet.id, questionId: question.id })
  await postAnswer(question, await insertUser(db))
  expect(await setQuestionChannel(quiet, 'digest')).toEqual({
    ok: true,
    value: { changed: ['answer', 'comment', 'accepted', 'mention'] },
  })
  await sendDigests(db)
  expect(await inbox(quiet)).toEqual([])
  // Saving the same channel again keeps the pending digest.
  await postAnswer(question, await insertUser(db))
  await setQuestionChannel(quiet, 'digest')
  await sendDigests(db)
  expect(await inbox(quiet)).toHaveLength(1)
})

test('the list shows the newest first with names and titles, and reading one leads to its target', async () => {
  const { asker, question } = await watchedQuestion('Listed question')
  const answerer = await insertUser(db, { displayName: 'Lin' })
  const { answer } = await postAnswer(question, answerer)
  const comment = await insertComment(db, { questionId: question.id, postType: 'question', postId: question.id })
  await db.transaction((tx) =>
    notifyCommentPosted(tx, {
      questionId: question.id,
      postType: 'question',
      postId: question.id,
      commentId: comment.id,
      actor: answerer,
    }),
  )
  const list = await listNotifications(db, { user: asker, page: 1 })
  expect(list).toMatchObject({ total: 2, page: 1, perPage: 30 })
  expect(list.items).toMatchObject([
    { type: 'comment', actorName: 'Lin', title: 'Listed question', commentId: comment.id, read: false },
    { type: 'answer', actorName: 'Lin', questionId: question.id, answerId: answer.id, read: false },
  ])
  expect(await unreadCount(db, asker.id)).toBe(2)

  const opened = await markRead(db, { user: asker, notificationId: list.items[1]!.id })
  expect(opened).toEqual({ ok: true, value: { href: answerPath(question, answer.id) } })
  expect(await unreadCount(db, asker.id)).toBe(1)
  expect((await listNotifications(db, { user: asker, page: 1 })).items[1]!.read).toBe(true)
  expect(await markRead(db, { user: asker, notificationId: list.items[0]!.id })).toEqual({
    ok: true,
    value: { href: `${questionPath(question)}#comment-${comment.id}` },
  })
})

test('nobody can read or open someone else’s notification', async () => {
  const { asker, question } = await watchedQuestion()
  await postAnswer(question, await insertUser(db))
  const [mine] = await notificationsOf(asker)
  const other = await insertUser(db)
  expect(await markRead(db, { user: other, notificationId: mine!.id })).toMatchObject({
    ok: false,
    status: 404,
    code: 'notify.not_found',
  })
  expect((await notificationsOf(asker))[0]!.readAt).toBeNull()
  expect((await listNotifications(db, { user: other, page: 1 })).items).toEqual([])
})

test('mark all as read clears the unread count; notifications on deleted questions are not counted or listed', async () => {
  const { asker, question } = await watchedQuestion()
  const { question: gone } = await watchedQuestion()
  await watchQuestion(db, { userId: asker.id, questionId: gone.id })
  await postAnswer(question, await insertUser(db))
  await postAnswer(question, await insertUser(db))
  await postAnswer(gone, await insertUser(db))
  expect(await unreadCount(db, asker.id)).toBe(3)
  await db.update(questions).set({ deletedAt: new Date() }).where(eq(questions.id, gone.id))
  expect(await unreadCount(db, asker.id)).toBe(2)
  expect((await listNotifications(db, { user: asker, page: 1 })).total).toBe(2)
  expect(await markAllRead(db, asker)).toBe(3)
  expect(await unreadCount(db, asker.id)).toBe(0)
})

test('the list pages by 30', async () => {
  const { asker, question } = await watchedQuestion()
  const answerer = await insertUser(db)
  const answer = await insertAnswer(db, question, { author: answerer })
  await db.insert(notifications).values(
    Array.from({ length: 31 }, (_, i) => ({
      userId: asker.id,
      type: 'answer' as const,
      actorId: answerer.id,
      questionId: question.id,
      answerId: answer.id,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    })),
  )
  const first = await listNotifications(db, { user: asker, page: 1 })
  const second = await listNotifications(db, { user: asker, page: 2 })
  expect(first.items).toHaveLength(30)
  expect(second.items).toHaveLength(1)
  expect(second.items[0]!.createdAt).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 0)))
  expect(first.total).toBe(31)
})

test('two digest runs at the same moment send one digest', async () => {
  const { question } = await watchedQuestion()
  const reader = await userWith('digest')
  await watchQuestion(db, { userId: reader.id, questionId: question.id })
  await postAnswer(question, await insertUser(db))
  const runs = await Promise.all([sendDigests(db), sendDigests(db)])
  expect(await inbox(reader)).toHaveLength(1)
  expect(runs.flat()).toHaveLength(1)
})

test('a mention in a comment on an answer links to the comment through the answer', async () => {
  const t = randomUUID().slice(0, 6)
  const { question } = await watchedQuestion()
  const answer = await insertAnswer(db, question)
  const named = await insertUser(db, { displayName: `Noa ${t}` })
  const commenter = await insertUser(db)
  const comment = await insertComment(
    db,
    { questionId: question.id, postType: 'answer', postId: answer.id },
    { author: commenter, body: `@Noa ${t} have a look` },
  )
  await db.transaction((tx) =>
    notifyMentions(tx, { questionId: question.id, commentId: comment.id, text: comment.body, actor: commenter }),
  )
  expect(await notificationsOf(named)).toMatchObject([{ type: 'mention', answerId: answer.id, commentId: comment.id }])
  const [mail] = await inbox(named)
  expect(mail!.textBody).toContain(`${APP}${answerPath(question, answer.id).split('#')[0]}#comment-${comment.id}`)
  expect(mail!.textBody).toContain(`> @Noa ${t} have a look`)
})
