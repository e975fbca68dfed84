import { expect, test } from 'vitest'
import { npsGroups, npsOf } from '#app/lib/nps.ts'
import {
  type AccountHealthInput,
  accountHealth,
  breadthBand,
  engagementBand,
  eventsBand,
  type HealthContext,
  hardRiskOf,
  healthContext,
  healthLevelFor,
  median,
  onboardingBand,
  percentileRank,
  roundHalfAway,
  selfServiceBand,
  sentimentBand,
  supportLoadBand,
  trendBand,
} from './health.ts'
import { type HealthSettings, type ScoringSettings, defaultScoringSettings as settings } from './settings.ts'

function withHealth(change: Partial<HealthSettings>): ScoringSettings {
  return { ...settings, health: { ...settings.health, ...change } }
}

/** A mature high-touch account with a figure for every measure. */
function account(overrides: Partial<AccountHealthInput> = {}): AccountHealthInput {
  return {
    accountId: 1,
    tier: 'high',
    seats: 40,
    ageDays: 400,
    engagementPoints: 100,
    activityRecent: 11,
    activityPrevious: 20,
    activeMembers: 9,
    tickets: 6,
    deflections: 2,
    eventsAttended: 1,
    npsScores: [10, 9, 5, 8],
    firstDaysActivity: 3,
    daysSinceLastActivity: 2,
    champions: 0,
    ...overrides,
  }
}

function context(
  high: { perSeat: number[]; median: number | null } = { perSeat: [1.25, 2.5, 10], median: 0.1 },
): HealthContext {
  return {
    engagementPerSeat: { high: high.perSeat, low: [], tech: [] },
    ticketsPerSeatMedian: { high: high.median, low: null, tech: null },
  }
}

test('percentile rank is the mid-rank: values below plus half the ties, over the count', () => {
  const values = [1, 2, 2, 3]
  expect(percentileRank(1, values)).toBe(12.5) // (0 + ½·1) / 4
  expect(percentileRank(2, values)).toBe(50) // (1 + ½·2) / 4
  expect(percentileRank(3, values)).toBe(87.5) // (3 + ½·1) / 4
  expect(percentileRank(0, values)).toBe(0) // below every value
  expect(percentileRank(4, values)).toBe(100) // above every value
  expect(percentileRank(2, [2, 2, 2])).toBe(50) // all tied
  expect(percentileRank(7, [7])).toBe(50) // a single account
  expect(percentileRank(7, [])).toBe(50) // no peers at all
})

test('median takes the middle value, or the mean of the two middle ones', () => {
  expect(median([])).toBeNull()
  expect(median([3])).toBe(3)
  expect(median([3, 1, 2])).toBe(2)
  expect(median([4, 1, 3, 2])).toBe(2.5)
  expect(median([0, 0, 0.5])).toBe(0)
})

test('rounding is half away from zero and never gives −0', () => {
  expect(roundHalfAway(20.5)).toBe(21)
  expect(roundHalfAway(-20.5)).toBe(-21)
  expect(roundHalfAway(-0.2)).toBe(0)
  expect(Object.is(roundHalfAway(-0.2), 0)).toBe(true)
  expect(roundHalfAway(570 / 11.5, 1)).toBe(49.6) // 49.565…
})

test('the context groups engagement per seat and tickets per seat by tier, skipping accounts without seats', () => {
  const result = healthContext([
    { tier: 'high', seats: 10, engagementPoints: 50, tickets: 2 }, // 5 per seat, 0.2 tickets per seat
    { tier: 'high', seats: 4, engagementPoints: 4, tickets: 0 }, // 1, 0
    { tier: 'high', seats: 20, engagementPoints: 60, tickets: 8 }, // 3, 0.4
    { tier: 'high', seats: null, engagementPoints: 999, tickets: 9 },
    { tier: 'low', seats: 0, engagementPoints: 999, tickets: 9 },
    { tier: 'tech', seats: 2, engagementPoints: 0, tickets: 0 },
    { tier: 'tech', seats: 5, engagementPoints: 0, tickets: 0 },
  ])
  expect(result.engagementPerSeat).toEqual({ high: [1, 3, 5], low: [], tech: [0, 0] })
  expect(result.ticketsPerSeatMedian).toEqual({ high: 0.2, low: null, tech: 0 })
})

test('engagement: the whole percentile among the tier, GOOD from the 60th, NORMAL from the 25th', () => {
  const ctx = context()
  // 100 / 40 = 2.5 per seat; among [1.25, 2.5, 10]: (1 + ½) / 3 = 50 → NORMAL
  expect(engagementBand(account(), ctx, settings)).toEqual({
    band: 'NORMAL',
    value: 50,
    detail: { kind: 'ranked', perSeat: 2.5, percentile: 50, peers: 3, tier: 'high' },
  })
  // 400 / 40 = 10: (2 + ½) / 3 = 83.3 → 83 → GOOD
  expect(engagementBand(account({ engagementPoints: 400 }), ctx, settings)).toMatchObject({ band: 'GOOD', value: 83 })
  // 50 / 40 = 1.25: ½ / 3 = 16.7 → 17 → BAD
  expect(engagementBand(account({ engagementPoints: 50 }), ctx, settings)).toMatchObject({ band: 'BAD', value: 17 })
})

test('engagement thresholds are inclusive: exactly the 60th is GOOD, exactly the 25th NORMAL', () => {
  // Among [1, 2, 3, 3, 5] per seat: 3 → (2 + ½·2) / 5 = 60; 2 → (1 + ½) / 5 = 30; 1 → ½ / 5 = 10
  const tied = context({ perSeat: [1, 2, 3, 3, 5], median: 0.1 })
  expect(engagementBand(account({ seats: 10, engagementPoints: 30 }), tied, settings)).toMatchObject({
    band: 'GOOD',
    value: 60,
  })
  expect(engagementBand(account({ seats: 10, engagementPoints: 20 }), tied, settings)).toMatchObject({
    band: 'NORMAL',
    value: 30,
  })
  expect(engagementBand(account({ seats: 10, engagementPoints: 10 }), tied, settings)).toMatchObject({
    band: 'BAD',
    value: 10,
  })
  // Among [1, 2]: 1 → ½ / 2 = 25 → NORMAL (from the 25th)
  const pair = context({ perSeat: [1, 2], median: 0.1 })
  expect(engagementBand(account({ seats: 10, engagementPoints: 10 }), pair, settings)).toMatchObject({
    band: 'NORMAL',
    value: 25,
  })
})

test('engagement: no seats is no data; no point at all is BAD even when the tier is as quiet', () => {
  expect(engagementBand(account({ seats: null }), context(), settings)).toEqual({
    band: null,
    value: null,
    detail: { kind: 'no_seats' },
  })
  expect(engagementBand(account({ seats: 0 }), context(), settings).band).toBeNull()
  // Every account of the tier at 0: mid-rank 50, which alone would be NORMAL.
  const quiet = context({ perSeat: [0, 0, 0], median: 0 })
  expect(engagementBand(account({ engagementPoints: 0 }), quiet, settings)).toEqual({
    band: 'BAD',
    value: 50,
    detail: { kind: 'none', perSeat: 0, percentile: 50, peers: 3, tier: 'high' },
  })
})

test('trend: a decline over 20% is BAD, over 5% NORMAL, else GOOD, on the whole percent shown', () => {
  const trend = (activityPrevious: number, activityRecent: number) =>
    trendBand({ activityPrevious, activityRecent }, settings)
  // (11 − 20) / 20 = −45%
  expect(trend(20, 11)).toEqual({
    band: 'BAD',
    value: -45,
    detail: { kind: 'change', days: 30, recent: 11, previous: 20 },
  })
  expect(trend(100, 80)).toMatchObject({ band: 'NORMAL', value: -20 }) // exactly 20%: not over
  expect(trend(100, 79.5)).toMatchObject({ band: 'BAD', value: -21 }) // −20.5% shows as −21%
  expect(trend(100, 94)).toMatchObject({ band: 'NORMAL', value: -6 })
  expect(trend(100, 95)).toMatchObject({ band: 'GOOD', value: -5 }) // exactly 5%: not over
  expect(trend(100, 130)).toMatchObject({ band: 'GOOD', value: 30 })
  expect(trend(10, 0)).toMatchObject({ band: 'BAD', value: -100 })
})

test('trend: nothing in either window is no data; activity after none is GOOD without a percent', () => {
  expect(trendBand({ activityPrevious: 0, activityRecent: 0 }, settings)).toEqual({
    band: null,
    value: null,
    detail: { kind: 'none', days: 30, recent: 0, previous: 0 },
  })
  expect(trendBand({ activityPrevious: 0, activityRecent: 4.2 }, settings)).toEqual({
    band: 'GOOD',
    value: null,
    detail: { kind: 'started', days: 30, recent: 4.2, previous: 0 },
  })
})

test('breadth: active members ÷ seats as a whole percent, GOOD from 40%, NORMAL from 15%', () => {
  const breadth = (activeMembers: number, seats: number | null) => breadthBand({ activeMembers, seats }, settings)
  // 9 / 40 = 22.5% → 23%
  expect(breadth(9, 40)).toEqual({
    band: 'NORMAL',
    value: 23,
    detail: { kind: 'ratio', active: 9, seats: 40, days: 28 },
  })
  expect(breadth(16, 40)).toMatchObject({ band: 'GOOD', value: 40 })
  expect(breadth(6, 40)).toMatchObject({ band: 'NORMAL', value: 15 })
  expect(breadth(5, 40)).toMatchObject({ band: 'BAD', value: 13 }) // 12.5% → 13%
  expect(breadth(29, 200)).toMatchObject({ band: 'NORMAL', value: 15 }) // 14.5% shows as 15%, and is decided so
  expect(breadth(0, 10)).toMatchObject({ band: 'BAD', value: 0 })
  expect(breadth(12, 10)).toMatchObject({ band: 'GOOD', value: 120 })
  expect(breadth(3, 0)).toEqual({ band: null, value: null, detail: { kind: 'no_seats', days: 28 } })
  expect(breadth(3, null).band).toBeNull()
})

test('support load: tickets per seat against the tier median, up to 1× GOOD, up to 1.5× NORMAL', () => {
  const ctx = context() // high-touch median 0.1 tickets per seat
  // 6 / 40 = 0.15 per seat = 1.5× the median → NORMAL (up to 1.5×)
  expect(supportLoadBand(account(), ctx, settings)).toEqual({
    band: 'NORMAL',
    value: 0.15,
    detail: { kind: 'ratio', tickets: 6, seats: 40, days: 90, perSeat: 0.15, median: 0.1, ratio: 1.5, tier: 'high' },
  })
  expect(supportLoadBand(account({ tickets: 4 }), ctx, settings)).toMatchObject({ band: 'GOOD', value: 0.1 }) // 1×
  expect(supportLoadBand(account({ tickets: 7 }), ctx, settings)).toMatchObject({ band: 'BAD', value: 0.18 }) // 0.175: 1.75×
  expect(supportLoadBand(account({ tickets: 0 }), ctx, settings)).toMatchObject({
    band: 'GOOD',
    value: 0,
    detail: { kind: 'none', ratio: 0 },
  })
  expect(supportLoadBand(account({ seats: null }), ctx, settings)).toEqual({
    band: null,
    value: null,
    detail: { kind: 'no_seats', days: 90 },
  })
})

test('support load when no account of the tier filed a ticket: none is GOOD, any is NORMAL', () => {
  const none = context({ perSeat: [2.5], median: 0 })
  expect(supportLoadBand(account({ tickets: 0 }), none, settings)).toMatchObject({
    band: 'GOOD',
    detail: { kind: 'none', ratio: null },
  })
  // 1 / 40 = 0.025 → 0.03 per seat; there is no multiple of a zero median.
  expect(supportLoadBand(account({ tickets: 1 }), none, settings)).toMatchObject({
    band: 'NORMAL',
    value: 0.03,
    detail: { kind: 'zero_median', median: 0, ratio: null },
  })
  // A tier without any account with seats has no median at all: treated alike.
  const empty = context({ perSeat: [], median: null })
  expect(supportLoadBand(account({ tickets: 3 }), empty, settings).band).toBe('NORMAL')
})

test('support load of an account without a ticket and without any activity in the window is no data', () => {
  const ctx = context()
  expect(supportLoadBand(account({ tickets: 0, daysSinceLastActivity: 90 }), ctx, settings)).toEqual({
    band: null,
    value: null,
    detail: { kind: 'quiet', days: 90 },
  })
  expect(supportLoadBand(account({ tickets: 0, daysSinceLastActivity: null }), ctx, settings).band).toBeNull()
  // Active within the window: no ticket is GOOD; a ticket is judged whatever else happened.
  expect(supportLoadBand(account({ tickets: 0, daysSinceLastActivity: 89 }), ctx, settings).band).toBe('GOOD')
  expect(supportLoadBand(account({ tickets: 4, daysSinceLastActivity: 95 }), ctx, settings).band).toBe('GOOD')
})

test('self-service: deflections ÷ (deflections + tickets), GOOD from 40%, NORMAL from 20%; neither is no data', () => {
  const selfService = (deflections: number, tickets: number) => selfServiceBand({ deflections, tickets }, settings)
  expect(selfService(2, 6)).toEqual({
    band: 'NORMAL',
    value: 25,
    detail: { kind: 'ratio', deflections: 2, tickets: 6, days: 90 },
  })
  expect(selfService(4, 6)).toMatchObject({ band: 'GOOD', value: 40 })
  expect(selfService(1, 4)).toMatchObject({ band: 'NORMAL', value: 20 })
  expect(selfService(1, 5)).toMatchObject({ band: 'BAD', value: 17 }) // 16.7%
  expect(selfService(0, 3)).toMatchObject({ band: 'BAD', value: 0 })
  expect(selfService(3, 0)).toMatchObject({ band: 'GOOD', value: 100 })
  expect(selfService(0, 0)).toEqual({
    band: null,
    value: null,
    detail: { kind: 'none', deflections: 0, tickets: 0, days: 90 },
  })
})

test('events: GOOD from 3 attendances, NORMAL from 1, none is BAD', () => {
  expect(eventsBand({ eventsAttended: 0 }, settings)).toEqual({
    band: 'BAD',
    value: 0,
    detail: { attended: 0, days: 90 },
  })
  expect(eventsBand({ eventsAttended: 1 }, settings).band).toBe('NORMAL')
  expect(eventsBand({ eventsAttended: 2 }, settings).band).toBe('NORMAL')
  expect(eventsBand({ eventsAttended: 3 }, settings).band).toBe('GOOD')
})

test('NPS is % promoters (9–10) minus % detractors (0–6)', () => {
  expect(npsOf([10, 9, 5, 8])).toBe(25) // (2 − 1) / 4
  expect(npsGroups([10, 9, 5, 8])).toMatchObject({ promoters: 2, detractors: 1 })
  expect(npsOf([0, 6, 7])).toBe(-67) // −2 / 3 = −66.7
  expect(npsGroups([0, 6, 7])).toMatchObject({ promoters: 0, detractors: 2 })
  expect(npsOf([10, 10, 10])).toBe(100)
  // The one NPS (app/lib/nps.ts): no answers have no score, and the sentiment measure reads that as no data.
  expect(npsOf([])).toBeNull()
  expect(sentimentBand({ npsScores: [] }, settings)).toMatchObject({ band: null, value: null })
})

test('sentiment: NPS with at least 3 answers, GOOD from 30, NORMAL from 0; fewer answers is no data', () => {
  const sentiment = (npsScores: number[]) => sentimentBand({ npsScores }, settings)
  expect(sentiment([10, 9, 5, 8])).toEqual({
    band: 'NORMAL',
    value: 25,
    detail: { kind: 'nps', answers: 4, promoters: 2, detractors: 1, days: 180 },
  })
  // 3 promoters of 10, no detractor: exactly 30 → GOOD
  expect(sentiment([10, 10, 10, 8, 8, 8, 8, 8, 7, 7])).toMatchObject({ band: 'GOOD', value: 30 })
  expect(sentiment([9, 6, 8])).toMatchObject({ band: 'NORMAL', value: 0 }) // (1 − 1) / 3
  expect(sentiment([6, 7, 8])).toMatchObject({ band: 'BAD', value: -33 })
  expect(sentiment([10, 10])).toEqual({
    band: null,
    value: null,
    detail: { kind: 'few', answers: 2, minAnswers: 3, days: 180 },
  })
  expect(sentiment([])).toMatchObject({ band: null, detail: { kind: 'none', answers: 0 } })
  // Even with no minimum, an NPS needs one answer.
  expect(
    sentimentBand({ npsScores: [] }, withHealth({ sentiment: { ...settings.health.sentiment, minAnswers: 0 } })),
  ).toMatchObject({ band: null, value: null })
})

test('onboarding: for accounts younger than 90 days, activity in the first 14 days is GOOD, none BAD', () => {
  const onboarding = (ageDays: number, firstDaysActivity: number) =>
    onboardingBand({ ageDays, firstDaysActivity }, settings)
  expect(onboarding(30, 4)).toEqual({
    band: 'GOOD',
    value: 4,
    detail: { kind: 'active', ageDays: 30, activity: 4, firstDays: 14, youngerThanDays: 90 },
  })
  expect(onboarding(5, 2)).toMatchObject({ band: 'GOOD', detail: { kind: 'active' } }) // active already
  expect(onboarding(14, 0)).toMatchObject({ band: 'BAD', value: 0, detail: { kind: 'silent' } }) // first 14 days over
  expect(onboarding(89, 0)).toMatchObject({ band: 'BAD', detail: { kind: 'silent' } })
  expect(onboarding(13, 0)).toMatchObject({ band: null, value: null, detail: { kind: 'too_early' } })
  expect(onboarding(90, 0)).toMatchObject({ band: null, value: null, detail: { kind: 'not_applicable' } })
  expect(onboarding(400, 3)).toMatchObject({ band: null, detail: { kind: 'not_applicable' } })
})

test('the overall level: GOOD from 75, NORMAL from 50, and never a band below half coverage', () => {
  expect(healthLevelFor(75, 1, settings)).toBe('GOOD')
  expect(healthLevelFor(74.9, 1, settings)).toBe('NORMAL')
  expect(healthLevelFor(50, 0.5, settings)).toBe('NORMAL')
  expect(healthLevelFor(49.9, 1, settings)).toBe('BAD')
  expect(healthLevelFor(100, 0.49, settings)).toBe('INSUFFICIENT_DATA')
  expect(healthLevelFor(null, 1, settings)).toBe('INSUFFICIENT_DATA')
})

test('account health: the weighted mean of the bands of the measures with data', () => {
  const health = accountHealth(account(), context(), settings)
  // engagement NORMAL 60 ×3, trend BAD 0 ×2, breadth NORMAL 60 ×2, support load NORMAL 60 ×1.5,
  // self-service NORMAL 60 ×1, events NORMAL 60 ×1 (high touch ×1), sentiment NORMAL 60 ×1;
  // onboarding does not apply at 400 days (weight 0).
  // (180 + 0 + 120 + 90 + 60 + 60 + 60) / 11.5 = 570 / 11.5 = 49.565… → 49.6 → BAD
  expect(health.score).toBe(49.6)
  expect(health.level).toBe('BAD')
  expect(health.coverage).toBe(1)
  expect(health.hardRisk).toBeNull()
  expect(health.hardRiskReason).toBeNull()
  expect(
    health.components.map(({ measure, band, value, weight, score }) => [measure, band, value, weight, score]),
  ).toEqual([
    ['engagement', 'NORMAL', 50, 3, 60],
    ['trend', 'BAD', -45, 2, 0],
    ['breadth', 'NORMAL', 23, 2, 60],
    ['supportLoad', 'NORMAL', 0.15, 1.5, 60],
    ['selfService', 'NORMAL', 25, 1, 60],
    ['events', 'NORMAL', 1, 1, 60],
    ['sentiment', 'NORMAL', 25, 1, 60],
    ['onboarding', null, null, 0, null],
  ])
  expect(health.components[1]!.reason.en).toBe('Activity fell 45% against the previous 30 days (20 → 11 points)')
  expect(health.summary.en).toBe('BAD: activity fell 45%; engagement at the 50th percentile; breadth 23%')
  // Deterministic.
  expect(accountHealth(account(), context(), settings)).toEqual(health)
})

test('account health: events weigh more for low-touch accounts; a young account counts onboarding', () => {
  const low: HealthContext = {
    engagementPerSeat: { high: [], low: [1.25, 2.5, 10], tech: [] },
    ticketsPerSeatMedian: { high: null, low: 0.1, tech: null },
  }
  const health = accountHealth(
    account({ tier: 'low', ageDays: 60, firstDaysActivity: 0, eventsAttended: 3, activityRecent: 20 }),
    low,
    settings,
  )
  expect(health.components.find((c) => c.measure === 'events')).toMatchObject({ band: 'GOOD', weight: 2 }) // 1 × 2
  expect(health.components.find((c) => c.measure === 'onboarding')).toMatchObject({ band: 'BAD', weight: 2 })
  // engagement 60×3 + trend GOOD (steady) 100×2 + breadth 60×2 + support 60×1.5 + self-service 60×1
  // + events 100×2 + sentiment 60×1 + onboarding 0×2 = 180 + 200 + 120 + 90 + 60 + 200 + 60 + 0 = 910
  // over 3 + 2 + 2 + 1.5 + 1 + 2 + 1 + 2 = 14.5 → 62.758… → 62.8 → NORMAL
  expect(health.score).toBe(62.8)
  expect(health.level).toBe('NORMAL')
  expect(health.coverage).toBe(1)
})

test('an account in its first 14 days is not judged yet, whatever its measures say', () => {
  const fresh = account({
    ageDays: 3,
    engagementPoints: 0,
    activityRecent: 0,
    activityPrevious: 0,
    activeMembers: 0,
    tickets: 0,
    deflections: 0,
    eventsAttended: 0,
    npsScores: [],
    firstDaysActivity: 0,
    daysSinceLastActivity: null,
  })
  const health = accountHealth(fresh, context(), settings)
  // Its measures alone would make it BAD (no points, 0% breadth, no events).
  expect(health.score).toBe(0)
  expect(health).toMatchObject({ level: 'INSUFFICIENT_DATA', hardRisk: null })
  expect(health.summary).toEqual({
    en: 'Insufficient data: the account is 3 days old; it is judged after its first 14 days',
    ja: 'データ不足：開始から 3 日のアカウントです。最初の 14 日が過ぎてから判定します',
  })
  // From day 14 it is judged like any other.
  expect(accountHealth({ ...fresh, ageDays: 14 }, context(), settings).level).toBe('BAD')
})

test('coverage exactly at the minimum gives a level; just below it is insufficient data, never GOOD', () => {
  const even = withHealth({
    weights: {
      engagement: 2,
      trend: 1,
      breadth: 1,
      supportLoad: 1,
      selfService: 1,
      events: 1,
      sentiment: 1,
      onboarding: 0,
    },
    eventsWeightByTier: { high: 1, low: 1, tech: 1 },
  })
  const noSeats = account({
    seats: null,
    activityRecent: 30,
    activityPrevious: 20,
    deflections: 4,
    tickets: 6,
    eventsAttended: 3,
    npsScores: [10, 10, 10],
  })
  // Present: trend, self-service, events, sentiment = 4 of 2 + 1 + 1 + 1 + 1 + 1 + 1 + 0 = 8 → 0.5
  const half = accountHealth(noSeats, context(), even)
  expect(half.coverage).toBe(0.5)
  expect(half.score).toBe(100)
  expect(half.level).toBe('GOOD')
  // Without survey answers: 3 of 8 = 0.375 → 0.38; every measure with data is GOOD, still no band.
  const below = accountHealth({ ...noSeats, npsScores: [] }, context(), even)
  expect(below.coverage).toBe(0.38)
  expect(below.score).toBe(100)
  expect(below.level).toBe('INSUFFICIENT_DATA')
  expect(below.summary.en).toBe('Insufficient data: measures with data carry 38% of the weight (50% needed)')
})

test('an account without any figure has no score, no coverage and insufficient data', () => {
  const nothing = account({
    seats: null,
    activityRecent: 0,
    activityPrevious: 0,
    activeMembers: 0,
    tickets: 0,
    deflections: 0,
    eventsAttended: 0,
    npsScores: [],
    daysSinceLastActivity: null,
  })
  // With defaults, only events (0 attended: BAD) has data: 1 of 11.5 = 0.087 → 0.09.
  const defaults = accountHealth(nothing, context(), settings)
  expect(defaults).toMatchObject({ level: 'INSUFFICIENT_DATA', score: 0, coverage: 0.09, hardRisk: null })
  // With events weighing nothing, no measure has data at all.
  const none = accountHealth(nothing, context(), withHealth({ eventsWeightByTier: { high: 0, low: 0, tech: 0 } }))
  expect(none).toMatchObject({ level: 'INSUFFICIENT_DATA', score: null, coverage: 0 })
  expect(none.components.every((c) => c.score === null || c.weight === 0)).toBe(true)
})

test('an account silent for 30 days after being active is BAD whatever its measures say', () => {
  const good = account({
    engagementPoints: 400,
    activityRecent: 20,
    activeMembers: 20,
    tickets: 2,
    deflections: 4,
    eventsAttended: 3,
    npsScores: [10, 10, 9],
  })
  const ctx = context({ perSeat: [1.25, 2.5, 10], median: 0.1 })
  expect(accountHealth({ ...good, daysSinceLastActivity: 29 }, ctx, settings)).toMatchObject({
    level: 'GOOD',
    score: 100,
    hardRisk: null,
  })
  const silent = accountHealth({ ...good, daysSinceLastActivity: 30 }, ctx, settings)
  expect(silent).toMatchObject({ level: 'BAD', score: 100, hardRisk: 'silent' })
  expect(silent.hardRiskReason?.en).toBe(
    'No activity for 30 days after being active: BAD whatever the other measures say',
  )
  expect(silent.summary.en).toMatch(/^BAD: no activity for 30 days/)
  // A hard risk outweighs insufficient data too; an account never active has none.
  const bare = account({
    seats: null,
    npsScores: [],
    tickets: 0,
    deflections: 0,
    activityRecent: 0,
    activityPrevious: 0,
  })
  expect(accountHealth({ ...bare, daysSinceLastActivity: 45 }, ctx, settings).level).toBe('BAD')
  expect(accountHealth({ ...bare, daysSinceLastActivity: null }, ctx, settings).level).toBe('INSUFFICIENT_DATA')
  expect(hardRiskOf({ daysSinceLastActivity: null }, settings)).toBeNull()
  expect(hardRiskOf({ daysSinceLastActivity: 30 }, settings)).toBe('silent')
})
