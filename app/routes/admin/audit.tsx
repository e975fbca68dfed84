import { Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { listAudit } from '#app/domain/identity/audit.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { intParam } from '#app/server/http.server.ts'
import type { Route } from './+types/audit'
import { adminTitle } from './title.ts'

const PER_PAGE = 50

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'admin.audit.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'audit.view')
  const raw = new URL(request.url).searchParams.get('before')
  const before = raw ? intParam(raw) : undefined
  // One more than shown tells whether an older page exists.
  const rows = await listAudit(getDb(context), { before, limit: PER_PAGE + 1 })
  const entries = rows.slice(0, PER_PAGE)
  return { entries, older: rows.length > PER_PAGE ? (entries.at(-1)?.id ?? null) : null, paged: !!before }
}

export default function AdminAudit({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { entries } = loaderData
  return (
    <section className="stack" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('admin.audit.title')}</h2>
      <p className="muted">{t('admin.audit.lead')}</p>
      {entries.length === 0 ? (
        <p>{t('admin.audit.empty')}</p>
      ) : (
        <TableScroll label={t('admin.audit.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.columns.time')}</th>
                <th scope="col">{t('admin.audit.columns.actor')}</th>
                <th scope="col">{t('admin.audit.columns.action')}</th>
                <th scope="col">{t('admin.audit.columns.target')}</th>
                <th scope="col">{t('admin.audit.columns.details')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <time dateTime={new Date(entry.occurredAt).toISOString()}>
                      {formatDateTime(entry.occurredAt, locale, timeZone)}
                    </time>
                  </td>
                  <td>
                    {entry.actorId ? (
                      <Link to={`/admin/users/${entry.actorId}`}>{entry.actorName}</Link>
                    ) : (
                      t('admin.audit.system')
                    )}
                  </td>
                  <td>
                    {t(`admin.audit.actions.${entry.action.replace(/\./g, '_')}`, { defaultValue: entry.action })}
                  </td>
                  <td>
                    <Target type={entry.targetType} id={entry.targetId} />
                  </td>
                  <td>
                    <code>{JSON.stringify(entry.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav className="pagination" aria-label={t('common.pagination')}>
        {loaderData.paged ? <Link to="/admin/audit">{t('admin.audit.newest')}</Link> : null}
        {loaderData.older ? (
          <Link to={`/admin/audit?before=${loaderData.older}`} rel="next">
            {t('admin.audit.older')}
          </Link>
        ) : null}
      </nav>
    </section>
  )
}

function Target({ type, id }: { type: string; id: string | null }) {
  const { t } = useT()
  if (type === 'user' && id) return <Link to={`/admin/users/${id}`}>{t('admin.audit.targets.user', { id })}</Link>
  if (type === 'account' && id) {
    return <Link to={`/admin/accounts/${id}`}>{t('admin.audit.targets.account', { id })}</Link>
  }
  if (type === 'account') return <>{t('admin.audit.targets.accounts')}</>
  return <>{id ? `${type} #${id}` : type}</>
}
