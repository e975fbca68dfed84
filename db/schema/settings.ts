import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { users } from './identity.ts'

/** Settings staff and managers change at run time (help review interval, scoring weights, …), one
 *  JSON value per key. Code holds the defaults; a row exists only once someone changed them. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedById: integer('updated_by_id').references(() => users.id, { onDelete: 'set null' }),
})

/** One-time keys of create forms (docs/decisions/027): a key the server signed is recorded in the
 *  transaction that creates what its form asked for, so a double click, a resubmit or a replayed POST
 *  finds it used and is answered with the first submission's outcome instead of creating again. */
export const oneTimeKeys = pgTable(
  'one_time_keys',
  {
    key: text('key').primaryKey(),
    /** The member the key was issued to (visitors carry no create forms). */
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Where the first submission sent the person: a replay is sent there too. */
    resultPath: text('result_path').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('one_time_keys_created_idx').on(table.createdAt)],
)
