import type { TFunction } from 'i18next'
import { createContext, useContext } from 'react'
import { useTranslation } from 'react-i18next'

const TranslationContext = createContext<{ t: TFunction } | null>(null)

/** Resolves the translation function once per render of the page and shares it. react-i18next's own
 *  hook copies the i18next instance for every component that calls it, which made server rendering of
 *  long pages (a question with 30 answers) measurably slower. The root layout provides this scope. */
export function TranslationScope({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation()
  return <TranslationContext.Provider value={{ t }}>{children}</TranslationContext.Provider>
}

/** `const { t } = useT()`: the page's translation function, in the reader's language. */
export function useT(): { t: TFunction } {
  const scope = useContext(TranslationContext)
  if (!scope) throw new Error('useT() is used outside <TranslationScope>')
  return scope
}
