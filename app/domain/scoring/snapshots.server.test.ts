import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { type ActivityType, recordActivity } from '#app/domain/activity/ledger.server.ts'
import { addDays, daysBetween, isDay } from '#app/lib/days.ts'
import { insertAccount, insertUser } from '#app/server/seed/factories/index.ts'
import { accountScores, userScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { defaultScoringSettings, type ScoringSettings } from './settings.ts'
import { recomputeScores } from './snapshots.server.ts'

/** The model's definition as these tests hold it: the overall bands, the weights and the champion
 *  window the numbers below are worked out with, written out rather than read from the defaults, which
 *  simulation tunes (decision 035). */
const model: ScoringSettings = {
  ...defaultScoringSettings,
  health: {
    ...defaultScoringSettings.health,
    overall: { goodFrom: 75, normalFrom: 50, minCoverage: 0.5, margin: 5, confirmDays: 7 },
    weights: {
      engagement: 3,
      trend: 1.5,
      breadth: 2,
      breadthChange: 2,
      champions: 2,
      supportLoad: 1,
      ticketSurge: 1.5,
      selfService: 1,
      events: 1,
      sentiment: 2,
      onboarding: 2,
    },
    champions: { baselineDays: 90, silentDays: 28, minShare: 0.25, minPoints: 15, normalFrom: 0.25, badFrom: 0.5 },
  },
}

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

  const result = await recomputeScores(db, { day, settings: model })
  expect(result).toMatchObject({ day, previousDay: null, accounts: 5, changes: [] })

  const good = await snapshotOf(acme.id, day)
  // Coverage 11 of 17: no survey answers, too few members 60 working days ago to compare breadth with,
  // and too few contributions before the last 28 working days to tell who carries the account.
  expect(good).toMatchObject({ level: 'GOOD', score: 100, coverage: 0.65, tier: 'high', play: 'grow_champions' })
  expect(good).toMatchObject({ levelSince: day, candidateLevel: 'GOOD', candidateSince: day })
  expect(component(good, 'engagement')).toEqual({
    band: 'GOOD',
    value: 75,
    reason: 'Engagement per seat: 6 points, the 75th percentile among 2 high-touch accounts',
  })
  expect(component(good, 'trend')).toEqual({
    band: 'GOOD',
    value: 433,
    reason:
      "Activity rose 433% against the previous 28 days (6 → 32 points; holidays and each span's quietest week not counted)",
  })
  expect(component(good, 'breadth')).toMatchObject({
    band: 'GOOD',
    reason: 'Breadth: 3 of 4 seats active in the last 28 days, holidays not counted (75%)',
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
  expect(component(good, 'ticketSurge')).toMatchObject({ band: 'GOOD', value: 0 })
  expect(component(good, 'breadthChange')).toMatchObject({ band: null })
  expect(component(good, 'champions')).toMatchObject({ band: null })
  expect(good?.summary.en).toBe('GOOD: engagement at the 75th percentile; breadth 75%')

  const bad = await snapshotOf(decline.id, day)
  expect(bad).toMatchObject({ level: 'BAD', score: 45.4, coverage: 0.76, play: 'csm_call', hardRisk: null })
  expect(component(bad, 'engagement')).toMatchObject({ band: 'NORMAL', value: 25 })
  expect(component(bad, 'trend')).toEqual({
    band: 'BAD',
    value: -97,
    reason:
      "Activity fell 97% against the previous 28 days (30 → 1 points; holidays and each span's quietest week not counted)",
  })
  expect(component(bad, 'breadth')).toMatchObject({
    band: 'BAD',
    value: 10,
    reason: 'Breadth: 1 of 10 seats active in the last 28 days, holidays not counted (10%)',
  })
  // Per active member now: its one member filed 3, Acme's three none, so the median is 1.5.
  expect(component(bad, 'supportLoad')).toEqual({
    band: 'NORMAL',
    value: 3,
    reason: '3 tickets in the last 90 days, 3 per active member: 2× the high-touch median of 1.5',
  })
  // Its one member gave all of the contributions before the last 28 working days and is still here.
  expect(component(bad, 'champions')).toMatchObject({ band: 'GOOD', value: 0 })
  expect(component(bad, 'ticketSurge')).toMatchObject({ band: 'GOOD', value: 3 })
  expect(component(bad, 'selfService')).toMatchObject({ band: 'BAD', value: 0 })
  expect(component(bad, 'events')).toMatchObject({
    band: 'BAD',
    reason: 'No member attended an event in the last 90 days',
  })
  expect(bad?.playReason.en).toBe('BAD and high touch: the CSM books a 1:1 call to hear what is not working.')
  expect(bad?.summary.en).toBe('BAD: breadth 10%; activity fell 97%; deflection rate 0%')
  expect(bad?.summary.ja).toBe('要注意：利用の広がり 10%、活動が 97% 減少、自己解決率 0%')

  const quiet = await snapshotOf(silent.id, day)
  expect(quiet).toMatchObject({ level: 'BAD', hardRisk: 'silent', tier: 'tech', play: 'send_searched_articles' })
  // 90 calendar days since 1 Apr, less the 8 of Golden Week.
  expect(quiet?.summary.en).toMatch(/^BAD: no activity for 82 days/)

  const young = await snapshotOf(fresh.id, day)
  // No ticket from an account that did nothing is no data, not GOOD support load. The comparisons with
  // its own past cannot apply to a 21-day-old account: they weigh nothing, as onboarding weighs
  // nothing for an old one, so the measures it has (engagement, breadth, events, onboarding: 8.5 of
  // 16) judge it.
  expect(young).toMatchObject({ level: 'BAD', coverage: 0.53, score: 0 })
  expect(young?.components.find((c) => c.measure === 'breadthChange')).toMatchObject({ band: null, weight: 0 })
  expect(young?.components.find((c) => c.measure === 'ticketSurge')).toMatchObject({ band: null, weight: 0 })
  expect(component(young, 'supportLoad')).toMatchObject({ band: null })
  expect(component(young, 'onboarding')).toEqual({
    band: 'BAD',
    value: null,
    reason: "Onboarding: no activity in the account's first 14 days",
  })
  expect(component(young, 'engagement')).toMatchObject({
    band: 'BAD',
    reason: 'Engagement per seat: no member of the account has engagement points',
  })

  const unsure = await snapshotOf(unknown.id, day)
  // Only events have data (no ticket and nobody active says nothing about a surge): 1.5 of 17.5.
  expect(unsure).toMatchObject({ level: 'INSUFFICIENT_DATA', coverage: 0.09, play: 'onboarding_check_in' })
  expect(unsure?.summary.en).toBe('Insufficient data: measures with data carry 9% of the weight (50% needed)')

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
  const again = await recomputeScores(db, { day, settings: model })
  expect(again).toMatchObject({ accounts: 5, users: result.users })
  const rows = await db.select().from(accountScores).where(eq(accountScores.asOf, day))
  expect(rows).toHaveLength(5)
  expect((await snapshotOf(acme.id, day))?.components).toEqual(good?.components)

  // The next day under settings that weigh engagement alone and take a new level at once (the
  // confirmation over days has a test of its own): Decline moves to NORMAL and says since when; the
  // accounts whose level held keep the day their run began.
  const engagementOnly: ScoringSettings = {
    ...model,
    health: {
      ...model.health,
      weights: {
        engagement: 1,
        trend: 0,
        breadth: 0,
        breadthChange: 0,
        champions: 0,
        supportLoad: 0,
        ticketSurge: 0,
        selfService: 0,
        events: 0,
        sentiment: 0,
        onboarding: 0,
      },
      overall: { ...model.health.overall, minCoverage: 0, confirmDays: 1 },
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
  expect(declineNext).toMatchObject({
    level: 'NORMAL',
    levelSince: next,
    candidateLevel: 'NORMAL',
    candidateSince: next,
  })
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

test('a champion who carried an account and is silent for 28 working days while others stay makes it BAD: champion lost', async () => {
  // Aiko gave 30 of Orbit's 34 contribution points in the baseline, then only visited on 10 Apr; Ken
  // comments every week. Golden Week (29 Apr – 6 May) is no silence: on 15 May she has been quiet
  // for 35 calendar days but 27 working days, on 16 May for 28.
  const orbit = await account({ name: 'Orbit', seats: 3, arrMinor: 10_000_000 })
  const aiko = await insertUser(db, { accountId: orbit.id, displayName: 'Aiko Tanaka' })
  const ken = await insertUser(db, { accountId: orbit.id, displayName: 'Ken' })
  await record(aiko, 'answer_posted', '2026-03-16T10:00:00Z', 5)
  await record(aiko, 'answer_posted', '2026-04-01T10:00:00Z', 5)
  await record(aiko, 'visit_day', '2026-04-10T10:00:00Z')
  for (const day of [
    '03-18',
    '03-25',
    '04-01',
    '04-08',
    '04-15',
    '04-22',
    '04-28',
    '05-08',
    '05-12',
    '05-14',
    '05-15',
  ]) {
    await record(ken, 'comment_posted', `2026-${day}T10:00:00Z`)
  }

  await recomputeScores(db, { day: '2026-05-15', settings: model })
  const before = await snapshotOf(orbit.id, '2026-05-15')
  expect(before?.hardRisk).toBeNull()
  expect(before?.level).not.toBe('BAD')
  expect(component(before, 'champions')).toEqual({
    band: 'GOOD',
    value: 0,
    reason:
      "Aiko Tanaka, who gave 88% of Orbit's contributions in the 90 days before the last 28, is still active (holidays not counted)",
  })

  const result = await recomputeScores(db, { day: '2026-05-16', settings: model })
  const lost = await snapshotOf(orbit.id, '2026-05-16')
  // A hard risk takes the level at once, without the confirmation days.
  expect(lost).toMatchObject({
    level: 'BAD',
    levelSince: '2026-05-16',
    candidateLevel: 'BAD',
    hardRisk: 'champion_lost',
    play: 'find_new_champion',
  })
  const champions = lost?.components.find((c) => c.measure === 'champions')
  expect(champions).toMatchObject({ band: 'BAD', value: 88, weight: 2, score: 0 })
  expect(champions?.reason.en).toBe(
    "Aiko Tanaka, who gave 88% of Orbit's contributions in the 90 days before, has been silent for 4 weeks while others stay active (holidays not counted)",
  )
  expect(champions?.reason.ja).toContain('Aiko Tanaka さん')
  expect(champions?.reason.ja).toContain('88%')
  expect(champions?.reason.ja).toContain('4 週間')
  expect(lost?.summary.en).toMatch(/^BAD: Aiko Tanaka silent/)
  expect(lost?.playReason.en).toMatch(/^The members who carried the account went quiet/)
  expect(lost?.playReason.ja).toMatch(/^アカウントを支えていたメンバーの活動が止まりました/)
  expect(result.changes).toContainEqual(
    expect.objectContaining({ accountId: orbit.id, from: before?.level, to: 'BAD', day: '2026-05-16' }),
  )
  expect(lost?.change).toEqual({
    en: 'BAD since 16 May: the members who carried the account went quiet',
    ja: '5月16日から要注意：アカウントを支えていたメンバーの活動が止まりました',
  })
})

test('a new level is taken once it has held for the confirmation days; a pending day keeps the level and its since', async () => {
  // Breadth over one working day (weight 3) and events (weight 1) alone, so each day's visits set the
  // score: with 4 of 10 seats active breadth is GOOD, with 2 NORMAL. Hold (one attendance, events
  // NORMAL): 90 or 60. Steady (three attendances, events GOOD): 100 or 70, and 70 is within the
  // 5-point margin of GOOD (75), so Steady keeps GOOD without even a candidate.
  const settings: ScoringSettings = {
    ...model,
    health: {
      ...model.health,
      breadth: { ...model.health.breadth, days: 1 },
      weights: {
        engagement: 0,
        trend: 0,
        breadth: 3,
        breadthChange: 0,
        champions: 0,
        supportLoad: 0,
        ticketSurge: 0,
        selfService: 0,
        events: 1,
        sentiment: 0,
        onboarding: 0,
      },
    },
  }
  expect(settings.health.overall).toMatchObject({ confirmDays: 7, margin: 5 })
  const hold = await account({ name: 'Hold', seats: 10, arrMinor: 10_000_000 })
  const steady = await account({ name: 'Steady', seats: 10, arrMinor: 10_000_000 })
  const holders = [] as Awaited<ReturnType<typeof insertUser>>[]
  const steadies = [] as Awaited<ReturnType<typeof insertUser>>[]
  for (let i = 0; i < 4; i++) {
    holders.push(await insertUser(db, { accountId: hold.id }))
    steadies.push(await insertUser(db, { accountId: steady.id }))
  }
  await record(holders[0]!, 'event_attended', '2026-09-20T10:00:00Z')
  await record(steadies[0]!, 'event_attended', '2026-09-20T10:00:00Z', 3)

  // 1–10 Oct 2026 hold no holiday. Four members visit on 1 and 3 Oct, two on the other days.
  const wide = new Set(['2026-10-01', '2026-10-03'])
  const days = daysBetween('2026-10-01', '2026-10-10')
  const results = new Map<string, Awaited<ReturnType<typeof recomputeScores>>>()
  const of = async (accountId: number, day: string) => {
    const row = await snapshotOf(accountId, day)
    return (
      row && {
        level: row.level,
        levelSince: row.levelSince,
        candidate: row.candidateLevel,
        candidateSince: row.candidateSince,
        score: row.score,
      }
    )
  }
  for (const day of days) {
    const visitors = wide.has(day) ? 4 : 2
    for (let i = 0; i < visitors; i++) {
      await record(holders[i]!, 'visit_day', `${day}T09:00:00Z`)
      await record(steadies[i]!, 'visit_day', `${day}T09:00:00Z`)
    }
    results.set(day, await recomputeScores(db, { day, settings }))
  }

  expect(await of(hold.id, '2026-10-01')).toEqual({
    level: 'GOOD',
    levelSince: '2026-10-01',
    candidate: 'GOOD',
    candidateSince: '2026-10-01',
    score: 90,
  })
  // One day of NORMAL: the level holds, the candidate is stored, and the summary says where it is going
  // and what pulls it there.
  expect(await of(hold.id, '2026-10-02')).toEqual({
    level: 'GOOD',
    levelSince: '2026-10-01',
    candidate: 'NORMAL',
    candidateSince: '2026-10-02',
    score: 60,
  })
  const pending = await snapshotOf(hold.id, '2026-10-02')
  expect(pending?.summary).toEqual({
    en: 'GOOD for 2 days, moving to NORMAL (1 of 7 days): breadth 20%; 1 event attendance',
    ja: '良好（2 日間）、普通へ移行中（7 日のうち 1 日）：利用の広がり 20%、イベント出席 1 回',
  })
  expect(results.get('2026-10-02')?.changes.find((c) => c.accountId === hold.id)).toBeUndefined()
  // Back to GOOD the next day: the pending day did not break the run, which began on 1 Oct.
  expect(await of(hold.id, '2026-10-03')).toEqual({
    level: 'GOOD',
    levelSince: '2026-10-01',
    candidate: 'GOOD',
    candidateSince: '2026-10-03',
    score: 90,
  })
  expect((await snapshotOf(hold.id, '2026-10-03'))?.summary.en).toBe('GOOD for 3 days: breadth 40%')
  // NORMAL from 4 Oct: pending for six days, taken on the seventh.
  for (const [index, day] of [
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
    '2026-10-08',
    '2026-10-09',
  ].entries()) {
    expect(await of(hold.id, day)).toEqual({
      level: 'GOOD',
      levelSince: '2026-10-01',
      candidate: 'NORMAL',
      candidateSince: '2026-10-04',
      score: 60,
    })
    expect((await snapshotOf(hold.id, day))?.summary.en).toContain(`moving to NORMAL (${index + 1} of 7 days)`)
    expect(results.get(day)?.changes.find((c) => c.accountId === hold.id)).toBeUndefined()
  }
  expect(await of(hold.id, '2026-10-10')).toEqual({
    level: 'NORMAL',
    levelSince: '2026-10-10',
    candidate: 'NORMAL',
    candidateSince: '2026-10-04',
    score: 60,
  })
  expect(results.get('2026-10-10')?.changes).toContainEqual(
    expect.objectContaining({ accountId: hold.id, from: 'GOOD', to: 'NORMAL', day: '2026-10-10' }),
  )
  expect((await snapshotOf(hold.id, '2026-10-10'))?.change?.en).toMatch(/^NORMAL since 10 Oct/)

  // Steady's 70 stays within the margin of GOOD: no candidate, no move, one run since 1 Oct.
  for (const day of days) {
    expect(await of(steady.id, day)).toMatchObject({ level: 'GOOD', levelSince: '2026-10-01', candidate: 'GOOD' })
  }
  expect((await of(steady.id, '2026-10-10'))?.score).toBe(70)
})
