import { redirect } from 'react-router'
import { setUserLocale } from '#app/domain/identity/users.server.ts'
import { isLocale, localeCookieName } from '#app/lib/i18n.ts'
import { getOptionalUser, safeRedirect } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/set-locale'

export function loader() {
  return redirect('/')
}

/** The header's language switch: saved on the user when signed in, in a cookie either way. */
/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = ['locale', 'redirectTo']

export async function action({ request, context }: Route.ActionArgs) {
  const form = await readForm({ request, context }, { fields: FIELDS })
  const locale = form.get('locale')
  const to = safeRedirect(form.get('redirectTo'))
  if (!isLocale(locale)) return redirect(to)
  const user = getOptionalUser(context)
  if (user) await setUserLocale(getDb(context), user, locale)
  return redirect(to, {
    headers: { 'Set-Cookie': `${localeCookieName}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax` },
  })
}
