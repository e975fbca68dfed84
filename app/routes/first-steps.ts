import { redirect } from 'react-router'
import { nextOnboardingSession } from '#app/domain/events/onboarding-sessions.server.ts'
import { gettingStartedArticle } from '#app/domain/help/getting-started.server.ts'
import { readOnboardingSettings, stepFallbackPaths } from '#app/domain/identity/onboarding.server.ts'
import { type FirstStepKind, firstStepKinds } from '#app/domain/identity/onboarding.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import type { Route } from './+types/first-steps'

/** The lasting address of a first step, as the welcome email links it: it leads to the step's page as it
 *  is when followed (the getting-started article in the reader's language, the next onboarding webinar). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request)
  const step = params.step as FirstStepKind
  if (!(firstStepKinds as readonly string[]).includes(step))
    throw failureResponse(context, fail(404, 'errors.not_found'))
  const db = getDb(context)
  if (step === 'article') {
    const settings = await readOnboardingSettings(db)
    const article = await gettingStartedArticle(db, { articleId: settings.articleId, locale: user.locale })
    if (article) return redirect(article.path)
  }
  if (step === 'webinar') {
    const session = await nextOnboardingSession(db, { user })
    if (session) return redirect(`/events/${session.id}`)
  }
  return redirect(stepFallbackPaths[step])
}
