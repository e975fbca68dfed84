import { expect, test } from 'vitest'
import { npsGroups, npsOf } from '#app/lib/nps.ts'
import { answeredToday, pinnedSettings } from '#tests/scoring-model.ts'
import {
  type AccountHealthInput,
  accountHealth,
  breadthBand,
  breadthChangeBand,
  championsBand,
  engagementBand,
  eventsBand,
  type HealthContext,
  hardRiskOf,
  healthContext,
  healthLevelFor,
  levelWithHysteresis,
  measureOutcomes,
  measureWeight,
  median,
  type NpsAnswer,
  onboardingBand,
  type PreviousLevel,
  percentileRank,
  roundHalfAway,
  selfServiceBand,
  sentimentBand,
  settleLevel,
  supportLoadBand,
  ticketSurgeBand,
  trendBand,
  trendWeeks,
} from './health.ts'
import type { MeasureOutcome } from './measures.ts'
import type { HealthLevel, HealthSettings, ScoringSettings } from './settings.ts'

const settings = pinnedSettings

/** The pinned settings with some health settings replaced. */
function withHealth(change: Partial<HealthSettings>): ScoringSettings {
  return { ...settings, health: { ...settings.health, ...change } }
}

/** A mature high-touch account with a figure for every measure (see the first account-health test). */
function account(overrides: Partial<AccountHealthInput> = {}): AccountHealthInput {
  return {
    accountId: 1,
    accountName: 'Acme',
    tier: 'high',
    seats: 40,
    ageDays: 400,
    engagementPoints: 100,
    // Newest first: 4 + 3 + 4 (the quiet 0 left out) = 11 against 6 + 7 + 7 (the 5 left out) = 20.
    activityWeeks: [4, 3, 4, 0, 6, 7, 7, 5],
    activeMembers: 9,
    activeMembersBefore: 12,
    contributionPoints: 60,
    keyContributors: [{ name: 'Aiko', points: 20, silentDays: 3 }],
    othersActive: true,
    tickets: 6,
    deflections: 2,
    supportMembers: 4,
    surgeTickets: 2,
    surgeBaselineTickets: 6,
    surgeMembers: 4,
    surgeBaselineMembers: 4,
    eventsAttended: 1,
    npsAnswers: answeredToday(10, 9, 5, 8),
    firstDaysActivity: 3,
    membersJoined: 0,
    onboardingActiveDays: 0,
    onboardingContributed: false,
    daysSinceLastActivity: 2,
    champions: 0,
    ...overrides,
  }
}

function context(
  high: { perSeat: number[]; median: number | null } = { perSeat: [1.25, 2.5, 10], median: 0.6 },
): HealthContext {
  return {
    engagementPerSeat: { high: high.perSeat, low: [], tech: [] },
    ticketsPerMemberMedian: { high: high.median, low: null, tech: null },
  }
}

/** Every measure of an account with its band, value and weight, for a compact comparison. */
function table(components: readonly { measure: string; band: unknown; value: unknown; weight: number }[]) {
  return components.map(({ measure, band, value, weight }) => [measure, band, value, weight])
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

test('the context groups engagement per seat (accounts with seats) and tickets per active member (accounts with one) by tier', () => {
  const result = healthContext([
    { tier: 'high', seats: 10, engagementPoints: 50, tickets: 2, supportMembers: 4 }, // 5 per seat, 0.5 per member
    { tier: 'high', seats: 4, engagementPoints: 4, tickets: 0, supportMembers: 2 }, // 1, 0
    { tier: 'high', seats: 20, engagementPoints: 60, tickets: 8, supportMembers: 8 }, // 3, 1
    // No seats: out of engagement per seat, but its tickets per active member count.
    { tier: 'high', seats: null, engagementPoints: 999, tickets: 9, supportMembers: 3 }, // 3 per member
    // No active member in the window: out of the ticket median, whatever it filed.
    { tier: 'high', seats: 5, engagementPoints: 5, tickets: 40, supportMembers: 0 }, // 1 per seat
    { tier: 'low', seats: 0, engagementPoints: 999, tickets: 9, supportMembers: 0 },
    { tier: 'tech', seats: 2, engagementPoints: 0, tickets: 0, supportMembers: 1 },
    { tier: 'tech', seats: 5, engagementPoints: 0, tickets: 0, supportMembers: 1 },
  ])
  expect(result.engagementPerSeat).toEqual({ high: [1, 1, 3, 5], low: [], tech: [0, 0] })
  // high: [0, 0.5, 1, 3] → (0.5 + 1) / 2 = 0.75; low: no account with an active member.
  expect(result.ticketsPerMemberMedian).toEqual({ high: 0.75, low: null, tech: 0 })
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
  const tied = context({ perSeat: [1, 2, 3, 3, 5], median: 0.6 })
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
  const pair = context({ perSeat: [1, 2], median: 0.6 })
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

/** Two windows of four weeks each whose quietest weeks are equal, so the sums compare as given. */
function windows(previous: number, recent: number): number[] {
  return [recent, 0, 0, 0, previous, 0, 0, 0]
}

test('trend: each window is ceil(days ÷ 7) weeks of seven working days', () => {
  expect(trendWeeks(settings)).toBe(4) // 28 days
  expect(trendWeeks(withHealth({ trend: { ...settings.health.trend, days: 30 } }))).toBe(5)
  expect(trendWeeks(withHealth({ trend: { ...settings.health.trend, days: 7 } }))).toBe(1)
  expect(trendWeeks(withHealth({ trend: { ...settings.health.trend, days: 1 } }))).toBe(1)
})

test('trend: a decline over 30% is BAD, over 15% NORMAL, else GOOD, on the whole percent shown', () => {
  const trend = (previous: number, recent: number) => trendBand({ activityWeeks: windows(previous, recent) }, settings)
  // (11 − 20) / 20 = −45%
  expect(trend(20, 11)).toEqual({
    band: 'BAD',
    value: -45,
    detail: { kind: 'change', days: 28, recent: 11, previous: 20 },
  })
  expect(trend(100, 70)).toMatchObject({ band: 'NORMAL', value: -30 }) // exactly 30%: not over
  expect(trend(100, 69.5)).toMatchObject({ band: 'BAD', value: -31 }) // −30.5% shows as −31%, and is decided so
  expect(trend(100, 84)).toMatchObject({ band: 'NORMAL', value: -16 })
  expect(trend(100, 85)).toMatchObject({ band: 'GOOD', value: -15 }) // exactly 15%: not over
  expect(trend(100, 85.4)).toMatchObject({ band: 'GOOD', value: -15 }) // −14.6% shows as −15%
  expect(trend(100, 130)).toMatchObject({ band: 'GOOD', value: 30 })
  expect(trend(10, 0)).toMatchObject({ band: 'BAD', value: -100 })
})

test('trend: each window leaves out its quietest week, so one quiet week is not a fall', () => {
  const trend = (activityWeeks: number[], change: Partial<HealthSettings> = {}) =>
    trendBand({ activityWeeks }, withHealth(change))
  // A week off in the recent window: 10 + 10 + 10 (the 0 left out) against 10 + 10 + 10 (one 10 left out).
  expect(trend([10, 0, 10, 10, 10, 10, 10, 10])).toEqual({
    band: 'GOOD',
    value: 0,
    detail: { kind: 'change', days: 28, recent: 30, previous: 30 },
  })
  // Two quiet weeks are a fall: 10 + 10 (one 0 left out) against 30.
  expect(trend([10, 0, 0, 10, 10, 10, 10, 10])).toMatchObject({ band: 'BAD', value: -33 })
  // The quiet week of the earlier window is left out too: a lull then does not flatter today.
  expect(trend([8, 8, 8, 8, 12, 0, 12, 12])).toMatchObject({ value: -33, detail: { recent: 24, previous: 36 } })
  // Only one of equal quietest weeks goes.
  expect(trend([5, 5, 5, 5, 5, 5, 5, 5])).toMatchObject({ value: 0, detail: { recent: 15, previous: 15 } })
  // Weeks not given are empty (a young account): its earlier window is all quiet, so activity started.
  expect(trend([6, 6, 6, 6])).toMatchObject({ band: 'GOOD', value: null, detail: { kind: 'started', recent: 18 } })
  // Windows of fewer than three weeks keep every week: 14 days = 2 weeks each.
  const fortnight = { trend: { ...settings.health.trend, days: 14 } }
  expect(trend([10, 0, 10, 10], fortnight)).toMatchObject({
    band: 'BAD',
    value: -50,
    detail: { days: 14, recent: 10, previous: 20 },
  })
  // Three weeks each (21 days) is the first length that leaves one out.
  const threeWeeks = { trend: { ...settings.health.trend, days: 21 } }
  expect(trend([10, 0, 10, 10, 10, 10], threeWeeks)).toMatchObject({
    band: 'GOOD',
    value: 0,
    detail: { recent: 20, previous: 20 },
  })
  // Weeks beyond the two windows are ignored.
  expect(trend([10, 10, 10, 10, 10, 10, 10, 10, 999])).toMatchObject({ value: 0 })
})

test('trend: nothing in either window is no data; activity after none is GOOD without a percent', () => {
  expect(trendBand({ activityWeeks: [] }, settings)).toEqual({
    band: null,
    value: null,
    detail: { kind: 'none', days: 28, recent: 0, previous: 0 },
  })
  expect(trendBand({ activityWeeks: [0, 0, 0, 0, 0, 0, 0, 0] }, settings).band).toBeNull()
  expect(trendBand({ activityWeeks: windows(0, 4.2) }, settings)).toEqual({
    band: 'GOOD',
    value: null,
    detail: { kind: 'started', days: 28, recent: 4.2, previous: 0 },
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

test('breadth against its own past: a fall over 35% is BAD, over 15% NORMAL, on the whole percent shown', () => {
  const change = (activeMembersBefore: number, activeMembers: number) =>
    breadthChangeBand({ ageDays: 400, activeMembers, activeMembersBefore }, settings)
  expect(change(12, 9)).toEqual({
    band: 'NORMAL',
    value: -25,
    detail: { kind: 'change', now: 9, before: 12, days: 28, agoDays: 60, minBaseline: 3 },
  })
  expect(change(20, 17)).toMatchObject({ band: 'GOOD', value: -15 }) // exactly 15%: not over
  expect(change(40, 33)).toMatchObject({ band: 'NORMAL', value: -18 }) // −17.5% → −18%
  expect(change(20, 13)).toMatchObject({ band: 'NORMAL', value: -35 }) // exactly 35%: not over
  expect(change(200, 129)).toMatchObject({ band: 'BAD', value: -36 }) // −35.5% shows as −36%, and is decided so
  expect(change(3, 0)).toMatchObject({ band: 'BAD', value: -100 })
  // Steady and growing accounts are GOOD.
  expect(change(10, 10)).toMatchObject({ band: 'GOOD', value: 0 })
  expect(change(3, 6)).toMatchObject({ band: 'GOOD', value: 100 })
})

test('breadth against its own past needs an account as old as both windows and enough members then', () => {
  const change = (ageDays: number, activeMembersBefore: number, activeMembers = 1) =>
    breadthChangeBand({ ageDays, activeMembers, activeMembersBefore }, settings)
  // 60 working days ago plus the 28-day window: younger than 88 days cannot have been measured then.
  expect(change(87, 10)).toEqual({
    band: null,
    value: null,
    detail: { kind: 'young', now: 1, before: 10, days: 28, agoDays: 60, minBaseline: 3 },
  })
  expect(change(88, 10)).toMatchObject({ band: 'BAD', value: -90, detail: { kind: 'change' } })
  // Fewer than 3 members then: a fall from 2 to 1 says little.
  expect(change(400, 2)).toMatchObject({ band: null, value: null, detail: { kind: 'few', before: 2 } })
  expect(change(400, 0, 5)).toMatchObject({ band: null, detail: { kind: 'few' } })
  expect(change(400, 3)).toMatchObject({ band: 'BAD', value: -67, detail: { kind: 'change' } })
  // The minimum is a setting.
  const one = withHealth({ breadthChange: { ...settings.health.breadthChange, minBaseline: 1 } })
  expect(breadthChangeBand({ ageDays: 400, activeMembers: 1, activeMembersBefore: 2 }, one)).toMatchObject({
    band: 'BAD',
    value: -50,
  })
})

/** The champions measure of Acme with some key contributors, out of `contributionPoints`. */
function champions(
  keyContributors: AccountHealthInput['keyContributors'],
  { contributionPoints = 100, othersActive = true } = {},
  scoring: ScoringSettings = settings,
) {
  return championsBand({ accountName: 'Acme', contributionPoints, keyContributors, othersActive }, scoring)
}

test('champions: the key members silent for 28 working days and the share of the contributions they gave', () => {
  expect(
    champions([
      { name: 'Ken', points: 30, silentDays: 29 },
      { name: 'Aiko', points: 40, silentDays: 30 },
    ]),
  ).toEqual({
    band: 'BAD',
    value: 70,
    detail: {
      kind: 'lost',
      account: 'Acme',
      // Largest share first.
      keyMembers: [
        { name: 'Aiko', share: 40, silentDays: 30 },
        { name: 'Ken', share: 30, silentDays: 29 },
      ],
      lost: [
        { name: 'Aiko', share: 40, silentDays: 30 },
        { name: 'Ken', share: 30, silentDays: 29 },
      ],
      lostShare: 70,
      baselineDays: 90,
      silentDays: 28,
    },
  })
  // Silent for 27 working days is still active; from 28 it is silent.
  expect(champions([{ name: 'Aiko', points: 60, silentDays: 27 }])).toEqual({
    band: 'GOOD',
    value: 0,
    detail: {
      kind: 'kept',
      account: 'Acme',
      keyMembers: [{ name: 'Aiko', share: 60, silentDays: 27 }],
      lost: [],
      lostShare: 0,
      baselineDays: 90,
      silentDays: 28,
    },
  })
  expect(champions([{ name: 'Aiko', points: 60, silentDays: 28 }])).toMatchObject({
    band: 'BAD',
    value: 60,
    detail: { kind: 'lost' },
  })
  // One of two key members lost: only their share counts.
  expect(
    champions([
      { name: 'Aiko', points: 40, silentDays: 2 },
      { name: 'Ken', points: 30, silentDays: 40 },
    ]),
  ).toMatchObject({
    band: 'NORMAL',
    value: 30,
    detail: { kind: 'lost', lost: [{ name: 'Ken', share: 30, silentDays: 40 }], lostShare: 30 },
  })
  // Equal shares are ordered by name.
  expect(
    champions([
      { name: 'Ken', points: 30, silentDays: 1 },
      { name: 'Aiko', points: 30, silentDays: 1 },
    ]).detail,
  ).toMatchObject({ keyMembers: [{ name: 'Aiko' }, { name: 'Ken' }] })
})

test('champions: from 50% lost BAD, from 25% NORMAL, on the whole percent shown', () => {
  const lost = (points: number) => champions([{ name: 'Aiko', points, silentDays: 40 }])
  expect(lost(50)).toMatchObject({ band: 'BAD', value: 50 })
  expect(lost(49.5)).toMatchObject({ band: 'BAD', value: 50 }) // 49.5% shows as 50%, and is decided so
  expect(lost(49.4)).toMatchObject({ band: 'NORMAL', value: 49 })
  expect(lost(25)).toMatchObject({ band: 'NORMAL', value: 25 })
  expect(lost(24.5)).toMatchObject({ band: 'NORMAL', value: 25 })
  // Below the NORMAL threshold (a key member passed at a lower minimum share): GOOD, though named as lost.
  expect(lost(24.4)).toMatchObject({ band: 'GOOD', value: 24, detail: { kind: 'lost' } })
})

test('champions: each share is a whole percent; the share lost is taken from the points, not the rounded shares', () => {
  // 51 of 200 = 25.5% each, shown as 26%; together 102 of 200 = 51%, not 26 + 26.
  expect(
    champions(
      [
        { name: 'Aiko', points: 51, silentDays: 30 },
        { name: 'Ken', points: 51, silentDays: 30 },
      ],
      { contributionPoints: 200 },
    ),
  ).toMatchObject({
    band: 'BAD',
    value: 51,
    detail: {
      keyMembers: [
        { name: 'Aiko', share: 26 },
        { name: 'Ken', share: 26 },
      ],
      lostShare: 51,
    },
  })
  // 17.5 of 40 = 43.75% → 44%; 12.5 of 40 = 31.25% → 31%; 30 of 40 = 75% lost.
  expect(
    champions(
      [
        { name: 'Ken', points: 12.5, silentDays: 30 },
        { name: 'Aiko', points: 17.5, silentDays: 30 },
      ],
      { contributionPoints: 40 },
    ),
  ).toMatchObject({
    value: 75,
    detail: {
      keyMembers: [
        { name: 'Aiko', share: 44 },
        { name: 'Ken', share: 31 },
      ],
    },
  })
})

test('champions: too few contributions, no key member, or nobody else active is no data', () => {
  const windows = { baselineDays: 90, silentDays: 28 }
  const aiko = [{ name: 'Aiko', points: 10, silentDays: 40 }]
  // Fewer than 15 contribution points in the baseline: nobody can be said to carry the account.
  expect(champions(aiko, { contributionPoints: 14.9 })).toEqual({
    band: null,
    value: null,
    detail: { kind: 'none', ...windows },
  })
  expect(champions(aiko, { contributionPoints: 15 })).toMatchObject({ band: 'BAD', value: 67 })
  expect(champions(aiko, { contributionPoints: 0 })).toMatchObject({ band: null, detail: { kind: 'none' } })
  expect(
    champions([], { contributionPoints: 0 }, withHealth({ champions: { ...settings.health.champions, minPoints: 0 } })),
  ).toMatchObject({ band: null, detail: { kind: 'none' } })
  // Contributions spread thin, nobody at the minimum share: nobody to lose.
  expect(champions([], { contributionPoints: 500 })).toMatchObject({ band: null, detail: { kind: 'none' } })
  // Every key member silent and nobody else active: the whole account is quiet, for the silence rule.
  expect(champions(aiko, { contributionPoints: 20, othersActive: false })).toEqual({
    band: null,
    value: null,
    detail: { kind: 'all_quiet', ...windows },
  })
  // A key member still active is someone else active.
  expect(
    champions(
      [
        { name: 'Aiko', points: 40, silentDays: 40 },
        { name: 'Ken', points: 30, silentDays: 1 },
      ],
      { othersActive: false },
    ),
  ).toMatchObject({ band: 'NORMAL', value: 40, detail: { kind: 'lost' } })
  // Nobody lost: kept, whoever else is active.
  expect(champions([{ name: 'Aiko', points: 40, silentDays: 1 }], { othersActive: false })).toMatchObject({
    band: 'GOOD',
    detail: { kind: 'kept' },
  })
})

test('support load: tickets per active member against the tier median, up to 1.5× GOOD, up to 3× NORMAL', () => {
  const ctx = context() // high-touch median 0.6 tickets per active member
  // 6 tickets / 4 active members = 1.5 per member = 2.5× the median → NORMAL
  expect(supportLoadBand(account(), ctx, settings)).toEqual({
    band: 'NORMAL',
    value: 1.5,
    detail: {
      kind: 'ratio',
      tickets: 6,
      members: 4,
      days: 90,
      perMember: 1.5,
      median: 0.6,
      ratio: 2.5,
      tier: 'high',
    },
  })
  const load = (tickets: number, supportMembers: number) =>
    supportLoadBand(account({ tickets, supportMembers }), ctx, settings)
  expect(load(9, 10)).toMatchObject({ band: 'GOOD', value: 0.9, detail: { ratio: 1.5 } }) // exactly 1.5×
  expect(load(91, 100)).toMatchObject({ band: 'NORMAL', value: 0.91, detail: { ratio: 1.52 } })
  expect(load(18, 10)).toMatchObject({ band: 'NORMAL', value: 1.8, detail: { ratio: 3 } }) // exactly 3×
  expect(load(181, 100)).toMatchObject({ band: 'BAD', value: 1.81, detail: { ratio: 3.02 } })
  // The same tickets are a lighter load on more active members: a growing account is not penalised.
  expect(load(18, 40)).toMatchObject({ band: 'GOOD', value: 0.45, detail: { ratio: 0.75 } })
  // Seats play no part.
  expect(supportLoadBand(account({ seats: null }), ctx, settings)).toMatchObject({ band: 'NORMAL', value: 1.5 })
  expect(load(0, 4)).toMatchObject({ band: 'GOOD', value: 0, detail: { kind: 'none', ratio: 0 } })
  // Tickets without an active member count against one member.
  expect(load(2, 0)).toMatchObject({ band: 'BAD', value: 2, detail: { members: 1, ratio: 3.33 } })
})

test('support load when most accounts of the tier filed no ticket: none is GOOD, any is NORMAL', () => {
  const none = context({ perSeat: [2.5], median: 0 })
  expect(supportLoadBand(account({ tickets: 0 }), none, settings)).toMatchObject({
    band: 'GOOD',
    detail: { kind: 'none', ratio: null },
  })
  // 1 / 3 = 0.33 per member; there is no multiple of a zero median.
  expect(supportLoadBand(account({ tickets: 1, supportMembers: 3 }), none, settings)).toMatchObject({
    band: 'NORMAL',
    value: 0.33,
    detail: { kind: 'zero_median', median: 0, ratio: null },
  })
  // A tier without any account with an active member has no median at all: treated alike.
  const empty = context({ perSeat: [], median: null })
  expect(supportLoadBand(account({ tickets: 3 }), empty, settings).band).toBe('NORMAL')
})

test('support load of an account without a ticket and without an active member in the window is no data', () => {
  const ctx = context()
  expect(supportLoadBand(account({ tickets: 0, supportMembers: 0 }), ctx, settings)).toEqual({
    band: null,
    value: null,
    detail: { kind: 'quiet', days: 90 },
  })
  // An active member: no ticket is GOOD; a ticket is judged whatever else happened.
  expect(supportLoadBand(account({ tickets: 0, supportMembers: 1 }), ctx, settings).band).toBe('GOOD')
  expect(supportLoadBand(account({ tickets: 1, supportMembers: 0 }), ctx, settings).band).not.toBeNull()
})

/** The ticket surge of a mature account: `recent` tickets in 30 days against `baseline` in the 90 before. */
function surge(recent: number, baseline: number, members: { now?: number; before?: number; ageDays?: number } = {}) {
  return ticketSurgeBand(
    {
      ageDays: members.ageDays ?? 400,
      surgeTickets: recent,
      surgeBaselineTickets: baseline,
      surgeMembers: members.now ?? 5,
      surgeBaselineMembers: members.before ?? 5,
    },
    settings,
  )
}

test('ticket surge: recent tickets against those expected at the baseline rate, up to 1.5× GOOD, up to 2.5× NORMAL', () => {
  // 30 in the 90 days before = 10 per 30 days, at the same active members: 15 is 1.5×.
  expect(surge(15, 30)).toEqual({
    band: 'GOOD',
    value: 1.5,
    detail: {
      kind: 'ratio',
      recent: 15,
      baseline: 30,
      expected: 10,
      days: 30,
      baselineDays: 90,
      minTickets: 4,
    },
  })
  expect(surge(16, 30)).toMatchObject({ band: 'NORMAL', value: 1.6 })
  expect(surge(25, 30)).toMatchObject({ band: 'NORMAL', value: 2.5 }) // exactly 2.5×
  expect(surge(26, 30)).toMatchObject({ band: 'BAD', value: 2.6 })
  // Fewer tickets than before is no surge.
  expect(surge(4, 30)).toMatchObject({ band: 'GOOD', value: 0.4, detail: { kind: 'ratio' } })
})

test('ticket surge: tickets are compared per active member, so growth in members is not a surge', () => {
  // 30 tickets from 5 members before: 2 per member per 30 days. Now 20 members: 40 expected, 40 filed.
  expect(surge(40, 30, { now: 20, before: 5 })).toMatchObject({
    band: 'GOOD',
    value: 1,
    detail: { kind: 'ratio', expected: 40 },
  })
  // The same 40 tickets from the same 5 members are 4× the usual.
  expect(surge(40, 30, { now: 5, before: 5 })).toMatchObject({ band: 'BAD', value: 4, detail: { expected: 10 } })
  // Fewer members now than then lowers what is expected.
  expect(surge(10, 30, { now: 2, before: 5 })).toMatchObject({ band: 'NORMAL', value: 2.5, detail: { expected: 4 } })
  // No member active in either window counts as one.
  expect(surge(6, 9, { now: 0, before: 0 })).toMatchObject({ value: 2, detail: { expected: 3 } })
})

test('ticket surge: few tickets, none at all, or a young account', () => {
  // Fewer than 4 recent tickets is GOOD whatever the multiple: 3 after none is not a surge.
  expect(surge(3, 0)).toEqual({
    band: 'GOOD',
    value: 3,
    detail: { kind: 'few', recent: 3, baseline: 0, expected: 1, days: 30, baselineDays: 90, minTickets: 4 },
  })
  // From 4 it is judged; with no baseline at least one ticket is expected.
  expect(surge(4, 0)).toMatchObject({ band: 'BAD', value: 4, detail: { kind: 'ratio', expected: 1 } })
  expect(surge(0, 30)).toMatchObject({ band: 'GOOD', value: 0, detail: { kind: 'few' } })
  // No ticket in either window from an account with active members is GOOD; from one where nobody was
  // active either, it says nothing (as for support load).
  expect(surge(0, 0)).toEqual({ band: 'GOOD', value: 0, detail: { kind: 'none', days: 30, baselineDays: 90 } })
  expect(surge(0, 0, { now: 0, before: 3 })).toMatchObject({ band: 'GOOD', detail: { kind: 'none' } })
  expect(surge(0, 0, { now: 2, before: 0 })).toMatchObject({ band: 'GOOD', detail: { kind: 'none' } })
  expect(surge(0, 0, { now: 0, before: 0 })).toEqual({
    band: null,
    value: null,
    detail: { kind: 'none', days: 30, baselineDays: 90 },
  })
  // Younger than the recent window and half the baseline (30 + 45 days): no baseline yet.
  expect(surge(20, 1, { ageDays: 74 })).toEqual({
    band: null,
    value: null,
    detail: { kind: 'young', days: 30, baselineDays: 90 },
  })
  expect(surge(20, 1, { ageDays: 75 })).toMatchObject({ band: 'BAD', detail: { kind: 'ratio' } })
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
  expect(npsOf([])).toBeNull()
  // Answers all given the same day weigh alike: the sentiment measure is the plain NPS then.
  for (const scores of [
    [10, 9, 5, 8],
    [0, 6, 7],
    [10, 10, 10, 8, 8, 8, 8, 8, 7, 7],
  ]) {
    expect(sentimentBand({ npsAnswers: answeredToday(...scores) }, settings).value).toBe(npsOf(scores))
  }
})

test('sentiment: NPS from any number of answers, GOOD from 30, NORMAL from 0; no answer is no data', () => {
  const sentiment = (...scores: number[]) => sentimentBand({ npsAnswers: answeredToday(...scores) }, settings)
  expect(sentiment(10, 9, 5, 8)).toEqual({
    band: 'NORMAL',
    value: 25,
    detail: {
      kind: 'nps',
      answers: 4,
      promoters: 2,
      detractors: 1,
      days: 180,
      recentAnswers: 4,
      recentDetractors: 1,
      detractorDays: 90,
      detractorSignal: false,
    },
  })
  // 3 promoters of 10, no detractor: exactly 30 → GOOD
  expect(sentiment(10, 10, 10, 8, 8, 8, 8, 8, 7, 7)).toMatchObject({ band: 'GOOD', value: 30 })
  expect(sentiment(9, 6, 8)).toMatchObject({ band: 'NORMAL', value: 0 }) // (1 − 1) / 3
  expect(sentiment(6, 7, 8)).toMatchObject({ band: 'BAD', value: -33 })
  // A single answer is enough (its weight in the score is what is small, see measureWeight).
  expect(sentiment(10)).toMatchObject({ band: 'GOOD', value: 100, detail: { answers: 1 } })
  expect(sentiment()).toEqual({ band: null, value: null, detail: { kind: 'none', days: 180 } })
})

test('sentiment: each answer weighs half as much every 60 days, and answers from 180 days on are left out', () => {
  const nps = (npsAnswers: NpsAnswer[]) => sentimentBand({ npsAnswers }, settings)
  // An old detractor weighs less than a new promoter: 1 against 0.5 ^ (120 ÷ 60) = 0.25,
  // (1 − 0.25) ÷ 1.25 = 60, where the plain NPS would be 0.
  expect(
    nps([
      { score: 10, ageDays: 0 },
      { score: 2, ageDays: 120 },
    ]),
  ).toMatchObject({ band: 'GOOD', value: 60, detail: { answers: 2, promoters: 1, detractors: 1 } })
  // And the other way round: a new detractor outweighs an old promoter.
  expect(
    nps([
      { score: 10, ageDays: 120 },
      { score: 2, ageDays: 0 },
    ]),
  ).toMatchObject({ band: 'BAD', value: -60 })
  // Equal ages weigh alike, whatever the age.
  expect(
    nps([
      { score: 10, ageDays: 100 },
      { score: 2, ageDays: 100 },
    ]),
  ).toMatchObject({ band: 'NORMAL', value: 0 })
  // One half-life: 1 against 0.5 → (1 − 0.5) ÷ 1.5 = 33.3 → 33.
  expect(
    nps([
      { score: 9, ageDays: 0 },
      { score: 0, ageDays: 60 },
    ]).value,
  ).toBe(33)
  // Day 179 is in the window, day 180 out.
  expect(nps([{ score: 0, ageDays: 179 }])).toMatchObject({ band: 'BAD', value: -100 })
  expect(
    nps([
      { score: 0, ageDays: 180 },
      { score: 10, ageDays: 5 },
    ]),
  ).toMatchObject({ band: 'GOOD', value: 100, detail: { answers: 1, detractors: 0 } })
  expect(nps([{ score: 0, ageDays: 180 }])).toMatchObject({ band: null, detail: { kind: 'none' } })
})

test('the detractor signal: at least 2 answers of 0–6 in the last 90 days, at least half of the answers then', () => {
  const signal = (npsAnswers: NpsAnswer[], change: Partial<HealthSettings['sentiment']> = {}) => {
    const result = sentimentBand({ npsAnswers }, withHealth({ sentiment: { ...settings.health.sentiment, ...change } }))
    return result.detail.kind === 'nps'
      ? [result.detail.recentDetractors, result.detail.recentAnswers, result.detail.detractorSignal]
      : null
  }
  const at = (ageDays: number, ...scores: number[]) => scores.map((score) => ({ score, ageDays }))
  // Two detractors of four: exactly half.
  expect(signal(at(10, 0, 6, 9, 10))).toEqual([2, 4, true])
  // One detractor is not a signal, even alone.
  expect(signal(at(10, 3))).toEqual([1, 1, false])
  // Two of five: less than half.
  expect(signal(at(10, 0, 6, 9, 10, 8))).toEqual([2, 5, false])
  // 7 is passive, not a detractor.
  expect(signal(at(10, 6, 7))).toEqual([1, 2, false])
  // Only the last 90 days count: day 89 is in, day 90 out (it still counts in the NPS).
  expect(signal([...at(89, 2), ...at(5, 4)])).toEqual([2, 2, true])
  expect(signal([...at(90, 2), ...at(5, 4)])).toEqual([1, 1, false])
  // Promoters older than 90 days do not dilute the recent detractors.
  expect(signal([...at(5, 1, 2), ...at(100, 10, 10, 10)])).toEqual([2, 2, true])
  // The minimum and the share are settings: one detractor of three at a third.
  expect(signal(at(10, 0, 9, 9), { detractorMin: 1, detractorShare: 1 / 3 })).toEqual([1, 3, true])
  expect(signal(at(10, 0, 9, 9), { detractorMin: 1, detractorShare: 0.34 })).toEqual([1, 3, false])
})

test('measure weights: events by tier, sentiment by answers up to 3, onboarding and own-past comparisons only while they apply', () => {
  const health = settings.health
  const outcome = (input: AccountHealthInput, measure: MeasureOutcome['measure']) =>
    measureOutcomes(input, context(), settings).find((o) => o.measure === measure)!
  const sentimentWeight = (count: number) =>
    measureWeight(
      outcome(account({ npsAnswers: answeredToday(...Array(count).fill(10)) }), 'sentiment'),
      'high',
      health,
    )
  // No answer: the full weight, without data (coverage falls); then a third per answer up to three.
  expect(sentimentWeight(0)).toBe(2)
  expect(sentimentWeight(1)).toBe(0.67)
  expect(sentimentWeight(2)).toBe(1.33)
  expect(sentimentWeight(3)).toBe(2)
  expect(sentimentWeight(10)).toBe(2)
  // Answers from 180 days on are not answers.
  expect(
    measureWeight(outcome(account({ npsAnswers: [{ score: 9, ageDays: 200 }] }), 'sentiment'), 'high', health),
  ).toBe(2)
  const events = outcome(account(), 'events')
  expect([measureWeight(events, 'high', health), measureWeight(events, 'low', health)]).toEqual([1, 2])
  expect(measureWeight(events, 'tech', health)).toBe(1.5)
  expect(measureWeight(outcome(account({ ageDays: 400 }), 'onboarding'), 'high', health)).toBe(0)
  expect(measureWeight(outcome(account({ ageDays: 30 }), 'onboarding'), 'high', health)).toBe(2)
  // The comparisons with the account's own past do not apply before it has one (88 and 75 days).
  expect(measureWeight(outcome(account({ ageDays: 87 }), 'breadthChange'), 'high', health)).toBe(0)
  expect(measureWeight(outcome(account({ ageDays: 88 }), 'breadthChange'), 'high', health)).toBe(2)
  expect(measureWeight(outcome(account({ ageDays: 74 }), 'ticketSurge'), 'high', health)).toBe(0)
  expect(measureWeight(outcome(account({ ageDays: 75 }), 'ticketSurge'), 'high', health)).toBe(1.5)
  // Too few members then is data missing, not a measure that does not apply: it keeps its weight.
  expect(measureWeight(outcome(account({ activeMembersBefore: 2 }), 'breadthChange'), 'high', health)).toBe(2)
  expect(measureWeight(outcome(account(), 'champions'), 'high', health)).toBe(2)
})

/** The onboarding measure of a 40-seat account `ageDays` old. */
function onboarding(ageDays: number, milestones: Partial<AccountHealthInput> = {}) {
  return onboardingBand(
    {
      ageDays,
      seats: 40,
      firstDaysActivity: 5,
      membersJoined: 0,
      onboardingActiveDays: 0,
      onboardingContributed: false,
      ...milestones,
    },
    settings,
  )
}

test('onboarding: three milestones in the first 45 days; before then two are GOOD, after all three are', () => {
  // 20% of 40 seats = 8 members, 5 days with activity, a first question, answer or event.
  const all = { membersJoined: 8, onboardingActiveDays: 5, onboardingContributed: true }
  const two = { membersJoined: 8, onboardingActiveDays: 5, onboardingContributed: false }
  const one = { membersJoined: 7, onboardingActiveDays: 5, onboardingContributed: false }
  expect(onboarding(45, all)).toEqual({
    band: 'GOOD',
    value: 3,
    detail: {
      kind: 'milestones',
      ageDays: 45,
      activity: 5,
      firstDays: 14,
      youngerThanDays: 90,
      milestoneDays: 45,
      due: true,
      membersJoined: 8,
      membersNeeded: 8,
      activeDays: 5,
      activeDaysNeeded: 5,
      contributed: true,
      met: 3,
    },
  })
  // Due from day 45: three GOOD, two NORMAL, fewer BAD.
  expect(onboarding(45, two)).toMatchObject({ band: 'NORMAL', value: 2, detail: { due: true } })
  expect(onboarding(45, one)).toMatchObject({ band: 'BAD', value: 1, detail: { due: true } })
  expect(onboarding(89, {})).toMatchObject({ band: 'BAD', value: 0, detail: { kind: 'milestones', met: 0 } })
  // Before day 45 there is still time: two already is GOOD, fewer NORMAL, never BAD.
  expect(onboarding(44, all)).toMatchObject({ band: 'GOOD', value: 3, detail: { due: false } })
  expect(onboarding(44, two)).toMatchObject({ band: 'GOOD', value: 2, detail: { due: false } })
  expect(onboarding(44, one)).toMatchObject({ band: 'NORMAL', value: 1 })
  expect(onboarding(20, {})).toMatchObject({ band: 'NORMAL', value: 0 })
  // Each milestone at its edge.
  expect(onboarding(45, { ...all, onboardingActiveDays: 4 })).toMatchObject({ value: 2 })
  expect(onboarding(45, { ...all, membersJoined: 7 })).toMatchObject({ value: 2 })
})

test('onboarding: members needed are 20% of the seats, rounded up, and at least 2', () => {
  const needed = (seats: number | null) =>
    onboardingBand(
      {
        ageDays: 30,
        seats,
        firstDaysActivity: 1,
        membersJoined: 0,
        onboardingActiveDays: 0,
        onboardingContributed: false,
      },
      settings,
    ).detail.membersNeeded
  expect(needed(40)).toBe(8)
  expect(needed(41)).toBe(9) // 8.2 → 9
  expect(needed(25)).toBe(5) // exactly 5, not 6 from floating-point noise
  expect(needed(5)).toBe(2) // 1 → at least 2
  expect(needed(null)).toBe(2)
  expect(needed(0)).toBe(2)
})

test('onboarding: no activity in the first 14 days is BAD; before day 14 it is too early; from day 90 it does not apply', () => {
  const silent = { firstDaysActivity: 0, membersJoined: 8, onboardingActiveDays: 0, onboardingContributed: false }
  // Silent is BAD with no value: the value is the milestones met, and 0 met is another story (below).
  expect(onboarding(14, silent)).toMatchObject({ band: 'BAD', value: null, detail: { kind: 'silent' } })
  expect(onboarding(89, silent)).toMatchObject({ band: 'BAD', detail: { kind: 'silent' } })
  expect(onboarding(13, silent)).toMatchObject({ band: null, value: null, detail: { kind: 'too_early' } })
  // Active already before day 14: judged on the milestones so far.
  expect(onboarding(5, { firstDaysActivity: 2 })).toMatchObject({ band: 'NORMAL', detail: { kind: 'milestones' } })
  expect(onboarding(90, silent)).toMatchObject({ band: null, value: null, detail: { kind: 'not_applicable' } })
  expect(onboarding(400, { firstDaysActivity: 3 })).toMatchObject({ band: null, detail: { kind: 'not_applicable' } })
})

test('the overall level: GOOD from 75, NORMAL from 50, and never a band below half coverage', () => {
  expect(healthLevelFor(75, 1, settings)).toBe('GOOD')
  expect(healthLevelFor(74.9, 1, settings)).toBe('NORMAL')
  expect(healthLevelFor(50, 0.5, settings)).toBe('NORMAL')
  expect(healthLevelFor(49.9, 1, settings)).toBe('BAD')
  expect(healthLevelFor(100, 0.49, settings)).toBe('INSUFFICIENT_DATA')
  expect(healthLevelFor(null, 1, settings)).toBe('INSUFFICIENT_DATA')
})

test('hysteresis: a held level is kept until the score passes its boundary by 5 points', () => {
  const level = (score: number | null, held: HealthLevel | null, coverage = 1) =>
    levelWithHysteresis(score, coverage, held, settings)
  // GOOD (from 75) is kept down to 70 and left below it.
  expect(level(70, 'GOOD')).toBe('GOOD')
  expect(level(69.9, 'GOOD')).toBe('NORMAL')
  expect(level(40, 'GOOD')).toBe('BAD')
  // NORMAL (50 to 75) is kept from 45 up to just below 80.
  expect(level(79.9, 'NORMAL')).toBe('NORMAL')
  expect(level(80, 'NORMAL')).toBe('GOOD')
  expect(level(45, 'NORMAL')).toBe('NORMAL')
  expect(level(44.9, 'NORMAL')).toBe('BAD')
  // BAD (below 50) is kept up to just below 55.
  expect(level(54.9, 'BAD')).toBe('BAD')
  expect(level(55, 'BAD')).toBe('NORMAL')
  expect(level(90, 'BAD')).toBe('GOOD')
  // Nothing held, or insufficient data held: the plain bands.
  expect(level(74.9, null)).toBe('NORMAL')
  expect(level(75, null)).toBe('GOOD')
  expect(level(72, 'INSUFFICIENT_DATA')).toBe('NORMAL')
  // Too little coverage or no score is insufficient data whatever was held.
  expect(level(100, 'GOOD', 0.49)).toBe('INSUFFICIENT_DATA')
  expect(level(null, 'BAD')).toBe('INSUFFICIENT_DATA')
  // The margin is a setting: 0 is the plain bands.
  const none = withHealth({ overall: { ...settings.health.overall, margin: 0 } })
  expect(levelWithHysteresis(74.9, 1, 'GOOD', none)).toBe('NORMAL')
  expect(levelWithHysteresis(50, 1, 'BAD', none)).toBe('NORMAL')
})

/** A run of daily snapshots from 2026-03-01, each settling the day's candidate against the one before. */
function settleRun(candidates: readonly (HealthLevel | [HealthLevel, 'immediate'])[], start: PreviousLevel | null) {
  const results: ReturnType<typeof settleLevel>[] = []
  let previous = start
  candidates.forEach((entry, index) => {
    const [candidate, immediate] = Array.isArray(entry) ? [entry[0], true] : [entry, false]
    const day = `2026-03-${String(index + 1).padStart(2, '0')}`
    const result = settleLevel(candidate, { day, previous, immediate }, settings)
    results.push(result)
    previous = { day, ...result }
  })
  return results
}

/** A level shown since 2026-02-01, called for by the measures since then too. */
function heldSince(level: HealthLevel): PreviousLevel {
  return { day: '2026-02-28', level, levelSince: '2026-02-01', candidate: level, candidateSince: '2026-02-01' }
}

test('settling: without a previous snapshot the candidate is the level', () => {
  expect(settleLevel('NORMAL', { day: '2026-03-01', previous: null, immediate: false }, settings)).toEqual({
    level: 'NORMAL',
    levelSince: '2026-03-01',
    candidate: 'NORMAL',
    candidateSince: '2026-03-01',
    pending: null,
  })
})

test('settling: a dip of fewer than 7 days never changes the level, nor the day its run began', () => {
  const run = settleRun(['NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'NORMAL', 'GOOD'], heldSince('GOOD'))
  expect(run.map((day) => day.level)).toEqual(['GOOD', 'GOOD', 'GOOD', 'GOOD', 'GOOD', 'GOOD', 'GOOD'])
  expect(run.every((day) => day.levelSince === '2026-02-01')).toBe(true)
  expect(run[0]).toEqual({
    level: 'GOOD',
    levelSince: '2026-02-01',
    candidate: 'NORMAL',
    candidateSince: '2026-03-01',
    pending: { level: 'NORMAL', days: 1, needed: 7 },
  })
  expect(run[5]!.pending).toEqual({ level: 'NORMAL', days: 6, needed: 7 })
  expect(run[6]).toEqual({
    level: 'GOOD',
    levelSince: '2026-02-01',
    candidate: 'GOOD',
    candidateSince: '2026-03-07',
    pending: null,
  })
})

test('settling: a move held for 7 days is taken on the 7th day, which starts the new run', () => {
  const run = settleRun(['BAD', 'BAD', 'BAD', 'BAD', 'BAD', 'BAD', 'BAD', 'BAD'], heldSince('NORMAL'))
  expect(run.map((day) => day.level)).toEqual([
    'NORMAL',
    'NORMAL',
    'NORMAL',
    'NORMAL',
    'NORMAL',
    'NORMAL',
    'BAD',
    'BAD',
  ])
  expect(run.map((day) => day.pending?.days ?? null)).toEqual([1, 2, 3, 4, 5, 6, null, null])
  expect(run[6]).toEqual({
    level: 'BAD',
    levelSince: '2026-03-07',
    candidate: 'BAD',
    candidateSince: '2026-03-01',
    pending: null,
  })
  // The run then holds its first day.
  expect(run[7]).toMatchObject({ level: 'BAD', levelSince: '2026-03-07' })
})

test('settling: the days are counted from the first snapshot that called for the level, gaps included', () => {
  const first = settleLevel('GOOD', { day: '2026-03-01', previous: heldSince('NORMAL'), immediate: false }, settings)
  // No snapshot for five days (the job did not run): the sixth day after the first is the 7th day.
  const seventh = settleLevel(
    'GOOD',
    { day: '2026-03-07', previous: { day: '2026-03-01', ...first }, immediate: false },
    settings,
  )
  expect(seventh).toMatchObject({ level: 'GOOD', levelSince: '2026-03-07', pending: null })
  const sixth = settleLevel(
    'GOOD',
    { day: '2026-03-06', previous: { day: '2026-03-01', ...first }, immediate: false },
    settings,
  )
  expect(sixth).toMatchObject({ level: 'NORMAL', pending: { level: 'GOOD', days: 6, needed: 7 } })
})

test('settling: a move keeps its start while it heads the same way, though the candidate changes', () => {
  // Down from GOOD: NORMAL for three days, then BAD. The move down has been held four days, not one,
  // and a jump across two bands needs only half the days (4 of 7): it is taken that very day.
  const down = settleRun(['NORMAL', 'NORMAL', 'NORMAL', 'BAD', 'BAD', 'BAD'], heldSince('GOOD'))
  expect(down[2]).toEqual({
    level: 'GOOD',
    levelSince: '2026-02-01',
    candidate: 'NORMAL',
    candidateSince: '2026-03-01',
    pending: { level: 'NORMAL', days: 3, needed: 7 },
  })
  expect(down.map((day) => day.pending?.days ?? null)).toEqual([1, 2, 3, null, null, null])
  expect(down.map((day) => day.level)).toEqual(['GOOD', 'GOOD', 'GOOD', 'BAD', 'BAD', 'BAD'])
  expect(down[3]).toEqual({
    level: 'BAD',
    levelSince: '2026-03-04',
    candidate: 'BAD',
    candidateSince: '2026-03-01',
    pending: null,
  })
  // Up from BAD alike: NORMAL, then GOOD; the GOOD day counts the move from its first NORMAL day.
  const up = settleRun(['NORMAL', 'NORMAL', 'GOOD', 'GOOD', 'GOOD'], heldSince('BAD'))
  expect(up[2]).toMatchObject({ candidateSince: '2026-03-01', pending: { level: 'GOOD', days: 3, needed: 4 } })
  expect(up.map((day) => day.level)).toEqual(['BAD', 'BAD', 'BAD', 'GOOD', 'GOOD'])
  // Adjacent all the way (NORMAL held, BAD called for), the start is kept and the full 7 days are needed.
  const adjacent = settleRun(['BAD', 'BAD', 'BAD', 'BAD', 'BAD', 'BAD', 'BAD'], heldSince('NORMAL'))
  expect(adjacent.map((day) => day.pending?.needed ?? null)).toEqual([7, 7, 7, 7, 7, 7, null])
})

test('settling: a jump across two bands is confirmed in half the days, rounded up; an adjacent move in all', () => {
  // confirmDays 7: GOOD to BAD, or BAD to GOOD, in 4 days.
  for (const [from, to] of [
    ['GOOD', 'BAD'],
    ['BAD', 'GOOD'],
  ] as const) {
    const run = settleRun(Array(5).fill(to), heldSince(from))
    expect(run.map((day) => day.level)).toEqual([from, from, from, to, to])
    expect(run[0]!.pending).toEqual({ level: to, days: 1, needed: 4 })
    expect(run[3]).toEqual({
      level: to,
      levelSince: '2026-03-04',
      candidate: to,
      candidateSince: '2026-03-01',
      pending: null,
    })
  }
  // Moves to the next band, either way, are adjacent: all 7 days.
  for (const [from, to] of [
    ['GOOD', 'NORMAL'],
    ['NORMAL', 'GOOD'],
    ['BAD', 'NORMAL'],
  ] as const) {
    const run = settleRun(Array(7).fill(to), heldSince(from))
    expect(run.map((day) => day.level)).toEqual([...Array(6).fill(from), to])
    expect(run[0]!.pending).toEqual({ level: to, days: 1, needed: 7 })
  }
  // The default 14 days: a jump in 7; an odd count rounds up (5 days: 3).
  const fourteen = withHealth({ overall: { ...settings.health.overall, confirmDays: 14 } })
  const jump = (scoring: ScoringSettings, held: number) =>
    settleLevel(
      'BAD',
      {
        day: `2026-03-${String(held).padStart(2, '0')}`,
        previous: { ...heldSince('GOOD'), day: '2026-02-28', candidate: 'BAD', candidateSince: '2026-03-01' },
        immediate: false,
      },
      scoring,
    )
  expect(jump(fourteen, 6)).toMatchObject({ level: 'GOOD', pending: { level: 'BAD', days: 6, needed: 7 } })
  expect(jump(fourteen, 7)).toMatchObject({ level: 'BAD', levelSince: '2026-03-07', pending: null })
  const five = withHealth({ overall: { ...settings.health.overall, confirmDays: 5 } })
  expect(jump(five, 2)).toMatchObject({ level: 'GOOD', pending: { level: 'BAD', days: 2, needed: 3 } })
  expect(jump(five, 3)).toMatchObject({ level: 'BAD', pending: null })
})

test('settling: a candidate that turns the other way starts its count again', () => {
  // Held NORMAL: BAD for three days, then GOOD. Below, then above the level: a new move from its first day.
  const run = settleRun(
    ['BAD', 'BAD', 'BAD', 'GOOD', 'GOOD', 'GOOD', 'GOOD', 'GOOD', 'GOOD', 'GOOD'],
    heldSince('NORMAL'),
  )
  expect(run[3]).toEqual({
    level: 'NORMAL',
    levelSince: '2026-02-01',
    candidate: 'GOOD',
    candidateSince: '2026-03-04',
    pending: { level: 'GOOD', days: 1, needed: 7 },
  })
  expect(run.map((day) => day.pending?.days ?? null)).toEqual([1, 2, 3, 1, 2, 3, 4, 5, 6, null])
  expect(run.map((day) => day.level)).toEqual([...Array(9).fill('NORMAL'), 'GOOD'])
  expect(run[9]).toMatchObject({ level: 'GOOD', levelSince: '2026-03-10', candidateSince: '2026-03-04' })
})

test('settling: a hard risk, and moves to or from insufficient data, take effect at once', () => {
  expect(settleRun([['BAD', 'immediate']], heldSince('GOOD'))[0]).toEqual({
    level: 'BAD',
    levelSince: '2026-03-01',
    candidate: 'BAD',
    candidateSince: '2026-03-01',
    pending: null,
  })
  expect(settleRun(['INSUFFICIENT_DATA'], heldSince('GOOD'))[0]).toMatchObject({
    level: 'INSUFFICIENT_DATA',
    levelSince: '2026-03-01',
    pending: null,
  })
  expect(settleRun(['NORMAL'], heldSince('INSUFFICIENT_DATA'))[0]).toMatchObject({
    level: 'NORMAL',
    levelSince: '2026-03-01',
    pending: null,
  })
  // Confirming in one day is no confirming.
  const oneDay = withHealth({ overall: { ...settings.health.overall, confirmDays: 1 } })
  expect(
    settleLevel('BAD', { day: '2026-03-01', previous: heldSince('GOOD'), immediate: false }, oneDay),
  ).toMatchObject({ level: 'BAD', pending: null })
})

test('hard risks: silence, then a lost champion, then detractors, each with the level it caps', () => {
  const outcomes = (input: AccountHealthInput) => measureOutcomes(input, context(), settings)
  const risk = (input: AccountHealthInput, scoring = settings) => hardRiskOf(input, outcomes(input), scoring)
  expect(risk(account())).toBeNull()
  expect(risk(account({ daysSinceLastActivity: 29 }))).toBeNull()
  expect(risk(account({ daysSinceLastActivity: 30 }))).toEqual({ risk: 'silent', cap: 'BAD' })
  expect(risk(account({ daysSinceLastActivity: null }))).toBeNull()
  // Champion loss is a hard risk when the measure is BAD (50% of the contributions), not NORMAL.
  const lostHalf = account({ keyContributors: [{ name: 'Aiko', points: 30, silentDays: 28 }] })
  expect(risk(lostHalf)).toEqual({ risk: 'champion_lost', cap: 'BAD' })
  const lostThird = account({ keyContributors: [{ name: 'Aiko', points: 20, silentDays: 28 }] })
  expect(risk(lostThird)).toBeNull()
  // The detractor signal caps at the configured level.
  const detractors = account({ npsAnswers: answeredToday(2, 5, 10) })
  expect(risk(detractors)).toEqual({ risk: 'detractors', cap: 'BAD' })
  const normalCap = withHealth({ sentiment: { ...settings.health.sentiment, detractorCap: 'NORMAL' } })
  expect(risk(detractors, normalCap)).toEqual({ risk: 'detractors', cap: 'NORMAL' })
  // The first that applies, in that order.
  const all = { ...lostHalf, npsAnswers: answeredToday(2, 5, 10) }
  expect(risk(all)?.risk).toBe('champion_lost')
  expect(risk({ ...all, daysSinceLastActivity: 30 })?.risk).toBe('silent')
})

test('account health: the weighted mean of the bands of the measures with data', () => {
  const health = accountHealth(account(), context(), settings, { day: '2026-03-10' })
  // engagement NORMAL 60 ×3, trend BAD 0 ×1.5, breadth NORMAL 60 ×2, breadth change NORMAL 60 ×2,
  // champions GOOD 100 ×2, support load NORMAL 60 ×1, ticket surge GOOD (few) 100 ×1.5,
  // self-service NORMAL 60 ×1, events NORMAL 60 ×1 (high touch ×1), sentiment NORMAL 60 ×2 (4 answers);
  // onboarding does not apply at 400 days (weight 0).
  // (180 + 0 + 120 + 120 + 200 + 60 + 150 + 60 + 60 + 120) / 17 = 1070 / 17 = 62.94… → 62.9 → NORMAL
  expect(health.score).toBe(62.9)
  expect(health).toMatchObject({
    level: 'NORMAL',
    levelSince: '2026-03-10',
    candidate: 'NORMAL',
    candidateSince: '2026-03-10',
    pending: null,
    coverage: 1,
    hardRisk: null,
    hardRiskReason: null,
  })
  expect(table(health.components)).toEqual([
    ['engagement', 'NORMAL', 50, 3],
    ['trend', 'BAD', -45, 1.5],
    ['breadth', 'NORMAL', 23, 2],
    ['breadthChange', 'NORMAL', -25, 2],
    ['champions', 'GOOD', 0, 2],
    ['supportLoad', 'NORMAL', 1.5, 1],
    ['ticketSurge', 'GOOD', 1, 1.5],
    ['selfService', 'NORMAL', 25, 1],
    ['events', 'NORMAL', 1, 1],
    ['sentiment', 'NORMAL', 25, 2],
    ['onboarding', null, null, 0],
  ])
  expect(health.components.map((c) => c.score)).toEqual([60, 0, 60, 60, 100, 60, 100, 60, 60, 60, null])
  expect(health.components[1]!.reason.en).toBe(
    "Activity fell 45% against the previous 28 days (20 → 11 points; holidays and each span's quietest week not counted)",
  )
  expect(health.summary.en).toBe('NORMAL: activity fell 45%; engagement at the 50th percentile; breadth 23%')
  // Deterministic.
  expect(accountHealth(account(), context(), settings, { day: '2026-03-10' })).toEqual(health)
})

test('account health: events weigh more for low-touch accounts; a young account counts onboarding', () => {
  const low: HealthContext = {
    engagementPerSeat: { high: [], low: [1.25, 2.5, 10], tech: [] },
    ticketsPerMemberMedian: { high: null, low: 0.6, tech: null },
  }
  const health = accountHealth(
    account({
      tier: 'low',
      ageDays: 60,
      firstDaysActivity: 0,
      eventsAttended: 3,
      activityWeeks: [6, 7, 7, 5, 6, 7, 7, 5],
    }),
    low,
    settings,
  )
  expect(table(health.components)).toEqual([
    ['engagement', 'NORMAL', 50, 3],
    ['trend', 'GOOD', 0, 1.5],
    ['breadth', 'NORMAL', 23, 2],
    ['breadthChange', null, null, 0], // 60 days old: too young to compare, so it does not apply
    ['champions', 'GOOD', 0, 2],
    ['supportLoad', 'NORMAL', 1.5, 1],
    ['ticketSurge', null, null, 0], // younger than 75 days: does not apply either
    ['selfService', 'NORMAL', 25, 1],
    ['events', 'GOOD', 3, 2], // 1 × 2
    ['sentiment', 'NORMAL', 25, 2],
    ['onboarding', 'BAD', null, 2], // silent in its first 14 days
  ])
  // 180 + 150 + 120 + 200 + 60 + 60 + 200 + 120 + 0 = 1090 over 3 + 1.5 + 2 + 2 + 1 + 1 + 2 + 2 + 2 = 16.5
  // → 66.06… → 66.1; the measures too young to apply lower no coverage.
  expect(health.score).toBe(66.1)
  expect(health.coverage).toBe(1)
  expect(health.level).toBe('NORMAL')
})

test('account health: an account in its first 14 days is not judged yet, whatever its measures say', () => {
  const fresh = account({
    ageDays: 3,
    engagementPoints: 0,
    activityWeeks: [],
    activeMembers: 0,
    activeMembersBefore: 0,
    contributionPoints: 0,
    keyContributors: [],
    othersActive: false,
    tickets: 3,
    deflections: 0,
    supportMembers: 0,
    surgeTickets: 3,
    surgeBaselineTickets: 0,
    surgeMembers: 0,
    surgeBaselineMembers: 0,
    eventsAttended: 0,
    npsAnswers: answeredToday(7, 7, 7),
    firstDaysActivity: 0,
    daysSinceLastActivity: null,
  })
  const health = accountHealth(fresh, context(), settings)
  // Its measures alone would make it BAD: no points, 0% breadth, no events, 3 tickets and no deflection
  // (all BAD), NPS 0 (NORMAL): 120 over 10 of the 15.5 weight that applies (0.65) = 12.
  expect(health).toMatchObject({ score: 12, coverage: 0.65, level: 'INSUFFICIENT_DATA', hardRisk: null })
  expect(health.summary).toEqual({
    en: 'Insufficient data: the account is 3 days old; it is judged after its first 14 days',
    ja: 'データ不足：開始から 3 日のアカウントです。最初の 14 日が過ぎてから判定します',
  })
  expect(accountHealth({ ...fresh, ageDays: 1 }, context(), settings).summary.en).toBe(
    'Insufficient data: the account is 1 day old; it is judged after its first 14 days',
  )
  // From day 14 it is judged like any other (silent in its first days: onboarding BAD too).
  expect(accountHealth({ ...fresh, ageDays: 14 }, context(), settings)).toMatchObject({ score: 10, level: 'BAD' })
})

test('coverage exactly at the minimum gives a level; just below it is insufficient data, never GOOD', () => {
  const even = withHealth({
    weights: {
      engagement: 2,
      trend: 1,
      breadth: 1,
      breadthChange: 0,
      champions: 0,
      supportLoad: 1,
      ticketSurge: 0,
      selfService: 1,
      events: 1,
      sentiment: 1,
      onboarding: 0,
    },
    eventsWeightByTier: { high: 1, low: 1, tech: 1 },
    sentiment: { ...settings.health.sentiment, fullWeightAnswers: 1 },
  })
  const noSeats = account({
    seats: null,
    activityWeeks: windows(20, 30),
    deflections: 4,
    tickets: 0,
    supportMembers: 0,
    eventsAttended: 3,
    npsAnswers: answeredToday(10, 10, 10),
  })
  // Present: trend, self-service, events, sentiment = 4 of 2 + 1 + 1 + 1 + 1 + 1 + 1 = 8 → 0.5
  // (no seats: no engagement or breadth; no ticket and no active member: no support load).
  const half = accountHealth(noSeats, context(), even)
  expect(half.coverage).toBe(0.5)
  expect(half.score).toBe(100)
  expect(half.level).toBe('GOOD')
  // Without survey answers: 3 of 8 = 0.375 → 0.38; every measure with data is GOOD, still no band.
  const below = accountHealth({ ...noSeats, npsAnswers: [] }, context(), even)
  expect(below.coverage).toBe(0.38)
  expect(below.score).toBe(100)
  expect(below.level).toBe('INSUFFICIENT_DATA')
  expect(below.summary.en).toBe('Insufficient data: measures with data carry 38% of the weight (50% needed)')
})

test('an account without any figure has no score, no coverage and insufficient data', () => {
  const nothing = account({
    seats: null,
    activityWeeks: [],
    activeMembers: 0,
    activeMembersBefore: 0,
    contributionPoints: 0,
    keyContributors: [],
    othersActive: false,
    tickets: 0,
    deflections: 0,
    supportMembers: 0,
    surgeTickets: 0,
    surgeBaselineTickets: 0,
    eventsAttended: 0,
    npsAnswers: [],
    daysSinceLastActivity: null,
  })
  // Only events (none attended: BAD) and the ticket surge (no ticket: GOOD) have data: 2.5 of 17 = 0.15.
  const health = accountHealth(nothing, context(), settings)
  expect(health).toMatchObject({ level: 'INSUFFICIENT_DATA', score: 60, coverage: 0.15, hardRisk: null })
  // With those weighing nothing, no measure has data at all.
  const none = accountHealth(
    nothing,
    context(),
    withHealth({
      eventsWeightByTier: { high: 0, low: 0, tech: 0 },
      weights: { ...settings.health.weights, ticketSurge: 0 },
    }),
  )
  expect(none).toMatchObject({ level: 'INSUFFICIENT_DATA', score: null, coverage: 0 })
  expect(none.components.every((c) => c.score === null || c.weight === 0)).toBe(true)
})

/** An account every measure calls GOOD. */
function goodAccount(overrides: Partial<AccountHealthInput> = {}): AccountHealthInput {
  return account({
    engagementPoints: 400,
    activityWeeks: [20, 20, 20, 20, 20, 20, 20, 20],
    activeMembers: 20,
    activeMembersBefore: 20,
    tickets: 2,
    supportMembers: 20,
    deflections: 4,
    eventsAttended: 3,
    npsAnswers: answeredToday(10, 10, 9),
    ...overrides,
  })
}

test('an account silent for 30 days (holidays not counted) after being active is BAD whatever its measures say', () => {
  const ctx = context()
  expect(accountHealth(goodAccount({ daysSinceLastActivity: 29 }), ctx, settings)).toMatchObject({
    level: 'GOOD',
    score: 100,
    hardRisk: null,
  })
  // The score is capped with the level (100 → 49.9), so a list sorted by score agrees with the levels.
  const silent = accountHealth(goodAccount({ daysSinceLastActivity: 30 }), ctx, settings)
  expect(silent).toMatchObject({ level: 'BAD', score: 49.9, hardRisk: 'silent' })
  expect(silent.hardRiskReason).toEqual({
    en: 'No activity for 30 days (holidays not counted) after being active: BAD whatever the other measures say',
    ja: 'これまで活動していたのに 30 日間（祝日・休暇期間を除く）活動がありません。ほかの指標にかかわらず要注意です',
  })
  expect(silent.summary.en).toMatch(/^BAD: no activity for 30 days/)
  // A hard risk outweighs insufficient data too; an account never active has none.
  const bare = account({
    seats: null,
    npsAnswers: [],
    tickets: 0,
    deflections: 0,
    supportMembers: 0,
    activityWeeks: [],
    contributionPoints: 0,
    keyContributors: [],
  })
  expect(accountHealth({ ...bare, daysSinceLastActivity: 45 }, ctx, settings).level).toBe('BAD')
  expect(accountHealth({ ...bare, daysSinceLastActivity: null }, ctx, settings).level).toBe('INSUFFICIENT_DATA')
})

test('account health: losing the members who carried the account is BAD at once, whatever the score', () => {
  const lost = goodAccount({
    contributionPoints: 100,
    keyContributors: [
      { name: 'Aiko', points: 40, silentDays: 30 },
      { name: 'Ken', points: 30, silentDays: 29 },
    ],
  })
  const previous = heldSince('GOOD')
  const health = accountHealth(lost, context(), settings, { day: '2026-03-01', previous })
  expect(health.components.find((c) => c.measure === 'champions')).toMatchObject({ band: 'BAD', value: 70 })
  // Every other measure is GOOD: 15 × 100 of 17 = 88.2, GOOD, capped at BAD without waiting, and the
  // score with it, below BAD's 50.
  expect(health).toMatchObject({
    score: 49.9,
    level: 'BAD',
    levelSince: '2026-03-01',
    candidate: 'BAD',
    pending: null,
    hardRisk: 'champion_lost',
  })
  expect(health.hardRiskReason?.en).toBe(
    "Aiko and Ken, who gave 70% of Acme's contributions in the 90 days before, have been silent for 4 weeks while others stay active (holidays not counted): BAD whatever the other measures say",
  )
  // The summary names them.
  expect(health.summary).toEqual({ en: 'BAD: Aiko and Ken silent', ja: '要注意：Aiko さん、Ken さんの活動が停止' })
})

test('account health: the detractor signal caps the level at BAD, or at NORMAL when so set, at once', () => {
  // Two of three recent answers from detractors; every other measure GOOD.
  const unhappy = goodAccount({ npsAnswers: answeredToday(2, 5, 10) })
  const previous = heldSince('GOOD')
  const bad = accountHealth(unhappy, context(), settings, { day: '2026-03-01', previous })
  expect(bad.components.find((c) => c.measure === 'sentiment')).toMatchObject({ band: 'BAD', value: -33 })
  // 15 × 100 + 2 × 0 over 17 = 88.2, capped, the score below BAD's 50.
  expect(bad).toMatchObject({ score: 49.9, level: 'BAD', pending: null, hardRisk: 'detractors' })
  expect(bad.hardRiskReason?.en).toBe(
    '2 of 3 survey answers in the last 90 days came from detractors (0–6): BAD at best',
  )
  const normalCap = withHealth({ sentiment: { ...settings.health.sentiment, detractorCap: 'NORMAL' } })
  const normal = accountHealth(unhappy, context(), normalCap, { day: '2026-03-01', previous })
  // Under a NORMAL cap the score stays below GOOD's 75.
  expect(normal).toMatchObject({
    score: 74.9,
    level: 'NORMAL',
    levelSince: '2026-03-01',
    pending: null,
    hardRisk: 'detractors',
  })
  expect(normal.hardRiskReason).toEqual({
    en: '2 of 3 survey answers in the last 90 days came from detractors (0–6): NORMAL at best',
    ja: '直近 90 日のアンケート 3 件のうち 2 件が批判者（0〜6）の回答です。判定は最も良くても普通です',
  })
  // A NORMAL cap leaves a BAD account BAD, and lifts insufficient data to NORMAL.
  const thin = goodAccount({
    npsAnswers: answeredToday(2, 5, 10),
    seats: null,
    activityWeeks: [],
    tickets: 0,
    deflections: 0,
    supportMembers: 0,
    eventsAttended: 0,
    activeMembersBefore: 0,
    contributionPoints: 0,
    surgeTickets: 0,
    surgeBaselineTickets: 0,
  })
  expect(accountHealth(thin, context(), settings)).toMatchObject({ hardRisk: 'detractors', level: 'BAD' })
  expect(accountHealth(thin, context(), normalCap)).toMatchObject({ hardRisk: 'detractors', level: 'NORMAL' })
  const poor = { ...unhappy, engagementPoints: 0, eventsAttended: 0, activeMembers: 0 }
  expect(accountHealth(poor, context(), normalCap)).toMatchObject({ hardRisk: 'detractors', level: 'BAD' })
})

test('account health: a hard risk caps the score with the level, just below the band it caps at', () => {
  // Every measure GOOD (100) but silent: under the BAD cap the score is just below NORMAL's boundary.
  const silent = goodAccount({ daysSinceLastActivity: 30 })
  expect(accountHealth(silent, context(), settings)).toMatchObject({ level: 'BAD', score: 49.9 })
  // The boundaries are the settings': NORMAL from 40 and GOOD from 80 give 39.9 and 79.9.
  const bounds = { ...settings.health.overall, goodFrom: 80, normalFrom: 40 }
  expect(accountHealth(silent, context(), withHealth({ overall: bounds }))).toMatchObject({ level: 'BAD', score: 39.9 })
  const unhappy = goodAccount({ npsAnswers: answeredToday(2, 5, 10) })
  const normalCap = (overall = settings.health.overall) =>
    withHealth({ overall, sentiment: { ...settings.health.sentiment, detractorCap: 'NORMAL' } })
  expect(accountHealth(unhappy, context(), normalCap())).toMatchObject({ level: 'NORMAL', score: 74.9 })
  expect(accountHealth(unhappy, context(), normalCap(bounds))).toMatchObject({ level: 'NORMAL', score: 79.9 })
  // A score already below the cap is left as it is, the weighted mean of the bands: a cap never raises it.
  const weak = { ...unhappy, engagementPoints: 0, eventsAttended: 0, activeMembers: 0 }
  const poor = accountHealth(weak, context(), normalCap())
  const counted = poor.components.filter((c) => c.score !== null)
  const mean = counted.reduce((sum, c) => sum + c.weight * c.score!, 0) / counted.reduce((sum, c) => sum + c.weight, 0)
  expect(poor).toMatchObject({ level: 'BAD', hardRisk: 'detractors', score: roundHalfAway(mean, 1) })
  expect(poor.score).toBeLessThan(50)
  // No hard risk, no cap: the same GOOD account scores 100.
  expect(accountHealth(goodAccount(), context(), settings)).toMatchObject({ level: 'GOOD', score: 100 })
})

test('account health: after a settings change (rejudge) the candidate is taken at once, hysteresis still kept', () => {
  // Held GOOD, the measures call for NORMAL (62.9): a pending move on an ordinary day...
  const previous = heldSince('GOOD')
  const ordinary = accountHealth(account(), context(), settings, { day: '2026-03-01', previous })
  expect(ordinary).toMatchObject({ level: 'GOOD', candidate: 'NORMAL', pending: { level: 'NORMAL', days: 1 } })
  // ...taken the same day when a manager's new rules are applied.
  const rejudged = accountHealth(account(), context(), settings, { day: '2026-03-01', previous, rejudge: true })
  expect(rejudged).toMatchObject({
    score: 62.9,
    level: 'NORMAL',
    levelSince: '2026-03-01',
    candidate: 'NORMAL',
    candidateSince: '2026-03-01',
    pending: null,
  })
  expect(rejudged.summary.en).toMatch(/^NORMAL: /)
  // Within the margin of the held level (73.5, held GOOD) nothing moves: rejudging is not forgetting.
  const close = goodAccount({ engagementPoints: 50, activityWeeks: [10, 10, 10, 10, 20, 20, 20, 20] })
  expect(accountHealth(close, context(), settings, { day: '2026-03-01', previous, rejudge: true })).toMatchObject({
    score: 73.5,
    level: 'GOOD',
    levelSince: '2026-02-01',
    pending: null,
  })
})

test('account health: a hard risk lowers the level at once, but never raises it without confirmation', () => {
  // BAD until now; the measures call for GOOD, a NORMAL cap makes that NORMAL: a rise like any other.
  const normalCap = withHealth({ sentiment: { ...settings.health.sentiment, detractorCap: 'NORMAL' } })
  const unhappy = goodAccount({ npsAnswers: answeredToday(2, 5, 10) })
  const health = accountHealth(unhappy, context(), normalCap, { day: '2026-03-01', previous: heldSince('BAD') })
  expect(health).toMatchObject({
    level: 'BAD',
    levelSince: '2026-02-01',
    candidate: 'NORMAL',
    pending: { level: 'NORMAL', days: 1, needed: 7 },
    hardRisk: 'detractors',
  })
})

test('account health: the level follows the measures after hysteresis and confirmation', () => {
  // A score of 62.9 holds NORMAL; held GOOD it is below 70, so GOOD is left, but only after 7 days.
  const day1 = accountHealth(account(), context(), settings, { day: '2026-03-01', previous: heldSince('GOOD') })
  expect(day1).toMatchObject({
    score: 62.9,
    level: 'GOOD',
    levelSince: '2026-02-01',
    candidate: 'NORMAL',
    candidateSince: '2026-03-01',
    pending: { level: 'NORMAL', days: 1, needed: 7 },
  })
  // The summary tells the level shown, for how long, and where it is heading; on its way down, what pulls
  // it down (the weakest measures), not the strengths of the level it is leaving.
  expect(day1.summary).toEqual({
    en: 'GOOD for 29 days, moving to NORMAL (1 of 7 days): activity fell 45%; engagement at the 50th percentile; breadth 23%',
    ja: '良好（29 日間）、普通へ移行中（7 日のうち 1 日）：活動が 45% 減少、エンゲージメントは 50 パーセンタイル、利用の広がり 23%',
  })
  // Within the margin of a held GOOD (from 70), GOOD is what the measures call for: no pending move.
  // Engagement BAD (17th percentile) ×3 and trend BAD (−50%) ×1.5, the rest GOOD: 1250 / 17 = 73.5.
  const close = goodAccount({ engagementPoints: 50, activityWeeks: [10, 10, 10, 10, 20, 20, 20, 20] })
  expect(accountHealth(close, context(), settings, { day: '2026-03-01', previous: heldSince('GOOD') })).toMatchObject({
    score: 73.5,
    level: 'GOOD',
    levelSince: '2026-02-01',
    candidate: 'GOOD',
    pending: null,
  })
  // The same score without a held level, or held NORMAL, is NORMAL.
  expect(accountHealth(close, context(), settings).level).toBe('NORMAL')
  expect(accountHealth(close, context(), settings, { day: '2026-03-01', previous: heldSince('NORMAL') })).toMatchObject(
    { level: 'NORMAL', candidate: 'NORMAL', pending: null },
  )
})

test('account health: a young account that was active but missed its milestones is not summarised as silent', () => {
  const weights = { ...settings.health.weights, onboarding: 10 }
  const missed = account({
    ageDays: 60,
    firstDaysActivity: 4,
    membersJoined: 1,
    onboardingActiveDays: 2,
    onboardingContributed: false,
  })
  const health = accountHealth(missed, context(), withHealth({ weights }))
  expect(health.components.find((c) => c.measure === 'onboarding')).toMatchObject({ band: 'BAD', value: 0 })
  expect(health.summary.en).toContain('0 of 3 onboarding milestones')
  expect(health.summary.en).not.toContain('no activity in the first 14 days')
})
