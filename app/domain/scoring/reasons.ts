import { intlLocale } from '#app/lib/format.ts'
import { type Locale, resources } from '#app/lib/i18n.ts'
import type { ChampionsDetail, HardRisk, KeyMember, MeasureOutcome } from './measures.ts'
import {
  type HealthBand,
  type HealthLevel,
  type HealthMeasure,
  healthMeasures,
  type ScoringSettings,
} from './settings.ts'

/** Text in both languages, written once when a score is computed so snapshots keep what was shown. */
export type BilingualText = { en: string; ja: string }

export type Translate = (key: string, params?: Record<string, string | number>) => string

const pluralRules: Record<Locale, Intl.PluralRules> = { en: new Intl.PluralRules('en'), ja: new Intl.PluralRules('ja') }

/** A catalogue text split once at its placeholders: literal, name, literal, …, literal. */
type Template = string[]
const templates = new Map<string, Template | null>()

function template(locale: Locale, key: string): Template | null {
  const cacheKey = `${locale}:${key}`
  let parts = templates.get(cacheKey)
  if (parts === undefined) {
    let node: unknown = resources[locale].translation
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
    parts = typeof node === 'string' ? node.split(/\{\{(\w+)\}\}/) : null
    templates.set(cacheKey, parts)
  }
  return parts
}

function fill(parts: Template, params: Record<string, string | number> | undefined): string {
  let text = parts[0]!
  for (let index = 1; index < parts.length; index += 2) {
    const name = parts[index]!
    text += (params && name in params ? String(params[name]) : `{{${name}}}`) + parts[index + 1]!
  }
  return text
}

/** The translate function reasons are written with: the same catalogues, plural keys (`_one` /
 *  `_other` chosen by `count`) and `{{name}}` placeholders as `translator(locale)` from
 *  app/lib/i18n.ts, which gives the same text (a test compares every scoring key), at a fraction of
 *  the cost: a recompute writes some forty sentences per account, for every account, every day. */
export function scoringTranslator(locale: Locale): Translate {
  return (key, params) => {
    const count = params?.count
    const parts =
      (typeof count === 'number' ? template(locale, `${key}_${pluralRules[locale].select(count)}`) : null) ??
      template(locale, key) ??
      template('en', key)
    return parts ? fill(parts, params) : key
  }
}

const translators: Record<Locale, Translate> = { en: scoringTranslator('en'), ja: scoringTranslator('ja') }

/** Renders one text in each language with that language's translate function and number formats. */
export function bilingual(render: (t: Translate, locale: Locale) => string): BilingualText {
  return { en: render(translators.en, 'en'), ja: render(translators.ja, 'ja') }
}

const numberFormats = new Map<string, Intl.NumberFormat>()

/** A number as the language writes it, with at most `digits` decimals: 1,234.5. */
export function formatNumber(value: number, locale: Locale, digits = 0, signed = false): string {
  // Both languages write small whole numbers as plain digits; Intl is kept for the rest.
  if (!signed && Number.isInteger(value) && value > -1000 && value < 1000) return String(value)
  const key = `${locale}|${digits}|${signed}`
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(intlLocale(locale), {
      maximumFractionDigits: digits,
      signDisplay: signed ? 'exceptZero' : 'auto',
    })
    numberFormats.set(key, format)
  }
  return format.format(value)
}

const englishOrdinals = new Intl.PluralRules('en-US', { type: 'ordinal' })
const ordinalSuffix: Record<string, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th' }

/** A whole number as an ordinal: "62nd" in English; the plain number in Japanese (62 パーセンタイル). */
export function ordinal(value: number, locale: Locale): string {
  if (locale === 'ja') return formatNumber(value, locale)
  return `${formatNumber(value, locale)}${ordinalSuffix[englishOrdinals.select(value)] ?? 'th'}`
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** A `YYYY-MM-DD` day, short: "12 Nov" / "11月12日", with the year when asked ("12 Nov 2025"). */
export function formatDay(day: string, locale: Locale, withYear = false): string {
  const key = `${locale}|${withYear}`
  let format = dayFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
      day: 'numeric',
      month: locale === 'ja' ? 'long' : 'short',
      ...(withYear ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    })
    dayFormats.set(key, format)
  }
  return format.format(new Date(`${day}T00:00:00Z`))
}

const listFormats: Record<Locale, Intl.ListFormat> = {
  en: new Intl.ListFormat('en', { type: 'conjunction' }),
  ja: new Intl.ListFormat('ja', { type: 'conjunction' }),
}

const latinEnd = /[A-Za-z0-9]$/
const latinStart = /^[A-Za-z0-9]/

/** Members named in a reason: "Aiko and Ken" / 「Aiko さん、Ken さん」. In Japanese, a list that follows
 *  Japanese text and starts with a Latin name gets the space the glossary asks for (`afterText`). */
function memberNames(
  t: Translate,
  locale: Locale,
  members: readonly KeyMember[],
  { afterText = false }: { afterText?: boolean } = {},
): string {
  const named = members.map((member) =>
    t(latinEnd.test(member.name) ? 'scoring.reason.champions.name_latin' : 'scoring.reason.champions.name', {
      name: member.name,
    }),
  )
  const list = listFormats[locale].format(named)
  return locale === 'ja' && afterText && latinStart.test(list) ? ` ${list}` : list
}

/** The sentence that explains one measure's band with its figures, in both languages. */
export function measureReason(outcome: MeasureOutcome): BilingualText {
  return bilingual((t, locale) => {
    const n = (value: number, digits = 0) => formatNumber(value, locale, digits)
    switch (outcome.measure) {
      case 'engagement': {
        const detail = outcome.detail
        if (detail.kind === 'no_seats') return t('scoring.reason.engagement.no_seats')
        if (detail.kind === 'none') return t('scoring.reason.engagement.none')
        return t('scoring.reason.engagement.ranked', {
          count: detail.peers,
          perSeat: n(detail.perSeat, 1),
          rank: ordinal(detail.percentile, locale),
          peers: n(detail.peers),
          tier: t(`scoring.tier.${detail.tier}`),
        })
      }
      case 'trend': {
        const detail = outcome.detail
        const params = { days: n(detail.days), recent: n(detail.recent, 1), previous: n(detail.previous, 1) }
        if (detail.kind === 'none') return t('scoring.reason.trend.none', params)
        if (detail.kind === 'started') return t('scoring.reason.trend.started', params)
        const change = outcome.value ?? 0
        const withPercent = { ...params, percent: n(Math.abs(change)) }
        if (change < 0) return t('scoring.reason.trend.fell', withPercent)
        if (change > 0) return t('scoring.reason.trend.rose', withPercent)
        return t('scoring.reason.trend.steady', params)
      }
      case 'breadth': {
        const detail = outcome.detail
        if (detail.kind === 'no_seats') return t('scoring.reason.breadth.no_seats')
        return t('scoring.reason.breadth.ratio', {
          count: detail.seats,
          seats: n(detail.seats),
          active: n(detail.active),
          days: n(detail.days),
          percent: n(outcome.value ?? 0),
        })
      }
      case 'breadthChange': {
        const detail = outcome.detail
        const params = {
          now: n(detail.now),
          before: n(detail.before),
          days: n(detail.days),
          ago: n(detail.agoDays),
          min: n(detail.minBaseline),
          count: detail.now,
        }
        if (detail.kind === 'young') return t('scoring.reason.breadth_change.young', params)
        if (detail.kind === 'few') return t('scoring.reason.breadth_change.few', { ...params, count: detail.before })
        const change = outcome.value ?? 0
        const withPercent = { ...params, percent: n(Math.abs(change)) }
        if (change < 0) return t('scoring.reason.breadth_change.fell', withPercent)
        if (change > 0) return t('scoring.reason.breadth_change.rose', withPercent)
        return t('scoring.reason.breadth_change.steady', params)
      }
      case 'champions':
        return championsReason(t, locale, outcome.detail)
      case 'supportLoad': {
        const detail = outcome.detail
        if (detail.kind === 'quiet') return t('scoring.reason.support_load.quiet', { days: n(detail.days) })
        if (detail.kind === 'none') return t('scoring.reason.support_load.none', { days: n(detail.days) })
        const params = {
          count: detail.tickets,
          tickets: n(detail.tickets),
          days: n(detail.days),
          perMember: n(detail.perMember, 2),
          tier: t(`scoring.tier.${detail.tier}`),
        }
        if (detail.kind === 'zero_median') return t('scoring.reason.support_load.zero_median', params)
        return t('scoring.reason.support_load.ratio', {
          ...params,
          ratio: n(detail.ratio ?? 0, 2),
          median: n(detail.median, 2),
        })
      }
      case 'ticketSurge': {
        const detail = outcome.detail
        const windows = { days: n(detail.days), baseline: n(detail.baselineDays) }
        if (detail.kind !== 'few' && detail.kind !== 'ratio') {
          return t(`scoring.reason.ticket_surge.${detail.kind}`, windows)
        }
        if (detail.kind === 'few') {
          return t('scoring.reason.ticket_surge.few', { ...windows, count: detail.recent, min: n(detail.minTickets) })
        }
        return t('scoring.reason.ticket_surge.ratio', {
          ...windows,
          count: detail.recent,
          expected: n(detail.expected, 1),
          ratio: n(outcome.value ?? 0, 2),
        })
      }
      case 'selfService': {
        const detail = outcome.detail
        if (detail.kind === 'none') return t('scoring.reason.self_service.none', { days: n(detail.days) })
        return t('scoring.reason.self_service.ratio', {
          deflections: n(detail.deflections),
          total: n(detail.deflections + detail.tickets),
          days: n(detail.days),
          percent: n(outcome.value ?? 0),
        })
      }
      case 'events': {
        const detail = outcome.detail
        if (detail.attended === 0) return t('scoring.reason.events.none', { days: n(detail.days) })
        return t('scoring.reason.events.attended', { count: detail.attended, days: n(detail.days) })
      }
      case 'sentiment': {
        const detail = outcome.detail
        if (detail.kind === 'none') return t('scoring.reason.sentiment.none', { days: n(detail.days) })
        return t('scoring.reason.sentiment.nps', {
          count: detail.answers,
          days: n(detail.days),
          nps: n(outcome.value ?? 0),
          promoters: n(detail.promoters),
          detractors: n(detail.detractors),
        })
      }
      case 'onboarding': {
        const detail = outcome.detail
        const days = n(detail.firstDays)
        if (detail.kind === 'not_applicable') {
          return t('scoring.reason.onboarding.not_applicable', { window: n(detail.youngerThanDays) })
        }
        if (detail.kind === 'too_early') {
          return t('scoring.reason.onboarding.too_early', {
            days,
            left: n(Math.max(0, detail.firstDays - detail.ageDays)),
          })
        }
        if (detail.kind === 'silent') return t('scoring.reason.onboarding.silent', { days })
        const milestones = {
          met: n(detail.met),
          window: n(detail.milestoneDays),
          left: n(Math.max(0, detail.milestoneDays - detail.ageDays)),
          joined: n(detail.membersJoined),
          joinedNeeded: n(detail.membersNeeded),
          activeDays: n(detail.activeDays),
          activeNeeded: n(detail.activeDaysNeeded),
          contributed: t(detail.contributed ? 'scoring.reason.onboarding.yes' : 'scoring.reason.onboarding.no'),
        }
        return t(detail.due ? 'scoring.reason.onboarding.due' : 'scoring.reason.onboarding.early', milestones)
      }
    }
  })
}

/** An account's name inside a Japanese sentence: a half-width space on a side where it begins or ends
 *  with a Latin letter or digit (docs/glossary.ja.md), none next to Japanese. */
function accountInSentence(account: string, locale: Locale): string {
  // English takes the possessive here ("Acme's", "Cobalt Labs'"); the catalogue says "of {{account}} contributions".
  if (locale !== 'ja') return /s$/i.test(account) ? `${account}'` : `${account}'s`
  return `${latinStart.test(account) ? ' ' : ''}${account}${latinEnd.test(account) ? ' ' : ''}`
}

function championsReason(t: Translate, locale: Locale, detail: ChampionsDetail): string {
  const n = (value: number) => formatNumber(value, locale)
  const windows = { baseline: n(detail.baselineDays), silent: n(detail.silentDays) }
  if (detail.kind !== 'kept' && detail.kind !== 'lost') return t(`scoring.reason.champions.${detail.kind}`, windows)
  if (detail.kind === 'kept') {
    return t('scoring.reason.champions.kept', {
      ...windows,
      count: detail.keyMembers.length,
      names: memberNames(t, locale, detail.keyMembers, { afterText: true }),
      share: n(detail.keyMembers.reduce((sum, member) => sum + member.share, 0)),
      account: accountInSentence(detail.account, locale),
    })
  }
  const quietFor = Math.min(...detail.lost.map((member) => member.silentDays))
  return t('scoring.reason.champions.lost', {
    ...windows,
    count: detail.lost.length,
    names: memberNames(t, locale, detail.lost),
    share: n(detail.lostShare),
    account: accountInSentence(detail.account, locale),
    weeks:
      quietFor >= 14
        ? t('scoring.reason.champions.weeks', { count: Math.floor(quietFor / 7) })
        : t('scoring.reason.champions.days', { count: quietFor }),
  })
}

/** Why a hard risk caps an account's level whatever its measures say. */
export function hardRiskReason(
  { risk, cap }: { risk: HardRisk; cap: HealthBand },
  outcomes: readonly MeasureOutcome[],
  silentForDays: number,
): BilingualText {
  return bilingual((t, locale) => {
    if (risk === 'silent') return t('scoring.reason.silent', { days: formatNumber(silentForDays, locale) })
    for (const outcome of outcomes) {
      if (risk === 'champion_lost' && outcome.measure === 'champions') {
        return t('scoring.reason.champion_lost', { detail: championsReason(t, locale, outcome.detail) })
      }
      if (risk === 'detractors' && outcome.measure === 'sentiment' && outcome.detail.kind === 'nps') {
        return t('scoring.reason.detractors', {
          count: outcome.detail.recentDetractors,
          answers: t('scoring.reason.detractor_answers', { count: outcome.detail.recentAnswers }),
          days: formatNumber(outcome.detail.detractorDays, locale),
          level: t(`scoring.level.${cap}`),
        })
      }
    }
    return t(`scoring.change.${risk}`)
  })
}

/** A component as a snapshot stores it: enough to summarise it and compare it with another day's. */
export type ComponentSnapshot = {
  measure: HealthMeasure | (string & {})
  band: HealthBand | null
  value: number | null
  weight: number
  score: number | null
}

function isMeasure(measure: string): measure is HealthMeasure {
  return (healthMeasures as readonly string[]).includes(measure)
}

/** A measure's value with its unit, for "breadth dropped from 42% to 9%". */
function formatValue(t: Translate, locale: Locale, measure: HealthMeasure, value: number): string {
  switch (measure) {
    case 'engagement':
      return t('scoring.value.engagement', { rank: ordinal(value, locale) })
    case 'trend':
      return t('scoring.value.trend', { value: formatNumber(value, locale, 0, true) })
    case 'breadthChange':
      return t('scoring.value.breadthChange', { value: formatNumber(value, locale, 0, true) })
    case 'supportLoad':
    case 'ticketSurge':
      return t(`scoring.value.${measure}`, { value: formatNumber(value, locale, 2) })
    default:
      return t(`scoring.value.${measure}`, { value: formatNumber(value, locale) })
  }
}

/** A few words on one measure for the summary line ("activity fell 45%", "breadth 23%"). */
function fragment(t: Translate, locale: Locale, component: ComponentSnapshot, settings: ScoringSettings): string {
  const value = component.value ?? 0
  const n = (x: number, digits = 0) => formatNumber(x, locale, digits)
  switch (component.measure) {
    case 'engagement':
      return t('scoring.summary.engagement', { rank: ordinal(value, locale) })
    case 'trend':
      if (component.value === null) return t('scoring.summary.trend_started')
      if (value < 0) return t('scoring.summary.trend_fell', { percent: n(-value) })
      if (value > 0) return t('scoring.summary.trend_rose', { percent: n(value) })
      return t('scoring.summary.trend_steady')
    case 'breadth':
      return t('scoring.summary.breadth', { percent: n(value) })
    case 'breadthChange':
      return t('scoring.summary.breadth_change', { value: formatNumber(value, locale, 0, true) })
    case 'champions':
      return t('scoring.summary.champions', { percent: n(value) })
    case 'supportLoad':
      return t('scoring.summary.support_load', { value: n(value, 2) })
    case 'ticketSurge':
      return t('scoring.summary.ticket_surge', { value: n(value, 2) })
    case 'selfService':
      return t('scoring.summary.self_service', { percent: n(value) })
    case 'events':
      return t('scoring.summary.events', { count: value })
    case 'sentiment':
      return t('scoring.summary.sentiment', { value: n(value) })
    default:
      return component.value === null
        ? t('scoring.summary.onboarding_silent', { days: n(settings.health.onboarding.firstDays) })
        : t('scoring.summary.onboarding_milestones', { met: n(value) })
  }
}

const bandOrder: Partial<Record<HealthLevel, number>> = { BAD: 0, NORMAL: 1, GOOD: 2 }

function isWorse(level: HealthLevel, than: HealthLevel): boolean {
  const a = bandOrder[level]
  const b = bandOrder[than]
  return a !== undefined && b !== undefined && a < b
}

/** Measures that only ever warn: GOOD means nothing went wrong. */
const riskOnly = new Set<string>(['champions', 'ticketSurge'])

/** The measure a hard risk comes from, named first in the summary. */
const riskMeasure: Record<HardRisk, HealthMeasure> = {
  silent: 'trend',
  champion_lost: 'champions',
  detractors: 'sentiment',
}

/** Orders components by score (lowest first when `weakest`), then weight (heaviest first), then the
 *  order of the measures, so the same snapshot always gives the same line. */
function byImportance(weakest: boolean) {
  return (a: ComponentSnapshot, b: ComponentSnapshot) =>
    (weakest ? (a.score ?? 0) - (b.score ?? 0) : (b.score ?? 0) - (a.score ?? 0)) ||
    b.weight - a.weight ||
    healthMeasures.indexOf(a.measure as HealthMeasure) - healthMeasures.indexOf(b.measure as HealthMeasure)
}

/** One line per account for lists, in both languages: the level and what drives it. BAD and NORMAL
 *  name the hard risk first, then up to three measures that are not GOOD, weakest and heaviest first
 *  ("BAD: activity fell 45%; breadth 23%"); GOOD names its two heaviest GOOD measures; INSUFFICIENT_DATA
 *  says how much of the weight has data. */
export function summaryLine(
  health: {
    level: HealthLevel
    coverage: number
    components: readonly ComponentSnapshot[]
    /** Days of silence when the silent hard risk applies. */
    silentFor: number | null
    /** The account's age in days while it is too new to judge (younger than the first days). */
    newFor?: number | null
    /** The hard risk capping the level, if any. */
    hardRisk?: HardRisk | null
    /** Days the level has been shown, counting today ("BAD for 5 days"); omitted for one day. */
    heldDays?: number
    /** A level the measures call for that is not confirmed yet. */
    pending?: { level: HealthLevel; days: number; needed: number } | null
    /** The silent key members when the champion-loss hard risk applies, named in the line. */
    lostChampions?: readonly KeyMember[]
  },
  settings: ScoringSettings,
): BilingualText {
  const counted = health.components.filter(
    (component) => isMeasure(component.measure) && component.band !== null && component.weight > 0,
  )
  return bilingual((t, locale) => {
    const plainLevel = t(`scoring.level.${health.level}`)
    const held = health.heldDays ?? 1
    let level =
      held > 1 && health.level !== 'INSUFFICIENT_DATA'
        ? t('scoring.summary.held', { level: plainLevel, count: held })
        : plainLevel
    if (health.pending) {
      level = t('scoring.summary.pending', {
        current: level,
        level: t(`scoring.level.${health.pending.level}`),
        days: formatNumber(health.pending.days, locale),
        needed: formatNumber(health.pending.needed, locale),
      })
    }
    if (health.level === 'INSUFFICIENT_DATA' && health.newFor !== null && health.newFor !== undefined) {
      return t('scoring.summary.too_new', {
        level,
        count: health.newFor,
        days: formatNumber(settings.health.onboarding.firstDays, locale),
      })
    }
    if (health.level === 'INSUFFICIENT_DATA') {
      return t('scoring.summary.insufficient', {
        level,
        percent: formatNumber(Math.round(health.coverage * 100), locale),
        min: formatNumber(Math.round(settings.health.overall.minCoverage * 100), locale),
      })
    }
    const items: string[] = []
    if (health.silentFor !== null) {
      items.push(t('scoring.summary.silent', { days: formatNumber(health.silentFor, locale) }))
    } else if (health.hardRisk === 'champion_lost') {
      const champions = health.components.find((component) => component.measure === 'champions')
      if (health.lostChampions?.length) {
        items.push(t('scoring.summary.champion_lost', { names: memberNames(t, locale, health.lostChampions) }))
      } else if (champions) items.push(fragment(t, locale, champions, settings))
    } else if (health.hardRisk === 'detractors') {
      const sentiment = health.components.find((component) => component.measure === 'sentiment')
      if (sentiment) items.push(fragment(t, locale, sentiment, settings))
    }
    // A level on its way down is explained by what pulls it down.
    const fallingTo = health.pending && isWorse(health.pending.level, health.level)
    if (health.level === 'GOOD' && !fallingTo) {
      // A risk that did not happen (no champion lost, no surge) is no strength worth naming.
      const strong = counted
        .filter((component) => component.band === 'GOOD' && !riskOnly.has(component.measure))
        .sort(byImportance(false))
      for (const component of strong.slice(0, 2)) items.push(fragment(t, locale, component, settings))
    } else {
      const named = new Set<string>(
        items.length > 0 && health.hardRisk && health.hardRisk !== 'silent' ? [riskMeasure[health.hardRisk]] : [],
      )
      const weak = counted
        .filter((component) => component.band !== 'GOOD' && !named.has(component.measure))
        .sort(byImportance(true))
      for (const component of weak.slice(0, 3 - items.length)) items.push(fragment(t, locale, component, settings))
    }
    if (items.length === 0) return level
    return t('scoring.summary.line', { level, items: items.join(t('scoring.summary.separator')) })
  })
}

/** A day's health as the change description needs it. */
export type HealthSnapshot = {
  level: HealthLevel
  /** `YYYY-MM-DD`. */
  asOf: string
  components: readonly ComponentSnapshot[]
  hardRisk?: HardRisk | null
}

const levelRank: Partial<Record<HealthLevel, number>> = { BAD: 0, NORMAL: 1, GOOD: 2 }

type Move = { measure: HealthMeasure; from: ComponentSnapshot; to: ComponentSnapshot; delta: number }

/** What changed since the previous snapshot, in both languages: "BAD since 12 Nov: breadth dropped
 *  from 42% to 9%". `levelSince` is the first day of the current level's run (the year is shown when it
 *  differs from the current snapshot's). The measure named is the one whose score moved most in the
 *  direction of the level's change (down when the level got worse; up when it got better; down first,
 *  else up, when the level held or data was insufficient on either day), ties going to the heavier
 *  measure, then the measures' order; only measures with data on both days are compared. An account
 *  newly silent is described by that. Null without a previous snapshot, or when neither the level nor
 *  any measure's band changed. */
export function describeChange(
  previous: HealthSnapshot | null,
  current: HealthSnapshot,
  levelSince: string,
): BilingualText | null {
  if (!previous) return null
  const levelChanged = previous.level !== current.level
  const before = new Map(previous.components.map((component) => [component.measure, component]))
  const moves: Move[] = []
  for (const to of current.components) {
    const from = before.get(to.measure)
    if (!isMeasure(to.measure) || !from || from.score === null || to.score === null) continue
    if (from.score !== to.score) moves.push({ measure: to.measure, from, to, delta: to.score - from.score })
  }
  const ranked = (sign: -1 | 1) =>
    moves
      .filter((move) => Math.sign(move.delta) === sign)
      .sort(
        (a, b) =>
          Math.abs(b.delta) - Math.abs(a.delta) ||
          b.to.weight - a.to.weight ||
          healthMeasures.indexOf(a.measure) - healthMeasures.indexOf(b.measure),
      )
  const fromRank = levelRank[previous.level]
  const toRank = levelRank[current.level]
  const worse = levelChanged && fromRank !== undefined && toRank !== undefined && toRank < fromRank
  const better = levelChanged && fromRank !== undefined && toRank !== undefined && toRank > fromRank
  const pick = worse ? ranked(-1)[0] : better ? ranked(1)[0] : (ranked(-1)[0] ?? ranked(1)[0])
  const newRisk = current.hardRisk && current.hardRisk !== previous.hardRisk ? current.hardRisk : null
  if (!levelChanged && !pick) return null
  const withYear = levelSince.slice(0, 4) !== current.asOf.slice(0, 4)
  return bilingual((t, locale) => {
    const since = { level: t(`scoring.level.${current.level}`), date: formatDay(levelSince, locale, withYear) }
    let detail: string | null = null
    if (levelChanged && newRisk) detail = t(`scoring.change.${newRisk}`)
    else if (pick) detail = describeMove(t, locale, pick)
    return detail ? t('scoring.change.since_detail', { ...since, detail }) : t('scoring.change.since', since)
  })
}

function describeMove(t: Translate, locale: Locale, move: Move): string {
  const measure = t(`scoring.measure.${move.measure}.name`)
  if (move.from.value === null || move.to.value === null || move.from.value === move.to.value) {
    const band = (component: ComponentSnapshot) =>
      component.band ? t(`scoring.level.${component.band}`) : t('scoring.level.INSUFFICIENT_DATA')
    return t('scoring.change.went', { measure, from: band(move.from), to: band(move.to) })
  }
  const params = {
    measure,
    from: formatValue(t, locale, move.measure, move.from.value),
    to: formatValue(t, locale, move.measure, move.to.value),
  }
  return move.to.value < move.from.value ? t('scoring.change.dropped', params) : t('scoring.change.rose', params)
}
