import { Link } from 'react-router'
import { Avatar } from '#app/components/people/avatar.tsx'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { getProfile } from '#app/domain/qa/profiles.server.ts'
import { formatDate, intlLocale } from '#app/lib/format.ts'
import type { Locale } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { answerPath, questionPath } from '#app/lib/paths.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import type { Route } from './+types/profile'

export const meta: Route.MetaFunction = ({ matches, loaderData }) =>
  pageTitle(matches, (t) => loaderData?.profile.displayName ?? t('profile.title'))

export async function loader({ params, context }: Route.LoaderArgs) {
  const viewer = getOptionalUser(context)
  const outcome = await getProfile(getDb(context), { viewer, userId: intParam(params.userId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return { profile: outcome.value, isSelf: viewer?.id === outcome.value.id }
}

function formatPoints(points: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 }).format(points)
}

export default function UserProfile({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const { profile, isSelf } = loaderData
  const date = (value: Date) => (
    <time dateTime={new Date(value).toISOString()}>{formatDate(value, locale, timeZone)}</time>
  )

  return (
    <article className="stack profile" aria-labelledby="profile-name">
      <header className="profile-header">
        <Avatar user={profile} size={96} className="profile-avatar" />
        <div className="profile-heading">
          <h1 id="profile-name">{profile.displayName}</h1>
          {profile.title ? <p className="profile-title">{profile.title}</p> : null}
          <p className="profile-badges">
            {profile.isStaff ? <span className="badge">{t('profile.badges.staff')}</span> : null}
            {profile.isStaff ? null : (
              <span className={`badge profile-level-badge profile-level-${profile.level}`}>
                {t('people.profile.level', { level: t(`profile.levels.${profile.level}`) })}
              </span>
            )}
            {profile.disabled ? <span className="badge badge-danger">{t('profile.badges.disabled')}</span> : null}
          </p>
        </div>
      </header>

      {profile.bio ? (
        <section aria-labelledby="profile-bio-title">
          <h2 id="profile-bio-title" className="visually-hidden">
            {t('people.profile.bio')}
          </h2>
          <p className="profile-bio">{profile.bio}</p>
        </section>
      ) : null}

      <dl className="facts" aria-label={t('profile.details')}>
        {profile.company || profile.companyHidden ? (
          <>
            <dt>{t('people.profile.company')}</dt>
            <dd>
              {profile.companyHidden
                ? t('people.profile.company_hidden', { company: profile.accountName ?? '' })
                : profile.company}
            </dd>
          </>
        ) : null}
        <dt>{t('profile.member_since')}</dt>
        <dd>{date(profile.memberSince)}</dd>
        {profile.accountName && !profile.company && !profile.companyHidden ? (
          <>
            <dt>{t('profile.account')}</dt>
            <dd>{profile.accountName}</dd>
          </>
        ) : null}
      </dl>

      <LevelPanel profile={profile} isSelf={isSelf} locale={locale} />

      <section aria-labelledby="profile-stats-title">
        <h2 id="profile-stats-title">{t('profile.stats.heading')}</h2>
        <dl className="profile-stats">
          <div>
            <dt>{t('profile.stats.questions')}</dt>
            <dd>{profile.counts.questions}</dd>
          </div>
          <div>
            <dt>{t('profile.stats.answers')}</dt>
            <dd>{profile.counts.answers}</dd>
          </div>
          <div>
            <dt>{t('profile.stats.accepted')}</dt>
            <dd>{profile.counts.accepted}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="profile-questions-title">
        <h2 id="profile-questions-title">{t('profile.recent_questions.heading')}</h2>
        {profile.recentQuestions.length ? (
          <ul className="profile-posts">
            {profile.recentQuestions.map((question) => (
              <li key={question.id}>
                <Link to={questionPath(question)}>{question.title}</Link>
                <span className="profile-post-meta muted">
                  <span>{t('profile.score', { score: question.score })}</span>
                  <span>{t('profile.answer_count', { count: question.answerCount })}</span>
                  {question.accepted ? <span className="badge">{t('profile.solved')}</span> : null}
                  <span>{t('profile.asked_on', { date: formatDate(question.createdAt, locale, timeZone) })}</span>
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('profile.recent_questions.empty')}</p>
        )}
      </section>

      <section aria-labelledby="profile-answers-title">
        <h2 id="profile-answers-title">{t('profile.recent_answers.heading')}</h2>
        {profile.recentAnswers.length ? (
          <ul className="profile-posts">
            {profile.recentAnswers.map((answer) => (
              <li key={answer.id}>
                <Link to={answerPath(answer.question, answer.id)}>{answer.question.title}</Link>
                <span className="profile-post-meta muted">
                  <span>{t('profile.score', { score: answer.score })}</span>
                  {answer.accepted ? <span className="badge">{t('profile.accepted')}</span> : null}
                  <span>{t('profile.answered_on', { date: formatDate(answer.createdAt, locale, timeZone) })}</span>
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('profile.recent_answers.empty')}</p>
        )}
      </section>
    </article>
  )
}

type LoadedProfile = Route.ComponentProps['loaderData']['profile']

function LevelPanel({ profile, isSelf, locale }: { profile: LoadedProfile; isSelf: boolean; locale: Locale }) {
  const { t } = useT()
  const { points } = profile
  const levelName = t(`profile.levels.${profile.level}`)
  return (
    <section className="panel stack" aria-labelledby="profile-level-title">
      <h2 id="profile-level-title">{t('profile.level.heading')}</h2>
      <p className="profile-level">
        <span className={`badge profile-level-badge profile-level-${profile.level}`}>{levelName}</span>{' '}
        {t(`profile.level_descriptions.${profile.level}`)}
      </p>
      {points ? (
        <>
          <p className="profile-points">
            {t('profile.level.points', { count: points.total, points: formatPoints(points.total, locale) })}
          </p>
          {points.progress ? (
            <div className="profile-progress">
              <progress
                value={Math.round(points.progress.ratio * 100)}
                max={100}
                aria-label={t('profile.level.progress_label', { level: t(`profile.levels.${points.progress.next}`) })}
              />
              <p>
                {t('profile.level.to_next', {
                  count: points.progress.remaining,
                  points: formatPoints(points.progress.remaining, locale),
                  level: t(`profile.levels.${points.progress.next}`),
                })}
              </p>
            </div>
          ) : (
            <p>{t('profile.level.top')}</p>
          )}
          <p className="muted">{t('profile.level.explanation', { days: points.halfLifeDays })}</p>
          {isSelf ? <p className="muted">{t('profile.level.private_note')}</p> : null}
          {points.byType.length ? (
            <table className="profile-points-table">
              <caption>{t('profile.level.by_type')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('profile.level.activity')}</th>
                  <th scope="col">{t('profile.level.points_column')}</th>
                </tr>
              </thead>
              <tbody>
                {points.byType.map((row) => (
                  <tr key={row.type}>
                    <th scope="row">{t(`profile.activity.${row.type}`)}</th>
                    <td>{formatPoints(row.points, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
    </section>
  )
}
