import { SUGGESTIONS, type SuggestResponse } from '#app/components/search/suggestions.ts'
import { searchContent } from '#app/domain/search/search.server.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureMessage } from '#app/server/http.server.ts'
import { searchLimits } from '#search/engine.ts'
import type { Route } from './+types/suggest'

/** Suggestions for the header search box as the reader types: the best few results, titles
 *  highlighted. Not recorded in search insights: only searches made on the search page count. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, searchLimits.maxQueryLength)
  const headers = { 'Cache-Control': 'private, max-age=30' }
  if (!q) return Response.json({ q, hits: [] } satisfies SuggestResponse, { headers })
  const outcome = await searchContent(getDb(context), {
    request: { q, perPage: SUGGESTIONS },
    user: getOptionalUser(context),
    locale: context.get(localeContext),
  })
  if (!outcome.ok) {
    const body: SuggestResponse = { q, hits: [], error: failureMessage(context, outcome) }
    return Response.json(body, { status: outcome.status, headers: { 'Cache-Control': 'no-store' } })
  }
  const hits = outcome.value.result.hits.map((hit) => ({
    id: hit.id,
    type: hit.type,
    locale: hit.locale,
    title: hit.highlights.title,
    url: hit.url,
  }))
  return Response.json({ q, hits } satisfies SuggestResponse, { headers })
}
