import { authenticateApiToken } from '#app/domain/support/api-tokens.server.ts'
import { readTicketDocument } from '#app/domain/support/handoff.server.ts'
import { updateTicketFromHelpdesk } from '#app/domain/support/helpdesk-api.server.ts'
import { getDb } from '#app/lib/auth.server.ts'
import { translator } from '#app/lib/i18n.ts'
import type { Route } from './+types/tickets'

/** The helpdesk API: `GET` reads one ticket, `PATCH` sets its status or external id. Every answer is
 *  JSON, never cached; errors are `{ error: { code, message, fields? } }` with a stable `code`. The
 *  caller is a server holding a bearer token an admin created at /admin/api-tokens. */

const ALLOW = 'GET, HEAD, PATCH'
/** A ticket update is a few hundred bytes; anything far larger is not one. */
const BODY_MAX_BYTES = 64 * 1024

// The API speaks English: its callers are programs and the people who write them.
const t = translator('en')

function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } })
}

function apiError(
  status: number,
  code: string,
  message: string,
  { fields, headers }: { fields?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  return json({ error: { code, message, ...(fields ? { fields } : {}) } }, status, headers)
}

function unauthorized(hadToken: boolean) {
  return hadToken
    ? apiError(401, 'invalid_token', t('support_helpdesk.api.invalid_token'), {
        headers: { 'WWW-Authenticate': 'Bearer realm="helpdesk-api", error="invalid_token"' },
      })
    : apiError(401, 'missing_token', t('support_helpdesk.api.missing_token'), {
        headers: { 'WWW-Authenticate': 'Bearer realm="helpdesk-api"' },
      })
}

function notFound() {
  return apiError(404, 'not_found', t('support_helpdesk.api.ticket_not_found'))
}

/** The live token of the request, or the 401 to answer with. */
async function authenticate(request: Request, context: Route.LoaderArgs['context']) {
  const header = request.headers.get('authorization')
  const token = await authenticateApiToken(getDb(context), header)
  return token ? { token, refusal: null } : { token: null, refusal: unauthorized(!!header?.trim()) }
}

function ticketIdParam(value: string | undefined): number | null {
  if (!value || !/^\d{1,9}$/.test(value)) return null
  const id = Number(value)
  return id > 0 ? id : null
}

/** The body as text, or null when it is larger than BODY_MAX_BYTES (read no further than that). */
async function readCapped(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > BODY_MAX_BYTES) return null
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > BODY_MAX_BYTES) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { refusal } = await authenticate(request, context)
  if (refusal) return refusal
  const ticketId = ticketIdParam(params.ticketId)
  if (!ticketId) return notFound()
  const ticket = await readTicketDocument(getDb(context), ticketId)
  if (!ticket) return notFound()
  return json({ ticket })
}

export async function action({ request, params, context }: Route.ActionArgs) {
  if (request.method !== 'PATCH') {
    return apiError(405, 'method_not_allowed', t('support_helpdesk.api.method_not_allowed'), {
      headers: { Allow: ALLOW },
    })
  }
  const { refusal } = await authenticate(request, context)
  if (refusal) return refusal
  const ticketId = ticketIdParam(params.ticketId)
  if (!ticketId) return notFound()

  const text = await readCapped(request)
  if (text === null) return apiError(413, 'payload_too_large', t('support_helpdesk.api.payload_too_large'))
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return apiError(400, 'invalid_json', t('support_helpdesk.api.invalid_json'))
  }

  const outcome = await updateTicketFromHelpdesk(getDb(context), { ticketId, input: body })
  if (outcome.ok) return json({ ticket: outcome.value })
  const code = outcome.status === 404 ? 'not_found' : outcome.status === 409 ? 'external_id_taken' : 'invalid_fields'
  return apiError(outcome.status, code, t(outcome.code), { fields: outcome.fields })
}
