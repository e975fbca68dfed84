import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { readWebhookEndpoint } from '#app/domain/notify/webhook-receivers.server.ts'
import { dispatchDeliveries, type NewDelivery, queueWebhookDeliveries } from '#app/domain/notify/webhooks.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { accountDomains, accounts, users } from '#db/schema/identity.ts'
import {
  accountHealthNotices,
  accountScores,
  type BilingualText,
  healthLevelEnum,
  type StoredHealthComponent,
} from '#db/schema/scoring.ts'
import type { HealthLevel } from './settings.ts'
import { latestSnapshotDay, type RecomputeResult } from './snapshots.server.ts'
import type { TouchTier } from './tiers.ts'

/** The CRM's view of account health: the documents the health API answers with, and the
 *  `health.changed` webhook that tells the CRM when an account changes band. Both read the daily
 *  snapshots (`account_scores`); nothing here computes a score. */

export const HEALTH_CHANGED_EVENT = 'health.changed'
export const healthLevels = healthLevelEnum.enumValues

/** Names "health notices" among the advisory locks, so two notifiers (the daily job and a settings
 *  recompute) take turns and cannot both tell the CRM the same change. */
const NOTICE_LOCK = 7_245_020
export const HEALTH_PAGE_DEFAULT = 100
export const HEALTH_PAGE_MAX = 500
/** Ids per `in (…)` list and rows per insert, far below PostgreSQL's parameter limit. */
const BATCH = 1000

/* ------------------------------------------------------------------------------------------------ */
/* Documents                                                                                         */

/** One measure behind the level, with its reason in both languages. `band` and `score` are null when
 *  the measure had no data. */
export type HealthReason = {
  measure: string
  band: StoredHealthComponent['band']
  value: number | null
  weight: number
  score: number | null
  reason: BilingualText
}

/** An account's health on one snapshot day, in the JSON shape of the API and the webhook (snake_case;
 *  days `YYYY-MM-DD` in UTC, times ISO 8601). */
export type HealthDocument = {
  as_of: string
  level: HealthLevel
  /** 0–100; null when no measure had data. */
  score: number | null
  /** The share of measure weight that had data, 0–1; below 0.5 the level is INSUFFICIENT_DATA. */
  coverage: number
  tier: TouchTier
  /** The first day of the current level's unbroken run. */
  level_since: string
  summary: BilingualText
  /** What changed since the snapshot before; null when nothing did or there was none. */
  change: BilingualText | null
  /** `silent` when all activity stopped after the account had been active (caps the level at BAD). */
  hard_risk: string | null
  reasons: HealthReason[]
  /** What the team does next, with why. */
  play: { id: string; reason: BilingualText }
  computed_at: string
}

/** The account as a CRM matches it to its own record. */
export type AccountDocument = {
  id: number
  name: string
  plan: string | null
  seats: number | null
  arr: { amount_minor: number; currency: string } | null
  contract_start: string | null
  renewal_date: string | null
  churned_at: string | null
  domains: string[]
  csm: { id: number; display_name: string; email: string } | null
}

export type AccountHealthDocument = { account: AccountDocument; health: HealthDocument }

type ScoreRow = typeof accountScores.$inferSelect

function iso(value: Date | string): string {
  return new Date(value).toISOString()
}

function healthDocument(row: ScoreRow): HealthDocument {
  return {
    as_of: row.asOf,
    level: row.level,
    score: row.score,
    coverage: row.coverage,
    tier: row.tier,
    level_since: row.levelSince,
    summary: row.summary,
    change: row.change,
    hard_risk: row.hardRisk,
    reasons: row.components.map((component) => ({
      measure: component.measure,
      band: component.band,
      value: component.value,
      weight: component.weight,
      score: component.score,
      reason: component.reason,
    })),
    play: { id: row.play, reason: row.playReason },
    computed_at: iso(row.computedAt),
  }
}

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = []
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size))
  return out
}

/** The account documents of the given accounts, with their domains and CSM: two queries whatever the
 *  number of accounts (per thousand). */
async function accountDocuments(db: Db, accountIds: number[]): Promise<Map<number, AccountDocument>> {
  const documents = new Map<number, AccountDocument>()
  for (const ids of chunks([...new Set(accountIds)])) {
    const [rows, domains] = await Promise.all([
      db
        .select({
          account: {
            id: accounts.id,
            name: accounts.name,
            plan: accounts.plan,
            seats: accounts.seats,
            arrMinor: accounts.arrMinor,
            arrCurrency: accounts.arrCurrency,
            contractStart: accounts.contractStart,
            renewalDate: accounts.renewalDate,
            churnedAt: accounts.churnedAt,
          },
          csm: { id: users.id, displayName: users.displayName, email: users.email },
        })
        .from(accounts)
        .leftJoin(users, eq(users.id, accounts.csmUserId))
        .where(inArray(accounts.id, ids)),
      db
        .select({ accountId: accountDomains.accountId, domain: accountDomains.domain })
        .from(accountDomains)
        .where(inArray(accountDomains.accountId, ids))
        .orderBy(accountDomains.domain),
    ])
    for (const { account, csm } of rows) {
      documents.set(account.id, {
        id: account.id,
        name: account.name,
        plan: account.plan,
        seats: account.seats,
        arr: account.arrMinor === null ? null : { amount_minor: account.arrMinor, currency: account.arrCurrency },
        contract_start: account.contractStart,
        renewal_date: account.renewalDate,
        churned_at: account.churnedAt ? iso(account.churnedAt) : null,
        domains: [],
        csm: csm ? { id: csm.id, display_name: csm.displayName, email: csm.email } : null,
      })
    }
    for (const { accountId, domain } of domains) documents.get(accountId)?.domains.push(domain)
  }
  return documents
}

/* ------------------------------------------------------------------------------------------------ */
/* Reading health                                                                                    */

/** One account with its latest health snapshot (components, reasons in both languages, change, play).
 *  Fails 404 `crm.api.account_not_found` for an unknown account and 404 `crm.api.no_health` for one
 *  without a snapshot yet. The caller authenticates (API token with the `health` scope). */
export async function readAccountHealth(db: Db, accountId: number): Promise<Outcome<AccountHealthDocument>> {
  const account = (await accountDocuments(db, [accountId])).get(accountId)
  if (!account) return fail(404, 'crm.api.account_not_found')
  const [row] = await db
    .select()
    .from(accountScores)
    .where(eq(accountScores.accountId, accountId))
    .orderBy(desc(accountScores.asOf))
    .limit(1)
  if (!row) return fail(404, 'crm.api.no_health')
  return ok({ account, health: healthDocument(row) })
}

/** The query of the health list as it arrives (strings from the URL). */
export type HealthListInput = { band?: string | null; limit?: string | null; cursor?: string | null }

/** The health list's query: an optional level to filter by, a page size and the cursor from the page
 *  before. Anything else in a parameter is refused, never guessed at. */
export const HealthListQuery = z.object({
  band: z.enum(healthLevels, { error: 'crm.api.invalid_band' }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'crm.api.invalid_limit')
    .transform(Number)
    .refine((n) => n >= 1 && n <= HEALTH_PAGE_MAX, 'crm.api.invalid_limit')
    .optional(),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'crm.api.invalid_cursor')
    .transform(Number)
    .optional(),
})

export type HealthPage = {
  /** The snapshot day listed: the latest; null before the first snapshot. */
  as_of: string | null
  band: HealthLevel | null
  accounts: AccountHealthDocument[]
  /** Pass as `cursor` for the next page; null on the last one. */
  next_cursor: string | null
}

/** The accounts of the latest snapshot day, optionally of one level, in account-id order, one page at
 *  a time (keyset paging: `cursor` is the last account id of the page before, so a page never repeats
 *  or skips an account while the day's snapshot stays the same). Every account of that day has a row,
 *  so one index range gives the page: three queries per page whatever the number of accounts. Fails
 *  400 with the field for a band that is not GOOD, NORMAL, BAD or INSUFFICIENT_DATA, a limit outside
 *  1–500 or a malformed cursor. */
export async function listAccountHealth(db: Db, input: HealthListInput): Promise<Outcome<HealthPage>> {
  const parsed = HealthListQuery.safeParse({
    band: input.band ?? undefined,
    limit: input.limit ?? undefined,
    cursor: input.cursor ?? undefined,
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return fail(400, issue.message, { field: String(issue.path[0] ?? 'band') })
  }
  const { band = null, limit = HEALTH_PAGE_DEFAULT, cursor } = parsed.data
  const day = await latestSnapshotDay(db)
  if (!day) return ok({ as_of: null, band, accounts: [], next_cursor: null })

  // One more than the page tells whether another page follows.
  const rows = await db
    .select()
    .from(accountScores)
    .where(
      and(
        eq(accountScores.asOf, day),
        band ? eq(accountScores.level, band) : undefined,
        cursor ? gt(accountScores.accountId, cursor) : undefined,
      ),
    )
    .orderBy(asc(accountScores.accountId))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const documents = await accountDocuments(
    db,
    page.map((row) => row.accountId),
  )
  return ok({
    as_of: day,
    band,
    accounts: page.flatMap((row) => {
      const account = documents.get(row.accountId)
      return account ? [{ account, health: healthDocument(row) }] : []
    }),
    next_cursor: rows.length > limit ? String(page.at(-1)!.accountId) : null,
  })
}

/* ------------------------------------------------------------------------------------------------ */
/* The health.changed webhook                                                                        */

/** The body of a `health.changed` delivery to the CRM webhook.
 *
 *  ```json
 *  {
 *    "event": "health.changed",
 *    "delivery_id": 812,
 *    "created_at": "2026-11-12T00:05:03.120Z",
 *    "account": { "id": 42, "name": "Acme Holdings" },
 *    "health": {
 *      "as_of": "2026-11-12", "level": "BAD", "previous_level": "NORMAL",
 *      "score": 41.5, "coverage": 0.91, "tier": "high", "level_since": "2026-11-12",
 *      "summary": { "en": "BAD: …", "ja": "…" },
 *      "change": { "en": "BAD since 12 Nov: breadth dropped from 42% to 9%", "ja": "…" },
 *      "hard_risk": null,
 *      "reasons": [{ "measure": "breadth", "band": "BAD", "value": 9, "weight": 1, "score": 0,
 *                    "reason": { "en": "…", "ja": "…" } }],
 *      "play": { "id": "csm_call", "reason": { "en": "…", "ja": "…" } },
 *      "computed_at": "2026-11-12T00:05:02.870Z"
 *    }
 *  }
 *  ```
 *
 *  `health` is the same document `GET /api/v1/accounts/:id/health` answers with, plus
 *  `previous_level`: the level the CRM was last told (or, the first time, the level of the snapshot
 *  before). Headers and signature are those of every webhook (see `verifyWebhookSignature` in
 *  app/domain/notify/webhooks.server.ts): `X-Webhook-Event: health.changed`, `X-Webhook-Delivery`
 *  (the same on every retry; ignore one already processed), `X-Webhook-Timestamp` (Unix seconds) and
 *  `X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` keyed with the CRM signing
 *  secret from /support/settings. Answer 2xx within 10 seconds; anything else is retried with backoff,
 *  six tries, then the delivery shows as failed in /support/deliveries. Deliveries may arrive out of
 *  order after retries: compare `health.as_of` (and `delivery_id`) with what the CRM holds. */
export type HealthChangedPayload = {
  event: typeof HEALTH_CHANGED_EVENT
  delivery_id: number
  created_at: string
  account: { id: number; name: string }
  health: HealthDocument & { previous_level: HealthLevel }
}

/** What one call of `notifyHealthChanges` queued. */
export type HealthNotices = {
  day: string
  /** The accounts the CRM is told about, in account-id order. */
  accountIds: number[]
  deliveryIds: number[]
}

type News = { accountId: number; level: HealthLevel; previous: HealthLevel }

/** Queues one signed `health.changed` delivery to the CRM webhook for every account whose level on the
 *  recomputed day differs from the level the CRM was last told, then dispatches them after commit.
 *
 *  Guarantees: a change is sent once, however often the day is recomputed (settings changes recompute
 *  today), because each account's last told level (`account_health_notices`) is updated in the same
 *  transaction as the delivery insert, under an advisory lock; a level that goes back and forth
 *  within a day is sent each time the CRM's view would otherwise be wrong. The first time an account
 *  is seen, its level on the snapshot before (`result.changes`) is the baseline, and an account without
 *  a change only has its baseline stored. Only the latest snapshot day is news (a backfill of an
 *  older day sends nothing), and nothing happens at all while no CRM webhook URL is configured.
 *  Call after `recomputeScores` of today committed: the daily job does, and so should anything else
 *  that recomputes today (a scoring settings change). */
export async function notifyHealthChanges(db: Db, result: RecomputeResult): Promise<HealthNotices> {
  const nothing: HealthNotices = { day: result.day, accountIds: [], deliveryIds: [] }
  const { url: webhookUrl } = await readWebhookEndpoint(db, 'crm')
  if (!webhookUrl) return nothing

  const queued = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${NOTICE_LOCK})`)
    if ((await latestSnapshotDay(tx)) !== result.day) return nothing

    // The accounts whose level is not the one the CRM was told, or that it was told nothing about.
    const candidates = await tx
      .select({
        accountId: accountScores.accountId,
        level: accountScores.level,
        told: accountHealthNotices.level,
      })
      .from(accountScores)
      .leftJoin(accountHealthNotices, eq(accountHealthNotices.accountId, accountScores.accountId))
      .where(
        and(
          eq(accountScores.asOf, result.day),
          or(isNull(accountHealthNotices.accountId), ne(accountHealthNotices.level, accountScores.level)),
        ),
      )
      .orderBy(accountScores.accountId)
    const changedFrom = new Map(result.changes.map((change) => [change.accountId, change.from]))
    const news: News[] = candidates.flatMap((row) => {
      const previous = row.told ?? changedFrom.get(row.accountId)
      return previous && previous !== row.level ? [{ accountId: row.accountId, level: row.level, previous }] : []
    })

    const deliveryIds: number[] = []
    const now = new Date()
    for (const batch of chunks(news)) {
      const ids = batch.map((item) => item.accountId)
      const [rows, names] = await Promise.all([
        tx
          .select()
          .from(accountScores)
          .where(and(eq(accountScores.asOf, result.day), inArray(accountScores.accountId, ids))),
        tx.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, ids)),
      ])
      const snapshot = new Map(rows.map((row) => [row.accountId, row]))
      const name = new Map(names.map((row) => [row.id, row.name]))
      const items: NewDelivery[] = batch.map((item) => ({
        event: HEALTH_CHANGED_EVENT,
        accountId: item.accountId,
        url: webhookUrl,
        body: (deliveryId) =>
          healthChangedPayload(deliveryId, now, {
            account: { id: item.accountId, name: name.get(item.accountId) ?? '' },
            row: snapshot.get(item.accountId)!,
            previous: item.previous,
          }),
      }))
      const batchIds = await queueWebhookDeliveries(tx, 'crm', items)
      deliveryIds.push(...batchIds)
      await tx
        .insert(accountHealthNotices)
        .values(
          batch.map((item, index) => ({
            accountId: item.accountId,
            level: item.level,
            asOf: result.day,
            notifiedAt: now,
            deliveryId: batchIds[index]!,
          })),
        )
        .onConflictDoUpdate({
          target: accountHealthNotices.accountId,
          set: {
            level: sql`excluded.level`,
            asOf: sql`excluded.as_of`,
            notifiedAt: sql`excluded.notified_at`,
            deliveryId: sql`excluded.delivery_id`,
          },
        })
    }
    // Every other account of the day the CRM was told nothing about: its level now is the baseline.
    await tx
      .insert(accountHealthNotices)
      .select(
        tx
          .select({
            accountId: accountScores.accountId,
            level: accountScores.level,
            asOf: accountScores.asOf,
            notifiedAt: sql<Date | null>`null::timestamptz`.as('notified_at'),
            deliveryId: sql<number | null>`null::integer`.as('delivery_id'),
          })
          .from(accountScores)
          .where(eq(accountScores.asOf, result.day)),
      )
      .onConflictDoNothing({ target: accountHealthNotices.accountId })
    return { day: result.day, accountIds: news.map((item) => item.accountId), deliveryIds }
  })
  await dispatchDeliveries(queued.deliveryIds)
  return queued
}

function healthChangedPayload(
  deliveryId: number,
  now: Date,
  { account, row, previous }: { account: { id: number; name: string }; row: ScoreRow; previous: HealthLevel },
): HealthChangedPayload {
  const { as_of, level, ...rest } = healthDocument(row)
  return {
    event: HEALTH_CHANGED_EVENT,
    delivery_id: deliveryId,
    created_at: now.toISOString(),
    account,
    health: { as_of, level, previous_level: previous, ...rest },
  }
}
