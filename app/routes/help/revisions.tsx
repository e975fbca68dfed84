import { Form, Link, redirect } from 'react-router'
import { FormErrors } from '#app/components/forms.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { TextDiff } from '#app/components/text-diff.tsx'
import { useT } from '#app/components/translation.tsx'
import { listArticleRevisions, restoreArticleRevision } from '#app/domain/help/articles.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { articleEditPath, userPath } from '#app/lib/paths.ts'
import { diffText } from '#app/lib/text-diff.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage, failureResponse, intParam } from '#app/server/http.server.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/revisions'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'help.revisions.title')

/** The article's revisions, newest first, each as its difference from the one before. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'help.write')
  const outcome = await listArticleRevisions(getDb(context), { actor, articleId: intParam(params.articleId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const { article, revisions } = outcome.value
  const shown = revisions.map((revision, index) => {
    const previous = revisions[index - 1]
    return {
      number: revision.number,
      action: revision.action,
      authorId: revision.authorId,
      authorName: revision.authorName,
      createdAt: revision.createdAt,
      title: diffText(previous?.title ?? '', revision.title),
      body: diffText(previous?.bodyMd ?? '', revision.bodyMd),
    }
  })
  return { article, revisions: shown.reverse() }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = ['number']

export async function action({ request, params, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'help.write')
  const articleId = intParam(params.articleId)
  const number = intParam(String((await readForm({ request, context }, { fields: FIELDS })).get('number') ?? ''))
  const outcome = await restoreArticleRevision(getDb(context), { actor, articleId, number })
  if (!outcome.ok) return { error: failureMessage(context, outcome) }
  return redirect(`${articleEditPath(articleId)}?saved=restored`)
}

export default function ArticleRevisions({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const labels = { added: t('qa.revisions.added'), removed: t('qa.revisions.removed') }
  const { article } = loaderData
  return (
    <div className="stack">
      <nav aria-label={t('help.breadcrumbs')} className="breadcrumbs">
        <Link to="/help/manage">{t('help.editor.manage')}</Link> ›{' '}
        <Link to={articleEditPath(article.id)}>{article.title}</Link>
      </nav>
      <h1>{t('help.revisions.title')}</h1>
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      <ol className="revision-list" reversed>
        {loaderData.revisions.map((revision) => {
          const [action, from] = revision.action.split(':')
          return (
            <li key={revision.number} className="panel stack">
              <h2 className="revision-title">
                {t('qa.revisions.number', { number: revision.number })} ·{' '}
                {t(`help.revisions.action.${action}`, { number: from })}
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
              <section>
                <h3 className="label">{t('help.fields.title')}</h3>
                <TextDiff parts={revision.title} labels={labels} />
              </section>
              <section>
                <h3 className="label">{t('help.fields.body')}</h3>
                <TextDiff parts={revision.body} labels={labels} />
              </section>
              {revision.number < article.version ? (
                <Form method="post">
                  <input type="hidden" name="number" value={revision.number} />
                  <button type="submit" className="button button-small button-secondary">
                    {t('help.revisions.restore', { number: revision.number })}
                  </button>
                </Form>
              ) : (
                <p className="muted">{t('help.revisions.current')}</p>
              )}
            </li>
          )
        })}
      </ol>
    </div>
  )
}
