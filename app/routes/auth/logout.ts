import { redirect } from 'react-router'
import { blankSessionCookie, invalidateSession } from '#app/domain/identity/sessions.server.ts'
import { secureCookies } from '#app/lib/security.server.ts'
import { getDb, sessionContext } from '#app/server/context.ts'
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
