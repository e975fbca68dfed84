import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { and, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { enqueue, type JobDefinition } from '#app/lib/jobs.server.ts'
import { redactUrl, sendOutbound } from '#app/lib/outbound.server.ts'
import { APP_VERSION } from '#app/lib/version.ts'
import type { Db } from '#db/client.server.ts'
import { type WebhookTarget, webhookAttempts, webhookDeliveries, webhookTargetEnum } from '#db/schema/support.ts'
import type { DeliveryErrorKind } from './delivery-errors.ts'
import { readWebhookEndpoint } from './webhook-receivers.server.ts'

/** The signed-webhook engine: callers (the ticket hand-off, the CRM sync, a test from the settings
 *  page) give a target, an event, a URL and a payload; this file signs, queues, sends, retries and
 *  sweeps. It knows the receivers only by target (webhook-receivers.server.ts) and never reads a
 *  payload; the ticket or account a delivery is about is only a link it stores for the log. The log and
 *  the staff actions on it are in webhook-deliveries.server.ts. */

export type { WebhookTarget } from '#db/schema/support.ts'
export const webhookTargets = webhookTargetEnum.enumValues

// The queue names predate notify; jobs already queued under them must still run.
export const WEBHOOK_JOB = 'support.webhook'
export const SWEEP_WEBHOOK_JOB = 'support.webhook_sweep'
/** A delivery an admin sends from the settings page to check the receiver; tried once, never retried. */
export const PING_EVENT = 'ping'

/** Deliveries inserted per statement: two parameters each for the payload update, far below the limit. */
const INSERT_BATCH = 500
/** Tries per round: the first sending is one round, and each staff retry of a failed delivery another. */
export const WEBHOOK_MAX_ATTEMPTS = 6
/** The receiver must answer within this time, or the try counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000
/** First retry after 30–60 s, doubling, each wait capped at 10 minutes (pg-boss backoff with jitter). */
const RETRY_DELAY_SECONDS = 30
const RETRY_DELAY_MAX_SECONDS = 600
/** A delivery never tried this long after it was queued has lost its job (a crash after commit). */
const NEVER_TRIED_AFTER_MS = 2 * 60 * 1000
/** Longer than the longest wait between two tries, so a delivery quiet for this long has lost its job. */
const STALLED_AFTER_MS = 20 * 60 * 1000

/* ------------------------------------------------------------------------------------------------ */
/* Queueing                                                                                          */

/** One delivery to queue: its event, what it is about (the ticket or account the log links to, if
 *  any), where it goes and its payload, built from the delivery's id. */
export type NewDelivery = {
  event: string
  ticketId?: number | null
  accountId?: number | null
  url: string
  body: (deliveryId: number) => object
}

/** Inserts deliveries for one target inside the caller's transaction and returns their ids, in the
 *  order given. Each payload carries its delivery's own id, so a receiver can recognise a delivery it
 *  already processed (deliveries are at least once); the rows are inserted first to get the ids, then
 *  their payloads written, in batches. Nothing is sent here: call `dispatchDeliveries` after commit. */
export async function queueWebhookDeliveries(tx: Db, target: WebhookTarget, items: NewDelivery[]): Promise<number[]> {
  const ids: number[] = []
  for (let start = 0; start < items.length; start += INSERT_BATCH) {
    const batch = items.slice(start, start + INSERT_BATCH)
    // A placeholder payload names each row's place in the batch, since RETURNING promises no order.
    const inserted = await tx
      .insert(webhookDeliveries)
      .values(
        batch.map((item, index) => ({
          target,
          event: item.event,
          ticketId: item.ticketId ?? null,
          accountId: item.accountId ?? null,
          url: item.url,
          payload: String(index),
        })),
      )
      .returning({ id: webhookDeliveries.id, place: webhookDeliveries.payload })
    const byPlace = new Map(inserted.map((row) => [Number(row.place), row.id]))
    const batchIds = batch.map((_, index) => byPlace.get(index)!)
    const payloads = batch.map(
      (item, index) => sql`(${batchIds[index]}::integer, ${JSON.stringify(item.body(batchIds[index]!))}::text)`,
    )
    await tx.execute(
      sql`update ${webhookDeliveries} set payload = v.payload from (values ${sql.join(payloads, sql`, `)}) as v(id, payload) where ${webhookDeliveries.id} = v.id`,
    )
    ids.push(...batchIds)
  }
  return ids
}

/** Queues the delivery jobs of deliveries a committed transaction inserted (`queueWebhookDeliveries`).
 *  Best effort, like every dispatch: a lost job is the sweeper's. */
export async function dispatchDeliveries(deliveryIds: number[]): Promise<void> {
  for (const id of deliveryIds) await dispatchDelivery(id)
}

/** Queues the job for one delivery. Best effort: the delivery is already committed, so a queue that
 *  cannot take the job must not turn the member's or staff's finished action into an error page; the
 *  sweeper sends it within minutes. */
async function dispatchDelivery(id: number): Promise<void> {
  try {
    await enqueue(WEBHOOK_JOB, { id })
  } catch (error) {
    console.warn(`[support] webhook delivery ${id} left to the sweeper:`, error)
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Signing and delivering                                                                            */

/** A new signing secret: 32 random bytes, base64url, with a prefix that says what it is. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

/** The `X-Signature` value for a body sent at `timestamp` (Unix seconds). */
export function webhookSignature(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** Checks a webhook request, the way a receiver should.
 *
 *  Every delivery is a `POST` with a JSON body and these headers:
 *  - `X-Webhook-Event`: `ticket.created` to the helpdesk, `health.changed` to the CRM (or `ping` for a
 *    test from the settings page);
 *  - `X-Webhook-Delivery`: the delivery id, the same on every retry (a receiver may get a delivery
 *    more than once and should ignore one it already processed);
 *  - `X-Webhook-Timestamp`: when this try was sent, in Unix seconds;
 *  - `X-Signature`: `sha256=` followed by the lowercase hex HMAC-SHA256 of `<timestamp>.<raw body>`,
 *    keyed with the signing secret exactly as the settings page shows it (UTF-8). The helpdesk and the
 *    CRM each have their own secret.
 *
 *  The receiver recomputes the HMAC over the raw bytes it received (before any JSON parsing), compares
 *  it in constant time, and rejects a timestamp further than `toleranceSeconds` (5 minutes) from its
 *  clock, so a captured request cannot be replayed later. Answer with any 2xx within 10 seconds;
 *  anything else is retried with backoff. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | null | undefined,
  body: string,
  header: string | null | undefined,
  { now = new Date(), toleranceSeconds = 300 }: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  if (!secret || !timestamp || !header || !/^\d{1,12}$/.test(timestamp)) return false
  if (!/^sha256=[0-9a-f]{64}$/.test(header)) return false
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > toleranceSeconds) return false
  const expected = Buffer.from(webhookSignature(secret, timestamp, body))
  const given = Buffer.from(header)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

export type DeliveryResult = 'delivered' | 'failed' | 'already-delivered' | 'already-failed' | 'missing'

export type DeliverOptions = {
  /** The moment of this try (signature timestamp and log times). */
  now?: Date
  timeoutMs?: number
}

/** Thrown after a failed try that will be retried, so the job queue schedules the next one. */
export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError'
}

/** Sends one delivery's stored payload, signed with the current secret (see `verifyWebhookSignature`
 *  for the scheme), through the outbound guard (app/lib/outbound.server.ts): only to a public address
 *  unless WEBHOOKS_ALLOW_PRIVATE is on, checked on the address connected to; no redirects; at most a
 *  few KB of the answer read. A 2xx answer marks it delivered. Any other answer, a network error or no
 *  answer within 10 seconds is one failed try, recorded in the log and on the delivery as a
 *  `DeliveryErrorKind` (never the answer's body or the socket's message), then thrown so the job
 *  retries with backoff; the last try of a round marks the delivery `failed` and is not thrown.
 *  A delivered or failed delivery is never sent again (a failed one only after `retryDelivery`). */
export async function deliverWebhook(
  db: Db,
  deliveryId: number,
  options: DeliverOptions = {},
): Promise<DeliveryResult> {
  const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId))
  if (!delivery) return 'missing'
  if (delivery.status === 'delivered') return 'already-delivered'
  if (delivery.status === 'failed') return 'already-failed'

  const now = options.now ?? new Date()
  const { secret: webhookSecret } = await readWebhookEndpoint(db, delivery.target)
  if (!webhookSecret) return recordFailure(db, delivery, now, { error: 'no_secret', durationMs: 0 })

  const timestamp = Math.floor(now.getTime() / 1000)
  const result = await sendOutbound(delivery.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': `CommunityTouch-Webhook/${APP_VERSION}`,
      'X-Webhook-Event': delivery.event,
      'X-Webhook-Delivery': String(delivery.id),
      'X-Webhook-Timestamp': String(timestamp),
      'X-Signature': webhookSignature(webhookSecret, timestamp, delivery.payload),
    },
    body: delivery.payload,
    timeoutMs: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
  })

  if (!result.ok) {
    if (result.kind === 'refused_address' || result.kind === 'invalid_url') {
      // An attempt to reach inside (or a URL stored before the check): worth a line in the server log.
      console.warn(
        `[support] webhook delivery ${delivery.id} not sent: ${result.kind} (${redactUrl(delivery.url) ?? 'unparsable URL'})`,
      )
    }
    return recordFailure(db, delivery, now, { error: result.kind, durationMs: result.durationMs })
  }
  const { status, durationMs } = result
  if (status < 200 || status >= 300) {
    const error: DeliveryErrorKind = status >= 300 && status < 400 ? 'redirect' : 'http_status'
    return recordFailure(db, delivery, now, { statusCode: status, error, durationMs })
  }
  await db.transaction(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({
        status: 'delivered',
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatusCode: status,
        lastError: null,
        lastAttemptAt: now,
        deliveredAt: now,
      })
      .where(eq(webhookDeliveries.id, delivery.id))
    await tx
      .insert(webhookAttempts)
      .values({ deliveryId: delivery.id, attemptedAt: now, statusCode: status, durationMs })
  })
  return 'delivered'
}

/** A round ends on its last try. Rounds are WEBHOOK_MAX_ATTEMPTS long and a retry is only possible
 *  from `failed`, which a round reaches exactly at a multiple of it; so the counter can keep the whole
 *  history and still tell the last try of the current round. */
function isLastTryOfRound(attempts: number): boolean {
  return attempts % WEBHOOK_MAX_ATTEMPTS === 0
}

async function recordFailure(
  db: Db,
  delivery: typeof webhookDeliveries.$inferSelect,
  now: Date,
  failure: { statusCode?: number; error: DeliveryErrorKind; durationMs: number },
): Promise<DeliveryResult> {
  const last = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatusCode: failure.statusCode ?? null,
        lastError: failure.error,
        lastAttemptAt: now,
      })
      .where(eq(webhookDeliveries.id, delivery.id))
      .returning({ attempts: webhookDeliveries.attempts })
    await tx.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      attemptedAt: now,
      statusCode: failure.statusCode ?? null,
      error: failure.error,
      durationMs: failure.durationMs,
    })
    const final = delivery.event === PING_EVENT || isLastTryOfRound(row!.attempts)
    if (final) {
      await tx.update(webhookDeliveries).set({ status: 'failed' }).where(eq(webhookDeliveries.id, delivery.id))
    }
    return final
  })
  if (last) return 'failed'
  const status = failure.statusCode ? ` (HTTP ${failure.statusCode})` : ''
  throw new WebhookDeliveryError(`Webhook delivery ${delivery.id} failed: ${failure.error}${status}`)
}

/* ------------------------------------------------------------------------------------------------ */
/* Jobs                                                                                              */

/** Re-dispatches pending deliveries whose job was lost: never tried two minutes after being queued, or
 *  quiet for longer than the longest wait between two tries. */
export async function sweepPendingDeliveries(db: Db, now = new Date()): Promise<number[]> {
  const stale = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        or(
          and(
            isNull(webhookDeliveries.lastAttemptAt),
            lt(webhookDeliveries.createdAt, new Date(now.getTime() - NEVER_TRIED_AFTER_MS)),
          ),
          and(
            isNotNull(webhookDeliveries.lastAttemptAt),
            lt(webhookDeliveries.lastAttemptAt, new Date(now.getTime() - STALLED_AFTER_MS)),
          ),
        ),
      ),
    )
    .orderBy(webhookDeliveries.id)
    .limit(500)
  const ids = stale.map((row) => row.id)
  for (const id of ids) await dispatchDelivery(id)
  return ids
}

/** Register in app/server/boot.server.ts. */
export const webhookJobs: JobDefinition[] = [
  {
    name: WEBHOOK_JOB,
    handler: async (db, data: { id: number }) => {
      await deliverWebhook(db, data.id)
    },
    options: {
      retryLimit: WEBHOOK_MAX_ATTEMPTS - 1,
      retryDelay: RETRY_DELAY_SECONDS,
      retryBackoff: true,
      retryDelayMax: RETRY_DELAY_MAX_SECONDS,
      // A try takes at most WEBHOOK_TIMEOUT_MS; a job running far longer is stuck.
      expireInSeconds: 120,
    },
  },
  {
    name: SWEEP_WEBHOOK_JOB,
    handler: async (db) => {
      await sweepPendingDeliveries(db)
    },
    cron: '*/5 * * * *',
  },
]
