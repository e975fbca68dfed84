import { readTicketDocument } from '#app/domain/support/handoff.server.ts'
import { updateTicketFromHelpdesk } from '#app/domain/support/helpdesk-api.server.ts'
import { translator } from '#app/lib/i18n.ts'
import {
  apiError,
  authenticate,
  failureError,
  idParam,
  json,
  methodNotAllowed,
  readJsonBody,
} from '#app/server/api.server.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/tickets'

/** The helpdesk API: `GET` reads one ticket, `PATCH` sets its status or external id; a token with the
 *  `tickets` scope. Answers and errors as in app/server/api.server.ts. */

const ALLOW = 'GET, HEAD, PATCH'

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

  const body = await readJsonBody(request)
  if (!body.ok) return body.response

  const outcome = await updateTicketFromHelpdesk(getDb(context), { ticketId, input: body.value })
  if (outcome.ok) return json({ ticket: outcome.value })
  const code = outcome.status === 404 ? 'not_found' : outcome.status === 409 ? 'external_id_taken' : 'invalid_fields'
  return failureError(outcome, code, outcome.fields)
}
