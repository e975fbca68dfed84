import { getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { FormErrors, OneTimeKeyField, useResetAfterSuccess } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { Prose } from '#app/components/prose.tsx'
import { MarkdownField } from '#app/components/qa/markdown-field.tsx'
import { PostByline } from '#app/components/qa/post-byline.tsx'
import { CommentForm, CommentList, PostActions, QuestionModeration } from '#app/components/qa/post-parts.tsx'
import { TagList } from '#app/components/qa/tag-list.tsx'
import { VoteControl } from '#app/components/qa/vote-control.tsx'
import { useT } from '#app/components/translation.tsx'
import { promoteAnswer } from '#app/domain/help/articles.server.ts'
import { articleEditPath } from '#app/domain/help/paths.ts'
import { acceptAnswer, postAnswer, unacceptAnswer } from '#app/domain/qa/answers.server.ts'
import { postComment } from '#app/domain/qa/comments.server.ts'
import { flagPost, markDuplicate, moderatePost, setQuestionLocked } from '#app/domain/qa/moderation.server.ts'
import { answerPath, questionPath } from '#app/domain/qa/paths.ts'
import { previewMarkdown } from '#app/domain/qa/preview.server.ts'
import { answerPageOf, getQuestionPage, recordQuestionView } from '#app/domain/qa/questions.server.ts'
import {
  AcceptSchema,
  ANSWERS_PER_PAGE,
  AnswerSchema,
  BODY_MAX,
  CommentSchema,
  DuplicateSchema,
  FlagSchema,
  ModerateSchema,
  VoteSchema,
} from '#app/domain/qa/schemas.ts'
import { castVote } from '#app/domain/qa/votes.server.ts'
import { isWatching, setWatching } from '#app/domain/qa/watches.server.ts'
import { getDb, getOptionalUser, requireUser } from '#app/lib/auth.server.ts'
import { clientIpContext } from '#app/lib/context.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { failureMessage, failureResponse, intParam, pageParam } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { type Failure, fail } from '#app/lib/outcome.ts'
import { fieldsOf, readForm } from '#app/lib/request-body.server.ts'
import { readerOf } from '#app/lib/visitor.server.ts'
import { useRootData } from '#app/root.tsx'
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
  const outcome = await getQuestionPage(db, { viewer, questionId, page: pageParam(url) })
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
  return data(
    { ...page, watching, notice: url.searchParams.get('notice'), signedIn: !!viewer, submissionKey },
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

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const questionId = intParam(params.questionId)
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const intent = String(formData.get('intent') ?? '')
  const here = `/questions/${questionId}`
  const failed = (failure: Failure, target?: string) =>
    data<ActionError>({ intent, error: failureMessage(context, failure), target }, { status: failure.status })

  switch (intent) {
    case 'preview':
    case 'answer': {
      const submission = parseWithZod(formData, { schema: AnswerSchema })
      if (intent === 'preview') {
        const preview = await previewMarkdown(db, user, String(formData.get('body') ?? '').slice(0, BODY_MAX))
        if (!preview.ok) {
          const response = failureResponse(context, preview, submission)
          return data({ intent, ...response.data }, response.init ?? undefined)
        }
        return { intent, result: submission.reply(), preview: preview.value }
      }
      if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
      const outcome = await sendOnce(db, user, formData, (once) =>
        postAnswer(db, { user, questionId, input: submission.value, once }),
      )
      if ('replayed' in outcome) return redirect(outcome.replayed)
      if (!outcome.ok) {
        const response = failureResponse(context, outcome, submission)
        return data({ intent, ...response.data }, response.init ?? undefined)
      }
      const page = await answerPageOf(db, { questionId, answerId: outcome.value.id })
      return redirect(answerPath({ id: questionId, title: outcome.value.questionTitle }, outcome.value.id, page))
    }
    case 'comment': {
      const submission = parseWithZod(formData, { schema: CommentSchema })
      const target = `comment-${formData.get('postType')}-${formData.get('postId')}`
      if (submission.status !== 'success') return data({ intent, target, result: submission.reply() }, { status: 400 })
      const outcome = await sendOnce(db, user, formData, (once) =>
        postComment(db, { user, input: submission.value, once }),
      )
      if ('replayed' in outcome) return redirect(outcome.replayed)
      if (!outcome.ok) {
        const response = failureResponse(context, outcome, submission)
        return data({ intent, target, ...response.data }, response.init ?? undefined)
      }
      return redirect(`${here}#comment-${outcome.value.id}`)
    }
    case 'vote': {
      const submission = parseWithZod(formData, { schema: VoteSchema })
      if (submission.status !== 'success') return failed(fail(400, 'validation.invalid_choice'))
      const { postType, postId, value } = submission.value
      const outcome = await castVote(db, { user, postType, postId, choice: value })
      // A script asked for the new score; without one, the page reloads at the post.
      if (formData.get('fetch') === '1') {
        return outcome.ok
          ? { intent, vote: outcome.value }
          : data({ intent, error: failureMessage(context, outcome) }, { status: outcome.status })
      }
      if (!outcome.ok) return failed(outcome, `${postType}-${postId}`)
      return redirect(postType === 'answer' ? `${here}?${pageQuery(formData)}#answer-${postId}` : here)
    }
    case 'accept': {
      const submission = parseWithZod(formData, { schema: AcceptSchema })
      if (submission.status !== 'success') return failed(fail(400, 'validation.invalid_choice'))
      const outcome = await acceptAnswer(db, { user, answerId: submission.value.answerId })
      if (!outcome.ok) return failed(outcome)
      return redirect(`${here}#answer-${outcome.value.id}`)
    }
    case 'promote': {
      const submission = parseWithZod(formData, { schema: AcceptSchema })
      if (submission.status !== 'success') return failed(fail(400, 'validation.invalid_choice'))
      const outcome = await promoteAnswer(db, { actor: user, answerId: submission.value.answerId })
      if (!outcome.ok) return failed(outcome)
      return redirect(`${articleEditPath(outcome.value.id)}?saved=${outcome.value.created ? 'promoted' : 'saved'}`)
    }
    case 'unaccept': {
      const outcome = await unacceptAnswer(db, { user, questionId })
      if (!outcome.ok) return failed(outcome)
      return redirect(here)
    }
    case 'watch':
    case 'unwatch': {
      const outcome = await setWatching(db, { user, questionId, watching: intent === 'watch' })
      if (!outcome.ok) return failed(outcome)
      return redirect(`${here}?notice=${intent === 'watch' ? 'watching' : 'not_watching'}`)
    }
    case 'flag': {
      const submission = parseWithZod(formData, { schema: FlagSchema })
      const target = `flag-${formData.get('targetType')}-${formData.get('targetId')}`
      if (submission.status !== 'success') return data({ intent, target, result: submission.reply() }, { status: 400 })
      const outcome = await sendOnce(db, user, formData, (once) =>
        flagPost(db, { user, input: submission.value, once }),
      )
      if ('replayed' in outcome) return redirect(outcome.replayed)
      if (!outcome.ok) {
        const response = failureResponse(context, outcome, submission)
        return data({ intent, target, ...response.data }, response.init ?? undefined)
      }
      return redirect(`${here}?notice=flagged`)
    }
    case 'moderate': {
      const submission = parseWithZod(formData, { schema: ModerateSchema })
      if (submission.status !== 'success') return failed(fail(400, 'validation.invalid_choice'))
      const outcome = await moderatePost(db, { actor: user, ...submission.value })
      if (!outcome.ok) return failed(outcome)
      return redirect(`${here}?notice=moderated`)
    }
    case 'lock':
    case 'unlock': {
      const outcome = await setQuestionLocked(db, { actor: user, questionId, locked: intent === 'lock' })
      if (!outcome.ok) return failed(outcome)
      return redirect(`${here}?notice=${intent === 'lock' ? 'locked' : 'unlocked'}`)
    }
    case 'duplicate':
    case 'clear-duplicate': {
      const submission = parseWithZod(formData, { schema: DuplicateSchema })
      if (intent === 'duplicate' && submission.status !== 'success')
        return data({ intent, result: submission.reply() }, { status: 400 })
      const duplicateOfId =
        intent === 'duplicate' && submission.status === 'success' ? submission.value.duplicateOf : null
      const outcome = await markDuplicate(db, { actor: user, questionId, duplicateOfId })
      if (!outcome.ok) {
        const response = failureResponse(context, outcome, submission)
        return data({ intent, ...response.data }, response.init ?? undefined)
      }
      return redirect(`${here}?notice=${duplicateOfId ? 'duplicate' : 'not_duplicate'}`)
    }
    default:
      return failed(fail(400, 'errors.bad_request'))
  }
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
  const locale = root?.locale ?? 'en'
  const zone = root?.timeZone ?? 'UTC'
  const here = `/questions/${question.id}`
  const formAction = `${questionPath(question)}${loaderData.page > 1 ? `?page=${loaderData.page}` : ''}`

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
          lastResult={action?.intent === 'answer' || action?.intent === 'preview' ? action.result : undefined}
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
}: {
  lastResult: import('@conform-to/react').SubmissionResult<string[]> | undefined
  preview: string | null
  formAction: string
  submissionKey: string | null
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'answer',
    lastResult,
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
  return (
    <section className="stack">
      <h2>{t('qa.answers.yours')}</h2>
      <Form
        method="post"
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
        <MarkdownField
          label={t('qa.answers.body_label')}
          errors={fields.body.errors}
          textareaProps={getTextareaProps(fields.body)}
          previewHtml={preview}
        />
        <button type="submit" name="intent" value="answer" className="button">
          {t('qa.answers.submit')}
        </button>
      </Form>
    </section>
  )
}
