import { Link } from 'react-router'
import { Avatar } from '#app/components/people/avatar.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { formatDateTime } from '#app/lib/format.ts'
import { questionPath, userPath } from '#app/lib/paths.ts'
import { StaffBadge } from './post-byline.tsx'
import { TagList } from './tag-list.tsx'

export type QuestionSummaryData = {
  id: number
  title: string
  tags: string[]
  score: number
  answerCount: number
  viewCount: number
  accepted: boolean
  locked: boolean
  duplicate: boolean
  createdAt: Date | string
  authorId: number
  authorName: string
  authorRole: string
  authorAvatarUpdatedAt?: Date | string | null
}

/** One row of a question list: votes, answers (marked when one is accepted), views, title, tags,
 *  author and time. The counts are words as well as numbers, for screen readers. */
export function QuestionSummary({ question }: { question: QuestionSummaryData }) {
  const { t } = useT()
  const viewer = useViewer()
  return (
    <li className="question-summary">
      <dl className="question-stats">
        <div>
          <dt>{t('qa.list.votes', { count: question.score })}</dt>
          <dd>{question.score}</dd>
        </div>
        <div className={question.accepted ? 'stat-accepted' : undefined}>
          <dt>
            {question.accepted ? <span aria-hidden="true">✓ </span> : null}
            {t('qa.list.answers_word', { count: question.answerCount })}
          </dt>
          <dd>{question.answerCount}</dd>
        </div>
        <div>
          <dt>{t('qa.list.views', { count: question.viewCount })}</dt>
          <dd>{question.viewCount}</dd>
        </div>
      </dl>
      <div className="question-summary-main">
        <h3 className="question-summary-title">
          <Link to={questionPath(question)}>{question.title}</Link>
          {question.accepted ? <span className="badge badge-answered">{t('qa.answered')}</span> : null}
          {question.duplicate ? <span className="badge">{t('qa.duplicate_badge')}</span> : null}
          {question.locked ? <span className="badge">{t('qa.locked_badge')}</span> : null}
        </h3>
        <TagList tags={question.tags} />
        <p className="byline">
          <Avatar
            user={{
              id: question.authorId,
              displayName: question.authorName,
              avatarUpdatedAt: question.authorAvatarUpdatedAt,
            }}
            size={20}
          />{' '}
          <Link to={userPath(question.authorId)}>{question.authorName}</Link>
          {question.authorRole !== 'member' ? <StaffBadge /> : null}
          {t('app.separator')}
          <time dateTime={new Date(question.createdAt).toISOString()}>
            {formatDateTime(question.createdAt, viewer.locale, viewer.timeZone)}
          </time>
        </p>
      </div>
    </li>
  )
}
