import { expect, test } from 'vitest'
import {
  annualise,
  bucketOf,
  granularityOf,
  kpisByTier,
  movementBuckets,
  movementOf,
  movementRows,
  noFigures,
  type PortfolioFigures,
  parsePortfolioTier,
  periodDayRange,
  portfolioKpis,
  type RenewingAccount,
  renewalAtRisk,
  renewalWindowRows,
} from './portfolio.ts'

const figures = (overrides: Partial<PortfolioFigures>): PortfolioFigures => ({ ...noFigures(), ...overrides })

test('each outcome kind moves ARR one way: a renewal up is expansion, down is contraction', () => {
  expect(movementOf('new', 0, 1_000)).toEqual({ new: 1_000, expansion: 0, contraction: 0, churn: 0 })
  expect(movementOf('renewal', 1_000, 1_300)).toEqual({ new: 0, expansion: 300, contraction: 0, churn: 0 })
  expect(movementOf('renewal', 1_000, 800)).toEqual({ new: 0, expansion: 0, contraction: 200, churn: 0 })
  expect(movementOf('renewal', 1_000, 1_000)).toEqual({ new: 0, expansion: 0, contraction: 0, churn: 0 })
  expect(movementOf('expansion', 1_000, 1_500).expansion).toBe(500)
  expect(movementOf('contraction', 1_000, 600).contraction).toBe(400)
  expect(movementOf('churn', 900, 0)).toEqual({ new: 0, expansion: 0, contraction: 0, churn: 900 })
  expect(movementRows({ new: 10, expansion: 5, contraction: 3, churn: 2 }).at(-1)).toEqual({ kind: 'net', jpy: 10 })
})

test('the period in days: outcomes dated from the first midnight at or after `from` to before that of `to`', () => {
  const to = new Date('2026-12-07T06:23:00Z')
  expect(periodDayRange({ from: new Date(to.getTime() - 30 * 86_400_000), to })).toEqual({
    startDay: '2026-11-08',
    endDay: '2026-12-08',
    days: 30,
  })
  const midnight = new Date('2026-12-07T00:00:00Z')
  expect(periodDayRange({ from: new Date('2026-11-30T00:00:00Z'), to: midnight })).toEqual({
    startDay: '2026-11-30',
    endDay: '2026-12-07',
    days: 7,
  })
})

test('GRR, NRR, logo churn and LTV by hand, with the rate annualised by compounding', () => {
  // 4 logos with 12,000,000 at start; of them one churned (1,200,000), one shrank by 300,000, one grew by
  // 600,000; an account won in the period brought 2,000,000 new and grew 100,000 (not the start's).
  const kpis = portfolioKpis(
    'all',
    figures({
      logosStart: 4,
      churnedLogos: 1,
      arrStartJpy: 12_000_000,
      movement: { new: 2_000_000, expansion: 700_000, contraction: 300_000, churn: 1_200_000 },
      cohort: { expansion: 600_000, contraction: 300_000, churn: 1_200_000 },
    }),
    { days: 365, grossMargin: 0.75 },
  )
  expect(kpis.logoChurnRate).toBe(0.25)
  expect(kpis.grr).toBeCloseTo((12_000_000 - 300_000 - 1_200_000) / 12_000_000, 12) // 0.875
  expect(kpis.nrr).toBeCloseTo((12_000_000 + 600_000 - 300_000 - 1_200_000) / 12_000_000, 12) // 0.925
  expect(kpis.arrEndJpy).toBe(12_000_000 + 2_000_000 + 700_000 - 300_000 - 1_200_000)
  expect(kpis.revenueChurnPeriod).toBeCloseTo(0.125, 12)
  // A year-long period: the annual rate is the period's.
  expect(kpis.revenueChurnAnnual).toBeCloseTo(0.125, 12)
  expect(kpis.arpaJpy).toBe(3_000_000)
  // 3,000,000 × 0.75 ÷ 0.125 = 18,000,000
  expect(kpis.ltvJpy).toBeCloseTo(18_000_000, 4)
  expect(kpis.ltvUndefined).toBeNull()
})

test('annualisation: 1 − (1 − r)^(365 ÷ days), bounded at 100%', () => {
  expect(annualise(0.01, 365)).toBeCloseTo(0.01, 12)
  expect(annualise(0.01, 30)).toBeCloseTo(1 - 0.99 ** (365 / 30), 12) // ≈ 0.1153
  expect(annualise(0.5, 730)).toBeCloseTo(1 - 0.5 ** 0.5, 12)
  expect(annualise(1, 7)).toBe(1)
  expect(annualise(1.4, 30)).toBe(1)
  expect(annualise(0, 30)).toBe(0)
  const kpis = portfolioKpis(
    'high',
    figures({ logosStart: 2, arrStartJpy: 10_000_000, cohort: { expansion: 0, contraction: 100_000, churn: 0 } }),
    { days: 30, grossMargin: 0.8 },
  )
  const annual = 1 - 0.99 ** (365 / 30)
  expect(kpis.revenueChurnAnnual).toBeCloseTo(annual, 12)
  expect(kpis.ltvJpy).toBeCloseTo((5_000_000 * 0.8) / annual, 4)
})

test('nothing lost: LTV is not defined, never Infinity; GRR is 100%', () => {
  const kpis = portfolioKpis(
    'low',
    figures({ logosStart: 3, arrStartJpy: 3_000_000, cohort: { expansion: 500_000, contraction: 0, churn: 0 } }),
    { days: 90, grossMargin: 0.75 },
  )
  expect(kpis.ltvJpy).toBeNull()
  expect(kpis.ltvUndefined).toBe('no_loss')
  expect(kpis.grr).toBe(1)
  expect(kpis.nrr).toBeCloseTo(3_500_000 / 3_000_000, 12)
  expect(kpis.logoChurnRate).toBe(0)
  expect(kpis.revenueChurnAnnual).toBe(0)
})

test('nobody at the start: every rate is null, not NaN, and the new ARR still moves', () => {
  const kpis = portfolioKpis('tech', figures({ movement: { new: 900, expansion: 0, contraction: 0, churn: 0 } }), {
    days: 30,
    grossMargin: 0.75,
  })
  for (const value of [kpis.logoChurnRate, kpis.grr, kpis.nrr, kpis.revenueChurnPeriod, kpis.arpaJpy, kpis.ltvJpy]) {
    expect(value).toBeNull()
  }
  expect(kpis.ltvUndefined).toBe('no_customers')
  expect(kpis.arrEndJpy).toBe(900)
  // Logos at start with no ARR at all (free accounts) have nothing to lose either.
  const free = portfolioKpis('tech', figures({ logosStart: 2 }), { days: 30, grossMargin: 0.75 })
  expect(free.ltvUndefined).toBe('no_customers')
  expect(free.logoChurnRate).toBe(0)
})

test('all accounts are the sum of the tiers, first', () => {
  const rows = kpisByTier(
    {
      high: figures({ logosStart: 1, arrStartJpy: 6_000_000, cohort: { expansion: 0, contraction: 0, churn: 0 } }),
      low: figures({
        logosStart: 2,
        churnedLogos: 1,
        arrStartJpy: 4_000_000,
        movement: { new: 0, expansion: 0, contraction: 0, churn: 2_000_000 },
        cohort: { expansion: 0, contraction: 0, churn: 2_000_000 },
      }),
      tech: noFigures(),
    },
    { days: 365, grossMargin: 0.5 },
  )
  expect(rows.map((row) => row.tier)).toEqual(['all', 'high', 'low', 'tech'])
  expect(rows[0]).toMatchObject({ logosStart: 3, churnedLogos: 1, arrStartJpy: 10_000_000 })
  expect(rows[0]!.grr).toBeCloseTo(0.8, 12)
  // ARPA 10,000,000 ÷ 3 × 0.5 ÷ 0.2
  expect(rows[0]!.ltvJpy).toBeCloseTo(((10_000_000 / 3) * 0.5) / 0.2, 4)
})

test('buckets: weeks from the first day up to 30 days, calendar months beyond', () => {
  expect(granularityOf(7)).toBe('week')
  expect(granularityOf(30)).toBe('week')
  expect(granularityOf(90)).toBe('month')
  expect(movementBuckets('2026-11-08', '2026-12-08', 'week')).toEqual([
    '2026-11-08',
    '2026-11-15',
    '2026-11-22',
    '2026-11-29',
    '2026-12-06',
  ])
  expect(bucketOf('2026-11-14', '2026-11-08', 'week')).toBe('2026-11-08')
  expect(bucketOf('2026-12-07', '2026-11-08', 'week')).toBe('2026-12-06')
  expect(movementBuckets('2026-09-08', '2026-12-08', 'month')).toEqual([
    '2026-09-01',
    '2026-10-01',
    '2026-11-01',
    '2026-12-01',
  ])
  expect(bucketOf('2026-10-31', '2026-09-08', 'month')).toBe('2026-10-01')
  expect(movementBuckets('2026-12-08', '2026-12-08', 'week')).toEqual([])
})

test('the tier parameter, and which renewals put ARR at risk', () => {
  expect(parsePortfolioTier('high')).toBe('high')
  expect(parsePortfolioTier('gold')).toBe('all')
  expect(parsePortfolioTier(null)).toBe('all')
  expect(renewalAtRisk('BAD', null)).toBe(true)
  expect(renewalAtRisk('NORMAL', 'BAD')).toBe(true)
  expect(renewalAtRisk('GOOD', 'BAD')).toBe(true)
  expect(renewalAtRisk('NORMAL', 'GOOD')).toBe(false)
  expect(renewalAtRisk('INSUFFICIENT_DATA', 'BAD')).toBe(false)
  expect(renewalAtRisk(null, null)).toBe(false)
})

test('renewal windows count from today: 30 is today and the 29 days after', () => {
  const account = (daysUntil: number, arrJpy: number | null, atRisk: boolean): RenewingAccount => ({
    accountId: daysUntil,
    accountName: `A${daysUntil}`,
    renewalDate: '2026-12-07',
    daysUntil,
    tier: 'low',
    arrMinor: arrJpy,
    arrCurrency: 'JPY',
    arrJpy,
    level: atRisk ? 'BAD' : 'GOOD',
    candidateLevel: null,
    atRisk,
  })
  const rows = renewalWindowRows([
    account(0, 100, true),
    account(29, 200, false),
    account(30, 400, true),
    account(89, null, true),
  ])
  expect(rows).toEqual([
    { days: 30, accounts: 2, arrJpy: 300, atRiskAccounts: 1, atRiskArrJpy: 100 },
    { days: 60, accounts: 3, arrJpy: 700, atRiskAccounts: 2, atRiskArrJpy: 500 },
    { days: 90, accounts: 4, arrJpy: 700, atRiskAccounts: 3, atRiskArrJpy: 500 },
  ])
})
