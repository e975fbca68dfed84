import { desc, eq, lt } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { auditLog, users } from '#db/schema/identity.ts'

export type AuditEntry = {
  actorUserId: number | null
  action: string
  targetType: string
  targetId?: string | number | null
  details?: Record<string, unknown>
}

/** Appends one entry; call it inside the transaction of the action it records. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId == null ? null : String(entry.targetId),
    details: entry.details ?? {},
  })
}

/** The newest entries first, with the actor's name; `before` pages by id. */
export async function listAudit(db: Db, { before, limit = 50 }: { before?: number; limit?: number } = {}) {
  return db
    .select({
      id: auditLog.id,
      occurredAt: auditLog.occurredAt,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      actorName: users.displayName,
      actorId: auditLog.actorUserId,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(before ? lt(auditLog.id, before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit)
}
