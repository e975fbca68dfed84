import { Form, Link } from 'react-router'
import { SelectField } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { formatDateTime } from '#app/lib/format.ts'
import { listOutbox } from '#app/lib/mail.server.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/mail'
import { MailStatusBadge, mailStatuses as statuses } from './mail-status.tsx'
import { adminTitle } from './title.ts'

const LIMIT = 50

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'admin.mail.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'mail.view')
  const wanted = new URL(request.url).searchParams.get('status')
  const status = statuses.find((s) => s === wanted) ?? null
  const messages = await listOutbox(getDb(context), { status: status ?? undefined, limit: LIMIT })
  return { messages, status, limit: LIMIT }
}

export default function AdminMail({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { messages, status } = loaderData
  return (
    <section className="stack" aria-labelledby="mail-title">
      <h2 id="mail-title">{t('admin.mail.title')}</h2>
      <p>{t('admin.mail.lead')}</p>
      <Form method="get" className="toolbar" aria-label={t('admin.mail.filters')}>
        <SelectField
          label={t('admin.mail.status')}
          selectProps={{ key: status ?? 'all', name: 'status', defaultValue: status ?? '' }}
          options={[
            { value: '', label: t('admin.mail.all') },
            ...statuses.map((value) => ({ value, label: t(`admin.mail.statuses.${value}`) })),
          ]}
        />
        <button type="submit" className="button">
          {t('admin.mail.apply')}
        </button>
      </Form>
      {messages.length === 0 ? (
        <p>{t('admin.mail.empty')}</p>
      ) : (
        <>
          <TableScroll label={t('admin.mail.title')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('admin.mail.columns.time')}</th>
                  <th scope="col">{t('admin.mail.columns.to')}</th>
                  <th scope="col">{t('admin.mail.columns.subject')}</th>
                  <th scope="col">{t('admin.mail.columns.template')}</th>
                  <th scope="col">{t('admin.mail.columns.status')}</th>
                  <th scope="col">{t('admin.mail.columns.attempts')}</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((message) => (
                  <tr key={message.id}>
                    <td>
                      <time dateTime={new Date(message.createdAt).toISOString()}>
                        {formatDateTime(message.createdAt, locale, timeZone)}
                      </time>
                    </td>
                    <td>{message.toAddress}</td>
                    <td>
                      <Link to={`/admin/mail/${message.id}`}>{message.subject}</Link>
                    </td>
                    <td>
                      <code>{message.template}</code>
                    </td>
                    <td>
                      <MailStatusBadge status={message.status} />
                    </td>
                    <td>{message.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {messages.length >= loaderData.limit ? (
            <p className="muted">{t('admin.mail.latest', { count: loaderData.limit })}</p>
          ) : null}
        </>
      )}
    </section>
  )
}
