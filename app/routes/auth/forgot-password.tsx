import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { ForgotPasswordSchema } from '#app/domain/identity/schemas.ts'
import { requestPasswordReset } from '#app/domain/identity/users.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { clientIpContext, getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/forgot-password'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'identity.forgot.title')

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(ForgotPasswordSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), {
    schema: ForgotPasswordSchema,
  })
  if (submission.status !== 'success') return data({ result: submission.reply(), sentTo: null }, { status: 400 })
  const outcome = await requestPasswordReset(getDb(context), {
    email: submission.value.email,
    ip: context.get(clientIpContext),
  })
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return { result: submission.reply({ resetForm: true }), sentTo: submission.value.email }
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const { t } = useT()
  const sentTo = actionData && 'sentTo' in actionData ? actionData.sentTo : null
  const [form, fields] = useForm({
    id: 'forgot-password',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ForgotPasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordSchema }),
    shouldValidate: 'onBlur',
  })
  return (
    <section className="narrow stack">
      <h1>{t('identity.forgot.title')}</h1>
      <p className="lead">{t('identity.forgot.lead')}</p>
      {sentTo ? (
        <p className="notice" role="status">
          {t('identity.forgot.sent', { email: sentTo })}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          label={t('identity.email')}
          errors={fields.email.errors}
          inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }}
        />
        <button type="submit" className="button">
          {t('identity.forgot.submit')}
        </button>
      </Form>
    </section>
  )
}
