import { expect, test } from 'vitest'
import { en } from '#app/locales/en/index.ts'
import { ja } from '#app/locales/ja/index.ts'
import { localeFromAcceptLanguage, translator } from './i18n.ts'
import { waitParams } from './rate-limit.server.ts'

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix]
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort()
}

test('the Japanese catalogue has exactly the English keys, each translated with the same placeholders', () => {
  const enKeys = keys(en).sort()
  expect(keys(ja).sort()).toEqual(enKeys)
  const get = (catalogue: unknown, key: string) =>
    key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogue) as string
  for (const key of enKeys) {
    expect(get(ja, key), key).not.toBe('')
    expect(placeholders(get(ja, key)), key).toEqual(placeholders(get(en, key)))
  }
})

test('every validation and error key used by the domain resolves in both languages', () => {
  for (const locale of ['en', 'ja'] as const) {
    const t = translator(locale)
    for (const key of ['errors.rate_limited', 'identity.invalid_credentials', 'validation.password_common']) {
      expect(t(key, waitParams(5 * 60, 'minutes'))).not.toBe(key)
    }
  }
  expect(translator('ja')('errors.rate_limited', waitParams(15 * 60, 'minutes'))).toContain('15 分後')
})

test('a wait of one second or one minute is said in the singular, longer ones in the plural', () => {
  const en = translator('en')
  expect(en('qa.posting_too_fast', waitParams(1, 'seconds'))).toContain('Please wait 1 second and try again')
  expect(en('qa.posting_too_fast', waitParams(7, 'seconds'))).toContain('Please wait 7 seconds and try again')
  expect(en('errors.rate_limited', waitParams(30, 'minutes'))).toContain('try again in 1 minute.')
  expect(en('support.errors.too_many_tickets', waitParams(600, 'minutes'))).toContain('in 10 minutes.')
  expect(translator('ja')('qa.posting_too_fast', waitParams(1, 'seconds'))).toContain('1 秒ほど')
})

test('Accept-Language picks the best supported language by quality', () => {
  expect(localeFromAcceptLanguage('ja-JP,ja;q=0.9,en;q=0.8')).toBe('ja')
  expect(localeFromAcceptLanguage('fr-FR,fr;q=0.9,en-US;q=0.5,ja;q=0.7')).toBe('ja')
  expect(localeFromAcceptLanguage('en-GB')).toBe('en')
  expect(localeFromAcceptLanguage('de, fr')).toBeNull()
  expect(localeFromAcceptLanguage('ja;q=0, en')).toBe('en')
  expect(localeFromAcceptLanguage(null)).toBeNull()
})

test('every catalogue key written literally in the code exists in the catalogue', async () => {
  const { readFileSync, readdirSync, statSync } = await import('node:fs')
  const { join } = await import('node:path')
  const files: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) {
        if (name !== 'locales' && !name.startsWith('+')) walk(path)
      } else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(path)
    }
  }
  walk('app')
  const known = new Set(keys(en))
  const exists = (key: string) => known.has(key) || known.has(`${key}_one`) || known.has(`${key}_other`)
  const missing: string[] = []
  // Where catalogue keys are written: t('…'), fail(status, '…'), error/message: '…', and zod checks
  // ending in a message argument, e.g. .min(1, '…').
  const key = String.raw`'([a-z_]+(?:\.[a-z0-9_]+)+)'`
  const places = [
    new RegExp(String.raw`\bt\(\s*${key}`, 'g'),
    new RegExp(String.raw`\bfail\(\s*\d+,\s*${key}`, 'g'),
    new RegExp(String.raw`\b(?:error|message):\s*${key}`, 'g'),
    new RegExp(String.raw`\.(?:min|max|regex|refine|int|positive|length|email)\([^()]*,\s*${key}\s*\)`, 'g'),
  ]
  for (const file of files) {
    const source = readFileSync(file, 'utf8')
    for (const place of places) {
      for (const [, found] of source.matchAll(place)) {
        if (found && !exists(found)) missing.push(`${file}: ${found}`)
      }
    }
  }
  expect(missing).toEqual([])
})

/** Every key and its text, flattened. */
function entries(catalogue: unknown): Map<string, string> {
  const get = (key: string) =>
    key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogue) as string
  return new Map(keys(catalogue).map((key) => [key, get(key)]))
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/

test('no English text writes a plural as "(s)": counts go through i18next plural forms', () => {
  const english = entries(en)
  const hedged = [...english].filter(([, text]) => /(?<!http)\((?:s|es)\)/.test(text)).map(([key]) => key)
  expect(hedged).toEqual([])
  // A count followed by a plural noun ("{{count}} other sessions", "{{count}} people") needs its
  // singular form too.
  const countedNoun = /\{\{count\}\}(?:\s[a-z-]+){0,3}?\s(?:[a-z]+s|people)\b/
  const unpluralised = [...english]
    .filter(([key, text]) => countedNoun.test(text) && !pluralSuffix.test(key))
    .filter(([key]) => !english.has(`${key}_one`))
    .map(([key]) => key)
  expect(unpluralised).toEqual([])
})

test('plural keys have every form i18next asks for in both languages (English one/other, Japanese other)', () => {
  for (const [locale, catalogue] of [
    ['en', en],
    ['ja', ja],
  ] as const) {
    const texts = entries(catalogue)
    const families = new Set(
      [...texts.keys()].filter((key) => pluralSuffix.test(key)).map((key) => key.replace(pluralSuffix, '')),
    )
    const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories
    const missing = [...families].flatMap((family) =>
      needed.filter((form) => !texts.has(`${family}_${form}`)).map((form) => `${locale}: ${family}_${form}`),
    )
    expect(missing).toEqual([])
  }
  const en1 = translator('en')('manage.settings.done.saved', { count: 1, moved: 1 })
  expect(en1).toBe('1 setting changed. Today’s scores were recomputed: 1 account changed level.')
  expect(translator('en')('manage.settings.done.saved', { count: 2, moved: 0 })).toBe(
    '2 settings changed. Today’s scores were recomputed: no account changed level.',
  )
  expect(translator('en')('manage.settings.done.saved', { count: 2, moved: 3 })).toContain('3 accounts changed level.')
  expect(translator('ja')('manage.settings.done.saved', { count: 2, moved: 3 })).toBe(
    '2 件の設定を変更しました。今日のスコアを再計算しました。判定が変わったアカウントは 3 社です。',
  )
})
