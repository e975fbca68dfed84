import { and, eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { writeCrmSettings, writeHelpdeskSettings } from '#app/domain/support/settings.server.ts'
import { insertAdmin, insertStaff, insertTicket, insertUser } from '#app/server/seed/factories/index.ts'
import { auditLog } from '#db/schema/identity.ts'
import { webhookAttempts, webhookDeliveries } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { hangs, hugeBody, redirectsTo, startWebhookReceiver } from '#tests/webhook-receiver.ts'
import { listDeliveries, listDeliveryAttempts, retryDelivery, sendTestDelivery } from './webhook-deliveries.server.ts'
import {
  deliverWebhook,
  queueWebhookDeliveries,
  sweepPendingDeliveries,
  verifyWebhookSignature,
  WEBHOOK_MAX_ATTEMPTS,
  WebhookDeliveryError,
  webhookSignature,
} from './webhooks.server.ts'

const SECRET = 'whsec_test-secret-for-signatures'

/** The helpdesk's receiver at `webhookUrl` (none turns it off), signing with SECRET unless told. */
async function configure({ webhookUrl, secret = SECRET }: { webhookUrl: string | null; secret?: string | null }) {
  const admin = await insertAdmin(db)
  await writeHelpdeskSettings(db, { webhookUrl, webhookSecret: secret, supportEmail: null }, admin.id)
}

/** A `ticket.created` delivery about a new ticket to the helpdesk's receiver, set to `url`, queued the
 *  way the hand-off queues one (app/domain/support/handoff.server.ts, tested there). */
async function queueDelivery(url: string) {
  await configure({ webhookUrl: url })
  const ticket = await insertTicket(db, await insertUser(db), { subject: 'Usage export downloads nothing' })
  const ids = await db.transaction((tx) =>
    queueWebhookDeliveries(tx, 'helpdesk', [
      {
        event: 'ticket.created',
        ticketId: ticket.id,
        url,
        body: (id) => ({ event: 'ticket.created', delivery_id: id, ticket: { id: ticket.id } }),
      },
    ]),
  )
  expect(ids).toHaveLength(1)
  return { ticket, deliveryId: ids[0]! }
}

async function deliveryRow(id: number) {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id))
  return row!
}

test('a signature verifies with the secret it was made with, and not with another, a changed body or an old timestamp', () => {
  const now = new Date('2026-05-01T12:00:00Z')
  const timestamp = String(Math.floor(now.getTime() / 1000))
  const body = '{"event":"ticket.created","ticket":{"id":1}}'
  const header = webhookSignature(SECRET, timestamp, body)
  expect(header).toMatch(/^sha256=[0-9a-f]{64}$/)

  expect(verifyWebhookSignature(SECRET, timestamp, body, header, { now })).toBe(true)
  expect(verifyWebhookSignature('whsec_another', timestamp, body, header, { now })).toBe(false)
  expect(verifyWebhookSignature(SECRET, timestamp, body.replace('1', '2'), header, { now })).toBe(false)
  expect(verifyWebhookSignature(SECRET, String(Number(timestamp) + 1), body, header, { now })).toBe(false)
  const later = new Date(now.getTime() + 6 * 60 * 1000)
  expect(verifyWebhookSignature(SECRET, timestamp, body, header, { now: later })).toBe(false)
  expect(verifyWebhookSignature(SECRET, timestamp, body, header.toUpperCase(), { now })).toBe(false)
  expect(verifyWebhookSignature(SECRET, timestamp, body, null, { now })).toBe(false)
  expect(verifyWebhookSignature(SECRET, 'yesterday', body, header, { now })).toBe(false)
})

test('a delivery reaches a real receiver once, with headers and a signature the receiver can verify', async () => {
  const receiver = await startWebhookReceiver()
  try {
    const { deliveryId } = await queueDelivery(receiver.url)
    expect(await deliverWebhook(db, deliveryId)).toBe('delivered')

    expect(receiver.requests).toHaveLength(1)
    const request = receiver.requests[0]!
    expect(request.method).toBe('POST')
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['user-agent']).toMatch(/^CommunityTouch-Webhook\//)
    expect(request.headers['x-webhook-event']).toBe('ticket.created')
    expect(request.headers['x-webhook-delivery']).toBe(String(deliveryId))
    const timestamp = request.headers['x-webhook-timestamp'] as string
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60)
    const signature = request.headers['x-signature'] as string
    expect(verifyWebhookSignature(SECRET, timestamp, request.body, signature)).toBe(true)
    expect(verifyWebhookSignature('whsec_wrong', timestamp, request.body, signature)).toBe(false)
    expect(JSON.parse(request.body)).toMatchObject({ event: 'ticket.created', delivery_id: deliveryId })

    expect(await deliveryRow(deliveryId)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      deliveredAt: expect.any(Date),
    })

    // Delivered is final: a second job (a retry, the sweeper) sends nothing.
    expect(await deliverWebhook(db, deliveryId)).toBe('already-delivered')
    expect(receiver.requests).toHaveLength(1)
    expect(await listDeliveryAttempts(db, [deliveryId])).toHaveLength(1)
  } finally {
    await receiver.close()
  }
})

test('a receiver that errors and then goes down gets every try logged, and the last one marks the delivery failed', async () => {
  const receiver = await startWebhookReceiver({ status: 500 })
  const { deliveryId } = await queueDelivery(receiver.url)

  for (let i = 0; i < 3; i++) {
    await expect(deliverWebhook(db, deliveryId)).rejects.toBeInstanceOf(WebhookDeliveryError)
  }
  expect(receiver.requests).toHaveLength(3)
  expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'pending', attempts: 3, lastStatusCode: 500 })

  await receiver.close()
  for (let i = 3; i < WEBHOOK_MAX_ATTEMPTS - 1; i++) {
    await expect(deliverWebhook(db, deliveryId)).rejects.toThrow(/connection_refused/)
  }
  expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'pending', lastStatusCode: null })

  // The last try of the round is not thrown: there is nothing left to retry.
  expect(await deliverWebhook(db, deliveryId)).toBe('failed')
  expect(await deliverWebhook(db, deliveryId)).toBe('already-failed')

  const failed = await listDeliveries(db, { status: 'failed' })
  const listed = failed.find((delivery) => delivery.id === deliveryId)
  expect(listed).toMatchObject({ status: 'failed', attempts: WEBHOOK_MAX_ATTEMPTS, lastStatusCode: null })
  expect(listed!.lastError).toBe('connection_refused')
  expect((await listDeliveries(db, { status: 'delivered' })).map((d) => d.id)).not.toContain(deliveryId)

  const attempts = await listDeliveryAttempts(db, [deliveryId])
  expect(attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, null, null, null])
  // Only the kind is kept: never the receiver's body, never the socket's message.
  expect(attempts.map((a) => a.error)).toEqual([
    'http_status',
    'http_status',
    'http_status',
    'connection_refused',
    'connection_refused',
    'connection_refused',
  ])
})

test('staff retry a failed delivery: it is pending again, keeps its history, gets a full new round and can be delivered', async () => {
  const down = await startWebhookReceiver({ status: 503 })
  const { ticket, deliveryId } = await queueDelivery(down.url)
  for (let i = 0; i < WEBHOOK_MAX_ATTEMPTS - 1; i++) await expect(deliverWebhook(db, deliveryId)).rejects.toThrow()
  expect(await deliverWebhook(db, deliveryId)).toBe('failed')

  const member = await insertUser(db)
  expect(await retryDelivery(db, { actor: member, deliveryId })).toMatchObject({ ok: false, status: 403 })
  const staff = await insertStaff(db)
  expect(await retryDelivery(db, { actor: staff, deliveryId: 999_999 })).toMatchObject({ ok: false, status: 404 })

  expect(await retryDelivery(db, { actor: staff, deliveryId })).toEqual({ ok: true, value: { id: deliveryId } })
  expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'pending', attempts: WEBHOOK_MAX_ATTEMPTS })
  const audit = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'support.webhook_retried'), eq(auditLog.targetId, String(deliveryId))))
  expect(audit).toHaveLength(1)
  expect(audit[0]).toMatchObject({ actorUserId: staff.id, details: { ticketId: ticket.id } })

  // The new round does not end on its first failure.
  await expect(deliverWebhook(db, deliveryId)).rejects.toThrow()
  expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'pending', attempts: WEBHOOK_MAX_ATTEMPTS + 1 })

  // Retrying a pending or delivered delivery is refused.
  expect(await retryDelivery(db, { actor: staff, deliveryId })).toMatchObject({ ok: false, status: 409 })
  down.setStatus(204)
  expect(await deliverWebhook(db, deliveryId)).toBe('delivered')
  expect(await deliveryRow(deliveryId)).toMatchObject({ status: 'delivered', attempts: WEBHOOK_MAX_ATTEMPTS + 2 })
  expect(await retryDelivery(db, { actor: staff, deliveryId })).toMatchObject({ ok: false, status: 409 })
  await down.close()
})

test('a retry goes to the webhook URL in force now, so fixing a wrong address and retrying is enough', async () => {
  const gone = await startWebhookReceiver()
  await gone.close()
  const { deliveryId } = await queueDelivery(gone.url)
  for (let i = 0; i < WEBHOOK_MAX_ATTEMPTS - 1; i++) await expect(deliverWebhook(db, deliveryId)).rejects.toThrow()
  expect(await deliverWebhook(db, deliveryId)).toBe('failed')

  const receiver = await startWebhookReceiver()
  try {
    await configure({ webhookUrl: receiver.url })
    const staff = await insertStaff(db)
    expect((await retryDelivery(db, { actor: staff, deliveryId })).ok).toBe(true)
    expect(await deliverWebhook(db, deliveryId)).toBe('delivered')
    expect(receiver.requests).toHaveLength(1)
    expect(await deliveryRow(deliveryId)).toMatchObject({ url: receiver.url, status: 'delivered' })
  } finally {
    await receiver.close()
  }
})

test('no answer within the time limit is a failed try that says so', async () => {
  const silent = await startWebhookReceiver({ answer: hangs })
  try {
    const { deliveryId } = await queueDelivery(silent.url)
    await expect(deliverWebhook(db, deliveryId, { timeoutMs: 200 })).rejects.toThrow(/timeout/)
    const [attempt] = await listDeliveryAttempts(db, [deliveryId])
    expect(attempt).toMatchObject({ statusCode: null, error: 'timeout' })
    expect(silent.requests).toHaveLength(1)
  } finally {
    await silent.close()
  }
})

test('a redirect is not followed: the receiver must answer at the configured address', async () => {
  const elsewhere = await startWebhookReceiver()
  const moved = await startWebhookReceiver({ status: 301, answer: redirectsTo(elsewhere.url) })
  try {
    const { deliveryId } = await queueDelivery(moved.url)
    await expect(deliverWebhook(db, deliveryId)).rejects.toThrow(/redirect \(HTTP 301\)/)
    expect(await deliveryRow(deliveryId)).toMatchObject({
      status: 'pending',
      lastStatusCode: 301,
      lastError: 'redirect',
    })
    expect(moved.requests).toHaveLength(1)
    expect(elsewhere.requests).toEqual([])
  } finally {
    await elsewhere.close()
    await moved.close()
  }
})

test('a receiver answering an error with 64 MB is read a few KB: the try ends promptly and keeps only the status', async () => {
  const flood = await startWebhookReceiver({ status: 500, answer: hugeBody() })
  try {
    const { deliveryId } = await queueDelivery(flood.url)
    const started = Date.now()
    await expect(deliverWebhook(db, deliveryId)).rejects.toThrow(/http_status \(HTTP 500\)/)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(await deliveryRow(deliveryId)).toMatchObject({ lastStatusCode: 500, lastError: 'http_status' })
    const [attempt] = await listDeliveryAttempts(db, [deliveryId])
    expect(attempt).toMatchObject({ statusCode: 500, error: 'http_status' })
  } finally {
    await flood.close()
  }
})

test('the sweeper re-dispatches deliveries whose job was lost, and leaves recent and finished ones alone', async () => {
  const receiver = await startWebhookReceiver()
  const failing = await startWebhookReceiver({ status: 502 })
  try {
    const fresh = await queueDelivery('https://helpdesk.example/a')
    const tried = await queueDelivery(failing.url)
    await expect(deliverWebhook(db, tried.deliveryId)).rejects.toThrow()
    const done = await queueDelivery(receiver.url)
    await deliverWebhook(db, done.deliveryId)

    const ids = [fresh.deliveryId, tried.deliveryId, done.deliveryId]
    const sweptAt = async (minutesFromNow: number) =>
      (await sweepPendingDeliveries(db, new Date(Date.now() + minutesFromNow * 60 * 1000))).filter((id) =>
        ids.includes(id),
      )
    expect(await sweptAt(0)).toEqual([])
    // Never tried after a few minutes: lost. Tried and quiet for less than the longest backoff: not yet.
    expect(await sweptAt(5)).toEqual([fresh.deliveryId])
    expect(await sweptAt(30)).toEqual([fresh.deliveryId, tried.deliveryId])
  } finally {
    await receiver.close()
    await failing.close()
  }
})

test('an admin test delivery pings the receiver at once and reports the answer; a down receiver fails it at once', async () => {
  const receiver = await startWebhookReceiver()
  await configure({ webhookUrl: receiver.url })
  const admin = await insertAdmin(db)
  const staff = await insertStaff(db)
  expect(await sendTestDelivery(db, { actor: staff })).toMatchObject({ ok: false, status: 403 })

  const ok = await sendTestDelivery(db, { actor: admin })
  expect(ok).toMatchObject({ ok: true, value: { delivered: true, statusCode: 200, error: null } })
  expect(receiver.requests[0]!.headers['x-webhook-event']).toBe('ping')
  const body = receiver.requests[0]!.body
  expect(
    verifyWebhookSignature(
      SECRET,
      receiver.requests[0]!.headers['x-webhook-timestamp'] as string,
      body,
      receiver.requests[0]!.headers['x-signature'] as string,
    ),
  ).toBe(true)

  await receiver.close()
  const down = await sendTestDelivery(db, { actor: admin })
  expect(down).toMatchObject({ ok: true, value: { delivered: false, statusCode: null } })
  if (!down.ok) throw new Error('unreachable')
  expect(down.value.error).toBe('connection_refused')
  expect(await deliveryRow(down.value.deliveryId)).toMatchObject({ event: 'ping', status: 'failed', attempts: 1 })

  await configure({ webhookUrl: null })
  expect(await sendTestDelivery(db, { actor: admin })).toMatchObject({ ok: false, status: 409 })
})

test('the delivery log lists newest first, filters by status and pages with before', async () => {
  const first = await queueDelivery('https://helpdesk.example/one')
  const second = await queueDelivery('https://helpdesk.example/two')
  const all = await listDeliveries(db, { limit: 500 })
  const order = all.map((d) => d.id)
  expect(order.indexOf(second.deliveryId)).toBeLessThan(order.indexOf(first.deliveryId))
  expect(all.find((d) => d.id === second.deliveryId)).toMatchObject({
    ticketId: second.ticket.id,
    ticketSubject: 'Usage export downloads nothing',
    status: 'pending',
  })
  const older = await listDeliveries(db, { before: second.deliveryId, limit: 500 })
  expect(older.map((d) => d.id)).toContain(first.deliveryId)
  expect(older.map((d) => d.id)).not.toContain(second.deliveryId)
  const pending = await listDeliveries(db, { status: 'pending', limit: 500 })
  expect(pending.every((d) => d.status === 'pending')).toBe(true)
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, [first.deliveryId]))
  expect(attempts).toEqual([])
})

test('each receiver has its own URL and secret: a CRM ping goes to the CRM, signed with the CRM secret', async () => {
  const helpdesk = await startWebhookReceiver()
  const crm = await startWebhookReceiver()
  try {
    await configure({ webhookUrl: helpdesk.url })
    const admin = await insertAdmin(db)
    expect(await sendTestDelivery(db, { actor: admin, target: 'crm' })).toMatchObject({
      ok: false,
      status: 409,
      code: 'crm.settings.test_no_url',
    })
    await writeCrmSettings(db, { webhookUrl: crm.url, webhookSecret: 'whsec_crm-only' }, admin.id)

    const ping = await sendTestDelivery(db, { actor: admin, target: 'crm' })
    expect(ping).toMatchObject({ ok: true, value: { delivered: true, statusCode: 200 } })
    expect(helpdesk.requests).toHaveLength(0)
    const request = crm.requests[0]!
    expect(request.headers['x-webhook-event']).toBe('ping')
    const timestamp = request.headers['x-webhook-timestamp'] as string
    const signature = request.headers['x-signature'] as string
    expect(verifyWebhookSignature('whsec_crm-only', timestamp, request.body, signature)).toBe(true)
    expect(verifyWebhookSignature(SECRET, timestamp, request.body, signature)).toBe(false)
    if (!ping.ok) throw new Error('unreachable')
    expect(await deliveryRow(ping.value.deliveryId)).toMatchObject({ target: 'crm', event: 'ping', ticketId: null })

    // A ticket still goes to the helpdesk only, as a helpdesk delivery.
    const { deliveryId } = await queueDelivery(helpdesk.url)
    expect(await deliveryRow(deliveryId)).toMatchObject({ target: 'helpdesk', accountId: null })
    expect(await deliverWebhook(db, deliveryId)).toBe('delivered')
    expect(helpdesk.requests).toHaveLength(1)
    expect(crm.requests).toHaveLength(1)
    const crmLog = await listDeliveries(db, { target: 'crm', limit: 500 })
    expect(crmLog.map((d) => d.id)).toContain(ping.value.deliveryId)
    expect(crmLog.map((d) => d.id)).not.toContain(deliveryId)
  } finally {
    await helpdesk.close()
    await crm.close()
  }
})

test('many deliveries queued in one transaction each carry their own id in their payload', async () => {
  const items = Array.from({ length: 620 }, (_, index) => ({
    event: 'health.changed',
    url: 'https://crm.example/bulk',
    body: (id: number) => ({ event: 'health.changed', delivery_id: id, index }),
  }))
  const ids = await db.transaction((tx) => queueWebhookDeliveries(tx, 'crm', items))
  expect(ids).toHaveLength(620)
  expect(new Set(ids).size).toBe(620)
  const rows = await db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, ids))
  const byId = new Map(rows.map((row) => [row.id, JSON.parse(row.payload)]))
  ids.forEach((id, index) => {
    expect(byId.get(id)).toEqual({ event: 'health.changed', delivery_id: id, index })
  })
})
