import { sql } from 'drizzle-orm'
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { accounts, users } from './identity.ts'

/** What became of one use of the contact flow (docs/architecture.md section 7). `pending` until the member marks
 *  a suggestion as the answer (`explicit`), sends the request (`filed`), or the 72-hour job decides:
 *  a suggestion opened and no ticket filed (`implicit`, kept apart from `explicit`), or neither
 *  (`abandoned`). */
export const deflectionOutcomeEnum = pgEnum('deflection_outcome', [
  'pending',
  'explicit',
  'filed',
  'implicit',
  'abandoned',
])
export const ticketStatusEnum = pgEnum('ticket_status', ['open', 'pending', 'solved', 'closed'])
export const ticketUrgencyEnum = pgEnum('ticket_urgency', ['low', 'normal', 'high', 'urgent'])
/** Where a ticket came from: the contact flow, or a CSV of tickets filed elsewhere. */
export const ticketSourceEnum = pgEnum('ticket_source', ['portal', 'import'])
export const webhookStatusEnum = pgEnum('webhook_status', ['pending', 'delivered', 'failed'])
/** The receiver a delivery is for: the helpdesk (tickets) or the CRM (account health). Each has its own
 *  URL and signing secret in the settings; the delivery machinery is the same. */
export const webhookTargetEnum = pgEnum('webhook_target', ['helpdesk', 'crm'])
export type WebhookTarget = (typeof webhookTargetEnum.enumValues)[number]

/** A suggestion as the member saw it: the search document id (`article:3`), its 1-based place in the
 *  list, the subject it was found for and when it was first shown. */
export type ShownSuggestion = { doc: string; rank: number; title: string; query: string; at: string }
/** A suggestion the member opened (in place or in a new tab), the first time. */
export type OpenedSuggestion = { doc: string; at: string }

/** One use of the contact flow: created by the first suggestions or the first submit, keyed by a random
 *  id the form carries, so every later step of the same use lands on the same row. */
export const deflectionAttempts = pgTable(
  'deflection_attempts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    key: uuid('key').notNull().unique(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    locale: text('locale').notNull().default('en'),
    /** The subject as last searched (or submitted). */
    query: text('query').notNull().default(''),
    shown: jsonb('shown').$type<ShownSuggestion[]>().notNull().default([]),
    opened: jsonb('opened').$type<OpenedSuggestion[]>().notNull().default([]),
    outcome: deflectionOutcomeEnum('outcome').notNull().default('pending'),
    /** The suggestion marked "This solved my problem", and when. Kept if a ticket follows anyway. */
    solvedDoc: text('solved_doc'),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    /** When the outcome stopped being `pending`. */
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('deflection_attempts_pending_idx').on(t.createdAt).where(sql`${t.outcome} = 'pending'`),
    index('deflection_attempts_created_idx').on(t.createdAt),
    index('deflection_attempts_account_idx').on(t.accountId, t.createdAt),
    index('deflection_attempts_user_idx').on(t.userId, t.createdAt),
  ],
)

/** A request for help: filed through the contact flow, or imported from the helpdesk. It carries the
 *  requester, their account and (from the contact flow) the attempt that preceded it. */
export const tickets = pgTable(
  'tickets',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    source: ticketSourceEnum('source').notNull().default('portal'),
    /** The helpdesk's own id: set by the helpdesk API or an import; unique, so a re-import updates. */
    externalId: text('external_id'),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    attemptId: integer('attempt_id').references(() => deflectionAttempts.id, { onDelete: 'set null' }),
    requesterEmail: text('requester_email').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull().default(''),
    productArea: text('product_area'),
    urgency: ticketUrgencyEnum('urgency').notNull().default('normal'),
    status: ticketStatusEnum('status').notNull().default('open'),
    locale: text('locale').notNull().default('en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the status last became solved or closed; null while open or pending. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('tickets_external_id_key').on(t.externalId).where(sql`${t.externalId} is not null`),
    uniqueIndex('tickets_attempt_key').on(t.attemptId).where(sql`${t.attemptId} is not null`),
    index('tickets_user_idx').on(t.userId, t.createdAt),
    index('tickets_account_idx').on(t.accountId, t.createdAt),
    index('tickets_created_idx').on(t.createdAt),
  ],
)

/** One hand-off of an event to a webhook: `ticket.created` to the helpdesk, `health.changed` to the CRM
 *  (`ping` to either). `payload` is the exact body that is signed and sent on every attempt. A helpdesk
 *  delivery names its ticket; a CRM delivery its account. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    target: webhookTargetEnum('target').notNull().default('helpdesk'),
    event: text('event').notNull(),
    ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    /** Kept when the account is deleted: the log still shows what was sent. */
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    url: text('url').notNull(),
    payload: text('payload').notNull(),
    status: webhookStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('webhook_deliveries_created_idx').on(t.createdAt), index('webhook_deliveries_status_idx').on(t.status)],
)

/** Every try of a delivery, for the log staff read: the answer's status code or the error. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: integer('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attemptedAt)],
)

/** What an API token may do: `tickets` (the helpdesk reads and updates tickets), `health` (the CRM reads
 *  account health). */
export const apiTokenScopes = ['tickets', 'health', 'crm'] as const
export type ApiTokenScope = (typeof apiTokenScopes)[number]

/** Bearer tokens for the API, created by an admin, each with the scopes its system needs. Only the
 *  SHA-256 of the token is kept; the token itself is shown once. A revoked token answers 401, a live
 *  one without the scope a request needs 403. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters of the token, so an admin can tell tokens apart. */
    prefix: text('prefix').notNull(),
    /** Tokens made before scopes existed were helpdesk tokens, hence the default. */
    scopes: text('scopes').array().$type<ApiTokenScope[]>().notNull().default(sql`'{tickets}'::text[]`),
    createdById: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    check(
      'api_tokens_scopes_check',
      sql`cardinality(${t.scopes}) > 0 and ${t.scopes} <@ array[${sql.raw(apiTokenScopes.map((s) => `'${s}'`).join(', '))}]::text[]`,
    ),
  ],
)
