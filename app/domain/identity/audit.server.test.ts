import { expect, test } from 'vitest'
import { insertAdmin, insertUser } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { listAudit, recordAudit } from './audit.server.ts'
import { changeRole } from './users.server.ts'

test('the audit log lists the newest entries first with the actor’s name, and pages by id', async () => {
  const admin = await insertAdmin(db, { displayName: 'Auditor' })
  const member = await insertUser(db)
  await changeRole(db, { actor: admin, userId: member.id, role: 'staff' })
  await recordAudit(db, { actorUserId: null, action: 'system.note', targetType: 'system', details: { n: 1 } })

  const [newest, previous] = await listAudit(db, { limit: 2 })
  expect(newest).toMatchObject({ action: 'system.note', actorName: null, targetId: null })
  expect(previous).toMatchObject({
    action: 'user.role_changed',
    actorName: 'Auditor',
    targetType: 'user',
    targetId: String(member.id),
    details: { from: 'member', to: 'staff' },
  })
  const older = await listAudit(db, { before: previous!.id, limit: 50 })
  expect(older.every((entry) => entry.id < previous!.id)).toBe(true)
})
