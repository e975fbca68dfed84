import { readTicketDocument } from '#app/domain/support/handoff.server.ts'
import { updateTicketFromHelpdesk } from '#app/domain/support/helpdesk-api.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { apiError, authenticate, failureError, idParam, json, methodNotAllowed } from '#app/server/api.server.ts'
import { getDb } from '#app/server/context.ts'
import { BodyError, readBody } from '#app/server/request-body.server.ts'
import type { Route } from './+types/tickets'

/** The helpdesk API: `GET` reads one ticket, `PATCH` sets its status or external id; a token with the
 *  `tickets` scope. Answers and errors as in app/server/api.server.ts. */

const ALLOW = 'GET, HEAD, PATCH'
/** A ticket update is a few hundred bytes; anything far larger is not one. */
const BODY_MAX_BYTES = 64 * 1024

const t = translator('en')

function notFound() {
  return apiError(404, 'not_found', t('support_helpdesk.api.ticket_not_found'))
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { refusal } = await authenticate(request, context, 'tickets')
  if (refusal) return refusal
  const ticketId = idParam(params.ticketId)
  if (!ticketId) return notFound()
  const ticket = await readTicketDocument(getDb(context), ticketId)
  if (!ticket) return notFound()
  return json({ ticket })
}

export async function action({ request, params, context }: Route.ActionArgs) {
  if (request.method !== 'PATCH') return methodNotAllowed(ALLOW, 'support_helpdesk.api.method_not_allowed')
  const { refusal } = await authenticate(request, context, 'tickets')
  if (refusal) return refusal
  const ticketId = idParam(params.ticketId)
  if (!ticketId) return notFound()

  let body: unknown
  try {
    body = JSON.parse((await readBody(request, BODY_MAX_BYTES)).toString('utf8'))
  } catch (error) {
    if (error instanceof BodyError && error.status === 413) {
      return apiError(413, 'payload_too_large', t('support_helpdesk.api.payload_too_large'))
    }
    return apiError(400, 'invalid_json', t('support_helpdesk.api.invalid_json'))
  }

  const outcome = await updateTicketFromHelpdesk(getDb(context), { ticketId, input: body })
  if (outcome.ok) return json({ ticket: outcome.value })
  const code = outcome.status === 404 ? 'not_found' : outcome.status === 409 ? 'external_id_taken' : 'invalid_fields'
  return failureError(outcome, code, outcome.fields)
}
