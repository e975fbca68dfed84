import { sql } from 'drizzle-orm'
import { afterEach, expect, test } from 'vitest'
import { healthMeasures } from '#app/domain/scoring/settings.ts'
import { db } from '#tests/db.ts'
import { formatReport, runSimulation, type SimulationResult } from './simulate.ts'
import { churnCauses, isHealthyProfile } from './simulate-lib.ts'

// The same code path as `npm run simulate`, on this file's test database and small worlds scored every
// two weeks on fewer sample days. The scoring model changes under these tests, so they check the
// structure of a run and properties of the world, not the score's figures.

// Each world wants an empty database: the tables a simulation writes are emptied after each test.
afterEach(async () => {
  await db.execute(
    sql`truncate account_scores, user_scores, event_surveys, activity_events, events, users, accounts restart identity cascade`,
  )
})

/** What every run must hold, whatever the model makes of the world. */
function expectConsistent(result: SimulationResult) {
  // Sample days are recompute days, and recomputes come in date order on the cadence before them.
  expect(result.recomputeDates).toEqual([...result.recomputeDates].sort())
  for (const date of result.sampleDates) expect(result.recomputeDates).toContain(date)
  expect(result.samples.length).toBe(result.levels.reduce((sum, row) => sum + row.accounts, 0))
  expect(result.hardRisks.reduce((sum, row) => sum + row.samples, 0)).toBe(result.samples.length)
  for (const sample of result.samples) {
    // Only accounts that had not churned by the sample day are scored; churn is followed 90 days.
    if (sample.churnDay !== null) expect(sample.churnDay).toBeGreaterThan(sample.day)
    const inFollowUp = sample.churnDay !== null && sample.churnDay <= sample.day + result.followUpDays
    expect(sample.churned).toBe(inFollowUp)
    expect(sample.churnChance).toBeGreaterThan(0)
  }
  expect(result.measures.map((row) => row.measure)).toEqual([...healthMeasures])
  expect(result.auc).not.toBeNull()
  expect(result.latentAuc).toBeGreaterThan(0.6)
  // The page's track record, on the same samples, agrees with the simulation's own figures.
  expect(result.trackRecordCheck).toEqual({ ok: true, problems: [] })
  expect(result.trackRecord.churn.auc).toBeCloseTo(result.auc!, 9)
  expect(result.trackRecord.samples).toBe(result.samples.length)
}

test('the baseline world: scored on a cadence, sampled monthly, measured against the churn that followed', async () => {
  const result = await runSimulation(db, {
    world: 'baseline',
    accounts: 40,
    seed: 20250101,
    sampling: { first: 158, every: 56, last: 270 },
    cadence: 14,
  })
  expect(result.world).toBe('baseline')
  expect(result.sampleDates).toEqual(['2025-06-08', '2025-08-03', '2025-09-28'])
  expect(result.recomputeDates[0]).toBe('2025-04-27')
  expect(result.ledgerRows).toBeGreaterThan(5_000)
  expectConsistent(result)
  expect(result.targets).toBeNull()
  expect(result.ok).toBe(result.verdict.ok)
  expect(formatReport(result, { totalMs: 1000 })).toContain('World "baseline"')
}, 120_000)

test('the causes world: every cause and noisy profile, per-cause AUC, noisy BAD, level changes and targets', async () => {
  const result = await runSimulation(db, {
    world: 'causes',
    accounts: 48,
    seed: 20250101,
    sampling: { first: 118, every: 56, last: 398 },
    cadence: 14,
  })
  // Two of them inside the generator's own Golden Week and Obon lulls.
  expect(result.sampleDates).toEqual([
    '2025-04-29',
    '2025-06-24',
    '2025-08-19',
    '2025-10-14',
    '2025-12-09',
    '2026-02-03',
  ])
  expectConsistent(result)
  expect(Object.keys(result.profiles).length).toBeGreaterThan(8)
  // The causes world's accounts that churn of a cause churn after it set in, and more than healthy ones.
  const churnShare = (healthy: boolean) => {
    const rows = result.samples.filter((sample) => isHealthyProfile(sample.profile) === healthy)
    return rows.filter((sample) => sample.churned).length / rows.length
  }
  expect(churnShare(false)).toBeGreaterThan(2 * churnShare(true))
  expect(result.causes.map((row) => row.cause)).toEqual(
    [...churnCauses, 'other'].filter((cause) => cause === 'other' || cause in result.profiles),
  )
  expect(result.wronglyBad.map((row) => row.group)).toContain('all noisy')
  expect(result.levelChanges.at(-1)?.group).toBe('all steady')
  // 1 overall AUC, 1 per cause present, BAD ÷ GOOD, wrongly BAD and level changes.
  expect(result.targets).toHaveLength(result.causes.length - 1 + 4)
  expect(result.ok).toBe(result.targets!.every((row) => row.ok))
  const report = formatReport(result, { totalMs: 1000 })
  expect(report).toContain('TARGETS (causes world):')
  expect(report).toContain('Per churn cause')
}, 120_000)
