import { expect, test } from 'vitest'
import { sentimentBand } from '#app/domain/scoring/health.ts'
import { accountHealthInputs } from '#app/domain/scoring/health-inputs.server.ts'
import { defaultScoringSettings } from '#app/domain/scoring/settings.ts'
import { insertAccount, insertEvent, insertUser } from '#app/server/seed/factories/index.ts'
import { eventSurveys } from '#db/schema/events.ts'
import { npsSurveys } from '#db/schema/retention.ts'
import { db } from '#tests/db.ts'

async function sentimentOf(accountId: number, day: string) {
  const inputs = await accountHealthInputs(db, {
    asOf: new Date(`${day}T12:00:00Z`),
    settings: defaultScoringSettings,
    members: new Map(),
  })
  const input = inputs.find((row) => row.accountId === accountId)!
  return {
    answers: [...input.npsAnswers].sort((a, b) => a.ageDays - b.ageDays),
    ...sentimentBand(input, defaultScoringSettings),
  }
}

test('a relationship NPS answer counts in the account’s sentiment like an event survey answer, at its answer time', async () => {
  const account = await insertAccount(db, { createdAt: new Date('2025-01-01T00:00:00Z') })
  const elsewhere = await insertAccount(db, { createdAt: new Date('2025-01-01T00:00:00Z') })
  const aiko = await insertUser(db, { accountId: account.id, createdAt: new Date('2025-01-01T00:00:00Z') })
  const ken = await insertUser(db, { accountId: account.id, createdAt: new Date('2025-01-01T00:00:00Z') })
  // A member who has since moved: the survey was sent for (and counts for) the account of the time.
  const moved = await insertUser(db, { accountId: elsewhere.id, createdAt: new Date('2025-01-01T00:00:00Z') })
  const event = await insertEvent(db, { startsAt: new Date('2026-06-01T10:00:00Z') })
  await db
    .insert(eventSurveys)
    .values({ eventId: event.id, userId: aiko.id, rating: 5, nps: 10, createdAt: new Date('2026-07-05T12:00:00Z') })

  const before = await sentimentOf(account.id, '2026-07-10')
  // Ages count from the end of the day (11 Jul 00:00).
  expect(before.answers).toEqual([{ score: 10, ageDays: 5.5 }])
  expect(before.band).toBe('GOOD')

  await db.insert(npsSurveys).values([
    // Answered 1 Jul for the account (sent 20 Jun): counts, 10 days old.
    {
      userId: ken.id,
      accountId: account.id,
      quarter: '2026Q2',
      sentAt: new Date('2026-06-20T00:00:00Z'),
      score: 2,
      answeredAt: new Date('2026-07-01T00:00:00Z'),
    },
    {
      userId: moved.id,
      accountId: account.id,
      quarter: '2026Q3',
      sentAt: new Date('2026-07-02T00:00:00Z'),
      score: 0,
      answeredAt: new Date('2026-07-08T12:00:00Z'),
    },
    // Sent, never answered: nothing to count.
    { userId: aiko.id, accountId: account.id, quarter: '2026Q3', sentAt: new Date('2026-07-02T00:00:00Z') },
    // Answered at the end of the day: not yet.
    {
      userId: ken.id,
      accountId: account.id,
      quarter: '2026Q3',
      sentAt: new Date('2026-07-02T00:00:00Z'),
      score: 1,
      answeredAt: new Date('2026-07-11T00:00:00Z'),
    },
  ])

  const after = await sentimentOf(account.id, '2026-07-10')
  expect(after.answers).toEqual([
    { score: 0, ageDays: 2.5 },
    { score: 10, ageDays: 5.5 },
    { score: 2, ageDays: 10 },
  ])
  expect(after.band).toBe('BAD')
  expect((await sentimentOf(elsewhere.id, '2026-07-10')).answers).toEqual([])
})
