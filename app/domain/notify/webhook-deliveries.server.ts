import { and, desc, eq, inArray, lt } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { redactUrl } from '#app/lib/outbound.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { accounts } from '#db/schema/identity.ts'
import { tickets, type WebhookTarget, webhookAttempts, webhookDeliveries } from '#db/schema/support.ts'
import { type DeliveryErrorKind, deliveryErrorKind } from './delivery-errors.ts'
import { readWebhookEndpoint } from './webhook-receivers.server.ts'
import {
  type DeliverOptions,
  deliverWebhook,
  dispatchDeliveries,
  PING_EVENT,
  queueWebhookDeliveries,
} from './webhooks.server.ts'

/** The delivery log and what staff do with it: list deliveries and their tries, retry a failed one,
 *  send a test. The engine that sends them is webhooks.server.ts. */

/** Puts a failed delivery back in the queue for a new round of tries (the attempt counter and the log
 *  keep the earlier ones). When its target's webhook URL changed since, the delivery goes to the current
 *  one, so fixing a wrong address and retrying is enough. Staff with `support.view_tickets`; audited. */
export async function retryDelivery(
  db: Db,
  { actor, deliveryId }: { actor: SessionUser; deliveryId: number },
): Promise<Outcome<{ id: number }>> {
  if (!can(actor, 'support.view_tickets')) return fail(403, 'errors.forbidden')
  const outcome = await db.transaction(async (tx) => {
    const [delivery] = await tx
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, deliveryId))
      .for('update')
    if (!delivery) return fail(404, 'support_helpdesk.deliveries.not_found')
    if (delivery.status !== 'failed') return fail(409, 'support_helpdesk.deliveries.not_failed')
    const { url: currentUrl } = await readWebhookEndpoint(tx, delivery.target)
    const url = currentUrl ?? delivery.url
    await tx.update(webhookDeliveries).set({ status: 'pending', url }).where(eq(webhookDeliveries.id, deliveryId))
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'support.webhook_retried',
      targetType: 'webhook_delivery',
      targetId: deliveryId,
      details: {
        target: delivery.target,
        ...(delivery.ticketId !== null ? { ticketId: delivery.ticketId } : {}),
        ...(delivery.accountId !== null ? { accountId: delivery.accountId } : {}),
        event: delivery.event,
        attempts: delivery.attempts,
        ...(url !== delivery.url ? { url: redactUrl(url) } : {}),
      },
    })
    return ok({ id: deliveryId })
  })
  if (outcome.ok) await dispatchDeliveries([deliveryId])
  return outcome
}

export type TestDeliveryResult = {
  deliveryId: number
  delivered: boolean
  statusCode: number | null
  /** Why it failed; see `deliveryErrorMessage` for the words staff read. */
  error: DeliveryErrorKind | null
}

const noUrlMessages: Record<WebhookTarget, string> = {
  helpdesk: 'support_helpdesk.settings.test_no_url',
  crm: 'crm.settings.test_no_url',
}

/** Sends a `ping` to a target's current webhook URL (the helpdesk's unless told) right away and
 *  reports the answer, so an admin can check the receiver and its signature check. Tried once; it
 *  shows in the delivery log like any other. */
export async function sendTestDelivery(
  db: Db,
  { actor, target = 'helpdesk', ...options }: { actor: SessionUser; target?: WebhookTarget } & DeliverOptions,
): Promise<Outcome<TestDeliveryResult>> {
  if (!can(actor, 'support.configure')) return fail(403, 'errors.forbidden')
  const { url } = await readWebhookEndpoint(db, target)
  if (!url) return fail(409, noUrlMessages[target])
  const [deliveryId] = await db.transaction((tx) =>
    queueWebhookDeliveries(tx, target, [
      {
        event: PING_EVENT,
        url,
        body: (id) => ({ event: PING_EVENT, delivery_id: id, created_at: new Date().toISOString() }),
      },
    ]),
  )
  if (deliveryId === undefined) throw new Error('sendTestDelivery: no delivery was inserted')
  const result = await deliverWebhook(db, deliveryId, options)
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId))
  return ok({
    deliveryId,
    delivered: result === 'delivered',
    statusCode: row?.lastStatusCode ?? null,
    error: deliveryErrorKind(row?.lastError, row?.lastStatusCode),
  })
}

export const webhookStatuses = ['pending', 'delivered', 'failed'] as const
export type WebhookStatus = (typeof webhookStatuses)[number]

/** The delivery log, newest first, optionally of one status and one target; `before` pages by id. The
 *  payload is left out (it can be long); each row carries its ticket's subject or its account's name,
 *  through the table's own links, for the log's labels only. */
export async function listDeliveries(
  db: Db,
  {
    status,
    target,
    limit = 50,
    before,
  }: { status?: WebhookStatus | null; target?: WebhookTarget | null; limit?: number; before?: number | null } = {},
) {
  return db
    .select({
      id: webhookDeliveries.id,
      target: webhookDeliveries.target,
      event: webhookDeliveries.event,
      ticketId: webhookDeliveries.ticketId,
      ticketSubject: tickets.subject,
      accountId: webhookDeliveries.accountId,
      accountName: accounts.name,
      url: webhookDeliveries.url,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .leftJoin(tickets, eq(tickets.id, webhookDeliveries.ticketId))
    .leftJoin(accounts, eq(accounts.id, webhookDeliveries.accountId))
    .where(
      and(
        status ? eq(webhookDeliveries.status, status) : undefined,
        target ? eq(webhookDeliveries.target, target) : undefined,
        before ? lt(webhookDeliveries.id, before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit)
}

/** Every try of the given deliveries, oldest first within each. */
export async function listDeliveryAttempts(db: Db, deliveryIds: number[]) {
  if (deliveryIds.length === 0) return []
  return db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, deliveryIds))
    .orderBy(webhookAttempts.deliveryId, webhookAttempts.attemptedAt, webhookAttempts.id)
}
