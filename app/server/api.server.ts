import type { RouterContextProvider } from 'react-router'
import type { ApiFailure } from '#app/domain/retention/outcomes.server.ts'
import { type ApiCaller, type ApiTokenScope, authenticateApiToken } from '#app/domain/support/api-tokens.server.ts'
import { translator } from '#app/lib/i18n.ts'
import type { Failure } from '#app/lib/outcome.ts'
import { getDb } from '#app/server/context.ts'
import { BodyError, readBody } from '#app/server/request-body.server.ts'

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

/** A JSON request body is a few hundred bytes; anything far larger is not one. */
export const API_BODY_MAX_BYTES = 64 * 1024

/** The request's JSON body, read up to `maxBytes`, or the 400 `invalid_json` / 413
 *  `payload_too_large` answer to refuse it with. */
export async function readJsonBody(
  request: Request,
  maxBytes = API_BODY_MAX_BYTES,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  try {
    return { ok: true, value: JSON.parse((await readBody(request, maxBytes)).toString('utf8')) }
  } catch (error) {
    if (error instanceof BodyError && error.status === 413) {
      return { ok: false, response: apiError(413, 'payload_too_large', t('support_helpdesk.api.payload_too_large')) }
    }
    return { ok: false, response: apiError(400, 'invalid_json', t('support_helpdesk.api.invalid_json')) }
  }
}

/** A failure of the CRM write routes as an API error: a body that is not an outcome or account is 400
 *  `invalid_fields` (or `invalid_body`) with a message per key; a rule of the account's history broken
 *  by a valid body is 422 (409 for a conflict) with the rule's code (`must_raise`, `after_churn`,
 *  `arr_from_outcomes`, `name_taken`…) and its key in `fields`. */
export function apiFailure(failure: ApiFailure): Response {
  const fields = failure.fields
    ? Object.fromEntries(Object.entries(failure.fields).map(([key, code]) => [key, t(code)]))
    : undefined
  const parsing = failure.code === 'outcomes.api.invalid_fields' || failure.code === 'outcomes.api.invalid_body'
  const code = failure.code.split('.').at(-1) ?? 'refused'
  const status = failure.status === 400 && !parsing ? 422 : failure.status
  return apiError(status, code, t(failure.code, failure.params ?? {}), { fields })
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
