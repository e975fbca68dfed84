import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import type { HealthLevel } from '#app/domain/scoring/settings.ts'
import { defaultScoringSettings } from '#app/domain/scoring/settings.ts'
import { recomputeScores } from '#app/domain/scoring/snapshots.server.ts'
import {
  insertAccount,
  insertAttempt,
  insertEvent,
  insertRegistration,
  insertStaff,
  insertTicket,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { accountScores, type StoredHealthComponent, userScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { getAccountPage } from './account-page.server.ts'
import { getManagerDashboard } from './dashboard.server.ts'
import { atRiskAccounts, healthDashboard } from './health-overview.server.ts'

// Every test reads snapshots of days of its own, so the rows of one never fall in another's.
const text = (en: string) => ({ en, ja: `${en}（日本語）` })
const noon = (day: string) => new Date(`${day}T12:00:00Z`)

function component(
  measure: string,
  band: StoredHealthComponent['band'],
  value: number | null = null,
): StoredHealthComponent {
  return {
    measure,
    band,
    value,
    weight: 1,
    score: band === null ? null : { GOOD: 100, NORMAL: 60, BAD: 0 }[band],
    reason: text(`${measure} is ${band ?? 'unknown'}`),
  }
}

async function snapshot(
  account: { id: number },
  day: string,
  {
    level,
    score = null,
    tier = 'high',
    coverage = 1,
    components = [],
    change = null,
  }: {
    level: HealthLevel
    score?: number | null
    tier?: 'high' | 'low' | 'tech'
    coverage?: number
    components?: StoredHealthComponent[]
    change?: { en: string; ja: string } | null
  },
) {
  await db.insert(accountScores).values({
    accountId: account.id,
    asOf: day,
    level,
    score,
    coverage,
    tier,
    components,
    summary: text(`${level} summary of ${account.id}`),
    change,
    levelSince: day,
    hardRisk: null,
    play: level === 'BAD' ? 'csm_call' : 'grow_champions',
    playReason: text(`play for ${account.id}`),
    engagementPoints: 0,
    activeMembers: 0,
    champions: 0,
  })
}

test('the health section: bands per tier, changes since a week before, the at-risk list in order, insufficient data, contributors', async () => {
  const day = '2051-06-15'
  const compared = '2051-06-07' // the latest on or before 8 June: there is none on 8 June itself
  const account = (name: string, overrides: Parameters<typeof insertAccount>[1] = {}) =>
    insertAccount(db, { name: `${name} ${day}`, ...overrides })
  const big = await account('Big BAD', { arrMinor: 10_000_000, arrCurrency: 'JPY' })
  const dollars = await account('Dollar BAD', { arrMinor: 10_000_000, arrCurrency: 'USD' }) // 100,000 USD
  const small = await account('Small BAD', { arrMinor: 2_000_000, arrCurrency: 'JPY' })
  const falling = await account('Falling NORMAL', { arrMinor: 50_000_000 })
  const steady = await account('Steady NORMAL')
  const unknown = await account('Unknown')
  const good = await account('Good')

  const badTrend = [component('engagement', 'BAD', 10), component('trend', 'BAD', -45), component('breadth', 'NORMAL')]
  await snapshot(big, day, { level: 'BAD', score: 20, components: badTrend, change: text('BAD since 10 Jun') })
  await snapshot(dollars, day, { level: 'BAD', score: 30, components: [component('supportLoad', 'BAD', 3)] })
  await snapshot(small, day, { level: 'BAD', score: 10, tier: 'low', components: [component('breadth', 'BAD', 5)] })
  await snapshot(falling, day, { level: 'NORMAL', score: 55, tier: 'tech', components: badTrend.slice(1) })
  await snapshot(steady, day, { level: 'NORMAL', score: 60, components: [component('trend', 'NORMAL', -10)] })
  await snapshot(unknown, day, { level: 'INSUFFICIENT_DATA', score: 40, tier: 'tech', coverage: 0.3 })
  await snapshot(good, day, { level: 'GOOD', score: 90 })

  await snapshot(big, compared, { level: 'GOOD', score: 80 })
  await snapshot(small, compared, { level: 'BAD', score: 5, tier: 'low' })
  await snapshot(falling, compared, { level: 'NORMAL', score: 70, tier: 'tech' })
  await snapshot(steady, compared, { level: 'BAD', score: 30 })
  await snapshot(unknown, compared, { level: 'GOOD', score: 80, tier: 'tech' })
  // Closer than a week (not compared with) and after the day (not shown).
  await snapshot(small, '2051-06-12', { level: 'GOOD', score: 80, tier: 'low' })
  await snapshot(good, '2051-06-16', { level: 'BAD', score: 0 })

  // Engagement on the day; the staff member and the member without points are not contributors.
  const members = await Promise.all(
    ['Mia', 'Noa', 'Oto', 'Pia'].map((name) => insertUser(db, { accountId: big.id, displayName: `${name} ${day}` })),
  )
  const [mia, noa, oto, pia] = members as [
    (typeof members)[0],
    (typeof members)[0],
    (typeof members)[0],
    (typeof members)[0],
  ]
  const staff = await insertStaff(db)
  const score = (
    user: { id: number; accountId: number | null },
    points: number,
    level: 'observer' | 'contributor' | 'champion',
    asOf = day,
  ) => db.insert(userScores).values({ userId: user.id, asOf, accountId: user.accountId, points, level, components: {} })
  await score(mia, 50, 'contributor')
  await score(noa, 90, 'champion')
  await score(oto, 0, 'observer')
  await score(pia, 85, 'champion')
  await score(staff, 100, 'champion')
  await score(mia, 500, 'champion', compared)

  const health = await healthDashboard(db, { to: noon(day), settings: defaultScoringSettings })
  expect(health.day).toBe(day)
  expect(health.comparedDay).toBe(compared)
  const cell = (tier: string, level: string) => health.bands.find((b) => b.tier === tier && b.level === level)?.accounts
  expect(health.bands).toHaveLength(12)
  expect([
    cell('high', 'GOOD'),
    cell('high', 'NORMAL'),
    cell('high', 'BAD'),
    cell('high', 'INSUFFICIENT_DATA'),
  ]).toEqual([1, 1, 2, 0])
  expect([cell('low', 'BAD'), cell('tech', 'NORMAL'), cell('tech', 'INSUFFICIENT_DATA'), cell('low', 'GOOD')]).toEqual([
    1, 1, 1, 0,
  ])

  // Worse first (Big: GOOD → BAD; Unknown: GOOD → insufficient is neither), then better (Steady).
  expect(health.changed.map((row) => [row.accountName, row.from, row.to, row.worse])).toEqual([
    [big.name, 'GOOD', 'BAD', true],
    [steady.name, 'BAD', 'NORMAL', false],
    [unknown.name, 'GOOD', 'INSUFFICIENT_DATA', false],
  ])
  expect(health.changed[0]).toMatchObject({ score: 20, previousScore: 80, change: text('BAD since 10 Jun') })

  // BAD by ARR in JPY (15M from USD, 10M, 2M), then NORMAL with a falling trend; steady NORMAL is not at risk.
  expect(health.atRisk.map((row) => [row.accountName, row.level, row.falling])).toEqual([
    [dollars.name, 'BAD', false],
    [big.name, 'BAD', false],
    [small.name, 'BAD', false],
    [falling.name, 'NORMAL', true],
  ])
  expect(health.atRisk[1]).toMatchObject({
    tier: 'high',
    score: 20,
    summary: text(`BAD summary of ${big.id}`),
    reasons: [
      { measure: 'engagement', reason: text('engagement is BAD') },
      { measure: 'trend', reason: text('trend is BAD') },
    ],
    play: 'csm_call',
    playReason: text(`play for ${big.id}`),
  })

  expect(health.insufficient).toEqual([
    expect.objectContaining({ accountId: unknown.id, coverage: 0.3, tier: 'tech', play: 'grow_champions' }),
  ])
  expect(health.contributors.map((c) => [c.displayName, c.points, c.level])).toEqual([
    [noa.displayName, 90, 'champion'],
    [pia.displayName, 85, 'champion'],
    [mia.displayName, 50, 'contributor'],
  ])
  expect(health.contributors[0]).toMatchObject({ accountId: big.id, accountName: big.name })
  expect(health.champions.map((c) => c.userId)).toEqual([noa.id, pia.id])

  // Without a week-old snapshot nothing is "changed"; before any snapshot there is nothing at all.
  const early = await healthDashboard(db, { to: noon('2051-06-10'), settings: defaultScoringSettings })
  expect(early).toMatchObject({ day: '2051-06-07', comparedDay: null, changed: [] })
  const none = await healthDashboard(db, { to: noon('2051-01-01'), settings: defaultScoringSettings })
  expect(none).toMatchObject({ day: null, changed: [], atRisk: [], insufficient: [], contributors: [] })
  expect(none.bands.every((b) => b.accounts === 0)).toBe(true)
  expect(await atRiskAccounts(db, { day: '2051-06-16', settings: defaultScoringSettings })).toHaveLength(1)
})

test('the account page: health now and before, history, members, tickets, deflections, events; 404 and 403', async () => {
  const staff = await insertStaff(db)
  const csm = await insertStaff(db, { displayName: 'CSM Kato' })
  const account = await insertAccount(db, { name: 'Page Co', seats: 12, csmUserId: csm.id })
  const other = await insertAccount(db)
  const now = noon('2052-03-31')

  await snapshot(account, '2052-02-20', { level: 'GOOD', score: 85 }) // before the 30 days
  await snapshot(account, '2052-03-10', { level: 'GOOD', score: 80, components: [component('breadth', 'GOOD', 42)] })
  await snapshot(account, '2052-03-30', {
    level: 'BAD',
    score: 35,
    components: [component('breadth', 'BAD', 9), component('events', 'NORMAL', 1)],
    change: text('BAD since 30 Mar: breadth dropped from 42% to 9%'),
  })
  await snapshot(account, '2052-04-02', { level: 'GOOD', score: 99 }) // after the period's end

  const [kei, rin] = [
    await insertUser(db, { accountId: account.id, displayName: 'Kei' }),
    await insertUser(db, { accountId: account.id, displayName: 'Rin' }),
  ]
  const quiet = await insertUser(db, { accountId: account.id, displayName: 'Quiet' })
  await db.insert(userScores).values([
    { userId: kei.id, asOf: '2052-03-30', accountId: account.id, points: 30, level: 'contributor', components: {} },
    { userId: rin.id, asOf: '2052-03-30', accountId: account.id, points: 90, level: 'champion', components: {} },
    { userId: kei.id, asOf: '2052-03-10', accountId: account.id, points: 300, level: 'champion', components: {} },
  ])
  await recordActivity(db, {
    type: 'visit_day',
    user: kei,
    uniqueKey: 'page:kei:1',
    occurredAt: new Date('2052-03-29T08:00:00Z'),
  })
  await recordActivity(db, {
    type: 'visit_day',
    user: kei,
    uniqueKey: 'page:kei:2',
    occurredAt: new Date('2052-03-02T08:00:00Z'),
  })

  // Tickets: two in the period (one imported), one before; another account's is not shown.
  const older = await insertTicket(db, kei, { subject: 'Older', createdAt: new Date('2052-03-05T00:00:00Z') })
  const newer = await insertTicket(db, rin, { subject: 'Newer', createdAt: new Date('2052-03-20T00:00:00Z') })
  await insertTicket(db, kei, { subject: 'Too old', createdAt: new Date('2052-02-01T00:00:00Z') })
  await insertTicket(db, await insertUser(db, { accountId: other.id }), { createdAt: new Date('2052-03-20T00:00:00Z') })
  // Deflections: explicit and implicit are listed; filed, pending and abandoned are not.
  const explicit = await insertAttempt(db, kei, {
    outcome: 'explicit',
    query: 'reset password',
    createdAt: new Date('2052-03-15T00:00:00Z'),
  })
  const implicit = await insertAttempt(db, rin, {
    outcome: 'implicit',
    query: 'sso',
    createdAt: new Date('2052-03-16T00:00:00Z'),
  })
  await insertAttempt(db, rin, { outcome: 'abandoned', createdAt: new Date('2052-03-16T00:00:00Z') })
  await insertAttempt(db, rin, { outcome: 'pending', createdAt: new Date('2052-03-30T00:00:00Z') })
  // Events: attended in the period, a no-show, and one attended before the period.
  const webinar = await insertEvent(db, {
    title: 'Spring webinar',
    startsAt: new Date('2052-03-12T09:00:00Z'),
    endsAt: new Date('2052-03-12T10:00:00Z'),
  })
  await insertRegistration(db, webinar, kei, { status: 'attended' })
  await insertRegistration(db, webinar, rin, { status: 'no_show' })
  const winter = await insertEvent(db, {
    startsAt: new Date('2052-01-12T09:00:00Z'),
    endsAt: new Date('2052-01-12T10:00:00Z'),
  })
  await insertRegistration(db, winter, rin, { status: 'attended' })

  const outcome = await getAccountPage(db, { actor: staff, accountId: account.id, days: 30, now })
  if (!outcome.ok) throw new Error(outcome.code)
  const page = outcome.value
  expect(page.account).toMatchObject({ id: account.id, name: 'Page Co', seats: 12, csmName: 'CSM Kato' })
  expect(page.latest).toMatchObject({ day: '2052-03-30', level: 'BAD', score: 35, play: 'csm_call' })
  expect(page.latest?.change?.en).toBe('BAD since 30 Mar: breadth dropped from 42% to 9%')
  expect(page.previous).toMatchObject({ day: '2052-03-10', level: 'GOOD' })
  expect(page.changes).toEqual([
    { measure: 'breadth', fromBand: 'GOOD', toBand: 'BAD', fromValue: 42, toValue: 9 },
    { measure: 'events', fromBand: null, toBand: 'NORMAL', fromValue: null, toValue: 1 },
  ])
  expect(page.history).toEqual([
    { day: '2052-03-10', level: 'GOOD', score: 80, coverage: 1 },
    { day: '2052-03-30', level: 'BAD', score: 35, coverage: 1 },
  ])
  expect(page.thresholds).toEqual({ goodFrom: 75, normalFrom: 50 })
  expect(page.members.map((m) => [m.displayName, m.level, m.points])).toEqual([
    ['Rin', 'champion', 90],
    ['Kei', 'contributor', 30],
    ['Quiet', 'observer', 0],
  ])
  expect(page.members.find((m) => m.userId === kei.id)?.lastActiveAt).toEqual(new Date('2052-03-29T08:00:00Z'))
  expect(page.members.find((m) => m.userId === quiet.id)?.lastActiveAt).toBeNull()
  expect(page.tickets.map((t) => t.id)).toEqual([newer.id, older.id])
  expect(page.tickets[0]).toMatchObject({ subject: 'Newer', requester: 'Rin', status: 'open', source: 'portal' })
  expect(page.deflections.map((d) => [d.id, d.outcome, d.member])).toEqual([
    [implicit.id, 'implicit', 'Rin'],
    [explicit.id, 'explicit', 'Kei'],
  ])
  expect(page.eventsAttended).toEqual([
    { eventId: webinar.id, title: 'Spring webinar', kind: 'webinar', startsAt: webinar.startsAt, member: 'Kei' },
  ])
  expect(page.support).toMatchObject({ tickets: 2, explicit: 1, implicit: 1 })

  // A week: the history and lists shrink to it; the latest snapshot stays the one before the end.
  const week = await getAccountPage(db, { actor: staff, accountId: account.id, days: 7, now })
  expect(week).toMatchObject({ ok: true, value: { latest: { day: '2052-03-30' }, tickets: [], eventsAttended: [] } })
  if (week.ok) expect(week.value.history.map((h) => h.day)).toEqual(['2052-03-30'])

  expect(await getAccountPage(db, { actor: staff, accountId: 999_999_999, days: 30, now })).toMatchObject({
    ok: false,
    status: 404,
  })
  expect(await getAccountPage(db, { actor: kei, accountId: account.id, days: 30, now })).toMatchObject({
    ok: false,
    status: 403,
  })
  // An account never scored has no snapshot, no history and observers only.
  const fresh = await getAccountPage(db, { actor: staff, accountId: other.id, days: 30, now })
  expect(fresh).toMatchObject({ ok: true, value: { latest: null, previous: null, changes: [], history: [] } })
})

test('the whole dashboard from a recomputed ledger: one call, staff read it, members may not', async () => {
  const day = '2053-09-30'
  const now = noon(day)
  const account = await insertAccount(db, {
    name: 'Ledger Co',
    seats: 4,
    arrMinor: 10_000_000,
    createdAt: new Date('2053-01-01T00:00:00Z'),
    contractStart: '2053-01-01',
  })
  const member = await insertUser(db, { accountId: account.id })
  let sequence = 0
  const record = (type: 'answer_posted' | 'ticket_filed', at: string) =>
    recordActivity(db, { type, user: member, uniqueKey: `dash:${++sequence}`, occurredAt: new Date(at) })
  for (let i = 0; i < 10; i++) await record('answer_posted', '2053-08-05T10:00:00Z')
  await record('ticket_filed', '2053-09-20T10:00:00Z')
  await recomputeScores(db, { day: '2053-09-22', settings: defaultScoringSettings })
  await recomputeScores(db, { day, settings: defaultScoringSettings })
  await insertAttempt(db, member, { outcome: 'explicit', createdAt: new Date('2053-09-25T00:00:00Z') })

  const staff = await insertStaff(db)
  expect(await getManagerDashboard(db, { actor: member, days: 30, now })).toMatchObject({ ok: false, status: 403 })
  const outcome = await getManagerDashboard(db, { actor: staff, days: 30, now })
  if (!outcome.ok) throw new Error(outcome.code)
  const dashboard = outcome.value
  expect(dashboard).toMatchObject({
    days: 30,
    periods: [7, 30, 90, 365],
    from: new Date(now.getTime() - 30 * 86_400_000),
    to: now,
    support: { explicit: 1 },
    health: { day, comparedDay: '2053-09-22' },
  })
  expect(dashboard.weekly.reduce((sum, week) => sum + week.explicit, 0)).toBe(1)
  // Whatever the tuning of the measures, an account shown at risk carries the reasons its snapshot gives.
  const stored = await db.select().from(accountScores)
  const mine = stored.find((row) => row.accountId === account.id && row.asOf === day)
  expect(mine).toBeDefined()
  const listed = dashboard.health.atRisk.find((row) => row.accountId === account.id)
  if (mine?.level === 'BAD') {
    expect(listed?.reasons).toEqual(
      mine.components.filter((c) => c.band === 'BAD').map((c) => ({ measure: c.measure, reason: c.reason })),
    )
    expect(listed?.play).toBe(mine.play)
  }
  const cells = dashboard.health.bands.filter((b) => b.tier === mine?.tier && b.level === mine?.level)
  expect(cells[0]?.accounts).toBeGreaterThanOrEqual(1)
})
