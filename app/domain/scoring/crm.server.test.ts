import { and, eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { listDeliveries, listDeliveryAttempts, retryDelivery } from '#app/domain/notify/webhook-deliveries.server.ts'
import {
  deliverWebhook,
  verifyWebhookSignature,
  WEBHOOK_MAX_ATTEMPTS,
  WebhookDeliveryError,
} from '#app/domain/notify/webhooks.server.ts'
import { writeCrmSettings, writeHelpdeskSettings } from '#app/domain/support/settings.server.ts'
import { insertAccount, insertAdmin, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { accountHealthNotices, accountScores } from '#db/schema/scoring.ts'
import { webhookDeliveries } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { startWebhookReceiver } from '#tests/webhook-receiver.ts'
import { HEALTH_CHANGED_EVENT, notifyHealthChanges } from './crm.server.ts'
import { runDailyScores } from './jobs.server.ts'
import type { HealthLevel, ScoringSettings } from './settings.ts'
import { defaultScoringSettings } from './settings.ts'
import { type RecomputeResult, recomputeScores } from './snapshots.server.ts'

// Days only move forward through this file: a notice is sent only for the latest snapshot day.

const CRM_SECRET = 'whsec_crm-secret-for-signatures'
const HELPDESK_SECRET = 'whsec_helpdesk-secret-never-for-the-crm'

async function configureCrm(webhookUrl: string | null) {
  const admin = await insertAdmin(db)
  await writeHelpdeskSettings(
    db,
    { webhookUrl: 'https://helpdesk.example/hooks', webhookSecret: HELPDESK_SECRET, supportEmail: null },
    admin.id,
  )
  await writeCrmSettings(db, { webhookUrl, webhookSecret: CRM_SECRET }, admin.id)
}

function account(overrides: Parameters<typeof insertAccount>[1] = {}) {
  return insertAccount(db, { createdAt: new Date('2025-01-01T00:00:00Z'), contractStart: '2025-01-01', ...overrides })
}

/** An account's snapshot of one day, written directly (as `recomputeScores` would store it). */
async function snapshot(accountId: number, day: string, level: HealthLevel, score: number | null = 40) {
  const row = {
    accountId,
    asOf: day,
    level,
    score,
    coverage: 0.9,
    tier: 'high' as const,
    components: [
      {
        measure: 'breadth',
        band: 'BAD' as const,
        value: 9,
        weight: 1,
        score: 0,
        reason: { en: 'Breadth: 1 of 11 seats active', ja: '利用の広がり：11 席中 1 席が利用' },
      },
    ],
    summary: { en: `${level}: breadth is low`, ja: `${level}：利用の広がりが小さい` },
    change: { en: `${level} since ${day}`, ja: `${day} から ${level}` },
    levelSince: day,
    hardRisk: null,
    play: 'csm_call',
    playReason: { en: 'Call them', ja: '電話する' },
    engagementPoints: 3,
    activeMembers: 1,
    champions: 0,
  }
  await db
    .insert(accountScores)
    .values(row)
    .onConflictDoUpdate({ target: [accountScores.accountId, accountScores.asOf], set: row })
}

function result(day: string, changes: { accountId: number; from: HealthLevel; to: HealthLevel }[]): RecomputeResult {
  return {
    day,
    previousDay: null,
    users: 0,
    accounts: changes.length,
    changes: changes.map((change) => ({
      ...change,
      day,
      score: null,
      summary: { en: '', ja: '' },
      change: null,
    })),
  }
}

async function deliveriesFor(accountId: number) {
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.accountId, accountId), eq(webhookDeliveries.event, HEALTH_CHANGED_EVENT)))
    .orderBy(webhookDeliveries.id)
}

async function noticeOf(accountId: number) {
  const [row] = await db.select().from(accountHealthNotices).where(eq(accountHealthNotices.accountId, accountId))
  return row
}

test('health.changed is queued once per change: recomputing the same day again sends nothing more', async () => {
  await configureCrm('https://crm.example/hooks/health')
  // No seat count: too little data today, while yesterday's snapshot said GOOD.
  const acme = await account({ name: 'Acme CRM', seats: null, arrMinor: null })
  await snapshot(acme.id, '2026-03-09', 'GOOD', 80)

  const first = await recomputeScores(db, { day: '2026-03-10', settings: defaultScoringSettings })
  expect(first.changes).toContainEqual(
    expect.objectContaining({ accountId: acme.id, from: 'GOOD', to: 'INSUFFICIENT_DATA' }),
  )
  const notices = await notifyHealthChanges(db, first)
  expect(notices.accountIds).toEqual([acme.id])
  expect(notices.deliveryIds).toHaveLength(1)

  const [delivery] = await deliveriesFor(acme.id)
  expect(delivery).toMatchObject({
    id: notices.deliveryIds[0],
    target: 'crm',
    ticketId: null,
    url: 'https://crm.example/hooks/health',
    status: 'pending',
  })
  const payload = JSON.parse(delivery!.payload)
  expect(payload).toEqual({
    event: 'health.changed',
    delivery_id: delivery!.id,
    created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    account: { id: acme.id, name: 'Acme CRM' },
    health: expect.objectContaining({
      as_of: '2026-03-10',
      level: 'INSUFFICIENT_DATA',
      previous_level: 'GOOD',
      coverage: expect.any(Number),
      level_since: '2026-03-10',
      summary: { en: expect.stringContaining('Insufficient data'), ja: expect.any(String) },
      play: { id: 'onboarding_check_in', reason: { en: expect.any(String), ja: expect.any(String) } },
    }),
  })
  expect(payload.health.reasons.length).toBeGreaterThan(0)
  for (const reason of payload.health.reasons) {
    expect(Object.keys(reason).sort()).toEqual(['band', 'measure', 'reason', 'score', 'value', 'weight'])
    expect(reason.reason).toEqual({ en: expect.any(String), ja: expect.any(String) })
  }
  expect(await noticeOf(acme.id)).toMatchObject({
    level: 'INSUFFICIENT_DATA',
    asOf: '2026-03-10',
    notifiedAt: expect.any(Date),
    deliveryId: delivery!.id,
  })

  // A settings change recomputes today: the same change comes back from the recompute, and is not sent.
  const again = await recomputeScores(db, { day: '2026-03-10', settings: defaultScoringSettings })
  expect(again.changes).toContainEqual(expect.objectContaining({ accountId: acme.id, to: 'INSUFFICIENT_DATA' }))
  expect(await notifyHealthChanges(db, again)).toMatchObject({ accountIds: [], deliveryIds: [] })
  expect(await deliveriesFor(acme.id)).toHaveLength(1)
})

test('a real receiver gets health.changed signed with the CRM secret, which the helpdesk secret does not verify', async () => {
  const receiver = await startWebhookReceiver()
  try {
    await configureCrm(receiver.url)
    const sakura = await account({ name: '株式会社さくらテック' })
    await snapshot(sakura.id, '2026-04-01', 'NORMAL', 60)
    await snapshot(sakura.id, '2026-04-02', 'BAD', 31.5)
    const notices = await notifyHealthChanges(
      db,
      result('2026-04-02', [{ accountId: sakura.id, from: 'NORMAL', to: 'BAD' }]),
    )
    expect(notices.deliveryIds).toHaveLength(1)
    const deliveryId = notices.deliveryIds[0]!

    expect(await deliverWebhook(db, deliveryId)).toBe('delivered')
    expect(receiver.requests).toHaveLength(1)
    const request = receiver.requests[0]!
    expect(request.method).toBe('POST')
    expect(request.headers['x-webhook-event']).toBe('health.changed')
    expect(request.headers['x-webhook-delivery']).toBe(String(deliveryId))
    const timestamp = request.headers['x-webhook-timestamp'] as string
    const signature = request.headers['x-signature'] as string
    expect(verifyWebhookSignature(CRM_SECRET, timestamp, request.body, signature)).toBe(true)
    expect(verifyWebhookSignature(HELPDESK_SECRET, timestamp, request.body, signature)).toBe(false)
    expect(JSON.parse(request.body)).toMatchObject({
      event: 'health.changed',
      delivery_id: deliveryId,
      account: { id: sakura.id, name: '株式会社さくらテック' },
      health: {
        as_of: '2026-04-02',
        level: 'BAD',
        previous_level: 'NORMAL',
        score: 31.5,
        coverage: 0.9,
        tier: 'high',
        change: { en: 'BAD since 2026-04-02', ja: '2026-04-02 から BAD' },
        reasons: [
          {
            measure: 'breadth',
            band: 'BAD',
            value: 9,
            weight: 1,
            score: 0,
            reason: { en: 'Breadth: 1 of 11 seats active', ja: '利用の広がり：11 席中 1 席が利用' },
          },
        ],
        play: { id: 'csm_call', reason: { en: 'Call them', ja: '電話する' } },
      },
    })

    // The delivery log shows it as a CRM delivery about the account.
    const logged = (await listDeliveries(db, { target: 'crm', limit: 500 })).find((d) => d.id === deliveryId)
    expect(logged).toMatchObject({
      target: 'crm',
      event: 'health.changed',
      accountId: sakura.id,
      accountName: '株式会社さくらテック',
      ticketId: null,
      status: 'delivered',
    })
    expect((await listDeliveries(db, { target: 'helpdesk', limit: 500 })).map((d) => d.id)).not.toContain(deliveryId)
  } finally {
    await receiver.close()
  }
})

test('a CRM receiver that is down gets every try, then the delivery is failed; a staff retry goes to the CRM URL in force', async () => {
  const down = await startWebhookReceiver({ status: 503 })
  await configureCrm(down.url)
  const bluebird = await account({ name: 'Bluebird CRM' })
  await snapshot(bluebird.id, '2026-05-01', 'GOOD', 90)
  await snapshot(bluebird.id, '2026-05-02', 'NORMAL', 55)
  const { deliveryIds } = await notifyHealthChanges(
    db,
    result('2026-05-02', [{ accountId: bluebird.id, from: 'GOOD', to: 'NORMAL' }]),
  )
  const deliveryId = deliveryIds[0]!

  for (let i = 0; i < 3; i++) {
    await expect(deliverWebhook(db, deliveryId)).rejects.toBeInstanceOf(WebhookDeliveryError)
  }
  await down.close()
  for (let i = 3; i < WEBHOOK_MAX_ATTEMPTS - 1; i++) {
    await expect(deliverWebhook(db, deliveryId)).rejects.toThrow(/connection_refused/)
  }
  expect(await deliverWebhook(db, deliveryId)).toBe('failed')
  const attempts = await listDeliveryAttempts(db, [deliveryId])
  expect(attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, null, null, null])
  const [failed] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId))
  expect(failed).toMatchObject({ status: 'failed', attempts: WEBHOOK_MAX_ATTEMPTS })

  // The CRM moved; an admin saves the new address and staff retry: it arrives there, signed.
  const receiver = await startWebhookReceiver()
  try {
    await configureCrm(receiver.url)
    const staff = await insertStaff(db)
    expect(await retryDelivery(db, { actor: staff, deliveryId })).toEqual({ ok: true, value: { id: deliveryId } })
    expect(await deliverWebhook(db, deliveryId)).toBe('delivered')
    const request = receiver.requests[0]!
    expect(
      verifyWebhookSignature(
        CRM_SECRET,
        request.headers['x-webhook-timestamp'] as string,
        request.body,
        request.headers['x-signature'] as string,
      ),
    ).toBe(true)
    expect(JSON.parse(request.body)).toMatchObject({ delivery_id: deliveryId, health: { previous_level: 'GOOD' } })
  } finally {
    await receiver.close()
  }
})

test('without a CRM URL nothing is queued or remembered; a day older than the latest snapshot is not news', async () => {
  await configureCrm(null)
  const northwind = await account({ name: 'Northwind CRM' })
  await snapshot(northwind.id, '2026-06-01', 'GOOD')
  await snapshot(northwind.id, '2026-06-02', 'BAD')
  const change = result('2026-06-02', [{ accountId: northwind.id, from: 'GOOD', to: 'BAD' }])
  expect(await notifyHealthChanges(db, change)).toEqual({ day: '2026-06-02', accountIds: [], deliveryIds: [] })
  expect(await noticeOf(northwind.id)).toBeUndefined()

  // Configured later the same day: the change still stands against the snapshot before, so it goes.
  await configureCrm('https://crm.example/hooks')
  expect((await notifyHealthChanges(db, change)).accountIds).toEqual([northwind.id])

  // A backfill of 2 June once 3 June exists tells the CRM nothing: it would be older than what it has.
  const late = await account({ name: 'Late CRM' })
  await snapshot(late.id, '2026-06-01', 'GOOD')
  await snapshot(late.id, '2026-06-02', 'BAD')
  await snapshot(northwind.id, '2026-06-03', 'BAD')
  const backfill = result('2026-06-02', [{ accountId: late.id, from: 'GOOD', to: 'BAD' }])
  expect(await notifyHealthChanges(db, backfill)).toMatchObject({ accountIds: [], deliveryIds: [] })
  expect(await noticeOf(late.id)).toBeUndefined()
  expect(await deliveriesFor(late.id)).toEqual([])
})

test('first sight stores a baseline; a level that flips back within the day is told again, so the CRM is never left wrong', async () => {
  await configureCrm('https://crm.example/hooks')
  const steady = await account({ name: 'Steady CRM' })
  const flipper = await account({ name: 'Flipper CRM' })
  await snapshot(steady.id, '2026-07-01', 'GOOD')
  await snapshot(flipper.id, '2026-07-01', 'BAD')

  // Nothing changed on the first day: baselines only.
  expect(await notifyHealthChanges(db, result('2026-07-01', []))).toMatchObject({ accountIds: [] })
  expect(await noticeOf(steady.id)).toMatchObject({ level: 'GOOD', notifiedAt: null, deliveryId: null })
  expect(await noticeOf(flipper.id)).toMatchObject({ level: 'BAD', notifiedAt: null })

  // Today: Flipper goes NORMAL and the CRM is told.
  await snapshot(steady.id, '2026-07-02', 'GOOD')
  await snapshot(flipper.id, '2026-07-02', 'NORMAL')
  const up = await notifyHealthChanges(db, result('2026-07-02', [{ accountId: flipper.id, from: 'BAD', to: 'NORMAL' }]))
  expect(up.accountIds).toEqual([flipper.id])

  // A settings change recomputes today and Flipper is BAD again, the same as yesterday: the recompute
  // reports no change, but the CRM was told NORMAL, so it is told BAD.
  await snapshot(flipper.id, '2026-07-02', 'BAD')
  const back = await notifyHealthChanges(db, result('2026-07-02', []))
  expect(back.accountIds).toEqual([flipper.id])
  const sent = await deliveriesFor(flipper.id)
  expect(sent.map((d) => JSON.parse(d.payload).health)).toEqual([
    expect.objectContaining({ level: 'NORMAL', previous_level: 'BAD' }),
    expect.objectContaining({ level: 'BAD', previous_level: 'NORMAL' }),
  ])
  expect(await noticeOf(flipper.id)).toMatchObject({ level: 'BAD', deliveryId: sent[1]!.id })
  expect(await deliveriesFor(steady.id)).toEqual([])

  // Two notifiers at once (the daily job and a settings save) queue one delivery between them.
  await snapshot(flipper.id, '2026-07-02', 'GOOD')
  const both = await Promise.all([
    notifyHealthChanges(db, result('2026-07-02', [])),
    notifyHealthChanges(db, result('2026-07-02', [])),
  ])
  expect(both.flatMap((notices) => notices.deliveryIds)).toHaveLength(1)
  expect(await deliveriesFor(flipper.id)).toHaveLength(3)
})

test("the daily run tells the CRM after today's recompute", async () => {
  await configureCrm('https://crm.example/hooks')
  // Told GOOD before; with no seat count the daily run finds too little data.
  const cobalt = await account({ name: 'Cobalt CRM', seats: null, arrMinor: null })
  await snapshot(cobalt.id, '2026-08-01', 'GOOD')
  await notifyHealthChanges(db, result('2026-08-01', []))
  expect(await noticeOf(cobalt.id)).toMatchObject({ level: 'GOOD' })

  const results = await runDailyScores(db, new Date('2026-08-02T00:05:00Z'))
  expect(results.map((r) => r.day)).toEqual(['2026-08-01', '2026-08-02'])
  const sent = await deliveriesFor(cobalt.id)
  expect(sent).toHaveLength(1)
  expect(JSON.parse(sent[0]!.payload).health).toMatchObject({
    as_of: '2026-08-02',
    level: 'INSUFFICIENT_DATA',
    previous_level: 'GOOD',
  })

  // The job retried (or run twice) sends nothing more.
  await runDailyScores(db, new Date('2026-08-02T00:35:00Z'))
  expect(await deliveriesFor(cobalt.id)).toHaveLength(1)
  const all = await db
    .select({ accountId: accountHealthNotices.accountId })
    .from(accountHealthNotices)
    .where(inArray(accountHealthNotices.accountId, [cobalt.id]))
  expect(all).toHaveLength(1)
})

test('a level still waiting for confirmation tells the CRM nothing; the confirmed level is sent once', async () => {
  await configureCrm('https://crm.example/hooks')
  // Breadth over one working day alone decides, and a new level needs two days: with 4 of 10 seats
  // active the account is GOOD, with 2 the measures call for NORMAL.
  const settings: ScoringSettings = {
    ...defaultScoringSettings,
    health: {
      ...defaultScoringSettings.health,
      breadth: { ...defaultScoringSettings.health.breadth, days: 1 },
      weights: {
        engagement: 0,
        trend: 0,
        breadth: 1,
        breadthChange: 0,
        champions: 0,
        supportLoad: 0,
        ticketSurge: 0,
        selfService: 0,
        events: 0,
        sentiment: 0,
        onboarding: 0,
      },
      overall: { ...defaultScoringSettings.health.overall, confirmDays: 2 },
    },
  }
  const waiting = await account({ name: 'Waiting CRM', seats: 10 })
  const members = [] as Awaited<ReturnType<typeof insertUser>>[]
  for (let i = 0; i < 4; i++) members.push(await insertUser(db, { accountId: waiting.id }))
  const day = async (date: string, active: number) => {
    for (const member of members.slice(0, active)) {
      await recordActivity(db, {
        type: 'visit_day',
        user: member,
        uniqueKey: `crm-test:${member.id}:${date}`,
        occurredAt: new Date(`${date}T09:00:00Z`),
      })
    }
    return notifyHealthChanges(db, await recomputeScores(db, { day: date, settings }))
  }

  await day('2026-10-01', 4)
  expect(await noticeOf(waiting.id)).toMatchObject({ level: 'GOOD', notifiedAt: null })
  // NORMAL is only the candidate: the level shown, and told, is still GOOD.
  expect((await day('2026-10-02', 2)).accountIds).not.toContain(waiting.id)
  expect(await deliveriesFor(waiting.id)).toEqual([])
  // Confirmed on the second day: sent once, with the day the new level began.
  expect((await day('2026-10-03', 2)).accountIds).toContain(waiting.id)
  const sent = await deliveriesFor(waiting.id)
  expect(sent.map((d) => JSON.parse(d.payload).health)).toEqual([
    expect.objectContaining({
      level: 'NORMAL',
      previous_level: 'GOOD',
      as_of: '2026-10-03',
      level_since: '2026-10-03',
    }),
  ])
})
