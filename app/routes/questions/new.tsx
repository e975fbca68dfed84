import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { useEffect, useState } from 'react'
import { data, Form, redirect, useFetcher } from 'react-router'
import { DraftControls, DraftNotice, draftReplyOf, useDraft } from '#app/components/editor/draft-controls.tsx'
import { Field, FormErrors, OneTimeKeyField } from '#app/components/forms.tsx'
import { MarkdownField } from '#app/components/qa/markdown-field.tsx'
import { type SimilarQuestion, SimilarQuestions } from '#app/components/qa/similar-questions.tsx'
import { TagField } from '#app/components/qa/tag-field.tsx'
import { useT } from '#app/components/translation.tsx'
import { VerifyFirstNotice } from '#app/components/verify-email-banner.tsx'
import { loadDraft } from '#app/domain/drafts/drafts.server.ts'
import { draftKey, withDraft } from '#app/domain/drafts/forms.ts'
import { previewMarkdown } from '#app/domain/qa/preview.server.ts'
import { askQuestion } from '#app/domain/qa/questions.server.ts'
import { BODY_MAX, QuestionSchema } from '#app/domain/qa/schemas.ts'
import { similarQuestions } from '#app/domain/qa/similar.server.ts'
import { MAX_TAGS } from '#app/domain/qa/tags.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { questionPath } from '#app/lib/paths.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { draftIntent } from '#app/server/drafts.server.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { attachmentRefusal, fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/new'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'qa.ask.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const draft = await loadDraft(getDb(context), { user, formKey: ASK_DRAFT })
  return { submissionKey: await issueOneTimeKey(getDb(context), user), draft }
}

/** The member's draft of this form (docs/decisions/040). */
const ASK_DRAFT = draftKey('question')

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(QuestionSchema), 'intent', ONE_TIME_KEY_FIELD]

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS, attach: { to: 'body' } })
  const refusal = attachmentRefusal(formData)
  if (refusal) return failureResponse(context, refusal, parseWithZod(formData, { schema: QuestionSchema }))
  const drafted = await draftIntent({ context, db, user, formData, formKey: ASK_DRAFT })
  if (drafted) return drafted
  const submission = parseWithZod(formData, { schema: QuestionSchema })
  if (formData.get('intent') === 'preview') {
    // Preview renders what was typed, valid or not, and shows questions that may already answer it.
    const body = String(formData.get('body') ?? '').slice(0, BODY_MAX)
    const title = String(formData.get('title') ?? '').slice(0, 200)
    const preview = await previewMarkdown(db, user, body, { linkMentions: true })
    if (!preview.ok) return failureResponse(context, preview, submission)
    return {
      result: submission.reply(),
      preview: preview.value,
      similar:
        title.trim().length >= 3 ? await similarQuestions(db, { text: title, locale: context.get(localeContext) }) : [],
    }
  }
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), preview: null, similar: [] }, { status: 400 })
  }
  const outcome = await sendOnce(
    db,
    user,
    formData,
    (once) => askQuestion(db, { user, input: submission.value, once }),
    {
      draft: ASK_DRAFT,
    },
  )
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(questionPath(outcome.value))
}

export default function AskQuestion({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const [form, fields] = useForm({
    id: 'ask-question',
    lastResult: actionData?.result,
    defaultValue: withDraft({ title: '', body: '', tags: '' }, loaderData.draft),
    constraint: getZodConstraint(QuestionSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: QuestionSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const draft = useDraft({
    formId: form.id,
    formKey: ASK_DRAFT,
    saved: loaderData.draft,
    reply: draftReplyOf(actionData),
  })
  const similar = useSimilarQuestions(
    String(fields.title.value ?? ''),
    actionData && 'similar' in actionData ? actionData.similar : [],
  )
  return (
    <div className="narrow stack">
      <h1>{t('qa.ask.title')}</h1>
      <p className="muted">{t('qa.ask.lead')}</p>
      <VerifyFirstNotice />
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="stack">
        <OneTimeKeyField value={loaderData.submissionKey} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <DraftNotice draft={draft} />
        <Field
          label={t('qa.fields.title')}
          hint={t('qa.ask.title_hint')}
          errors={fields.title.errors}
          inputProps={{ ...getInputProps(fields.title, { type: 'text' }), autoComplete: 'off' }}
        />
        <SimilarQuestions questions={similar} />
        <MarkdownField
          label={t('qa.fields.body')}
          errors={fields.body.errors}
          textareaProps={getTextareaProps(fields.body)}
          previewHtml={actionData && 'preview' in actionData ? actionData.preview : null}
          rows={12}
        />
        <TagField
          label={t('qa.fields.tags')}
          hint={t('qa.ask.tags_hint', { max: MAX_TAGS })}
          errors={fields.tags.errors}
          inputProps={{ ...getInputProps(fields.tags, { type: 'text' }), autoComplete: 'off' }}
        />
        <button type="submit" name="intent" value="ask" className="button">
          {t('qa.ask.submit')}
        </button>
        <DraftControls draft={draft} />
      </Form>
    </div>
  )
}

/** Similar questions for the title as it is typed (debounced); before JavaScript runs, the list the
 *  server sent with a preview. */
function useSimilarQuestions(title: string, fromServer: SimilarQuestion[]): SimilarQuestion[] {
  const fetcher = useFetcher<{ questions: SimilarQuestion[] }>()
  const [query, setQuery] = useState('')
  const { load } = fetcher
  useEffect(() => {
    const trimmed = title.trim()
    if (trimmed.length < 3 || trimmed === query) return
    const timer = setTimeout(() => {
      setQuery(trimmed)
      load(`/questions/similar?q=${encodeURIComponent(trimmed)}`)
    }, 300)
    return () => clearTimeout(timer)
  }, [title, query, load])
  return fetcher.data?.questions ?? fromServer
}
