import { upsertAccountByExternalId } from '#app/domain/retention/outcomes.server.ts'
import { apiFailure, authenticate, json, methodNotAllowed, readJsonBody } from '#app/server/api.server.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/accounts'

/** The CRM keeps its accounts here by its own id: `PUT /api/v1/accounts/by-external-id/:externalId`
 *  with `{ name, domains, plan, arr, currency, seats, contract_start, renewal_date, touch_tier }`. 201
 *  when the account was created, 200 when updated (a key left out keeps its value, `null` clears it;
 *  the ARR changes only while no outcome follows the first one). A token with the `crm` scope. Answers
 *  and errors as in app/server/api.server.ts. */

const ALLOW = 'PUT'

export function loader() {
  return methodNotAllowed(ALLOW, 'outcomes.api.method_not_allowed')
}

export async function action({ request, params, context }: Route.ActionArgs) {
  if (request.method !== 'PUT') return methodNotAllowed(ALLOW, 'outcomes.api.method_not_allowed')
  const { caller, refusal } = await authenticate(request, context, 'crm')
  if (refusal) return refusal
  const body = await readJsonBody(request)
  if (!body.ok) return body.response
  const outcome = await upsertAccountByExternalId(getDb(context), {
    apiCaller: caller,
    externalId: params.externalId ?? '',
    body: body.value,
  })
  if (!outcome.ok) return apiFailure(outcome)
  return json(outcome.value, outcome.value.created ? 201 : 200)
}
