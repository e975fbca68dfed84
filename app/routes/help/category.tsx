import { Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { type CategoryArticle, getCategoryPage } from '#app/domain/help/catalog.server.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { articlePath } from '#app/lib/paths.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import type { Route } from './+types/category'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  pageTitle(matches, (t) => loaderData?.category.name ?? t('help_browse.home.title'), { section: 'nav.help' })

export async function loader({ params, context }: Route.LoaderArgs) {
  const viewer = getOptionalUser(context)
  const outcome = await getCategoryPage(getDb(context), {
    slug: params.category,
    locale: context.get(localeContext),
    viewer,
  })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return { ...outcome.value, canWrite: can(viewer, 'help.write') }
}

/** A category: its sections in order, each with its articles; articles outside a section come last. */
export default function HelpCategory({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { category, groups, canWrite } = loaderData
  // Staff see empty sections too, so they know where a new article could go.
  const shown = groups.filter((group) => group.articles.length > 0 || (canWrite && group.section))
  // "Other" needs no heading when it is the only list on the page.
  const headings = shown.some((group) => group.section)
  return (
    <div className="stack">
      <nav aria-label={t('help_browse.category.breadcrumbs')} className="breadcrumbs">
        <ol>
          <li>
            <Link to="/help">{t('nav.help')}</Link>
          </li>
          <li>
            <span aria-current="page">{category.name}</span>
          </li>
        </ol>
      </nav>
      <div className="page-heading">
        <h1>{category.name}</h1>
        {canWrite ? (
          <Link to={`/help/new?category=${category.id}`} className="button button-small">
            {t('help_browse.category.write_here')}
          </Link>
        ) : null}
      </div>
      {category.description ? <p className="lead">{category.description}</p> : null}
      {shown.length ? (
        shown.map((group) => (
          <section
            key={group.section?.id ?? 'other'}
            className="help-section"
            aria-labelledby={headings ? `help-section-${group.section?.id ?? 'other'}` : undefined}
          >
            {headings ? (
              <h2 id={`help-section-${group.section?.id ?? 'other'}`}>
                {group.section?.name ?? t('help_browse.category.other')}
              </h2>
            ) : null}
            {group.articles.length ? (
              <ul className="help-article-list">
                {group.articles.map((article) => (
                  <ArticleLink key={article.id} categorySlug={category.slug} article={article} />
                ))}
              </ul>
            ) : (
              <p className="muted">{t('help_browse.category.section_empty')}</p>
            )}
          </section>
        ))
      ) : (
        <p className="empty">{t('help_browse.category.empty')}</p>
      )}
    </div>
  )
}

function ArticleLink({ categorySlug, article }: { categorySlug: string; article: CategoryArticle }) {
  const { t } = useT()
  const { locale } = useViewer()
  return (
    <li>
      <Link to={articlePath({ categorySlug, slug: article.slug })} lang={article.locale}>
        {article.title}
      </Link>
      {article.locale !== locale ? (
        <span className="badge help-language-badge">{t(`help_browse.language.${article.locale}`)}</span>
      ) : null}
      {article.draft ? <span className="badge badge-draft">{t('help_browse.category.draft')}</span> : null}
    </li>
  )
}
