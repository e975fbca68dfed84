import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { draftReplyOf } from '#app/components/editor/draft-controls.tsx'
import { ArticleForm } from '#app/components/help/article-form.tsx'
import { useT } from '#app/components/translation.tsx'
import { loadDraft } from '#app/domain/drafts/drafts.server.ts'
import { draftKey, withDraft } from '#app/domain/drafts/forms.ts'
import { createArticle } from '#app/domain/help/articles.server.ts'
import { articleCategoryChoices } from '#app/domain/help/catalog.server.ts'
import { ARTICLE_BODY_MAX, ArticleSchema } from '#app/domain/help/schemas.ts'
import { previewMarkdown } from '#app/domain/qa/preview.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { issueOneTimeKey, ONE_TIME_KEY_FIELD, sendOnce } from '#app/lib/one-time-key.server.ts'
import { articleEditPath } from '#app/lib/paths.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb, localeContext } from '#app/server/context.ts'
import { draftIntent, keepDraft } from '#app/server/drafts.server.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { attachmentRefusal, fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/new'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'help.editor.new_title')

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'help.write')
  const url = new URL(request.url)
  const categories = await articleCategoryChoices(getDb(context))
  const wanted = Number(url.searchParams.get('category'))
  const categoryId = categories.some((c) => c.id === wanted) ? wanted : categories[0]?.id
  const draft = await loadDraft(getDb(context), { user: actor, formKey: ARTICLE_DRAFT })
  const defaults = {
    title: '',
    slug: '',
    categoryId: categoryId ? String(categoryId) : '',
    sectionId: '',
    locale:
      url.searchParams.get('locale') === 'ja'
        ? 'ja'
        : url.searchParams.get('locale') === 'en'
          ? 'en'
          : context.get(localeContext),
    tags: '',
    body: '',
    translationOf: /^\d+$/.test(url.searchParams.get('translationOf') ?? '')
      ? String(url.searchParams.get('translationOf'))
      : '',
  }
  return {
    categories,
    submissionKey: await issueOneTimeKey(getDb(context), actor),
    draft,
    defaultValue: withDraft(defaults, draft),
  }
}

/** The member's draft of a new article (docs/decisions/040). */
const ARTICLE_DRAFT = draftKey('article')

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = [...fieldsOf(ArticleSchema), 'intent', ONE_TIME_KEY_FIELD]

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'help.write')
  const formData = await readForm({ request, context }, { fields: FIELDS, attach: { to: 'body' } })
  const refusal = attachmentRefusal(formData)
  if (refusal) return failureResponse(context, refusal, parseWithZod(formData, { schema: ArticleSchema }))
  const drafted = await draftIntent({ context, db: getDb(context), user: actor, formData, formKey: ARTICLE_DRAFT })
  if (drafted) return drafted
  const intent = formData.get('intent')
  const submission = parseWithZod(formData, { schema: ArticleSchema })
  if (intent === 'preview') {
    const body = String(formData.get('body') ?? '').slice(0, ARTICLE_BODY_MAX)
    const preview = await previewMarkdown(getDb(context), actor, body)
    if (!preview.ok) return failureResponse(context, preview, submission)
    return { result: submission.reply(), preview: preview.value }
  }
  if (submission.status !== 'success') {
    // "Save draft" of an article that lacks a required field: what was typed is kept as the form's draft.
    const draft =
      intent === 'save'
        ? await keepDraft({ context, db: getDb(context), user: actor, formData, formKey: ARTICLE_DRAFT })
        : null
    return data({ result: submission.reply(), preview: null, draft }, { status: 400 })
  }
  const outcome = await sendOnce(
    getDb(context),
    actor,
    formData,
    (once) =>
      createArticle(getDb(context), {
        actor,
        input: submission.value,
        publish: intent === 'publish',
        once,
      }),
    { draft: ARTICLE_DRAFT },
  )
  if ('replayed' in outcome) return redirect(outcome.replayed)
  if (!outcome.ok) return failureResponse(context, outcome, submission)
  return redirect(outcome.value.path ?? `${articleEditPath(outcome.value.id)}?saved=draft`)
}

export default function NewArticle({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  return (
    <div className="stack">
      <nav aria-label={t('help.breadcrumbs')} className="breadcrumbs">
        <Link to="/help">{t('nav.help')}</Link> › <Link to="/help/manage">{t('help.editor.manage')}</Link>
      </nav>
      <h1>{t('help.editor.new_title')}</h1>
      {loaderData.categories.length ? (
        <ArticleForm
          submissionKey={loaderData.submissionKey}
          categories={loaderData.categories}
          defaultValue={loaderData.defaultValue}
          lastResult={actionData?.result}
          preview={actionData && 'preview' in actionData ? actionData.preview : null}
          published={false}
          draft={{ formKey: ARTICLE_DRAFT, saved: loaderData.draft, reply: draftReplyOf(actionData) }}
        />
      ) : (
        <p className="empty">
          {t('help.editor.no_categories')} <Link to="/help/manage/categories">{t('help.editor.manage')}</Link>
        </p>
      )}
    </div>
  )
}
