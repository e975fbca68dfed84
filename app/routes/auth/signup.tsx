import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { useEffect, useState } from 'react'
import { data, Form, Link, useSearchParams } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { SsoButtons } from '#app/components/identity/sso-buttons.tsx'
import { useT } from '#app/components/translation.tsx'
import { SignupSchema } from '#app/domain/identity/schemas.ts'
import { enabledSsoProviders } from '#app/domain/identity/sso.server.ts'
import { signUp } from '#app/domain/identity/users.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireAnonymous } from '#app/server/auth.server.ts'
import { clientIpContext, getDb, localeContext } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/signup'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'identity.signup.title')

export async function loader({ context }: Route.LoaderArgs) {
  requireAnonymous(context)
  // A member whose company's product signs them in needs no password here: the same buttons as /login.
  return { ssoProviders: await enabledSsoProviders(getDb(context)) }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(SignupSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), { schema: SignupSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  const locale = context.get(localeContext)
  const input = submission.value
  const outcome = await signUp(getDb(context), {
    // Without JavaScript the browser's zone is unknown; Japanese readers most likely live in Japan.
    input: { ...input, locale, timeZone: input.timeZone || (locale === 'ja' ? 'Asia/Tokyo' : 'UTC') },
    ip: context.get(clientIpContext),
  })
  if (!outcome.ok) return failureResponse(context, outcome, submission, { hideFields: ['password'] })
  // The same answer for a new and an already registered address: what happens next is in the email.
  return { result: submission.reply({ resetForm: true }), sentTo: input.email }
}

export default function Signup({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const sentTo = actionData && 'sentTo' in actionData ? actionData.sentTo : null
  const [searchParams] = useSearchParams()
  const [timeZone, setTimeZone] = useState('')
  useEffect(() => setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone), [])
  const [form, fields] = useForm({
    id: 'signup',
    lastResult: actionData?.result,
    constraint: getZodConstraint(SignupSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  if (sentTo) {
    return (
      <section className="narrow stack" aria-labelledby="check-email">
        <h1 id="check-email">{t('identity.signup.check_title')}</h1>
        <p className="notice" role="status">
          {t('identity.signup.check_body', { email: sentTo })}
        </p>
        <p>{t('identity.signup.check_hint')}</p>
        <p>
          <Link to="/login">{t('nav.sign_in')}</Link>
        </p>
      </section>
    )
  }
  return (
    <section className="narrow stack">
      <h1>{t('identity.signup.title')}</h1>
      <p className="lead">{t('identity.signup.lead')}</p>
      <SsoButtons providers={loaderData.ssoProviders} redirectTo={searchParams.get('redirectTo') ?? '/'} />
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
        <input type="hidden" name="timeZone" value={timeZone} />
        <Field
          label={t('identity.email')}
          errors={fields.email.errors}
          inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }}
        />
        <Field
          label={t('identity.display_name')}
          hint={t('identity.display_name_hint')}
          errors={fields.displayName.errors}
          inputProps={{ ...getInputProps(fields.displayName, { type: 'text' }), autoComplete: 'nickname' }}
        />
        <Field
          label={t('identity.password')}
          hint={t('identity.password_hint')}
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'new-password' }}
        />
        <button type="submit" className="button">
          {t('identity.signup.submit')}
        </button>
      </Form>
      <p>
        {t('identity.signup.have_account')} <Link to="/login">{t('nav.sign_in')}</Link>
      </p>
    </section>
  )
}
