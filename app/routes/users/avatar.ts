import { readAvatar } from '#app/domain/people/avatars.server.ts'
import { fail } from '#app/lib/outcome.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage } from '#app/server/http.server.ts'
import type { Route } from './+types/avatar'

/** A member's picture (`/users/<id>/avatar/<version>`). The version is when it changed, so the URL of
 *  one picture never shows another and caches may keep it for a year. An old version redirects to the
 *  current one (a page cached before the change still shows a picture); no picture, or a disabled
 *  member, is a 404. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const notFound = () =>
    new Response(failureMessage(context, fail(404, 'people.avatar.not_found')), {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  const userId = Number(params.userId)
  if (!/^\d{1,9}$/.test(params.userId) || userId <= 0 || !/^\d{1,16}$/.test(params.version)) return notFound()
  const avatar = await readAvatar(getDb(context), userId)
  if (!avatar) return notFound()
  if (avatar.version !== params.version) {
    return new Response(null, {
      status: 302,
      headers: { Location: `/users/${userId}/avatar/${avatar.version}`, 'Cache-Control': 'no-store' },
    })
  }
  return new Response(new Uint8Array(avatar.image), {
    headers: {
      'Content-Type': avatar.contentType,
      'Content-Length': String(avatar.image.byteLength),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Content-Disposition': 'inline; filename="avatar.webp"',
    },
  })
}
