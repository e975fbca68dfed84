import { similarQuestions } from '#app/domain/qa/similar.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import type { Route } from './+types/similar'

/** Questions like the title being typed, for the ask form's "similar questions" list. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 200)
  const questions =
    q.length >= 3 ? await similarQuestions(getDb(context), { text: q, locale: context.get(localeContext) }) : []
  return Response.json({ questions }, { headers: { 'Cache-Control': 'private, max-age=30' } })
}
