import { Link } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { tagPath } from '#app/lib/paths.ts'

export function TagList({ tags }: { tags: string[] }) {
  const { t } = useT()
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
