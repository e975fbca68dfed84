import { index, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const emailStatusEnum = pgEnum('email_status', ['pending', 'sent', 'failed', 'stored'])

/** Every email the platform sends, sent or not. Without SMTP_URL messages stop here as `stored`,
 *  and admins read them at /admin/mail. */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    template: text('template').notNull(),
    status: emailStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    messageId: text('message_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('email_outbox_created_idx').on(t.createdAt), index('email_outbox_status_idx').on(t.status)],
)
