import { Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import type { OtherVersion } from '#app/domain/search/types.ts'
import { formatDateTime } from '#app/lib/format.ts'
import type { SearchHit } from '#search/engine.ts'
import { Highlighted } from './highlighted.tsx'

/** Tells the server which result of a recorded search was opened. A beacon survives the navigation
 *  the click starts, and needs no answer. */
function sendClick(event: React.MouseEvent<HTMLAnchorElement>) {
  const { searchQuery, searchDoc, searchRank } = event.currentTarget.dataset
  if (!searchQuery || !searchDoc || !searchRank || typeof navigator.sendBeacon !== 'function') return
  const body = new FormData()
  body.set('queryId', searchQuery)
  body.set('doc', searchDoc)
  body.set('rank', searchRank)
  navigator.sendBeacon('/search/click', body)
}

/** Sends the click for a middle click too (opening in a new tab); a right click opens a menu only. */
function sendAuxClick(event: React.MouseEvent<HTMLAnchorElement>) {
  if (event.button === 1) sendClick(event)
}

type SearchResultProps = {
  hit: SearchHit
  /** The result's position in the whole list, from 1. */
  rank: number
  /** The recorded search, when clicks count. */
  queryId: number | null
  categoryName: string | null
  /** The other languages the hit exists in, linked where the page knows the address. */
  otherVersions?: OtherVersion[]
}

/** One search result: kind, highlighted title and snippet, and what a reader wants to know before
 *  opening it (answers, category, date). */
export function SearchResult({ hit, rank, queryId, categoryName, otherVersions = [] }: SearchResultProps) {
  const { t } = useT()
  const { locale } = useViewer()
  return (
    <li className={`search-result search-result-${hit.type}`}>
      <p className="search-result-kind">
        <span className="badge">{t(`search.types.${hit.type}`)}</span>
        {hit.locale !== locale ? (
          <span className="badge search-result-language" lang={hit.locale}>
            {t(`identity.languages.${hit.locale}`)}
          </span>
        ) : null}
      </p>
      <h2 className="search-result-title" lang={hit.locale}>
        <Link
          to={hit.url}
          data-search-query={queryId ?? undefined}
          data-search-doc={hit.id}
          data-search-rank={rank}
          onClick={queryId ? sendClick : undefined}
          onAuxClick={queryId ? sendAuxClick : undefined}
        >
          <Highlighted parts={hit.highlights.title} />
        </Link>
      </h2>
      {hit.highlights.snippet.length ? (
        <p className="search-result-snippet" lang={hit.locale}>
          <Highlighted parts={hit.highlights.snippet} />
        </p>
      ) : null}
      <ResultMeta hit={hit} categoryName={categoryName} />
      {otherVersions.length ? <OtherVersions versions={otherVersions} /> : null}
    </li>
  )
}

/** "Also in 日本語": the language named by its own name, a link to that version when there is one. */
function OtherVersions({ versions }: { versions: OtherVersion[] }) {
  const { t } = useT()
  return (
    <p className="search-result-versions">
      {versions.map(({ locale, url }) => {
        const text = t('search.page.meta.also_in', { language: t(`search.page.meta.language_name.${locale}`) })
        return url ? (
          <Link key={locale} to={url} hrefLang={locale}>
            {text}
          </Link>
        ) : (
          <span key={locale}>{text}</span>
        )
      })}
    </p>
  )
}

function ResultMeta({ hit, categoryName }: { hit: SearchHit; categoryName: string | null }) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const items: React.ReactNode[] = []
  if (hit.type === 'question') {
    items.push(<span key="answers">{t('search.page.meta.answers', { count: hit.answerCount })}</span>)
    if (hit.accepted) {
      items.push(
        <span key="accepted" className="search-result-accepted">
          <span aria-hidden="true">✓ </span>
          {t('search.page.meta.accepted')}
        </span>,
      )
    }
  }
  if (hit.type === 'article' && categoryName) {
    items.push(<span key="category">{t('search.page.meta.category', { category: categoryName })}</span>)
  }
  if (hit.type === 'event') {
    if (hit.category) items.push(<span key="kind">{t(`events.kinds.${hit.category}`)}</span>)
    if (hit.startsAt) {
      const date = formatDateTime(hit.startsAt, locale, timeZone)
      items.push(
        <time key="starts" dateTime={new Date(hit.startsAt).toISOString()}>
          {t('search.page.meta.starts', { date })}
        </time>,
      )
    }
  }
  if (hit.tags.length) {
    items.push(
      <span key="tags" className="search-result-tags">
        {hit.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </span>,
    )
  }
  if (!items.length) return null
  return <p className="search-result-meta">{items}</p>
}
