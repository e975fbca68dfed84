import { Form, Link, redirect, useSearchParams } from 'react-router'
import { EventRow } from '#app/components/events/event-row.tsx'
import { QuestionSummary } from '#app/components/qa/question-summary.tsx'
import { useRootData } from '#app/components/root-data.ts'
import { useT } from '#app/components/translation.tsx'
import { listEvents } from '#app/domain/events/events.server.ts'
import { nextOnboardingSession } from '#app/domain/events/onboarding-sessions.server.ts'
import { gettingStartedArticle } from '#app/domain/help/getting-started.server.ts'
import {
  dismissFirstSteps,
  type FirstSteps,
  getFirstSteps,
  readOnboardingSettings,
} from '#app/domain/identity/onboarding.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { isFirstVisit } from '#app/domain/identity/welcome.server.ts'
import { listQuestions } from '#app/domain/qa/questions.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { getOptionalUser, requireUser } from '#app/server/auth.server.ts'
import { getDb, sessionContext } from '#app/server/context.ts'
import { unknownIntent } from '#app/server/intents.server.ts'
import { readForm } from '#app/server/request-body.server.ts'
import type { Route } from './+types/home'

export const meta: Route.MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'home.title'),
  { name: 'description', content: 'Customer community: questions, help articles and events.' },
]

export async function loader({ context }: Route.LoaderArgs) {
  const db = getDb(context)
  const session = context.get(sessionContext)
  const user = getOptionalUser(context)
  const [questions, events, firstVisit, firstSteps] = await Promise.all([
    listQuestions(db, { tab: 'active', perPage: 5 }),
    listEvents(db, { viewer: user, scope: 'upcoming' }),
    session ? isFirstVisit(db, { sessionId: session.sessionId }) : false,
    user ? loadFirstSteps(db, user) : null,
  ])
  return {
    firstVisit,
    firstSteps,
    questions: questions.questions,
    events: events.events.filter((event) => event.status === 'published').slice(0, 3),
  }
}

/** The checklist, with the getting-started article and the next onboarding webinar it links to. */
async function loadFirstSteps(db: ReturnType<typeof getDb>, user: SessionUser): Promise<FirstSteps | null> {
  if (user.role !== 'member' || !user.emailVerified) return null
  const settings = await readOnboardingSettings(db)
  const [article, webinar] = await Promise.all([
    gettingStartedArticle(db, { articleId: settings.articleId, locale: user.locale }),
    nextOnboardingSession(db, { user }),
  ])
  return getFirstSteps(db, { user, targets: { article, webinar } })
}

/** The one form of the home page: hiding the first-steps checklist. */
export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request)
  const formData = await readForm({ request, context }, { fields: ['intent'] })
  if (formData.get('intent') !== 'dismiss-first-steps') unknownIntent({ context })
  await dismissFirstSteps(getDb(context), user)
  return redirect('/?first-steps=hidden')
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
      {searchParams.get('first-steps') === 'hidden' && !loaderData.firstSteps ? (
        <p className="notice" role="status">
          {t('onboarding.first_steps.dismissed')}
        </p>
      ) : null}
      <section className="hero">
        <h1>{t('home.title')}</h1>
        <p className="lead">
          {root?.user
            ? t(loaderData.firstVisit ? 'home.greeting_new' : 'home.greeting', { name: root.user.displayName })
            : t('home.lead')}
        </p>
        {loaderData.firstSteps ? <FirstStepsChecklist firstSteps={loaderData.firstSteps} /> : null}
        {root?.user && loaderData.firstVisit && !loaderData.firstSteps ? (
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

/** The new member's checklist: each step a link, done ones ticked, progress as "n of 4", and a form to
 *  hide it (a plain POST, so it works without JavaScript). */
function FirstStepsChecklist({ firstSteps }: { firstSteps: FirstSteps }) {
  const { t } = useT()
  return (
    <section aria-labelledby="home-first-steps" className="first-steps stack">
      <h2 id="home-first-steps">{t('onboarding.first_steps.title')}</h2>
      <p className="first-steps-progress">
        <progress max={firstSteps.total} value={firstSteps.done} aria-labelledby="first-steps-progress-text" />{' '}
        <span id="first-steps-progress-text">
          {t('onboarding.first_steps.progress', { done: firstSteps.done, total: firstSteps.total })}
        </span>
      </p>
      {firstSteps.allDone ? (
        <p className="notice" role="status">
          {t('onboarding.first_steps.all_done')}
        </p>
      ) : null}
      <ol className="first-steps-list">
        {firstSteps.steps.map((step) => (
          <li key={step.kind} data-step={step.kind} className={step.done ? 'first-step done' : 'first-step'}>
            <span className="first-step-mark" aria-hidden="true">
              {step.done ? '✓' : '○'}
            </span>{' '}
            <span className="first-step-text">
              <Link to={step.href}>{step.title}</Link>{' '}
              <span className="visually-hidden">
                ({step.done ? t('onboarding.first_steps.done') : t('onboarding.first_steps.todo')})
              </span>
              {step.description ? <span className="field-hint"> {step.description}</span> : null}
            </span>
          </li>
        ))}
      </ol>
      <Form method="post">
        <button type="submit" name="intent" value="dismiss-first-steps" className="button button-secondary">
          {t('onboarding.first_steps.dismiss')}
        </button>
      </Form>
    </section>
  )
}
