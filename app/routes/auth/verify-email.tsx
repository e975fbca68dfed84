import { data, Form, Link, redirect } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { confirmEmailAndSignIn, readEmailToken } from '#app/domain/identity/email-verification.server.ts'
import { invalidateSession, sessionCookie } from '#app/domain/identity/sessions.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { secureCookies } from '#app/lib/security.server.ts'
import { getDb, sessionContext } from '#app/server/context.ts'
import { failureMessage } from '#app/server/http.server.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/verify-email'

export const meta: Route.MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'identity.verify.title'),
  // The token is in the address: no page it links to may learn it.
  // Never to another site; same-origin posts still carry their Origin (no-referrer would make it
  // "null", which the cross-origin check refuses).
  { name: 'referrer', content: 'same-origin' },
]

/** Shows what the link confirms. Opening it changes nothing (mail scanners open links): the button
 *  does. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const check = await readEmailToken(getDb(context), params.token)
  return { check, signedIn: !!context.get(sessionContext) }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  await readForm({ request, context }, { fields: [] })
  const db = getDb(context)
  const outcome = await confirmEmailAndSignIn(db, { token: params.token })
  if (!outcome.ok) return data({ error: failureMessage(context, outcome) }, { status: outcome.status })
  // Whoever this browser was signed in as, it is now the owner of the address.
  const previous = context.get(sessionContext)
  if (previous) await invalidateSession(db, previous.sessionId)
  const to = outcome.value.purpose === 'change' ? '/settings?saved=email' : '/?welcome=1'
  return redirect(to, {
    headers: { 'Set-Cookie': sessionCookie(outcome.value.token, outcome.value.session.expiresAt, secureCookies()) },
  })
}

export default function VerifyEmail({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { check, signedIn } = loaderData
  const error = actionData?.error
  if (!check || error) {
    return (
      <section className="narrow stack" aria-labelledby="verify-title">
        <h1 id="verify-title">{t('identity.verify.invalid_title')}</h1>
        <p role={error ? 'alert' : undefined}>{error ?? t('identity.verify.link_invalid')}</p>
        <p>{signedIn ? t('identity.verify.invalid_signed_in') : t('identity.verify.invalid_signed_out')}</p>
        <p>
          <Link to={signedIn ? '/settings' : '/login'}>{signedIn ? t('nav.settings') : t('nav.sign_in')}</Link>
        </p>
      </section>
    )
  }
  return (
    <section className="narrow stack" aria-labelledby="verify-title">
      <h1 id="verify-title">{t('identity.verify.title')}</h1>
      <p>
        {t(check.purpose === 'change' ? 'identity.verify.confirm_change' : 'identity.verify.confirm_lead', {
          email: check.email,
          name: check.displayName,
        })}
      </p>
      <Form method="post">
        <button type="submit" className="button">
          {t('identity.verify.confirm')}
        </button>
      </Form>
    </section>
  )
}
