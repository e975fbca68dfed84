import { Link, useSearchParams } from 'react-router'
import { EventRow } from '#app/components/events/event-row.tsx'
import { QuestionSummary } from '#app/components/qa/question-summary.tsx'
import { useRootData } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { listEvents } from '#app/domain/events/events.server.ts'
import { isFirstVisit } from '#app/domain/identity/welcome.server.ts'
import { listQuestions } from '#app/domain/qa/questions.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser } from '#app/server/auth.server.ts'
import { getDb, sessionContext } from '#app/server/context.ts'
import type { Route } from './+types/home'

export const meta: Route.MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'home.title'),
  { name: 'description', content: 'Customer community: questions, help articles and events.' },
]

export async function loader({ context }: Route.LoaderArgs) {
  const db = getDb(context)
  const session = context.get(sessionContext)
  const [questions, events, firstVisit] = await Promise.all([
    listQuestions(db, { tab: 'active', perPage: 5 }),
    listEvents(db, { viewer: getOptionalUser(context), scope: 'upcoming' }),
    session ? isFirstVisit(db, { sessionId: session.sessionId }) : false,
  ])
  return {
    firstVisit,
    questions: questions.questions,
    events: events.events.filter((event) => event.status === 'published').slice(0, 3),
  }
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { t } = useT()
  const root = useRootData()
  const [searchParams] = useSearchParams()
  const sections = [
    { to: '/questions', title: t('nav.questions'), body: t('home.cards.questions'), cta: t('home.ask') },
    { to: '/help', title: t('nav.help'), body: t('home.cards.help'), cta: t('home.help') },
    { to: '/events', title: t('nav.events'), body: t('home.cards.events'), cta: t('home.events') },
    { to: '/support', title: t('nav.support'), body: t('home.cards.support'), cta: t('home.support') },
  ]
  return (
    <div className="stack">
      {searchParams.get('welcome') === '1' && root?.user?.emailVerified ? (
        <p className="notice" role="status">
          {t('identity.verify.welcome')}
        </p>
      ) : null}
      <section className="hero">
        <h1>{t('home.title')}</h1>
        <p className="lead">
          {root?.user
            ? t(loaderData.firstVisit ? 'home.greeting_new' : 'home.greeting', { name: root.user.displayName })
            : t('home.lead')}
        </p>
        {root?.user && loaderData.firstVisit ? (
          <section aria-labelledby="home-next-steps" className="next-steps">
            <h2 id="home-next-steps">{t('home.next_steps.title')}</h2>
            <ul>
              <li>
                <Link to="/help">{t('home.next_steps.help')}</Link>
              </li>
              <li>
                <Link to="/questions/new">{t('home.next_steps.ask')}</Link>
              </li>
              <li>
                <Link to="/events">{t('home.next_steps.events')}</Link>
              </li>
              <li>
                <Link to="/settings">{t('home.next_steps.settings')}</Link>
              </li>
            </ul>
          </section>
        ) : null}
        {root?.user ? null : (
          <p>
            <Link className="button" to="/signup">
              {t('home.join')}
            </Link>
          </p>
        )}
      </section>
      <ul className="cards">
        {sections.map((section) => (
          <li key={section.to} className="card">
            <h2>{section.title}</h2>
            <p>{section.body}</p>
            <Link to={section.to}>{section.cta}</Link>
          </li>
        ))}
      </ul>
      <div className="home-columns">
        <section aria-labelledby="home-questions" className="stack">
          <h2 id="home-questions">{t('home.recent_questions')}</h2>
          {loaderData.questions.length ? (
            <ol className="question-list">
              {loaderData.questions.map((question) => (
                <QuestionSummary key={question.id} question={question} />
              ))}
            </ol>
          ) : (
            <p className="empty">{t('qa.list.empty.active')}</p>
          )}
          <Link to="/questions?tab=active">{t('home.all_questions')}</Link>
        </section>
        <section aria-labelledby="home-events" className="stack">
          <h2 id="home-events">{t('home.upcoming_events')}</h2>
          {loaderData.events.length ? (
            <ol className="event-list">
              {loaderData.events.map((event) => (
                <EventRow key={event.id} event={event} />
              ))}
            </ol>
          ) : (
            <p className="empty">{t('events.list.empty.upcoming')}</p>
          )}
          <Link to="/events">{t('home.all_events')}</Link>
        </section>
      </div>
    </div>
  )
}
