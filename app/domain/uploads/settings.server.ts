import { count, desc, eq, sql, sum } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { env } from '#app/lib/env.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { readSetting, writeSetting } from '#app/lib/settings.server.ts'
import type { Db } from '#db/client.server.ts'
import { uploadRefs, uploads } from '#db/schema/editor.ts'
import { users } from '#db/schema/identity.ts'
import {
  defaultUploadSettings,
  MB,
  megabytes,
  type UploadSettings,
  type UploadSettingsForm,
  UploadSettingsSchema,
  uploadTypes,
} from './types.ts'

export const UPLOAD_SETTINGS_KEY = 'uploads'

/** The hard cap on one file (UPLOAD_FILE_MAX_BYTES), which no setting can raise. */
export function fileHardCap(): number {
  return env().UPLOAD_FILE_MAX_BYTES
}

/** The upload settings, with the defaults for a new install; the largest file never above the hard cap. */
export async function readUploadSettings(db: Db): Promise<UploadSettings> {
  const stored = await readSetting(db, UPLOAD_SETTINGS_KEY, UploadSettingsSchema, defaultUploadSettings)
  return { ...stored, maxFileBytes: Math.min(stored.maxFileBytes, fileHardCap()) }
}

/** Changes the upload settings (admins, `uploads.configure`); audited with the old and new values. */
export async function updateUploadSettings(
  db: Db,
  { actor, input }: { actor: SessionUser; input: UploadSettingsForm },
): Promise<Outcome<UploadSettings>> {
  if (!can(actor, 'uploads.configure')) return fail(403, 'errors.forbidden')
  const maxFileBytes = Math.round(input.maxFileMb * MB)
  if (maxFileBytes > fileHardCap()) {
    return fail(400, 'uploads.admin.validation.over_cap', {
      field: 'maxFileMb',
      params: { max: megabytes(fileHardCap()) },
    })
  }
  const next: UploadSettings = {
    maxFileBytes,
    // In the order of the known list, each once.
    allowedTypes: uploadTypes.filter((type) => input.allowedTypes.includes(type)),
    quotaBytes: input.quotaMb * MB,
    perHour: input.perHour,
  }
  return db.transaction(async (tx) => {
    const before = await readUploadSettings(tx)
    await writeSetting(tx, { key: UPLOAD_SETTINGS_KEY, value: next, actorId: actor.id })
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'uploads.settings_changed',
      targetType: 'setting',
      targetId: UPLOAD_SETTINGS_KEY,
      details: { from: before, to: next },
    })
    return ok(next)
  })
}

export type UploadUsage = {
  files: number
  images: number
  /** Bytes of every stored file and web-sized copy. */
  storedBytes: number
  /** Uploads no post or draft uses yet (the cleanup job deletes them after a day). */
  unused: number
  top: { userId: number; displayName: string; files: number; bytes: number }[]
}

/** What uploads hold: totals, and the members whose uploads take the most room. */
export async function uploadUsage(db: Db, { top = 10 }: { top?: number } = {}): Promise<UploadUsage> {
  const [[totals], [unused], leaders] = await Promise.all([
    db
      .select({
        files: count(),
        images: sql<number>`count(*) filter (where ${uploads.kind} = 'image')`.mapWith(Number),
        storedBytes:
          sql<number>`coalesce(sum(${uploads.byteSize} + coalesce(octet_length(${uploads.webData}), 0)), 0)`.mapWith(
            Number,
          ),
      })
      .from(uploads),
    db
      .select({ n: count() })
      .from(uploads)
      .where(sql`not exists (select 1 from ${uploadRefs} where ${uploadRefs.uploadId} = ${uploads.id})`),
    db
      .select({
        userId: uploads.ownerId,
        displayName: users.displayName,
        files: count(),
        bytes: sum(uploads.byteSize).mapWith(Number),
      })
      .from(uploads)
      .innerJoin(users, eq(users.id, uploads.ownerId))
      .groupBy(uploads.ownerId, users.displayName)
      .orderBy(desc(sum(uploads.byteSize)), uploads.ownerId)
      .limit(top),
  ])
  return {
    files: totals?.files ?? 0,
    images: totals?.images ?? 0,
    storedBytes: totals?.storedBytes ?? 0,
    unused: unused?.n ?? 0,
    top: leaders,
  }
}
