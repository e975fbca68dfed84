import { sql } from 'drizzle-orm'
import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { events } from './events.ts'
import { users } from './identity.ts'
import { questions } from './qa.ts'
import { tickets } from './support.ts'

/** A file sent with an email (an event's `.ics`), its content base64-encoded. */
export type MailAttachment = { filename: string; contentType: string; contentBase64: string }

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
    /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058) on emails a member can
     *  turn off. */
    headers: jsonb('headers').$type<Record<string, string>>(),
    attachments: jsonb('attachments').$type<MailAttachment[]>(),
    /** What makes this message one of a kind (e.g. `event_registered:<registration id>:<status>`): a second
     *  message with the same key is not queued, so a retried or concurrent action sends one email. */
    dedupeKey: text('dedupe_key'),
    status: emailStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    messageId: text('message_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('email_outbox_created_idx').on(t.createdAt),
    index('email_outbox_status_idx').on(t.status),
    uniqueIndex('email_outbox_dedupe_key').on(t.dedupeKey),
  ],
)

/** Every kind of notification a member can receive; each has its channel in the member's settings. */
export const notificationTypeEnum = pgEnum('notification_type', [
  'answer',
  'comment',
  'accepted',
  'mention',
  'event_registered',
  'event_waitlisted',
  'event_promoted',
  'event_changed',
  'event_cancelled',
  'event_recording',
  'support_received',
  'support_updated',
])

/** Where a member wants a kind of notification: only on the notifications page (`in_app`), there and by
 *  email at once (`email`), there and in the weekly digest (`digest`), or nowhere (`none`). */
export const notificationChannelEnum = pgEnum('notification_channel', ['in_app', 'email', 'digest', 'none'])

/** A member's choice per kind; a kind without a row uses the kind's default (app/domain/notify). */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: notificationTypeEnum('kind').notNull(),
    channel: notificationChannelEnum('channel').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
)

/** In-app notifications, about a question (its answers and comments), an event or a support request.
 *  `emailedAt` marks those already sent by email (one by one or in a digest). */
export const notifications = pgTable(
  'notifications',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: notificationTypeEnum('type').notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    questionId: integer('question_id').references(() => questions.id, { onDelete: 'cascade' }),
    eventId: integer('event_id').references(() => events.id, { onDelete: 'cascade' }),
    ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    answerId: integer('answer_id'),
    commentId: integer('comment_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt.desc()),
    index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
  ],
)
