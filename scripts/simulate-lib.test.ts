import { expect, test } from 'vitest'
import {
  churnAuc,
  churnModel,
  createRng,
  DAY_MS,
  dailyChurnProbability,
  deriveSeed,
  eventCalendar,
  formatLevelTable,
  type LatentSignals,
  latentSignals,
  levelTable,
  measureTable,
  midRanks,
  type ScoredSample,
  separationVerdict,
  simulateAccount,
} from './simulate-lib.ts'

function samples(churned: number[], stayed: number[]) {
  return [...churned.map((score) => ({ score, churned: true })), ...stayed.map((score) => ({ score, churned: false }))]
}

test('AUC on hand-worked examples: perfect, inverted, all tied, and undefined without both outcomes', () => {
  expect(churnAuc(samples([10, 20], [30, 40]))).toBe(1)
  expect(churnAuc(samples([30, 40], [10, 20]))).toBe(0)
  expect(churnAuc(samples([50, 50], [50]))).toBe(0.5)
  expect(churnAuc(samples([], [10, 20]))).toBeNull()
  expect(churnAuc(samples([10], []))).toBeNull()
})

test('AUC counts a tie between a churner and a stayer as half a pair', () => {
  // Churners 10 and 50 against stayers 50, 80, 30. Pairs (churner, stayer) where the stayer scores
  // higher: (10,50) (10,80) (10,30) (50,80) = 4; tied: (50,50) = ½; lower: (50,30) = 0. 4.5 of 6.
  expect(churnAuc(samples([10, 50], [50, 80, 30]))).toBe(0.75)
  // Three levels only, as a band score gives: churners 0, 60, 100; stayers 60, 100, 100.
  // Higher: (0,60) (0,100) (0,100) (60,100) (60,100) = 5; tied: (60,60) (100,100) (100,100) = 1.5. 6.5 of 9.
  expect(churnAuc(samples([0, 60, 100], [60, 100, 100]))).toBeCloseTo(6.5 / 9, 12)
})

test('mid-ranks share the mean rank of a tie', () => {
  expect(midRanks([3, 1, 3, 2])).toEqual([3.5, 1, 3.5, 2])
  expect(midRanks([7, 7, 7])).toEqual([2, 2, 2])
  expect(midRanks([])).toEqual([])
})

test('the rank AUC equals counting every pair, on random scores with many ties', () => {
  const rng = createRng(99)
  const data = Array.from({ length: 300 }, () => ({ score: rng.int(0, 20), churned: rng.chance(0.2) }))
  let favourable = 0
  let pairs = 0
  for (const churner of data.filter((d) => d.churned)) {
    for (const stayer of data.filter((d) => !d.churned)) {
      pairs += 1
      favourable += stayer.score > churner.score ? 1 : stayer.score === churner.score ? 0.5 : 0
    }
  }
  expect(churnAuc(data)).toBeCloseTo(favourable / pairs, 12)
})

test('the seeded generator repeats itself exactly, and different seeds differ', () => {
  const draw = (seed: number) => {
    const rng = createRng(seed)
    return Array.from({ length: 50 }, () => [rng.next(), rng.normal(), rng.poisson(3), rng.int(1, 6)])
  }
  expect(draw(42)).toEqual(draw(42))
  expect(draw(42)).not.toEqual(draw(43))
  // Pinned, so a change to the generator (which would change every simulation) is noticed.
  expect(createRng(1).next()).toBe(0.6270739405881613)

  const rng = createRng(7)
  const values = Array.from({ length: 10_000 }, () => rng.next())
  expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
  expect(Math.max(...values)).toBeLessThan(1)
  const dice = new Set(Array.from({ length: 1000 }, () => rng.int(1, 6)))
  expect([...dice].sort()).toEqual([1, 2, 3, 4, 5, 6])
  const mean = Array.from({ length: 20_000 }, () => rng.poisson(2.5)).reduce((a, b) => a + b, 0) / 20_000
  expect(mean).toBeCloseTo(2.5, 1)
})

test('derived seeds depend on every part and on both halves of a large seed', () => {
  expect(deriveSeed(1, 0)).not.toBe(deriveSeed(0, 1))
  expect(deriveSeed(1, 5)).not.toBe(deriveSeed(2 ** 32 + 1, 5))
  expect(deriveSeed(3, 4)).toBe(deriveSeed(3, 4))
})

const year = { seed: 20250101, start: Date.parse('2025-01-01T00:00:00Z'), days: 365 }

test('an account is simulated the same way every time, and its ledger stays inside its life', () => {
  const calendar = eventCalendar(year)
  for (const index of [0, 1, 2, 17, 123]) {
    const first = simulateAccount(index, year, calendar)
    expect(simulateAccount(index, year, calendar)).toEqual(first)
    const { account, activity, surveys } = first
    const begins = year.start + Math.max(0, account.startDay) * DAY_MS
    const ends = Math.min(account.churnedAt ?? Number.POSITIVE_INFINITY, year.start + year.days * DAY_MS)
    for (const row of [...activity, ...surveys]) {
      expect(row.at).toBeGreaterThanOrEqual(begins)
      expect(row.at).toBeLessThan(ends)
      expect(row.member).toBeLessThan(account.members.length)
    }
  }
  expect(simulateAccount(0, { ...year, seed: 1 }, calendar)).not.toEqual(simulateAccount(0, year, calendar))
})

test('churn grows more likely as engagement, breadth and self-service fall and tickets rise', () => {
  const healthy: LatentSignals = churnModel.reference
  const base = dailyChurnProbability(healthy)
  expect(dailyChurnProbability({ ...healthy, engagement: 0.05 })).toBeGreaterThan(base)
  expect(dailyChurnProbability({ ...healthy, breadth: 0.1 })).toBeGreaterThan(base)
  expect(dailyChurnProbability({ ...healthy, selfService: 0.2 })).toBeGreaterThan(base)
  expect(dailyChurnProbability({ ...healthy, ticketLoad: 0.5 })).toBeGreaterThan(base)
  // A typical healthy account churns a few percent a year, never zero: some churn no signal shows.
  const yearly = 1 - (1 - base) ** 365
  expect(yearly).toBeGreaterThan(0.02)
  expect(yearly).toBeLessThan(0.06)

  // Lower latent health worsens every signal, so churn rises as health falls.
  const rng = createRng(5)
  const traits = {
    seats: 40,
    members: Array.from({ length: 20 }, () => ({ propensity: rng.normal(0, 0.9), helpfulness: 1, joinDay: 0 })),
    activityOffset: 0,
    selfServeOffset: -0.2,
    ticketProneness: 1,
  }
  const [high, low] = [latentSignals(0.6, traits), latentSignals(-1, traits)]
  expect(low.engagement).toBeLessThan(high.engagement)
  expect(low.breadth).toBeLessThan(high.breadth)
  expect(low.selfService).toBeLessThan(high.selfService)
  expect(low.ticketLoad).toBeGreaterThan(high.ticketLoad)
  expect(dailyChurnProbability(low)).toBeGreaterThan(10 * dailyChurnProbability(high))
})

function sample(level: ScoredSample['level'], churned: boolean): ScoredSample {
  return { level, churned, score: null, tier: 'tech', hardRisk: null, components: [] }
}

test('the level table counts churners per level, and the verdict wants BAD at twice GOOD', () => {
  const rows = levelTable([
    ...Array.from({ length: 20 }, (_, i) => sample('GOOD', i < 1)),
    ...Array.from({ length: 10 }, (_, i) => sample('NORMAL', i < 1)),
    ...Array.from({ length: 10 }, (_, i) => sample('BAD', i < 4)),
  ])
  expect(rows).toEqual([
    { level: 'GOOD', accounts: 20, churned: 1, share: 0.05 },
    { level: 'NORMAL', accounts: 10, churned: 1, share: 0.1 },
    { level: 'BAD', accounts: 10, churned: 4, share: 0.4 },
    { level: 'INSUFFICIENT_DATA', accounts: 0, churned: 0, share: null },
  ])
  expect(separationVerdict(rows)).toMatchObject({ ok: true, ratio: 8 })
  expect(separationVerdict(rows).message).toBe(
    'OK: BAD accounts churned 8.0× as often as GOOD (40.0% against 5.0%; needs 2×).',
  )

  const close = levelTable([sample('GOOD', true), sample('GOOD', false), sample('BAD', true), sample('BAD', false)])
  expect(separationVerdict(close)).toMatchObject({ ok: false, ratio: 1 })
  expect(separationVerdict(levelTable([sample('GOOD', false), sample('BAD', true)]))).toEqual({
    ok: true,
    ratio: Number.POSITIVE_INFINITY,
    message: 'OK: BAD accounts churned (100.0%) and no GOOD account did (needs 2×).',
  })
  expect(separationVerdict(levelTable([sample('GOOD', false), sample('BAD', false)]))).toMatchObject({
    ok: false,
    ratio: null,
  })
  expect(separationVerdict(levelTable([sample('GOOD', false)]))).toMatchObject({ ok: false, ratio: null })

  expect(formatLevelTable(rows, 90)).toBe(
    [
      'level              accounts  churned in 90 days  share',
      '-----------------  --------  ------------------  -----',
      'GOOD                     20                   1   5.0%',
      'NORMAL                   10                   1  10.0%',
      'BAD                      10                   4  40.0%',
      'INSUFFICIENT_DATA         0                   0      –',
      '-----------------  --------  ------------------  -----',
      'all                      40                   6  15.0%',
    ].join('\n'),
  )
})

test('each measure is judged on the samples where it has data, and a lower support load is healthier', () => {
  const withMeasures = (churned: boolean, breadth: number | null, tickets: number): ScoredSample => ({
    level: 'NORMAL',
    score: 50,
    churned,
    tier: 'low',
    hardRisk: null,
    components: [
      { measure: 'breadth', score: breadth, value: breadth },
      { measure: 'supportLoad', score: 100, value: tickets },
    ],
  })
  const rows = measureTable(
    [withMeasures(true, 0, 0.9), withMeasures(false, 100, 0.1), withMeasures(false, null, 0.2)],
    ['breadth', 'supportLoad'],
  )
  expect(rows[0]).toEqual({
    measure: 'breadth',
    withData: 2,
    badChurn: 1,
    otherChurn: 0,
    bandAuc: 1,
    valueAuc: 1,
  })
  // All three have the same support-load band (no signal), but the raw tickets per seat separate them.
  expect(rows[1]).toMatchObject({ withData: 3, badChurn: null, bandAuc: 0.5, valueAuc: 1 })
})
