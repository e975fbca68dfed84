import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import {
  insertAccount,
  insertAnswer,
  insertQuestion,
  insertStaff,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { communityStats } from './community-stats.server.ts'

// Each test counts in a period of its own, years apart, so the rows of one never fall in another's.
const at = (iso: string) => new Date(iso)
const HOUR = 3600
let sequence = 0

async function activity(user: { id: number; accountId: number | null }, occurredAt: string) {
  await recordActivity(db, {
    type: 'visit_day',
    user,
    uniqueKey: `community-stats:${++sequence}`,
    occurredAt: at(occurredAt),
  })
}

test('every community figure of a period, worked out by hand', async () => {
  const account = await insertAccount(db)
  const [alice, bob, carol] = [
    await insertUser(db, { accountId: account.id }),
    await insertUser(db, { accountId: account.id }),
    await insertUser(db, { accountId: account.id }),
  ]
  const staff = await insertStaff(db)
  const period = { from: at('2041-03-01T00:00:00Z'), to: at('2041-04-01T00:00:00Z') }

  // Active: alice (twice, once), bob; staff are not counted; carol only before and at the end.
  await activity(alice, '2041-03-01T00:00:00Z')
  await activity(alice, '2041-03-20T00:00:00Z')
  await activity(bob, '2041-03-31T23:59:59Z')
  await activity(staff, '2041-03-10T00:00:00Z')
  await activity(carol, '2041-02-28T23:59:59Z')
  await activity(carol, '2041-04-01T00:00:00Z')

  // q1: first answered by bob after 2 h, then by staff; staff's answer accepted.
  const q1 = await insertQuestion(db, { author: alice, createdAt: at('2041-03-02T00:00:00Z') })
  await insertAnswer(db, q1, { author: bob, createdAt: at('2041-03-02T02:00:00Z') })
  const staffAnswer = await insertAnswer(db, q1, { author: staff, createdAt: at('2041-03-02T03:00:00Z') })
  await db.update(questions).set({ acceptedAnswerId: staffAnswer.id }).where(eq(questions.id, q1.id))
  // q2: a hidden answer first (not counted), then staff after 10 h.
  const q2 = await insertQuestion(db, { author: bob, createdAt: at('2041-03-03T00:00:00Z') })
  await insertAnswer(db, q2, { author: carol, createdAt: at('2041-03-03T01:00:00Z'), hiddenAt: at('2041-03-04') })
  await insertAnswer(db, q2, { author: staff, createdAt: at('2041-03-03T10:00:00Z') })
  // q3: answered by carol after 4 h and accepted.
  const q3 = await insertQuestion(db, { author: bob, createdAt: at('2041-03-04T00:00:00Z') })
  const carolAnswer = await insertAnswer(db, q3, { author: carol, createdAt: at('2041-03-04T04:00:00Z') })
  await db.update(questions).set({ acceptedAnswerId: carolAnswer.id }).where(eq(questions.id, q3.id))
  // q4: unanswered; q5: answered only after the period's end (unanswered for this period).
  await insertQuestion(db, { author: alice, createdAt: at('2041-03-05T00:00:00Z') })
  const q5 = await insertQuestion(db, { author: alice, createdAt: at('2041-03-31T00:00:00Z') })
  await insertAnswer(db, q5, { author: bob, createdAt: at('2041-04-02T00:00:00Z') })
  // Not in the period: a deleted question, a hidden one, one asked before.
  await insertQuestion(db, { author: alice, createdAt: at('2041-03-06T00:00:00Z'), deletedAt: at('2041-03-07') })
  const hidden = await insertQuestion(db, {
    author: alice,
    createdAt: at('2041-03-06T00:00:00Z'),
    hiddenAt: at('2041-03-07'),
  })
  await insertAnswer(db, hidden, { author: bob, createdAt: at('2041-03-06T01:00:00Z') })
  await insertQuestion(db, { author: alice, createdAt: at('2041-02-27T00:00:00Z') })

  expect(await communityStats(db, period)).toEqual({
    activeMembers: 2,
    questions: 5,
    answered: 3,
    answeredRate: 3 / 5,
    accepted: 2,
    // First answers after 2 h, 10 h and 4 h: the median is 4 h.
    medianFirstAnswerSeconds: 4 * HOUR,
    firstAnswersByCustomers: 2,
    firstAnswersByStaff: 1,
    customerFirstAnswerShare: 2 / 3,
    acceptedByCustomers: 1,
    acceptedByStaff: 1,
    customerAcceptedShare: 1 / 2,
  })
})

test('an even number of answered questions takes the mean of the middle two; nothing gives no rates', async () => {
  const member = await insertUser(db)
  const staff = await insertStaff(db)
  const q1 = await insertQuestion(db, { author: member, createdAt: at('2043-05-01T00:00:00Z') })
  await insertAnswer(db, q1, { author: staff, createdAt: at('2043-05-01T01:00:00Z') })
  const q2 = await insertQuestion(db, { author: member, createdAt: at('2043-05-02T00:00:00Z') })
  await insertAnswer(db, q2, { author: staff, createdAt: at('2043-05-02T04:00:00Z') })
  const stats = await communityStats(db, { from: at('2043-05-01T00:00:00Z'), to: at('2043-06-01T00:00:00Z') })
  expect(stats).toMatchObject({ questions: 2, answered: 2, medianFirstAnswerSeconds: 2.5 * HOUR, activeMembers: 0 })
  expect(stats.customerFirstAnswerShare).toBe(0)

  expect(await communityStats(db, { from: at('2044-01-01T00:00:00Z'), to: at('2044-02-01T00:00:00Z') })).toEqual({
    activeMembers: 0,
    questions: 0,
    answered: 0,
    answeredRate: null,
    accepted: 0,
    medianFirstAnswerSeconds: null,
    firstAnswersByCustomers: 0,
    firstAnswersByStaff: 0,
    customerFirstAnswerShare: null,
    acceptedByCustomers: 0,
    acceptedByStaff: 0,
    customerAcceptedShare: null,
  })
})
