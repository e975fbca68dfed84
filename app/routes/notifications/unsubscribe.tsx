import { data, Form, Link } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { checkNotificationUnsubscribe, unsubscribeNotifications } from '#app/domain/notify/preferences.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage } from '#app/server/http.server.ts'
import type { Route } from './+types/unsubscribe'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'notify.unsubscribe.title')

export function headers() {
  return { 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' }
}

/** `GET /unsubscribe/:token`: what the link turns off, and a button that confirms (a GET changes
 *  nothing, so a link scanner cannot unsubscribe anyone). No sign-in: the signed token is enough. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const outcome = await checkNotificationUnsubscribe(getDb(context), params.token)
  if (!outcome.ok) return data({ invalid: failureMessage(context, outcome), view: null }, { status: outcome.status })
  return { invalid: null, view: outcome.value }
}

/** `POST /unsubscribe/:token`: the confirm button, and the one-click unsubscribe of RFC 8058 that mail
 *  clients send (body `List-Unsubscribe=One-Click`, no cookies: the door strips them). The body is not
 *  read; the signed token names the member and the kind, and a second request changes nothing more. */
export async function action({ params, context }: Route.ActionArgs) {
  const outcome = await unsubscribeNotifications(getDb(context), params.token)
  if (!outcome.ok) return data({ done: false, invalid: failureMessage(context, outcome) }, { status: outcome.status })
  return { done: true, invalid: null }
}

export default function Unsubscribe({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const invalid = actionData?.invalid ?? loaderData.invalid
  const view = loaderData.view
  return (
    <div className="narrow stack">
      <h1>{t('notify.unsubscribe.title')}</h1>
      {invalid || !view ? (
        <p className="notice" role="alert">
          {invalid}
        </p>
      ) : actionData?.done || view.alreadyOff ? (
        <p className="notice" role="status">
          {t(actionData?.done ? 'notify.unsubscribe.done' : 'notify.unsubscribe.already')}
        </p>
      ) : (
        <Form method="post" className="stack">
          <p>
            {view.scope === 'digest'
              ? t('notify.unsubscribe.lead_digest')
              : t('notify.unsubscribe.lead_kind', { kind: t(`notify.settings.kinds.${view.scope}`) })}
          </p>
          <p>{t('notify.unsubscribe.in_app')}</p>
          <p>
            <button type="submit" className="button">
              {t('notify.unsubscribe.confirm')}
            </button>
          </p>
        </Form>
      )}
      <p>
        <Link to="/settings/notifications">{t('notify.unsubscribe.manage')}</Link>
      </p>
    </div>
  )
}
