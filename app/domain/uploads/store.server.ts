import { createHash, randomBytes } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { isStaffRole, type SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, waitParams } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import { uploads } from '#db/schema/editor.ts'
import { ImageError, processImage } from './images.server.ts'
import { readUploadSettings } from './settings.server.ts'
import { extensionOf, safeFileName, sniff } from './sniff.server.ts'
import { megabytes, type UploadSettings, uploadMarkdown, uploadPath } from './types.ts'

/** An upload as the member who made it gets it back: where it is and the markdown that shows it. */
export type StoredUpload = {
  id: string
  ownerId: number
  kind: 'image' | 'file'
  fileName: string
  contentType: string
  byteSize: number
  width: number | null
  height: number | null
  url: string
  markdown: string
}

/** Any number will do; with the owner's id it names "this member's uploads" among advisory locks. */
const QUOTA_LOCK = 7_245_041

/** One hour's uploads per member, counted whatever the outcome: refused files cost work too. */
function hourlyRule(settings: UploadSettings) {
  return { limit: settings.perHour, windowSeconds: 60 * 60 }
}

const imageRefusals = {
  busy: fail(503, 'uploads.busy'),
  too_many_pixels: fail(413, 'uploads.too_many_pixels'),
  unreadable: fail(400, 'uploads.image_unreadable'),
} as const

function described(
  row: typeof uploads.$inferSelect | Omit<typeof uploads.$inferSelect, 'data' | 'webData'>,
): StoredUpload {
  const kind = row.kind === 'image' ? 'image' : 'file'
  return {
    id: row.id,
    ownerId: row.ownerId,
    kind,
    fileName: row.fileName,
    contentType: row.contentType,
    byteSize: row.byteSize,
    width: row.width,
    height: row.height,
    url: uploadPath(row),
    markdown: uploadMarkdown({ ...row, kind }),
  }
}

/** Bytes of a member's uploads (what counts against the quota). */
export async function usedBytes(db: Db, ownerId: number): Promise<number> {
  const [row] = await db
    .select({ bytes: sql<number>`coalesce(sum(${uploads.byteSize}), 0)`.mapWith(Number) })
    .from(uploads)
    .where(eq(uploads.ownerId, ownerId))
  return row?.bytes ?? 0
}

/** Stores a file a member attaches to a post, within the admin's limits: the largest file, the
 *  allowed types (read from the bytes, never from the name or the browser's word), the member's quota
 *  and uploads per hour (staff have neither). Images are re-encoded without metadata and get a
 *  web-sized copy (images.server.ts); other files are kept as sent. The same bytes sent again by the
 *  same member (a form sent twice) return the upload already stored. Members confirm their address
 *  first, as for posting. */
export async function storeUpload(
  db: Db,
  { user, name, bytes }: { user: SessionUser; name: string; bytes: Uint8Array },
): Promise<Outcome<StoredUpload>> {
  if (!user.emailVerified) return fail(403, 'uploads.verify_first')
  if (bytes.byteLength === 0) return fail(400, 'uploads.empty')
  const settings = await readUploadSettings(db)
  if (bytes.byteLength > settings.maxFileBytes) {
    return fail(413, 'uploads.too_large', { params: { size: megabytes(settings.maxFileBytes) } })
  }
  const staff = isStaffRole(user.role)
  if (!staff) {
    const limit = await hitRateLimit(db, `uploads:user:${user.id}`, hourlyRule(settings))
    if (!limit.allowed) {
      return fail(429, 'uploads.rate_limited', { params: waitParams(limit.retryAfterSeconds, 'minutes') })
    }
  }
  const sniffed = sniff(bytes, name)
  if (sniffed.kind === 'refused' || !settings.allowedTypes.includes(sniffed.type)) {
    return fail(415, 'uploads.type_not_allowed', { params: { name: name.slice(0, 100) } })
  }

  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const [same] = await db
    .select({
      id: uploads.id,
      ownerId: uploads.ownerId,
      kind: uploads.kind,
      fileName: uploads.fileName,
      contentType: uploads.contentType,
      byteSize: uploads.byteSize,
      width: uploads.width,
      height: uploads.height,
      sha256: uploads.sha256,
      webContentType: uploads.webContentType,
      createdAt: uploads.createdAt,
    })
    .from(uploads)
    .where(and(eq(uploads.ownerId, user.id), eq(uploads.sha256, sha256)))
    .limit(1)
  if (same) return ok(described(same))
  if (!staff && (await usedBytes(db, user.id)) + bytes.byteLength > settings.quotaBytes) {
    return fail(413, 'uploads.quota_exceeded', { params: { size: megabytes(settings.quotaBytes) } })
  }

  let row: Omit<typeof uploads.$inferInsert, 'id' | 'ownerId' | 'sha256'>
  if (sniffed.kind === 'image') {
    let image: Awaited<ReturnType<typeof processImage>>
    try {
      image = await processImage(bytes, sniffed.type)
    } catch (error) {
      if (error instanceof ImageError) return imageRefusals[error.reason]
      throw error
    }
    row = {
      kind: 'image',
      fileName: safeFileName(name, image.format),
      contentType: image.contentType,
      byteSize: image.data.byteLength,
      width: image.width,
      height: image.height,
      data: image.data,
      webData: image.web,
      webContentType: image.web ? image.contentType : null,
    }
  } else {
    row = {
      kind: 'file',
      fileName: safeFileName(name, sniffed.type, sniffed.type === 'office' ? extensionOf(name) : undefined),
      contentType: sniffed.contentType,
      byteSize: bytes.byteLength,
      data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    }
  }

  return db.transaction(async (tx) => {
    // Two uploads of one member at once must not both fit in the room left for one.
    await tx.execute(sql`select pg_advisory_xact_lock(${QUOTA_LOCK}::int, ${user.id}::int)`)
    if (!staff && (await usedBytes(tx, user.id)) + row.byteSize > settings.quotaBytes) {
      return fail(413, 'uploads.quota_exceeded', { params: { size: megabytes(settings.quotaBytes) } })
    }
    const [stored] = await tx
      .insert(uploads)
      .values({ ...row, id: randomBytes(16).toString('base64url'), ownerId: user.id, sha256 })
      .returning({
        id: uploads.id,
        ownerId: uploads.ownerId,
        kind: uploads.kind,
        fileName: uploads.fileName,
        contentType: uploads.contentType,
        byteSize: uploads.byteSize,
        width: uploads.width,
        height: uploads.height,
        sha256: uploads.sha256,
        webContentType: uploads.webContentType,
        createdAt: uploads.createdAt,
      })
    return ok(described(stored!))
  })
}
