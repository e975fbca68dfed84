import { SUGGEST_QUERY_MAX, suggestMentions } from '#app/domain/notify/mentions.server.ts'
import { avatarPath } from '#app/domain/people/avatar.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/suggest'

/** The longest `q` read at all: a few times a mention's longest name, for spaces and full-width forms. */
const RAW_QUERY_MAX = 4 * SUGGEST_QUERY_MAX

const headers = { 'Cache-Control': 'private, no-store' }

/** People to mention for the "@" + name being typed in the editor, as JSON `{ users: [{ id, name,
 *  avatarUrl? }] }`: at most 8, signed-in members only (a visitor gets a 401), `q` bounded. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const viewer = getOptionalUser(context)
  if (!viewer) return Response.json({ users: [] }, { status: 401, headers })
  const q = new URL(request.url).searchParams.get('q') ?? ''
  if (q.length > RAW_QUERY_MAX) return Response.json({ users: [] }, { status: 400, headers })
  const found = await suggestMentions(getDb(context), { viewer, query: q })
  const users = found.map(({ id, name, avatarUpdatedAt }) => {
    const avatarUrl = avatarPath(id, avatarUpdatedAt)
    return avatarUrl ? { id, name, avatarUrl } : { id, name }
  })
  return Response.json({ users }, { headers })
}
