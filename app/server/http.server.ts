import type { SubmissionResult } from '@conform-to/react'
import { createContext, data, type MiddlewareFunction, type RouterContextProvider, redirect } from 'react-router'
import { translator } from '#app/lib/i18n.ts'
import type { Failure } from '#app/lib/outcome.ts'
import { localeContext } from './context.ts'

type Replyable = {
  reply(options?: {
    formErrors?: string[]
    fieldErrors?: Record<string, string[]>
    hideFields?: string[]
  }): SubmissionResult<string[]>
}

/** The translated text of a failure, in the request's language. */
export function failureMessage(context: Readonly<RouterContextProvider>, failure: Failure): string {
  return translator(context.get(localeContext))(failure.code, failure.params ?? {})
}

/** The Retry-After of a 429 this request answered with. React Router hands a data response's headers
 *  to the page only through a route's `headers` export, so the root middleware below sets it instead. */
const retryAfterContext = createContext<string | null>(null)

/** Puts the Retry-After of a refused request on the response, page or data. */
export const retryAfterMiddleware: MiddlewareFunction<Response> = async ({ context }, next) => {
  const response = await next()
  const seconds = context.get(retryAfterContext)
  if (seconds && response.status === 429 && !response.headers.has('Retry-After')) {
    response.headers.set('Retry-After', seconds)
  }
  return response
}

/** Turns a domain failure into the form's error (next to its field when it names one), keeping what the
 *  user typed; passwords are never sent back. Without a form, it throws the status as an error page. */
export function failureResponse(
  context: Readonly<RouterContextProvider>,
  failure: Failure,
  submission?: Replyable,
  { hideFields = [] as string[] } = {},
) {
  const message = failureMessage(context, failure)
  const { status, headers } = failureInit(context, failure)
  if (!submission) throw data({ message }, { status, headers })
  const result = submission.reply(
    failure.field ? { fieldErrors: { [failure.field]: [message] }, hideFields } : { formErrors: [message], hideFields },
  )
  return data({ result }, { status, headers })
}

/** The status of a failure and, for a 429, its Retry-After (also on the page, see above). */
export function failureInit(context: Readonly<RouterContextProvider>, failure: Failure) {
  const headers = new Headers()
  if (failure.status === 429) {
    const seconds = failure.params?.seconds ?? Number(failure.params?.minutes ?? 0) * 60
    if (Number(seconds) > 0) {
      headers.set('Retry-After', String(seconds))
      context.set(retryAfterContext, String(seconds))
    }
  }
  return { status: failure.status, headers }
}

/** Parses a positive integer route or query parameter; anything else is a 404. */
export function intParam(value: string | undefined | null): number {
  const n = Number(value)
  if (!value || !/^\d{1,9}$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw data({ message: 'Not found' }, { status: 404 })
  }
  return n
}

/** The `page` query parameter; anything that is not a page number (0, -1, abc, 1.5) is page 1. */
export function pageParam(url: URL): number {
  const n = Number(url.searchParams.get('page'))
  return Number.isInteger(n) && n > 0 && n < 100000 ? n : 1
}

/** The number of pages a list of `total` items fills, at least one (an empty list has page 1). */
export function lastPage(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage))
}

/** A list page past the last one (a stale link, a list that shrank, a hand-edited URL) redirects to
 *  the last page, keeping every other parameter (filters, search), instead of an empty "Page 2 of 1". */
export function redirectPastLastPage(
  url: URL,
  { page, total, perPage }: { page: number; total: number; perPage: number },
) {
  const last = lastPage(total, perPage)
  if (page <= last) return
  const params = new URLSearchParams(url.searchParams)
  if (last <= 1) params.delete('page')
  else params.set('page', String(last))
  const search = params.toString()
  throw redirect(search ? `${url.pathname}?${search}` : url.pathname)
}
