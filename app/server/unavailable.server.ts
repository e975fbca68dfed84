import { createContext, type MiddlewareFunction, type RouterContextProvider } from 'react-router'
import { readCookie } from '#app/lib/cookies.ts'
import {
  defaultLocale,
  isLocale,
  type Locale,
  localeCookieName,
  localeFromAcceptLanguage,
  translator,
} from '#app/lib/i18n.ts'
import { isDatabaseUnavailable } from '#db/availability.ts'
import { localeContext } from './context.ts'

// While the database cannot be reached (restarting, failing over, out of connections) every page that
// reads from it fails. That is not a bug in the request: the answer is 503 with Retry-After, a
// translated "temporarily unavailable" page, and no stack trace per request in the log. postgres.js
// reconnects by itself on the next query, so the app recovers without a restart.

/** Seconds a client is asked to wait: about as long as a database restart or a failover takes. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5

/** Set on a request whose loader, action or middleware failed because the database was out of reach. */
const databaseFailedContext = createContext<boolean>(false)

/** Called from handleError (app/entry.server.tsx), which React Router calls with every error it
 *  catches, before the response it renders for it travels back up through the root middleware.
 *  When the error is the database being away it marks the request for the 503 and logs one line (an
 *  outage, not a bug: a stack per request would bury the log), and returns true. */
export function noteDatabaseFailure(
  error: unknown,
  request: Request,
  context: Readonly<RouterContextProvider> | undefined,
): boolean {
  if (!isDatabaseUnavailable(error)) return false
  if (!context?.get(databaseFailedContext)) {
    console.warn(`database unavailable (${firstCode(error)}): ${request.method} ${new URL(request.url).pathname}`)
  }
  context?.set(databaseFailedContext, true)
  return true
}

/** The first code along an error's causes, else its message. */
function firstCode(error: unknown): string {
  let current = error as { code?: unknown; cause?: unknown } | undefined
  for (let depth = 0; current && depth < 5; depth++, current = current.cause as typeof current) {
    if (typeof current.code === 'string') return current.code
  }
  return String((error as { message?: unknown })?.message ?? error)
}

/** The reader's language without the database: the switcher's cookie, else Accept-Language. */
function guessLocale(request: Request): Locale {
  const cookie = readCookie(request.headers.get('cookie'), localeCookieName)
  if (isLocale(cookie)) return cookie
  return localeFromAcceptLanguage(request.headers.get('accept-language')) ?? defaultLocale
}

/** The answer while the database is away. Pages render it through the root ErrorBoundary (as a 503
 *  route error); resource routes and API clients get it as it is, JSON with a translated message. */
export function unavailableResponse(locale: Locale): Response {
  return Response.json(
    { error: { code: 'errors.unavailable', message: translator(locale)('errors.unavailable') } },
    { status: 503, headers: unavailableHeaders() },
  )
}

function unavailableHeaders(): Headers {
  return new Headers({ 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
}

/** Adds Retry-After and no-store to the 503 the inner middleware turned the request into (React Router
 *  renders a thrown response's status and body, not its headers). */
const unavailableHeadersMiddleware: MiddlewareFunction<Response> = async ({ context }, next) => {
  const response = await next()
  if (response.status === 503 && context.get(databaseFailedContext)) {
    for (const [name, value] of unavailableHeaders()) response.headers.set(name, value)
  }
  return response
}

/** Turns a request that failed on the database into the 503 page. It guesses the language first, so
 *  the page is translated even when the session (and with it the user's setting) could not be read. */
const refuseOnDatabaseFailureMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  context.set(localeContext, guessLocale(request))
  let response: Response
  try {
    response = await next()
  } catch (error) {
    // A resource route's middleware error is not rendered but rethrown up the chain.
    if (!noteDatabaseFailure(error, request, context)) throw error
    throw unavailableResponse(context.get(localeContext))
  }
  if (!context.get(databaseFailedContext)) return response
  // The error page already rendered is dropped for the 503 one.
  await response.body?.cancel()
  throw unavailableResponse(context.get(localeContext))
}

/** Root middleware, placed before any middleware that reads the database. */
export const unavailableMiddleware = [unavailableHeadersMiddleware, refuseOnDatabaseFailureMiddleware]
