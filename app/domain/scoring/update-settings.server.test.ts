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

/** Only engagement counts, and a level moves on the day the measures call for it (no margin, no days
 *  to confirm), so the move is seen on the day the settings change. */
const engagementOnly: ScoringSettings = {
  ...defaultScoringSettings,
  health: {
    ...defaults,
    overall: { ...defaults.overall, margin: 0, confirmDays: 1 },
    weights: Object.fromEntries(
      healthMeasures.map((measure) => [measure, measure === 'engagement' ? defaults.weights.engagement : 0]),
    ) as Record<HealthMeasure, number>,
  },
}

/** The paths `engagementOnly` changes, in order. */
const engagementOnlyPaths = [
  'health.overall.confirmDays',
  'health.overall.margin',
  ...healthMeasures
    .filter((measure) => measure !== 'engagement')
    .map((measure) => `health.weights.${measure}`)
    .sort(),
]

test('the changes between two settings objects are listed by path, caps removed included', () => {
  const { vote_cast: _removed, ...caps } = defaultScoringSettings.dailyCaps
  const after: ScoringSettings = {
    ...defaultScoringSettings,
    dailyCaps: caps,
    halfLifeDays: 45,
    health: { ...defaults, weights: { ...defaults.weights, trend: 0, ticketSurge: 2 } },
  }
  expect(settingsChanges(defaultScoringSettings, after)).toEqual([
    { path: 'dailyCaps.vote_cast', from: 10, to: null },
    { path: 'halfLifeDays', from: 30, to: 45 },
    { path: 'health.weights.ticketSurge', from: defaults.weights.ticketSurge, to: 2 },
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

test('a manager changes weights: the change is audited, today is recomputed and the account moves band', async () => {
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
  const level = async (day: string) =>
    (
      await db
        .select({ level: accountScores.level, components: accountScores.components })
        .from(accountScores)
        .where(and(eq(accountScores.accountId, account.id), eq(accountScores.asOf, day)))
    )[0]
  // Activity fell, one seat in ten is active, no events: BAD with the default weights.
  expect((await level('2026-06-29'))?.level).toBe('BAD')

  expect(await updateScoringSettings(db, { actor: staff, settings: engagementOnly })).toMatchObject({
    ok: false,
    status: 403,
  })
  const now = new Date('2026-06-30T09:00:00Z')
  const outcome = await updateScoringSettings(db, { actor: manager, settings: engagementOnly, now })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  expect(outcome.value.changes.map((change) => change.path)).toEqual(engagementOnlyPaths)
  expect(outcome.value.recomputed).toMatchObject({ day: '2026-06-30', previousDay: '2026-06-29' })
  expect(outcome.value.recomputed?.changes).toEqual([
    expect.objectContaining({ accountId: account.id, from: 'BAD', to: 'NORMAL' }),
  ])
  const today = await level('2026-06-30')
  expect(today?.level).toBe('NORMAL')
  expect(today?.components.find((c) => c.measure === 'breadth')?.weight).toBe(0)
  expect(await readScoringSettings(db)).toEqual(engagementOnly)

  const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'scoring.settings_changed'))
  expect(audit).toHaveLength(1)
  expect(audit[0]).toMatchObject({ actorUserId: manager.id, targetId: 'scoring.settings' })
  expect((audit[0]!.details as { changes: unknown[] }).changes).toContainEqual({
    path: 'health.weights.trend',
    from: defaults.weights.trend,
    to: 0,
  })

  // The same settings again: nothing to record and nothing to recompute.
  const again = await updateScoringSettings(db, { actor: manager, settings: engagementOnly, now })
  expect(again).toEqual({ ok: true, value: { changes: [], recomputed: null } })
  expect(await db.select().from(auditLog).where(eq(auditLog.action, 'scoring.settings_changed'))).toHaveLength(1)
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
