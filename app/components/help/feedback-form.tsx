import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { Form } from 'react-router'
import { ErrorList, FormErrors } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { FeedbackSchema } from '#app/domain/help/schemas.ts'

type FeedbackFormProps = {
  /** The reader's current answer, or null before they answer. */
  current: { helpful: boolean; comment: string | null } | null
  lastResult?: SubmissionResult<string[]>
  /** True right after an answer was saved: the thanks is announced. */
  saved?: boolean
}

/** "Was this article helpful?" under an article. Yes and No are the form's submit buttons, so it works
 *  without JavaScript; the comment typed beside them goes with the answer. Once answered, the buttons
 *  show the answer (which can be changed) and "Send comment" adds a comment to the same answer. An
 *  empty comment keeps the one sent earlier, so the textarea starts empty. */
export function FeedbackForm({ current, lastResult, saved = false }: FeedbackFormProps) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'article-feedback',
    lastResult,
    constraint: getZodConstraint(FeedbackSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: FeedbackSchema }),
    shouldValidate: 'onSubmit',
  })
  const commentHintId = `${fields.comment.id}-hint`
  const describedBy = [current ? null : commentHintId, fields.comment.errors?.length ? fields.comment.errorId : null]
    .filter(Boolean)
    .join(' ')
  return (
    <section className="feedback-block panel" aria-labelledby="article-feedback-question">
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="feedback" />
        <h2 id="article-feedback-question" className="feedback-question">
          {t('help_insights.feedback.question')}
        </h2>
        <FormErrors id={form.errorId} errors={form.errors} />
        <div className="feedback-answers">
          <button
            type="submit"
            name={fields.helpful.name}
            value="yes"
            className="button button-small button-secondary feedback-answer"
            aria-pressed={current?.helpful === true}
          >
            {t('help_insights.feedback.yes')}
          </button>
          <button
            type="submit"
            name={fields.helpful.name}
            value="no"
            className="button button-small button-secondary feedback-answer"
            aria-pressed={current?.helpful === false}
          >
            {t('help_insights.feedback.no')}
          </button>
        </div>
        <ErrorList id={fields.helpful.errorId} errors={fields.helpful.errors} />
        <div role="status">
          {saved ? (
            <p className="notice">{t('help_insights.feedback.thanks')}</p>
          ) : current ? (
            <p className="muted">{t(`help_insights.feedback.answered_${current.helpful ? 'yes' : 'no'}`)}</p>
          ) : null}
        </div>
        {current?.comment ? (
          <p className="feedback-comment muted">
            {t('help_insights.feedback.your_comment', { comment: current.comment })}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={fields.comment.id}>
            {current ? t('help_insights.feedback.more_label') : t('help_insights.feedback.comment_label')}
          </label>
          <textarea {...getTextareaProps(fields.comment)} rows={3} aria-describedby={describedBy || undefined} />
          {current ? null : (
            <p id={commentHintId} className="field-hint">
              {t('help_insights.feedback.comment_hint')}
            </p>
          )}
          <ErrorList id={fields.comment.errorId} errors={fields.comment.errors} />
        </div>
        {current ? (
          <p>
            <button
              type="submit"
              name={fields.helpful.name}
              value={current.helpful ? 'yes' : 'no'}
              className="button button-small"
            >
              {t('help_insights.feedback.send_comment')}
            </button>
          </p>
        ) : null}
      </Form>
    </section>
  )
}
