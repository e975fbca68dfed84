import { Link } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { listHelpCatalog } from '#app/domain/help/catalog.server.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { helpCategoryPath } from '#app/lib/paths.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'help_browse.home.title')

export async function loader({ context }: Route.LoaderArgs) {
  const viewer = getOptionalUser(context)
  const catalog = await listHelpCatalog(getDb(context), { locale: context.get(localeContext), viewer })
  return {
    categories: catalog.map((category) => ({
      id: category.id,
      slug: category.slug,
      name: category.name,
      description: category.description,
      articleCount: category.articleCount,
      draftCount: category.draftCount,
    })),
    staff: {
      write: can(viewer, 'help.write'),
      manage: can(viewer, 'help.manage'),
      insights: can(viewer, 'help.insights'),
    },
  }
}

/** The help-center home: one card per category, in the order staff gave them. */
export default function HelpHome({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { categories, staff } = loaderData
  return (
    <div className="stack">
      <header className="help-hero">
        <h1>{t('help_browse.home.heading')}</h1>
        <p className="lead">{t('help_browse.home.lead')}</p>
      </header>
      <StaffTools write={staff.write} insights={staff.insights} />
      {categories.length ? (
        <section aria-labelledby="help-categories-title" className="stack">
          <h2 id="help-categories-title" className="visually-hidden">
            {t('help_browse.home.categories')}
          </h2>
          <ul className="cards help-categories">
            {categories.map((category) => (
              <li key={category.id} className="card help-category-card">
                <h3>
                  <Link to={helpCategoryPath(category.slug)}>{category.name}</Link>
                </h3>
                {category.description ? <p>{category.description}</p> : null}
                <p className="muted">
                  {t('help_browse.home.articles', { count: category.articleCount })}
                  {category.draftCount ? (
                    <>
                      {t('app.separator')}
                      {t('help_browse.home.drafts', { count: category.draftCount })}
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <div className="empty">
          <p>{t('help_browse.home.empty')}</p>
          {staff.manage ? (
            <p>
              {t('help_browse.home.empty_staff')}{' '}
              <Link to="/help/manage/categories">{t('help_browse.home.create_category')}</Link>
            </p>
          ) : null}
        </div>
      )}
    </div>
  )
}

/** Links to the staff pages of the help center, each shown to those who may use it. */
function StaffTools({ write, insights }: { write: boolean; insights: boolean }) {
  const { t } = useT()
  if (!write && !insights) return null
  return (
    <nav aria-label={t('help_browse.staff.tools')} className="help-staff-tools">
      {write ? (
        <Link to="/help/new" className="button button-small">
          {t('help_browse.staff.write')}
        </Link>
      ) : null}
      {write ? (
        <Link to="/help/manage" className="button button-small button-secondary">
          {t('help_browse.staff.manage')}
        </Link>
      ) : null}
      {insights ? (
        <Link to="/help/insights" className="button button-small button-secondary">
          {t('help_browse.staff.insights')}
        </Link>
      ) : null}
      {insights ? (
        <Link to="/search/insights" className="button button-small button-secondary">
          {t('search.page.insights_link')}
        </Link>
      ) : null}
    </nav>
  )
}
