import { Link } from 'react-router'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'

type UserRow = {
  id: number
  displayName: string
  email: string
  role: string
  disabledAt: Date | string | null
  accountId?: number | null
  accountName?: string | null
}

/** Users with a link to each one's page; the account column only where users of several accounts mix. */
export function UsersTable({ users, showAccount = false }: { users: UserRow[]; showAccount?: boolean }) {
  const { t } = useT()
  return (
    <TableScroll label={t('admin.users.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('admin.users.columns.name')}</th>
            <th scope="col">{t('admin.users.columns.email')}</th>
            <th scope="col">{t('admin.users.columns.role')}</th>
            {showAccount ? <th scope="col">{t('admin.users.columns.account')}</th> : null}
            <th scope="col">{t('admin.users.columns.status')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id}>
              <td>
                <Link to={`/admin/users/${user.id}`}>{user.displayName}</Link>
              </td>
              <td>{user.email}</td>
              <td>{t(`identity.roles.${user.role}`)}</td>
              {showAccount ? (
                <td>
                  {user.accountId ? (
                    <Link to={`/admin/accounts/${user.accountId}`}>{user.accountName}</Link>
                  ) : (
                    <span className="muted">{t('admin.users.no_account')}</span>
                  )}
                </td>
              ) : null}
              <td>
                {user.disabledAt ? (
                  <span className="badge badge-danger">{t('admin.users.status.disabled')}</span>
                ) : (
                  <span className="badge">{t('admin.users.status.active')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  )
}
