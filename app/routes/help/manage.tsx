import { Form, Link } from 'react-router'
import { SelectField } from '#app/components/forms.tsx'
import { ManageHeader } from '#app/components/help/manage-header.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TableScroll } from '#app/components/table-scroll.tsx'
import { useT } from '#app/components/translation.tsx'
import { listArticlesForStaff, listHelpCatalog } from '#app/domain/help/catalog.server.ts'
import { categoryName } from '#app/domain/help/names.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { articleEditPath, articlePath } from '#app/lib/paths.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureResponse, pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import type { Route } from './+types/manage'

const statuses = ['draft', 'published', 'archived'] as const
export const meta: Route.MetaFunction = ({ matches }) =>
  pageTitle(matches, 'help_browse.manage.title', { section: 'nav.help' })

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'help.write')
  const db = getDb(context)
  const url = new URL(request.url)
  const catalog = await listHelpCatalog(db, { locale: context.get(localeContext), viewer: actor })
  const status = statuses.find((value) => value === url.searchParams.get('status'))
  const wanted = Number(url.searchParams.get('category'))
  const categoryId = catalog.some((category) => category.id === wanted) ? wanted : undefined
  const outcome = await listArticlesForStaff(db, { actor, status, categoryId, page: pageParam(url) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  redirectPastLastPage(url, outcome.value)
  return {
    canManage: can(actor, 'help.manage'),
    catalog: catalog.map((category) => ({ id: category.id, name: category.name })),
    list: outcome.value,
    filter: { status: status ?? '', category: categoryId ? String(categoryId) : '' },
  }
}

type LoaderData = Route.ComponentProps['loaderData']
type CatalogEntry = LoaderData['catalog'][number]

/** Staff list of every article, with filters by status and category. */
export default function HelpManage({ loaderData }: Route.ComponentProps) {
  return (
    <div className="stack">
      <ManageHeader current="articles" canManage={loaderData.canManage} />
      <ArticleList list={loaderData.list} catalog={loaderData.catalog} filter={loaderData.filter} />
    </div>
  )
}

function ArticleList({
  list,
  catalog,
  filter,
}: {
  list: LoaderData['list']
  catalog: CatalogEntry[]
  filter: LoaderData['filter']
}) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  return (
    <section className="stack" aria-labelledby="help-articles-title">
      <h2 id="help-articles-title" className="visually-hidden">
        {t('help_browse.manage.tab.articles')}
      </h2>
      <Form method="get" className="toolbar" aria-label={t('help_browse.manage.filter.label')}>
        <SelectField
          label={t('help_browse.manage.filter.status')}
          selectProps={{ key: filter.status, name: 'status', defaultValue: filter.status }}
          options={[
            { value: '', label: t('help_browse.manage.filter.all_statuses') },
            ...statuses.map((value) => ({ value, label: t(`help_browse.status.${value}`) })),
          ]}
        />
        <SelectField
          label={t('help_browse.manage.filter.category')}
          selectProps={{ key: filter.category, name: 'category', defaultValue: filter.category }}
          options={[
            { value: '', label: t('help_browse.manage.filter.all_categories') },
            ...catalog.map((category) => ({ value: String(category.id), label: category.name })),
          ]}
        />
        <button type="submit" className="button">
          {t('help_browse.manage.filter.submit')}
        </button>
      </Form>
      <p className="muted" role="status">
        {t('help_browse.manage.count', { count: list.total })}
      </p>
      {list.articles.length ? (
        <TableScroll label={t('help_browse.manage.tab.articles')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('help_browse.manage.columns.title')}</th>
                <th scope="col">{t('help_browse.manage.columns.status')}</th>
                <th scope="col">{t('help_browse.manage.columns.language')}</th>
                <th scope="col">{t('help_browse.manage.columns.category')}</th>
                <th scope="col">{t('help_browse.manage.columns.updated')}</th>
                <th scope="col">{t('help_browse.manage.columns.author')}</th>
                <th scope="col">{t('help_browse.manage.columns.public_page')}</th>
              </tr>
            </thead>
            <tbody>
              {list.articles.map((article) => (
                <tr key={article.id}>
                  <td>
                    <Link to={articleEditPath(article.id)} lang={article.locale}>
                      {article.title}
                    </Link>
                  </td>
                  <td>
                    <span className={`badge help-status-${article.status}`}>
                      {t(`help_browse.status.${article.status}`)}
                    </span>
                  </td>
                  <td>{t(`help_browse.language.${article.locale}`)}</td>
                  <td>{categoryName(article.category, locale)}</td>
                  <td>{formatDateTime(article.updatedAt, locale, timeZone)}</td>
                  <td>{article.authorName ?? t('help_browse.manage.unknown_author')}</td>
                  <td>
                    {article.status === 'published' ? (
                      <Link to={articlePath({ categorySlug: article.category.slug, slug: article.slug })}>
                        {t('help_browse.manage.view')}
                      </Link>
                    ) : (
                      <span className="muted">{t('help_browse.manage.not_public')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <p className="empty">{t('help_browse.manage.empty')}</p>
      )}
      <Pagination page={list.page} perPage={list.perPage} total={list.total} />
    </section>
  )
}
