import { parseWithZod } from '@conform-to/zod/v4'
import { data, Link, redirect } from 'react-router'
import { FeedbackForm } from '#app/components/help/feedback-form.tsx'
import { Prose } from '#app/components/prose.tsx'
import { TagList } from '#app/components/qa/tag-list.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { getArticlePage } from '#app/domain/help/articles.server.ts'
import { relatedArticles } from '#app/domain/help/catalog.server.ts'
import { feedbackOf, giveFeedback, recordArticleView } from '#app/domain/help/feedback.server.ts'
import { categoryName, sectionName } from '#app/domain/help/names.ts'
import { FeedbackSchema } from '#app/domain/help/schemas.ts'
import { formatDate } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { articleEditPath, articlePath, helpCategoryPath, userPath } from '#app/lib/paths.ts'
import { readerOf } from '#app/lib/visitor.server.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { clientIpContext, getDb, localeContext } from '#app/server/context.ts'
import { failureResponse } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/article'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  pageTitle(matches, (t) => loaderData?.article.title ?? t('help.article_not_found'), { section: 'nav.help' })

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const viewer = getOptionalUser(context)
  const db = getDb(context)
  const outcome = await getArticlePage(db, { categorySlug: params.category, slug: params.slug, viewer })
  if (!outcome.ok) throw failureResponse(context, outcome)
  if ('redirect' in outcome.value) throw redirect(outcome.value.redirect, 301)
  const page = outcome.value
  const reader = await readerOf(db, request, viewer, context.get(clientIpContext))
  const [, feedback, related] = await Promise.all([
    reader.crawler ? false : recordArticleView(db, { articleId: page.article.id, reader, user: viewer }),
    feedbackOf(db, { articleId: page.article.id, reader }),
    relatedArticles(db, { articleId: page.article.id, locale: context.get(localeContext) }),
  ])
  const url = new URL(request.url)
  return data(
    { ...page, feedback, related, feedbackSaved: url.searchParams.get('feedback') === 'saved' },
    reader.setCookie ? { headers: { 'Set-Cookie': reader.setCookie } } : undefined,
  )
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(FeedbackSchema)

export async function action({ request, params, context }: Route.ActionArgs) {
  const viewer = getOptionalUser(context)
  const db = getDb(context)
  const outcome = await getArticlePage(db, { categorySlug: params.category, slug: params.slug, viewer })
  if (!outcome.ok) throw failureResponse(context, outcome)
  if ('redirect' in outcome.value) throw redirect(outcome.value.redirect, 303)
  const page = outcome.value
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), { schema: FeedbackSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const reader = await readerOf(db, request, viewer, context.get(clientIpContext))
  const saved = await giveFeedback(db, { articleId: page.article.id, reader, user: viewer, input: submission.value })
  if (!saved.ok) return failureResponse(context, saved, submission)
  const headers = reader.setCookie ? { 'Set-Cookie': reader.setCookie } : undefined
  return redirect(`${page.path}?feedback=saved#feedback`, { headers })
}

export default function HelpArticle({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { article, category, section, translations, related } = loaderData
  return (
    <div className="help-article-page">
      <nav aria-label={t('help.breadcrumbs')} className="breadcrumbs">
        <Link to="/help">{t('nav.help')}</Link> ›{' '}
        <Link to={helpCategoryPath(category.slug)}>{categoryName(category, locale)}</Link>
        {section ? <> › {sectionName(section, locale)}</> : null}
      </nav>
      <article className="help-article stack" lang={article.locale}>
        {article.status !== 'published' ? (
          <p className="banner banner-warning" lang={locale}>
            {t(`help.article_page.not_public.${article.status}`)}
          </p>
        ) : null}
        <h1>{article.title}</h1>
        <p className="byline" lang={locale}>
          {t('help.article_page.updated', { date: formatDate(article.updatedAt, locale, timeZone) })}
          {article.creditedUserId && article.creditedName ? (
            <>
              {t('app.separator')}
              {t('help.article_page.credit')} <Link to={userPath(article.creditedUserId)}>{article.creditedName}</Link>
            </>
          ) : null}
        </p>
        {translations.length ? (
          <p className="translations" lang={locale}>
            {translations.map((translation) => (
              <Link key={translation.id} to={translation.path} lang={translation.locale} hrefLang={translation.locale}>
                {t(`help.article_page.read_in.${translation.locale}`)}
              </Link>
            ))}
          </p>
        ) : null}
        {loaderData.canWrite ? (
          <p className="post-actions" lang={locale}>
            <Link to={articleEditPath(article.id)}>{t('help.article_page.edit')}</Link>
            <Link to={`/help/articles/${article.id}/revisions`}>{t('help.revisions.title')}</Link>
          </p>
        ) : null}
        <Prose html={article.bodyHtml} />
        <TagList tags={article.tags} />
      </article>
      <div lang={locale} className="stack">
        {article.status === 'published' ? (
          <FeedbackForm
            current={loaderData.feedback}
            lastResult={actionData?.result}
            saved={loaderData.feedbackSaved}
          />
        ) : null}
        {related.length ? (
          <section aria-labelledby="related-title" className="related-articles">
            <h2 id="related-title">{t('help.article_page.related')}</h2>
            <ul>
              {related.map((item) => (
                <li key={item.id}>
                  <Link to={articlePath(item)} lang={item.locale}>
                    {item.title}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <p className="muted">
          {t('support.cta.still_stuck')} <Link to="/support/new">{t('support.new.title')}</Link>
        </p>
      </div>
    </div>
  )
}
