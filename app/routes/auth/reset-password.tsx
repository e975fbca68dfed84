import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { useT } from '#app/components/translation.tsx'
import { ResetPasswordSchema } from '#app/domain/identity/schemas.ts'
import { isResetTokenValid, resetPassword } from '#app/domain/identity/users.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/reset-password'

export const meta: Route.MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'identity.reset.title'),
  // Never to another site; same-origin posts still carry their Origin (no-referrer would make it
  // "null", which the cross-origin check refuses).
  { name: 'referrer', content: 'same-origin' },
]

export async function loader({ params, context }: Route.LoaderArgs) {
  return { valid: await isResetTokenValid(getDb(context), params.token) }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(ResetPasswordSchema)

export async function action({ request, params, context }: Route.ActionArgs) {
  const formData = await readForm({ request, context }, { fields: FIELDS })
  formData.set('token', params.token)
  const submission = parseWithZod(formData, { schema: ResetPasswordSchema })
  const hideFields = ['password', 'confirm', 'token']
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields }) }, { status: 400 })
  const outcome = await resetPassword(getDb(context), submission.value)
  if (!outcome.ok) return failureResponse(context, outcome, submission, { hideFields })
  return redirect('/login?reset=1')
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const [form, fields] = useForm<{ password: string; confirm: string }>({
    id: 'reset-password',
    lastResult: actionData?.result,
    constraint: getZodConstraint(ResetPasswordSchema),
    shouldValidate: 'onBlur',
  })
  if (!loaderData.valid) {
    return (
      <section className="narrow stack">
        <h1>{t('identity.reset.invalid_title')}</h1>
        <p>{t('identity.reset_link_invalid')}</p>
        <p>
          <Link to="/forgot-password">{t('identity.reset.request_new')}</Link>
        </p>
      </section>
    )
  }
  return (
    <section className="narrow stack">
      <h1>{t('identity.reset.title')}</h1>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          label={t('identity.new_password')}
          hint={t('identity.password_hint')}
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password' }}
        />
        <Field
          label={t('identity.confirm_password')}
          errors={fields.confirm.errors}
          inputProps={{ ...getInputProps(fields.confirm, { type: 'password' }), autoComplete: 'new-password' }}
        />
        <button type="submit" className="button">
          {t('identity.reset.submit')}
        </button>
      </Form>
    </section>
  )
}
