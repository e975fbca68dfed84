import { data, type RouterContextProvider, redirect } from 'react-router'
import { type Capability, can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { translator } from '#app/lib/i18n.ts'
import { localeContext, sessionContext } from './context.ts'

type Ctx = Readonly<RouterContextProvider>

export function getOptionalUser(context: Ctx): SessionUser | null {
  return context.get(sessionContext)?.user ?? null
}

/** The signed-in session, or a redirect to the sign-in page that comes back here afterwards. */
export function requireSession(context: Ctx, request: Request) {
  const session = context.get(sessionContext)
  if (session) return session
  const url = new URL(request.url)
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
}

export function requireUser(context: Ctx, request: Request): SessionUser {
  return requireSession(context, request).user
}

/** The signed-in user if they hold the capability; otherwise a translated 403 page. */
export function requireCapability(context: Ctx, request: Request, capability: Capability): SessionUser {
  const user = requireUser(context, request)
  if (!can(user, capability)) {
    throw data({ message: translator(context.get(localeContext))('errors.forbidden') }, { status: 403 })
  }
  return user
}

export function requireAnonymous(context: Ctx): void {
  if (context.get(sessionContext)) throw redirect('/')
}

const SAME_SITE = 'http://same-site.invalid'

/** Only same-site paths are followed after sign-in, so a link cannot send a user elsewhere. Browsers
 *  drop tabs and line breaks from a URL and read a backslash as a slash, so `/\t/evil.example` would
 *  leave the site: a path holding any of them, or one that does not resolve to this site, is not
 *  followed. What comes back is the path as a URL parser writes it (percent-encoded), so it is always a
 *  valid Location header. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (typeof to !== 'string' || !to.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(to)) return fallback
  if (to.startsWith('//')) return fallback
  try {
    const url = new URL(to, SAME_SITE)
    if (url.origin !== SAME_SITE) return fallback
    return `${url.pathname}${url.search}${url.hash}`
  } catch {
    return fallback
  }
}
