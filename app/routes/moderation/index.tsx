import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, Link, redirect } from 'react-router'
import { FormErrors } from '#app/components/forms.tsx'
import { Pagination } from '#app/components/pagination.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { listFlagQueue, listRemovedPosts, moderatePost } from '#app/domain/qa/moderation.server.ts'
import { ModerateSchema } from '#app/domain/qa/schemas.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { fail } from '#app/lib/outcome.ts'
import { questionPath, userPath } from '#app/lib/paths.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureMessage, failureResponse, pageParam, redirectPastLastPage } from '#app/server/http.server.ts'
import { fieldsOf, readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'qa.moderation.title')

const PER_PAGE = 25

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'qa.moderate')
  const url = new URL(request.url)
  const page = pageParam(url)
  const db = getDb(context)
  const view = url.searchParams.get('view') === 'removed' ? 'removed' : 'flags'
  const [queue, removed] = await Promise.all([
    listFlagQueue(db, { actor, page, perPage: PER_PAGE }),
    view === 'removed' ? listRemovedPosts(db, { actor }) : null,
  ])
  if (!queue.ok) throw failureResponse(context, queue)
  if (removed && !removed.ok) throw failureResponse(context, removed)
  redirectPastLastPage(url, { page, total: queue.value.total, perPage: PER_PAGE })
  return { ...queue.value, view, removed: removed?.value ?? [], page, done: url.searchParams.get('done') }
}

/** The names this page's forms send; nothing else reaches the parser. */
const FIELDS = fieldsOf(ModerateSchema)

export async function action({ request, context }: Route.ActionArgs) {
  const actor = requireCapability(context, request, 'qa.moderate')
  const submission = parseWithZod(await readForm({ request, context }, { fields: FIELDS }), { schema: ModerateSchema })
  if (submission.status !== 'success') {
    return data({ error: failureMessage(context, fail(400, 'validation.invalid_choice')) }, { status: 400 })
  }
  const outcome = await moderatePost(getDb(context), { actor, ...submission.value })
  if (!outcome.ok) return data({ error: failureMessage(context, outcome) }, { status: outcome.status })
  const back = new URL(request.url).searchParams.get('view') === 'removed' ? '&view=removed' : ''
  return redirect(`/moderation?done=${submission.value.action}${back}`)
}

export default function Moderation({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone: zone } = useViewer()
  return (
    <div className="stack">
      <h1>{t('qa.moderation.title')}</h1>
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      {loaderData.done ? (
        <p className="notice" role="status">
          {t('qa.moderation.done')}
        </p>
      ) : null}
      <nav aria-label={t('qa.moderation.views')} className="tabs">
        <Link
          to="/moderation"
          aria-current={loaderData.view === 'flags' ? 'page' : undefined}
          className={loaderData.view === 'flags' ? 'tab active' : 'tab'}
        >
          {t('qa.moderation.count', { count: loaderData.total })}
        </Link>
        <Link
          to="/moderation?view=removed"
          aria-current={loaderData.view === 'removed' ? 'page' : undefined}
          className={loaderData.view === 'removed' ? 'tab active' : 'tab'}
        >
          {t('qa.moderation.removed')}
        </Link>
      </nav>
      {loaderData.view === 'removed' ? (
        <RemovedPosts posts={loaderData.removed} />
      ) : loaderData.items.length ? (
        <ol className="flag-queue">
          {loaderData.items.map((item) => {
            return (
              <li key={`${item.targetType}-${item.targetId}`} className="panel stack">
                <TargetHeading target={item} />
                <p className="muted">
                  {t('qa.moderation.by')} <Link to={userPath(item.authorId)}>{item.authorName}</Link> ·{' '}
                  {t('qa.moderation.flags', { count: item.flagCount })}
                  {item.hidden ? <span className="badge">{t('qa.hidden_badge')}</span> : null}
                  {item.deleted ? <span className="badge">{t('qa.deleted_badge')}</span> : null}
                </p>
                <blockquote className="flag-excerpt">{item.excerpt}</blockquote>
                <ul className="flag-reasons">
                  {item.reasons.map((reason) => (
                    <li key={`${reason.reporterName}-${String(reason.createdAt)}`}>
                      <strong>{t(`qa.flag.reasons.${reason.reason}`)}</strong> – {reason.reporterName},{' '}
                      {formatDateTime(reason.createdAt, locale, zone)}
                      {reason.note ? <>: “{reason.note}”</> : null}
                    </li>
                  ))}
                </ul>
                <Form method="post" className="inline-actions">
                  <input type="hidden" name="targetType" value={item.targetType} />
                  <input type="hidden" name="targetId" value={item.targetId} />
                  {item.hidden ? null : (
                    <button type="submit" name="action" value="hide" className="button button-small">
                      {t('qa.moderation.hide')}
                    </button>
                  )}
                  {item.deleted ? null : (
                    <button type="submit" name="action" value="delete" className="button button-small button-secondary">
                      {t('qa.moderation.delete')}
                    </button>
                  )}
                  <button type="submit" name="action" value="dismiss" className="button button-small button-secondary">
                    {t('qa.moderation.dismiss')}
                  </button>
                </Form>
              </li>
            )
          })}
        </ol>
      ) : (
        <p className="empty">{t('qa.moderation.empty')}</p>
      )}
      <Pagination page={loaderData.page} perPage={PER_PAGE} total={loaderData.total} />
    </div>
  )
}

type Target = {
  targetType: 'question' | 'answer' | 'comment'
  targetId: number
  questionId: number
  questionTitle: string
}

/** "Answer on <question>", linking to the post in place. */
function TargetHeading({ target }: { target: Target }) {
  const { t } = useT()
  const anchor =
    target.targetType === 'answer'
      ? `#answer-${target.targetId}`
      : target.targetType === 'comment'
        ? `#comment-${target.targetId}`
        : ''
  return (
    <h2 className="flag-title">
      {t(`qa.moderation.target.${target.targetType}`)}{' '}
      <Link to={`${questionPath({ id: target.questionId, title: target.questionTitle })}${anchor}`}>
        {target.questionTitle}
      </Link>
    </h2>
  )
}

function RemovedPosts({ posts }: { posts: Route.ComponentProps['loaderData']['removed'] }) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  if (!posts.length) return <p className="empty">{t('qa.moderation.removed_empty')}</p>
  return (
    <ol className="flag-queue">
      {posts.map((post) => {
        return (
          <li key={`${post.targetType}-${post.targetId}`} className="panel stack">
            <TargetHeading target={post} />
            <p className="muted">
              {t('qa.moderation.by')} {post.authorName} · {formatDateTime(post.removedAt, locale, timeZone)}
              {post.hidden ? <span className="badge">{t('qa.hidden_badge')}</span> : null}
              {post.deleted ? <span className="badge">{t('qa.deleted_badge')}</span> : null}
            </p>
            <blockquote className="flag-excerpt">{post.excerpt}</blockquote>
            <Form method="post" action="/moderation?view=removed" className="inline-actions">
              <input type="hidden" name="targetType" value={post.targetType} />
              <input type="hidden" name="targetId" value={post.targetId} />
              {post.hidden ? (
                <button type="submit" name="action" value="unhide" className="button button-small">
                  {t('qa.moderation.unhide')}
                </button>
              ) : null}
              {post.deleted ? (
                <button type="submit" name="action" value="restore" className="button button-small">
                  {t('qa.moderation.restore')}
                </button>
              ) : null}
            </Form>
          </li>
        )
      })}
    </ol>
  )
}
