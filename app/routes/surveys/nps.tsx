import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { isbot } from 'isbot'
import { data, Form, redirect } from 'react-router'
import { FormErrors, TextareaField } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import {
  answerNpsSurvey,
  commentNpsSurvey,
  type NpsSurveyView,
  npsAnswerPath,
  openNpsSurvey,
} from '#app/domain/retention/nps.server.ts'
import { NPS_COMMENT_MAX, NpsCommentSchema, parseNpsScore } from '#app/domain/retention/nps-schemas.ts'
import { pageTitle } from '#app/lib/meta.ts'
import type { Outcome } from '#app/lib/outcome.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage, failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/nps'
import './surveys.css'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'nps.page.title')

/** The token in the address is the credential: never cached, never indexed (the security headers send
 *  other sites the origin only, never the path). */
export function headers() {
  return { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' }
}

type PageState = 'answered' | 'confirm' | 'choose'

/** A link that no longer (or never did) name an open survey: a page saying so, with its status. */
function closedPage(context: Route.LoaderArgs['context'], outcome: Extract<Outcome<unknown>, { ok: false }>) {
  return data(
    { closed: failureMessage(context, outcome), state: null, view: null, chosen: null, saved: false },
    { status: outcome.status },
  )
}

/** `GET /surveys/nps/:token/:score`, the link in the email. A person's click records the score (or
 *  changes it) and thanks them; a link scanner (a bot's User-Agent) or a HEAD records nothing and gets
 *  the same page with a button that sends the answer. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const db = getDb(context)
  const token = params.token
  const chosen = parseNpsScore(params.score)
  const saved = new URL(request.url).searchParams.get('saved') === 'comment'
  const person = request.method === 'GET' && !isbot(request.headers.get('user-agent') ?? '')
  if (chosen !== null && person) {
    const outcome = await answerNpsSurvey(db, { token, score: chosen })
    if (!outcome.ok) return closedPage(context, outcome)
    return { closed: null, state: 'answered' as PageState, view: outcome.value, chosen, saved }
  }
  const outcome = await openNpsSurvey(db, { token })
  if (!outcome.ok) return closedPage(context, outcome)
  const view = outcome.value
  const state: PageState =
    chosen === null ? (view.score === null ? 'choose' : 'answered') : view.score === chosen ? 'answered' : 'confirm'
  return { closed: null, state, view, chosen, saved }
}

const FIELDS = [...fieldsOf(NpsCommentSchema), 'score', 'intent']

/** The page's two forms: `answer` (the eleven buttons, or "Send my answer") and `comment`. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const db = getDb(context)
  const token = params.token
  const formData = await readForm({ request, context }, { fields: FIELDS })
  if (formData.get('intent') === 'comment') {
    const submission = parseWithZod(formData, { schema: NpsCommentSchema })
    if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
    const outcome = await commentNpsSurvey(db, { token, comment: submission.value.comment })
    if (!outcome.ok) {
      if (outcome.code === 'nps.invalid_link') throw failureResponse(context, outcome)
      return failureResponse(context, outcome, submission)
    }
    return redirect(`${npsAnswerPath(token, outcome.value.score ?? 0)}?saved=comment#comment-title`)
  }
  const score = parseNpsScore(String(formData.get('score') ?? ''))
  const outcome = await answerNpsSurvey(db, { token, score })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return redirect(npsAnswerPath(token, score!))
}

export default function NpsAnswerPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  if (loaderData.closed !== null) {
    return (
      <div className="narrow stack">
        <h1>{t('nps.page.closed_title')}</h1>
        <p className="notice" role="alert">
          {loaderData.closed}
        </p>
      </div>
    )
  }
  const { state, view, chosen, saved } = loaderData as {
    state: PageState
    view: NpsSurveyView
    chosen: number | null
    saved: boolean
  }
  const product = view.productName || t('app.name')
  return (
    <div className="narrow stack nps-page">
      <h1>{t('nps.page.question', { product })}</h1>
      {state === 'answered' && view.score !== null ? (
        <p className="notice" role="status">
          {t('nps.page.thanks', { score: view.score })}
        </p>
      ) : null}
      {state === 'confirm' && chosen !== null ? (
        <Form method="post" className="stack">
          <p>{t('nps.page.confirm', { score: chosen })}</p>
          <input type="hidden" name="intent" value="answer" />
          <input type="hidden" name="score" value={chosen} />
          <p>
            <button type="submit" className="button">
              {t('nps.page.send')}
            </button>
          </p>
        </Form>
      ) : null}
      {state === 'choose' ? <p>{t('nps.page.unanswered')}</p> : null}
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="answer" />
        <fieldset className="nps-scale">
          <legend>{view.score === null ? t('nps.page.title') : t('nps.page.change')}</legend>
          <div className="nps-buttons">
            {Array.from({ length: 11 }, (_, score) => (
              <button
                // biome-ignore lint/suspicious/noArrayIndexKey: the score is the button.
                key={score}
                type="submit"
                name="score"
                value={score}
                className={
                  view.score === score ? 'button nps-button nps-current' : 'button button-secondary nps-button'
                }
                aria-pressed={view.score === score}
                aria-label={t('nps.page.score_label', { score })}
              >
                {score}
              </button>
            ))}
          </div>
          <p className="nps-ends">
            <span>{t('nps.page.not_likely')}</span>
            <span>{t('nps.page.very_likely')}</span>
          </p>
        </fieldset>
      </Form>
      {view.score !== null && state === 'answered' ? (
        <CommentForm
          key={view.comment ?? ''}
          comment={view.comment}
          saved={saved}
          lastResult={
            actionData && 'result' in actionData ? (actionData.result as SubmissionResult<string[]>) : undefined
          }
        />
      ) : null}
    </div>
  )
}

function CommentForm({
  comment,
  saved,
  lastResult,
}: {
  comment: string | null
  saved: boolean
  lastResult: SubmissionResult<string[]> | undefined
}) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'nps-comment',
    lastResult,
    constraint: getZodConstraint(NpsCommentSchema),
    defaultValue: { comment: comment ?? '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NpsCommentSchema }),
    shouldValidate: 'onSubmit',
  })
  return (
    <section className="panel stack" aria-labelledby="comment-title">
      <h2 id="comment-title">{t('nps.page.comment_title')}</h2>
      {saved ? (
        <p className="notice" role="status">
          {t('nps.page.comment_saved')}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="comment" />
        <FormErrors id={form.errorId} errors={form.errors} />
        <TextareaField
          label={t('nps.page.comment_label')}
          hint={t('nps.page.comment_hint')}
          errors={fields.comment.errors}
          textareaProps={{ ...getTextareaProps(fields.comment), rows: 4, maxLength: NPS_COMMENT_MAX + 500 }}
        />
        <p>
          <button type="submit" className="button">
            {t('nps.page.comment_send')}
          </button>
        </p>
      </Form>
    </section>
  )
}
