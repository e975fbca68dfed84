import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { accounts, users } from './identity.ts'

/** The activity ledger: one row per participation signal, append-only. `unique_key` makes recording
 *  idempotent, so an action repeated (or undone and redone) is counted once. */
export const activityEvents = pgTable(
  'activity_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    type: text('type').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    uniqueKey: text('unique_key').notNull().unique(),
  },
  (t) => [
    index('activity_events_account_time_idx').on(t.accountId, t.occurredAt),
    // The type is a key column so the member-engagement query reads the index alone (no heap fetches).
    index('activity_events_user_time_idx').on(t.userId, t.occurredAt, t.type),
    index('activity_events_type_time_idx').on(t.type, t.occurredAt),
  ],
)
