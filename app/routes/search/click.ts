import { z } from 'zod'
import { recordSearchClick } from '#app/domain/search/search.server.ts'
import { fail } from '#app/lib/outcome.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage } from '#app/server/http.server.ts'
import { fieldsOf, parseFormBody } from '#app/server/request-body.server.ts'
import type { Route } from './+types/click'

const ClickSchema = z.object({
  queryId: z.coerce.number().int().positive(),
  doc: z.string().max(40),
  rank: z.coerce.number().int().min(1).max(1000),
})

/** Clicks arrive as beacons (POST) from the search page; there is nothing to show on a GET. */
export function loader() {
  return new Response(null, { status: 405, headers: { Allow: 'POST' } })
}

/** Records which result of a recorded search was opened: 204 whether or not it counted (a repeat or
 *  someone else's search is ignored), 400 when the beacon is malformed. */
/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(ClickSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const form = await parseFormBody(request, { fields: FIELDS }).catch(() => null)
  const parsed = ClickSchema.safeParse(form ? Object.fromEntries(form) : {})
  if (!parsed.success) return badClick(context)
  const outcome = await recordSearchClick(getDb(context), { ...parsed.data, user: getOptionalUser(context) })
  if (!outcome.ok) return badClick(context)
  return new Response(null, { status: 204 })
}

function badClick(context: Route.ActionArgs['context']) {
  return new Response(failureMessage(context, fail(400, 'search.errors.bad_click')), {
    status: 400,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}
