import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect, useSearchParams } from 'react-router'
import { Field, FormErrors } from '#app/components/forms.tsx'
import { SsoButtons } from '#app/components/identity/sso-buttons.tsx'
import { useT } from '#app/components/translation.tsx'
import { DEVICE_COOKIE, deviceCookie } from '#app/domain/identity/devices.server.ts'
import { LoginSchema } from '#app/domain/identity/schemas.ts'
import { invalidateSession, sessionCookie } from '#app/domain/identity/sessions.server.ts'
import { enabledSsoProviders } from '#app/domain/identity/sso.server.ts'
import { parseSsoLoginError } from '#app/domain/identity/sso-schemas.ts'
import { signIn } from '#app/domain/identity/users.server.ts'
import { readCookie } from '#app/lib/cookies.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { secureCookies } from '#app/lib/security.server.ts'
import { requireAnonymous, safeRedirect } from '#app/server/auth.server.ts'
import { clientIpContext, getDb, sessionContext } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/login'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'identity.login.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  requireAnonymous(context)
  return {
    ssoProviders: await enabledSsoProviders(getDb(context)),
    ssoError: parseSsoLoginError(new URL(request.url).searchParams.get('sso_error')),
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(LoginSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), { schema: LoginSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  const { email, password, redirectTo } = submission.value
  const outcome = await signIn(getDb(context), {
    email,
    password,
    ip: context.get(clientIpContext),
    deviceToken: readCookie(request.headers.get('cookie'), DEVICE_COOKIE),
  })
  if (!outcome.ok) return failureResponse(context, outcome, submission, { hideFields: ['password'] })
  // Signing in again (as anyone) ends the session the browser carried: one session per sign-in.
  const previous = context.get(sessionContext)
  if (previous) await invalidateSession(getDb(context), previous.sessionId)
  const headers = new Headers()
  headers.append('Set-Cookie', sessionCookie(outcome.value.token, outcome.value.session.expiresAt, secureCookies()))
  headers.append('Set-Cookie', deviceCookie(outcome.value.deviceToken, secureCookies()))
  return redirect(safeRedirect(redirectTo), { headers })
}

export default function Login({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const [searchParams] = useSearchParams()
  const [form, fields] = useForm({
    id: 'login',
    lastResult: actionData?.result,
    constraint: getZodConstraint(LoginSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="narrow stack">
      <h1>{t('identity.login.title')}</h1>
      {searchParams.get('reset') === '1' ? (
        <p className="notice" role="status">
          {t('identity.login.reset_done')}
        </p>
      ) : null}
      <SsoButtons
        providers={loaderData.ssoProviders}
        redirectTo={searchParams.get('redirectTo') ?? '/'}
        error={loaderData.ssoError}
      />
      {loaderData.ssoProviders.length > 0 ? <h2>{t('sso.or_password')}</h2> : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
        <Field
          label={t('identity.email')}
          errors={fields.email.errors}
          inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'username' }}
        />
        <Field
          label={t('identity.password')}
          errors={fields.password.errors}
          inputProps={{ ...getInputProps(fields.password, { type: 'password' }), autoComplete: 'current-password' }}
        />
        <button type="submit" className="button">
          {t('identity.login.submit')}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t('identity.login.forgot')}</Link>
      </p>
      <p>
        {t('identity.login.no_account')} <Link to="/signup">{t('nav.sign_up')}</Link>
      </p>
    </section>
  )
}
