import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { tagPath } from '#app/domain/qa/paths.ts'

export function TagList({ tags }: { tags: string[] }) {
  const { t } = useTranslation()
  if (!tags.length) return null
  return (
    <ul className="tag-list" aria-label={t('qa.tags')}>
      {tags.map((tag) => (
        <li key={tag}>
          <Link to={tagPath(tag)} className="tag">
            {tag}
          </Link>
        </li>
      ))}
    </ul>
  )
}
