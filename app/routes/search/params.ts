import { z } from 'zod'
import { normalizeTag } from '#app/domain/qa/tags.ts'
import type { SearchRequest } from '#app/domain/search/search.server.ts'
import { searchDocTypes, searchLimits } from '#search/engine.ts'

/** The search page's query string. Each parameter stands alone: a value that cannot be used is
 *  dropped (a hand-edited URL still searches), never an error. */
const SearchParamsSchema = z.object({
  q: z
    .string()
    .transform((value) => value.trim().slice(0, searchLimits.maxQueryLength))
    .catch(''),
  type: z.enum(searchDocTypes).optional().catch(undefined),
  tag: z
    .string()
    .transform((value) => normalizeTag(value) || undefined)
    .optional()
    .catch(undefined),
  answered: z.enum(['yes', 'no']).optional().catch(undefined),
  upcoming: z.literal('yes').optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(9999).catch(1),
})

export type SearchParams = z.infer<typeof SearchParamsSchema>

export function parseSearchParams(searchParams: URLSearchParams): SearchParams {
  const raw: Record<string, string> = {}
  // The first value of each parameter, as a form would send it.
  for (const [key, value] of searchParams) raw[key] ??= value
  const params = SearchParamsSchema.parse(raw)
  // The answered filter belongs to questions and the upcoming one to events: with another kind they
  // would silently empty the results.
  return {
    ...params,
    answered: params.type === 'question' ? params.answered : undefined,
    upcoming: params.type === 'event' ? params.upcoming : undefined,
  }
}

/** Something to search for: words, a kind or a filter. A bare /search shows the form only. */
export function hasSearch(params: SearchParams): boolean {
  return Boolean(params.q || params.type || params.tag)
}

export function searchRequest(params: SearchParams): SearchRequest {
  return {
    q: params.q,
    types: params.type ? [params.type] : undefined,
    tag: params.tag,
    answered: params.answered === undefined ? undefined : params.answered === 'yes',
    upcoming: params.upcoming === 'yes' ? true : undefined,
    page: params.page,
  }
}

/** The search page's address for these parameters, with `changes` applied (undefined removes one).
 *  The page number is dropped: a different search starts at its first page. */
export function searchHref(params: SearchParams, changes: Partial<SearchParams> = {}): string {
  const next = { ...params, ...changes }
  const query = new URLSearchParams()
  if (next.q) query.set('q', next.q)
  if (next.type) query.set('type', next.type)
  if (next.tag) query.set('tag', next.tag)
  if (next.type === 'question' && next.answered) query.set('answered', next.answered)
  if (next.type === 'event' && next.upcoming) query.set('upcoming', next.upcoming)
  const search = query.toString()
  return search ? `/search?${search}` : '/search'
}
