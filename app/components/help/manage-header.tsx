import { Link } from 'react-router'
import { useT } from '#app/components/translation.tsx'

/** Breadcrumbs, title and the tabs of the staff pages of the help center. */
export function ManageHeader({ current, canManage }: { current: 'articles' | 'categories'; canManage: boolean }) {
  const { t } = useT()
  return (
    <>
      <nav aria-label={t('help_browse.category.breadcrumbs')} className="breadcrumbs">
        <ol>
          <li>
            <Link to="/help">{t('nav.help')}</Link>
          </li>
          <li>
            <span aria-current="page">{t('help_browse.manage.title')}</span>
          </li>
        </ol>
      </nav>
      <div className="page-heading">
        <h1>{t('help_browse.manage.title')}</h1>
        <Link to="/help/new" className="button">
          {t('help_browse.staff.write')}
        </Link>
      </div>
      {canManage ? (
        <nav aria-label={t('help_browse.manage.tabs')} className="tabs">
          {(['articles', 'categories'] as const).map((value) => (
            <Link
              key={value}
              to={value === 'articles' ? '/help/manage' : '/help/manage/categories'}
              aria-current={current === value ? 'page' : undefined}
              className={current === value ? 'tab active' : 'tab'}
            >
              {t(`help_browse.manage.tab.${value}`)}
            </Link>
          ))}
        </nav>
      ) : null}
    </>
  )
}
