import { discardDraft, saveDraft } from '#app/domain/drafts/drafts.server.ts'
import { allDraftFieldNames } from '#app/domain/drafts/forms.ts'
import { ONE_TIME_KEY_FIELD, readOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { type Failure, fail } from '#app/lib/outcome.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { draftInput } from '#app/server/drafts.server.ts'
import { failureInit, failureMessage } from '#app/server/http.server.ts'
import { BodyError, formMaxBytes, parseFormBody } from '#app/server/request-body.server.ts'
import type { Route } from './+types/drafts'

// Where the editor's script saves and discards drafts while a member types (docs/decisions/040):
// `formKey`, `intent` (save | discard) and the form's own fields, form-encoded. The answer is JSON:
// `{ savedAt }` (null when nothing was kept) or `{ error }`, translated. Cross-site posts are refused
// by the app's CSRF rule before this runs.

/** Drafts are saved by the editor's script (POST); there is nothing to show on a GET. */
export function loader() {
  return new Response(null, { status: 405, headers: { Allow: 'POST' } })
}

const FIELDS = ['formKey', 'intent', ONE_TIME_KEY_FIELD, ...allDraftFieldNames]

export async function action({ request, context }: Route.ActionArgs) {
  const user = getOptionalUser(context)
  // A session that ended while the member typed: say so instead of sending the script to sign in.
  if (!user) return refused(context, fail(401, 'drafts.errors.signed_out'))
  const db = getDb(context)
  let formData: FormData
  try {
    // An event's audience may list many accounts, each a field of its own.
    formData = await parseFormBody(request, { fields: FIELDS, maxFields: 6000 })
  } catch (error) {
    // Answered as JSON like every other refusal here: a thrown page would replace the form being typed.
    if (!(error instanceof BodyError)) throw error
    const size = `${Math.round(formMaxBytes() / 1024 / 1024)} MB`
    return refused(context, fail(error.status, error.code, { params: { size } }))
  }
  const formKey = String(formData.get('formKey') ?? '')
  const intent = formData.get('intent')
  if (intent === 'discard') {
    const outcome = await discardDraft(db, { user, formKey })
    return outcome.ok ? Response.json({ savedAt: null, discarded: true }) : refused(context, outcome)
  }
  if (intent !== 'save') return refused(context, fail(400, 'errors.bad_request'))
  const once = await readOneTimeKey(db, user, formData)
  const outcome = await saveDraft(db, { user, formKey, input: draftInput(formData), once })
  return outcome.ok ? Response.json(outcome.value) : refused(context, outcome)
}

function refused(context: Route.ActionArgs['context'], failure: Failure) {
  const { status, headers } = failureInit(context, failure)
  headers.set('Cache-Control', 'no-store')
  return Response.json({ error: failureMessage(context, failure), field: failure.field ?? null }, { status, headers })
}
