import { expect, test } from 'vitest'
import type { HealthLevel } from '#app/domain/scoring/settings.ts'
import { defaultScoringSettings } from '#app/domain/scoring/settings.ts'
import { insertAccount, insertStaff } from '#app/server/seed/factories/index.ts'
import { accountOutcomes } from '#db/schema/identity.ts'
import { accountScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { getManagerDashboard } from './dashboard.server.ts'
import { lastDays } from './periods.ts'
import { portfolioReport } from './portfolio.server.ts'

// One hand-made portfolio, its KPIs worked out by hand below. The period is the 90 days to
// 2041-07-01 12:00 UTC: outcomes dated 2041-04-03 to 2041-07-01 are in it (the first midnight at or
// after its start is 3 April; 2 July is after its end), the state at the start is after those up to 2 April.
const now = new Date('2041-07-01T12:00:00Z')
const period = lastDays(90, now)
const settings = { ...defaultScoringSettings, grossMargin: 0.75 }

type Kind = (typeof accountOutcomes.$inferInsert)['kind']

/** Outcome rows as the recording code would write them: kind, day, ARR before and after. */
async function outcomes(account: { id: number; arrCurrency: string }, rows: [Kind, string, number, number][]) {
  await db.insert(accountOutcomes).values(
    rows.map(([kind, effectiveOn, arrBeforeMinor, arrAfterMinor]) => ({
      accountId: account.id,
      kind,
      effectiveOn,
      arrBeforeMinor,
      arrAfterMinor,
      currency: account.arrCurrency,
      source: 'system' as const,
    })),
  )
}

async function snapshot(accountId: number, day: string, level: HealthLevel, candidateLevel: HealthLevel | null = null) {
  const text = { en: level, ja: level }
  await db.insert(accountScores).values({
    accountId,
    asOf: day,
    level,
    candidateLevel,
    candidateSince: candidateLevel ? day : null,
    score: 50,
    coverage: 1,
    tier: 'low',
    components: [],
    summary: text,
    levelSince: day,
    play: 'csm_review',
    playReason: text,
    engagementPoints: 0,
    activeMembers: 0,
    champions: 0,
  })
}

async function seedPortfolio() {
  // High at start (6,000,000 JPY); renewed up by 1,000,000 in the period; renews today, BAD.
  const alpha = await insertAccount(db, { name: 'Alpha', arrMinor: 7_000_000, renewalDate: '2041-07-01' })
  await outcomes(alpha, [
    ['new', '2040-01-10', 0, 6_000_000],
    ['renewal', '2041-05-01', 6_000_000, 7_000_000],
  ])
  await snapshot(alpha.id, '2041-06-30', 'BAD')
  // Low at start: 20,000.00 USD = 3,000,000 JPY; shrank on the period's first day to 16,000.00 USD
  // (contraction 600,000 JPY); renews in 45 days, NORMAL heading for BAD on its latest snapshot.
  const bravo = await insertAccount(db, {
    name: 'Bravo',
    arrMinor: 1_600_000,
    arrCurrency: 'USD',
    renewalDate: '2041-08-15',
  })
  await outcomes(bravo, [
    ['new', '2040-03-01', 0, 2_000_000],
    ['contraction', '2041-04-03', 2_000_000, 1_600_000],
  ])
  await snapshot(bravo.id, '2041-06-01', 'BAD')
  await snapshot(bravo.id, '2041-06-30', 'NORMAL', 'BAD')
  // Low at start (1,500,000); churned in the period: a churned logo, churn 1,500,000; not renewing.
  const charlie = await insertAccount(db, {
    name: 'Charlie',
    arrMinor: 0,
    renewalDate: '2041-07-10',
    churnedAt: new Date('2041-06-15T00:00:00Z'),
  })
  await outcomes(charlie, [
    ['new', '2040-05-01', 0, 1_500_000],
    ['churn', '2041-06-15', 1_500_000, 0],
  ])
  await snapshot(charlie.id, '2041-06-14', 'BAD')
  // Tech: renewed up the day before the start (its ARR at start is 500,000) and again the day after
  // the end (not in the period); renews in 89 days, GOOD.
  const delta = await insertAccount(db, { name: 'Delta', arrMinor: 500_000, renewalDate: '2041-09-28' })
  await outcomes(delta, [
    ['new', '2040-06-01', 0, 400_000],
    ['renewal', '2041-04-02', 400_000, 500_000],
    ['renewal', '2041-07-02', 500_000, 900_000],
  ])
  await snapshot(delta.id, '2041-06-30', 'GOOD')
  // Churned before the period: no logo at start, nothing moves.
  const echo = await insertAccount(db, { name: 'Echo', arrMinor: 0, churnedAt: new Date('2041-01-01T00:00:00Z') })
  await outcomes(echo, [
    ['new', '2039-01-01', 0, 1_000_000],
    ['churn', '2041-01-01', 1_000_000, 0],
  ])
  // 800,000 would be tech, but staff made it high touch; renews in 90 days: outside the windows.
  const foxtrot = await insertAccount(db, {
    name: 'Foxtrot',
    arrMinor: 800_000,
    touchTierOverride: 'high',
    renewalDate: '2041-09-29',
  })
  await outcomes(foxtrot, [['new', '2040-07-01', 0, 800_000]])
  // Won in the period (2,000,000 new, so low) and grown by 500,000: not part of the start's cohort.
  // Renewed yesterday: not upcoming.
  const golf = await insertAccount(db, { name: 'Golf', arrMinor: 2_500_000, renewalDate: '2041-06-30' })
  await outcomes(golf, [
    ['new', '2041-05-20', 0, 2_000_000],
    ['expansion', '2041-06-01', 2_000_000, 2_500_000],
  ])
  // An account with no ARR and no outcomes: not a customer in these figures.
  await insertAccount(db, { name: 'Hotel', arrMinor: null, renewalDate: null })
  return { alpha, bravo, delta }
}

const seeded = seedPortfolio()

test('the KPIs of a hand-made portfolio, overall and per tier', async () => {
  await seeded
  const report = await portfolioReport(db, { period, tier: 'all', settings })
  expect(report).toMatchObject({ startDay: '2041-04-03', endDay: '2041-07-02', days: 90, today: '2041-07-01' })

  const [all, high, low, tech] = report.byTier
  // Start: Alpha 6,000,000 + Foxtrot 800,000 (high); Bravo 3,000,000 + Charlie 1,500,000 (low); Delta 500,000.
  expect(high).toMatchObject({
    tier: 'high',
    logosStart: 2,
    churnedLogos: 0,
    arrStartJpy: 6_800_000,
    movement: { new: 0, expansion: 1_000_000, contraction: 0, churn: 0 },
    cohort: { expansion: 1_000_000, contraction: 0, churn: 0 },
    grr: 1,
    ltvJpy: null,
    ltvUndefined: 'no_loss',
  })
  expect(high!.nrr).toBeCloseTo(7_800_000 / 6_800_000, 12)
  expect(low).toMatchObject({
    tier: 'low',
    logosStart: 2,
    churnedLogos: 1,
    arrStartJpy: 4_500_000,
    movement: { new: 2_000_000, expansion: 500_000, contraction: 600_000, churn: 1_500_000 },
    cohort: { expansion: 0, contraction: 600_000, churn: 1_500_000 },
    logoChurnRate: 0.5,
  })
  expect(low!.grr).toBeCloseTo((4_500_000 - 2_100_000) / 4_500_000, 12)
  expect(tech).toMatchObject({ logosStart: 1, arrStartJpy: 500_000, grr: 1, nrr: 1, ltvUndefined: 'no_loss' })

  // All: 5 logos, 11,800,000 at start; the start's accounts lost 600,000 + 1,500,000 and grew 1,000,000.
  expect(all).toMatchObject({
    tier: 'all',
    logosStart: 5,
    churnedLogos: 1,
    arrStartJpy: 11_800_000,
    movement: { new: 2_000_000, expansion: 1_500_000, contraction: 600_000, churn: 1_500_000 },
    cohort: { expansion: 1_000_000, contraction: 600_000, churn: 1_500_000 },
    logoChurnRate: 0.2,
    // Alpha 7,000,000 + Bravo 2,400,000 + Delta 500,000 + Foxtrot 800,000 + Golf 2,500,000
    arrEndJpy: 13_200_000,
    arpaJpy: 2_360_000,
    grossMargin: 0.75,
  })
  expect(all!.grr).toBeCloseTo(9_700_000 / 11_800_000, 12)
  expect(all!.nrr).toBeCloseTo(10_700_000 / 11_800_000, 12)
  const annual = 1 - (1 - 2_100_000 / 11_800_000) ** (365 / 90)
  expect(all!.revenueChurnAnnual).toBeCloseTo(annual, 12)
  expect(all!.ltvJpy).toBeCloseTo((2_360_000 * 0.75) / annual, 4)
  expect(report.kpis).toEqual(all)
  expect(report.movement).toEqual([
    { kind: 'new', jpy: 2_000_000 },
    { kind: 'expansion', jpy: 1_500_000 },
    { kind: 'contraction', jpy: 600_000 },
    { kind: 'churn', jpy: 1_500_000 },
    { kind: 'net', jpy: 1_400_000 },
  ])

  // 90 days: by calendar month; July's renewal is after the end.
  expect(report.granularity).toBe('month')
  expect(report.series).toEqual([
    { bucket: '2041-04-01', new: 0, expansion: 0, contraction: 600_000, churn: 0, net: -600_000 },
    { bucket: '2041-05-01', new: 2_000_000, expansion: 1_000_000, contraction: 0, churn: 0, net: 3_000_000 },
    { bucket: '2041-06-01', new: 0, expansion: 500_000, contraction: 0, churn: 1_500_000, net: -1_000_000 },
    { bucket: '2041-07-01', new: 0, expansion: 0, contraction: 0, churn: 0, net: 0 },
  ])
})

test('renewals in the next 30/60/90 days with their latest health and the ARR at risk', async () => {
  const { alpha, bravo, delta } = await seeded
  const report = await portfolioReport(db, { period, tier: 'all', settings })
  expect(
    report.renewing.map((row) => [row.accountId, row.daysUntil, row.tier, row.arrJpy, row.level, row.atRisk]),
  ).toEqual([
    [alpha.id, 0, 'high', 7_000_000, 'BAD', true],
    [bravo.id, 45, 'low', 2_400_000, 'NORMAL', true],
    [delta.id, 89, 'tech', 500_000, 'GOOD', false],
  ])
  expect(report.renewing[1]).toMatchObject({ candidateLevel: 'BAD', arrMinor: 1_600_000, arrCurrency: 'USD' })
  expect(report.renewals).toEqual([
    { days: 30, accounts: 1, arrJpy: 7_000_000, atRiskAccounts: 1, atRiskArrJpy: 7_000_000 },
    { days: 60, accounts: 2, arrJpy: 9_400_000, atRiskAccounts: 2, atRiskArrJpy: 9_400_000 },
    { days: 90, accounts: 3, arrJpy: 9_900_000, atRiskAccounts: 2, atRiskArrJpy: 9_400_000 },
  ])
})

test('one tier: its KPIs, its series and its renewals; the table keeps every tier', async () => {
  const { bravo } = await seeded
  const report = await portfolioReport(db, { period: lastDays(30, now), tier: 'low', settings })
  // 30 days: 2041-06-02 to 2041-07-01, by weeks from 2 June. Only Charlie's churn moves low touch.
  expect(report).toMatchObject({ startDay: '2041-06-02', endDay: '2041-07-02', granularity: 'week' })
  expect(report.kpis).toMatchObject({
    tier: 'low',
    // Bravo (2,400,000 after its contraction), Charlie (1,500,000), Golf (2,500,000 after its expansion)
    logosStart: 3,
    churnedLogos: 1,
    arrStartJpy: 6_400_000,
    movement: { new: 0, expansion: 0, contraction: 0, churn: 1_500_000 },
  })
  const annual = 1 - (1 - 1_500_000 / 6_400_000) ** (365 / 30)
  expect(report.kpis.revenueChurnAnnual).toBeCloseTo(annual, 12)
  expect(report.kpis.ltvJpy).toBeCloseTo(((6_400_000 / 3) * 0.75) / annual, 4)
  expect(report.series.map((row) => row.bucket)).toEqual([
    '2041-06-02',
    '2041-06-09',
    '2041-06-16',
    '2041-06-23',
    '2041-06-30',
  ])
  expect(report.series.find((row) => row.churn > 0)).toMatchObject({ bucket: '2041-06-09', churn: 1_500_000 })
  expect(report.byTier.map((row) => row.tier)).toEqual(['all', 'high', 'low', 'tech'])
  expect(report.renewing.map((row) => row.accountId)).toEqual([bravo.id])
})

test('the dashboard carries the section for the tier asked for, and the gross margin setting', async () => {
  await seeded
  const manager = await insertStaff(db, { role: 'manager' })
  const outcome = await getManagerDashboard(db, { actor: manager, days: 90, tier: 'high', now })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  expect(outcome.value.portfolio.tier).toBe('high')
  expect(outcome.value.portfolio.kpis).toMatchObject({ logosStart: 2, arrStartJpy: 6_800_000, grossMargin: 0.75 })
})
