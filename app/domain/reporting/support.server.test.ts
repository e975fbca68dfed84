import { expect, test } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import type { DeflectionOutcome } from '#app/domain/support/options.ts'
import {
  insertAccount,
  insertAttempt,
  insertStaff,
  insertTicket,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { getSupportInsights, listAttempts, ticketEndingQueries } from './support.server.ts'

// Every test works in a period of its own, years apart.
const at = (iso: string) => new Date(iso)

async function attempt(user: SessionUser, query: string, outcome: DeflectionOutcome, createdAt: string) {
  const row = await insertAttempt(db, user, { query, outcome, createdAt: at(createdAt) })
  if (outcome === 'filed') await insertTicket(db, user, { attemptId: row.id, createdAt: at(createdAt) })
  return row
}

test('attempts list newest first with what was shown, opened and solved, and the ticket they ended in', async () => {
  const account = await insertAccount(db, { name: 'Insights Co' })
  const member = await insertUser(db, { accountId: account.id, displayName: 'Hana Sato' })
  const other = await insertUser(db, { accountId: (await insertAccount(db)).id })
  const shown = [
    { doc: 'article:3', rank: 1, title: 'Exporting data', query: 'export', at: '2032-02-02T10:00:00.000Z' },
    { doc: 'question:8', rank: 2, title: 'CSV is empty', query: 'export', at: '2032-02-02T10:00:00.000Z' },
    // Shown again for a longer subject: listed once.
    { doc: 'article:3', rank: 1, title: 'Exporting data', query: 'export csv', at: '2032-02-02T10:00:05.000Z' },
  ]
  const solved = await insertAttempt(db, member, {
    query: 'export csv',
    outcome: 'explicit',
    shown,
    opened: [{ doc: 'article:3', at: '2032-02-02T10:00:09.000Z' }],
    solvedDoc: 'article:3',
    solvedAt: at('2032-02-02T10:01:00Z'),
    createdAt: at('2032-02-02T10:00:00Z'),
  })
  const filed = await insertAttempt(db, member, {
    query: 'invoice address',
    outcome: 'filed',
    createdAt: at('2032-02-03T10:00:00Z'),
  })
  const ticket = await insertTicket(db, member, { attemptId: filed.id, createdAt: at('2032-02-03T10:02:00Z') })
  const abandoned = await attempt(other, 'sso', 'abandoned', '2032-02-04T10:00:00Z')
  await attempt(member, 'too early', 'filed', '2032-01-31T23:59:59Z')

  const period = { from: at('2032-02-01T00:00:00Z'), to: at('2032-03-01T00:00:00Z') }
  const { rows, total } = await listAttempts(db, period)
  expect(total).toBe(3)
  expect(rows.map((row) => row.id)).toEqual([abandoned.id, filed.id, solved.id])
  expect(rows[1]).toMatchObject({ outcome: 'filed', ticketId: ticket.id, query: 'invoice address', solved: null })
  expect(rows[2]).toEqual({
    id: solved.id,
    createdAt: at('2032-02-02T10:00:00Z'),
    query: 'export csv',
    outcome: 'explicit',
    user: { id: member.id, displayName: 'Hana Sato' },
    account: { id: account.id, name: 'Insights Co' },
    shown: [
      { doc: 'article:3', rank: 1, title: 'Exporting data' },
      { doc: 'question:8', rank: 2, title: 'CSV is empty' },
    ],
    opened: [{ doc: 'article:3', title: 'Exporting data', at: at('2032-02-02T10:00:09Z') }],
    solved: { doc: 'article:3', title: 'Exporting data', at: at('2032-02-02T10:01:00Z') },
    ticketId: null,
  })

  // Filters narrow the list and its total; pages follow the same order.
  const onlyFiled = await listAttempts(db, { ...period, outcome: 'filed' })
  expect(onlyFiled).toMatchObject({ total: 1, rows: [{ id: filed.id }] })
  const onlyAccount = await listAttempts(db, { ...period, accountId: account.id })
  expect(onlyAccount.rows.map((row) => row.id)).toEqual([filed.id, solved.id])
  const second = await listAttempts(db, { ...period, page: 2, perPage: 2 })
  expect(second).toMatchObject({ total: 3, rows: [{ id: solved.id }] })
})

test('queries ending in a ticket are grouped by their normalised subject, tickets beside deflections', async () => {
  const account = await insertAccount(db)
  const member = await insertUser(db, { accountId: account.id })
  const elsewhere = await insertUser(db, { accountId: (await insertAccount(db)).id })
  // One subject in three spellings (case, spaces, full-width letters): 3 tickets, 1 explicit, 1 implicit.
  await attempt(member, 'Export CSV', 'filed', '2033-04-02T00:00:00Z')
  await attempt(member, '  export   csv ', 'filed', '2033-04-03T00:00:00Z')
  await attempt(elsewhere, 'ＥＸＰＯＲＴ ｃｓｖ', 'filed', '2033-04-04T00:00:00Z')
  await attempt(member, 'export csv', 'explicit', '2033-04-05T00:00:00Z')
  await attempt(member, 'EXPORT CSV', 'implicit', '2033-04-06T00:00:00Z')
  // Fewer tickets, filed later; then an equal count filed earlier.
  await attempt(member, 'SSO setup', 'filed', '2033-04-10T00:00:00Z')
  await attempt(member, 'SSO  setup', 'explicit', '2033-04-11T00:00:00Z')
  await attempt(member, '請求書 の 宛名', 'filed', '2033-04-08T00:00:00Z')
  // Never ends in a ticket, or not decided yet, or out of the period: not listed.
  await attempt(member, 'dark mode', 'explicit', '2033-04-02T00:00:00Z')
  await attempt(member, 'api limits', 'pending', '2033-04-02T00:00:00Z')
  await attempt(member, 'api limits', 'abandoned', '2033-04-02T00:00:00Z')
  await attempt(member, 'export csv', 'filed', '2033-05-01T00:00:00Z')

  const period = { from: at('2033-04-01T00:00:00Z'), to: at('2033-05-01T00:00:00Z') }
  expect(await ticketEndingQueries(db, period)).toEqual([
    { normalized: 'export csv', tickets: 3, explicit: 1, implicit: 1, lastFiledAt: at('2033-04-04T00:00:00Z') },
    { normalized: 'sso setup', tickets: 1, explicit: 1, implicit: 0, lastFiledAt: at('2033-04-10T00:00:00Z') },
    { normalized: '請求書 の 宛名', tickets: 1, explicit: 0, implicit: 0, lastFiledAt: at('2033-04-08T00:00:00Z') },
  ])
  expect((await ticketEndingQueries(db, { ...period, limit: 1 })).map((q) => q.normalized)).toEqual(['export csv'])
  // For one account, the other account's ticket is not counted.
  expect((await ticketEndingQueries(db, { ...period, accountId: account.id }))[0]).toMatchObject({
    normalized: 'export csv',
    tickets: 2,
  })
})

test('the insights page data: staff only, a known account, tickets without an account reported', async () => {
  const now = at('2034-06-30T12:00:00Z')
  const staff = await insertStaff(db)
  const account = await insertAccount(db, { name: 'Page Co' })
  const member = await insertUser(db, { accountId: account.id })
  await attempt(member, 'export', 'explicit', '2034-06-20T00:00:00Z')
  await attempt(member, 'export', 'filed', '2034-06-21T00:00:00Z')
  await insertTicket(db, null, { source: 'import', externalId: 'P-1', createdAt: at('2034-06-22T00:00:00Z') })

  expect(await getSupportInsights(db, { actor: member, days: 30, now })).toMatchObject({ ok: false, status: 403 })
  expect(await getSupportInsights(db, { actor: staff, days: 12, now })).toMatchObject({ ok: false, status: 400 })
  expect(await getSupportInsights(db, { actor: staff, days: 30, now, accountId: 999_999 })).toMatchObject({
    ok: false,
    status: 404,
  })

  const all = await getSupportInsights(db, { actor: staff, days: 30, now })
  if (!all.ok) throw new Error(all.code)
  expect(all.value).toMatchObject({
    account: null,
    since: at('2034-05-31T12:00:00Z'),
    until: now,
    figures: { tickets: 2, explicit: 1, filed: 1, deflectionRate: 0.5 },
    byAccount: [{ accountId: account.id, accountName: 'Page Co', tickets: 1 }],
    ticketsWithoutAccount: 1,
    attempts: { total: 2, page: 1 },
    topQueries: [{ normalized: 'export', tickets: 1, explicit: 1 }],
  })

  const one = await getSupportInsights(db, { actor: staff, days: 30, now, accountId: account.id, outcome: 'filed' })
  if (!one.ok) throw new Error(one.code)
  expect(one.value).toMatchObject({
    account: { id: account.id, name: 'Page Co' },
    outcome: 'filed',
    figures: { tickets: 1, deflectionRate: 0.5 },
    ticketsWithoutAccount: 0,
    attempts: { total: 1 },
  })
})
