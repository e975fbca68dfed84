import { type Failure, fail } from '#app/lib/outcome.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { failureMessage } from '#app/server/http.server.ts'
import { readAttachments } from '#app/server/request-body.server.ts'
import type { Route } from './+types/create'

/** Files are sent with a POST; there is nothing to read here. */
export function loader() {
  return new Response(null, { status: 405, headers: { Allow: 'POST' } })
}

/** POST /uploads — what the editor's paste, drop and "Attach file" send (multipart, the file in
 *  `upload`), under the app's CSRF rule like any POST. Answers JSON: the stored upload with its
 *  `url` and `markdown`, or `{ error: { code, message } }` translated, with the status. */
export async function action({ request, context }: Route.ActionArgs) {
  if (!getOptionalUser(context)) return jsonFailure(context, fail(401, 'uploads.sign_in'))
  const { stored, refusal } = await readAttachments({ request, context })
  if (refusal) return jsonFailure(context, refusal)
  const [upload] = stored
  if (!upload) return jsonFailure(context, fail(400, 'uploads.no_file'))
  return Response.json(upload, { status: 201, headers: { 'Cache-Control': 'no-store' } })
}

function jsonFailure(context: Route.ActionArgs['context'], failure: Failure) {
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  const retry = failure.params?.seconds ?? Number(failure.params?.minutes ?? 0) * 60
  if (failure.status === 429 && Number(retry) > 0) headers.set('Retry-After', String(retry))
  return Response.json(
    { error: { code: failure.code, message: failureMessage(context, failure) } },
    { status: failure.status, headers },
  )
}
