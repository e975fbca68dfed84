import { eq, sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { uploadRefs, uploads } from '#db/schema/editor.ts'
import type { UploadSubjectType } from './refs.server.ts'
import { UPLOAD_ID } from './types.ts'

/** What deciding access and writing headers needs, without the bytes. */
export type UploadMeta = {
  id: string
  ownerId: number
  kind: 'image' | 'file'
  fileName: string
  contentType: string
  byteSize: number
  webContentType: string | null
  hasWeb: boolean
  createdAt: Date
}

/** An upload's description, or null when the id is malformed or names nothing. */
export async function findUpload(db: Db, id: string): Promise<UploadMeta | null> {
  if (!UPLOAD_ID.test(id)) return null
  const [row] = await db
    .select({
      id: uploads.id,
      ownerId: uploads.ownerId,
      kind: uploads.kind,
      fileName: uploads.fileName,
      contentType: uploads.contentType,
      byteSize: uploads.byteSize,
      webContentType: uploads.webContentType,
      hasWeb: sql<boolean>`${uploads.webData} is not null`,
      createdAt: uploads.createdAt,
    })
    .from(uploads)
    .where(eq(uploads.id, id))
  return row ? { ...row, kind: row.kind === 'image' ? 'image' : 'file' } : null
}

/** The subjects that use an upload (at most `limit`), for deciding who may read it. */
export async function refsOf(
  db: Db,
  uploadId: string,
  { limit = 100 }: { limit?: number } = {},
): Promise<{ subjectType: UploadSubjectType; subjectId: number }[]> {
  const rows = await db
    .select({ subjectType: uploadRefs.subjectType, subjectId: uploadRefs.subjectId })
    .from(uploadRefs)
    .where(eq(uploadRefs.uploadId, uploadId))
    .limit(limit)
  return rows as { subjectType: UploadSubjectType; subjectId: number }[]
}

/** The bytes to serve: the web-sized copy unless `full` is asked or there is none. */
export async function uploadBytes(
  db: Db,
  upload: Pick<UploadMeta, 'id' | 'hasWeb' | 'contentType' | 'webContentType'>,
  { full }: { full: boolean },
): Promise<{ bytes: Buffer; contentType: string } | null> {
  const web = !full && upload.hasWeb
  const [row] = await db
    .select({ bytes: web ? uploads.webData : uploads.data })
    .from(uploads)
    .where(eq(uploads.id, upload.id))
  if (!row?.bytes) return null
  return { bytes: row.bytes, contentType: web ? (upload.webContentType ?? upload.contentType) : upload.contentType }
}
