import { eq, sql } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import { defaultScoringSettings, type HealthLevel, healthMeasures } from '#app/domain/scoring/settings.ts'
import { addDays } from '#app/lib/days.ts'
import { insertAccount, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { accountOutcomes, accounts, auditLog } from '#db/schema/identity.ts'
import { accountScores, type StoredHealthComponent } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { applyHealthWeights, getHealthCheck, loadTrackRecordData } from './track-record.server.ts'
import type { Weights } from './track-record.ts'

const text = (en: string) => ({ en, ja: `${en}（日本語）` })
const weights = defaultScoringSettings.health.weights

function component(measure: string, score: number | null, weight = 1): StoredHealthComponent {
  const band = score === null ? null : score >= 100 ? 'GOOD' : score >= 60 ? 'NORMAL' : 'BAD'
  return { measure, band, value: null, weight, score, reason: text(`${measure}`) }
}

function snapshot(
  accountId: number,
  day: string,
  level: HealthLevel,
  score: number | null,
  components: StoredHealthComponent[] = [],
  hardRisk: string | null = null,
): typeof accountScores.$inferInsert {
  return {
    accountId,
    asOf: day,
    level,
    score,
    coverage: 1,
    tier: 'low',
    components,
    summary: text('summary'),
    levelSince: day,
    hardRisk,
    play: 'csm_review',
    playReason: text('play'),
    engagementPoints: 0,
    activeMembers: 0,
    champions: 0,
  }
}

async function outcome(accountId: number, kind: 'churn' | 'contraction' | 'renewal', day: string) {
  await db.insert(accountOutcomes).values({
    accountId,
    kind,
    effectiveOn: day,
    arrBeforeMinor: 1_000_000,
    arrAfterMinor: kind === 'churn' ? 0 : kind === 'contraction' ? 500_000 : 1_000_000,
    currency: 'JPY',
    source: 'form',
  })
}

// The history: 30 accounts scored every 7 days from 2040-01-01 for 40 weeks. Twelve of them (the
// first twelve) score low on breadth and churn on 2040-06-01 or later; one contracts; one is marked
// churned without an outcome row. Dates far from any other test's.
const first = '2040-01-01'

test('loads samples every N days (the latest snapshot up to each sample day), the events and the levels before them', async () => {
  await db.execute(sql`truncate account_scores, account_outcomes restart identity cascade`)
  const ids: number[] = []
  for (let i = 0; i < 30; i++) ids.push((await insertAccount(db, { name: `Track ${i}` })).id)
  const rows: (typeof accountScores.$inferInsert)[] = []
  for (const [i, id] of ids.entries()) {
    const churner = i < 12
    for (let week = 0; week < 40; week++) {
      const day = addDays(first, week * 7)
      // Scoring leaves an account out from its churn day.
      if (churner && week * 7 >= 150 + i) break
      const breadth = churner && week >= 8 ? 0 : 100
      const score = churner && week >= 8 ? 40 : 80 + (i % 5)
      const level: HealthLevel = score < 50 ? 'BAD' : 'GOOD'
      rows.push(
        snapshot(id, day, level, score, [
          component('breadth', breadth, weights.breadth),
          component('sentiment', null, weights.sentiment),
          component('events', 60, weights.events * 2),
        ]),
      )
    }
    if (churner) await outcome(id, 'churn', addDays(first, 150 + i))
  }
  await db.insert(accountScores).values(rows)
  await outcome(ids[20]!, 'contraction', addDays(first, 200))
  await outcome(ids[21]!, 'renewal', addDays(first, 200))
  await db
    .update(accounts)
    .set({ churnedAt: new Date(`${addDays(first, 260)}T10:00:00Z`) })
    .where(eq(accounts.id, ids[22]!))

  const data = await loadTrackRecordData(db, { spacingDays: 28 })
  expect(data.firstDay).toBe(first)
  expect(data.lastDay).toBe(addDays(first, 39 * 7))
  // Sample days 01-01, 01-29, …: each holds the snapshot of that day (weekly snapshots line up with 28);
  // the last, 280 days on, the latest snapshot before it (day 273).
  const sampleDays = data.samples.filter((sample) => sample.accountId === ids[29]).map((sample) => sample.day)
  expect(sampleDays[0]).toBe(first)
  expect(sampleDays[1]).toBe(addDays(first, 28))
  expect(sampleDays).toHaveLength(11)
  expect(sampleDays.at(-1)).toBe(addDays(first, 273))
  // A churner's last snapshot before its churn is its sample in the window that holds it.
  expect(data.samples.filter((sample) => sample.accountId === ids[0]).map((sample) => sample.day)).toEqual([
    ...sampleDays.slice(0, 6),
    addDays(first, 147),
  ])
  const one = data.samples.find((sample) => sample.accountId === ids[0] && sample.day === addDays(first, 56))!
  expect(one).toMatchObject({ level: 'BAD', score: 40, cap: null })
  const at = (measure: string) => healthMeasures.indexOf(measure as (typeof healthMeasures)[number])
  expect([one.scores[at('breadth')], one.weights[at('breadth')]]).toEqual([0, weights.breadth])
  expect([one.scores[at('sentiment')], one.weights[at('sentiment')]]).toEqual([null, weights.sentiment])
  expect([one.scores[at('events')], one.weights[at('events')]]).toEqual([60, weights.events * 2])
  // A measure the snapshot does not list has no data.
  expect(one.scores[at('champions')]).toBeNull()
  // Churn rows, the contraction, and the churned account without a churn row; no renewal.
  expect(data.events).toHaveLength(14)
  expect(data.events.filter((event) => event.kind === 'contraction')).toEqual([
    { accountId: ids[20], day: addDays(first, 200), kind: 'contraction' },
  ])
  expect(data.events).toContainEqual({ accountId: ids[22], day: addDays(first, 260), kind: 'churn' })
  expect(data.accountNames[ids[0]!]).toBe('Track 0')
  // A spacing that does not line up with the snapshots takes the latest one in the N days before.
  const odd = await loadTrackRecordData(db, { spacingDays: 10 })
  expect(odd.samples.find((sample) => sample.accountId === ids[0] && sample.day > first)?.day).toBe(addDays(first, 7))

  const staff = await insertStaff(db)
  const now = new Date(`${addDays(first, 400)}T12:00:00Z`)
  const outcome1 = await getHealthCheck(db, { actor: staff, now, options: { bootstrapRounds: 50 } })
  expect(outcome1.ok).toBe(true)
  if (!outcome1.ok) return
  const { record, canApply } = outcome1.value
  expect(canApply).toBe(false)
  expect(record.enough).toBe(true)
  expect(record.churn.positiveAccounts).toBe(13)
  expect(record.churn.auc!).toBeGreaterThan(0.9)
  expect(record.churn.interval!.low).toBeLessThanOrEqual(record.churn.auc!)
  expect(record.levels.find((row) => row.level === 'BAD')!.rate!).toBeGreaterThan(0.4)
  expect(record.lift!).toBeGreaterThan(5)
  // Every churn and contraction with its level 30, 60 and 90 days before.
  const row = record.events.find((event) => event.accountId === ids[0])!
  expect(row.before.map((lookback) => lookback.level)).toEqual(['BAD', 'BAD', 'BAD'])
  // 150 − 90 = day 60: the snapshot of day 56 (week 8, BAD from then).
  expect(row.before[2]).toEqual({ days: 90, level: 'BAD', day: addDays(first, 56) })
  const contraction = record.events.find((event) => event.kind === 'contraction')!
  expect(contraction.before.map((lookback) => lookback.level)).toEqual(['GOOD', 'GOOD', 'GOOD'])
  // Breadth alone foretold it; the fitted weights lean on it.
  expect(record.measures.find((measure) => measure.measure === 'breadth')!.auc!).toBeGreaterThan(0.9)
  expect(record.fitted!.weights.breadth).toBeGreaterThan(0)
  expect(record.fitted!.unfitted).toContain('sentiment')

  // What if only events counted: it says nothing about churn here.
  const onlyEvents = Object.fromEntries(healthMeasures.map((m) => [m, m === 'events' ? 1 : 0])) as Weights
  const whatIf = await getHealthCheck(db, {
    actor: staff,
    now,
    whatIfWeights: onlyEvents,
    options: { bootstrapRounds: 0 },
  })
  expect(whatIf.ok && whatIf.value.record.whatIf?.auc).toBe(0.5)

  // Members do not read it.
  const member = await insertUser(db)
  expect(await getHealthCheck(db, { actor: member, now })).toMatchObject({ ok: false, status: 403 })
}, 60_000)

test('a hard risk caps the recomputed score; nothing yet gives an empty, "not enough" record', async () => {
  await db.execute(sql`truncate account_scores, account_outcomes restart identity cascade`)
  await db.update(accounts).set({ churnedAt: null })
  const staff = await insertStaff(db)
  const empty = await getHealthCheck(db, { actor: staff })
  expect(empty.ok && empty.value.record).toMatchObject({ enough: false, samples: 0, events: [], fitted: null })
  expect(empty.ok && empty.value.firstDay).toBeNull()

  const account = await insertAccount(db)
  await db
    .insert(accountScores)
    .values(snapshot(account.id, '2041-01-01', 'BAD', 49.9, [component('breadth', 100, weights.breadth)], 'silent'))
  const data = await loadTrackRecordData(db)
  expect(data.samples).toEqual([
    expect.objectContaining({ accountId: account.id, score: 49.9, cap: 49.9, level: 'BAD' }),
  ])
})

test('applying a weight set goes through the settings writer: managers only, audited', async () => {
  const staff = await insertStaff(db)
  const manager = await insertUser(db, { role: 'manager' })
  const next = { ...weights, breadth: 6, events: 0 }
  expect(await applyHealthWeights(db, { actor: staff, weights: next })).toMatchObject({ ok: false, status: 403 })
  const applied = await applyHealthWeights(db, { actor: manager, weights: next })
  expect(applied.ok).toBe(true)
  expect(applied.ok && applied.value.changes.map((change) => change.path)).toEqual([
    'health.weights.breadth',
    'health.weights.events',
  ])
  expect((await readScoringSettings(db)).health.weights).toEqual(next)
  const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'scoring.settings_changed'))
  expect(audits.at(-1)).toMatchObject({ actorUserId: manager.id })
})
