import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { newProviderDefaults, SsoProviderForm } from '#app/components/identity/sso-provider-form.tsx'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { createSsoProvider, listSsoProviders, ssoCallbackUrl } from '#app/domain/identity/sso.server.ts'
import { SsoProviderSchema } from '#app/domain/identity/sso-schemas.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/sso'
import { adminTitle } from './title.ts'

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'sso.admin.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'sso.configure')
  const db = getDb(context)
  const providers = await listSsoProviders(db, actor)
  if (!providers.ok) throw failureResponse(context, providers)
  return {
    providers: providers.value.map((provider) => ({ ...provider, callbackUrl: ssoCallbackUrl(provider.slug) })),
    deleted: new URL(request.url).searchParams.get('done') === 'deleted',
    submissionKey: await issueOneTimeKey(db, actor),
  }
}

/** The names this page's form sends; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(SsoProviderSchema), 'intent', ONE_TIME_KEY_FIELD]

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'sso.configure')
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS })
  const submission = parseWithZod(formData, { schema: SsoProviderSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['clientSecret'] }) }, { status: 400 })
  }
  const outcome = await sendOnce(db, actor, formData, (once) =>
    createSsoProvider(db, { actor, input: submission.value, once }),
  )
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return failureResponse(context, outcome, submission, { hideFields: ['clientSecret'] })
  return redirect(`/admin/sso/${outcome.value.id}?done=created`)
}

export default function AdminSso({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { providers } = loaderData
  return (
    <section className="stack" aria-labelledby="sso-title">
      <h2 id="sso-title">{t('sso.admin.title')}</h2>
      <p>{t('sso.admin.lead')}</p>
      {loaderData.deleted ? (
        <p className="notice" role="status">
          {t('sso.admin.deleted')}
        </p>
      ) : null}
      {providers.length === 0 ? (
        <p className="empty">{t('sso.admin.empty')}</p>
      ) : (
        <TableScroll label={t('sso.admin.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('sso.admin.columns.name')}</th>
                <th scope="col">{t('sso.admin.columns.issuer')}</th>
                <th scope="col">{t('sso.admin.columns.callback')}</th>
                <th scope="col">{t('sso.admin.columns.members')}</th>
                <th scope="col">{t('sso.admin.columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {providers.map((provider) => (
                <tr key={provider.id}>
                  <th scope="row">
                    <Link to={`/admin/sso/${provider.id}`}>{provider.name}</Link>
                  </th>
                  <td>{provider.issuer}</td>
                  <td>
                    <code>{provider.callbackUrl}</code>
                  </td>
                  <td>{provider.members}</td>
                  <td>
                    <span className="badge">
                      {t(provider.enabled ? 'sso.admin.status.enabled' : 'sso.admin.status.disabled')}
                    </span>
                    {provider.passwordSignIn ? null : (
                      <div className="muted">{t('sso.admin.password_closed_badge')}</div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <section className="panel stack narrow" aria-labelledby="sso-add-title">
        <h3 id="sso-add-title">{t('sso.admin.add_title')}</h3>
        <SsoProviderForm
          id="sso-provider-new"
          intent="create"
          lastResult={actionData?.result}
          defaultValue={newProviderDefaults}
          submitLabel={t('sso.admin.add')}
          hasSecret={null}
          submissionKey={loaderData.submissionKey}
        />
      </section>
    </section>
  )
}
