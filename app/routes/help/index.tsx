import { useT } from '#app/components/translation.tsx'
import { pageTitle } from '#app/lib/meta.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'nav.help')

/** The help section; its feature issue replaces this page. */
export default function HelpIndex() {
  const { t } = useT()
  return (
    <section className="stack">
      <h1>{t('nav.help')}</h1>
      <p className="lead">{t('placeholder.help')}</p>
      <p className="muted">{t('placeholder.soon')}</p>
    </section>
  )
}
