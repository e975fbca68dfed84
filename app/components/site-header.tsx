import { Form, Link, NavLink, useLocation } from 'react-router'
import { Avatar } from '#app/components/people/avatar.tsx'
import { HeaderSearch } from '#app/components/search/header-search.tsx'
import { useT } from '#app/components/translation.tsx'
import type { Locale } from '#app/lib/i18n.ts'

type HeaderUser = {
  id: number
  displayName: string
  role: string
  avatarUpdatedAt?: Date | string | null
  canAdmin: boolean
  canModerate: boolean
  canManage: boolean
} | null

export function SiteHeader({
  user,
  locale,
  unreadNotifications = 0,
}: {
  user: HeaderUser
  locale: Locale
  unreadNotifications?: number
}) {
  const { t } = useT()
  const location = useLocation()
  const here = location.pathname + location.search
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        {/* On a narrow screen everything but the brand folds into this disclosure, which needs no
            JavaScript; on a wide one the CSS shows its content in line and hides the summary. */}
        <details className="site-menu">
          <summary className="site-menu-toggle">
            {user ? <Avatar user={user} size={22} /> : null}
            {t('nav.menu')}
            {user && unreadNotifications > 0 ? (
              <>
                <span className="notification-badge" aria-hidden="true">
                  {unreadNotifications > 99 ? '99+' : unreadNotifications}
                </span>
                {/* The badge is a picture of the count; the menu's name says it in words. */}
                <span className="visually-hidden">{t('notify.nav.link_unread', { count: unreadNotifications })}</span>
              </>
            ) : null}
          </summary>
          <div className="site-menu-panel">
            <nav aria-label={t('nav.main')} className="main-nav">
              <NavLink to="/questions">{t('nav.questions')}</NavLink>
              <NavLink to="/help">{t('nav.help')}</NavLink>
              <NavLink to="/events">{t('nav.events')}</NavLink>
              <NavLink to="/support">{t('nav.support')}</NavLink>
            </nav>
            <HeaderSearch />
            <div className="header-tools">
              <Form method="post" action="/set-locale" className="locale-switch">
                <input type="hidden" name="redirectTo" value={here} />
                <button
                  type="submit"
                  name="locale"
                  value={locale === 'ja' ? 'en' : 'ja'}
                  lang={locale === 'ja' ? 'en' : 'ja'}
                  aria-label={t('nav.switch_language', { lng: locale === 'ja' ? 'en' : 'ja' })}
                >
                  {locale === 'ja' ? 'English' : '日本語'}
                </button>
              </Form>
              {user ? <NotificationsLink unread={unreadNotifications} /> : null}
              {user ? (
                <details className="account-menu">
                  {/* A long name is cut short with an ellipsis; the title shows it whole on hover and
                      the text stays whole for assistive technology. */}
                  <summary title={user.displayName}>
                    <Avatar user={user} size={24} />
                    <span className="account-menu-name">{user.displayName}</span>
                  </summary>
                  <ul>
                    <li>
                      <Link to={`/users/${user.id}`}>{t('nav.profile')}</Link>
                    </li>
                    <li>
                      <Link to="/settings">{t('nav.settings')}</Link>
                    </li>
                    {user.canModerate ? (
                      <li>
                        <Link to="/moderation">{t('qa.nav.moderation')}</Link>
                      </li>
                    ) : null}
                    {user.canManage ? (
                      <li>
                        <Link to="/manage">{t('manage.nav.link')}</Link>
                      </li>
                    ) : null}
                    {user.canAdmin ? (
                      <li>
                        <Link to="/admin">{t('nav.admin')}</Link>
                      </li>
                    ) : null}
                    <li>
                      <Form method="post" action="/logout">
                        <button type="submit" className="link-button">
                          {t('nav.sign_out')}
                        </button>
                      </Form>
                    </li>
                  </ul>
                </details>
              ) : (
                <>
                  <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="header-sign-in">
                    {t('nav.sign_in')}
                  </Link>
                  <Link to="/signup" className="button button-small">
                    {t('nav.sign_up')}
                  </Link>
                </>
              )}
            </div>
          </div>
        </details>
      </div>
    </header>
  )
}

/** The link's text names the unread count ("Notifications, 3 unread"); the badge shows the number to
 *  sighted readers and is hidden from assistive technology, which reads the text instead. */
function NotificationsLink({ unread }: { unread: number }) {
  const { t } = useT()
  if (unread === 0) {
    return (
      <NavLink to="/notifications" className="notification-link">
        {t('notify.nav.link')}
      </NavLink>
    )
  }
  return (
    <NavLink to="/notifications" className="notification-link">
      <span aria-hidden="true">
        {t('notify.nav.link')}
        <span className="notification-badge">{unread > 99 ? '99+' : unread}</span>
      </span>
      <span className="visually-hidden">{t('notify.nav.link_unread', { count: unread })}</span>
    </NavLink>
  )
}
