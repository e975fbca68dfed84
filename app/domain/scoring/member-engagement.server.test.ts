import { expect, test } from 'vitest'
import { type ActivityType, recordActivity } from '#app/domain/activity/ledger.server.ts'
import { insertAccount, insertUser } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { type DailyActivity, memberPoints } from './engagement.ts'
import { memberEngagement } from './member-engagement.server.ts'
import { defaultScoringSettings } from './settings.ts'

const asOf = new Date('2026-03-31T12:00:00Z')
let sequence = 0

/** `times` ledger rows of one type for a user at a given moment, each with its own unique key. */
async function record(user: { id: number; accountId: number | null }, type: ActivityType, at: string, times = 1) {
  for (let i = 0; i < times; i++) {
    await recordActivity(db, {
      type,
      user,
      subject: { type: 'test', id: ++sequence },
      uniqueKey: `test:${type}:${user.id}:${++sequence}`,
      occurredAt: new Date(at),
    })
  }
}

test('30 votes on one day count as 10, and votes on another day count again', async () => {
  const user = await insertUser(db)
  await record(user, 'vote_cast', '2026-03-31T08:00:00Z', 30)
  await record(user, 'vote_cast', '2026-03-30T23:30:00Z', 4)
  const result = await memberEngagement(db, { userIds: [user.id], asOf })
  // 10 × 0.5 today + 4 × 0.5 yesterday, decayed by one day
  expect(result.get(user.id)).toMatchObject({ points: 7, level: 'participant', byType: { vote_cast: 7 } })
})

test('an answer from 30 days ago is worth half of one posted today', async () => {
  const [recent, earlier] = [await insertUser(db), await insertUser(db)]
  await record(recent, 'answer_posted', '2026-03-31T09:00:00Z')
  await record(earlier, 'answer_posted', '2026-03-01T09:00:00Z')
  const result = await memberEngagement(db, { userIds: [recent.id, earlier.id], asOf })
  expect(result.get(recent.id)?.points).toBe(3)
  expect(result.get(earlier.id)?.points).toBe(1.5)
})

test('points add up across types into a level', async () => {
  const account = await insertAccount(db)
  const user = await insertUser(db, { accountId: account.id })
  await record(user, 'answer_accepted', '2026-03-31T10:00:00Z', 2)
  await record(user, 'answer_posted', '2026-03-31T10:00:00Z', 2)
  await record(user, 'event_attended', '2026-03-31T10:00:00Z')
  await record(user, 'visit_day', '2026-03-31T10:00:00Z')
  await record(user, 'search_performed', '2026-03-31T10:00:00Z', 5)
  const result = await memberEngagement(db, { userIds: [user.id], asOf })
  expect(result.get(user.id)).toMatchObject({
    points: 35,
    level: 'contributor',
    byType: { answer_accepted: 20, answer_posted: 6, event_attended: 8, visit_day: 1 },
  })
})

test('signals after the moment asked about, or long past, do not count', async () => {
  const user = await insertUser(db)
  await record(user, 'answer_accepted', '2026-03-31T12:00:01Z')
  await record(user, 'answer_accepted', '2025-01-01T00:00:00Z')
  await record(user, 'question_asked', '2026-03-31T11:59:59Z')
  const result = await memberEngagement(db, { userIds: [user.id], asOf })
  expect(result.get(user.id)).toMatchObject({ points: 2, level: 'observer', byType: { question_asked: 2 } })
})

test('every requested user is in the result, those without activity as observers', async () => {
  const [quiet, active, other] = [await insertUser(db), await insertUser(db), await insertUser(db)]
  await record(active, 'comment_posted', '2026-03-31T10:00:00Z', 5)
  await record(other, 'comment_posted', '2026-03-31T10:00:00Z', 5)
  const result = await memberEngagement(db, { userIds: [quiet.id, active.id], asOf })
  expect([...result.keys()].sort((a, b) => a - b)).toEqual([quiet.id, active.id].sort((a, b) => a - b))
  expect(result.get(quiet.id)).toMatchObject({ points: 0, level: 'observer', byType: {} })
  expect(result.get(active.id)).toMatchObject({ points: 5, level: 'participant' })
  expect(await memberEngagement(db, { userIds: [], asOf })).toEqual(new Map())
})

test('without a list, every user with activity is scored in the one query', async () => {
  const [first, second] = [await insertUser(db), await insertUser(db)]
  await record(first, 'question_asked', '2026-03-31T10:00:00Z')
  await record(second, 'answer_posted', '2026-03-31T10:00:00Z')
  const result = await memberEngagement(db, { asOf })
  expect(result.get(first.id)?.points).toBe(2)
  expect(result.get(second.id)?.points).toBe(3)
})

test('previous levels and custom settings are honoured', async () => {
  const user = await insertUser(db)
  await record(user, 'answer_posted', '2026-03-31T10:00:00Z', 8)
  const result = await memberEngagement(db, {
    userIds: [user.id],
    asOf,
    previousLevels: new Map([[user.id, 'contributor']]),
  })
  // 24 points: below 25, but not below 0.9 × 25
  expect(result.get(user.id)?.level).toBe('contributor')
  const generous = { ...defaultScoringSettings, points: { ...defaultScoringSettings.points, answer_posted: 20 } }
  const custom = await memberEngagement(db, { userIds: [user.id], asOf, settings: generous })
  expect(custom.get(user.id)).toMatchObject({ points: 160, level: 'champion' })
})

test('the ledger query gives the figures of the pure definition, caps and decay included', async () => {
  const account = await insertAccount(db)
  const users = [await insertUser(db, { accountId: account.id }), await insertUser(db), await insertUser(db)]
  const types: ActivityType[] = ['vote_cast', 'answer_posted', 'visit_day', 'article_viewed', 'comment_posted']
  const daily = new Map<number, Map<string, DailyActivity>>()
  // A fixed pseudo-random mix: several days, several types, counts above and below the caps.
  let seed = 7
  const next = (n: number) => {
    seed = (seed * 48271) % 2147483647
    return seed % n
  }
  for (const user of users) {
    const rows = new Map<string, DailyActivity>()
    for (let i = 0; i < 12; i++) {
      const type = types[next(types.length)]!
      const day = new Date(Date.parse('2026-03-31T00:00:00Z') - next(200) * 86_400_000).toISOString().slice(0, 10)
      const times = 1 + next(14)
      await record(user, type, `${day}T0${next(10)}:30:00Z`, times)
      const key = `${type}|${day}`
      const row = rows.get(key) ?? { type, day, count: 0 }
      row.count += times
      rows.set(key, row)
    }
    daily.set(user.id, rows)
  }
  const result = await memberEngagement(db, { userIds: users.map((u) => u.id), asOf })
  for (const user of users) {
    const expected = memberPoints([...daily.get(user.id)!.values()], asOf, defaultScoringSettings)
    expect(result.get(user.id)).toMatchObject(expected)
    expect(expected.points).toBeGreaterThan(0)
  }
  expect(result.get(users[0]!.id)?.accountId).toBe(account.id)
  expect(result.get(users[1]!.id)?.lastActiveAt).toBeInstanceOf(Date)
})
