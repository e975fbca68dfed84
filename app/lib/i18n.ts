import i18next, { type i18n, type TFunction } from 'i18next'
import { en } from '#app/locales/en/index.ts'
import { ja } from '#app/locales/ja/index.ts'

export const locales = ['en', 'ja'] as const
export type Locale = (typeof locales)[number]
export const defaultLocale: Locale = 'en'
export const localeCookieName = 'lng'

export const resources = { en: { translation: en }, ja: { translation: ja } }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value)
}

/** A ready i18next instance for one language. Resources are bundled, so initialisation is synchronous. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance()
  void instance.init({
    lng: locale,
    fallbackLng: defaultLocale,
    supportedLngs: [...locales],
    resources,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  })
  return instance
}

const cache = new Map<Locale, i18n>()

/** The translate function for a language, for server code that renders text outside React (emails). */
export function translator(locale: Locale): TFunction {
  let instance = cache.get(locale)
  if (!instance) {
    instance = createI18n(locale)
    cache.set(locale, instance)
  }
  return instance.t
}

/** Picks the best supported language from an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.find((p) => p.trim().startsWith('q='))
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 }
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const { tag } of ranked) {
    const base = tag.split('-')[0]
    if (isLocale(base)) return base
  }
  return null
}
