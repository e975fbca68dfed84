import { describe, expect, test } from 'vitest'
import { defaultScoringSettings, type HealthLevel, healthMeasures } from '#app/domain/scoring/settings.ts'
import { addDays } from '#app/lib/days.ts'
import {
  auc,
  aucFromBuckets,
  bootstrapAuc,
  fitLogistic,
  foldsByAccount,
  healthWeightsFrom,
  measureArrays,
  quantile,
  seededRandom,
  type TrackEvent,
  type TrackSample,
  trackRecord,
  type Weights,
  whatIfScore,
} from './track-record.ts'

const today = defaultScoringSettings.health.weights
const start = '2026-01-01'

/** A sample with only the measures named, each weighing today's setting. */
function sample(
  accountId: number,
  day: string,
  score: number | null,
  {
    level = 'NORMAL',
    measures = {},
    cap = null,
  }: { level?: HealthLevel; measures?: Partial<Record<keyof Weights, number | null>>; cap?: number | null } = {},
): TrackSample {
  return {
    accountId,
    day,
    level,
    score,
    cap,
    ...measureArrays(
      Object.fromEntries(
        Object.entries(measures).map(([measure, value]) => [
          measure,
          { score: value, weight: today[measure as keyof Weights] },
        ]),
      ),
    ),
  }
}

const churn = (accountId: number, day: string): TrackEvent => ({ accountId, day, kind: 'churn' })

describe('AUC', () => {
  test('perfect ranking is 1, inverted is 0, all tied is 0.5 (lower score = more risk)', () => {
    expect(auc([10, 20, 80, 90], [1, 1, 0, 0])).toBe(1)
    expect(auc([80, 90, 10, 20], [1, 1, 0, 0])).toBe(0)
    expect(auc([50, 50, 50, 50], [1, 0, 1, 0])).toBe(0.5)
    expect(auc([50, 50], [1, 1])).toBeNull()
  })

  test('a hand-computed case with a tie: churners 20 and 50, stayers 50, 60, 10', () => {
    // Pairs (churner, stayer): 20<50 ✓, 20<60 ✓, 20>10 ✗, 50=50 ½, 50<60 ✓, 50>10 ✗ → 3.5 of 6.
    expect(auc([20, 50, 50, 60, 10], [1, 1, 0, 0, 0])).toBeCloseTo(3.5 / 6, 12)
    // The same from counts per bucket (10, 20, 50, 60).
    expect(aucFromBuckets([0, 1, 1, 0], [1, 0, 1, 1])).toBeCloseTo(3.5 / 6, 12)
  })

  test('quantiles interpolate between neighbours', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3)
    expect(quantile([0, 10], 0.25)).toBe(2.5)
  })

  test('the bootstrap interval is reproducible with its seed, holds the AUC and is a point when ranking is perfect', () => {
    const random = seededRandom(7)
    const accounts: number[] = []
    const scores: number[] = []
    const labels: number[] = []
    for (let a = 0; a < 60; a++) {
      const churner = a % 4 === 0
      for (let k = 0; k < 3; k++) {
        accounts.push(a)
        scores.push(Math.round((churner ? 40 : 60) + random() * 40 - 20))
        labels.push(churner ? 1 : 0)
      }
    }
    const value = auc(scores, labels)!
    const one = bootstrapAuc(accounts, scores, labels, { rounds: 200, seed: 1 })!
    const again = bootstrapAuc(accounts, scores, labels, { rounds: 200, seed: 1 })!
    const other = bootstrapAuc(accounts, scores, labels, { rounds: 200, seed: 2 })!
    expect(again).toEqual(one)
    expect(other).not.toEqual(one)
    expect(one.low).toBeLessThan(value)
    expect(one.high).toBeGreaterThan(value)
    expect(one.high - one.low).toBeLessThan(0.4)
    const perfect = bootstrapAuc([1, 2, 3, 4], [10, 20, 80, 90], [1, 1, 0, 0], { rounds: 50, seed: 3 })
    expect(perfect).toEqual({ low: 1, high: 1 })
  })

  test('folds keep an account together and are seeded', () => {
    const accounts = [1, 1, 2, 2, 3, 3, 4, 5, 6, 7]
    const folds = foldsByAccount(accounts, 3, 9)
    expect(folds[0]).toBe(folds[1])
    expect(folds[2]).toBe(folds[3])
    expect(foldsByAccount(accounts, 3, 9)).toEqual(folds)
    expect(new Set(folds).size).toBe(3)
  })
})

describe('trackRecord', () => {
  test('labels a sample by a churn in (day, day + horizon], leaves out samples whose horizon has not elapsed', () => {
    const record = trackRecord({
      samples: [
        sample(1, '2026-01-01', 10), // churn on day +90: positive
        sample(2, '2026-01-01', 20), // churn on day +91: negative
        sample(3, '2026-01-01', 30), // churn the same day: negative (it is the snapshot before)
        sample(4, '2026-01-01', 90),
        sample(5, '2026-03-01', 5), // horizon ends 2026-05-30, after observedUntil: left out
      ],
      events: [churn(1, addDays(start, 90)), churn(2, addDays(start, 91)), churn(3, start), churn(5, '2026-03-10')],
      observedUntil: '2026-05-01',
      todayWeights: today,
      options: { bootstrapRounds: 0 },
    })
    expect(record.samples).toBe(4)
    expect(record.pending).toBe(1)
    expect(record.churn.positives).toBe(1)
    expect(record.churn.positiveAccounts).toBe(1)
    // The positive (10) is below every negative (20, 30, 90).
    expect(record.churn.auc).toBe(1)
    expect(record.churn.interval).toBeNull()
  })

  test('churn rate by level, lift of BAD over GOOD, and churn or contraction shown apart', () => {
    const samples: TrackSample[] = []
    const events: TrackEvent[] = []
    // GOOD: 10 samples, 1 churns; BAD: 5 samples, 3 churn, 1 more contracts; NORMAL: 4, none.
    for (let i = 0; i < 10; i++) samples.push(sample(100 + i, start, 90, { level: 'GOOD' }))
    for (let i = 0; i < 5; i++) samples.push(sample(200 + i, start, 30, { level: 'BAD' }))
    for (let i = 0; i < 4; i++) samples.push(sample(300 + i, start, 60, { level: 'NORMAL' }))
    samples.push(sample(400, start, null, { level: 'INSUFFICIENT_DATA' }))
    events.push(churn(100, '2026-02-01'), churn(200, '2026-02-01'), churn(201, '2026-02-15'), churn(202, '2026-03-01'))
    events.push({ accountId: 203, day: '2026-02-01', kind: 'contraction' })
    const record = trackRecord({
      samples,
      events,
      observedUntil: '2026-12-31',
      todayWeights: today,
      options: { bootstrapRounds: 0 },
    })
    const row = (level: HealthLevel) => record.levels.find((r) => r.level === level)!
    expect(row('GOOD')).toMatchObject({ samples: 10, churned: 1, rate: 0.1, churnedOrContracted: 1 })
    expect(row('BAD')).toMatchObject({ samples: 5, churned: 3, rate: 0.6, churnedOrContracted: 4, rateAny: 0.8 })
    expect(row('NORMAL')).toMatchObject({ samples: 4, churned: 0, rate: 0 })
    expect(row('INSUFFICIENT_DATA')).toMatchObject({ samples: 1, churned: 0 })
    expect(record.lift).toBeCloseTo(6, 12)
    expect(record.withoutScore).toBe(1)
    expect(record.churn.samples).toBe(19)
    expect(record.churnOrContraction.positives).toBe(5)
    // Churners: one at 90 (beats nobody among the 15 stayers below or at it... ) computed by hand:
    // stayers: 9 at 90, 2 at 30 (203 contracted, 204), 4 at 60. Churners: 1 at 90, 3 at 30.
    // At 90: ties with 9 → 4.5. Each at 30: ties with 2 → 1, above 13 (9 + 4) → 13; 3 × 14 = 42.
    expect(record.churn.auc).toBeCloseTo((4.5 + 42) / (4 * 15), 12)
    // Too few churning accounts for figures.
    expect(record.enough).toBe(false)
    expect(record.fitted).toBeNull()
  })

  test('the level 30, 60 and 90 days before each churn or contraction, from the nearest snapshot on or before', () => {
    const record = trackRecord({
      samples: [],
      history: [
        { accountId: 1, day: '2026-01-01', level: 'GOOD' },
        { accountId: 1, day: '2026-02-01', level: 'NORMAL' },
        { accountId: 1, day: '2026-03-01', level: 'BAD' },
        { accountId: 2, day: '2026-03-01', level: 'GOOD' },
      ],
      events: [churn(1, '2026-04-01'), { accountId: 2, day: '2026-04-15', kind: 'contraction' }],
      observedUntil: '2026-12-31',
      todayWeights: today,
    })
    expect(record.events).toEqual([
      {
        accountId: 2,
        day: '2026-04-15',
        kind: 'contraction',
        before: [
          { days: 30, level: 'GOOD', day: '2026-03-01' },
          { days: 60, level: null, day: null },
          { days: 90, level: null, day: null },
        ],
      },
      {
        accountId: 1,
        day: '2026-04-01',
        kind: 'churn',
        before: [
          // 30 days before is 2026-03-02: the snapshot of 03-01.
          { days: 30, level: 'BAD', day: '2026-03-01' },
          // 2026-01-31: the snapshot of 01-01 (02-01 is after it).
          { days: 60, level: 'GOOD', day: '2026-01-01' },
          { days: 90, level: 'GOOD', day: '2026-01-01' },
        ],
      },
    ])
  })

  test('per measure: each measure’s own AUC over the samples that have data for it', () => {
    const samples = [
      sample(1, start, 40, { measures: { breadth: 0, sentiment: 100 } }),
      sample(2, start, 40, { measures: { breadth: 0, sentiment: null } }),
      sample(3, start, 60, { measures: { breadth: 100, sentiment: 0 } }),
      sample(4, start, 60, { measures: { breadth: 100 } }),
    ]
    const record = trackRecord({
      samples,
      events: [churn(1, '2026-02-01'), churn(2, '2026-02-01')],
      observedUntil: '2026-12-31',
      todayWeights: today,
      options: { bootstrapRounds: 0 },
    })
    const measure = (name: string) => record.measures.find((row) => row.measure === name)!
    expect(measure('breadth')).toMatchObject({ samples: 4, churned: 2, auc: 1 })
    // Sentiment has data for two samples only: the churner at 100, the stayer at 0.
    expect(measure('sentiment')).toMatchObject({ samples: 2, churned: 1, auc: 0 })
    expect(measure('events')).toMatchObject({ samples: 0, auc: null })
  })
})

describe('what if', () => {
  test('recomputes Σw·s ÷ Σw over measures with data, keeping each measure’s factor and the hard-risk cap', () => {
    // Events weighs 2 for this (low-touch) account: a factor of 2 on today's 1.
    const s: TrackSample = {
      accountId: 1,
      day: start,
      level: 'GOOD',
      score: 80,
      ...measureArrays({
        breadth: { score: 100, weight: 3 },
        events: { score: 0, weight: 2 },
        sentiment: { score: null, weight: 3.5 },
      }),
    }
    expect(whatIfScore(s, today, today)).toBe(60) // (3·100 + 2·0) ÷ 5
    const heavier = { ...today, events: 3 } // events now 3 × factor 2 = 6
    expect(whatIfScore(s, heavier, today)).toBe(33.3) // 300 ÷ 9, one decimal
    expect(whatIfScore({ ...s, cap: 49.9 }, today, today)).toBe(49.9)
    expect(whatIfScore({ ...s, ...measureArrays({}) }, today, today)).toBeNull()
  })

  test('weights on the measure that foretold churn raise the AUC the history would have had', () => {
    const samples: TrackSample[] = []
    const events: TrackEvent[] = []
    for (let a = 0; a < 40; a++) {
      const churner = a < 10
      // breadth foretells churn, engagement is noise that today's weights lean on.
      const breadth = churner ? (a % 2 === 0 ? 0 : 60) : a % 3 === 0 ? 60 : 100
      const engagement = [0, 60, 100][a % 3]!
      const s = sample(a, start, 0, { measures: { breadth, engagement } })
      s.score = whatIfScore(s, today, today)
      samples.push(s)
      if (churner) events.push(churn(a, '2026-02-01'))
    }
    const onlyBreadth = Object.fromEntries(healthMeasures.map((m) => [m, m === 'breadth' ? 1 : 0])) as Weights
    const record = trackRecord({
      samples,
      events,
      observedUntil: '2026-12-31',
      todayWeights: today,
      whatIfWeights: onlyBreadth,
      options: { bootstrapRounds: 0 },
    })
    expect(record.whatIf!.todayAuc).toBe(record.churn.auc)
    expect(record.whatIf!.auc).toBe(record.measures.find((row) => row.measure === 'breadth')!.auc)
    expect(record.whatIf!.auc!).toBeGreaterThan(record.whatIf!.todayAuc!)
  })
})

describe('fitted weights', () => {
  test('the regression satisfies its optimality condition (gradient zero)', () => {
    const x = Float64Array.from([-1, -0.5, 0, 0.5, 1, -1, 0, 1])
    const y = [1, 1, 0, 1, 0, 0, 1, 0]
    const counts = [1, 2, 1, 1, 3, 1, 1, 1]
    const l2 = 0.5
    const fit = fitLogistic(x, y, counts, 1, { l2 })
    let g0 = 0
    let g1 = 0
    y.forEach((yi, i) => {
      const p = 1 / (1 + Math.exp(-(fit.intercept + fit.coefficients[0]! * x[i]!)))
      g0 += counts[i]! * (p - yi)
      g1 += counts[i]! * (p - yi) * x[i]!
    })
    expect(Math.abs(g0)).toBeLessThan(1e-6)
    expect(Math.abs(g1 + l2 * fit.coefficients[0]!)).toBeLessThan(1e-6)
    expect(fit.coefficients[0]).toBeLessThan(0)
  })

  test('coefficients become non-negative health weights scaled to today’s total', () => {
    const weights = healthWeightsFrom([-2, 1, -1], ['breadth', 'trend', 'events'], today)!
    // Today's breadth + trend + events = 3 + 1.5 + 1 = 5.5, shared 2 : 0 : 1.
    expect(weights.breadth).toBe(3.7)
    expect(weights.trend).toBe(0)
    expect(weights.events).toBe(1.8)
    expect(weights.engagement).toBe(today.engagement)
    expect(healthWeightsFrom([1, 0], ['breadth', 'trend'], today)).toBeNull()
  })

  test('a planted signal: the fit puts the weight on the measure that foretells churn, and its cross-validated AUC beats today’s', () => {
    const random = seededRandom(11)
    const samples: TrackSample[] = []
    const events: TrackEvent[] = []
    const band = () => [0, 60, 100][Math.floor(random() * 3)]!
    for (let a = 0; a < 300; a++) {
      const champions = band()
      const measures = { engagement: band(), breadth: band(), champions, sentiment: random() < 0.5 ? null : band() }
      const chance = champions === 0 ? 0.6 : champions === 60 ? 0.25 : 0.03
      for (let k = 0; k < 3; k++) {
        const s = sample(a, addDays(start, 28 * k), 0, { measures })
        s.score = whatIfScore(s, today, today)
        samples.push(s)
      }
      if (random() < chance) events.push(churn(a, addDays(start, 60)))
    }
    const record = trackRecord({
      samples,
      events,
      observedUntil: '2026-12-31',
      todayWeights: today,
      options: { bootstrapRounds: 20 },
    })
    expect(record.enough).toBe(true)
    const fitted = record.fitted!
    expect(fitted.missing).toBe('mean')
    expect(fitted.folds).toBe(5)
    const top = healthMeasures.reduce((a, b) => (fitted.weights[a] >= fitted.weights[b] ? a : b))
    expect(top).toBe('champions')
    expect(fitted.coefficients.champions!).toBeLessThan(0)
    // Fitted measures share today's weight of those measures (4 + 3 + 3 + 3.5 = 13.5), give or take rounding.
    const fittedTotal = ['engagement', 'breadth', 'champions', 'sentiment'].reduce(
      (sum, m) => sum + fitted.weights[m as keyof Weights],
      0,
    )
    expect(fittedTotal).toBeCloseTo(13.5, 0)
    // Measures without data keep today's weight.
    expect(fitted.unfitted).toContain('events')
    expect(fitted.weights.events).toBe(today.events)
    expect(fitted.cvAuc!).toBeGreaterThan(fitted.todayCvAuc!)
    expect(fitted.modelCvAuc!).toBeGreaterThan(0.7)
    // The same history fits the same weights.
    const again = trackRecord({
      samples,
      events,
      observedUntil: '2026-12-31',
      todayWeights: today,
      options: { bootstrapRounds: 20 },
    })
    expect(again.fitted).toEqual(fitted)
    expect(again.churn.interval).toEqual(record.churn.interval)
  })
})
