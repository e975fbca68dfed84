import { Link, useLocation, useSearchParams } from 'react-router'
import { useT } from '#app/components/translation.tsx'

type PaginationProps = { page: number; perPage: number; total: number }

/** Previous / next links and "Page X of Y". The links keep every other query parameter (filters,
 *  search), so paging never loses what the reader was looking at. Plain links: works without JS.
 *  Loaders redirect a page past the last one (`redirectPastLastPage`); should one not, the reader gets
 *  a link to the last page rather than "Page 2 of 1". */
export function Pagination({ page, perPage, total }: PaginationProps) {
  const { t } = useT()
  const [searchParams] = useSearchParams()
  const { pathname } = useLocation()
  const pages = Math.max(1, Math.ceil(total / perPage))
  function linkTo(target: number) {
    const params = new URLSearchParams(searchParams)
    if (target <= 1) params.delete('page')
    else params.set('page', String(target))
    const search = params.toString()
    return search ? `${pathname}?${search}` : pathname
  }
  if (page > pages) {
    return (
      <nav className="pagination" aria-label={t('common.pagination')}>
        <Link to={linkTo(pages)}>{t('common.past_end', { pages })}</Link>
      </nav>
    )
  }
  return (
    <nav className="pagination" aria-label={t('common.pagination')}>
      {page > 1 ? (
        <Link to={linkTo(page - 1)} rel="prev">
          {t('common.previous')}
        </Link>
      ) : null}
      <span>{t('common.page_of', { page, pages })}</span>
      {page < pages ? (
        <Link to={linkTo(page + 1)} rel="next">
          {t('common.next')}
        </Link>
      ) : null}
    </nav>
  )
}
