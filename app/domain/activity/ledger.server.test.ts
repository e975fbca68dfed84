import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertAccount, insertUser } from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { db } from '#tests/db.ts'
import { recordActivity, recordVisitDay, visitDayKey } from './ledger.server.ts'

test('recording is idempotent by its unique key: the same signal counts once', async () => {
  const account = await insertAccount(db)
  const user = await insertUser(db, { accountId: account.id })
  const signal = { type: 'answer_accepted' as const, user, subject: { type: 'answer', id: 42 } }
  expect(await recordActivity(db, signal)).toBe(true)
  expect(await recordActivity(db, signal)).toBe(false)
  const rows = await db.select().from(activityEvents).where(eq(activityEvents.userId, user.id))
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({
    type: 'answer_accepted',
    accountId: account.id,
    subjectType: 'answer',
    subjectId: '42',
    uniqueKey: `answer_accepted:answer:42:${user.id}`,
  })
})

test('concurrent recordings of one signal leave one row', async () => {
  const user = await insertUser(db)
  const signal = { type: 'vote_cast' as const, user, subject: { type: 'question', id: 7 } }
  const results = await Promise.all(Array.from({ length: 8 }, () => recordActivity(db, signal)))
  expect(results.filter(Boolean)).toHaveLength(1)
})

test('a recording inside a rolled-back transaction leaves nothing behind', async () => {
  const user = await insertUser(db)
  await expect(
    db.transaction(async (tx) => {
      await recordActivity(tx, { type: 'question_asked', user, subject: { type: 'question', id: 1 } })
      throw new Error('the action failed')
    }),
  ).rejects.toThrow('the action failed')
  expect(await db.select().from(activityEvents).where(eq(activityEvents.userId, user.id))).toHaveLength(0)
})

test('a visit is recorded once per user per UTC day', async () => {
  const user = await insertUser(db)
  await recordVisitDay(db, user)
  await recordVisitDay(db, user)
  await recordActivity(db, { type: 'visit_day', user, uniqueKey: visitDayKey(user.id) })
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000)
  await recordActivity(db, {
    type: 'visit_day',
    user,
    uniqueKey: visitDayKey(user.id, yesterday),
    occurredAt: yesterday,
  })
  const rows = await db.select().from(activityEvents).where(eq(activityEvents.userId, user.id))
  expect(rows.map((r) => r.type)).toEqual(['visit_day', 'visit_day'])
  expect(new Set(rows.map((r) => r.uniqueKey)).size).toBe(2)
})
