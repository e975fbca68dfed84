import type { MiddlewareFunction } from 'react-router'
import { recordVisitDay } from '#app/domain/activity/ledger.server.ts'
import {
  blankSessionCookie,
  SESSION_COOKIE,
  sessionCookie,
  validateSessionToken,
} from '#app/domain/identity/sessions.server.ts'
import { readCookie } from '#app/lib/cookies.ts'
import { defaultLocale, isLocale, localeCookieName, localeFromAcceptLanguage } from '#app/lib/i18n.ts'
import { applySecurityHeaders, crossOriginRefusal, generateNonce, secureCookies } from '#app/lib/security.server.ts'
import { boot } from './boot.server.ts'
import { databaseContext, localeContext, nonceContext, sessionContext } from './context.ts'

/** Opens the database (once per process) and hands it to every loader and action. */
export const databaseMiddleware: MiddlewareFunction<Response> = async ({ context }, next) => {
  context.set(databaseContext, await boot())
  return next()
}

/** CSRF defence and security headers. */
export const securityMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const nonce = generateNonce()
  context.set(nonceContext, nonce)
  const refusal = crossOriginRefusal(request)
  if (refusal) return refusal
  const response = await next()
  applySecurityHeaders(response.headers, nonce)
  return response
}

/** Resolves the session cookie to a user, slides its idle deadline (sending a fresh cookie when it moved),
 *  clears a cookie whose session has ended, and records today's visit. */
export const sessionMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const db = context.get(databaseContext).db
  const token = readCookie(request.headers.get('cookie'), SESSION_COOKIE)
  let setCookie: string | null = null
  if (token) {
    const now = Date.now()
    const validation = await validateSessionToken(db, token, now)
    if (validation) {
      context.set(sessionContext, { user: validation.user, sessionId: validation.session.id })
      if (validation.renewed) setCookie = sessionCookie(token, validation.session.expiresAt, secureCookies(), now)
      await recordVisitDay(db, validation.user)
    } else {
      setCookie = blankSessionCookie(secureCookies())
    }
  }
  const response = await next()
  // A route that signed in or out has set its own cookie; it wins. A response any cache may keep for
  // everyone (a member's picture) never carries a session: the renewal waits for the next page.
  const shared = /\bpublic\b/i.test(response.headers.get('cache-control') ?? '')
  if (setCookie && !shared && !response.headers.get('set-cookie')?.includes(`${SESSION_COOKIE}=`)) {
    response.headers.append('Set-Cookie', setCookie)
  }
  return response
}

/** The language: the user's setting, else the switcher's cookie, else Accept-Language, else English. */
export const localeMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const user = context.get(sessionContext)?.user
  const cookie = readCookie(request.headers.get('cookie'), localeCookieName)
  const locale =
    user?.locale ??
    (isLocale(cookie) ? cookie : null) ??
    localeFromAcceptLanguage(request.headers.get('accept-language')) ??
    defaultLocale
  context.set(localeContext, locale)
  const response = await next()
  if (!response.headers.has('Content-Language')) response.headers.set('Content-Language', locale)
  return response
}
