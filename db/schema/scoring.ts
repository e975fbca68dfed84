import { date, index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core'
import { accounts, touchTierEnum, users } from './identity.ts'
import { webhookDeliveries } from './support.ts'

export const memberLevelEnum = pgEnum('member_level', ['observer', 'participant', 'contributor', 'champion'])
export const healthLevelEnum = pgEnum('health_level', ['GOOD', 'NORMAL', 'BAD', 'INSUFFICIENT_DATA'])

/** Text in both languages, written when the snapshot is computed. */
export type BilingualText = { en: string; ja: string }

/** A member's engagement on one UTC day: points, level and points per signal type. One row per member
 *  and day; recomputing a day replaces its rows. */
export const userScores = pgTable(
  'user_scores',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    asOf: date('as_of').notNull(),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    points: real('points').notNull(),
    level: memberLevelEnum('level').notNull(),
    components: jsonb('components').$type<Record<string, number>>().notNull(),
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'user_scores_pkey', columns: [t.userId, t.asOf] }),
    index('user_scores_day_idx').on(t.asOf, t.accountId),
  ],
)

/** One measure of an account's health as stored: its band (null = no data), value, weight, score and
 *  reason in both languages. */
export type StoredHealthComponent = {
  measure: string
  band: 'GOOD' | 'NORMAL' | 'BAD' | null
  value: number | null
  weight: number
  score: number | null
  reason: BilingualText
}

/** An account's health on one UTC day (docs/architecture.md section 6): the level, overall score, coverage, each
 *  measure with its reason, the change since the previous snapshot and the suggested play. One row per
 *  account and day, so history and trends are queries; recomputing a day replaces its rows. */
export const accountScores = pgTable(
  'account_scores',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    asOf: date('as_of').notNull(),
    level: healthLevelEnum('level').notNull(),
    /** 0–100; null when no measure has data. */
    score: real('score'),
    coverage: real('coverage').notNull(),
    tier: touchTierEnum('tier').notNull(),
    components: jsonb('components').$type<StoredHealthComponent[]>().notNull(),
    summary: jsonb('summary').$type<BilingualText>().notNull(),
    /** What changed since the previous snapshot ("BAD since 12 Nov: breadth dropped from 42% to 9%"). */
    change: jsonb('change').$type<BilingualText>(),
    /** The first day of the current level's unbroken run. */
    levelSince: date('level_since').notNull(),
    /** What the measures called for that day (after hysteresis and caps), and the first day of its
     *  unbroken run: the level follows it once it has held for the confirmation days. */
    candidateLevel: healthLevelEnum('candidate_level'),
    candidateSince: date('candidate_since'),
    hardRisk: text('hard_risk'),
    play: text('play').notNull(),
    playReason: jsonb('play_reason').$type<BilingualText>().notNull(),
    engagementPoints: real('engagement_points').notNull(),
    activeMembers: integer('active_members').notNull(),
    champions: integer('champions').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'account_scores_pkey', columns: [t.accountId, t.asOf] }),
    index('account_scores_day_level_idx').on(t.asOf, t.level),
  ],
)

/** The health level the CRM was last told per account, so a `health.changed` webhook goes out once per
 *  change however often a day is recomputed. A row with `notified_at` null is the baseline taken when
 *  the account was first seen with a CRM configured (the CRM reads that level from the API); one with
 *  it set records the delivery that told the CRM. */
export const accountHealthNotices = pgTable('account_health_notices', {
  accountId: integer('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  level: healthLevelEnum('level').notNull(),
  /** The snapshot day the level is from. */
  asOf: date('as_of').notNull(),
  notifiedAt: timestamp('notified_at', { withTimezone: true }),
  deliveryId: integer('delivery_id').references(() => webhookDeliveries.id, { onDelete: 'set null' }),
})
