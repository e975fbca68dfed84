import { redirect } from 'react-router'
import { invalidateSession, sessionCookie } from '#app/domain/identity/sessions.server.ts'
import { clearSsoStateCookie, finishSsoSignIn, SSO_STATE_COOKIE } from '#app/domain/identity/sso.server.ts'
import { ssoLoginError } from '#app/domain/identity/sso-schemas.ts'
import { readCookie } from '#app/lib/cookies.ts'
import { secureCookies } from '#app/lib/security.server.ts'
import { getDb, localeContext, sessionContext } from '#app/server/context.ts'
import type { Route } from './+types/sso-callback'

/** The provider sends the browser back here with the code. Every refusal (an unknown or disabled
 *  provider too) goes to the sign-in page with its reason in words; the state cookie is spent either way. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const secure = secureCookies()
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  headers.append('Set-Cookie', clearSsoStateCookie(secure))
  const db = getDb(context)
  const outcome = await finishSsoSignIn(db, {
    slug: params.slug,
    search: new URL(request.url).search.slice(1),
    cookieState: readCookie(request.headers.get('cookie'), SSO_STATE_COOKIE),
    locale: context.get(localeContext),
  })
  if (!outcome.ok) return redirect(`/login?sso_error=${ssoLoginError(outcome.code)}`, { headers })
  // Signing in again (as anyone) ends the session the browser carried: one session per sign-in.
  const previous = context.get(sessionContext)
  if (previous) await invalidateSession(db, previous.sessionId)
  headers.append('Set-Cookie', sessionCookie(outcome.value.token, outcome.value.session.expiresAt, secure))
  return redirect(outcome.value.returnTo, { headers })
}
