import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { DeflectionOutcome } from '#app/domain/support/options.ts'
import { writeCostPerTicket } from '#app/domain/support/settings.server.ts'
import {
  insertAccount,
  insertAnswer,
  insertAttempt,
  insertQuestion,
  insertStaff,
  insertTicket,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { supportFigures, supportFiguresByAccount, supportWeekly } from './deflection.server.ts'

// Every test counts in a period of its own, years apart, so the rows of one never fall in another's.
const at = (iso: string) => new Date(iso)

async function attempt(user: SessionUser, outcome: DeflectionOutcome, createdAt: string) {
  const row = await insertAttempt(db, user, { outcome, createdAt: at(createdAt) })
  // A filed attempt has its contact-flow ticket, created when the member sent it.
  if (outcome === 'filed') await insertTicket(db, user, { attemptId: row.id, createdAt: at(createdAt) })
  return row
}

async function read(user: SessionUser, articleId: number, occurredAt: string) {
  await recordActivity(db, {
    type: 'article_viewed',
    user,
    subject: { type: 'article', id: articleId },
    uniqueKey: `article_viewed:article:${articleId}:${user.id}:${occurredAt}`,
    occurredAt: at(occurredAt),
  })
}

/** A question asked at `createdAt` by `asker`, its accepted answer written by `answerer` (if any). */
async function answered(
  asker: SessionUser,
  answerer: SessionUser | null,
  createdAt: string,
  extra: { hiddenAt?: Date } = {},
) {
  const question = await insertQuestion(db, { author: asker, createdAt: at(createdAt), ...extra })
  if (!answerer) return
  const answer = await insertAnswer(db, question, { author: answerer })
  await db.update(questions).set({ acceptedAnswerId: answer.id }).where(eq(questions.id, question.id))
}

test('every figure of a period, worked out by hand: implicit and imported tickets stay out of the rate', async () => {
  const staff = await insertStaff(db)
  await writeCostPerTicket(db, { amountMinor: 1500, currency: 'USD' }, staff.id)
  const acme = await insertAccount(db, { name: 'Acme figures' })
  const beta = await insertAccount(db, { name: 'Beta figures' })
  const [a1, a2, a3, a4] = [
    await insertUser(db, { accountId: acme.id }),
    await insertUser(db, { accountId: acme.id }),
    await insertUser(db, { accountId: acme.id }),
    await insertUser(db, { accountId: acme.id }),
  ]
  const [b1, b2] = [await insertUser(db, { accountId: beta.id }), await insertUser(db, { accountId: beta.id })]
  const period = { from: at('2031-03-01T00:00:00Z'), to: at('2031-04-01T00:00:00Z') }

  // Acme: explicit 3 (one exactly at the start, which is inside), filed 2, implicit 1, pending 1, abandoned 1.
  await attempt(a1, 'explicit', '2031-03-02T10:00:00Z')
  await attempt(a1, 'explicit', '2031-03-09T10:00:00Z')
  await attempt(a1, 'filed', '2031-03-10T10:00:00Z')
  await attempt(a1, 'implicit', '2031-03-11T10:00:00Z')
  await attempt(a1, 'pending', '2031-03-31T23:00:00Z')
  await attempt(a2, 'abandoned', '2031-03-12T10:00:00Z')
  await attempt(a2, 'filed', '2031-03-13T10:00:00Z')
  await attempt(a2, 'explicit', '2031-03-01T00:00:00Z')
  // Beta: explicit 1, implicit 2, nothing filed.
  await attempt(b1, 'explicit', '2031-03-05T10:00:00Z')
  await attempt(b1, 'implicit', '2031-03-06T10:00:00Z')
  await attempt(b1, 'implicit', '2031-03-07T10:00:00Z')
  // Just outside: a millisecond before the start, and exactly at the (excluded) end.
  await attempt(a1, 'explicit', '2031-02-28T23:59:59.999Z')
  await attempt(a2, 'filed', '2031-04-01T00:00:00Z')

  // Imported tickets: one from a Beta member, one matched to Acme by domain only, one matched to nobody.
  await insertTicket(db, b1, { source: 'import', externalId: 'F-1', createdAt: at('2031-03-20T00:00:00Z') })
  await insertTicket(db, null, {
    source: 'import',
    externalId: 'F-2',
    accountId: acme.id,
    createdAt: at('2031-03-21T00:00:00Z'),
  })
  await insertTicket(db, null, { source: 'import', externalId: 'F-3', createdAt: at('2031-03-22T00:00:00Z') })
  await insertTicket(db, b1, { source: 'import', externalId: 'F-4', createdAt: at('2031-04-01T00:00:00Z') })

  // Help readers: a1 (twice, one reader), a3, a4, b1; staff are not self-service; b2 reads too late.
  await read(a1, 1, '2031-03-03T00:00:00Z')
  await read(a1, 2, '2031-03-04T00:00:00Z')
  await read(a3, 1, '2031-03-05T00:00:00Z')
  await read(a4, 1, '2031-03-31T23:59:59Z')
  await read(b1, 1, '2031-03-08T00:00:00Z')
  await read(staff, 1, '2031-03-08T00:00:00Z')
  await read(b2, 1, '2031-04-01T00:00:00Z')

  // Questions: Acme asks two answered ones (one answered by a customer, one by staff), Beta one answered
  // by a customer; unanswered, hidden and earlier questions are not counted.
  await answered(a1, b1, '2031-03-02T00:00:00Z')
  await answered(a2, staff, '2031-03-03T00:00:00Z')
  await answered(b1, a1, '2031-03-04T00:00:00Z')
  await answered(a1, null, '2031-03-05T00:00:00Z')
  await answered(a1, b1, '2031-03-06T00:00:00Z', { hiddenAt: at('2031-03-07T00:00:00Z') })
  await answered(a1, b1, '2031-02-27T00:00:00Z')

  const all = await supportFigures(db, period)
  expect(all).toEqual({
    // 2 contact-flow tickets + 3 imported ones.
    tickets: 5,
    ticketsPortal: 2,
    ticketsImported: 3,
    explicit: 4,
    filed: 2,
    implicit: 3,
    pending: 1,
    abandoned: 1,
    // 4 ÷ (4 + 2): the imported tickets are not in the denominator, the implicit ones not in the numerator.
    deflectionRate: 4 / 6,
    // (4 + 3) ÷ (4 + 3 + 2)
    deflectionRateUpper: 7 / 9,
    cost: { amountMinor: 1500, currency: 'USD' },
    costSavedMinor: 4 * 1500,
    costSavedUpperMinor: 7 * 1500,
    // Readers a1, a3, a4, b1 ÷ filers a1, a2, b1 (the unmatched import has no user).
    helpReaders: 4,
    ticketFilers: 3,
    selfServiceRatio: 4 / 3,
    // q1 (customer), q2 (staff), q3 (customer).
    answeredQuestions: 3,
    communityAnswered: 2,
    communityAnswerRate: 2 / 3,
  })

  const byAccount = await supportFiguresByAccount(db, period)
  expect(byAccount.map((row) => row.accountName)).toEqual(['Acme figures', 'Beta figures'])
  const [acmeRow, betaRow] = byAccount
  expect(acmeRow).toMatchObject({
    accountId: acme.id,
    tickets: 3,
    ticketsPortal: 2,
    ticketsImported: 1,
    explicit: 3,
    filed: 2,
    implicit: 1,
    pending: 1,
    abandoned: 1,
    deflectionRate: 3 / 5,
    deflectionRateUpper: 4 / 6,
    costSavedMinor: 3 * 1500,
    costSavedUpperMinor: 4 * 1500,
    helpReaders: 3,
    ticketFilers: 2,
    selfServiceRatio: 3 / 2,
    answeredQuestions: 2,
    communityAnswered: 1,
    communityAnswerRate: 1 / 2,
  })
  expect(betaRow).toMatchObject({
    accountId: beta.id,
    tickets: 1,
    ticketsPortal: 0,
    ticketsImported: 1,
    explicit: 1,
    filed: 0,
    implicit: 2,
    deflectionRate: 1,
    deflectionRateUpper: 1,
    costSavedMinor: 1500,
    costSavedUpperMinor: 3 * 1500,
    helpReaders: 1,
    ticketFilers: 1,
    selfServiceRatio: 1,
    answeredQuestions: 1,
    communityAnswered: 1,
    communityAnswerRate: 1,
  })
  // One account's figures alone are the same as its row.
  expect(await supportFigures(db, { ...period, accountId: acme.id })).toEqual(
    Object.fromEntries(Object.entries(acmeRow!).filter(([key]) => key !== 'accountId' && key !== 'accountName')),
  )
})

test('nothing to divide by gives no rate, not zero; money saved is zero', async () => {
  const staff = await insertStaff(db)
  await writeCostPerTicket(db, { amountMinor: 2500, currency: 'JPY' }, staff.id)
  const empty = await supportFigures(db, { from: at('2035-01-01T00:00:00Z'), to: at('2035-02-01T00:00:00Z') })
  expect(empty).toMatchObject({
    tickets: 0,
    explicit: 0,
    deflectionRate: null,
    deflectionRateUpper: null,
    costSavedMinor: 0,
    costSavedUpperMinor: 0,
    selfServiceRatio: null,
    communityAnswerRate: null,
  })
  expect(
    await supportFiguresByAccount(db, { from: at('2035-01-01T00:00:00Z'), to: at('2035-02-01T00:00:00Z') }),
  ).toEqual([])

  // Only imported tickets and a pending attempt: still no rate, because no contact-flow use was decided.
  const account = await insertAccount(db)
  const member = await insertUser(db, { accountId: account.id })
  await insertTicket(db, member, { source: 'import', externalId: 'Z-1', createdAt: at('2035-03-02T00:00:00Z') })
  await attempt(member, 'pending', '2035-03-02T00:00:00Z')
  const period = { from: at('2035-03-01T00:00:00Z'), to: at('2035-04-01T00:00:00Z'), accountId: account.id }
  expect(await supportFigures(db, period)).toMatchObject({
    tickets: 1,
    ticketsImported: 1,
    pending: 1,
    deflectionRate: null,
    deflectionRateUpper: null,
    helpReaders: 0,
    ticketFilers: 1,
    selfServiceRatio: 0,
  })
})

test('only implicit deflections: no explicit rate can be claimed, the upper range shows them', async () => {
  const account = await insertAccount(db)
  const member = await insertUser(db, { accountId: account.id })
  await attempt(member, 'implicit', '2036-05-02T00:00:00Z')
  await attempt(member, 'filed', '2036-05-03T00:00:00Z')
  const figures = await supportFigures(db, {
    from: at('2036-05-01T00:00:00Z'),
    to: at('2036-06-01T00:00:00Z'),
    accountId: account.id,
  })
  expect(figures).toMatchObject({ explicit: 0, implicit: 1, filed: 1, deflectionRate: 0, deflectionRateUpper: 1 / 2 })
  expect(figures.costSavedMinor).toBe(0)
  expect(figures.costSavedUpperMinor).toBe(figures.cost.amountMinor)
})

test('the weekly series counts by Monday-to-Sunday UTC weeks, fills empty weeks and adds up to the figures', async () => {
  const account = await insertAccount(db)
  const other = await insertAccount(db)
  const member = await insertUser(db, { accountId: account.id })
  const outsider = await insertUser(db, { accountId: other.id })
  // 2037-06-01 is a Monday. The period starts on a Wednesday and ends inside the fourth week.
  const period = { from: at('2037-06-03T00:00:00Z'), to: at('2037-06-24T12:00:00Z') }
  await attempt(member, 'explicit', '2037-06-03T00:00:00Z')
  await attempt(member, 'filed', '2037-06-07T23:59:59Z')
  await attempt(member, 'implicit', '2037-06-08T00:00:00Z')
  await attempt(outsider, 'explicit', '2037-06-09T00:00:00Z')
  await attempt(member, 'pending', '2037-06-10T00:00:00Z')
  await insertTicket(db, member, { source: 'import', externalId: 'W-1', createdAt: at('2037-06-22T08:00:00Z') })
  // Outside the period: the Monday before its start, and its (excluded) end.
  await attempt(member, 'explicit', '2037-06-02T23:59:59Z')
  await attempt(member, 'filed', '2037-06-24T12:00:00Z')

  const weeks = await supportWeekly(db, period)
  expect(weeks).toEqual([
    { week: '2037-06-01', tickets: 1, filed: 1, explicit: 1, implicit: 0 },
    { week: '2037-06-08', tickets: 0, filed: 0, explicit: 1, implicit: 1 },
    { week: '2037-06-15', tickets: 0, filed: 0, explicit: 0, implicit: 0 },
    { week: '2037-06-22', tickets: 1, filed: 0, explicit: 0, implicit: 0 },
  ])
  const figures = await supportFigures(db, period)
  const sum = (key: 'tickets' | 'filed' | 'explicit' | 'implicit') => weeks.reduce((n, w) => n + w[key], 0)
  expect({
    tickets: sum('tickets'),
    filed: sum('filed'),
    explicit: sum('explicit'),
    implicit: sum('implicit'),
  }).toEqual({
    tickets: figures.tickets,
    filed: figures.filed,
    explicit: figures.explicit,
    implicit: figures.implicit,
  })

  // One account's weeks leave the other account out.
  expect((await supportWeekly(db, { ...period, accountId: account.id })).map((w) => w.explicit)).toEqual([1, 0, 0, 0])
  // An empty period has no weeks.
  expect(await supportWeekly(db, { from: period.to, to: period.to })).toEqual([])
})
