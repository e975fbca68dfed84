import { redirect } from 'react-router'
import { openSuggestion } from '#app/domain/support/attempts.server.ts'
import { SuggestionActionSchema } from '#app/domain/support/schemas.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureInit, failureMessage, failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, parseFormBody } from '#app/server/request-body.server.ts'
import type { Route } from './+types/open'

/** Opening is recorded on the attempt, so it is a POST. */
export function loader() {
  return new Response(null, { status: 405, headers: { Allow: 'POST' } })
}

/** Opens a suggestion of the contact form and records it on the attempt. `mode=inline` (the page's
 *  script, expanding a suggestion in place) answers with its content as JSON; otherwise (the "open in
 *  a new tab" button, a plain form with target=_blank) it redirects to the article or question. */
/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(SuggestionActionSchema), 'mode']

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const form = await parseFormBody(request, { fields: FIELDS }).catch(() => null)
  const inline = form?.get('mode') === 'inline'
  const parsed = SuggestionActionSchema.safeParse(form ? Object.fromEntries(form) : {})
  const outcome = parsed.success
    ? await openSuggestion(getDb(context), { user, key: parsed.data.attempt, doc: parsed.data.doc })
    : fail(400, 'support.errors.suggestion_invalid')
  if (!outcome.ok) {
    if (!inline) return failureResponse(context, outcome)
    const { status, headers } = failureInit(context, outcome)
    headers.set('Cache-Control', 'no-store')
    return Response.json(
      { error: { code: outcome.code, message: failureMessage(context, outcome) } },
      { status, headers },
    )
  }
  if (!inline) return redirect(outcome.value.url, 303)
  return Response.json(outcome.value, { headers: { 'Cache-Control': 'no-store' } })
}
