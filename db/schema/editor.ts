import { sql } from 'drizzle-orm'
import { check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { users } from './identity.ts'

/** Raw bytes (PostgreSQL `bytea`), read and written as a Node Buffer. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
})

/** A half-written form kept on the server, one per member and form (`question:new`, `answer:42`,
 *  `article:new`, `event:new`, …), so it survives a reload and follows the member to another device.
 *  The fields are the form's own names and values as typed; publishing or discarding deletes the row. */
export const drafts = pgTable(
  'drafts',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    formKey: text('form_key').notNull(),
    fields: jsonb('fields').$type<Record<string, string>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'drafts_pkey', columns: [t.userId, t.formKey] }),
    index('drafts_updated_idx').on(t.updatedAt),
  ],
)

/** A file a member put in a post: kept in the database, so every app process on it serves it and the
 *  documented backup (pg_dump) holds it. Images are re-encoded on the way in (metadata such as GPS
 *  gone) and get a web-sized copy; other files are kept as sent and only ever served as downloads. */
export const uploads = pgTable(
  'uploads',
  {
    /** Random, unguessable (base64url of 16 bytes); the URL is /uploads/<id>/<file name>. */
    id: text('id').primaryKey(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `image` (re-encoded, shown inline) or `file` (served as an attachment). */
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    /** Bytes of `data`, the stored file: what counts against the owner's quota. */
    byteSize: integer('byte_size').notNull(),
    width: integer('width'),
    height: integer('height'),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    /** The web-sized copy of a large image (at most WEB_MAX_EDGE pixels on its longer side). */
    webData: bytea('web_data'),
    webContentType: text('web_content_type'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('uploads_owner_idx').on(t.ownerId, t.createdAt),
    index('uploads_created_idx').on(t.createdAt),
    check('uploads_kind_check', sql`${t.kind} in ('image', 'file')`),
  ],
)

/** Where an upload is used: a post (question, answer, comment, article, event) or a draft. Access to
 *  an upload follows these rows: a reader who may see one of the subjects may see the file. A row is
 *  added when a post or draft is saved with the upload's URL in it and kept afterwards (revisions
 *  still show it); an upload no row names, older than a day, is an orphan and is deleted by a job. */
export const uploadRefs = pgTable(
  'upload_refs',
  {
    uploadId: text('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    subjectType: text('subject_type').notNull(),
    /** The subject's id; for a draft, the owner's id (the draft is the owner's). */
    subjectId: integer('subject_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'upload_refs_pkey', columns: [t.uploadId, t.subjectType, t.subjectId] }),
    index('upload_refs_subject_idx').on(t.subjectType, t.subjectId),
    check(
      'upload_refs_subject_type_check',
      sql`${t.subjectType} in ('question', 'answer', 'comment', 'article', 'event', 'draft')`,
    ),
  ],
)

/** A member's picture: a square WebP made from what they uploaded. Members without one get their
 *  initials on a colour taken from their id. */
export const avatars = pgTable('avatars', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  image: bytea('image').notNull(),
  contentType: text('content_type').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
