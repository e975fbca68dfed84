import { getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { DraftControls, DraftNotice, draftReplyOf, useDraft } from '#app/components/editor/draft-controls.tsx'
import { FormErrors, OneTimeKeyField, useResetAfterSuccess } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { Prose } from '#app/components/prose.tsx'
import { MarkdownField } from '#app/components/qa/markdown-field.tsx'
import { PostByline } from '#app/components/qa/post-byline.tsx'
import { CommentForm, CommentList, PostActions, QuestionModeration } from '#app/components/qa/post-parts.tsx'
import { TagList } from '#app/components/qa/tag-list.tsx'
import { VoteControl } from '#app/components/qa/vote-control.tsx'
import { useRootData, useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { loadDraft, type SavedDraft } from '#app/domain/drafts/drafts.server.ts'
import { DISCARD_DRAFT, type DraftReply, draftKey, SAVE_DRAFT, withDraft } from '#app/domain/drafts/forms.ts'
import { promoteAnswer } from '#app/domain/help/articles.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { acceptAnswer, postAnswer, unacceptAnswer } from '#app/domain/qa/answers.server.ts'
import { postComment } from '#app/domain/qa/comments.server.ts'
import { flagPost, markDuplicate, moderatePost, setQuestionLocked } from '#app/domain/qa/moderation.server.ts'
import { previewMarkdown } from '#app/domain/qa/preview.server.ts'
import { answerPageOf, getQuestionPage, recordQuestionView } from '#app/domain/qa/questions.server.ts'
import {
  AcceptSchema,
  ANSWERS_PER_PAGE,
  AnswerSchema,
  answerSortOf,
  answerSorts,
  BODY_MAX,
  CommentSchema,
  DuplicateSchema,
  FlagSchema,
  ModerateSchema,
  VoteSchema,
} from '#app/domain/qa/schemas.ts'
import { castVote } from '#app/domain/qa/votes.server.ts'
import { isWatching, setWatching } from '#app/domain/qa/watches.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { type Failure, fail } from '#app/lib/outcome.ts'
import { answerPath, articleEditPath, questionPath } from '#app/lib/paths.ts'
import { readerOf } from '#app/lib/visitor.server.ts'
import { getOptionalUser, requireUser } from '#app/server/auth.server.ts'
import { clientIpContext, getDb } from '#app/server/context.ts'
import { draftIntent } from '#app/server/drafts.server.ts'
import { failureMessage, failureResponse, intParam, pageParam } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { attachmentRefusal, fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/question'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  pageTitle(matches, (t) => loaderData?.question.title ?? t('qa.question_not_found'))

function samePath(a: string, b: string): boolean {
  try {
    return decodeURIComponent(a) === decodeURIComponent(b)
  } catch {
    return false
  }
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const questionId = intParam(params.questionId)
  const viewer = getOptionalUser(context)
  const db = getDb(context)
  const url = new URL(request.url)
  const answerId = Number(url.searchParams.get('answer'))
  if (Number.isSafeInteger(answerId) && answerId > 0) {
    const page = await answerPageOf(db, { questionId, answerId })
    throw redirect(`/questions/${questionId}${page > 1 ? `?page=${page}` : ''}`)
  }
  const sort = answerSortOf(url.searchParams.get('sort'))
  const outcome = await getQuestionPage(db, { viewer, questionId, page: pageParam(url), sort })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const page = outcome.value
  // One address per question: an old or missing slug redirects to the current one.
  const canonical = questionPath(page.question)
  if (!samePath(url.pathname, canonical)) throw redirect(`${canonical}${url.search}`, 301)

  const reader = await readerOf(db, request, viewer, context.get(clientIpContext))
  if (!reader.crawler && !page.question.deletedAt) await recordQuestionView(db, { questionId, viewer: reader.key })
  const watching = viewer ? await isWatching(db, { userId: viewer.id, questionId }) : false
  // The one-time key of this page's create forms (answer, comment, flag); a new one after each success.
  const submissionKey = viewer ? await issueOneTimeKey(db, viewer) : null
  // The member's draft of an answer to this question (docs/decisions/040).
  const draft =
    viewer && page.viewer.canAnswer
      ? await loadDraft(db, { user: viewer, formKey: draftKey('answer', questionId) })
      : null
  return data(
    { ...page, watching, notice: url.searchParams.get('notice'), signedIn: !!viewer, submissionKey, draft },
    reader.setCookie ? { headers: { 'Set-Cookie': reader.setCookie } } : undefined,
  )
}

type ActionError = { intent: string; error: string; target?: string }

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [
  ...fieldsOf(AnswerSchema, CommentSchema, VoteSchema, AcceptSchema, FlagSchema, ModerateSchema, DuplicateSchema),
  'intent',
  'fetch',
  'page',
  'postType',
  'postId',
  'targetType',
  'targetId',
  ONE_TIME_KEY_FIELD,
]

/** What each intent's handler gets: the signed-in member, the question, and the form it sent. */
type QuestionIntent = IntentArgs<{ user: SessionUser; questionId: number; here: string }>

type Replyable = NonNullable<Parameters<typeof failureResponse>[2]>

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const questionId = intParam(params.questionId)
  const db = getDb(context)
  // The answer form's file input: files are stored and their markdown added to the answer's text.
  const formData = await readForm({ request, context }, { fields: FIELDS, attach: { to: 'body' } })
  const args = { context, db, user, questionId, here: `/questions/${questionId}`, formData }
  return dispatchIntent(
    args,
    {
      preview: handlePreview,
      answer: handleAnswer,
      [SAVE_DRAFT]: handleDraft,
      [DISCARD_DRAFT]: handleDraft,
      comment: handleComment,
      vote: handleVote,
      accept: handleAccept,
      promote: handlePromote,
      unaccept: handleUnaccept,
      watch: handleWatch,
      unwatch: handleWatch,
      flag: handleFlag,
      moderate: handleModerate,
      lock: handleLock,
      unlock: handleLock,
      duplicate: handleDuplicate,
      'clear-duplicate': handleDuplicate,
    },
    (args) => refused(args, fail(400, 'errors.bad_request')),
  )
}

/** An error shown above the page (a vote, an accept, a lock): the translated message and its status. */
function refused({ context, intent }: QuestionIntent, failure: Failure, target?: string) {
  return data<ActionError>({ intent, error: failureMessage(context, failure), target }, { status: failure.status })
}

/** A form's answer, tagged with its intent and, where the page shows many such forms, its target. */
function tagged<T extends object>({ intent }: QuestionIntent, target: string | undefined, body: T) {
  return target === undefined ? { intent, ...body } : { intent, target, ...body }
}

/** A form that did not parse comes back with its values and errors. */
function invalid(args: QuestionIntent, submission: Replyable, target?: string) {
  return data(tagged(args, target, { result: submission.reply() }), { status: 400 })
}

/** A domain failure on a form: the message next to its field, the values kept (see `failureResponse`). */
function formFailure(args: QuestionIntent, failure: Failure, submission: Replyable, target?: string) {
  const response = failureResponse(args.context, failure, submission)
  return data(tagged(args, target, response.data), response.init ?? undefined)
}

/** Renders the answer being typed, valid or not; the form comes back as it was. */
async function handlePreview(args: QuestionIntent) {
  const submission = parseWithZod(args.formData, { schema: AnswerSchema })
  const refusal = attachmentRefusal(args.formData)
  if (refusal) return formFailure(args, refusal, submission)
  const body = String(args.formData.get('body') ?? '').slice(0, BODY_MAX)
  const preview = await previewMarkdown(args.db, args.user, body, { linkMentions: true })
  if (!preview.ok) return formFailure(args, preview, submission)
  return { intent: args.intent, result: submission.reply(), preview: preview.value }
}

/** The answer form's "Save draft" and "Discard draft" without JavaScript. */
async function handleDraft(args: QuestionIntent) {
  const formKey = draftKey('answer', args.questionId)
  return (await draftIntent({ ...args, formKey }, { intent: args.intent }))!
}

async function handleAnswer(args: QuestionIntent) {
  const { db, user, formData, questionId } = args
  const submission = parseWithZod(formData, { schema: AnswerSchema })
  const refusal = attachmentRefusal(formData)
  if (refusal) return formFailure(args, refusal, submission)
  if (submission.status !== 'success') return invalid(args, submission)
  const outcome = await sendOnce(
    db,
    user,
    formData,
    (once) => postAnswer(db, { user, questionId, input: submission.value, once }),
    { draft: draftKey('answer', questionId) },
  )
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return formFailure(args, outcome, submission)
  const page = await answerPageOf(db, { questionId, answerId: outcome.value.id })
  return redirect(answerPath({ id: questionId, title: outcome.value.questionTitle }, outcome.value.id, page))
}

async function handleComment(args: QuestionIntent) {
  const { db, user, formData } = args
  const submission = parseWithZod(formData, { schema: CommentSchema })
  const target = `comment-${formData.get('postType')}-${formData.get('postId')}`
  if (submission.status !== 'success') return invalid(args, submission, target)
  const outcome = await sendOnce(db, user, formData, (once) => postComment(db, { user, input: submission.value, once }))
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return formFailure(args, outcome, submission, target)
  return redirect(`${args.here}#comment-${outcome.value.id}`)
}

async function handleVote(args: QuestionIntent) {
  const { context, db, user, formData, intent, here } = args
  const submission = parseWithZod(formData, { schema: VoteSchema })
  if (submission.status !== 'success') return refused(args, fail(400, 'validation.invalid_choice'))
  const { postType, postId, value } = submission.value
  const outcome = await castVote(db, { user, postType, postId, choice: value })
  // A script asked for the new score; without one, the page reloads at the post.
  if (formData.get('fetch') === '1') {
    return outcome.ok
      ? { intent, vote: outcome.value }
      : data({ intent, error: failureMessage(context, outcome) }, { status: outcome.status })
  }
  if (!outcome.ok) return refused(args, outcome, `${postType}-${postId}`)
  return redirect(postType === 'answer' ? `${here}?${pageQuery(formData)}#answer-${postId}` : here)
}

async function handleAccept(args: QuestionIntent) {
  const submission = parseWithZod(args.formData, { schema: AcceptSchema })
  if (submission.status !== 'success') return refused(args, fail(400, 'validation.invalid_choice'))
  const outcome = await acceptAnswer(args.db, { user: args.user, answerId: submission.value.answerId })
  if (!outcome.ok) return refused(args, outcome)
  return redirect(`${args.here}#answer-${outcome.value.id}`)
}

/** An accepted answer becomes a help article draft (or updates the one it already made). */
async function handlePromote(args: QuestionIntent) {
  const submission = parseWithZod(args.formData, { schema: AcceptSchema })
  if (submission.status !== 'success') return refused(args, fail(400, 'validation.invalid_choice'))
  const outcome = await promoteAnswer(args.db, { actor: args.user, answerId: submission.value.answerId })
  if (!outcome.ok) return refused(args, outcome)
  return redirect(`${articleEditPath(outcome.value.id)}?saved=${outcome.value.created ? 'promoted' : 'saved'}`)
}

async function handleUnaccept(args: QuestionIntent) {
  const outcome = await unacceptAnswer(args.db, { user: args.user, questionId: args.questionId })
  if (!outcome.ok) return refused(args, outcome)
  return redirect(args.here)
}

/** `watch` and `unwatch`. */
async function handleWatch(args: QuestionIntent) {
  const watching = args.intent === 'watch'
  const outcome = await setWatching(args.db, { user: args.user, questionId: args.questionId, watching })
  if (!outcome.ok) return refused(args, outcome)
  return redirect(`${args.here}?notice=${watching ? 'watching' : 'not_watching'}`)
}

async function handleFlag(args: QuestionIntent) {
  const { db, user, formData } = args
  const submission = parseWithZod(formData, { schema: FlagSchema })
  const target = `flag-${formData.get('targetType')}-${formData.get('targetId')}`
  if (submission.status !== 'success') return invalid(args, submission, target)
  const outcome = await sendOnce(db, user, formData, (once) => flagPost(db, { user, input: submission.value, once }))
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return formFailure(args, outcome, submission, target)
  return redirect(`${args.here}?notice=flagged`)
}

async function handleModerate(args: QuestionIntent) {
  const submission = parseWithZod(args.formData, { schema: ModerateSchema })
  if (submission.status !== 'success') return refused(args, fail(400, 'validation.invalid_choice'))
  const outcome = await moderatePost(args.db, { actor: args.user, ...submission.value })
  if (!outcome.ok) return refused(args, outcome)
  return redirect(`${args.here}?notice=moderated`)
}

/** `lock` and `unlock`. */
async function handleLock(args: QuestionIntent) {
  const locked = args.intent === 'lock'
  const outcome = await setQuestionLocked(args.db, { actor: args.user, questionId: args.questionId, locked })
  if (!outcome.ok) return refused(args, outcome)
  return redirect(`${args.here}?notice=${locked ? 'locked' : 'unlocked'}`)
}

/** `duplicate` marks the question a duplicate of the one named; `clear-duplicate` unmarks it. */
async function handleDuplicate(args: QuestionIntent) {
  const { db, user, intent, questionId } = args
  const submission = parseWithZod(args.formData, { schema: DuplicateSchema })
  if (intent === 'duplicate' && submission.status !== 'success') return invalid(args, submission)
  const duplicateOfId = intent === 'duplicate' && submission.status === 'success' ? submission.value.duplicateOf : null
  const outcome = await markDuplicate(db, { actor: user, questionId, duplicateOfId })
  if (!outcome.ok) return formFailure(args, outcome, submission)
  return redirect(`${args.here}?notice=${duplicateOfId ? 'duplicate' : 'not_duplicate'}`)
}

function pageQuery(formData: FormData): string {
  const page = Number(formData.get('page'))
  return Number.isInteger(page) && page > 1 ? `page=${page}` : ''
}

export default function QuestionPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const root = useRootData()
  const { question, answers, viewer, duplicateOf } = loaderData
  const action = actionData as
    | (Partial<ActionError> & { result?: import('@conform-to/react').SubmissionResult<string[]>; preview?: string })
    | undefined
  const resultFor = (intent: string, target?: string) =>
    action?.intent === intent && (!target || action.target === target) ? action.result : undefined
  const { locale, timeZone: zone } = useViewer()
  const here = `/questions/${question.id}`
  const formQuery = new URLSearchParams()
  if (loaderData.sort !== 'votes') formQuery.set('sort', loaderData.sort)
  if (loaderData.page > 1) formQuery.set('page', String(loaderData.page))
  const formAction = `${questionPath(question)}${formQuery.size ? `?${formQuery}` : ''}`

  return (
    <div className="question-page stack">
      <FormErrors errors={action?.error ? [action.error] : null} />
      {loaderData.notice ? (
        <p className="notice" role="status">
          {t(`qa.notice.${loaderData.notice}`, { defaultValue: '' })}
        </p>
      ) : null}
      {duplicateOf ? (
        <aside className="banner" aria-label={t('qa.duplicate.label')}>
          <p>
            {t('qa.duplicate.text')} <Link to={questionPath(duplicateOf)}>{duplicateOf.title}</Link>
          </p>
        </aside>
      ) : null}
      {question.lockedAt ? <p className="banner">{t('qa.locked_text')}</p> : null}
      {question.deletedAt ? <p className="banner banner-warning">{t('qa.deleted_text')}</p> : null}
      {question.hiddenAt ? <p className="banner banner-warning">{t('qa.hidden_text')}</p> : null}

      <div className="page-heading">
        <h1 lang={question.locale}>{question.title}</h1>
        <Link to="/questions/new" className="button">
          {t('qa.ask.button')}
        </Link>
      </div>
      <p className="muted question-meta">
        {t('qa.meta.asked', { when: formatDateTime(question.createdAt, locale, zone) })} ·{' '}
        {t('qa.meta.active', { when: formatDateTime(question.lastActivityAt, locale, zone) })} ·{' '}
        {t('qa.meta.viewed', { count: question.viewCount })}
      </p>

      <article className="post" aria-labelledby="question-title-label" lang={question.locale}>
        <h2 id="question-title-label" className="visually-hidden">
          {t('qa.question_label')}
        </h2>
        <VoteControl
          postType="question"
          postId={question.id}
          score={question.score}
          viewerVote={question.viewerVote}
          canVote={question.canVote}
          action={formAction}
        />
        <div className="post-main">
          <Prose html={question.bodyHtml} />
          <TagList tags={question.tags} />
          <PostByline
            verb="qa.byline.asked"
            authorId={question.authorId}
            authorName={question.authorName}
            authorRole={question.authorRole}
            authorAvatarUpdatedAt={question.authorAvatarUpdatedAt}
            authorLevel={question.authorLevel}
            createdAt={question.createdAt}
            editedAt={question.editedAt}
          />
          <PostActions
            postType="question"
            post={question}
            mine={question.authorId === root?.user?.id}
            viewer={viewer}
            flagResult={resultFor('flag', `flag-question-${question.id}`)}
            submissionKey={loaderData.submissionKey}
          />
          {viewer.canModerate ? (
            <QuestionModeration
              locked={!!question.lockedAt}
              duplicateOfId={duplicateOf?.id ?? null}
              lastResult={resultFor('duplicate')}
            />
          ) : null}
          <CommentList comments={question.comments} moderator={viewer.canModerate} />
          {viewer.canComment || resultFor('comment', `comment-question-${question.id}`) ? (
            <CommentForm
              post={{ postType: 'question', postId: question.id }}
              lastResult={resultFor('comment', `comment-question-${question.id}`)}
              submissionKey={loaderData.submissionKey}
            />
          ) : null}
        </div>
      </article>

      {loaderData.signedIn ? (
        <Form method="post" action={here} className="watch-form">
          <button
            type="submit"
            name="intent"
            value={loaderData.watching ? 'unwatch' : 'watch'}
            className="button button-small button-secondary"
          >
            {loaderData.watching ? t('qa.watch.stop') : t('qa.watch.start')}
          </button>{' '}
          <span className="muted">{loaderData.watching ? t('qa.watch.watching_hint') : t('qa.watch.hint')}</span>
        </Form>
      ) : null}

      <section aria-labelledby="answers-title" className="stack">
        <h2 id="answers-title">{t('qa.answers.count', { count: loaderData.totalAnswers })}</h2>
        {loaderData.totalAnswers > 1 ? (
          <nav aria-label={t('people.sort.label')} className="tabs answer-sort">
            {answerSorts.map((sort) => (
              <Link
                key={sort}
                to={`${questionPath(question)}${sort === 'votes' ? '' : `?sort=${sort}`}#answers-title`}
                aria-current={loaderData.sort === sort ? 'page' : undefined}
                className={loaderData.sort === sort ? 'tab active' : 'tab'}
              >
                {t(`people.sort.${sort}`)}
              </Link>
            ))}
          </nav>
        ) : null}
        {loaderData.pageCount > 1 ? (
          <Pagination page={loaderData.page} perPage={ANSWERS_PER_PAGE} total={loaderData.totalAnswers} />
        ) : null}
        <ol className="answer-list">
          {answers.map((answer) => (
            <li key={answer.id}>
              <article
                id={`answer-${answer.id}`}
                className={`post answer${answer.accepted ? ' accepted' : ''}${answer.hiddenAt || answer.deletedAt ? ' moderated' : ''}`}
                aria-label={t('qa.answers.label', { name: answer.authorName })}
                tabIndex={-1}
              >
                <div className="post-side">
                  <VoteControl
                    postType="answer"
                    postId={answer.id}
                    score={answer.score}
                    viewerVote={answer.viewerVote}
                    canVote={answer.canVote}
                    action={formAction}
                  />
                  {answer.accepted ? (
                    <p className="accepted-mark">
                      <span aria-hidden="true">✓</span> {t('qa.answers.accepted')}
                    </p>
                  ) : null}
                </div>
                <div className="post-main">
                  {answer.deletedAt ? <p className="banner banner-warning">{t('qa.answers.deleted')}</p> : null}
                  {answer.hiddenAt ? <p className="banner banner-warning">{t('qa.answers.hidden')}</p> : null}
                  <Prose html={answer.bodyHtml} />
                  <PostByline
                    verb="qa.byline.answered"
                    authorId={answer.authorId}
                    authorName={answer.authorName}
                    authorRole={answer.authorRole}
                    authorAvatarUpdatedAt={answer.authorAvatarUpdatedAt}
                    authorLevel={answer.authorLevel}
                    createdAt={answer.createdAt}
                    editedAt={answer.editedAt}
                  />
                  <PostActions
                    postType="answer"
                    post={answer}
                    mine={answer.authorId === root?.user?.id}
                    viewer={viewer}
                    flagResult={resultFor('flag', `flag-answer-${answer.id}`)}
                    submissionKey={loaderData.submissionKey}
                  >
                    {answer.canAccept ? (
                      <Form method="post" action={here} className="inline-actions">
                        {answer.accepted ? (
                          <button
                            type="submit"
                            name="intent"
                            value="unaccept"
                            className="button button-small button-secondary"
                          >
                            {t('qa.answers.unaccept')}
                          </button>
                        ) : (
                          <>
                            <input type="hidden" name="answerId" value={answer.id} />
                            <button type="submit" name="intent" value="accept" className="button button-small">
                              {t('qa.answers.accept')}
                            </button>
                          </>
                        )}
                      </Form>
                    ) : null}
                    {answer.accepted && viewer.canPromote ? (
                      <Form method="post" action={here} className="inline-actions">
                        <input type="hidden" name="answerId" value={answer.id} />
                        <button
                          type="submit"
                          name="intent"
                          value="promote"
                          className="button button-small button-secondary"
                        >
                          {t('help.promote.button')}
                        </button>
                      </Form>
                    ) : null}
                  </PostActions>
                  <CommentList comments={answer.comments} moderator={viewer.canModerate} />
                  {viewer.canComment || resultFor('comment', `comment-answer-${answer.id}`) ? (
                    <CommentForm
                      post={{ postType: 'answer', postId: answer.id }}
                      lastResult={resultFor('comment', `comment-answer-${answer.id}`)}
                      submissionKey={loaderData.submissionKey}
                    />
                  ) : null}
                </div>
              </article>
            </li>
          ))}
        </ol>
        {loaderData.pageCount > 1 ? (
          <Pagination page={loaderData.page} perPage={ANSWERS_PER_PAGE} total={loaderData.totalAnswers} />
        ) : null}
      </section>

      {/* A refused answer (the question was locked meanwhile) comes back with its text and the reason. */}
      {viewer.canAnswer || action?.intent === 'answer' ? (
        <AnswerForm
          lastResult={
            action?.intent && ['answer', 'preview', SAVE_DRAFT, DISCARD_DRAFT].includes(action.intent)
              ? action.result
              : undefined
          }
          draft={{ formKey: draftKey('answer', question.id), saved: loaderData.draft, reply: draftReplyOf(action) }}
          preview={action?.intent === 'preview' ? (action.preview ?? null) : null}
          formAction={formAction}
          submissionKey={loaderData.submissionKey}
        />
      ) : loaderData.signedIn ? (
        <p className="muted">{question.lockedAt ? t('qa.locked_text') : t('qa.answers.closed')}</p>
      ) : (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(questionPath(question))}`}>{t('qa.answers.sign_in')}</Link>
        </p>
      )}
    </div>
  )
}

function AnswerForm({
  lastResult,
  preview,
  formAction,
  submissionKey,
  draft: drafted,
}: {
  lastResult: import('@conform-to/react').SubmissionResult<string[]> | undefined
  preview: string | null
  formAction: string
  submissionKey: string | null
  draft: { formKey: string; saved: SavedDraft | null; reply: DraftReply | null }
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'answer',
    lastResult,
    defaultValue: withDraft({ body: '' }, drafted.saved),
    constraint: getZodConstraint(AnswerSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: AnswerSchema }),
    shouldValidate: 'onBlur',
  })
  // Once the answer is posted the box is empty again (the page stays; only the answers list grows).
  // A preview is not a submission that went through: the text stays.
  const { markSent } = useResetAfterSuccess({
    failed: lastResult?.status === 'error' || preview !== null,
    onSuccess: () => form.reset(),
  })
  const draft = useDraft({ formId: form.id, ...drafted })
  return (
    <section className="stack">
      <h2>{t('qa.answers.yours')}</h2>
      <Form
        method="post"
        encType="multipart/form-data"
        action={formAction}
        {...getFormProps(form)}
        onSubmit={(event) => {
          form.onSubmit(event)
          markSent(event)
        }}
        className="stack"
      >
        <OneTimeKeyField value={submissionKey} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <DraftNotice draft={draft} />
        <MarkdownField
          label={t('qa.answers.body_label')}
          errors={fields.body.errors}
          textareaProps={getTextareaProps(fields.body)}
          previewHtml={preview}
        />
        <button type="submit" name="intent" value="answer" className="button">
          {t('qa.answers.submit')}
        </button>
        <DraftControls draft={draft} />
      </Form>
    </section>
  )
}
