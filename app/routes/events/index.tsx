import { useT } from '#app/components/translation.tsx'
import { pageTitle } from '#app/lib/meta.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'nav.events')

/** The events section; its feature issue replaces this page. */
export default function EventsIndex() {
  const { t } = useT()
  return (
    <section className="stack">
      <h1>{t('nav.events')}</h1>
      <p className="lead">{t('placeholder.events')}</p>
      <p className="muted">{t('placeholder.soon')}</p>
    </section>
  )
}
