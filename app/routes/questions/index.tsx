import { data, Link } from 'react-router'
import { Pagination } from '#app/components/pagination.tsx'
import { QuestionSummary } from '#app/components/qa/question-summary.tsx'
import { useT } from '#app/components/translation.tsx'
import { listQuestions, tagExists } from '#app/domain/qa/questions.server.ts'
import { QUESTIONS_PER_PAGE, questionTabs } from '#app/domain/qa/schemas.ts'
import { normalizeTag } from '#app/domain/qa/tags.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { tagPath } from '#app/lib/paths.ts'
import { getDb } from '#app/server/context.ts'
import { pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  loaderData?.tag
    ? pageTitle(matches, (t) => t('qa.list.tag_title', { tag: loaderData.tag }))
    : pageTitle(matches, 'qa.list.title')

/** Serves both `/questions` and `/tags/:tag`. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const url = new URL(request.url)
  const tab = questionTabs.find((value) => value === url.searchParams.get('tab')) ?? 'newest'
  const raw = 'tag' in params && typeof params.tag === 'string' ? params.tag : null
  const tag = raw === null ? null : normalizeTag(raw)
  const db = getDb(context)
  if (raw !== null && (!tag || !(await tagExists(db, tag)))) {
    throw data({ message: 'Not found' }, { status: 404 })
  }
  const list = await listQuestions(db, { tab, tag: tag ?? undefined, page: pageParam(url) })
  redirectPastLastPage(url, { page: list.page, total: list.total, perPage: QUESTIONS_PER_PAGE })
  return { ...list, tab, tag, perPage: QUESTIONS_PER_PAGE }
}

export default function Questions({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { questions, tab, tag, total } = loaderData
  const base = tag ? tagPath(tag) : '/questions'
  return (
    <div className="stack">
      <div className="page-heading">
        <h1>{tag ? t('qa.list.tag_title', { tag }) : t('qa.list.title')}</h1>
        <Link to="/questions/new" className="button">
          {t('qa.ask.button')}
        </Link>
      </div>
      {tag ? (
        <p>
          <Link to="/questions">{t('qa.list.all_questions')}</Link>
          {t('app.separator')}
          <Link to="/tags">{t('qa.tags_page.title')}</Link>
        </p>
      ) : null}
      <nav aria-label={t('qa.list.tabs')} className="tabs">
        {questionTabs.map((value) => (
          <Link
            key={value}
            to={value === 'newest' ? base : `${base}?tab=${value}`}
            aria-current={tab === value ? 'page' : undefined}
            className={tab === value ? 'tab active' : 'tab'}
          >
            {t(`qa.list.tab.${value}`)}
          </Link>
        ))}
      </nav>
      <p className="muted" role="status">
        {t('qa.list.count', { count: total })}
      </p>
      {questions.length ? (
        <ol className="question-list">
          {questions.map((question) => (
            <QuestionSummary key={question.id} question={question} />
          ))}
        </ol>
      ) : (
        <p className="empty">{t(`qa.list.empty.${tab}`)}</p>
      )}
      <Pagination page={loaderData.page} perPage={loaderData.perPage} total={total} />
    </div>
  )
}
