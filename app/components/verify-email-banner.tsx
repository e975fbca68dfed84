import { Form, useLocation, useSearchParams } from 'react-router'
import { useRootData } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'

/** Shown on every page to a member whose address is not confirmed yet: what is waiting for them, and a
 *  button (a plain form, so it works without JavaScript) to send the link again. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const { t } = useT()
  const location = useLocation()
  const [searchParams] = useSearchParams()
  const sent = searchParams.get('verification') === 'sent'
  const here = location.pathname + location.search
  return (
    <aside className="verify-banner" aria-labelledby="verify-banner-title">
      <div className="verify-banner-inner">
        <p id="verify-banner-title">
          <strong>{t('identity.verify.banner_title')}</strong> {t('identity.verify.banner_body', { email })}
        </p>
        {sent ? (
          <p role="status">{t('identity.verify.sent_again')}</p>
        ) : (
          <Form method="post" action="/verify-email">
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" className="button button-small button-secondary">
              {t('identity.verify.send_again')}
            </button>
          </Form>
        )}
      </div>
    </aside>
  )
}

/** On a page whose form an unconfirmed member cannot send yet: says so before they type. */
export function VerifyFirstNotice() {
  const { t } = useT()
  const root = useRootData()
  if (!root?.user || root.user.emailVerified) return null
  return (
    <p className="form-errors" role="note">
      {t('identity.verify.required')}
    </p>
  )
}
