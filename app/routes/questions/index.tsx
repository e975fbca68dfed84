import { useTranslation } from 'react-i18next'
import { pageTitle } from '#app/lib/meta.ts'
import type { Route } from './+types/index'

export const meta: Route.MetaFunction = ({ matches }) => pageTitle(matches, 'nav.questions')

/** The questions section; its feature issue replaces this page. */
export default function QuestionsIndex() {
  const { t } = useTranslation()
  return (
    <section className="stack">
      <h1>{t('nav.questions')}</h1>
      <p className="lead">{t('placeholder.questions')}</p>
      <p className="muted">{t('placeholder.soon')}</p>
    </section>
  )
}
