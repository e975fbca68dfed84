import { redirect } from 'react-router'
import { blankSessionCookie, invalidateSession } from '#app/domain/identity/sessions.server.ts'
import { getDb } from '#app/lib/auth.server.ts'
import { sessionContext } from '#app/lib/context.ts'
import { secureCookies } from '#app/lib/security.server.ts'
import type { Route } from './+types/logout'

/** Signing out changes state, so a GET only goes home. */
export function loader() {
  return redirect('/')
}

/** Ends the session on the server, not just in the browser. */
export async function action({ context }: Route.ActionArgs) {
  const session = context.get(sessionContext)
  if (session) await invalidateSession(getDb(context), session.sessionId)
  return redirect('/', { headers: { 'Set-Cookie': blankSessionCookie(secureCookies()) } })
}
