import { NavLink, Outlet } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { requireCapability } from '#app/server/auth.server.ts'
import type { Route } from './+types/layout'

export function loader({ request, context }: Route.LoaderArgs) {
  requireCapability(context, request, 'manage.dashboard')
  return null
}

export default function ManageLayout() {
  const { t } = useT()
  return (
    <div className="stack manage">
      <nav aria-label={t('manage.nav.label')} className="sub-nav">
        <NavLink to="/manage" end>
          {t('manage.nav.dashboard')}
        </NavLink>
        <NavLink to="/manage/health-check">{t('manage.nav.healthCheck')}</NavLink>
        <NavLink to="/manage/surveys">{t('manage.nav.surveys')}</NavLink>
        <NavLink to="/manage/onboarding">{t('manage.nav.onboarding')}</NavLink>
        <NavLink to="/manage/settings">{t('manage.nav.settings')}</NavLink>
      </nav>
      <Outlet />
    </div>
  )
}
