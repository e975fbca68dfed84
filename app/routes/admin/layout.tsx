import { NavLink, Outlet } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { can } from '#app/domain/identity/permissions.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import type { Route } from './+types/layout'

export function loader({ request, context }: Route.LoaderArgs) {
  const user = requireCapability(context, request, 'admin.area')
  return {
    canAudit: can(user, 'audit.view'),
    canMail: can(user, 'mail.view'),
    canJobs: can(user, 'jobs.view'),
    canApiTokens: can(user, 'support.configure'),
    canSso: can(user, 'sso.configure'),
    canUploads: can(user, 'uploads.configure'),
  }
}

export default function AdminLayout({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  return (
    <div className="stack">
      <h1>{t('admin.title')}</h1>
      <nav className="sub-nav" aria-label={t('admin.nav.label')}>
        <NavLink to="/admin/users">{t('admin.nav.users')}</NavLink>
        <NavLink to="/admin/accounts">{t('admin.nav.accounts')}</NavLink>
        {loaderData.canAudit ? <NavLink to="/admin/audit">{t('admin.nav.audit')}</NavLink> : null}
        {loaderData.canMail ? <NavLink to="/admin/mail">{t('admin.nav.mail')}</NavLink> : null}
        {loaderData.canJobs ? <NavLink to="/admin/jobs">{t('admin.nav.jobs')}</NavLink> : null}
        {loaderData.canApiTokens ? <NavLink to="/admin/api-tokens">{t('support_helpdesk.tokens.nav')}</NavLink> : null}
        {loaderData.canSso ? <NavLink to="/admin/sso">{t('sso.admin.nav')}</NavLink> : null}
        {loaderData.canUploads ? <NavLink to="/admin/uploads">{t('uploads.admin.nav')}</NavLink> : null}
      </nav>
      <Outlet />
    </div>
  )
}
