import { expect, test } from 'vitest'
import { translator } from '#app/lib/i18n.ts'
import { scoring as catalogue } from '#app/locales/en/scoring.ts'
import {
  breadthBand,
  engagementBand,
  eventsBand,
  type HealthContext,
  onboardingBand,
  selfServiceBand,
  sentimentBand,
  supportLoadBand,
  trendBand,
} from './health.ts'
import type { MeasureOutcome } from './measures.ts'
import {
  type ComponentSnapshot,
  describeChange,
  formatDay,
  formatNumber,
  hardRiskReason,
  measureReason,
  ordinal,
  scoringTranslator,
  summaryLine,
} from './reasons.ts'
import {
  type HealthBand,
  type HealthLevel,
  type HealthMeasure,
  defaultScoringSettings as settings,
} from './settings.ts'

const ctx: HealthContext = {
  engagementPerSeat: { high: [1.25, 2.5, 10], low: [], tech: [0] },
  ticketsPerSeatMedian: { high: 0.1, low: null, tech: 0 },
}

test('reasons are written with exactly the text translator() gives for every scoring key', () => {
  const flatten = (node: unknown, prefix: string): [string, string][] =>
    typeof node === 'string'
      ? [[prefix, node]]
      : Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => flatten(value, `${prefix}.${key}`))
  const keys = new Map<string, string[]>()
  for (const [key, text] of flatten(catalogue.scoring, 'scoring')) {
    const base = key.replace(/_(one|other)$/, '')
    const names = [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!)
    keys.set(base, [...new Set([...(keys.get(base) ?? []), ...names])])
  }
  expect(keys.size).toBeGreaterThan(80)
  for (const locale of ['en', 'ja'] as const) {
    const fast = scoringTranslator(locale)
    const reference = translator(locale)
    for (const [key, names] of keys) {
      const params = Object.fromEntries(names.map((name) => [name, `<${name}>`]))
      expect(fast(key), key).toBe(reference(key))
      expect(fast(key, params), key).toBe(reference(key, params))
      for (const count of [0, 1, 2, 1200]) {
        expect(fast(key, { ...params, count }), `${key} ${count}`).toBe(reference(key, { ...params, count }))
      }
    }
  }
  expect(scoringTranslator('en')('scoring.reason.events.attended', { count: 1, days: '90' })).toBe(
    "1 event attendance by the account's members in the last 90 days",
  )
})

test('ordinals, days and numbers are written the way each language writes them', () => {
  expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 62, 100, 101].map((n) => ordinal(n, 'en'))).toEqual([
    '1st',
    '2nd',
    '3rd',
    '4th',
    '11th',
    '12th',
    '13th',
    '21st',
    '22nd',
    '23rd',
    '62nd',
    '100th',
    '101st',
  ])
  expect(ordinal(62, 'ja')).toBe('62')
  expect(formatDay('2026-11-12', 'en')).toBe('12 Nov')
  expect(formatDay('2026-11-12', 'ja')).toBe('11月12日')
  expect(formatDay('2025-01-03', 'en', true)).toBe('3 Jan 2025')
  expect(formatDay('2025-01-03', 'ja', true)).toBe('2025年1月3日')
  expect(formatNumber(1234.56, 'en', 1)).toBe('1,234.6')
  expect(formatNumber(-45, 'en', 0, true)).toBe('-45')
  expect(formatNumber(5, 'ja', 0, true)).toBe('+5')
  expect(formatNumber(0, 'en', 0, true)).toBe('0')
  // Small whole numbers skip Intl, and come out as Intl would write them.
  for (const value of [-999, -67, 0, 7, 999, 1000]) {
    expect(formatNumber(value, 'en')).toBe(new Intl.NumberFormat('en-US').format(value))
    expect(formatNumber(value, 'ja')).toBe(new Intl.NumberFormat('ja-JP').format(value))
  }
})

test('engagement reasons quote points per seat and the percentile among the tier', () => {
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'high', seats: 40, engagementPoints: 100 }, ctx, settings),
    }),
  ).toEqual({
    en: 'Engagement per seat: 2.5 points, the 50th percentile among 3 high-touch accounts',
    ja: 'シートあたりのエンゲージメント：2.5 ポイントで、ハイタッチのアカウント 3 社のうち 50 パーセンタイルです',
  })
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'tech', seats: 5, engagementPoints: 0 }, ctx, settings),
    }),
  ).toEqual({
    en: 'Engagement per seat: no member of the account has engagement points',
    ja: 'シートあたりのエンゲージメント：このアカウントのメンバーにはエンゲージメントのポイントがありません',
  })
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'high', seats: null, engagementPoints: 9 }, ctx, settings),
    }).en,
  ).toBe('Engagement per seat: the account has no seat count')
  // The only account of its tier: the middle, among one.
  const alone: HealthContext = { ...ctx, engagementPerSeat: { high: [], low: [4], tech: [0] } }
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'low', seats: 2, engagementPoints: 8 }, alone, settings),
    }).en,
  ).toBe('Engagement per seat: 4 points, the 50th percentile among 1 low-touch account')
  // 2 is the count that picks the English ordinal form "two": the rank must not be taken for i18next's
  // ordinal option.
  const two: HealthContext = { ...ctx, engagementPerSeat: { high: [], low: [1, 4], tech: [0] } }
  expect(
    measureReason({
      measure: 'engagement',
      ...engagementBand({ tier: 'low', seats: 2, engagementPoints: 8 }, two, settings),
    }).en,
  ).toBe('Engagement per seat: 4 points, the 75th percentile among 2 low-touch accounts')
})

test('trend reasons say how activity moved against the previous window, with the points', () => {
  const reason = (activityPrevious: number, activityRecent: number) =>
    measureReason({ measure: 'trend', ...trendBand({ activityPrevious, activityRecent }, settings) })
  expect(reason(20, 11)).toEqual({
    en: 'Activity fell 45% against the previous 30 days (20 → 11 points)',
    ja: '直近 30 日の活動が、その前の期間より 45% 減りました（20 → 11 ポイント）',
  })
  expect(reason(12.5, 15)).toEqual({
    en: 'Activity rose 20% against the previous 30 days (12.5 → 15 points)',
    ja: '直近 30 日の活動が、その前の期間より 20% 増えました（12.5 → 15 ポイント）',
  })
  expect(reason(20, 20).en).toBe('Activity held steady against the previous 30 days (20 → 20 points)')
  expect(reason(0, 4.2)).toEqual({
    en: 'Activity started: 4.2 points in the last 30 days, none in the 30 before',
    ja: '活動が始まりました：直近 30 日に 4.2 ポイント（その前の 30 日はなし）',
  })
  expect(reason(0, 0)).toEqual({
    en: 'No activity in the last 30 days or the 30 before',
    ja: '直近 30 日にも、その前の 30 日にも活動がありません',
  })
})

test('breadth reasons count active members against seats', () => {
  const reason = (activeMembers: number, seats: number | null) =>
    measureReason({ measure: 'breadth', ...breadthBand({ activeMembers, seats }, settings) })
  expect(reason(9, 40)).toEqual({
    en: 'Breadth: 9 of 40 seats active in the last 28 days (23%)',
    ja: '利用の広がり：直近 28 日に活動したメンバーは 40 シート中 9 人（23%）',
  })
  expect(reason(1, 1).en).toBe('Breadth: 1 of 1 seat active in the last 28 days (100%)')
  expect(reason(1, 1200).en).toBe('Breadth: 1 of 1,200 seats active in the last 28 days (0%)')
  expect(reason(3, 0).en).toBe('Breadth: the account has no seat count')
})

test('support load reasons compare tickets per seat with the tier median', () => {
  const reason = (tier: 'high' | 'tech', tickets: number, seats: number | null = 40) =>
    measureReason({
      measure: 'supportLoad',
      ...supportLoadBand({ tier, tickets, seats, daysSinceLastActivity: 1 }, ctx, settings),
    })
  // 7 / 40 = 0.175 → 0.18 per seat; 0.175 / 0.1 = 1.75×
  expect(reason('high', 7)).toEqual({
    en: '7 tickets in the last 90 days, 0.18 per seat: 1.75× the high-touch median of 0.1',
    ja: '直近 90 日に問い合わせが 7 件、シートあたり 0.18 件で、ハイタッチの中央値 0.1 件の 1.75 倍です',
  })
  expect(reason('tech', 1)).toEqual({
    en: '1 ticket in the last 90 days (0.03 per seat), while most tech-touch accounts filed none',
    ja: '直近 90 日に問い合わせが 1 件（シートあたり 0.03 件）ありました。テックタッチのアカウントの多くは問い合わせていません',
  })
  expect(reason('high', 0)).toEqual({
    en: 'No tickets filed in the last 90 days',
    ja: '直近 90 日に問い合わせはありません',
  })
  expect(reason('high', 3, null).en).toBe('Support load: the account has no seat count')
})

test('self-service, events and sentiment reasons, with and without data', () => {
  expect(
    measureReason({ measure: 'selfService', ...selfServiceBand({ deflections: 2, tickets: 6 }, settings) }),
  ).toEqual({
    en: 'Deflection rate: 2 of 8 requests for help solved without a ticket in the last 90 days (25%)',
    ja: '自己解決率：直近 90 日の相談 8 件のうち 2 件が問い合わせなしで解決しました（25%）',
  })
  expect(
    measureReason({ measure: 'selfService', ...selfServiceBand({ deflections: 0, tickets: 0 }, settings) }).en,
  ).toBe('Deflection rate: no tickets or deflections in the last 90 days')
  const events = (eventsAttended: number) =>
    measureReason({ measure: 'events', ...eventsBand({ eventsAttended }, settings) })
  expect(events(0)).toEqual({
    en: 'No member attended an event in the last 90 days',
    ja: '直近 90 日にイベントに出席したメンバーはいません',
  })
  expect(events(1).en).toBe("1 event attendance by the account's members in the last 90 days")
  expect(events(4)).toEqual({
    en: "4 event attendances by the account's members in the last 90 days",
    ja: '直近 90 日にメンバーがイベントに延べ 4 回出席しました',
  })
  const sentiment = (npsScores: number[]) =>
    measureReason({ measure: 'sentiment', ...sentimentBand({ npsScores }, settings) })
  expect(sentiment([])).toEqual({
    en: 'No event survey answers in the last 180 days',
    ja: '直近 180 日のイベントアンケートの回答はありません',
  })
  expect(sentiment([9])).toEqual({
    en: 'Only 1 event survey answer in the last 180 days; NPS needs 3',
    ja: '直近 180 日のイベントアンケートの回答は 1 件だけです（NPS には 3 件以上必要です）',
  })
  expect(sentiment([10, 9, 5, 8])).toEqual({
    en: 'NPS 25 from 4 event survey answers in the last 180 days (promoters: 2, detractors: 1)',
    ja: '直近 180 日のイベントアンケート 4 件の NPS は 25（推奨者 2 人、批判者 1 人）',
  })
  expect(sentiment([0, 6, 7]).en).toBe(
    'NPS -67 from 3 event survey answers in the last 180 days (promoters: 0, detractors: 2)',
  )
})

test('onboarding reasons for each stage of a young account, and for older ones', () => {
  const reason = (ageDays: number, firstDaysActivity: number) =>
    measureReason({ measure: 'onboarding', ...onboardingBand({ ageDays, firstDaysActivity }, settings) })
  expect(reason(400, 3)).toEqual({
    en: "Onboarding is measured only in an account's first 90 days",
    ja: 'オンボーディングは開始から 90 日以内のアカウントだけを評価します',
  })
  expect(reason(10, 0)).toEqual({
    en: 'Onboarding: no activity yet, 4 of the first 14 days left',
    ja: 'オンボーディング：まだ活動はありません（最初の 14 日間のうち残り 4 日）',
  })
  expect(reason(30, 1).en).toBe('Onboarding: 1 activity in the first 14 days')
  expect(reason(30, 6)).toEqual({
    en: 'Onboarding: 6 activities in the first 14 days',
    ja: 'オンボーディング：最初の 14 日間に 6 件の活動がありました',
  })
  expect(reason(20, 0)).toEqual({
    en: "Onboarding: no activity in the account's first 14 days",
    ja: 'オンボーディング：最初の 14 日間に活動がありませんでした',
  })
})

test('every reason resolves to real text in both languages', () => {
  const outcomes: MeasureOutcome[] = [
    { measure: 'engagement', ...engagementBand({ tier: 'low', seats: 3, engagementPoints: 2 }, ctx, settings) },
    { measure: 'trend', ...trendBand({ activityPrevious: 3, activityRecent: 1 }, settings) },
    {
      measure: 'supportLoad',
      ...supportLoadBand({ tier: 'low', seats: 3, tickets: 2, daysSinceLastActivity: 1 }, ctx, settings),
    },
    {
      measure: 'supportLoad',
      ...supportLoadBand({ tier: 'low', seats: 3, tickets: 0, daysSinceLastActivity: null }, ctx, settings),
    },
    { measure: 'sentiment', ...sentimentBand({ npsScores: [1, 2, 3, 4] }, settings) },
    { measure: 'onboarding', ...onboardingBand({ ageDays: 0, firstDaysActivity: 0 }, settings) },
  ]
  for (const text of [...outcomes.map(measureReason), hardRiskReason(31)]) {
    for (const value of [text.en, text.ja]) {
      expect(value).not.toMatch(/scoring\.|\{\{/)
      expect(value.length).toBeGreaterThan(10)
    }
  }
  expect(hardRiskReason(31)).toEqual({
    en: 'No activity for 31 days after being active: BAD whatever the other measures say',
    ja: 'これまで活動していたのに 31 日間活動がありません。ほかの指標にかかわらず要注意です',
  })
})

function component(measure: HealthMeasure, band: HealthBand | null, value: number | null): ComponentSnapshot {
  const weight = measure === 'events' ? 1 : settings.health.weights[measure]
  return { measure, band, value, weight, score: band === null ? null : settings.health.bandScore[band] }
}

test('the summary names what drags a BAD or NORMAL account down: BAD measures first, then heavier ones', () => {
  const components = [
    component('engagement', 'GOOD', 70),
    component('trend', 'NORMAL', -10),
    component('breadth', 'NORMAL', 20),
    component('selfService', 'BAD', 10),
    component('events', 'BAD', 0),
    component('sentiment', null, null),
  ]
  // BAD: self-service and events (both weight 1: in the measures' order), then NORMAL trend before
  // breadth (both weight 2: in order); three at most.
  expect(summaryLine({ level: 'NORMAL', coverage: 0.8, components, silentFor: null }, settings)).toEqual({
    en: 'NORMAL: deflection rate 10%; 0 event attendances; activity fell 10%',
    ja: '普通：自己解決率 10%、イベント出席 0 回、活動が 10% 減少',
  })
  // A silent account names its silence first.
  expect(summaryLine({ level: 'BAD', coverage: 0.8, components, silentFor: 42 }, settings)).toEqual({
    en: 'BAD: no activity for 42 days; deflection rate 10%; 0 event attendances',
    ja: '要注意：42 日間活動なし、自己解決率 10%、イベント出席 0 回',
  })
})

test('the summary of a GOOD account names its two heaviest GOOD measures', () => {
  const components = [
    component('engagement', 'GOOD', 83),
    component('trend', 'GOOD', 0),
    component('breadth', 'GOOD', 50),
    component('events', 'NORMAL', 1),
    component('onboarding', 'BAD', 0),
  ]
  expect(summaryLine({ level: 'GOOD', coverage: 1, components, silentFor: null }, settings)).toEqual({
    en: 'GOOD: engagement at the 83rd percentile; activity steady',
    ja: '良好：エンゲージメントは 83 パーセンタイル、活動は横ばい',
  })
  expect(summaryLine({ level: 'BAD', coverage: 1, components, silentFor: null }, settings).en).toBe(
    'BAD: no activity in the first 14 days; 1 event attendance',
  )
  expect(summaryLine({ level: 'INSUFFICIENT_DATA', coverage: 0.38, components, silentFor: null }, settings)).toEqual({
    en: 'Insufficient data: measures with data carry 38% of the weight (50% needed)',
    ja: 'データ不足：データの充足度が 38% です（判定には 50% 以上必要です）',
  })
})

function snapshot(level: HealthLevel, asOf: string, components: ComponentSnapshot[], hardRisk: 'silent' | null = null) {
  return { level, asOf, components, hardRisk }
}

test('no previous snapshot, or no change of level or band, describes no change', () => {
  const today = snapshot('GOOD', '2026-11-20', [component('breadth', 'GOOD', 41), component('trend', 'GOOD', -3)])
  expect(describeChange(null, today, '2026-11-20')).toBeNull()
  const before = snapshot('GOOD', '2026-11-19', [component('breadth', 'GOOD', 42), component('trend', 'GOOD', 5)])
  expect(describeChange(before, today, '2026-10-01')).toBeNull()
})

test('a worse level names the measure whose score dropped most', () => {
  const before = snapshot('NORMAL', '2026-11-11', [
    component('engagement', 'NORMAL', 40),
    component('trend', 'NORMAL', -10),
    component('breadth', 'GOOD', 42),
  ])
  const after = snapshot('BAD', '2026-11-20', [
    component('engagement', 'GOOD', 70), // rose: not the cause of a worse level
    component('trend', 'BAD', -45), // 60 → 0: dropped 60
    component('breadth', 'BAD', 9), // 100 → 0: dropped 100
  ])
  expect(describeChange(before, after, '2026-11-12')).toEqual({
    en: 'BAD since 12 Nov: breadth dropped from 42% to 9%',
    ja: '11月12日から要注意：利用の広がりが下がりました（42% → 9%）',
  })
})

test('equal drops go to the heavier measure, then to the first in order', () => {
  // Events of a low-touch account with a weight of 4 outweigh engagement (3), though listed after it.
  const heavyEvents = (band: HealthBand, value: number) => ({ ...component('events', band, value), weight: 4 })
  const before = snapshot('GOOD', '2026-10-02', [component('engagement', 'GOOD', 70), heavyEvents('GOOD', 3)])
  const after = snapshot('NORMAL', '2026-10-03', [component('engagement', 'NORMAL', 40), heavyEvents('NORMAL', 1)])
  expect(describeChange(before, after, '2026-10-03')).toEqual({
    en: 'NORMAL since 3 Oct: events attended dropped from 3 to 1',
    ja: '10月3日から普通：イベント出席が下がりました（3 回 → 1 回）',
  })
  // Equal weights: the measures' order decides.
  const lighter = snapshot('NORMAL', '2026-10-03', [
    component('engagement', 'NORMAL', 40),
    component('events', 'NORMAL', 1),
  ])
  const evenBefore = snapshot('GOOD', '2026-10-02', [
    component('engagement', 'GOOD', 70),
    component('events', 'GOOD', 3),
  ])
  expect(describeChange(evenBefore, lighter, '2026-10-03')).toEqual({
    en: 'NORMAL since 3 Oct: engagement per seat dropped from the 70th percentile to the 40th percentile',
    ja: '10月3日から普通：シートあたりのエンゲージメントが下がりました（70 パーセンタイル → 40 パーセンタイル）',
  })
})

test('a better level names the measure whose score rose most', () => {
  const before = snapshot('BAD', '2026-11-19', [
    component('trend', 'BAD', -30),
    component('supportLoad', 'BAD', 0.3),
    component('events', 'NORMAL', 1),
  ])
  const after = snapshot('NORMAL', '2026-11-20', [
    component('trend', 'NORMAL', -10), // +60
    component('supportLoad', 'GOOD', 0.05), // +100
    component('events', 'BAD', 0), // −60, against the direction of the change
  ])
  expect(describeChange(before, after, '2026-11-20')).toEqual({
    en: 'NORMAL since 20 Nov: support load dropped from 0.3 tickets per seat to 0.05 tickets per seat',
    ja: '11月20日から普通：サポート負荷が下がりました（1 シートあたり 0.3 件 → 1 シートあたり 0.05 件）',
  })
})

test('a band change under an unchanged level is described, with the year when the run began in another', () => {
  const before = snapshot('NORMAL', '2026-01-04', [
    component('selfService', 'NORMAL', 25),
    component('trend', 'GOOD', 8),
  ])
  const after = snapshot('NORMAL', '2026-01-05', [component('selfService', 'BAD', 10), component('trend', 'GOOD', 30)])
  expect(describeChange(before, after, '2025-10-03')).toEqual({
    en: 'NORMAL since 3 Oct 2025: deflection rate dropped from 25% to 10%',
    ja: '2025年10月3日から普通：自己解決率が下がりました（25% → 10%）',
  })
})

test('a change without a comparable measure: silence, bands without values, or the level alone', () => {
  const active = [component('trend', 'GOOD', null), component('sentiment', 'NORMAL', 10)]
  const silent = snapshot(
    'BAD',
    '2026-11-20',
    [component('trend', 'GOOD', null), component('sentiment', 'NORMAL', 10)],
    'silent',
  )
  expect(describeChange(snapshot('GOOD', '2026-11-19', active), silent, '2026-11-20')).toEqual({
    en: 'BAD since 20 Nov: all activity stopped',
    ja: '11月20日から要注意：すべての活動が止まりました',
  })
  // Trend had no percent (activity started from nothing), so bands are compared.
  const fell = snapshot('BAD', '2026-11-20', [component('trend', 'BAD', -100), component('sentiment', 'NORMAL', 10)])
  expect(describeChange(snapshot('NORMAL', '2026-11-19', active), fell, '2026-11-20')).toEqual({
    en: 'BAD since 20 Nov: activity trend went from GOOD to BAD',
    ja: '11月20日から要注意：活動の推移が「良好」から「要注意」に変わりました',
  })
  // Sentiment lost its data: nothing to compare, the level's change alone is told.
  const unknown = snapshot('INSUFFICIENT_DATA', '2026-11-20', [
    component('trend', 'GOOD', null),
    component('sentiment', null, null),
  ])
  expect(describeChange(snapshot('NORMAL', '2026-11-19', active), unknown, '2026-11-20')).toEqual({
    en: 'Insufficient data since 20 Nov',
    ja: '11月20日からデータ不足',
  })
})

test('stored components with a measure this version does not know are left out', () => {
  const before = snapshot('GOOD', '2026-11-19', [{ measure: 'retired', band: 'GOOD', value: 1, weight: 1, score: 100 }])
  const after = snapshot('GOOD', '2026-11-20', [{ measure: 'retired', band: 'BAD', value: 0, weight: 1, score: 0 }])
  expect(describeChange(before, after, '2026-11-01')).toBeNull()
})
