import type { RouterContextProvider } from 'react-router'
import { fail } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { failureResponse } from './http.server.ts'

// One way for a page with several forms to pick what its action does: the form sends `intent`, and the
// action hands the request to the handler of that name. Each handler is a named function of its own
// (parse, call the domain, map its failures), so an action reads as the list of what the page can do.
// A page with a single form, whose Preview button only renders that form's text again (questions/new,
// events/new), keeps its one `if (intent === 'preview')`.

/** What an intent handler gets: the request's context and database handle, the form, the intent it
 *  sent (`''` when none), and the route's own values (`Route`: the signed-in user, the page's id...). */
export type IntentArgs<Route extends object = object> = Route & {
  context: Readonly<RouterContextProvider>
  db: Db
  formData: FormData
  intent: string
}

/** Runs the handler that the form's `intent` names, with `args` and that intent. An intent the page
 *  does not know, or none, goes to `otherwise`: the page's main form, or the route's own refusal.
 *  Only the map's own names count, so `constructor` or `toString` are unknown intents too. */
export async function dispatchIntent<
  A extends { formData: FormData },
  H extends Record<string, (args: A & { intent: string }) => unknown>,
  O,
>(
  args: A,
  handlers: H,
  otherwise: (args: A & { intent: string }) => O,
): Promise<Awaited<ReturnType<H[keyof H]>> | Awaited<O>> {
  const intent = String(args.formData.get('intent') ?? '')
  const handler = Object.hasOwn(handlers, intent) ? handlers[intent] : undefined
  return (await (handler ?? otherwise)({ ...args, intent })) as Awaited<ReturnType<H[keyof H]>> | Awaited<O>
}

/** The refusal of an intent no form of the page sends: a translated 400 error page. */
export function unknownIntent({ context }: { context: Readonly<RouterContextProvider> }): never {
  throw failureResponse(context, fail(400, 'errors.bad_request'))
}
