import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { useId } from 'react'
import { data, Form, Link, redirect } from 'react-router'
import { Field, FormErrors, SelectField, TextareaField } from '#app/components/forms.tsx'
import {
  ContactSuggestions,
  OPEN_FORM_ID,
  SOLVED_FORM_ID,
  useContactSuggestions,
} from '#app/components/support/suggestions.tsx'
import { useT } from '#app/components/translation.tsx'
import { VerifyFirstNotice } from '#app/components/verify-email-banner.tsx'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import {
  findAttempt,
  issueAttemptKey,
  markSolved,
  suggestForAttempt,
  suggestionsSeenFor,
} from '#app/domain/support/attempts.server.ts'
import { productAreas, ticketUrgencies } from '#app/domain/support/options.ts'
import { ContactSchema, DESCRIPTION_MAX, SUBJECT_MAX, SuggestionActionSchema } from '#app/domain/support/schemas.ts'
import type { Suggestion } from '#app/domain/support/suggestions.ts'
import { fileTicket } from '#app/domain/support/tickets.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/new'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'support.new.title')

/** Every visit to the form starts a new attempt key; the attempt row itself is written only once the
 *  member types a subject (suggestions) or sends the form. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const solved = new URL(request.url).searchParams.get('solved') === '1'
  return { attempt: await issueAttemptKey(getDb(context), user), solved }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(ContactSchema, SuggestionActionSchema), 'intent']

/** What each form's handler gets: the member writing to support. */
type ContactIntent = IntentArgs<{ user: SessionUser }>

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  return dispatchIntent({ context, db, user, formData }, { solved: handleSolved }, handleContact)
}

/** "This answered it": a suggestion solved the question, and no request is sent. */
async function handleSolved({ context, db, user, formData }: ContactIntent) {
  const parsed = SuggestionActionSchema.safeParse(Object.fromEntries(formData))
  const outcome = parsed.success
    ? await markSolved(db, { user, key: parsed.data.attempt, doc: parsed.data.doc })
    : fail(400, 'support.errors.suggestion_invalid')
  if (!outcome.ok) return failureResponse(context, outcome)
  return redirect('/support/new?solved=1', 303)
}

/** The request itself (any intent but `solved`). */
async function handleContact({ context, db, user, formData }: ContactIntent) {
  const submission = parseWithZod(formData, { schema: ContactSchema })
  const attemptKey = String(formData.get('attempt') ?? '')
  const subject = String(formData.get('subject') ?? '')
    .trim()
    .slice(0, SUBJECT_MAX)
  if (submission.status !== 'success') {
    // Whatever else is missing, a subject is enough to show what may already answer it.
    const shown = subject ? await suggestForAttempt(db, { user, key: attemptKey, q: subject }) : null
    return data(
      { result: submission.reply(), suggestions: shown?.ok ? shown.value.suggestions : null, confirm: false },
      { status: 400 },
    )
  }
  const input = submission.value
  if (!input.confirmed && !suggestionsSeenFor(await findAttempt(db, user, input.attempt), input.subject)) {
    // Without JavaScript the member has not seen the suggestions for this subject yet: show them first,
    // and send the request on the next click only if none of them helped.
    const shown = await suggestForAttempt(db, { user, key: input.attempt, q: input.subject })
    if (!shown.ok) return failureResponse(context, shown, submission)
    if (shown.value.suggestions.length) {
      return { result: submission.reply(), suggestions: shown.value.suggestions, confirm: true }
    }
  }
  const outcome = await fileTicket(db, { user, input })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(`/support/tickets/${outcome.value.ticket.id}?sent=1`, 303)
}

export default function ContactSupport({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const headingId = useId()
  const lastResult = actionData && 'result' in actionData ? actionData.result : undefined
  // The key of this use of the form: the one the server saw last, so a re-shown form stays the same attempt.
  const attempt = String(lastResult?.initialValue?.attempt ?? loaderData.attempt)
  const [form, fields] = useForm({
    id: `contact-${attempt}`,
    lastResult,
    constraint: getZodConstraint(ContactSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ContactSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    defaultValue: { attempt, urgency: 'normal' },
  })
  const fromServer = actionData && 'suggestions' in actionData ? actionData.suggestions : null
  const suggestions: Suggestion[] = useContactSuggestions(String(fields.subject.value ?? ''), attempt, fromServer)
  const confirm = !!(actionData && 'confirm' in actionData && actionData.confirm)

  if (loaderData.solved) return <Solved />

  return (
    <div className="narrow stack">
      <h1>{t('support.new.title')}</h1>
      <p className="lead">{t('support.new.lead')}</p>
      <VerifyFirstNotice />
      {confirm ? (
        <div className="notice" role="status">
          {t('support.new.confirm_notice')}
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="attempt" value={attempt} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          label={t('support.fields.subject')}
          hint={t('support.new.subject_hint')}
          errors={fields.subject.errors}
          inputProps={{ ...getInputProps(fields.subject, { type: 'text' }), autoComplete: 'off' }}
        />
        {suggestions.length ? (
          <ContactSuggestions suggestions={suggestions} attempt={attempt} headingId={headingId} />
        ) : null}
        <SelectField
          label={t('support.fields.product_area')}
          errors={fields.productArea.errors}
          selectProps={getSelectProps(fields.productArea)}
          options={[
            { value: '', label: t('support.fields.choose') },
            ...productAreas.map((area) => ({ value: area, label: t(`support.area.${area}`) })),
          ]}
        />
        <SelectField
          label={t('support.fields.urgency')}
          errors={fields.urgency.errors}
          selectProps={getSelectProps(fields.urgency)}
          options={ticketUrgencies.map((urgency) => ({ value: urgency, label: t(`support.urgency.${urgency}`) }))}
        />
        <TextareaField
          label={t('support.fields.description')}
          hint={t('support.new.description_hint', { max: DESCRIPTION_MAX.toLocaleString() })}
          errors={fields.description.errors}
          textareaProps={{ ...getTextareaProps(fields.description), rows: 8 }}
        />
        <div className="toolbar">
          {confirm ? (
            <button type="submit" name="confirmed" value="1" className="button">
              {t('support.new.send_anyway')}
            </button>
          ) : (
            <button type="submit" className="button">
              {t('support.new.send')}
            </button>
          )}
          <Link to="/support/tickets">{t('support.tickets.title')}</Link>
        </div>
      </Form>
      <Form method="post" id={SOLVED_FORM_ID} hidden>
        <input type="hidden" name="intent" value="solved" />
        <input type="hidden" name="attempt" value={attempt} />
      </Form>
      {/* A plain form: the browser opens its answer (a redirect to the content) in a new tab. */}
      <form method="post" action="/support/open" target="_blank" id={OPEN_FORM_ID} hidden rel="noopener">
        <input type="hidden" name="attempt" value={attempt} />
      </form>
    </div>
  )
}

function Solved() {
  const { t } = useT()
  return (
    <div className="narrow stack">
      <h1>{t('support.solved.title')}</h1>
      <p className="notice" role="status">
        {t('support.solved.body')}
      </p>
      <ul className="support-links">
        <li>
          <Link to="/help">{t('support.solved.help')}</Link>
        </li>
        <li>
          <Link to="/support/new">{t('support.solved.new_request')}</Link>
        </li>
      </ul>
    </div>
  )
}
