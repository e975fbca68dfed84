/** The health score's track record (issue 21): how well the stored scores foretold the churn and
 *  contraction that followed. A plain module of pure functions over samples and events; the loader is
 *  `track-record.server.ts`, and `npm run simulate` feeds its own snapshots through the same
 *  `trackRecord`, so the page and the simulation measure alike.
 *
 *  - A SAMPLE is one account's snapshot on one sample day. It is POSITIVE when the account churned
 *    (and, in the second set of figures, churned or contracted) within `horizonDays` after that day:
 *    an event day in (day, day + horizon]. Only samples whose horizon has fully elapsed by
 *    `observedUntil` count: a stayer seen 10 days ago is not yet known to have stayed 90.
 *  - AUC (Mann–Whitney, ties half): the chance that a positive sample scored LOWER than a negative
 *    one. 1 ranks every churner below every stayer, 0.5 is a coin toss, 0 is exactly backwards.
 *  - The interval resamples ACCOUNTS with replacement (an account's samples are not independent of
 *    each other), with a seeded generator so the same history always gives the same interval.
 *  - "What if" recomputes each sample's overall score from its stored measure scores with another
 *    weight set, by the snapshot's own formula (`weightedScore` in scoring/health.ts), keeping each
 *    measure's per-account factor (events by tier, sentiment by its answers: stored weight ÷ today's
 *    setting) and the hard-risk cap the sample carried.
 *  - "Fitted" weights come from an L2-regularised logistic regression of churn-within-horizon on the
 *    measure scores, solved here by Newton's method: twelve unknowns need no library, and none of the
 *    numeric packages for Node does a weighted, regularised logistic fit without native code or a
 *    heavy dependency the app would ship for this one page. A missing measure score is replaced by
 *    that measure's mean in the training data, and nothing else (no missing-indicator): the health
 *    formula has no weight for "no data", so a fit that leaned on one could not be applied. */
import { roundHalfAway, weightedScore } from '#app/domain/scoring/health.ts'
import { type HealthLevel, type HealthMeasure, healthMeasures } from '#app/domain/scoring/settings.ts'

export const trackRecordDefaults = {
  /** Days after a sample in which a churn makes it positive. */
  horizonDays: 90,
  /** Days between sample days (the loader's; the function takes the samples it is given). */
  spacingDays: 28,
  /** Below either, the page says "not enough outcomes yet" instead of figures. */
  minPositiveAccounts: 10,
  minSamples: 20,
  bootstrapRounds: 200,
  seed: 20_250_101,
  folds: 5,
  /** The L2 penalty on the coefficients (per unit of score ÷ 100), added to the summed log-loss. */
  l2: 1,
  /** Lookbacks of the table of churns and contractions. */
  lookbackDays: [30, 60, 90] as readonly number[],
}

export type TrackRecordOptions = Partial<typeof trackRecordDefaults>

export const trackLevels = ['GOOD', 'NORMAL', 'BAD', 'INSUFFICIENT_DATA'] as const satisfies readonly HealthLevel[]

/** One measure of a sample as stored: its score (null = no data) and the weight it had for that
 *  account that day (the setting times the account's factor; 0 when it did not apply). */
export type SampleMeasure = { score: number | null; weight: number }

export type TrackSample = {
  accountId: number
  /** The snapshot's day, `YYYY-MM-DD`. */
  day: string
  level: HealthLevel
  /** The stored overall score; null when no measure had data. */
  score: number | null
  /** Each measure's stored score (null = no data) and the weight it had for the account that day (the
   *  setting times the account's factor; 0 when it did not apply), in the order of `healthMeasures`
   *  (`measureArrays` builds them). Two arrays rather than an object per measure: a year of 10,000
   *  accounts is 140,000 samples. */
  scores: readonly (number | null)[]
  weights: readonly number[]
  /** The most a hard risk let the score be that day (49.9 under a BAD cap); null without one. */
  cap?: number | null
}

/** A sample's measures, by name, as the two arrays `TrackSample` holds. */
export function measureArrays(measures: Partial<Record<HealthMeasure, SampleMeasure>>): {
  scores: (number | null)[]
  weights: number[]
} {
  return {
    scores: healthMeasures.map((measure) => measures[measure]?.score ?? null),
    weights: healthMeasures.map((measure) => measures[measure]?.weight ?? 0),
  }
}

export type TrackEventKind = 'churn' | 'contraction'
export type TrackEvent = { accountId: number; day: string; kind: TrackEventKind }
/** A level on a day, for the table of levels before each event (every snapshot the loader has). */
export type LevelPoint = { accountId: number; day: string; level: HealthLevel }

export type Weights = Record<HealthMeasure, number>

export type TrackRecordInput = {
  samples: readonly TrackSample[]
  events: readonly TrackEvent[]
  /** Levels to look back on for each event; the samples themselves when not given. */
  history?: readonly LevelPoint[]
  /** The last day outcomes are known up to (today, or the end of a simulation). */
  observedUntil: string
  /** The weights of today's settings. */
  todayWeights: Weights
  /** A weight set to judge against history ("what if"); none to skip it. */
  whatIfWeights?: Weights | null
  /** Fit a weight set (the slowest part; skip it where only the figures are wanted). */
  fit?: boolean
  options?: TrackRecordOptions
}

export type Interval = { low: number; high: number }

export type AucFigure = {
  auc: number | null
  interval: Interval | null
  /** Samples with a score, positives among them, and the accounts those positives belong to. */
  samples: number
  positives: number
  positiveAccounts: number
}

export type LevelRow = {
  level: HealthLevel
  samples: number
  churned: number
  rate: number | null
  churnedOrContracted: number
  rateAny: number | null
}

export type MeasureRow = {
  measure: HealthMeasure
  /** Samples with data for the measure. */
  samples: number
  churned: number
  auc: number | null
  aucAny: number | null
}

export type Lookback = { days: number; level: HealthLevel | null; day: string | null }
export type EventRow = TrackEvent & { before: Lookback[] }

export type WhatIf = {
  weights: Weights
  /** The AUC the weight set would have had, and today's weights recomputed the same way (the two
   *  differ from the stored scores' AUC only where settings changed along the way). */
  auc: number | null
  todayAuc: number | null
  samples: number
}

export type Fitted = {
  /** Health weights: a measure whose higher score went with less churn weighs in proportion to its
   *  coefficient, one that did not weighs 0; scaled to today's total weight, one decimal. Measures
   *  with no data in the history keep today's weight (history cannot judge them). */
  weights: Weights
  /** The logistic coefficients per unit of score ÷ 100 (negative: a higher score, less churn); null
   *  for a measure not fitted. */
  coefficients: Record<HealthMeasure, number | null>
  /** Measures not fitted for lack of data; they keep today's weight. */
  unfitted: HealthMeasure[]
  folds: number
  /** Mean over the folds of the held-out AUC: the fitted weights through the health formula, today's
   *  weights through the same formula on the same held-out samples, and the regression itself. */
  cvAuc: number | null
  todayCvAuc: number | null
  modelCvAuc: number | null
  l2: number
  missing: 'mean'
}

export type TrackRecord = {
  horizonDays: number
  observedUntil: string
  minimum: { positiveAccounts: number; samples: number }
  /** Whether there are enough outcomes for the figures to mean something. */
  enough: boolean
  /** Samples whose horizon has elapsed, their accounts, and those without a score. */
  samples: number
  accounts: number
  withoutScore: number
  /** Samples left out because their horizon reaches past `observedUntil`. */
  pending: number
  churn: AucFigure
  churnOrContraction: AucFigure
  levels: LevelRow[]
  /** The churn rate of BAD samples ÷ that of GOOD ones; null when either has none or GOOD never churned. */
  lift: number | null
  measures: MeasureRow[]
  /** Every churn and contraction, newest first, with the level 30, 60 and 90 days before. */
  events: EventRow[]
  whatIf: WhatIf | null
  fitted: Fitted | null
}

// ---------------------------------------------------------------------------------------------------
// Days, random numbers, AUC

const DAY_MS = 86_400_000

/** Days since 1970-01-01 of a `YYYY-MM-DD` day. */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS)
}

/** A small seeded generator (mulberry32): numbers in [0, 1), the same for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The AUC from counts per score bucket (buckets in ascending score): the chance that a positive
 *  scores lower than a negative, ties half. Null without both a positive and a negative. */
export function aucFromBuckets(positives: ArrayLike<number>, negatives: ArrayLike<number>): number | null {
  let p = 0
  let n = 0
  for (let k = 0; k < positives.length; k++) {
    p += positives[k]!
    n += negatives[k]!
  }
  if (p === 0 || n === 0) return null
  let negativesBelow = 0
  let sum = 0
  for (let k = 0; k < positives.length; k++) {
    const pos = positives[k]!
    const neg = negatives[k]!
    sum += pos * (n - negativesBelow - neg + neg / 2)
    negativesBelow += neg
  }
  return sum / (p * n)
}

/** Scores put into buckets: the sorted distinct values and each score's bucket (by binary search over
 *  the sorted values; NaN, no score, gets −1). */
function bucketsOf(scores: ArrayLike<number>): { values: Float64Array; index: Int32Array } {
  const sorted = Float64Array.from(scores).sort()
  let distinct = 0
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i]!
    if (Number.isNaN(value)) break
    if (distinct === 0 || sorted[distinct - 1] !== value) sorted[distinct++] = value
  }
  const values = sorted.subarray(0, distinct)
  const index = new Int32Array(scores.length)
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!
    if (Number.isNaN(score)) {
      index[i] = -1
      continue
    }
    let low = 0
    let high = distinct - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if (values[middle]! < score) low = middle + 1
      else high = middle
    }
    index[i] = low
  }
  return { values, index }
}

/** The AUC of scores against labels (lower score = more risk; ties half); NaN scores are left out. */
export function auc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number | null {
  const { values, index } = bucketsOf(scores)
  const pos = new Float64Array(values.length)
  const neg = new Float64Array(values.length)
  for (let i = 0; i < index.length; i++) {
    const bucket = index[i]!
    if (bucket < 0) continue
    if (positive[i]) pos[bucket]! += 1
    else neg[bucket]! += 1
  }
  return aucFromBuckets(pos, neg)
}

/** The p-th quantile (0–1) of sorted values, interpolating between neighbours. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const at = (sorted.length - 1) * p
  const below = Math.floor(at)
  const above = Math.min(sorted.length - 1, below + 1)
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below)
}

/** A bootstrap interval of the AUC (2.5th and 97.5th percentiles): `rounds` times, as many accounts
 *  as there are drawn with replacement, each with all of its samples. Null when fewer than half the
 *  rounds had both a positive and a negative. NaN scores are left out. */
export function bootstrapAuc(
  accountOf: ArrayLike<number>,
  scores: ArrayLike<number>,
  positive: ArrayLike<boolean | number>,
  { rounds, seed }: { rounds: number; seed: number },
): Interval | null {
  if (rounds <= 0 || scores.length === 0) return null
  const { values, index } = bucketsOf(scores)
  // Each account's samples side by side (bucket × 2 + label), the accounts in id order, so the same
  // history draws the same accounts whatever order its rows came in.
  const order = Array.from({ length: scores.length }, (_, i) => i)
    .filter((i) => index[i]! >= 0)
    .sort((a, b) => accountOf[a]! - accountOf[b]! || a - b)
  const codes = new Int32Array(order.length)
  const starts: number[] = []
  order.forEach((i, k) => {
    if (k === 0 || accountOf[i] !== accountOf[order[k - 1]!]) starts.push(k)
    codes[k] = index[i]! * 2 + (positive[i] ? 1 : 0)
  })
  starts.push(order.length)
  const accounts = starts.length - 1
  if (accounts === 0) return null
  const random = seededRandom(seed)
  const counts = new Float64Array(values.length * 2)
  const pos = new Float64Array(values.length)
  const neg = new Float64Array(values.length)
  const results: number[] = []
  for (let round = 0; round < rounds; round++) {
    counts.fill(0)
    for (let draw = 0; draw < accounts; draw++) {
      const account = Math.floor(random() * accounts)
      const end = starts[account + 1]!
      for (let k = starts[account]!; k < end; k++) counts[codes[k]!]! += 1
    }
    for (let b = 0; b < values.length; b++) {
      neg[b] = counts[b * 2]!
      pos[b] = counts[b * 2 + 1]!
    }
    const value = aucFromBuckets(pos, neg)
    if (value !== null) results.push(value)
  }
  if (results.length < rounds / 2) return null
  results.sort((a, b) => a - b)
  return { low: quantile(results, 0.025), high: quantile(results, 0.975) }
}

// ---------------------------------------------------------------------------------------------------
// Weights and scores

const MEASURES = healthMeasures.length

/** The eligible samples as columns: the overall score (NaN = none), each measure's score (n × measures,
 *  NaN = no data) and the factor its weight had for the account (stored weight ÷ today's setting, 1
 *  when today's is 0), the hard-risk cap (NaN = none), the account and the level. */
type Table = {
  n: number
  account: Int32Array
  score: Float64Array
  measure: Float64Array
  factor: Float64Array
  cap: Float64Array
}

function tableOf(samples: readonly TrackSample[], todayWeights: Weights): Table {
  const n = samples.length
  const table: Table = {
    n,
    account: new Int32Array(n),
    score: new Float64Array(n),
    measure: new Float64Array(n * MEASURES),
    factor: new Float64Array(n * MEASURES),
    cap: new Float64Array(n),
  }
  samples.forEach((sample, i) => {
    table.account[i] = sample.accountId
    table.score[i] = sample.score ?? Number.NaN
    table.cap[i] = sample.cap ?? Number.NaN
    for (let m = 0; m < MEASURES; m++) {
      const score = sample.scores[m]
      const today = todayWeights[healthMeasures[m]!]
      table.measure[i * MEASURES + m] = score ?? Number.NaN
      table.factor[i * MEASURES + m] =
        score !== null && score !== undefined && today > 0 ? (sample.weights[m] ?? 0) / today : 1
    }
  })
  return table
}

/** Components reused by `scoresUnder`, so recomputing a history allocates nothing per sample. */
const scratch = healthMeasures.map(() => ({ weight: 0, score: null as number | null }))

/** Every sample's overall score under a weight set (NaN without data): each measure with data weighs
 *  the new setting times the factor it had for that account, by the snapshot's own formula
 *  (`weightedScore`), held under the sample's hard-risk cap. */
function scoresUnder(table: Table, weights: Weights, rows?: ArrayLike<number>): Float64Array {
  const count = rows ? rows.length : table.n
  const out = new Float64Array(count)
  const setting = healthMeasures.map((measure) => weights[measure])
  for (let k = 0; k < count; k++) {
    const i = rows ? rows[k]! : k
    for (let m = 0; m < MEASURES; m++) {
      const score = table.measure[i * MEASURES + m]!
      scratch[m]!.score = Number.isNaN(score) ? null : score
      scratch[m]!.weight = setting[m]! * table.factor[i * MEASURES + m]!
    }
    const score = weightedScore(scratch)
    const cap = table.cap[i]!
    out[k] = score === null ? Number.NaN : Number.isNaN(cap) ? score : Math.min(score, cap)
  }
  return out
}

/** One sample's overall score under a weight set (see `scoresUnder`); null without data. */
export function whatIfScore(sample: TrackSample, weights: Weights, todayWeights: Weights): number | null {
  const [score] = scoresUnder(tableOf([sample], todayWeights), weights)
  return Number.isNaN(score!) ? null : score!
}

/** Labels of some rows. */
function pick<T extends Uint8Array | Float64Array>(values: T, rows: ArrayLike<number>): T {
  const out = new (values.constructor as { new (n: number): T })(rows.length)
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!
  return out
}

// ---------------------------------------------------------------------------------------------------
// Logistic regression

export type LogisticFit = { intercept: number; coefficients: number[]; iterations: number }

/** An L2-regularised logistic regression by Newton's method: minimises Σ cᵢ·logloss(yᵢ, β₀ + xᵢ·β) +
 *  ½·l2·|β|² (the intercept not penalised) over rows with counts cᵢ (identical rows counted once).
 *  `x` is row-major, `features` columns; `start` warm-starts it (the folds of a cross-validation
 *  start from the whole history's fit). Each pass over the rows gives the loss, gradient and Hessian
 *  at once; a step that raises the loss is halved, so it never diverges. */
export function fitLogistic(
  x: Float64Array,
  y: ArrayLike<number>,
  counts: ArrayLike<number>,
  features: number,
  {
    l2,
    start,
    maxIterations = 50,
    tolerance = 1e-9,
  }: { l2: number; start?: LogisticFit; maxIterations?: number; tolerance?: number },
): LogisticFit {
  const rows = y.length
  const p = features + 1
  const beta = new Float64Array(p)
  if (start && start.coefficients.length === features) {
    beta[0] = start.intercept
    beta.set(start.coefficients, 1)
  }
  const gradient = new Float64Array(p)
  const hessian = new Float64Array(p * p)
  const row = new Float64Array(p)
  /** The loss at `b`, with the gradient and Hessian there when `derivatives`. */
  const pass = (b: Float64Array, derivatives: boolean): number => {
    let total = 0
    if (derivatives) {
      gradient.fill(0)
      hessian.fill(0)
    }
    for (let i = 0; i < rows; i++) {
      row[0] = 1
      let eta = b[0]!
      for (let j = 0; j < features; j++) {
        const value = x[i * features + j]!
        row[j + 1] = value
        eta += b[j + 1]! * value
      }
      const c = counts[i]!
      // log(1 + e^η) − y·η, written to stay finite for large |η|.
      const soft = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))
      total += c * (soft - y[i]! * eta)
      if (!derivatives) continue
      const prob = 1 / (1 + Math.exp(-eta))
      const residual = c * (prob - y[i]!)
      const w = c * prob * (1 - prob)
      for (let a = 0; a < p; a++) {
        gradient[a]! += residual * row[a]!
        const wa = w * row[a]!
        for (let k = a; k < p; k++) hessian[a * p + k]! += wa * row[k]!
      }
    }
    for (let j = 1; j < p; j++) total += 0.5 * l2 * b[j]! ** 2
    if (derivatives) {
      for (let a = 1; a < p; a++) {
        gradient[a]! += l2 * b[a]!
        hessian[a * p + a]! += l2
      }
      // A tiny ridge on the intercept too, so rows of one class alone still solve.
      hessian[0]! += 1e-9
      for (let a = 0; a < p; a++) for (let k = 0; k < a; k++) hessian[a * p + k] = hessian[k * p + a]!
    }
    return total
  }
  // One pass per step as a rule: the loss, gradient and Hessian at the new point together; only a step
  // that raised the loss is halved (passes without derivatives) before the next.
  let current = pass(beta, true)
  let iterations = 0
  const next = new Float64Array(p)
  for (; iterations < maxIterations; iterations++) {
    const step = solveSymmetric(hessian, gradient, p)
    for (let j = 0; j < p; j++) next[j] = beta[j]! - step[j]!
    let nextLoss = pass(next, true)
    if (nextLoss > current + 1e-12) {
      let scale = 1
      while (nextLoss > current + 1e-12 && scale > 1e-6) {
        scale /= 2
        for (let j = 0; j < p; j++) next[j] = beta[j]! - scale * step[j]!
        nextLoss = pass(next, false)
      }
      nextLoss = pass(next, true)
    }
    let change = 0
    for (let j = 0; j < p; j++) change = Math.max(change, Math.abs(next[j]! - beta[j]!))
    const improved = current - nextLoss
    beta.set(next)
    current = nextLoss
    if (change < tolerance || improved < tolerance * Math.max(1, Math.abs(nextLoss))) {
      iterations++
      break
    }
  }
  return { intercept: beta[0]!, coefficients: Array.from(beta.subarray(1)), iterations }
}

/** Solves A·s = g for a symmetric positive definite A (n × n, row-major) by Cholesky; falls back to a
 *  gradient step when A is not positive definite (it always is with a positive L2). */
function solveSymmetric(a: Float64Array, g: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!
      if (i === j) {
        if (sum <= 0) return g.map((value) => value * 1e-3)
        l[i * n + i] = Math.sqrt(sum)
      } else l[i * n + j] = sum / l[j * n + j]!
    }
  }
  const z = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let sum = g[i]!
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * z[k]!
    z[i] = sum / l[i * n + i]!
  }
  const s = new Float64Array(n)
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i]!
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * s[k]!
    s[i] = sum / l[i * n + i]!
  }
  return s
}

/** Each measure's score as a small code (0 = no data, then 1, 2, … per distinct score of the measure),
 *  n × measures, and the number of codes per measure: identical rows of a fit are found by their codes. */
type Codes = { codes: Uint16Array; radix: number[] } | null

function codesOf(table: Table): Codes {
  const maps = healthMeasures.map(() => new Map<number, number>())
  const codes = new Uint16Array(table.n * MEASURES)
  for (let i = 0; i < table.n; i++) {
    for (let m = 0; m < MEASURES; m++) {
      const score = table.measure[i * MEASURES + m]!
      if (Number.isNaN(score)) continue
      const map = maps[m]!
      let code = map.get(score)
      if (code === undefined) {
        code = map.size + 1
        if (code > 60_000) return null
        map.set(score, code)
      }
      codes[i * MEASURES + m] = code
    }
  }
  return { codes, radix: maps.map((map) => map.size + 1) }
}

/** The design of a fit over some rows: each fitted measure's score ÷ 100, a missing one replaced by
 *  the measure's mean over those rows, centred on that mean; identical rows merged with a count (band
 *  scores take a few values each, so many samples share a row), found by their codes (a number while
 *  the codes fit in one, text beyond). */
function design(table: Table, codes: Codes, labels: Uint8Array, rows: Int32Array, measures: readonly number[]) {
  const p = measures.length
  const means = measures.map((m) => {
    let sum = 0
    let n = 0
    for (let k = 0; k < rows.length; k++) {
      const score = table.measure[rows[k]! * MEASURES + m]!
      if (Number.isNaN(score)) continue
      sum += score
      n++
    }
    return n > 0 ? sum / n / 100 : 0
  })
  const radix = codes ? measures.map((m) => codes.radix[m]!) : []
  const numeric = codes !== null && radix.reduce((product, base) => product * base, 2) < Number.MAX_SAFE_INTEGER
  const merged = new Map<number | string, number>()
  const xs: number[] = []
  const ys: number[] = []
  const counts: number[] = []
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!
    let key: number | string = labels[i] ? 1 : 0
    if (numeric) {
      for (let j = 0; j < p; j++) key = (key as number) * radix[j]! + codes!.codes[i * MEASURES + measures[j]!]!
    } else {
      for (let j = 0; j < p; j++) key = `${key},${table.measure[i * MEASURES + measures[j]!]}`
    }
    const at = merged.get(key)
    if (at !== undefined) {
      counts[at]! += 1
      continue
    }
    merged.set(key, counts.length)
    for (let j = 0; j < p; j++) {
      const score = table.measure[i * MEASURES + measures[j]!]!
      xs.push(Number.isNaN(score) ? 0 : score / 100 - means[j]!)
    }
    ys.push(labels[i] ? 1 : 0)
    counts.push(1)
  }
  return { x: Float64Array.from(xs), y: ys, counts, means }
}

/** Coefficients mapped to health weights: −β where β < 0 (a higher score, less churn), else 0, scaled
 *  so that the fitted measures share today's weight of the fitted measures, one decimal; unfitted
 *  measures keep today's weight. Null when no measure's higher score went with less churn. */
export function healthWeightsFrom(
  coefficients: readonly number[],
  measures: readonly HealthMeasure[],
  todayWeights: Weights,
): Weights | null {
  const raw = coefficients.map((beta) => (beta < 0 ? -beta : 0))
  const total = raw.reduce((sum, value) => sum + value, 0)
  if (!(total > 0)) return null
  const budget = measures.reduce((sum, measure) => sum + todayWeights[measure], 0)
  if (!(budget > 0)) return null
  const weights = { ...todayWeights }
  measures.forEach((measure, j) => {
    weights[measure] = roundHalfAway((raw[j]! / total) * budget, 1)
  })
  return weights
}

type WeightFit = { measures: number[]; model: LogisticFit; means: number[]; weights: Weights | null }

/** Fits health weights on some rows: the measures with data among them, the regression (from `start`
 *  when given), the mapping. */
function fitWeights(
  table: Table,
  codes: Codes,
  labels: Uint8Array,
  rows: Int32Array,
  todayWeights: Weights,
  l2: number,
  start?: WeightFit,
): WeightFit {
  const measures: number[] = []
  for (let m = 0; m < MEASURES; m++) {
    for (let k = 0; k < rows.length; k++) {
      if (!Number.isNaN(table.measure[rows[k]! * MEASURES + m]!)) {
        measures.push(m)
        break
      }
    }
  }
  const { x, y, counts, means } = design(table, codes, labels, rows, measures)
  const warm = start && start.measures.join() === measures.join() ? start.model : undefined
  const model = fitLogistic(x, y, counts, measures.length, { l2, start: warm })
  const names = measures.map((m) => healthMeasures[m]!)
  return { measures, model, means, weights: healthWeightsFrom(model.coefficients, names, todayWeights) }
}

/** The regression's own score for some rows, negated so that lower means riskier. */
function modelScores(table: Table, fit: WeightFit, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length)
  for (let k = 0; k < rows.length; k++) {
    let eta = fit.model.intercept
    fit.measures.forEach((m, j) => {
      const score = table.measure[rows[k]! * MEASURES + m]!
      eta += fit.model.coefficients[j]! * (Number.isNaN(score) ? 0 : score / 100 - fit.means[j]!)
    })
    out[k] = -eta
  }
  return out
}

/** Accounts dealt into `folds` folds in a seeded random order: the fold of each sample. */
export function foldsByAccount(accountOf: ArrayLike<number>, folds: number, seed: number): number[] {
  const accounts = [...new Set(Array.from(accountOf))].sort((a, b) => a - b)
  const random = seededRandom(seed)
  for (let i = accounts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[accounts[i], accounts[j]] = [accounts[j]!, accounts[i]!]
  }
  const foldOf = new Map(accounts.map((account, i) => [account, i % folds]))
  return Array.from(accountOf, (account) => foldOf.get(account)!)
}

function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : null
}

/** The fitted weight set over the scored samples, and its cross-validation. */
function fitted(
  table: Table,
  labels: Uint8Array,
  todayWeights: Weights,
  { folds, seed, l2 }: { folds: number; seed: number; l2: number },
): Fitted | null {
  const all = Int32Array.from({ length: table.n }, (_, i) => i)
  const codes = codesOf(table)
  const whole = fitWeights(table, codes, labels, all, todayWeights, l2)
  if (!whole.weights) return null
  const foldOf = foldsByAccount(table.account, folds, seed)
  const cv: number[] = []
  const today: number[] = []
  const model: number[] = []
  for (let fold = 0; fold < folds; fold++) {
    const train = all.filter((i) => foldOf[i] !== fold)
    const test = all.filter((i) => foldOf[i] === fold)
    if (train.length === 0 || test.length === 0) continue
    const fit = fitWeights(table, codes, labels, train, todayWeights, l2, whole)
    if (!fit.weights) continue
    const testLabels = pick(labels, test)
    const fittedAuc = auc(scoresUnder(table, fit.weights, test), testLabels)
    const todayAuc = auc(scoresUnder(table, todayWeights, test), testLabels)
    const modelAuc = auc(modelScores(table, fit, test), testLabels)
    if (fittedAuc === null || todayAuc === null || modelAuc === null) continue
    cv.push(fittedAuc)
    today.push(todayAuc)
    model.push(modelAuc)
  }
  const coefficients = Object.fromEntries(healthMeasures.map((measure) => [measure, null])) as Record<
    HealthMeasure,
    number | null
  >
  whole.measures.forEach((m, j) => {
    coefficients[healthMeasures[m]!] = whole.model.coefficients[j]!
  })
  return {
    weights: whole.weights,
    coefficients,
    unfitted: healthMeasures.filter((_, m) => !whole.measures.includes(m)),
    folds: cv.length,
    cvAuc: mean(cv),
    todayCvAuc: mean(today),
    modelCvAuc: mean(model),
    l2,
    missing: 'mean',
  }
}

// ---------------------------------------------------------------------------------------------------
// The track record

/** Whether an event of the kinds falls in (day, day + horizon] after each sample. */
function labelsFor(
  account: Int32Array,
  day: Int32Array,
  events: readonly TrackEvent[],
  kinds: readonly TrackEventKind[],
  horizon: number,
): Uint8Array {
  const eventDays = new Map<number, number[]>()
  for (const event of events) {
    if (!kinds.includes(event.kind)) continue
    const list = eventDays.get(event.accountId)
    if (list) list.push(dayNumber(event.day))
    else eventDays.set(event.accountId, [dayNumber(event.day)])
  }
  for (const list of eventDays.values()) list.sort((a, b) => a - b)
  const labels = new Uint8Array(account.length)
  for (let i = 0; i < account.length; i++) {
    const days = eventDays.get(account[i]!)
    if (!days) continue
    // The first event after the sample day, by binary search.
    let low = 0
    let high = days.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (days[middle]! <= day[i]!) low = middle + 1
      else high = middle
    }
    if (low < days.length && days[low]! <= day[i]! + horizon) labels[i] = 1
  }
  return labels
}

function aucFigure(table: Table, labels: Uint8Array, bootstrap: { rounds: number; seed: number }): AucFigure {
  let samples = 0
  let positives = 0
  const positiveAccounts = new Set<number>()
  for (let i = 0; i < table.n; i++) {
    if (Number.isNaN(table.score[i]!)) continue
    samples++
    if (labels[i]) {
      positives++
      positiveAccounts.add(table.account[i]!)
    }
  }
  const value = auc(table.score, labels)
  return {
    auc: value,
    interval: value === null ? null : bootstrapAuc(table.account, table.score, labels, bootstrap),
    samples,
    positives,
    positiveAccounts: positiveAccounts.size,
  }
}

/** The level of each event's account `lookbackDays` before it: the nearest point on or before. */
function eventRows(events: readonly TrackEvent[], history: readonly LevelPoint[], lookbacks: readonly number[]) {
  const accounts = new Set(events.map((event) => event.accountId))
  const byAccount = new Map<number, { day: number; text: string; level: HealthLevel }[]>()
  for (const point of history) {
    if (!accounts.has(point.accountId)) continue
    const list = byAccount.get(point.accountId)
    const entry = { day: dayNumber(point.day), text: point.day, level: point.level }
    if (list) list.push(entry)
    else byAccount.set(point.accountId, [entry])
  }
  for (const list of byAccount.values()) list.sort((a, b) => a.day - b.day)
  return [...events]
    .sort((a, b) => (a.day === b.day ? a.accountId - b.accountId : a.day < b.day ? 1 : -1))
    .map((event) => {
      const points = byAccount.get(event.accountId) ?? []
      const before = lookbacks.map((days) => {
        const target = dayNumber(event.day) - days
        let low = 0
        let high = points.length
        while (low < high) {
          const middle = (low + high) >>> 1
          if (points[middle]!.day <= target) low = middle + 1
          else high = middle
        }
        const point = low > 0 ? points[low - 1]! : null
        return { days, level: point?.level ?? null, day: point?.text ?? null }
      })
      return { ...event, before }
    })
}

/** The health score's track record over the samples given (see the top of this module). */
export function trackRecord(input: TrackRecordInput): TrackRecord {
  const options = { ...trackRecordDefaults, ...input.options }
  const horizon = options.horizonDays
  const until = dayNumber(input.observedUntil)
  const dayCache = new Map<string, number>()
  const dayOf = (day: string) => {
    let value = dayCache.get(day)
    if (value === undefined) {
      value = dayNumber(day)
      dayCache.set(day, value)
    }
    return value
  }
  const samples = input.samples.filter((sample) => dayOf(sample.day) + horizon <= until)
  const table = tableOf(samples, input.todayWeights)
  const days = Int32Array.from(samples, (sample) => dayOf(sample.day))
  const churnLabels = labelsFor(table.account, days, input.events, ['churn'], horizon)
  const anyLabels = labelsFor(table.account, days, input.events, ['churn', 'contraction'], horizon)
  const bootstrap = { rounds: options.bootstrapRounds, seed: options.seed }
  const churn = aucFigure(table, churnLabels, bootstrap)
  const churnOrContraction = aucFigure(table, anyLabels, bootstrap)

  const levels = trackLevels.map((level): LevelRow => {
    let count = 0
    let churned = 0
    let any = 0
    samples.forEach((sample, i) => {
      if (sample.level !== level) return
      count++
      churned += churnLabels[i]!
      any += anyLabels[i]!
    })
    return {
      level,
      samples: count,
      churned,
      rate: count > 0 ? churned / count : null,
      churnedOrContracted: any,
      rateAny: count > 0 ? any / count : null,
    }
  })
  const good = levels[0]!
  const bad = levels[2]!
  const lift = good.rate !== null && bad.rate !== null && good.rate > 0 ? bad.rate / good.rate : null

  const column = new Float64Array(table.n)
  const measures = healthMeasures.map((measure, m): MeasureRow => {
    let count = 0
    let churned = 0
    for (let i = 0; i < table.n; i++) {
      const score = table.measure[i * MEASURES + m]!
      column[i] = score
      if (Number.isNaN(score)) continue
      count++
      churned += churnLabels[i]!
    }
    return { measure, samples: count, churned, auc: auc(column, churnLabels), aucAny: auc(column, anyLabels) }
  })

  const scored = Int32Array.from(samples.flatMap((sample, i) => (sample.score === null ? [] : [i])))
  const scoredLabels = pick(churnLabels, scored)
  const whatIf = input.whatIfWeights
    ? {
        weights: input.whatIfWeights,
        auc: auc(scoresUnder(table, input.whatIfWeights, scored), scoredLabels),
        todayAuc: auc(scoresUnder(table, input.todayWeights, scored), scoredLabels),
        samples: scored.length,
      }
    : null

  const enough = churn.positiveAccounts >= options.minPositiveAccounts && churn.samples >= options.minSamples
  return {
    horizonDays: horizon,
    observedUntil: input.observedUntil,
    minimum: { positiveAccounts: options.minPositiveAccounts, samples: options.minSamples },
    enough,
    samples: samples.length,
    accounts: new Set(table.account).size,
    withoutScore: samples.length - scored.length,
    pending: input.samples.length - samples.length,
    churn,
    churnOrContraction,
    levels,
    lift,
    measures,
    events: eventRows(input.events, input.history ?? input.samples, options.lookbackDays),
    whatIf,
    fitted:
      input.fit === false || !enough
        ? null
        : fitted(
            tableOf(
              scored.length === samples.length ? samples : Array.from(scored, (i) => samples[i]!),
              input.todayWeights,
            ),
            scoredLabels,
            input.todayWeights,
            options,
          ),
  }
}
