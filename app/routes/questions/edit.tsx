import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { MarkdownField } from '#app/components/qa/markdown-field.tsx'
import { TagField } from '#app/components/qa/tag-field.tsx'
import { useT } from '#app/components/translation.tsx'
import { editAnswer, getAnswerForEdit } from '#app/domain/qa/answers.server.ts'
import { previewMarkdown } from '#app/domain/qa/preview.server.ts'
import { editQuestion, getQuestionForEdit } from '#app/domain/qa/questions.server.ts'
import { AnswerSchema, BODY_MAX, PostTypeSchema, QuestionSchema } from '#app/domain/qa/schemas.ts'
import { MAX_TAGS } from '#app/domain/qa/tags.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { answerPath, questionPath } from '#app/lib/paths.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import { attachmentRefusal, fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/edit'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  pageTitle(matches, loaderData?.postType === 'answer' ? 'qa.edit_answer.title' : 'qa.edit_question.title')

function postTypeParam(value: string | undefined): 'question' | 'answer' {
  const parsed = PostTypeSchema.safeParse(value)
  if (!parsed.success) throw data({ message: 'Not found' }, { status: 404 })
  return parsed.data
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const postType = postTypeParam(params.postType)
  const postId = intParam(params.postId)
  const db = getDb(context)
  if (postType === 'question') {
    const outcome = await getQuestionForEdit(db, { user, questionId: postId })
    if (!outcome.ok) throw failureResponse(context, outcome)
    const { id, title, bodyMd, tags } = outcome.value
    return { postType, question: { id, title }, values: { title, body: bodyMd, tags: tags.join(', ') } }
  }
  const outcome = await getAnswerForEdit(db, { user, answerId: postId })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return { postType, question: outcome.value.question, values: { title: '', body: outcome.value.bodyMd, tags: '' } }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(QuestionSchema, AnswerSchema), 'intent']

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const postType = postTypeParam(params.postType)
  const postId = intParam(params.postId)
  const db = getDb(context)
  // Who may edit comes before what was sent: someone else's post is refused whatever the input.
  const editable =
    postType === 'question'
      ? await getQuestionForEdit(db, { user, questionId: postId })
      : await getAnswerForEdit(db, { user, answerId: postId })
  if (!editable.ok) throw failureResponse(context, editable)
  const formData = await readForm({ request, context }, { fields: FIELDS, attach: { to: 'body' } })
  // Each kind parsed by its own schema, once: the parsed values (tags as a list) go straight to the domain.
  const submission =
    postType === 'question'
      ? ({ kind: 'question', parsed: parseWithZod(formData, { schema: QuestionSchema }) } as const)
      : ({ kind: 'answer', parsed: parseWithZod(formData, { schema: AnswerSchema }) } as const)
  const refusal = attachmentRefusal(formData)
  if (refusal) return failureResponse(context, refusal, submission.parsed)
  if (formData.get('intent') === 'preview') {
    const preview = await previewMarkdown(db, user, String(formData.get('body') ?? '').slice(0, BODY_MAX), {
      linkMentions: true,
    })
    if (!preview.ok) return failureResponse(context, preview, submission.parsed)
    return { result: submission.parsed.reply(), preview: preview.value }
  }
  if (submission.parsed.status !== 'success') {
    return data({ result: submission.parsed.reply(), preview: null }, { status: 400 })
  }
  if (submission.kind === 'question') {
    const input = submission.parsed.value
    const outcome = await editQuestion(db, { user, questionId: postId, input })
    if (!outcome.ok) return failureResponse(context, outcome, submission.parsed)
    return redirect(questionPath(outcome.value))
  }
  const outcome = await editAnswer(db, { user, answerId: postId, input: submission.parsed.value })
  if (!outcome.ok) return failureResponse(context, outcome, submission.parsed)
  return redirect(answerPath({ id: outcome.value.questionId, title: outcome.value.questionTitle }, postId))
}

export default function EditPost({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const isQuestion = loaderData.postType === 'question'
  // Typed as the question form; an answer form simply has no title or tags.
  const schema = (isQuestion ? QuestionSchema : AnswerSchema) as typeof QuestionSchema
  const [form, fields] = useForm({
    id: `edit-${loaderData.postType}`,
    lastResult: actionData?.result,
    defaultValue: loaderData.values,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onBlur',
  })
  return (
    <div className="narrow stack">
      <h1>{isQuestion ? t('qa.edit_question.title') : t('qa.edit_answer.title')}</h1>
      {!isQuestion ? (
        <p>
          {t('qa.edit_answer.on')} <Link to={questionPath(loaderData.question)}>{loaderData.question.title}</Link>
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        {isQuestion ? (
          <Field
            label={t('qa.fields.title')}
            errors={fields.title.errors}
            inputProps={{ ...getInputProps(fields.title, { type: 'text' }), autoComplete: 'off' }}
          />
        ) : null}
        <MarkdownField
          label={t('qa.fields.body')}
          errors={fields.body.errors}
          textareaProps={getTextareaProps(fields.body)}
          previewHtml={actionData && 'preview' in actionData ? actionData.preview : null}
          rows={14}
        />
        {isQuestion ? (
          <TagField
            label={t('qa.fields.tags')}
            hint={t('qa.ask.tags_hint', { max: MAX_TAGS })}
            errors={fields.tags.errors}
            inputProps={{ ...getInputProps(fields.tags, { type: 'text' }), autoComplete: 'off' }}
          />
        ) : null}
        <div className="inline-actions">
          <button type="submit" name="intent" value="save" className="button">
            {t('qa.edit_save')}
          </button>
          <Link to={questionPath(loaderData.question)}>{t('common.cancel')}</Link>
        </div>
      </Form>
    </div>
  )
}
