import { Link } from 'react-router'
import { useT } from '#app/components/translation.tsx'
import { pageTitle } from '#app/lib/meta.ts'
import { useRootData } from '#app/root.tsx'
import type { Route } from './+types/home'

export const meta: Route.MetaFunction = ({ matches }) => [
  ...pageTitle(matches, 'home.title'),
  { name: 'description', content: 'Customer community: questions, help articles and events.' },
]

export default function Home() {
  const { t } = useT()
  const root = useRootData()
  const sections = [
    { to: '/questions', title: t('nav.questions'), body: t('home.cards.questions'), cta: t('home.ask') },
    { to: '/help', title: t('nav.help'), body: t('home.cards.help'), cta: t('home.help') },
    { to: '/events', title: t('nav.events'), body: t('home.cards.events'), cta: t('home.events') },
    { to: '/support', title: t('nav.support'), body: t('home.cards.support'), cta: t('home.support') },
  ]
  return (
    <div className="stack">
      <section className="hero">
        <h1>{t('home.title')}</h1>
        <p className="lead">{root?.user ? t('home.greeting', { name: root.user.displayName }) : t('home.lead')}</p>
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
    </div>
  )
}
