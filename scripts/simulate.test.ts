import { expect, test } from 'vitest'
import { db } from '#tests/db.ts'
import { runSimulation } from './simulate.ts'

// The same code path as `npm run simulate`, on this file's test database and a small world: the
// generator is seeded and the scoring deterministic, so the figures are the same on every run.
test('in a small simulated community, the accounts scored BAD churn more often than the GOOD ones', async () => {
  const result = await runSimulation(db, { accounts: 60, seed: 20250101 })

  expect(result.ledgerRows).toBeGreaterThan(10_000)
  expect(result.scoringDates).toEqual(['2025-06-30', '2025-08-14', '2025-09-28'])
  const level = (name: string) => result.levels.find((row) => row.level === name)!
  expect(level('GOOD').accounts).toBeGreaterThan(0)
  expect(level('BAD').accounts).toBeGreaterThan(0)
  expect(level('BAD').share!).toBeGreaterThan(level('GOOD').share!)
  expect(result.auc).toBeGreaterThan(0.6)
  // Every snapshot is of an account that had not churned by its day.
  expect(result.samples.length).toBe(result.levels.reduce((sum, row) => sum + row.accounts, 0))
}, 60_000)
