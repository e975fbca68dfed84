import { eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { passwordResetTokens, rateLimits, sessions } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { purgeExpired } from './maintenance.server.ts'
import { createSession, generateToken, hashToken } from './sessions.server.ts'

test('purging removes expired sessions, stale reset tokens and old rate-limit windows, and nothing live', async () => {
  const user = await insertUser(db)
  const live = await createSession(db, generateToken(), user.id)
  const dead = await createSession(db, generateToken(), user.id)
  await db
    .update(sessions)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(sessions.id, dead.id))

  const hour = 3600 * 1000
  const [staleToken, recentToken] = [hashToken(generateToken()), hashToken(generateToken())]
  await db.insert(passwordResetTokens).values([
    { id: staleToken, userId: user.id, expiresAt: new Date(Date.now() - 30 * hour) },
    { id: recentToken, userId: user.id, expiresAt: new Date(Date.now() - hour) },
  ])
  const [oldKey, newKey] = [`purge:${generateToken(6)}`, `purge:${generateToken(6)}`]
  await db.insert(rateLimits).values([
    { key: oldKey, windowStart: new Date(Date.now() - 48 * hour), count: 3 },
    { key: newKey, windowStart: new Date(), count: 1 },
  ])

  const report = await purgeExpired(db)
  expect(report.sessions).toBeGreaterThanOrEqual(1)
  expect(report.resetTokens).toBeGreaterThanOrEqual(1)
  expect(report.rateLimits).toBeGreaterThanOrEqual(1)

  const sessionIds = (
    await db
      .select()
      .from(sessions)
      .where(inArray(sessions.id, [live.id, dead.id]))
  ).map((s) => s.id)
  expect(sessionIds).toEqual([live.id])
  const tokenIds = (
    await db
      .select()
      .from(passwordResetTokens)
      .where(inArray(passwordResetTokens.id, [staleToken, recentToken]))
  ).map((t) => t.id)
  expect(tokenIds).toEqual([recentToken])
  const keys = (
    await db
      .select()
      .from(rateLimits)
      .where(inArray(rateLimits.key, [oldKey, newKey]))
  ).map((r) => r.key)
  expect(keys).toEqual([newKey])

  expect(await purgeExpired(db)).toMatchObject({ sessions: 0 })
})
