import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

export const roleEnum = pgEnum('user_role', ['member', 'staff', 'manager', 'admin'])
export const touchTierEnum = pgEnum('touch_tier', ['high', 'low', 'tech'])
export const localeEnum = pgEnum('locale', ['en', 'ja'])

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}

/** A customer company. Money is kept in minor units with its ISO 4217 currency. */
export const accounts = pgTable(
  'accounts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    plan: text('plan'),
    arrMinor: bigint('arr_minor', { mode: 'number' }),
    arrCurrency: text('arr_currency').notNull().default('JPY'),
    seats: integer('seats'),
    contractStart: date('contract_start'),
    renewalDate: date('renewal_date'),
    csmUserId: integer('csm_user_id').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    touchTierOverride: touchTierEnum('touch_tier_override'),
    churnedAt: timestamp('churned_at', { withTimezone: true }),
    /** The account's id in the customer's CRM, for upserts through the API (`crm` scope). */
    externalId: text('external_id'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('accounts_name_key').on(sql`lower(${t.name})`),
    uniqueIndex('accounts_external_id_key').on(t.externalId),
  ],
)

/** One row per email domain, so a domain belongs to at most one account (enforced by the primary key). */
export const accountDomains = pgTable(
  'account_domains',
  {
    domain: text('domain').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
  },
  (t) => [index('account_domains_account_idx').on(t.accountId)],
)

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    /** Stored lower-cased; the unique index makes the comparison case-insensitive regardless. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: roleEnum('role').notNull().default('member'),
    locale: localeEnum('locale').notNull().default('en'),
    timeZone: text('time_zone').notNull().default('UTC'),
    /** When the owner proved the address is theirs (a link, a password reset, or an admin); until then
     *  they join no account, post nothing and count in no score. */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** When the welcome email was queued: set once, by the statement that queues it, so it goes once. */
    welcomedAt: timestamp('welcomed_at', { withTimezone: true }),
    /** When the member dismissed the first-steps checklist on the home page. */
    onboardingDismissedAt: timestamp('onboarding_dismissed_at', { withTimezone: true }),
    /** The profile: a short bio, a job title, and whether the account's name is hidden as the company. */
    bio: text('bio').notNull().default(''),
    title: text('title').notNull().default(''),
    hideCompany: boolean('hide_company').notNull().default(false),
    /** When the avatar last changed (null: initials); part of the avatar's URL, so caches can keep it. */
    avatarUpdatedAt: timestamp('avatar_updated_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`), index('users_account_idx').on(t.accountId)],
)

/** Lucia's session design: the id is the SHA-256 of the secret token, which only the cookie holds. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
)

export const emailTokenPurposeEnum = pgEnum('email_token_purpose', ['verify', 'change'])

/** Single-use links that prove an address: `verify` confirms the address a user signed up with,
 *  `change` the new address they asked for (which becomes theirs only then). Like reset tokens, the id
 *  is the SHA-256 of the secret the link carries. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: emailTokenPurposeEnum('purpose').notNull(),
    /** The address the link was sent to, lower-cased. */
    email: text('email').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('email_tokens_user_idx').on(t.userId)],
)

/** Who did what to whom: role changes, disables, imports, moderation, deletions. Append-only. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_occurred_idx').on(t.occurredAt)],
)

/** Fixed-window counters for rate limits, kept in the database so every app process shares them. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
})

/** What happened to an account's contract (docs/architecture.md section 5, decision 036; recorded through app/domain/identity/outcomes.server.ts). `new` is the
 *  first ARR, written when an account is created with an ARR; the others are recorded by admins, the
 *  CSV import or the CRM. */
export const outcomeKindEnum = pgEnum('account_outcome_kind', ['new', 'renewal', 'expansion', 'contraction', 'churn'])
/** Why an account left or shrank, in categories a report can count. */
export const churnReasonEnum = pgEnum('churn_reason', [
  'price',
  'budget',
  'product_fit',
  'competitor',
  'low_adoption',
  'champion_left',
  'support',
  'acquired',
  'business_closed',
  'other',
])
export const outcomeSourceEnum = pgEnum('account_outcome_source', ['form', 'import', 'api', 'system'])

/** One dated row per contract event. The account's current ARR, renewal date and churn date follow
 *  from its rows (the latest by effective day, then id). `arr_before_minor` is the ARR in effect just
 *  before the row, so ARR movement is a sum of rows, never a guess from today's ARR. */
export const accountOutcomes = pgTable(
  'account_outcomes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: outcomeKindEnum('kind').notNull(),
    effectiveOn: date('effective_on').notNull(),
    /** ARR in minor units of `currency` before and after the row; churn ends at 0. */
    arrBeforeMinor: bigint('arr_before_minor', { mode: 'number' }).notNull(),
    arrAfterMinor: bigint('arr_after_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** A renewal's next renewal day. */
    nextRenewalOn: date('next_renewal_on'),
    reason: churnReasonEnum('reason'),
    note: text('note'),
    source: outcomeSourceEnum('source').notNull(),
    /** The CRM's id for this event, so a retried API call or a re-imported file records it once. */
    externalId: text('external_id'),
    recordedById: integer('recorded_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('account_outcomes_account_idx').on(t.accountId, t.effectiveOn),
    index('account_outcomes_effective_idx').on(t.effectiveOn, t.kind),
    uniqueIndex('account_outcomes_external_key').on(t.accountId, t.externalId),
    check('account_outcomes_arr_check', sql`${t.arrBeforeMinor} >= 0 and ${t.arrAfterMinor} >= 0`),
    check('account_outcomes_churn_check', sql`${t.kind} <> 'churn' or ${t.arrAfterMinor} = 0`),
  ],
)

/** How a provider's claim names the member's customer account: by the account's external id (the CRM id
 *  the vendor's product knows) or by an email domain listed on the account. */
export const ssoAccountMatchEnum = pgEnum('sso_account_match', ['external_id', 'domain'])

/** An OpenID Connect provider an admin configured ("Sign in with <name>"). The client secret is stored
 *  encrypted (see app/domain/identity/sso.server.ts) and never shown again. */
export const ssoProviders = pgTable(
  'sso_providers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** The provider's part of the sign-in and callback addresses: /auth/sso/<slug>. */
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    clientSecretEncrypted: text('client_secret_encrypted'),
    scopes: text('scopes').notNull().default('openid email profile'),
    /** The claim that carries the account's external id or domain; null: the account is not set by SSO. */
    accountClaim: text('account_claim'),
    accountMatch: ssoAccountMatchEnum('account_match').notNull().default('external_id'),
    /** False: members who signed in through this provider can no longer sign in with a password. */
    passwordSignIn: boolean('password_sign_in').notNull().default(true),
    enabled: boolean('enabled').notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex('sso_providers_slug_key').on(t.slug)],
)

/** A user's identity at a provider: `subject` is the provider's stable `sub` claim. One user per
 *  provider subject, one subject per user and provider. */
export const userIdentities = pgTable(
  'user_identities',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    providerId: integer('provider_id')
      .notNull()
      .references(() => ssoProviders.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    /** The email claim at the last sign-in, lower-cased. */
    email: text('email').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('user_identities_subject_key').on(t.providerId, t.subject),
    uniqueIndex('user_identities_user_provider_key').on(t.userId, t.providerId),
  ],
)

/** One sign-in attempt at a provider, between the redirect out and the callback: the PKCE verifier and
 *  nonce stay on the server, the id is the SHA-256 of the `state` the browser carries (and holds in a
 *  cookie). Used once: the callback marks it used in the statement that reads it. */
export const ssoAttempts = pgTable(
  'sso_attempts',
  {
    id: text('id').primaryKey(),
    providerId: integer('provider_id')
      .notNull()
      .references(() => ssoProviders.id, { onDelete: 'cascade' }),
    codeVerifier: text('code_verifier').notNull(),
    nonce: text('nonce').notNull(),
    returnTo: text('return_to'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('sso_attempts_expires_idx').on(t.expiresAt)],
)
