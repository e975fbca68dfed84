import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type RouterContextProvider } from 'react-router'
import { z } from 'zod'
import { discardDraft, saveDraft } from '#app/domain/drafts/drafts.server.ts'
import { DISCARD_DRAFT, type DraftReply, SAVE_DRAFT } from '#app/domain/drafts/forms.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { Db } from '#db/client.server.ts'
import { failureInit, failureMessage } from './http.server.ts'

// The "Save draft" and "Discard draft" buttons of the forms that keep drafts (docs/decisions/040), as
// a form's own route answers them: without JavaScript they submit the whole form to its page. One
// helper for every such page, so each action adds one line.

/** What a form sent, by name, for `saveDraft`. */
export function draftInput(formData: FormData) {
  return (name: string) => formData.getAll(name).filter((value): value is string => typeof value === 'string')
}

/** Everything the form sent, as the form's values again (no validation: a draft may be half written). */
const Anything = z.object({})

/** Answers a form's `save_draft` or `discard_draft`: saves or deletes the member's draft of `formKey`
 *  and shows the form again, with what was typed (saved) or empty (discarded), and `draft` saying
 *  which. Null for any other intent, which the route handles as before. `extra` is merged into the
 *  answer (a page with several forms tags its answers). */
export async function draftIntent<E extends object = object>(
  {
    context,
    db,
    user,
    formData,
    formKey,
  }: { context: Readonly<RouterContextProvider>; db: Db; user: SessionUser; formData: FormData; formKey: string },
  extra: E = {} as E,
) {
  const intent = formData.get('intent')
  if (intent !== SAVE_DRAFT && intent !== DISCARD_DRAFT) return null
  const submission = parseWithZod(formData, { schema: Anything })
  if (intent === DISCARD_DRAFT) {
    const outcome = await discardDraft(db, { user, formKey })
    if (!outcome.ok) return failed(context, outcome, submission.reply(), extra)
    const draft: DraftReply = { discarded: true }
    return data({ ...extra, result: submission.reply({ resetForm: true }), draft })
  }
  const outcome = await saveDraft(db, { user, formKey, input: draftInput(formData) })
  if (!outcome.ok) return failed(context, outcome, submission.reply(), extra)
  const draft: DraftReply = { savedAt: outcome.value.savedAt }
  return data({ ...extra, result: submission.reply(), draft })
}

function failed<E extends object>(
  context: Readonly<RouterContextProvider>,
  failure: Parameters<typeof failureMessage>[1],
  result: SubmissionResult<string[]>,
  extra: E,
) {
  const draft: DraftReply = { error: failureMessage(context, failure) }
  return data({ ...extra, result, draft }, failureInit(context, failure))
}

/** Keeps what was typed as the member's draft of `formKey` when the form's own "Save draft" (an
 *  unpublished article or event, which needs its required fields) was refused: the page shows the
 *  fields to complete and says the text is kept. */
export async function keepDraft({
  context,
  db,
  user,
  formData,
  formKey,
}: {
  context: Readonly<RouterContextProvider>
  db: Db
  user: SessionUser
  formData: FormData
  formKey: string
}): Promise<DraftReply> {
  const outcome = await saveDraft(db, { user, formKey, input: draftInput(formData) })
  if (!outcome.ok) return { error: failureMessage(context, outcome) }
  return { savedAt: outcome.value.savedAt, incomplete: true }
}
