import { data, Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { TextDiff } from '#app/components/text-diff.tsx'
import { useT } from '#app/components/translation.tsx'
import { listRevisions } from '#app/domain/qa/revisions.server.ts'
import { PostTypeSchema } from '#app/domain/qa/schemas.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { questionPath, userPath } from '#app/lib/paths.ts'
import { diffList, diffText } from '#app/lib/text-diff.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import type { Route } from './+types/revisions'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'qa.revisions.title')

/** Every revision of a post, newest first, each shown as its difference from the one before. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const postType = PostTypeSchema.safeParse(params.postType)
  if (!postType.success) throw data({ message: 'Not found' }, { status: 404 })
  const outcome = await listRevisions(getDb(context), {
    viewer: getOptionalUser(context),
    postType: postType.data,
    postId: intParam(params.postId),
  })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const { question, revisions } = outcome.value
  const shown = revisions.map((revision, index) => {
    const previous = index > 0 ? revisions[index - 1] : undefined
    return {
      number: revision.number,
      authorId: revision.authorId,
      authorName: revision.authorName,
      createdAt: revision.createdAt,
      title: revision.title !== null ? diffText(previous?.title ?? '', revision.title) : null,
      tags: revision.tags !== null ? diffList(previous?.tags ?? [], revision.tags) : null,
      body: diffText(previous?.bodyMd ?? '', revision.bodyMd),
    }
  })
  return { postType: postType.data, question, revisions: shown.reverse() }
}

export default function Revisions({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const labels = { added: t('qa.revisions.added'), removed: t('qa.revisions.removed') }
  return (
    <div className="stack">
      <h1>{t('qa.revisions.title')}</h1>
      <p>
        <Link to={questionPath(loaderData.question)}>{loaderData.question.title}</Link>
      </p>
      <ol className="revision-list" reversed>
        {loaderData.revisions.map((revision) => (
          <li key={revision.number} className="panel stack">
            <h2 className="revision-title">
              {t('qa.revisions.number', { number: revision.number })}
              {t('app.separator')}
              {revision.authorId ? (
                <Link to={userPath(revision.authorId)}>{revision.authorName}</Link>
              ) : (
                t('qa.revisions.unknown_author')
              )}
              {t('app.separator')}
              <time dateTime={new Date(revision.createdAt).toISOString()}>
                {formatDateTime(revision.createdAt, locale, timeZone)}
              </time>
            </h2>
            {revision.title ? (
              <section>
                <h3 className="label">{t('qa.fields.title')}</h3>
                <TextDiff parts={revision.title} labels={labels} />
              </section>
            ) : null}
            {revision.tags ? (
              <section>
                <h3 className="label">{t('qa.fields.tags')}</h3>
                <TextDiff parts={revision.tags} labels={labels} />
              </section>
            ) : null}
            <section>
              <h3 className="label">{t('qa.fields.body')}</h3>
              <TextDiff parts={revision.body} labels={labels} />
            </section>
          </li>
        ))}
      </ol>
    </div>
  )
}
