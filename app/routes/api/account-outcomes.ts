import { recordOutcomeFromApi } from '#app/domain/retention/outcomes.server.ts'
import { translator } from '#app/lib/i18n.ts'
import {
  apiError,
  apiFailure,
  authenticate,
  idParam,
  json,
  methodNotAllowed,
  readJsonBody,
} from '#app/server/api.server.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/account-outcomes'

/** The CRM records what happened to an account's contract: `POST /api/v1/accounts/:accountId/outcomes`
 *  with `{ kind, effective_on, arr, currency, next_renewal_on, reason, note, external_id }` (amounts as
 *  decimal strings in major units). 201 with the outcome and the account after it; 200 with the first
 *  row when its `external_id` was recorded before (a retry). A token with the `crm` scope. Answers and
 *  errors as in app/server/api.server.ts. */

const ALLOW = 'POST'
const t = translator('en')

export function loader() {
  return methodNotAllowed(ALLOW, 'outcomes.api.method_not_allowed')
}

export async function action({ request, params, context }: Route.ActionArgs) {
  if (request.method !== 'POST') return methodNotAllowed(ALLOW, 'outcomes.api.method_not_allowed')
  const { caller, refusal } = await authenticate(request, context, 'crm')
  if (refusal) return refusal
  const accountId = idParam(params.accountId)
  if (!accountId) return apiError(404, 'not_found', t('outcomes.api.account_not_found'))
  const body = await readJsonBody(request)
  if (!body.ok) return body.response
  const outcome = await recordOutcomeFromApi(getDb(context), { apiCaller: caller, accountId, body: body.value })
  if (!outcome.ok) {
    if (outcome.status === 404 && outcome.code === 'errors.not_found') {
      return apiError(404, 'not_found', t('outcomes.api.account_not_found'))
    }
    return apiFailure(outcome)
  }
  return json(outcome.value, outcome.value.created ? 201 : 200)
}
