import { Link } from 'react-router'
import { useRootData } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { can } from '#app/domain/identity/permissions.ts'
import { listTags } from '#app/domain/qa/questions.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { tagPath } from '#app/lib/paths.ts'
import { getDb } from '#app/server/context.ts'
import type { Route } from './+types/tags'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'qa.tags_page.title')

export async function loader({ context }: Route.LoaderArgs) {
  return { tags: await listTags(getDb(context)) }
}

export default function Tags({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const viewer = useRootData()?.user
  return (
    <div className="stack">
      <h1>{t('qa.tags_page.title')}</h1>
      {can(viewer, 'qa.manage_tags') ? (
        <p>
          <Link to="/tags/manage">{t('editor.tags.manage_link')}</Link>
        </p>
      ) : null}
      {loaderData.tags.length ? (
        <ul className="tag-cloud">
          {loaderData.tags.map((tag) => (
            <li key={tag.name}>
              <Link to={tagPath(tag.name)} className="tag">
                {tag.name}
              </Link>{' '}
              <span className="muted">{t('qa.tags_page.questions', { count: tag.questions })}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t('qa.tags_page.empty')}</p>
      )}
    </div>
  )
}
