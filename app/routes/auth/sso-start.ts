import { redirect } from 'react-router'
import { ssoStateCookie, startSsoSignIn } from '#app/domain/identity/sso.server.ts'
import { ssoLoginError } from '#app/domain/identity/sso-schemas.ts'
import { secureCookies } from '#app/lib/security.server.ts'
import { safeRedirect } from '#app/server/auth.server.ts'
import { clientIpContext, getDb } from '#app/server/context.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/sso-start'

// "Sign in with <provider>": the sign-in page's button links here (GET; a form may POST, the same);
// the browser goes on to the provider with this attempt's state in a short cookie
// (app/domain/identity/sso.server.ts). Starting signs nobody in: only the browser holding the cookie
// can finish the attempt, so a start forced on someone else's browser leads nowhere.

async function start(args: Route.LoaderArgs | Route.ActionArgs, returnTo: string | null) {
  const { context, params } = args
  const outcome = await startSsoSignIn(getDb(context), {
    slug: params.slug,
    returnTo: safeRedirect(returnTo),
    ip: context.get(clientIpContext),
  })
  // No such provider (or a disabled one, or a button on a page older than the change): the sign-in page
  // says so, in words, where the other ways in are (this route is not a page, so a 404 would show bare).
  if (!outcome.ok) return redirect(`/login?sso_error=${ssoLoginError(outcome.code)}`)
  return redirect(outcome.value.url, {
    headers: { 'Set-Cookie': ssoStateCookie(outcome.value.state, secureCookies()), 'Cache-Control': 'no-store' },
  })
}

export function loader(args: Route.LoaderArgs) {
  return start(args, new URL(args.request.url).searchParams.get('redirectTo'))
}

export async function action(args: Route.ActionArgs) {
  const form = await readForm(args, { fields: ['redirectTo'] })
  const value = form.get('redirectTo')
  return start(args, typeof value === 'string' ? value : null)
}
