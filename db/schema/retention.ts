import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { accounts, users } from './identity.ts'

/** Relationship NPS: one survey sent to one member in one calendar quarter (the unique index is the
 *  "at most once per member per quarter" rule), answered from the email by one click. */
export const npsSurveys = pgTable(
  'nps_surveys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The member's account when the survey was sent; the answer counts for that account. */
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    /** `2026Q4`: the calendar quarter (UTC) of `sent_at`. */
    quarter: text('quarter').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    score: smallint('score'),
    comment: text('comment'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('nps_surveys_user_quarter_key').on(t.userId, t.quarter),
    index('nps_surveys_account_answered_idx').on(t.accountId, t.answeredAt),
    check('nps_surveys_score_check', sql`${t.score} is null or (${t.score} between 0 and 10)`),
  ],
)

/** Members who asked for no more survey emails (from the email's unsubscribe link or header). */
export const surveyOptOuts = pgTable('survey_opt_outs', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
