import { Link, useLocation, useSearchParams } from 'react-router'
import { useT } from '#app/components/translation.tsx'

type PaginationProps = { page: number; perPage: number; total: number }

/** Previous / next links and "Page X of Y". The links keep every other query parameter (filters,
 *  search), so paging never loses what the reader was looking at. Plain links: works without JS. */
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
  return (
    <nav className="pagination" aria-label={t('common.pagination')}>
      {page > 1 ? (
        <Link to={linkTo(Math.min(page - 1, pages))} rel="prev">
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
