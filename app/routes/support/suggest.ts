import { suggestForAttempt } from '#app/domain/support/attempts.server.ts'
import { SuggestSchema } from '#app/domain/support/schemas.ts'
import { fail } from '#app/lib/outcome.ts'
import { hitRateLimit, rateRules, waitParams } from '#app/lib/rate-limit.server.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage } from '#app/server/http.server.ts'
import { fieldsOf, parseFormBody } from '#app/server/request-body.server.ts'
import type { Route } from './+types/suggest'

/** Suggestions are recorded on the attempt, so they are asked for with a POST. */
export function loader() {
  return new Response(null, { status: 405, headers: { Allow: 'POST' } })
}

/** Suggestions for the subject typed so far on the contact form, as JSON; each call records what was
 *  shown on the attempt. */
/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(SuggestSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const db = getDb(context)
  const form = await parseFormBody(request, { fields: FIELDS }).catch(() => null)
  const parsed = SuggestSchema.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success) return jsonFailure(context, fail(400, 'support.errors.attempt_invalid'))
  const pace = await hitRateLimit(db, `support:suggest:${user.id}`, rateRules.supportSuggestPerUser)
  if (!pace.allowed) {
    return jsonFailure(
      context,
      fail(429, 'support.errors.too_fast', { params: waitParams(pace.retryAfterSeconds, 'seconds') }),
    )
  }
  const outcome = await suggestForAttempt(db, { user, key: parsed.data.attempt, q: parsed.data.q })
  if (!outcome.ok) return jsonFailure(context, outcome)
  return Response.json(outcome.value, { headers: { 'Cache-Control': 'no-store' } })
}

function jsonFailure(context: Route.ActionArgs['context'], failure: ReturnType<typeof fail>) {
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  if (failure.status === 429 && failure.params?.seconds) headers.set('Retry-After', String(failure.params.seconds))
  return Response.json(
    { error: { code: failure.code, message: failureMessage(context, failure) } },
    { status: failure.status, headers },
  )
}
