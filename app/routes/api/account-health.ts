import { readAccountHealth } from '#app/domain/scoring/crm.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { apiError, authenticate, failureError, idParam, json, methodNotAllowed } from '#app/server/api.server.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/account-health'

/** The CRM sync API: `GET /api/v1/accounts/:accountId/health` answers one account with its latest
 *  health snapshot. A token with the `health` scope. Answers and errors as in app/server/api.server.ts. */

const ALLOW = 'GET, HEAD'
const t = translator('en')

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { refusal } = await authenticate(request, context, 'health')
  if (refusal) return refusal
  const accountId = idParam(params.accountId)
  if (!accountId) return apiError(404, 'not_found', t('crm.api.account_not_found'))
  const outcome = await readAccountHealth(getDb(context), accountId)
  if (outcome.ok) return json(outcome.value)
  // A known account without a snapshot yet has its own code, so a CRM can tell "wait" from "wrong id".
  return failureError(outcome, outcome.code === 'crm.api.no_health' ? 'no_health' : 'not_found')
}

export function action() {
  return methodNotAllowed(ALLOW, 'crm.api.method_not_allowed')
}
