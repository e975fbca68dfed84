import { data, Form, Link } from 'react-router'
import { Pagination } from '#app/components/pagination.tsx'
import { SearchResult } from '#app/components/search/search-result.tsx'
import { useT } from '#app/components/translation.tsx'
import { helpCategoryNames } from '#app/domain/help/category-names.server.ts'
import { can } from '#app/domain/identity/permissions.ts'
import { otherVersionsOf, searchContent } from '#app/domain/search/search.server.ts'
import type { OtherVersion } from '#app/domain/search/types.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { failureMessage, redirectPastLastPage } from '#app/server/http.server.ts'
import { type SearchResult as EngineResult, emptyFacets, searchDocTypes, searchLimits } from '#search/engine.ts'
import type { Route } from './+types/index'
import { hasSearch, parseSearchParams, type SearchParams, searchHref, searchRequest } from './params.ts'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  loaderData?.params.q
    ? pageTitle(matches, (t) => t('search.page.title_query', { q: loaderData.params.q }))
    : pageTitle(matches, 'search.page.title')

const emptyResult: EngineResult = { hits: [], total: 0, facets: { type: emptyFacets() }, tookMs: 0 }

export async function loader({ request, context }: Route.LoaderArgs) {
  const params = parseSearchParams(new URL(request.url).searchParams)
  const user = getOptionalUser(context)
  const locale = context.get(localeContext)
  const page = {
    params,
    searched: false,
    result: emptyResult,
    pageCount: 1,
    queryId: null as number | null,
    categoryNames: {} as Record<string, string>,
    otherVersions: {} as Record<string, OtherVersion[]>,
    error: null as string | null,
    canSeeInsights: can(user, 'search.insights'),
    perPage: searchLimits.defaultLimit,
  }
  if (!hasSearch(params)) return page
  const db = getDb(context)
  const outcome = await searchContent(db, { request: searchRequest(params), user, locale, record: true })
  if (!outcome.ok) {
    return data({ ...page, error: failureMessage(context, outcome) }, { status: outcome.status })
  }
  const { result, pageCount, queryId } = outcome.value
  redirectPastLastPage(new URL(request.url), { page: params.page, total: result.total, perPage: page.perPage })
  const slugs = result.hits.flatMap((hit) => (hit.type === 'article' && hit.category ? [hit.category] : []))
  return {
    ...page,
    searched: true,
    result,
    pageCount,
    queryId,
    categoryNames: await helpCategoryNames(db, slugs, locale),
    otherVersions: await otherVersionsOf(db, result.hits),
  }
}

export default function Search({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { params, result, searched, error } = loaderData
  const offset = (params.page - 1) * loaderData.perPage
  return (
    <div className="stack search-page">
      <div className="page-heading">
        <h1>{t('search.page.title')}</h1>
        {loaderData.canSeeInsights ? (
          <Link to="/search/insights" className="button button-small button-secondary">
            {t('search.page.insights_link')}
          </Link>
        ) : null}
      </div>

      <SearchForm params={params} />

      {error ? (
        <div className="form-errors" role="alert">
          <p>{error}</p>
        </div>
      ) : null}

      {searched ? (
        <>
          <KindFacets params={params} facets={result.facets.type} />
          <ActiveFilters params={params} />
          <p className="muted search-summary" role="status">
            {params.q
              ? t('search.page.count', { count: result.total, q: params.q })
              : t('search.page.count_all', { count: result.total })}{' '}
            <span className="search-took">{t('search.page.took', { ms: Math.max(1, Math.round(result.tookMs)) })}</span>
          </p>
          {result.hits.length ? (
            <section aria-label={t('search.page.results')}>
              <ol className="search-results">
                {result.hits.map((hit, index) => (
                  <SearchResult
                    key={hit.id}
                    hit={hit}
                    rank={offset + index + 1}
                    queryId={loaderData.queryId}
                    categoryName={hit.category ? (loaderData.categoryNames[hit.category] ?? null) : null}
                    otherVersions={loaderData.otherVersions[hit.id] ?? []}
                  />
                ))}
              </ol>
            </section>
          ) : (
            <EmptyResults params={params} />
          )}
          <Pagination page={params.page} perPage={loaderData.perPage} total={result.total} />
        </>
      ) : error ? null : (
        <p className="muted">{t('search.page.intro')}</p>
      )}
    </div>
  )
}

/** The search box and the filters of the current kind, in one GET form that works without
 *  JavaScript. The kind is kept in a hidden field: it is chosen with the links below. */
function SearchForm({ params }: { params: SearchParams }) {
  const { t } = useT()
  const formKey = searchHref(params)
  return (
    <Form method="get" action="/search" role="search" aria-label={t('search.page.landmark')} className="search-form">
      <div className="field search-form-query">
        <label htmlFor="search-q">{t('search.page.label')}</label>
        <div className="search-form-row">
          <input
            key={`q-${formKey}`}
            id="search-q"
            name="q"
            type="search"
            defaultValue={params.q}
            maxLength={searchLimits.maxQueryLength}
            aria-describedby="search-q-hint"
            enterKeyHint="search"
          />
          <button type="submit" className="button">
            {t('search.page.submit')}
          </button>
        </div>
        <p id="search-q-hint" className="field-hint">
          {t('search.page.hint')}
        </p>
      </div>
      {params.type ? <input type="hidden" name="type" value={params.type} /> : null}
      <fieldset className="search-filters">
        <legend>{t('search.page.filters')}</legend>
        <div className="field">
          <label htmlFor="search-tag">{t('search.page.tag')}</label>
          <input
            key={`tag-${formKey}`}
            id="search-tag"
            name="tag"
            type="text"
            defaultValue={params.tag ?? ''}
            autoComplete="off"
          />
        </div>
        {params.type === 'question' ? (
          <div className="field">
            <label htmlFor="search-answered">{t('search.page.answered')}</label>
            <select
              key={`answered-${formKey}`}
              id="search-answered"
              name="answered"
              defaultValue={params.answered ?? ''}
            >
              <option value="">{t('search.page.answered_any')}</option>
              <option value="yes">{t('search.page.answered_yes')}</option>
              <option value="no">{t('search.page.answered_no')}</option>
            </select>
          </div>
        ) : null}
        {params.type === 'event' ? (
          <div className="choice search-filter-check">
            <input
              key={`upcoming-${formKey}`}
              id="search-upcoming"
              name="upcoming"
              type="checkbox"
              value="yes"
              defaultChecked={params.upcoming === 'yes'}
            />
            <label htmlFor="search-upcoming">{t('search.page.upcoming')}</label>
          </div>
        ) : null}
        <button type="submit" className="button button-secondary">
          {t('search.page.apply')}
        </button>
      </fieldset>
    </Form>
  )
}

/** "All" and each kind, with how many results each would give; the current one is marked. */
function KindFacets({ params, facets }: { params: SearchParams; facets: Record<string, number> }) {
  const { t } = useT()
  const all = searchDocTypes.reduce((sum, type) => sum + (facets[type] ?? 0), 0)
  const kinds = [
    { type: undefined, label: t('search.page.all'), count: all },
    ...searchDocTypes.map((type) => ({ type, label: t(`search.page.kind.${type}`), count: facets[type] ?? 0 })),
  ]
  return (
    <nav aria-label={t('search.page.kinds')} className="tabs search-facets">
      {kinds.map(({ type, label, count }) => {
        const current = params.type === type
        return (
          <Link
            key={type ?? 'all'}
            to={searchHref(params, { type, answered: undefined, upcoming: undefined })}
            aria-current={current ? 'page' : undefined}
            className={current ? 'tab active' : 'tab'}
          >
            {label} <span className="search-facet-count">{count}</span>
          </Link>
        )
      })}
    </nav>
  )
}

/** The filters in force, each with a link that removes it. */
function ActiveFilters({ params }: { params: SearchParams }) {
  const { t } = useT()
  const chips = [
    params.tag
      ? { key: 'tag', label: t('search.page.chip.tag', { tag: params.tag }), without: { tag: undefined } }
      : null,
    params.answered
      ? {
          key: 'answered',
          label: t(params.answered === 'yes' ? 'search.page.chip.answered_yes' : 'search.page.chip.answered_no'),
          without: { answered: undefined },
        }
      : null,
    params.upcoming
      ? { key: 'upcoming', label: t('search.page.chip.upcoming'), without: { upcoming: undefined } }
      : null,
  ].filter((chip) => chip !== null)
  if (!chips.length) return null
  return (
    <ul className="search-chips" aria-label={t('search.page.active_filters')}>
      {chips.map((chip) => (
        <li key={chip.key} className="search-chip">
          <span>{chip.label}</span>
          <Link
            to={searchHref(params, chip.without)}
            className="search-chip-remove"
            aria-label={t('search.page.chip.remove', { filter: chip.label })}
          >
            <span aria-hidden="true">×</span>
          </Link>
        </li>
      ))}
    </ul>
  )
}

/** No results: say so, offer the search without the filters that narrowed it, then what to try and
 *  where else the answer may be. */
function EmptyResults({ params }: { params: SearchParams }) {
  const { t } = useT()
  const filtered = Boolean(params.type || params.tag || params.answered || params.upcoming)
  return (
    <div className="empty search-empty">
      <p>{params.q ? t('search.page.empty', { q: params.q }) : t('search.page.empty_all')}</p>
      {filtered && params.q ? (
        <p>
          {t('search.page.empty_filters')}{' '}
          <Link
            to={searchHref({ ...params, type: undefined, tag: undefined, answered: undefined, upcoming: undefined })}
          >
            {t('search.page.remove_filters')}
          </Link>
        </p>
      ) : null}
      {params.q ? (
        <>
          <ul className="search-empty-tips" aria-label={t('search.page.empty_tips')}>
            <li>{t('search.page.tip_spelling')}</li>
            <li>{t('search.page.tip_fewer')}</li>
            <li>{t('search.page.tip_language')}</li>
          </ul>
          <p id="search-empty-elsewhere">{t('search.page.empty_elsewhere')}</p>
          <ul className="search-empty-next" aria-labelledby="search-empty-elsewhere">
            <li>
              <Link to="/help">{t('search.page.browse_help')}</Link>
            </li>
            <li>
              <Link to="/questions/new">{t('search.page.ask_question')}</Link>
            </li>
          </ul>
        </>
      ) : null}
    </div>
  )
}
