import { suggestTags } from '#app/domain/qa/tag-admin.server.ts'
import { MAX_TAG_LENGTH } from '#app/domain/qa/tags.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/tag-suggest'

/** The longest `q` read at all: a few times a tag's longest name, for spaces and full-width forms. */
const RAW_QUERY_MAX = 4 * MAX_TAG_LENGTH

/** Existing tags for the tag being typed in a tags field, with their question counts, as JSON
 *  `{ tags: [{ name, questions }] }`: at most 8, public like /tags, `q` bounded. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const q = new URL(request.url).searchParams.get('q') ?? ''
  if (q.length > RAW_QUERY_MAX) {
    return Response.json({ tags: [] }, { status: 400, headers: { 'Cache-Control': 'no-store' } })
  }
  const tags = await suggestTags(getDb(context), { query: q })
  return Response.json({ tags }, { headers: { 'Cache-Control': 'public, max-age=30' } })
}
