import { data, Form, Link, redirect } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { resendVerification } from '#app/domain/identity/email-verification.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser, requireUser, safeRedirect } from '#app/server/auth.server.ts'
import { clientIpContext, getDb } from '#app/server/context.ts'
import { failureInit, failureMessage, failureResponse } from '#app/server/http.server.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/verify-email-resend'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'identity.verify.title')

/** Where the banner's button posts; opened on its own it says where the member stands. */
export function loader({ context }: Route.LoaderArgs) {
  const user = getOptionalUser(context)
  return { user: user ? { email: user.email, emailVerified: user.emailVerified } : null }
}

/** The banner's "send the link again": back to where the member was, with a notice; too many, and this
 *  page says when to try again. */
export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const form = await readForm({ request, context }, { fields: ['redirectTo'] })
  const back = safeRedirect(form.get('redirectTo'), '/settings')
  const outcome = await resendVerification(getDb(context), { user, ip: context.get(clientIpContext) })
  if (!outcome.ok) {
    if (outcome.status !== 429) throw failureResponse(context, outcome)
    return data({ error: failureMessage(context, outcome), back }, failureInit(context, outcome))
  }
  const to = new URL(back, 'http://same-site.invalid')
  to.searchParams.set('verification', outcome.value.sent ? 'sent' : 'done')
  return redirect(`${to.pathname}${to.search}`)
}

export default function ResendVerification({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { user } = loaderData
  return (
    <section className="narrow stack" aria-labelledby="resend-title">
      <h1 id="resend-title">{t('identity.verify.title')}</h1>
      {actionData?.error ? (
        <p className="form-errors" role="alert">
          {actionData.error}
        </p>
      ) : null}
      {!user ? (
        <p>
          {t('identity.verify.invalid_signed_out')}{' '}
          <Link to="/login?redirectTo=%2Fverify-email">{t('nav.sign_in')}</Link>
        </p>
      ) : user.emailVerified ? (
        <p>{t('identity.verify.already', { email: user.email })}</p>
      ) : (
        <>
          <p>{t('identity.verify.banner_body', { email: user.email })}</p>
          {actionData?.error ? null : (
            <Form method="post">
              <input type="hidden" name="redirectTo" value="/verify-email" />
              <button type="submit" className="button">
                {t('identity.verify.send_again')}
              </button>
            </Form>
          )}
        </>
      )}
      {actionData?.back ? (
        <p>
          <Link to={actionData.back}>{t('common.back')}</Link>
        </p>
      ) : null}
    </section>
  )
}
