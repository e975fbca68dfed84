import { eq } from 'drizzle-orm'
import type { z } from 'zod'
import type { Db } from '#db/client.server.ts'
import { appSettings } from '#db/schema/settings.ts'

/** A setting's stored value checked against its schema; the default when none is stored or the stored
 *  value no longer fits (a setting whose shape changed falls back instead of breaking pages). */
export async function readSetting<T>(db: Db, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key))
  if (!row) return fallback
  const parsed = schema.safeParse(row.value)
  return parsed.success ? parsed.data : fallback
}

/** Stores a setting (insert or replace). Callers validate, check permission and audit. */
export async function writeSetting(db: Db, { key, value, actorId }: { key: string; value: unknown; actorId: number }) {
  const now = new Date()
  await db
    .insert(appSettings)
    .values({ key, value, updatedAt: now, updatedById: actorId })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: now, updatedById: actorId } })
}
