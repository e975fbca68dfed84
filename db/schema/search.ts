import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/** Content changes waiting to reach the search engine, written in the same transaction as the change.
 *  The sync job drains it; with the engine down, rows wait here. */
export const searchOutbox = pgTable('search_outbox', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  docType: text('doc_type').notNull(),
  docId: text('doc_id').notNull(),
  op: text('op', { enum: ['upsert', 'delete'] }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
