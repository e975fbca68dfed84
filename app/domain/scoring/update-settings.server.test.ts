import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { insertAccount, insertUser } from '#app/server/seed/factories/index.ts'
import { auditLog } from '#db/schema/identity.ts'
import { accountScores } from '#db/schema/scoring.ts'
import { db } from '#tests/db.ts'
import { readScoringSettings } from './settings.server.ts'
import { defaultScoringSettings, type HealthMeasure, healthMeasures, type ScoringSettings } from './settings.ts'
import { recomputeScores } from './snapshots.server.ts'
import { settingsChanges, updateScoringSettings } from './update-settings.server.ts'

const defaults = defaultScoringSettings.health

/** The measures of what members do (engagement, trend, breadth, events) and nothing else: risks that did
 *  not happen (no champion lost, no surge), a quiet support queue and measures without data no longer
 *  count. The margin and the confirmation days are the defaults. */
const usage = new Set<HealthMeasure>(['engagement', 'trend', 'breadth', 'events'])
const usageOnly: ScoringSettings = {
  ...defaultScoringSettings,
  health: {
    ...defaults,
    weights: Object.fromEntries(
      healthMeasures.map((measure) => [measure, usage.has(measure) ? defaults.weights[measure] : 0]),
    ) as Record<HealthMeasure, number>,
  },
}

/** The paths `usageOnly` changes, in order. */
const usageOnlyPaths = healthMeasures
  .filter((measure) => !usage.has(measure))
  .map((measure) => `health.weights.${measure}`)
  .sort()

test('the changes between two settings objects are listed by path, caps removed included', () => {
  const { vote_cast: _removed, ...caps } = defaultScoringSettings.dailyCaps
  const after: ScoringSettings = {
    ...defaultScoringSettings,
    dailyCaps: caps,
    halfLifeDays: 45,
    // The ticket surge's weight written again as it is: no change.
    health: { ...defaults, weights: { ...defaults.weights, trend: 0, ticketSurge: defaults.weights.ticketSurge } },
  }
  expect(settingsChanges(defaultScoringSettings, after)).toEqual([
    { path: 'dailyCaps.vote_cast', from: 10, to: null },
    { path: 'halfLifeDays', from: 30, to: 45 },
    { path: 'health.weights.trend', from: defaults.weights.trend, to: 0 },
  ])
  expect(settingsChanges(defaultScoringSettings, structuredClone(defaultScoringSettings))).toEqual([])
})

test('holiday periods are one change, old and new lists side by side; the same list again is none', () => {
  const periods = [...defaults.holidays.periods, { from: '2026-11-02', to: '2026-11-03', label: 'Offsite' }]
  const after: ScoringSettings = {
    ...defaultScoringSettings,
    health: { ...defaults, holidays: { japan: false, periods } },
  }
  expect(settingsChanges(defaultScoringSettings, after)).toEqual([
    { path: 'health.holidays.japan', from: true, to: false },
    { path: 'health.holidays.periods', from: defaults.holidays.periods, to: periods },
  ])
  // Every read and every form makes new lists: the contents decide.
  expect(settingsChanges(after, structuredClone(after))).toEqual([])
})

test('a manager changes weights: the change is audited, and today is recomputed with the account moving band at once', async () => {
  const manager = await insertUser(db, { role: 'manager' })
  const staff = await insertUser(db, { role: 'staff' })
  const account = await insertAccount(db, {
    seats: 10,
    createdAt: new Date('2025-01-01T00:00:00Z'),
    contractStart: '2025-01-01',
  })
  const member = await insertUser(db, { accountId: account.id })
  for (let i = 0; i < 10; i++) {
    await recordActivity(db, {
      type: 'answer_posted',
      user: member,
      uniqueKey: `update-settings:${i}`,
      occurredAt: new Date('2026-05-15T10:00:00Z'),
    })
  }
  await recordActivity(db, {
    type: 'comment_posted',
    user: member,
    uniqueKey: 'update-settings:comment',
    occurredAt: new Date('2026-06-29T10:00:00Z'),
  })
  await recomputeScores(db, { day: '2026-06-29' })
  const snapshot = async (day: string) =>
    (
      await db
        .select({
          level: accountScores.level,
          levelSince: accountScores.levelSince,
          candidateLevel: accountScores.candidateLevel,
          candidateSince: accountScores.candidateSince,
          components: accountScores.components,
          summary: accountScores.summary,
        })
        .from(accountScores)
        .where(and(eq(accountScores.accountId, account.id), eq(accountScores.asOf, day)))
    )[0]
  // Activity fell, one seat in ten is active, no events; but its one member, who carries it, stays,
  // no tickets: NORMAL with the default settings.
  expect((await snapshot('2026-06-29'))?.level).toBe('NORMAL')
  expect(defaults.overall.confirmDays).toBeGreaterThan(1)

  // The daily job with the same new weights would only start the move: BAD pending for the
  // confirmation days.
  await recomputeScores(db, { day: '2026-06-30', settings: usageOnly })
  expect(await snapshot('2026-06-30')).toMatchObject({ level: 'NORMAL', candidateLevel: 'BAD' })
  expect((await snapshot('2026-06-30'))?.summary.en).toContain(
    `moving to BAD (1 of ${defaults.overall.confirmDays} days)`,
  )

  expect(await updateScoringSettings(db, { actor: staff, settings: usageOnly })).toMatchObject({
    ok: false,
    status: 403,
  })
  const now = new Date('2026-06-30T09:00:00Z')
  const outcome = await updateScoringSettings(db, { actor: manager, settings: usageOnly, now })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  expect(outcome.value.changes.map((change) => change.path)).toEqual(usageOnlyPaths)
  // A manager's new rules move the level the day they are saved, without the confirmation days.
  expect(outcome.value.recomputed).toMatchObject({ day: '2026-06-30', previousDay: '2026-06-29' })
  expect(outcome.value.recomputed?.changes).toEqual([
    expect.objectContaining({ accountId: account.id, from: 'NORMAL', to: 'BAD' }),
  ])
  const today = await snapshot('2026-06-30')
  expect(today).toMatchObject({
    level: 'BAD',
    levelSince: '2026-06-30',
    candidateLevel: 'BAD',
    candidateSince: '2026-06-30',
  })
  expect(today?.summary.en).toMatch(/^BAD: /)
  expect(today?.summary.en).not.toContain('moving to')
  expect(today?.components.find((c) => c.measure === 'champions')?.weight).toBe(0)
  expect(await readScoringSettings(db)).toEqual(usageOnly)

  const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'scoring.settings_changed'))
  expect(audit).toHaveLength(1)
  expect(audit[0]).toMatchObject({ actorUserId: manager.id, targetId: 'scoring.settings' })
  expect((audit[0]!.details as { changes: unknown[] }).changes).toContainEqual({
    path: 'health.weights.champions',
    from: defaults.weights.champions,
    to: 0,
  })

  // The same settings again: nothing to record and nothing to recompute.
  const again = await updateScoringSettings(db, { actor: manager, settings: usageOnly, now })
  expect(again).toEqual({ ok: true, value: { changes: [], recomputed: null } })
  expect(await db.select().from(auditLog).where(eq(auditLog.action, 'scoring.settings_changed'))).toHaveLength(1)

  // The next day's job keeps the level and the day its run began.
  await recomputeScores(db, { day: '2026-07-01' })
  expect(await snapshot('2026-07-01')).toMatchObject({ level: 'BAD', levelSince: '2026-06-30' })
})

test('settings that do not fit the stored shape are refused', async () => {
  const manager = await insertUser(db, { role: 'manager' })
  const broken = { ...defaultScoringSettings, halfLifeDays: -3 }
  expect(await updateScoringSettings(db, { actor: manager, settings: broken })).toMatchObject({
    ok: false,
    status: 400,
    code: 'manage.settings.validation.invalid',
  })
})
