import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { localeEnum, users } from './identity.ts'

export const eventKindEnum = pgEnum('event_kind', ['webinar', 'workshop', 'office_hours', 'training', 'meetup'])
export const eventStatusEnum = pgEnum('event_status', ['draft', 'published', 'cancelled'])
export const eventAudienceEnum = pgEnum('event_audience', ['everyone', 'restricted'])
export const registrationStatusEnum = pgEnum('registration_status', [
  'registered',
  'waitlisted',
  'cancelled',
  'attended',
  'no_show',
])

/** A webinar, workshop, office hours, training or meetup. Times are instants (UTC); `time_zone` is the
 *  zone the host planned in, shown beside the reader's own. A null capacity is unlimited. */
export const events = pgTable(
  'events',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: eventKindEnum('kind').notNull(),
    title: text('title').notNull(),
    bodyMd: text('body_md').notNull(),
    bodyHtml: text('body_html').notNull(),
    renderVersion: integer('render_version').notNull(),
    locale: localeEnum('locale').notNull().default('en'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    timeZone: text('time_zone').notNull(),
    capacity: integer('capacity'),
    registrationClosesAt: timestamp('registration_closes_at', { withTimezone: true }),
    /** Shown only to registered attendees. */
    onlineUrl: text('online_url'),
    venue: text('venue'),
    recordingUrl: text('recording_url'),
    /** An onboarding session: the first-steps checklist points new members to the next one. */
    onboarding: boolean('onboarding').notNull().default(false),
    audience: eventAudienceEnum('audience').notNull().default('everyone'),
    /** With a restricted audience: members of accounts in these touch tiers, or of these accounts. */
    audienceTiers: text('audience_tiers').array().notNull().default(sql`'{}'::text[]`),
    audienceAccountIds: integer('audience_account_ids').array().notNull().default(sql`'{}'::integer[]`),
    status: eventStatusEnum('status').notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdById: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('events_starts_idx').on(t.status, t.startsAt),
    check('events_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`),
    check('events_capacity_positive', sql`${t.capacity} is null or ${t.capacity} > 0`),
  ],
)

export const eventHosts = pgTable(
  'event_hosts',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ name: 'event_hosts_pkey', columns: [t.eventId, t.userId] })],
)

/** One row per member per event. The waitlist is FIFO by `waitlisted_at` (then id); seats are counted
 *  under the event's row lock, so capacity holds under any concurrency. */
export const eventRegistrations = pgTable(
  'event_registrations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: registrationStatusEnum('status').notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }),
    waitlistedAt: timestamp('waitlisted_at', { withTimezone: true }),
    promotedAt: timestamp('promoted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    attendanceMarkedAt: timestamp('attendance_marked_at', { withTimezone: true }),
    surveySentAt: timestamp('survey_sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('event_registrations_member_key').on(t.eventId, t.userId),
    index('event_registrations_status_idx').on(t.eventId, t.status, t.waitlistedAt),
    index('event_registrations_user_idx').on(t.userId),
  ],
)

/** Reminders already sent: the primary key makes each (event, member, kind) go out once. */
export const eventReminders = pgTable(
  'event_reminders',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['24h', '1h'] }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'event_reminders_pkey', columns: [t.eventId, t.userId, t.kind] })],
)

/** The post-event survey: one answer per attendee. */
export const eventSurveys = pgTable(
  'event_surveys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    rating: smallint('rating').notNull(),
    nps: smallint('nps').notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('event_surveys_member_key').on(t.eventId, t.userId),
    check('event_surveys_rating_range', sql`${t.rating} between 1 and 5`),
    check('event_surveys_nps_range', sql`${t.nps} between 0 and 10`),
  ],
)

/** The secret of a member's personal calendar feed (`/calendar/<token>.ics`). It is a capability URL
 *  the member pastes into a calendar app, so it is shown again on request and can be replaced. */
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  token: text('token').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
