import { Form, Link } from 'react-router'
import { Field, SelectField } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { listAccounts } from '#app/domain/identity/accounts.server.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { accountStatuses } from '#app/domain/identity/schemas.ts'
import { formatDate, formatMoney } from '#app/lib/format.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import type { Route } from './+types/accounts'
import { adminTitle } from './title.ts'

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'admin.accounts.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'accounts.view')
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 120)
  const asked = url.searchParams.get('status')
  // Churned accounts leave the list unless asked for.
  const status = accountStatuses.find((s) => s === asked) ?? 'active'
  const outcome = await listAccounts(getDb(context), { actor, q, status, page: pageParam(url) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  redirectPastLastPage(url, outcome.value)
  return { ...outcome.value, q, canManage: can(actor, 'accounts.manage') }
}

export default function AdminAccounts({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale } = useViewer()
  const { accounts, q, status } = loaderData
  const notSet = <span className="muted">{t('admin.not_set')}</span>
  return (
    <section className="stack" aria-labelledby="accounts-title">
      <h2 id="accounts-title">{t('admin.accounts.title')}</h2>
      {loaderData.canManage ? (
        <p className="toolbar">
          <Link to="/admin/accounts/new" className="button">
            {t('admin.accounts.new')}
          </Link>
          <Link to="/admin/accounts/import" className="button button-secondary">
            {t('admin.accounts.import')}
          </Link>
          <Link to="/admin/accounts/outcomes/import" className="button button-secondary">
            {t('outcomes.section.import_link')}
          </Link>
        </p>
      ) : null}
      <Form method="get" className="toolbar" role="search" aria-label={t('admin.accounts.filters')}>
        <Field label={t('admin.accounts.search')} inputProps={{ key: q, name: 'q', type: 'search', defaultValue: q }} />
        <SelectField
          label={t('admin.accounts.status')}
          selectProps={{ key: status, name: 'status', defaultValue: status }}
          options={accountStatuses.map((value) => ({ value, label: t(`admin.accounts.statuses.${value}`) }))}
        />
        <button type="submit" className="button">
          {t('admin.accounts.apply')}
        </button>
      </Form>
      <p className="muted">{t('admin.accounts.total', { count: loaderData.total })}</p>
      {accounts.length === 0 ? (
        <p>{t('admin.accounts.empty')}</p>
      ) : (
        <TableScroll label={t('admin.accounts.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.accounts.columns.name')}</th>
                <th scope="col">{t('admin.accounts.columns.domains')}</th>
                <th scope="col">{t('admin.accounts.columns.plan')}</th>
                <th scope="col">{t('admin.accounts.columns.arr')}</th>
                <th scope="col">{t('admin.accounts.columns.seats')}</th>
                <th scope="col">{t('admin.accounts.columns.members')}</th>
                <th scope="col">{t('admin.accounts.columns.renewal')}</th>
                <th scope="col">{t('admin.accounts.columns.tier')}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((account) => (
                <tr key={account.id}>
                  <td>
                    <Link to={`/admin/accounts/${account.id}`}>{account.name}</Link>
                    {account.churnedAt ? (
                      <>
                        {' '}
                        <span className="badge badge-danger">{t('admin.accounts.churned_marker')}</span>
                      </>
                    ) : null}
                  </td>
                  <td>{account.domains.length ? account.domains.join(', ') : notSet}</td>
                  <td>{account.plan ?? notSet}</td>
                  <td>
                    {account.arrMinor === null ? notSet : formatMoney(account.arrMinor, account.arrCurrency, locale)}
                  </td>
                  <td>{account.seats ?? notSet}</td>
                  <td>{account.members}</td>
                  <td>{account.renewalDate ? formatDate(account.renewalDate, locale) : notSet}</td>
                  <td>{t(`admin.accounts.tiers.${account.touchTierOverride ?? 'automatic'}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={loaderData.page} perPage={loaderData.perPage} total={loaderData.total} />
    </section>
  )
}
