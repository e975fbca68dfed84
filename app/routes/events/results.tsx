import { Link } from 'react-router'
import { useViewer } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { eventResults } from '#app/domain/events/surveys.server.ts'
import { formatDateTime, intlLocale } from '#app/lib/format.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { requireCapability } from '#app/server/auth.server.ts'
import { getDb } from '#app/server/context.ts'
import { failureResponse, intParam } from '#app/server/http.server.ts'
import type { Route } from './+types/results'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'events_followup.results.title')

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const actor = requireCapability(context, request, 'events.manage')
  const outcome = await eventResults(getDb(context), { actor, eventId: intParam(params.eventId) })
  if (!outcome.ok) throw failureResponse(context, outcome)
  return outcome.value
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
      {hint ? <dd className="followup-stat-hint">{hint}</dd> : null}
    </div>
  )
}

export default function EventResults({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const { locale, timeZone } = useViewer()
  const results = loaderData
  const { event } = results
  const numbers = new Intl.NumberFormat(intlLocale(locale))
  const oneDecimal = new Intl.NumberFormat(intlLocale(locale), {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  })
  const signed = new Intl.NumberFormat(intlLocale(locale), { signDisplay: 'exceptZero' })
  const noAnswers = t('events_followup.results.no_answers')

  return (
    <div className="stack">
      <p>
        <Link to={`/events/${event.id}`}>{t('events_followup.back_to_event')}</Link>
      </p>
      <div className="page-heading">
        <h1>{t('events_followup.results.heading', { title: event.title })}</h1>
        <Link to={`/events/${event.id}/attendance`}>{t('events_followup.results.to_attendance')}</Link>
      </div>
      <p className="muted">
        <time dateTime={new Date(event.startsAt).toISOString()}>
          {t('events_followup.attendance.starts', { time: formatDateTime(event.startsAt, locale, timeZone) })}
        </time>
      </p>
      {results.ended ? null : <p className="banner">{t('events_followup.results.not_ended')}</p>}

      <section className="stack" aria-labelledby="results-attendance-title">
        <h2 id="results-attendance-title">{t('events_followup.results.attendance_title')}</h2>
        <dl className="followup-stats">
          <Stat
            label={t('events_followup.results.attendance_rate')}
            value={
              results.attendancePercent === null
                ? t('events_followup.results.no_rate')
                : t('events_followup.results.rate_value', { percent: results.attendancePercent })
            }
            hint={t('events_followup.results.rate_hint')}
          />
          <Stat label={t('events_followup.results.seats')} value={numbers.format(results.seats)} />
          <Stat label={t('events_followup.results.attended')} value={numbers.format(results.attended)} />
          <Stat label={t('events_followup.results.no_shows')} value={numbers.format(results.noShows)} />
          <Stat label={t('events_followup.results.unmarked')} value={numbers.format(results.unmarked)} />
        </dl>
      </section>

      <section className="stack" aria-labelledby="results-survey-title">
        <h2 id="results-survey-title">{t('events_followup.results.survey_title')}</h2>
        <dl className="followup-stats">
          <Stat
            label={t('events_followup.results.nps')}
            value={results.nps === null ? noAnswers : signed.format(results.nps)}
            hint={t('events_followup.results.nps_hint')}
          />
          <Stat
            label={t('events_followup.results.average_rating')}
            value={
              results.averageRating === null
                ? noAnswers
                : t('events_followup.results.rating_value', { value: oneDecimal.format(results.averageRating) })
            }
          />
          <Stat label={t('events_followup.results.answers')} value={numbers.format(results.answers)} />
          <Stat label={t('events_followup.results.promoters')} value={numbers.format(results.promoters)} />
          <Stat label={t('events_followup.results.passives')} value={numbers.format(results.passives)} />
          <Stat label={t('events_followup.results.detractors')} value={numbers.format(results.detractors)} />
        </dl>
      </section>

      <section className="stack" aria-labelledby="results-comments-title">
        <h2 id="results-comments-title">{t('events_followup.results.comments_title')}</h2>
        <p className="muted">{t('events_followup.results.comments_lead')}</p>
        {results.comments.length === 0 ? (
          <p className="empty">{t('events_followup.results.no_comments')}</p>
        ) : (
          <ul className="followup-comments">
            {results.comments.map((comment) => {
              const at = new Date(comment.createdAt)
              return (
                <li key={`${at.toISOString()}:${comment.comment}`} className="card">
                  <p className="survey-comment">{comment.comment}</p>
                  <p className="muted">
                    {t('events_followup.results.comment_meta', { rating: comment.rating, nps: comment.nps })} ·{' '}
                    <time dateTime={at.toISOString()}>{formatDateTime(at, locale, timeZone)}</time>
                  </p>
                </li>
              )
            })}
          </ul>
        )}
      </section>
    </div>
  )
}
