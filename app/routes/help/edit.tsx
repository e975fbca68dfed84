import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { FormErrors } from '#app/components/forms.tsx'
import { ArticleForm } from '#app/components/help/article-form.tsx'
import { useT } from '#app/components/translation.tsx'
import { getArticleForEdit, setArticleStatus, updateArticle } from '#app/domain/help/articles.server.ts'
import { articleCategoryChoices } from '#app/domain/help/catalog.server.ts'
import { ARTICLE_BODY_MAX, ArticleSchema } from '#app/domain/help/schemas.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { previewMarkdown } from '#app/domain/qa/preview.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { articleEditPath } from '#app/lib/paths.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage, failureResponse, intParam } from '#app/server/http.server.ts'
import { dispatchIntent, type IntentArgs } from '#app/server/intents.server.ts'
import { attachmentRefusal, fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/edit'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  pageTitle(matches, (t) =>
    loaderData ? t('help.editor.edit_title', { title: loaderData.article.title }) : t('help.article_not_found'),
  )

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'help.write')
  const db = getDb(context)
  const outcome = await getArticleForEdit(db, { actor, articleId: intParam(params.articleId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  const article = outcome.value
  return {
    article: {
      id: article.id,
      title: article.title,
      status: article.status,
      locale: article.locale,
      path: article.path,
      version: article.version,
      translations: article.translations,
    },
    categories: await articleCategoryChoices(db),
    defaultValue: {
      title: article.title,
      slug: article.slug,
      categoryId: String(article.categoryId),
      sectionId: article.sectionId ? String(article.sectionId) : '',
      locale: article.locale,
      tags: article.tags.join(', '),
      body: article.bodyMd,
      translationOf: '',
    },
    saved: new URL(request.url).searchParams.get('saved'),
  }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(ArticleSchema), 'intent']

/** What each button's handler gets: the writer and the article. */
type ArticleIntent = IntentArgs<{ actor: SessionUser; articleId: number }>

export async function action({ request, params, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'help.write')
  const articleId = intParam(params.articleId)
  const db = getDb(context)
  const formData = await readForm({ request, context }, { fields: FIELDS, attach: { to: 'body' } })
  const refusal = attachmentRefusal(formData)
  if (refusal) return failureResponse(context, refusal, parseWithZod(formData, { schema: ArticleSchema }))
  return dispatchIntent(
    { context, db, actor, articleId, formData },
    {
      unpublish: handleStatus('draft'),
      archive: handleStatus('archived'),
      republish: handleStatus('published'),
      preview: handlePreview,
      publish: handleSave({ publish: true }),
    },
    handleSave({ publish: false }),
  )
}

/** The handler of a button that moves the article to `status`; a refusal shows beside the buttons. */
function handleStatus(status: 'draft' | 'archived' | 'published') {
  return async ({ context, db, actor, articleId }: ArticleIntent) => {
    const outcome = await setArticleStatus(db, { actor, articleId, status })
    if (!outcome.ok) return data({ statusError: failureMessage(context, outcome) }, { status: outcome.status })
    return redirect(`${articleEditPath(articleId)}?saved=${status}`)
  }
}

/** Renders the body being typed, valid or not; the form comes back as it was. */
async function handlePreview({ context, db, actor, formData }: ArticleIntent) {
  const submission = parseWithZod(formData, { schema: ArticleSchema })
  const preview = await previewMarkdown(db, actor, String(formData.get('body') ?? '').slice(0, ARTICLE_BODY_MAX))
  if (!preview.ok) return failureResponse(context, preview, submission)
  return { result: submission.reply(), preview: preview.value }
}

/** The handler of the form's save: `save` (and any other intent) keeps the status, `publish` publishes. */
function handleSave({ publish }: { publish: boolean }) {
  return async ({ context, db, actor, articleId, formData }: ArticleIntent) => {
    const submission = parseWithZod(formData, { schema: ArticleSchema })
    if (submission.status !== 'success') return data({ result: submission.reply(), preview: null }, { status: 400 })
    const outcome = await updateArticle(db, { actor, articleId, input: submission.value, publish })
    if (!outcome.ok) return failureResponse(context, outcome, submission)
    return redirect(`${articleEditPath(articleId)}?saved=${publish ? 'published' : 'saved'}`)
  }
}

export default function EditArticle({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { article } = loaderData
  const published = article.status === 'published'
  return (
    <div className="stack">
      <nav aria-label={t('help.breadcrumbs')} className="breadcrumbs">
        <Link to="/help">{t('nav.help')}</Link> › <Link to="/help/manage">{t('help.editor.manage')}</Link>
      </nav>
      <div className="page-heading">
        <h1>{t('help.editor.edit_title', { title: article.title })}</h1>
        <span className={`badge status-${article.status}`}>{t(`help.status.${article.status}`)}</span>
      </div>
      {loaderData.saved ? (
        <p className="notice" role="status">
          {t(`help.editor.saved.${loaderData.saved}`, { defaultValue: t('help.editor.saved.saved') })}
        </p>
      ) : null}
      <FormErrors errors={actionData && 'statusError' in actionData ? [actionData.statusError] : null} />
      <div className="post-actions">
        {published ? <Link to={article.path}>{t('help.editor.view')}</Link> : null}
        <Link to={`/help/articles/${article.id}/revisions`}>
          {t('help.editor.revisions', { count: article.version })}
        </Link>
        {article.translations.map((translation) => (
          <Link key={translation.id} to={articleEditPath(translation.id)} lang={translation.locale}>
            {t('help.editor.edit_translation', { language: t(`identity.languages.${translation.locale}`) })}
          </Link>
        ))}
        {article.translations.some((translation) => translation.locale !== article.locale) ? null : (
          <Link to={`/help/new?translationOf=${article.id}&locale=${article.locale === 'ja' ? 'en' : 'ja'}`}>
            {t('help.editor.translate', { language: t(`identity.languages.${article.locale === 'ja' ? 'en' : 'ja'}`) })}
          </Link>
        )}
      </div>
      <ArticleForm
        categories={loaderData.categories}
        defaultValue={loaderData.defaultValue}
        lastResult={actionData && 'result' in actionData ? actionData.result : undefined}
        preview={actionData && 'preview' in actionData ? actionData.preview : null}
        published={published}
      />
      <section className="panel stack" aria-labelledby="status-title">
        <h2 id="status-title">{t('help.editor.status_title')}</h2>
        <Form method="post" className="inline-actions">
          {article.status === 'published' ? (
            <button type="submit" name="intent" value="unpublish" className="button button-secondary">
              {t('help.editor.unpublish')}
            </button>
          ) : null}
          {article.status === 'archived' ? (
            <button type="submit" name="intent" value="republish" className="button button-secondary">
              {t('help.editor.republish')}
            </button>
          ) : (
            <button type="submit" name="intent" value="archive" className="button button-secondary">
              {t('help.editor.archive')}
            </button>
          )}
        </Form>
      </section>
    </div>
  )
}
