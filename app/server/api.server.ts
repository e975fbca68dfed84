import type { RouterContextProvider } from 'react-router'
import { type ApiCaller, type ApiTokenScope, authenticateApiToken } from '#app/domain/support/api-tokens.server.ts'
import { translator } from '#app/lib/i18n.ts'
import type { Failure } from '#app/lib/outcome.ts'
import { getDb } from '#app/server/context.ts'

/** The pieces every route under /api/v1 shares: JSON answers that are never cached, one error shape
 *  `{ error: { code, message, fields? } }` with a stable `code`, and bearer-token authentication with
 *  scopes (RFC 6750 challenges). Callers are servers holding a token an admin created at
 *  /admin/api-tokens. */

/** One protection space for every API route; a token's scopes say which routes it may use. */
const REALM = 'community-api'

// The API speaks English: its callers are programs and the people who write them.
const t = translator('en')

/** A JSON answer that no cache keeps. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } })
}

/** An error answer: `code` is for programs, `message` (English) for the people who write them. */
export function apiError(
  status: number,
  code: string,
  message: string,
  { fields, headers }: { fields?: Record<string, string>; headers?: Record<string, string> } = {},
): Response {
  return json({ error: { code, message, ...(fields ? { fields } : {}) } }, status, headers)
}

/** A domain failure as an API error with the given code, its message translated into English. */
export function failureError(failure: Failure, code: string, fields?: Record<string, string>): Response {
  return apiError(failure.status, code, t(failure.code, failure.params ?? {}), { fields })
}

/** 405 naming the methods the address accepts. */
export function methodNotAllowed(allow: string, messageKey: string): Response {
  return apiError(405, 'method_not_allowed', t(messageKey), { headers: { Allow: allow } })
}

/** The refusal of an authentication failure: 401 with a Bearer challenge (`missing_token`, or
 *  `invalid_token` with its error attribute), or 403 `insufficient_scope` naming the scope needed. The
 *  code is the last part of the failure's catalogue key. */
function refusal(failure: Failure): Response {
  const code = failure.code.split('.').at(-1) ?? 'invalid_token'
  const challenge =
    code === 'missing_token'
      ? `Bearer realm="${REALM}"`
      : code === 'insufficient_scope'
        ? `Bearer realm="${REALM}", error="insufficient_scope", scope="${failure.params?.scope ?? ''}"`
        : `Bearer realm="${REALM}", error="invalid_token"`
  return apiError(failure.status, code, t(failure.code, failure.params ?? {}), {
    headers: { 'WWW-Authenticate': challenge },
  })
}

/** The caller of the request if its bearer token is live and has `scope`, or the answer to refuse it
 *  with. */
export async function authenticate(
  request: Request,
  context: Readonly<RouterContextProvider>,
  scope: ApiTokenScope,
): Promise<{ caller: ApiCaller; refusal: null } | { caller: null; refusal: Response }> {
  const outcome = await authenticateApiToken(getDb(context), request.headers.get('authorization'), scope)
  return outcome.ok ? { caller: outcome.value, refusal: null } : { caller: null, refusal: refusal(outcome) }
}

/** A positive integer id from the path (at most nine digits), or null. */
export function idParam(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null
  const id = Number(value)
  return id > 0 ? id : null
}
