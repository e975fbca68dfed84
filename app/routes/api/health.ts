import { listAccountHealth } from '#app/domain/scoring/crm.server.ts'
import { translator } from '#app/lib/i18n.ts'
import { authenticate, failureError, json, methodNotAllowed } from '#app/server/api.server.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/health'

/** The CRM sync API: `GET /api/v1/health?band=BAD&limit=100&cursor=…` lists the accounts of the latest
 *  health snapshot, optionally of one level, a page at a time (`next_cursor`). A token with the
 *  `health` scope. Answers and errors as in app/server/api.server.ts. */

const ALLOW = 'GET, HEAD'
const t = translator('en')

export async function loader({ request, context }: Route.LoaderArgs) {
  const { refusal } = await authenticate(request, context, 'health')
  if (refusal) return refusal
  const query = new URL(request.url).searchParams
  const outcome = await listAccountHealth(getDb(context), {
    band: query.get('band'),
    limit: query.get('limit'),
    cursor: query.get('cursor'),
  })
  if (outcome.ok) return json(outcome.value)
  const field = outcome.field ?? 'band'
  return failureError(outcome, 'invalid_parameter', { [field]: t(outcome.code) })
}

export function action() {
  return methodNotAllowed(ALLOW, 'crm.api.method_not_allowed')
}
