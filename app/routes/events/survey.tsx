import { getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { ErrorList, FormErrors } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { SurveySchema } from '#app/domain/events/schemas.ts'
import { answerSurvey, getSurveyForm, surveyPath } from '#app/domain/events/surveys.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage, failureResponse, intParam } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/survey'

const ratings = ['1', '2', '3', '4', '5'] as const
const scores = Array.from({ length: 11 }, (_, score) => String(score))

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'events_followup.survey.title')

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const eventId = intParam(params.eventId)
  const outcome = await getSurveyForm(getDb(context), { user, eventId })
  if (outcome.ok) return { eventId, closed: null, ...outcome.value }
  // Before the end the page explains when the survey opens, rather than showing an error page.
  if (outcome.status === 409) {
    return data({ eventId, closed: failureMessage(context, outcome), event: null, answer: null }, { status: 409 })
  }
  throw failureResponse(context, outcome)
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(SurveySchema)

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const eventId = intParam(params.eventId)
  const db = getDb(context)
  // Whether this member may answer comes before what was sent (only those who attended may).
  const form = await getSurveyForm(db, { user, eventId })
  if (!form.ok && form.status !== 409) throw failureResponse(context, form)
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), { schema: SurveySchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await answerSurvey(db, { user, eventId, input: submission.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(surveyPath(eventId))
}

export default function EventSurvey({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { event, answer, closed, eventId } = loaderData
  const [form, fields] = useForm({
    id: 'event-survey',
    lastResult: actionData?.result,
    constraint: getZodConstraint(SurveySchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SurveySchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  const back = (
    <p>
      <Link to={`/events/${eventId}`}>{t('events_followup.back_to_event')}</Link>
    </p>
  )

  if (!event) {
    return (
      <div className="stack narrow">
        <h1>{t('events_followup.survey.closed_title')}</h1>
        <p className="banner">{closed}</p>
        {back}
      </div>
    )
  }

  const heading = (
    <>
      <h1>{t('events_followup.survey.heading', { title: event.title })}</h1>
      <p className="muted">
        <time dateTime={new Date(event.startsAt).toISOString()}>
          {t('events_followup.survey.held', { time: formatDateTime(event.startsAt, locale, timeZone) })}
        </time>
      </p>
    </>
  )

  if (answer) {
    return (
      <div className="stack narrow">
        {heading}
        <section className="panel stack" aria-labelledby="survey-thanks-title">
          <h2 id="survey-thanks-title">{t('events_followup.survey.thanks_title')}</h2>
          <p>{t('events_followup.survey.thanks')}</p>
          <dl className="facts">
            <dt>{t('events_followup.survey.your_rating')}</dt>
            <dd>{t(`events_followup.survey.ratings.${answer.rating}`)}</dd>
            <dt>{t('events_followup.survey.your_nps')}</dt>
            <dd>{t('events_followup.survey.nps_value', { score: answer.nps })}</dd>
            {answer.comment ? (
              <>
                <dt>{t('events_followup.survey.your_comment')}</dt>
                <dd className="survey-comment">{answer.comment}</dd>
              </>
            ) : null}
          </dl>
          <p className="muted">
            {t('events_followup.survey.answered_on', { time: formatDateTime(answer.createdAt, locale, timeZone) })}
          </p>
        </section>
        {back}
      </div>
    )
  }

  const ratingError = fields.rating.errors?.length ? fields.rating.errorId : undefined
  const npsError = fields.nps.errors?.length ? fields.nps.errorId : undefined
  return (
    <div className="stack narrow">
      {heading}
      <p className="lead">{t('events_followup.survey.lead')}</p>
      <Form method="post" {...getFormProps(form)} className="panel stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset className="survey-question" aria-describedby={ratingError}>
          <legend>{t('events_followup.survey.rating_legend')}</legend>
          <div className="survey-ratings">
            {ratings.map((rating) => (
              <label key={rating} className="choice">
                <input
                  type="radio"
                  name={fields.rating.name}
                  value={rating}
                  defaultChecked={fields.rating.initialValue === rating}
                  aria-invalid={ratingError ? true : undefined}
                />{' '}
                {t(`events_followup.survey.ratings.${rating}`)}
              </label>
            ))}
          </div>
          <ErrorList id={fields.rating.errorId} errors={fields.rating.errors} />
        </fieldset>

        <fieldset
          className="survey-question"
          aria-describedby={['survey-nps-low', 'survey-nps-high', npsError].filter(Boolean).join(' ')}
        >
          <legend>{t('events_followup.survey.nps_legend')}</legend>
          <div className="survey-scale">
            {scores.map((score) => (
              <label key={score} className="survey-scale-option">
                <input
                  type="radio"
                  name={fields.nps.name}
                  value={score}
                  defaultChecked={fields.nps.initialValue === score}
                  aria-invalid={npsError ? true : undefined}
                />
                <span>{score}</span>
              </label>
            ))}
          </div>
          <div className="survey-scale-ends">
            <span id="survey-nps-low">{t('events_followup.survey.nps_low')}</span>
            <span id="survey-nps-high">{t('events_followup.survey.nps_high')}</span>
          </div>
          <ErrorList id={fields.nps.errorId} errors={fields.nps.errors} />
        </fieldset>

        <div className="field">
          <label htmlFor={fields.comment.id}>{t('events_followup.survey.comment')}</label>
          <textarea
            {...getTextareaProps(fields.comment)}
            rows={5}
            aria-describedby={fields.comment.errors?.length ? fields.comment.errorId : undefined}
          />
          <ErrorList id={fields.comment.errorId} errors={fields.comment.errors} />
        </div>
        <p>
          <button type="submit" className="button">
            {t('events_followup.survey.submit')}
          </button>
        </p>
      </Form>
      {back}
    </div>
  )
}
