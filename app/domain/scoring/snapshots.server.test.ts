import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { type ActivityType, recordActivity } from '#app/domain/activity/ledger.server.ts'
import { addDays, daysBetween, isDay } from '#app/lib/days.ts'
import { insertAccount, insertUser } from '#app/server/seed/factories/index.ts'
import { accountScores, userScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { defaultScoringSettings, type ScoringSettings } from './settings.ts'
import { recomputeScores } from './snapshots.server.ts'

let sequence = 0

async function record(user: { id: number; accountId: number | null }, type: ActivityType, at: string, times = 1) {
  for (let i = 0; i < times; i++) {
    await recordActivity(db, {
      type,
      user,
      uniqueKey: `snapshot-test:${++sequence}`,
      subject: { type: 'test', id: sequence },
      occurredAt: new Date(at),
    })
  }
}

function account(overrides: Parameters<typeof insertAccount>[1]) {
  return insertAccount(db, { createdAt: new Date('2025-01-01T00:00:00Z'), contractStart: '2025-01-01', ...overrides })
}

async function snapshotOf(accountId: number, day: string) {
  const rows = await db.select().from(accountScores).where(eq(accountScores.asOf, day))
  return rows.find((row) => row.accountId === accountId)
}

function component(snapshot: Awaited<ReturnType<typeof snapshotOf>>, measure: string) {
  const found = snapshot?.components.find((c) => c.measure === measure)
  return found && { band: found.band, value: found.value, reason: found.reason.en }
}

test('days are checked, stepped and listed in UTC', () => {
  expect(isDay('2026-02-28')).toBe(true)
  expect(isDay('2026-02-30')).toBe(false)
  expect(isDay('20260228')).toBe(false)
  expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
  expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  expect(daysBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02'])
})

test('a small ledger gives each account its bands, reasons, level and play; a recompute replaces the day', async () => {
  const day = '2026-06-30'
  // GOOD: a high-touch account whose members answer, attend and solve their own problems.
  const acme = await account({ name: 'Acme', seats: 4, arrMinor: 10_000_000 })
  const [a1, a2, a3] = [
    await insertUser(db, { accountId: acme.id }),
    await insertUser(db, { accountId: acme.id }),
    await insertUser(db, { accountId: acme.id }),
  ]
  await record(a1, 'answer_posted', '2026-06-20T10:00:00Z', 2)
  await record(a1, 'answer_posted', '2026-05-20T10:00:00Z', 2)
  await record(a2, 'question_asked', '2026-06-25T10:00:00Z')
  await record(a2, 'event_attended', '2026-06-10T10:00:00Z', 3)
  await record(a3, 'ticket_deflected', '2026-06-15T10:00:00Z', 2)

  // BAD: a high-touch account that was busy and now mostly files tickets.
  const decline = await account({ name: 'Decline', seats: 10, arrMinor: 6_000_000 })
  const d1 = await insertUser(db, { accountId: decline.id })
  await record(d1, 'answer_posted', '2026-05-15T10:00:00Z', 10)
  await record(d1, 'ticket_filed', '2026-06-20T10:00:00Z', 3)
  await record(d1, 'comment_posted', '2026-06-28T10:00:00Z')

  // BAD by the hard risk: active once, silent for 90 days (tech touch: no ARR).
  const silent = await account({ name: 'Silent', seats: 5, arrMinor: null })
  await record(await insertUser(db, { accountId: silent.id }), 'answer_posted', '2026-04-01T10:00:00Z')

  // BAD onboarding: 21 days old and nothing done.
  const fresh = await account({
    name: 'Fresh',
    seats: 5,
    arrMinor: null,
    createdAt: new Date('2026-06-10T00:00:00Z'),
    contractStart: '2026-06-10',
  })
  // Too little to judge: no seat count, so only the events measure has data.
  const unknown = await account({ name: 'Unknown', seats: null, arrMinor: null })
  // Not yet a customer on the day: left out.
  await account({ name: 'Later', createdAt: new Date('2026-07-15T00:00:00Z') })

  const result = await recomputeScores(db, { day, settings: defaultScoringSettings })
  expect(result).toMatchObject({ day, previousDay: null, accounts: 5, changes: [] })

  const good = await snapshotOf(acme.id, day)
  expect(good).toMatchObject({ level: 'GOOD', score: 100, coverage: 0.91, tier: 'high', play: 'grow_champions' })
  expect(component(good, 'engagement')).toEqual({
    band: 'GOOD',
    value: 75,
    reason: 'Engagement per seat: 6 points, the 75th percentile among 2 high-touch accounts',
  })
  expect(component(good, 'trend')).toEqual({
    band: 'GOOD',
    value: 433,
    reason: 'Activity rose 433% against the previous 30 days (6 → 32 points)',
  })
  expect(component(good, 'breadth')).toMatchObject({
    band: 'GOOD',
    reason: 'Breadth: 3 of 4 seats active in the last 28 days (75%)',
  })
  expect(component(good, 'supportLoad')).toMatchObject({
    band: 'GOOD',
    reason: 'No tickets filed in the last 90 days',
  })
  expect(component(good, 'selfService')).toMatchObject({
    band: 'GOOD',
    value: 100,
    reason: 'Deflection rate: 2 of 2 requests for help solved without a ticket in the last 90 days (100%)',
  })
  expect(component(good, 'events')).toMatchObject({ band: 'GOOD', value: 3 })
  expect(component(good, 'sentiment')).toMatchObject({ band: null, value: null })
  expect(good?.summary.en).toBe('GOOD: engagement at the 75th percentile; activity rose 433%')

  const bad = await snapshotOf(decline.id, day)
  expect(bad).toMatchObject({ level: 'BAD', score: 17.1, play: 'csm_call', hardRisk: null })
  expect(component(bad, 'engagement')).toMatchObject({ band: 'NORMAL', value: 25 })
  expect(component(bad, 'trend')).toEqual({
    band: 'BAD',
    value: -97,
    reason: 'Activity fell 97% against the previous 30 days (30 → 1 points)',
  })
  expect(component(bad, 'breadth')).toMatchObject({
    band: 'BAD',
    value: 10,
    reason: 'Breadth: 1 of 10 seats active in the last 28 days (10%)',
  })
  expect(component(bad, 'supportLoad')).toEqual({
    band: 'BAD',
    value: 0.3,
    reason: '3 tickets in the last 90 days, 0.3 per seat: 2× the high-touch median of 0.15',
  })
  expect(component(bad, 'selfService')).toMatchObject({ band: 'BAD', value: 0 })
  expect(component(bad, 'events')).toMatchObject({
    band: 'BAD',
    reason: 'No member attended an event in the last 90 days',
  })
  expect(bad?.playReason.en).toBe('BAD and high touch: the CSM books a 1:1 call to hear what is not working.')
  expect(bad?.summary.ja).toBe('要注意：活動が 97% 減少、利用の広がり 10%、シートあたり 0.3 件の問い合わせ')

  const quiet = await snapshotOf(silent.id, day)
  expect(quiet).toMatchObject({ level: 'BAD', hardRisk: 'silent', tier: 'tech', play: 'send_searched_articles' })
  expect(quiet?.summary.en).toMatch(/^BAD: no activity for 90 days/)

  const young = await snapshotOf(fresh.id, day)
  // No ticket from an account that did nothing is no data, not GOOD support load.
  expect(young).toMatchObject({ level: 'BAD', coverage: 0.61, score: 0 })
  expect(component(young, 'supportLoad')).toMatchObject({ band: null })
  expect(component(young, 'onboarding')).toEqual({
    band: 'BAD',
    value: 0,
    reason: "Onboarding: no activity in the account's first 14 days",
  })
  expect(component(young, 'engagement')).toMatchObject({
    band: 'BAD',
    reason: 'Engagement per seat: no member of the account has engagement points',
  })

  const unsure = await snapshotOf(unknown.id, day)
  expect(unsure).toMatchObject({ level: 'INSUFFICIENT_DATA', coverage: 0.13, play: 'onboarding_check_in' })
  expect(unsure?.summary.en).toBe('Insufficient data: measures with data carry 13% of the weight (50% needed)')

  // Members: points as of the day, with their account; the silent member's points have all but decayed.
  const members = await db.select().from(userScores).where(eq(userScores.asOf, day))
  expect(members.find((m) => m.userId === a2.id)).toMatchObject({
    accountId: acme.id,
    points: 16.9,
    level: 'participant',
    components: { question_asked: 1.8, event_attended: 15.1 },
  })
  expect(members.find((m) => m.userId === a3.id)).toBeUndefined()

  // The same day again: the same rows, not twice as many.
  const again = await recomputeScores(db, { day, settings: defaultScoringSettings })
  expect(again).toMatchObject({ accounts: 5, users: result.users })
  const rows = await db.select().from(accountScores).where(eq(accountScores.asOf, day))
  expect(rows).toHaveLength(5)
  expect((await snapshotOf(acme.id, day))?.components).toEqual(good?.components)

  // The next day under settings that weigh engagement alone: Decline moves to NORMAL and says since when;
  // the accounts whose level held keep the day their run began.
  const engagementOnly: ScoringSettings = {
    ...defaultScoringSettings,
    health: {
      ...defaultScoringSettings.health,
      weights: {
        engagement: 1,
        trend: 0,
        breadth: 0,
        supportLoad: 0,
        selfService: 0,
        events: 0,
        sentiment: 0,
        onboarding: 0,
      },
      overall: { ...defaultScoringSettings.health.overall, minCoverage: 0 },
    },
  }
  const next = addDays(day, 1)
  const moved = await recomputeScores(db, { day: next, settings: engagementOnly })
  expect(moved.previousDay).toBe(day)
  expect(moved.changes).toContainEqual(
    expect.objectContaining({ accountId: decline.id, from: 'BAD', to: 'NORMAL', day: next }),
  )
  expect(moved.changes.find((c) => c.accountId === acme.id)).toBeUndefined()
  const declineNext = await snapshotOf(decline.id, next)
  expect(declineNext).toMatchObject({ level: 'NORMAL', levelSince: next })
  expect(declineNext?.change?.en).toBe('NORMAL since 1 Jul')
  expect(await snapshotOf(acme.id, next)).toMatchObject({ level: 'GOOD', levelSince: day, change: null })
})

test('member levels keep their hysteresis from one snapshot to the next', async () => {
  const member = await insertUser(db)
  // 9 answers: 27 points on the day, a contributor (from 25)...
  await record(member, 'answer_posted', '2026-09-01T10:00:00Z', 9)
  await recomputeScores(db, { day: '2026-09-01' })
  const [first] = await db.select().from(userScores).where(eq(userScores.userId, member.id))
  expect(first).toMatchObject({ points: 27, level: 'contributor' })
  // ...four days later the answers are worth 24.6: under 25, not under 0.9 × 25, so still a contributor.
  await recomputeScores(db, { day: '2026-09-05' })
  const later = await db.select().from(userScores).where(eq(userScores.userId, member.id))
  expect(later.find((row) => row.asOf === '2026-09-05')).toMatchObject({ points: 24.6, level: 'contributor' })
})
