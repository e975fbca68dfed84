import { and, asc, count, desc, eq, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { withMentionLinks } from '#app/domain/notify/mentions.server.ts'
import { notifyMentions } from '#app/domain/notify/notifications.server.ts'
import type { MemberLevel } from '#app/domain/scoring/settings.ts'
import { recordUploadRefs } from '#app/domain/uploads/refs.server.ts'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import { markdownColumns } from '#app/lib/markdown.server.ts'
import { claimOneTimeKey, type OneTimeKey, replayOf, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { questionPath } from '#app/lib/paths.ts'
import { rememberToday, seenToday, today } from '#app/lib/seen-today.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { answers, comments, questions, questionViews, tags, votes } from '#db/schema/qa.ts'
import { userScores } from '#db/schema/scoring.ts'
import { queueSearchUpdate } from '#search/outbox.server.ts'
import { checkPostingLimits, refusedPost } from './limits.server.ts'
import { acceptsAnswers, canAcceptOn, canEditPost, canSeePost, isFrozenFor, isModerator } from './policies.ts'
import { addRevision, detectLocale, ensureTags, loadQuestion, lockQuestion } from './posts.server.ts'
import {
  ANSWERS_PER_PAGE,
  type AnswerSort,
  QUESTIONS_PER_PAGE,
  type QuestionInput,
  type QuestionTab,
} from './schemas.ts'
import { watchQuestion } from './watches.server.ts'

/** Asks a question: the question, its first revision, its tags, the ledger row, the asker's watch and
 *  the search outbox row are written in one transaction; mention emails go out after commit. */
export async function askQuestion(
  db: Db,
  { user, input, once }: { user: SessionUser; input: QuestionInput; once?: OneTimeKey },
): Promise<Outcome<{ id: number; title: string }>> {
  const early = once ? await replayOf(db, once) : null
  if (early) return early
  const limited = await checkPostingLimits(db, user, 'question')
  if (limited) return refusedPost(db, once, 'question', limited)
  // Rendered before the transaction, which would otherwise stay open while a worker renders.
  const columns = await withMentionLinks(db, await markdownColumns(input.body))
  const result = await db.transaction(async (tx) => {
    // A form sent twice (same one-time key) asks once; the copy goes where the first went.
    const replay = once ? await claimOneTimeKey(tx, once) : null
    if (replay) return { outcome: replay as Outcome<{ id: number; title: string }>, emails: [] as number[] }
    await ensureTags(tx, input.tags)
    const [question] = await tx
      .insert(questions)
      .values({
        authorId: user.id,
        title: input.title,
        ...columns,
        tags: input.tags,
        locale: detectLocale(`${input.title} ${input.body}`),
      })
      .returning({ id: questions.id, title: questions.title })
    await addRevision(tx, {
      postType: 'question',
      postId: question!.id,
      authorId: user.id,
      title: input.title,
      tags: input.tags,
      bodyMd: input.body,
    })
    await recordActivity(tx, { type: 'question_asked', user, subject: { type: 'question', id: question!.id } })
    await watchQuestion(tx, { userId: user.id, questionId: question!.id })
    await queueSearchUpdate(tx, 'question', question!.id)
    await recordUploadRefs(tx, {
      subjectType: 'question',
      subjectId: question!.id,
      authorId: user.id,
      text: input.body,
    })
    const emails = await notifyMentions(tx, { questionId: question!.id, text: input.body, actor: user })
    if (once) await settleOneTimeKey(tx, once, questionPath(question!))
    return { outcome: ok(question!), emails }
  })
  await dispatchEmails(result.emails)
  return result.outcome
}

/** Edits a question (its author, or staff). Every change is a new revision; saving unchanged text
 *  adds none. Refused on a locked question unless the editor is staff. */
export async function editQuestion(
  db: Db,
  { user, questionId, input }: { user: SessionUser; questionId: number; input: QuestionInput },
): Promise<Outcome<{ id: number; title: string; revision: number | null }>> {
  // Rendered before the transaction, which would otherwise hold the question's lock while a worker renders.
  const columns = await withMentionLinks(db, await markdownColumns(input.body))
  return db.transaction(async (tx) => {
    const question = await lockQuestion(tx, questionId)
    if (!question || !canSeePost(user, question)) return fail(404, 'qa.question_not_found')
    if (!canEditPost(user, question)) return fail(403, 'qa.cannot_edit')
    if (isFrozenFor(user, question)) return fail(409, 'qa.question_locked')
    if (question.deletedAt) return fail(409, 'qa.question_deleted')
    const unchanged =
      question.title === input.title &&
      question.bodyMd === input.body &&
      question.tags.join(' ') === input.tags.join(' ')
    if (unchanged) return ok({ id: question.id, title: question.title, revision: null })

    await ensureTags(tx, input.tags)
    const now = new Date()
    await tx
      .update(questions)
      .set({
        title: input.title,
        ...columns,
        tags: input.tags,
        locale: detectLocale(`${input.title} ${input.body}`),
        editedAt: now,
        updatedAt: now,
        lastActivityAt: now,
      })
      .where(eq(questions.id, questionId))
    const revision = await addRevision(tx, {
      postType: 'question',
      postId: questionId,
      authorId: user.id,
      title: input.title,
      tags: input.tags,
      bodyMd: input.body,
    })
    await queueSearchUpdate(tx, 'question', questionId)
    await recordUploadRefs(tx, { subjectType: 'question', subjectId: questionId, authorId: user.id, text: input.body })
    return ok({ id: questionId, title: input.title, revision })
  })
}

/** Rows readers see in lists: neither hidden nor deleted. */
const listed = and(isNull(questions.hiddenAt), isNull(questions.deletedAt))

const tabFilters: Record<QuestionTab, SQL | undefined> = {
  newest: undefined,
  active: undefined,
  unanswered: and(eq(questions.answerCount, 0), isNull(questions.acceptedAnswerId)),
  answered: isNotNull(questions.acceptedAnswerId),
  votes: undefined,
  views: undefined,
}

/** Each order ends in the id, so equal scores or views keep one order from page to page. "Most votes"
 *  and "most viewed" read the indexes on (score desc, id desc) and (view_count desc, id desc). */
const tabOrder: Record<QuestionTab, SQL[]> = {
  newest: [desc(questions.createdAt), desc(questions.id)],
  active: [desc(questions.lastActivityAt), desc(questions.id)],
  unanswered: [desc(questions.createdAt), desc(questions.id)],
  answered: [desc(questions.lastActivityAt), desc(questions.id)],
  votes: [desc(questions.score), desc(questions.id)],
  views: [desc(questions.viewCount), desc(questions.id)],
}

/** The member level of a post's author as of their latest nightly snapshot (null before the first),
 *  shown small beside their name: one lookup on the snapshots' primary key per row, inside the query
 *  that reads the posts. The profile computes the level live; the two agree from the next night on. */
const authorLevel = sql<MemberLevel | null>`(
  select ${userScores.level} from ${userScores}
  where ${userScores.userId} = ${users.id}
  order by ${userScores.asOf} desc limit 1)`

/** One page of a question list: a tab (newest, active, unanswered, answered, most votes, most
 *  viewed), optionally one tag. */
export async function listQuestions(
  db: Db,
  {
    tab = 'newest',
    tag,
    page = 1,
    perPage = QUESTIONS_PER_PAGE,
  }: { tab?: QuestionTab; tag?: string; page?: number; perPage?: number },
) {
  const where = and(listed, tabFilters[tab], tag ? sql`${questions.tags} @> array[${tag}]::text[]` : undefined)
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: questions.id,
        title: questions.title,
        tags: questions.tags,
        score: questions.score,
        answerCount: questions.answerCount,
        viewCount: questions.viewCount,
        accepted: sql<boolean>`${questions.acceptedAnswerId} is not null`,
        locked: sql<boolean>`${questions.lockedAt} is not null`,
        duplicate: sql<boolean>`${questions.duplicateOfId} is not null`,
        createdAt: questions.createdAt,
        lastActivityAt: questions.lastActivityAt,
        authorId: questions.authorId,
        authorName: users.displayName,
        authorRole: users.role,
        authorAvatarUpdatedAt: users.avatarUpdatedAt,
      })
      .from(questions)
      .innerJoin(users, eq(users.id, questions.authorId))
      .where(where)
      .orderBy(...tabOrder[tab])
      .limit(perPage)
      .offset((page - 1) * perPage),
    db.select({ n: count() }).from(questions).where(where),
  ])
  return { questions: rows, total: total?.n ?? 0, page, pageCount: Math.max(1, Math.ceil((total?.n ?? 0) / perPage)) }
}

/** Tags with the number of listed questions carrying each, most used first. */
export async function listTags(db: Db, { limit = 200 }: { limit?: number } = {}) {
  const rows = await db.execute(sql`
    select t.name, count(q.id)::int as questions
    from ${tags} t
    left join ${questions} q on q.tags @> array[t.name]::text[] and q.hidden_at is null and q.deleted_at is null
    group by t.name
    having count(q.id) > 0
    order by count(q.id) desc, t.name
    limit ${limit}`)
  return rowsOf<{ name: string; questions: number }>(rows)
}

export async function tagExists(db: Db, name: string): Promise<boolean> {
  const [row] = await db.select({ name: tags.name }).from(tags).where(eq(tags.name, name))
  return !!row
}

type AuthorColumns = {
  authorId: number
  authorName: string
  authorRole: string
  authorAvatarUpdatedAt: Date | null
}
type PostAuthorColumns = AuthorColumns & { authorLevel: MemberLevel | null }

/** The order of a page of answers. By votes, the accepted answer comes first, then the highest score,
 *  then the oldest; newest and oldest are by time alone. Each ends in the id, so the order is total. */
function answerOrder(sort: AnswerSort, acceptedAnswerId: number | null): SQL[] {
  if (sort === 'newest') return [desc(answers.createdAt), desc(answers.id)]
  if (sort === 'oldest') return [asc(answers.createdAt), asc(answers.id)]
  return [
    desc(sql`${answers.id} = ${acceptedAnswerId ?? 0}`),
    desc(answers.score),
    asc(answers.createdAt),
    asc(answers.id),
  ]
}

/** Everything a question page shows, for one reader: the question, one page of answers in the order
 *  asked for (by votes unless said otherwise, see `answerOrder`), their comments, the reader's own
 *  votes and what they may do. Hidden and deleted posts appear only to those allowed to see them. */
export async function getQuestionPage(
  db: Db,
  {
    viewer,
    questionId,
    page = 1,
    sort = 'votes',
  }: { viewer: SessionUser | null; questionId: number; page?: number; sort?: AnswerSort },
): Promise<Outcome<QuestionPage>> {
  const [row] = await db
    .select({
      question: questions,
      authorName: users.displayName,
      authorRole: users.role,
      authorAvatarUpdatedAt: users.avatarUpdatedAt,
      authorLevel,
    })
    .from(questions)
    .innerJoin(users, eq(users.id, questions.authorId))
    .where(eq(questions.id, questionId))
  if (!row || !canSeePost(viewer, row.question)) return fail(404, 'qa.question_not_found')
  const question = row.question
  const moderator = isModerator(viewer)

  const answerVisibility = moderator
    ? undefined
    : and(
        isNull(answers.deletedAt),
        viewer ? or(isNull(answers.hiddenAt), eq(answers.authorId, viewer.id)) : isNull(answers.hiddenAt),
      )
  const answerWhere = and(eq(answers.questionId, questionId), answerVisibility)
  const [{ n: totalAnswers } = { n: 0 }] = await db.select({ n: count() }).from(answers).where(answerWhere)
  const pageCount = Math.max(1, Math.ceil(totalAnswers / ANSWERS_PER_PAGE))
  const currentPage = Math.min(Math.max(1, page), pageCount)

  const answerRows = await db
    .select({
      id: answers.id,
      bodyHtml: answers.bodyHtml,
      score: answers.score,
      createdAt: answers.createdAt,
      editedAt: answers.editedAt,
      hiddenAt: answers.hiddenAt,
      deletedAt: answers.deletedAt,
      authorId: answers.authorId,
      authorName: users.displayName,
      authorRole: users.role,
      authorAvatarUpdatedAt: users.avatarUpdatedAt,
      authorLevel,
    })
    .from(answers)
    .innerJoin(users, eq(users.id, answers.authorId))
    .where(answerWhere)
    .orderBy(...answerOrder(sort, question.acceptedAnswerId))
    .limit(ANSWERS_PER_PAGE)
    .offset((currentPage - 1) * ANSWERS_PER_PAGE)
  const answerIds = answerRows.map((a) => a.id)

  const commentPosts = or(
    and(eq(comments.postType, 'question'), eq(comments.postId, questionId)),
    answerIds.length ? and(eq(comments.postType, 'answer'), inArray(comments.postId, answerIds)) : undefined,
  )
  const [commentRows, voteRows, duplicateOf] = await Promise.all([
    db
      .select({
        id: comments.id,
        postType: comments.postType,
        postId: comments.postId,
        body: comments.body,
        createdAt: comments.createdAt,
        hiddenAt: comments.hiddenAt,
        deletedAt: comments.deletedAt,
        authorId: comments.authorId,
        authorName: users.displayName,
        authorRole: users.role,
        authorAvatarUpdatedAt: users.avatarUpdatedAt,
      })
      .from(comments)
      .innerJoin(users, eq(users.id, comments.authorId))
      .where(and(eq(comments.questionId, questionId), commentPosts))
      .orderBy(asc(comments.createdAt), asc(comments.id)),
    viewer
      ? db
          .select({ postType: votes.postType, postId: votes.postId, value: votes.value })
          .from(votes)
          .where(
            and(
              eq(votes.userId, viewer.id),
              or(
                and(eq(votes.postType, 'question'), eq(votes.postId, questionId)),
                answerIds.length ? and(eq(votes.postType, 'answer'), inArray(votes.postId, answerIds)) : undefined,
              ),
            ),
          )
      : Promise.resolve([]),
    question.duplicateOfId ? loadQuestion(db, question.duplicateOfId) : Promise.resolve(null),
  ])

  const voteOf = (postType: string, postId: number) =>
    voteRows.find((v) => v.postType === postType && v.postId === postId)?.value ?? 0
  const commentsOf = (postType: string, postId: number) =>
    commentRows.filter((c) => c.postType === postType && c.postId === postId && canSeePost(viewer, c))
  const frozen = isFrozenFor(viewer, question)
  const mayAccept = canAcceptOn(viewer, question) && !frozen

  return ok({
    question: {
      id: question.id,
      title: question.title,
      bodyHtml: question.bodyHtml,
      tags: question.tags,
      score: question.score,
      viewCount: question.viewCount,
      answerCount: question.answerCount,
      acceptedAnswerId: question.acceptedAnswerId,
      createdAt: question.createdAt,
      editedAt: question.editedAt,
      lastActivityAt: question.lastActivityAt,
      lockedAt: question.lockedAt,
      hiddenAt: question.hiddenAt,
      deletedAt: question.deletedAt,
      locale: question.locale,
      authorId: question.authorId,
      authorName: row.authorName,
      authorRole: row.authorRole,
      authorAvatarUpdatedAt: row.authorAvatarUpdatedAt,
      authorLevel: row.authorLevel,
      viewerVote: voteOf('question', questionId),
      canEdit: canEditPost(viewer, question) && !frozen,
      canVote: !!viewer && viewer.id !== question.authorId && !frozen,
      comments: commentsOf('question', questionId),
    },
    duplicateOf:
      duplicateOf && canSeePost(viewer, duplicateOf) ? { id: duplicateOf.id, title: duplicateOf.title } : null,
    answers: answerRows.map((answer) => ({
      ...answer,
      accepted: answer.id === question.acceptedAnswerId,
      viewerVote: voteOf('answer', answer.id),
      canEdit: canEditPost(viewer, answer) && !frozen,
      canVote: !!viewer && viewer.id !== answer.authorId && !frozen && !answer.hiddenAt && !answer.deletedAt,
      canAccept: mayAccept && !answer.hiddenAt && !answer.deletedAt,
      comments: commentsOf('answer', answer.id),
    })),
    totalAnswers,
    page: currentPage,
    pageCount,
    sort,
    viewer: {
      canAnswer: !!viewer && acceptsAnswers(viewer, question) && !question.deletedAt,
      canComment: !!viewer && !frozen && !question.deletedAt,
      canFlag: !!viewer,
      canModerate: moderator,
      canPromote: can(viewer, 'help.write'),
    },
  })
}

type CommentRow = AuthorColumns & {
  id: number
  postType: 'question' | 'answer'
  postId: number
  body: string
  createdAt: Date
  hiddenAt: Date | null
  deletedAt: Date | null
}

export type QuestionPage = {
  question: PostAuthorColumns & {
    id: number
    title: string
    bodyHtml: string
    tags: string[]
    score: number
    viewCount: number
    answerCount: number
    acceptedAnswerId: number | null
    createdAt: Date
    editedAt: Date | null
    lastActivityAt: Date
    lockedAt: Date | null
    hiddenAt: Date | null
    deletedAt: Date | null
    locale: string
    viewerVote: number
    canEdit: boolean
    canVote: boolean
    comments: CommentRow[]
  }
  duplicateOf: { id: number; title: string } | null
  answers: (PostAuthorColumns & {
    id: number
    bodyHtml: string
    score: number
    createdAt: Date
    editedAt: Date | null
    hiddenAt: Date | null
    deletedAt: Date | null
    accepted: boolean
    viewerVote: number
    canEdit: boolean
    canVote: boolean
    canAccept: boolean
    comments: CommentRow[]
  })[]
  totalAnswers: number
  page: number
  pageCount: number
  sort: AnswerSort
  viewer: { canAnswer: boolean; canComment: boolean; canFlag: boolean; canModerate: boolean; canPromote: boolean }
}

/** Counts a view unless this viewer was already counted today. Returns whether it counted. */
export async function recordQuestionView(
  db: Db,
  { questionId, viewer, day = today() }: { questionId: number; viewer: string; day?: string },
): Promise<boolean> {
  const seenKey = `question:${questionId}:${viewer}`
  if (seenToday(db, seenKey, day)) return false
  const inserted = await db
    .insert(questionViews)
    .values({ questionId, viewer, day })
    .onConflictDoNothing()
    .returning({ questionId: questionViews.questionId })
  if (inserted.length) {
    await db
      .update(questions)
      .set({ viewCount: sql`${questions.viewCount} + 1` })
      .where(eq(questions.id, questionId))
  }
  rememberToday(db, seenKey, day)
  return inserted.length > 0
}

/** The question with what an editor needs: its markdown, title and tags. */
export async function getQuestionForEdit(db: Db, { user, questionId }: { user: SessionUser; questionId: number }) {
  const question = await loadQuestion(db, questionId)
  if (!question || !canSeePost(user, question) || question.deletedAt) return fail(404, 'qa.question_not_found')
  if (!canEditPost(user, question)) return fail(403, 'qa.cannot_edit')
  if (isFrozenFor(user, question)) return fail(409, 'qa.question_locked')
  return ok({ id: question.id, title: question.title, bodyMd: question.bodyMd, tags: question.tags })
}

/** The page of the question on which an answer appears for readers, so a link can land on it. */
export async function answerPageOf(db: Db, { questionId, answerId }: { questionId: number; answerId: number }) {
  const rows = await db.execute(sql`
    select position from (
      select a.id, row_number() over (
        order by (a.id = coalesce(q.accepted_answer_id, 0)) desc, a.score desc, a.created_at, a.id
      ) as position
      from ${answers} a join ${questions} q on q.id = a.question_id
      where a.question_id = ${questionId} and a.deleted_at is null and (a.hidden_at is null or a.id = ${answerId})
    ) ranked where id = ${answerId}`)
  const position = Number(rowsOf<{ position: number }>(rows)[0]?.position ?? 1)
  return Math.max(1, Math.ceil(position / ANSWERS_PER_PAGE))
}
