import { useT } from '#app/components/translation.tsx'
import type { SsoLoginError } from '#app/domain/identity/sso-schemas.ts'

/** "Sign in with <provider>", one per enabled provider. A link, not a form: the page's CSP allows forms
 *  to submit only to this site (`form-action 'self'`), which browsers also apply to the redirect a form
 *  answer makes, and the start is a redirect to the provider. A plain navigation, with or without
 *  JavaScript; the attempt it makes is bound to this browser by its cookie (decision 037). */
export function SsoButtons({
  providers,
  redirectTo,
  error,
}: {
  providers: { slug: string; name: string }[]
  redirectTo: string
  error?: SsoLoginError | null
}) {
  const { t } = useT()
  if (providers.length === 0 && !error) return null
  const query = redirectTo && redirectTo !== '/' ? `?${new URLSearchParams({ redirectTo })}` : ''
  return (
    <div className="stack">
      {error ? (
        <p className="form-errors" role="alert">
          {t(`sso.errors.${error}`)}
        </p>
      ) : null}
      {providers.length > 0 ? (
        <div className="stack" role="group" aria-label={t('sso.providers_label')}>
          {providers.map((provider) => (
            // A full page load: the answer is a redirect to another site.
            <a key={provider.slug} href={`/auth/sso/${provider.slug}${query}`} className="button button-secondary">
              {t('sso.sign_in_with', { name: provider.name })}
            </a>
          ))}
        </div>
      ) : null}
    </div>
  )
}
