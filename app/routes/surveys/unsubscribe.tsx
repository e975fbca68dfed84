import { data, Form } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { checkUnsubscribeToken, unsubscribeFromSurveys } from '#app/domain/retention/nps.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage } from '#app/server/http.server.ts'
import type { Route } from './+types/unsubscribe'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'nps.unsubscribe.title')

export function headers() {
  return { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' }
}

/** `GET /surveys/unsubscribe/:token`: a button that confirms (a GET changes nothing, so a link scanner
 *  cannot unsubscribe anyone). */
export async function loader({ params, context }: Route.LoaderArgs) {
  const outcome = await checkUnsubscribeToken(getDb(context), params.token)
  if (!outcome.ok) return data({ invalid: failureMessage(context, outcome) }, { status: outcome.status })
  return { invalid: null }
}

/** `POST /surveys/unsubscribe/:token`: the confirm button, and the one-click unsubscribe of RFC 8058
 *  that mail clients send (body `List-Unsubscribe=One-Click`, no cookies). The body is not read: the
 *  signed token is all it takes, and the opt-out is recorded once however often it comes. */
export async function action({ params, context }: Route.ActionArgs) {
  const outcome = await unsubscribeFromSurveys(getDb(context), { token: params.token })
  if (!outcome.ok) return data({ done: false, invalid: failureMessage(context, outcome) }, { status: outcome.status })
  return { done: true, invalid: null }
}

export default function Unsubscribe({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const invalid = actionData?.invalid ?? loaderData.invalid
  return (
    <div className="narrow stack">
      <h1>{t('nps.unsubscribe.title')}</h1>
      {invalid ? (
        <p className="notice" role="alert">
          {invalid}
        </p>
      ) : actionData?.done ? (
        <p className="notice" role="status">
          {t('nps.unsubscribe.done')}
        </p>
      ) : (
        <Form method="post" className="stack">
          <p>{t('nps.unsubscribe.lead')}</p>
          <p>
            <button type="submit" className="button">
              {t('nps.unsubscribe.confirm')}
            </button>
          </p>
        </Form>
      )}
    </div>
  )
}
