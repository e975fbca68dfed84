import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { and, desc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { dispatchEmails, queueEmail } from '#app/domain/notify/mail.server.ts'
import { env } from '#app/lib/env.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { isLocale, translator } from '#app/lib/i18n.ts'
import { enqueue, type JobDefinition } from '#app/lib/jobs.server.ts'
import { redactUrl, sendOutbound } from '#app/lib/outbound.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { APP_VERSION } from '#app/lib/version.ts'
import type { Db } from '#db/client.server.ts'
import { accounts, users } from '#db/schema/identity.ts'
import {
  deflectionAttempts,
  tickets,
  type WebhookTarget,
  webhookAttempts,
  webhookDeliveries,
  webhookTargetEnum,
} from '#db/schema/support.ts'
import { type DeliveryErrorKind, deliveryErrorKind } from './delivery-errors.ts'
import { readHelpdeskSettings, readWebhookEndpoint } from './settings.server.ts'

export type { WebhookTarget } from '#db/schema/support.ts'
export const webhookTargets = webhookTargetEnum.enumValues

/** What the transaction that filed a ticket queued for the helpdesk; dispatched after commit. */
export type HandOff = { deliveryIds: number[]; emailIds: number[] }

export const WEBHOOK_JOB = 'support.webhook'
export const SWEEP_WEBHOOK_JOB = 'support.webhook_sweep'
export const TICKET_CREATED_EVENT = 'ticket.created'
/** A delivery an admin sends from the settings page to check the receiver; tried once, never retried. */
export const PING_EVENT = 'ping'

/** Deliveries inserted per statement: two parameters each for the payload update, far below the limit. */
const INSERT_BATCH = 500
/** Tries per round: the first hand-off is one round, and each staff retry of a failed delivery another. */
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
/* The ticket as the helpdesk sees it                                                                */

export type TicketDocument = {
  id: number
  /** The helpdesk's own id, once the helpdesk API or an import set it. */
  external_id: string | null
  source: 'portal' | 'import'
  /** The ticket's page in the community (absolute). */
  url: string
  subject: string
  body: string
  product_area: string | null
  urgency: string
  status: string
  locale: string
  created_at: string
  updated_at: string
  resolved_at: string | null
  requester: { id: number | null; email: string; display_name: string | null }
  account: { id: number; name: string } | null
  /** What the member searched and saw before filing; null for imported tickets. */
  deflection: { query: string; suggestions_shown: string[]; suggestions_opened: string[] } | null
}

/** The absolute address of a ticket's page, for the helpdesk and emails. */
export function ticketUrl(ticketId: number): string {
  return new URL(`/support/tickets/${ticketId}`, env().APP_URL).toString()
}

/** One ticket with its requester, account and the attempt that preceded it, in the JSON shape of the
 *  webhook and the helpdesk API (snake_case, ISO 8601 times); null when there is no such ticket. */
export async function readTicketDocument(db: Db, ticketId: number): Promise<TicketDocument | null> {
  const [row] = await db
    .select({
      ticket: tickets,
      requester: { id: users.id, displayName: users.displayName },
      account: { id: accounts.id, name: accounts.name },
      attempt: { query: deflectionAttempts.query, shown: deflectionAttempts.shown, opened: deflectionAttempts.opened },
    })
    .from(tickets)
    .leftJoin(users, eq(users.id, tickets.userId))
    .leftJoin(accounts, eq(accounts.id, tickets.accountId))
    .leftJoin(deflectionAttempts, eq(deflectionAttempts.id, tickets.attemptId))
    .where(eq(tickets.id, ticketId))
  if (!row) return null
  const { ticket, requester, account, attempt } = row
  return {
    id: ticket.id,
    external_id: ticket.externalId,
    source: ticket.source,
    url: ticketUrl(ticket.id),
    subject: ticket.subject,
    body: ticket.body,
    product_area: ticket.productArea,
    urgency: ticket.urgency,
    status: ticket.status,
    locale: ticket.locale,
    created_at: iso(ticket.createdAt),
    updated_at: iso(ticket.updatedAt),
    resolved_at: ticket.resolvedAt ? iso(ticket.resolvedAt) : null,
    requester: {
      id: requester?.id ?? null,
      email: ticket.requesterEmail,
      display_name: requester?.displayName ?? null,
    },
    account: account ? { id: account.id, name: account.name } : null,
    deflection: attempt
      ? {
          query: attempt.query,
          suggestions_shown: [...attempt.shown].sort((a, b) => a.rank - b.rank).map((s) => s.doc),
          suggestions_opened: attempt.opened.map((o) => o.doc),
        }
      : null,
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString()
}

/** The `ticket` object of a `ticket.created` payload: what the helpdesk needs to open its own ticket. */
function webhookTicket(doc: TicketDocument) {
  return {
    id: doc.id,
    url: doc.url,
    subject: doc.subject,
    body: doc.body,
    product_area: doc.product_area,
    urgency: doc.urgency,
    status: doc.status,
    locale: doc.locale,
    created_at: doc.created_at,
    requester: doc.requester,
    account: doc.account,
    deflection: doc.deflection,
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Queueing the hand-off                                                                             */

/** Queues the hand-off of a newly filed ticket, inside the transaction that filed it: a signed webhook
 *  delivery when a webhook URL is set, an email to the support address when one is set (both, one or
 *  neither). Nothing leaves the process here; call `dispatchHandOff` after commit. A delivery or email
 *  whose dispatch is lost is picked up by its sweeper. */
export async function queueTicketHandOff(tx: Db, ticketId: number): Promise<HandOff> {
  const handOff: HandOff = { deliveryIds: [], emailIds: [] }
  const settings = await readHelpdeskSettings(tx)
  if (!settings.webhookUrl && !settings.supportEmail) return handOff
  const doc = await readTicketDocument(tx, ticketId)
  if (!doc) throw new Error(`queueTicketHandOff: ticket ${ticketId} does not exist`)

  if (settings.webhookUrl) {
    const ids = await queueWebhookDeliveries(tx, 'helpdesk', [
      {
        event: TICKET_CREATED_EVENT,
        ticketId,
        url: settings.webhookUrl,
        body: (deliveryId) => ({
          event: TICKET_CREATED_EVENT,
          delivery_id: deliveryId,
          created_at: new Date().toISOString(),
          ticket: webhookTicket(doc),
        }),
      },
    ])
    handOff.deliveryIds.push(...ids)
  }
  if (settings.supportEmail) {
    handOff.emailIds.push(await queueEmail(tx, { to: settings.supportEmail, ...ticketEmail(doc) }))
  }
  return handOff
}

/** Sends what `queueTicketHandOff` queued. Call after the filing transaction committed. */
export async function dispatchHandOff(handOff: HandOff): Promise<void> {
  await dispatchDeliveries(handOff.deliveryIds)
  await dispatchEmails(handOff.emailIds)
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

/** One delivery to queue: its event, what it is about, where it goes and its payload, built from the
 *  delivery's id. */
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

/** The email to the support team, in the language the member wrote in. */
function ticketEmail(doc: TicketDocument) {
  const locale = isLocale(doc.locale) ? doc.locale : 'en'
  const t = translator(locale)
  const none = t('support_helpdesk.email.none')
  const requester = doc.requester.display_name
    ? `${doc.requester.display_name} <${doc.requester.email}>`
    : doc.requester.email
  /** "Label: value" in English, 「ラベル：値」 in Japanese. */
  const line = (label: string, value: string) => t('support_helpdesk.email.line', { label: t(label), value })
  const lines = [
    t('support_helpdesk.email.intro'),
    '',
    line('support_helpdesk.email.ticket', `#${doc.id}`),
    line('support_helpdesk.email.subject_label', doc.subject),
    line('support_helpdesk.email.requester', requester),
    line('support_helpdesk.email.account', doc.account ? `${doc.account.name} (#${doc.account.id})` : none),
    line('support_helpdesk.email.urgency', t(`support.urgency.${doc.urgency}`, { defaultValue: doc.urgency })),
    line(
      'support_helpdesk.email.product_area',
      doc.product_area ? t(`support.area.${doc.product_area}`, { defaultValue: doc.product_area }) : none,
    ),
    line('support_helpdesk.email.filed_at', `${formatDateTime(doc.created_at, locale, 'UTC')} (UTC)`),
    '',
    line('support_helpdesk.email.description', '').trimEnd(),
    doc.body || none,
  ]
  if (doc.deflection) {
    lines.push(
      '',
      line('support_helpdesk.email.searched', doc.deflection.query || none),
      t('support_helpdesk.email.suggestions', {
        shown: doc.deflection.suggestions_shown.length,
        opened: doc.deflection.suggestions_opened.length,
      }),
    )
  }
  lines.push('', line('support_helpdesk.email.link', doc.url))
  return {
    subject: t('support_helpdesk.email.subject', { id: doc.id, subject: doc.subject }),
    text: lines.join('\n'),
    template: 'support.ticket_created',
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
/* Staff: the log, retries, a test delivery                                                          */

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
  if (outcome.ok) await dispatchDelivery(deliveryId)
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
 *  payload is left out (it can be long); each row carries its ticket's subject or its account's name. */
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

/** Register in app/lib/boot.server.ts. */
export const supportHandOffJobs: JobDefinition[] = [
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
