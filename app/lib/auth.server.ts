import { data, type RouterContextProvider, redirect } from 'react-router'
import { type Capability, can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { databaseContext, localeContext, sessionContext } from './context.ts'
import { translator } from './i18n.ts'

type Ctx = Readonly<RouterContextProvider>

export function getDb(context: Ctx) {
  return context.get(databaseContext).db
}

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

/** Only same-site paths are followed after sign-in, so a link cannot send a user elsewhere. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  return to
}
