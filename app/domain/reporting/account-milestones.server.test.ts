import { expect, test } from 'vitest'
import type { ActivityType } from '#app/domain/activity/activity-types.ts'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { insertAccount, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { getAccountMilestones } from './account-milestones.server.ts'

const day = (iso: string) => new Date(`${iso}T09:00:00.000Z`)

async function record(user: { id: number; accountId: number | null }, type: ActivityType, at: string, key: string) {
  await recordActivity(db, { type, user, uniqueKey: `${type}:${user.id}:${key}`, occurredAt: day(at) })
}

test('a young account’s milestones carry the dates they were reached, and seats active by day 30', async () => {
  const staff = await insertStaff(db)
  const account = await insertAccount(db, { contractStart: '2026-05-01', seats: 4 })
  const now = day('2026-06-15')
  const empty = await getAccountMilestones(db, { actor: staff, accountId: account.id, now })
  expect(empty).toMatchObject({
    ok: true,
    value: {
      startDay: '2026-05-01',
      ageDays: 45,
      young: true,
      memberJoined: { at: null },
      memberActive: { at: null },
      firstQuestion: { at: null },
      firstEvent: { at: null },
      seats: { seats: 4, active: 0, share: 0, windowEnd: '2026-05-31', final: true },
    },
  })

  const aiko = await insertUser(db, {
    accountId: account.id,
    createdAt: day('2026-05-03'),
    emailVerifiedAt: day('2026-05-04'),
  })
  const ben = await insertUser(db, {
    accountId: account.id,
    createdAt: day('2026-05-20'),
    emailVerifiedAt: day('2026-05-20'),
  })
  const late = await insertUser(db, {
    accountId: account.id,
    createdAt: day('2026-06-10'),
    emailVerifiedAt: day('2026-06-10'),
  })
  // Not counted: an unconfirmed member, and a member of another account.
  await insertUser(db, { accountId: account.id, createdAt: day('2026-05-02'), emailVerifiedAt: null })
  const elsewhere = await insertUser(db, { accountId: (await insertAccount(db)).id })
  await record(elsewhere, 'question_asked', '2026-05-02', 'x')

  await record(aiko, 'visit_day', '2026-05-05', 'a')
  await record(ben, 'question_asked', '2026-05-22', 'b')
  await record(late, 'event_attended', '2026-06-12', 'c')

  const result = await getAccountMilestones(db, { actor: staff, accountId: account.id, now })
  expect(result.ok).toBe(true)
  if (!result.ok) return
  const milestones = result.value
  expect(milestones.memberJoined).toEqual({ at: day('2026-05-04'), day: 4 })
  expect(milestones.memberActive).toEqual({ at: day('2026-05-05'), day: 5 })
  expect(milestones.firstQuestion).toEqual({ at: day('2026-05-22'), day: 22 })
  expect(milestones.firstEvent).toEqual({ at: day('2026-06-12'), day: 43 })
  // Aiko and Ben were active in the first 30 days; the late joiner only after.
  expect(milestones.seats).toMatchObject({ seats: 4, active: 2, share: 0.5, final: true })
})

test('without a contract start the account starts with its first member; past 90 days it is not young', async () => {
  const staff = await insertStaff(db)
  const account = await insertAccount(db, { contractStart: null, seats: null })
  const member = await insertUser(db, {
    accountId: account.id,
    createdAt: day('2026-01-10'),
    emailVerifiedAt: day('2026-01-10'),
  })
  await record(member, 'answer_posted', '2026-01-12', 'a')
  const result = await getAccountMilestones(db, { actor: staff, accountId: account.id, now: day('2026-01-20') })
  expect(result).toMatchObject({
    ok: true,
    value: {
      startDay: '2026-01-10',
      ageDays: 10,
      young: true,
      seats: { seats: null, active: 1, share: null, windowEnd: '2026-02-09', final: false },
    },
  })
  const later = await getAccountMilestones(db, { actor: staff, accountId: account.id, now: day('2026-06-01') })
  expect(later).toMatchObject({ ok: true, value: { young: false, seats: { final: true } } })
})

test('members may not read an account’s milestones; an unknown account is not found', async () => {
  const member = await insertUser(db)
  const staff = await insertStaff(db)
  const account = await insertAccount(db)
  expect(await getAccountMilestones(db, { actor: member, accountId: account.id })).toMatchObject({
    ok: false,
    status: 403,
  })
  expect(await getAccountMilestones(db, { actor: staff, accountId: 987_654 })).toMatchObject({ ok: false, status: 404 })
})
