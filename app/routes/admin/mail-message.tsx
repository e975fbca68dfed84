import { Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { formatDateTime } from '#app/lib/format.ts'
import { getOutboxMessage } from '#app/lib/mail.server.ts'
import { fail } from '#app/lib/outcome.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import type { Route } from './+types/mail-message'
import { MailStatusBadge } from './mail-status.tsx'
import { adminTitle } from './title.ts'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  adminTitle(matches, (t) => loaderData?.message.subject ?? t('admin.mail.title'))

export async function loader({ request, params, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'mail.view')
  const message = await getOutboxMessage(getDb(context), intParam(params.messageId))
  if (!message) throw failureResponse(context, fail(404, 'errors.not_found'))
  return { message }
}

export default function AdminMailMessage({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { message } = loaderData
  return (
    <section className="stack" aria-labelledby="message-title">
      <p>
        <Link to="/admin/mail">{t('admin.mail.back')}</Link>
      </p>
      <h2 id="message-title">{t('admin.mail.message.title', { id: message.id })}</h2>
      <dl className="facts" aria-label={t('admin.mail.message.headers')}>
        <dt>{t('admin.mail.message.to')}</dt>
        <dd>{message.toAddress}</dd>
        <dt>{t('admin.mail.message.subject')}</dt>
        <dd>{message.subject}</dd>
        <dt>{t('admin.mail.message.template')}</dt>
        <dd>
          <code>{message.template}</code>
        </dd>
        <dt>{t('admin.mail.message.status')}</dt>
        <dd>
          <MailStatusBadge status={message.status} />
        </dd>
        <dt>{t('admin.mail.message.created')}</dt>
        <dd>{formatDateTime(message.createdAt, locale, timeZone)}</dd>
        {message.sentAt ? (
          <>
            <dt>{t('admin.mail.message.sent')}</dt>
            <dd>{formatDateTime(message.sentAt, locale, timeZone)}</dd>
          </>
        ) : null}
        <dt>{t('admin.mail.message.attempts')}</dt>
        <dd>{message.attempts}</dd>
        {message.messageId ? (
          <>
            <dt>{t('admin.mail.message.message_id')}</dt>
            <dd>
              <code>{message.messageId}</code>
            </dd>
          </>
        ) : null}
        {message.lastError ? (
          <>
            <dt>{t('admin.mail.message.last_error')}</dt>
            <dd>
              <code>{message.lastError}</code>
            </dd>
          </>
        ) : null}
      </dl>
      <h3>{t('admin.mail.message.body')}</h3>
      <pre className="mail-body">{message.textBody}</pre>
    </section>
  )
}
