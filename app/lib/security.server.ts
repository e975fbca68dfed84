import { env } from './env.server.ts'
import { defaultLocale, localeFromAcceptLanguage, translator } from './i18n.ts'

/** Refuses cross-origin state changes. Browsers send Sec-Fetch-Site (all current ones) and Origin on
 *  every non-GET request; a request carrying neither did not come from a browser page, so no other
 *  site can have forged it (the approach of Go's CrossOriginProtection). Either header speaking of
 *  another site refuses the request, whatever the other says. */
export function isCrossOriginWrite(request: Request): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false
  const site = request.headers.get('sec-fetch-site')
  if (site && site !== 'same-origin' && site !== 'none') return true
  const origin = request.headers.get('origin')
  if (!origin) return false
  return !ownOrigins(request).includes(origin)
}

/** Writes a signed token in the address authorises, which other sites may send by design: the
 *  one-click unsubscribe of RFC 8058, which a mail provider (or a webmail page) posts. They act on the
 *  token alone, so the door strips what could make them act as someone (`withoutAmbientCredentials`). */
const tokenWritePaths = [/^\/surveys\/unsubscribe\/[^/]{1,200}\/?$/, /^\/unsubscribe\/[^/]{1,200}\/?$/]

/** The request as the router should see it: a token-authorised write loses its cookies, Origin,
 *  Referer and Sec-Fetch-Site (no session can be used or slid, and the origin checks have nothing to
 *  refuse); every other request is returned as it is. */
export function withoutAmbientCredentials(request: Request): Request {
  if (request.method !== 'POST') return request
  if (!tokenWritePaths.some((path) => path.test(new URL(request.url).pathname))) return request
  const headers = new Headers(request.headers)
  for (const name of ['cookie', 'origin', 'referer', 'sec-fetch-site']) headers.delete(name)
  return new Request(request, { headers })
}

/** The origins the app's own pages post from: the one the request arrived at, and the public address
 *  (APP_URL), which differs behind a proxy that ends TLS. */
function ownOrigins(request: Request): string[] {
  return [requestOrigin(request), new URL(env().APP_URL).origin]
}

/** The 403 a cross-origin write gets, in the reader's language. Used by root middleware and, ahead of
 *  React Router's own (400) origin check, by the Node server. */
export function crossOriginRefusal(request: Request): Response | null {
  if (!isCrossOriginWrite(request)) return null
  const locale = localeFromAcceptLanguage(request.headers.get('accept-language')) ?? defaultLocale
  const nonce = generateNonce()
  const response = new Response(translator(locale)('errors.cross_origin'), {
    status: 403,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
  applySecurityHeaders(response.headers, nonce)
  return response
}

export function requestOrigin(request: Request): string {
  return new URL(request.url).origin
}

export function generateNonce(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Buffer.from(bytes).toString('base64')
}

export function contentSecurityPolicy(nonce: string): string {
  const dev = env().NODE_ENV === 'development'
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ')
}

/** Headers every response carries. */
export function applySecurityHeaders(headers: Headers, nonce: string): void {
  // A response that brings its own, stricter policy keeps it (uploaded files: `sandbox`, nothing loads).
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', contentSecurityPolicy(nonce))
  headers.set('X-Content-Type-Options', 'nosniff')
  headers.set('X-Frame-Options', 'DENY')
  headers.set('Referrer-Policy', 'strict-origin-when-cross-origin')
  headers.set('Cross-Origin-Opener-Policy', 'same-origin')
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()')
  if (env().APP_URL.startsWith('https://')) {
    headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  }
}

/** Cookies are Secure when the app is served over HTTPS (APP_URL), which is every production setup. */
export function secureCookies(): boolean {
  return env().APP_URL.startsWith('https://')
}

/** The headers of a page, on a static file or a bare error the Node server sends itself. */
export function staticSecurityHeaders(res: { setHeader(name: string, value: string): unknown }): void {
  const headers = new Headers()
  applySecurityHeaders(headers, generateNonce())
  for (const [name, value] of headers) res.setHeader(name, value)
}
