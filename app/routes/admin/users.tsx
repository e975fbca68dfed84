import { Form } from 'react-router'
import { Field, SelectField } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { useT } from '#app/components/translation.tsx'
import { roles } from '#app/domain/identity/permissions.ts'
import { RoleSchema } from '#app/domain/identity/schemas.ts'
import { listUsers } from '#app/domain/identity/users.server.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import type { Route } from './+types/users'
import { adminTitle } from './title.ts'
import { UsersTable } from './users-table.tsx'

export const meta: Route.MetaFunction = ({ matches }) => adminTitle(matches, 'admin.users.title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'users.view')
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100)
  const role = RoleSchema.safeParse(url.searchParams.get('role')).data
  const outcome = await listUsers(getDb(context), { actor, filter: { q, role, page: pageParam(url) } })
  if (!outcome.ok) throw failureResponse(context, outcome)
  redirectPastLastPage(url, outcome.value)
  return { ...outcome.value, q, role: role ?? '' }
}

export default function AdminUsers({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { users, q, role } = loaderData
  return (
    <section className="stack" aria-labelledby="users-title">
      <h2 id="users-title">{t('admin.users.title')}</h2>
      <Form method="get" className="toolbar" role="search" aria-label={t('admin.users.filters')}>
        <Field label={t('admin.users.search')} inputProps={{ key: q, name: 'q', type: 'search', defaultValue: q }} />
        <SelectField
          label={t('admin.users.role')}
          selectProps={{ key: role, name: 'role', defaultValue: role }}
          options={[
            { value: '', label: t('admin.users.all_roles') },
            ...roles.map((value) => ({ value, label: t(`identity.roles.${value}`) })),
          ]}
        />
        <button type="submit" className="button">
          {t('admin.users.apply')}
        </button>
      </Form>
      <p className="muted">{t('admin.users.total', { count: loaderData.total })}</p>
      {users.length === 0 ? <p>{t('admin.users.empty')}</p> : <UsersTable users={users} showAccount />}
      <Pagination page={loaderData.page} perPage={loaderData.perPage} total={loaderData.total} />
    </section>
  )
}
