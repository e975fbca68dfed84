import { randomUUID } from 'node:crypto'
import { and, eq, inArray, like } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertAccount, insertStaff, insertTicket, insertUser } from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { auditLog } from '#db/schema/identity.ts'
import { tickets } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import {
  importTicketsCsv,
  parseIsoInstant,
  TICKET_IMPORT_MAX_BYTES,
  TICKET_IMPORT_MAX_ROWS,
  type TicketImportReport,
} from './import.server.ts'

const now = new Date('2026-06-01T00:00:00Z')

async function importCsv(csv: string, actor?: Awaited<ReturnType<typeof insertStaff>>) {
  const outcome = await importTicketsCsv(db, { actor: actor ?? (await insertStaff(db)), csv, now })
  if (!outcome.ok) throw new Error(outcome.code)
  return outcome.value
}

function ticketsWithPrefix(prefix: string) {
  return db
    .select()
    .from(tickets)
    .where(like(tickets.externalId, `${prefix}%`))
    .orderBy(tickets.externalId)
}

function filedSignals(ticketIds: number[]) {
  return db
    .select()
    .from(activityEvents)
    .where(
      and(
        eq(activityEvents.type, 'ticket_filed'),
        inArray(
          activityEvents.uniqueKey,
          ticketIds.map((id) => `ticket_filed:ticket:${id}`),
        ),
      ),
    )
}

test('new rows become imported tickets credited to the member, else the domain’s account, else nobody', async () => {
  const p = `A${randomUUID().slice(0, 6)}-`
  const domain = `${randomUUID().slice(0, 8)}.example`
  const account = await insertAccount(db, { domains: [domain] })
  const member = await insertUser(db, { accountId: account.id, email: `hana@${domain}` })
  const staff = await insertStaff(db, { locale: 'ja' })
  const report = await importCsv(
    [
      'External ID,Requester_Email,CREATED_AT,status,subject',
      `${p}1,HANA@${domain.toUpperCase()},2026-04-01T09:30:00+09:00,Solved,Cannot export the report`,
      `${p}2,ops@${domain},2026-04-02,open,`,
      `${p}3,someone@unknown-${p}.example,2026-04-03T10:00:00Z,pending,"Quoted, with a comma"`,
    ].join('\n'),
    staff,
  )
  expect(report).toEqual({
    imported: true,
    rows: 3,
    errors: [],
    created: 3,
    updated: 0,
    unchanged: 0,
    matchedUser: 1,
    matchedDomain: 1,
    unmatchedCount: 1,
    unmatched: [{ line: 4, externalId: `${p}3`, email: `someone@unknown-${p.toLowerCase()}.example` }],
  })

  const rows = await ticketsWithPrefix(p)
  expect(rows).toHaveLength(3)
  expect(rows[0]).toMatchObject({
    source: 'import',
    userId: member.id,
    accountId: account.id,
    requesterEmail: `hana@${domain}`,
    subject: 'Cannot export the report',
    status: 'solved',
    createdAt: new Date('2026-04-01T00:30:00Z'),
    resolvedAt: now,
    attemptId: null,
  })
  // No subject: the importer's language names it.
  expect(rows[1]).toMatchObject({
    userId: null,
    accountId: account.id,
    subject: `取り込んだ問い合わせ ${p}2`,
    status: 'open',
    createdAt: new Date('2026-04-02T00:00:00Z'),
    resolvedAt: null,
  })
  expect(rows[2]).toMatchObject({ userId: null, accountId: null, subject: 'Quoted, with a comma' })

  // One ticket_filed signal per credited ticket, at the ticket's creation; none for the unmatched one.
  const signals = await filedSignals(rows.map((row) => row.id))
  expect(
    signals
      .map((s) => ({ userId: s.userId, accountId: s.accountId, occurredAt: s.occurredAt, key: s.uniqueKey }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  ).toEqual(
    [
      {
        userId: member.id,
        accountId: account.id,
        occurredAt: new Date('2026-04-01T00:30:00Z'),
        key: `ticket_filed:ticket:${rows[0]!.id}`,
      },
      {
        userId: null,
        accountId: account.id,
        occurredAt: new Date('2026-04-02T00:00:00Z'),
        key: `ticket_filed:ticket:${rows[1]!.id}`,
      },
    ].sort((a, b) => a.key.localeCompare(b.key)),
  )

  const [audit] = await db.select().from(auditLog).where(eq(auditLog.actorUserId, staff.id))
  expect(audit).toMatchObject({
    action: 'support.tickets_imported',
    details: { rows: 3, created: 3, updated: 0, unchanged: 0, unmatched: 1 },
  })
})

test('a re-import updates statuses in place: no duplicate tickets, no second signal', async () => {
  const p = `B${randomUUID().slice(0, 6)}-`
  const account = await insertAccount(db)
  const member = await insertUser(db, { accountId: account.id, email: `kai@${account.domains[0]}` })
  // A contact-flow ticket the helpdesk already knows by its own id.
  const portal = await insertTicket(db, member, { externalId: `${p}0`, createdAt: new Date('2026-03-01T00:00:00Z') })
  const header = 'external_id,requester_email,created_at,status'
  const first = await importCsv(
    [
      header,
      `${p}1,kai@${account.domains[0]},2026-04-01,open`,
      `${p}2,kai@${account.domains[0]},2026-04-02,solved`,
    ].join('\n'),
  )
  expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0 })
  const [one] = await ticketsWithPrefix(`${p}1`)

  const again = await importCsv(
    [
      header,
      `${p}0,kai@${account.domains[0]},2026-03-01,closed`,
      `${p}1,kai@${account.domains[0]},2026-04-01,solved`,
      `${p}2,kai@${account.domains[0]},2026-04-02,solved`,
    ].join('\n'),
  )
  expect(again).toMatchObject({ imported: true, rows: 3, created: 0, updated: 2, unchanged: 1, unmatchedCount: 0 })

  const rows = await ticketsWithPrefix(p)
  expect(rows.map((row) => [row.externalId, row.source, row.status])).toEqual([
    [`${p}0`, 'portal', 'closed'],
    [`${p}1`, 'import', 'solved'],
    [`${p}2`, 'import', 'solved'],
  ])
  // The portal ticket keeps everything but its status.
  expect(rows[0]).toMatchObject({ id: portal.id, subject: portal.subject, attemptId: null, resolvedAt: now })
  expect(rows[1]!.id).toBe(one!.id)
  // The ledger has one signal per imported ticket, and none was added for the portal one.
  expect(await filedSignals(rows.map((row) => row.id))).toHaveLength(2)
})

test('every bad row is reported by its line and nothing at all is imported', async () => {
  const p = `C${randomUUID().slice(0, 6)}-`
  const report = await importCsv(
    [
      'external_id,requester_email,created_at,status,subject',
      `${p}1,ok@example.com,2026-04-01,open,Fine`,
      `,ok@example.com,2026-04-01,open,No id`,
      `${p}3,not-an-email,2026-04-31,done,Bad email; impossible date; unknown status`,
      `${p}4,ok@example.com,,,Missing date and status`,
      `${p}1,ok@example.com,2026-04-01,open,Same id as line 2`,
      `${p}6,ok@example.com,2027-01-01T00:00:00Z,open,In the future`,
      '',
      `${p}8,ok@example.com,April 1st,closed,${'x'.repeat(301)}`,
    ].join('\n'),
  )
  expect(report.imported).toBe(false)
  expect(report.created).toBe(0)
  const byLine = Object.fromEntries(
    report.errors.map((row) => [row.line, row.messages.map((m) => `${m.field}:${m.code.split('.').pop()}`)]),
  )
  expect(byLine).toEqual({
    3: ['external_id:external_id_missing'],
    4: ['requester_email:email_invalid', 'created_at:created_at_invalid', 'status:status_invalid'],
    5: ['created_at:created_at_missing', 'status:status_missing'],
    6: ['external_id:external_id_duplicate'],
    7: ['created_at:created_at_future'],
    9: ['created_at:created_at_invalid', 'subject:subject_too_long'],
  })
  const duplicate = report.errors.find((row) => row.line === 6)!.messages[0]
  expect(duplicate?.params).toEqual({ line: 2 })
  expect(await ticketsWithPrefix(p)).toHaveLength(0)
})

test('files that cannot be imported as a whole are refused with a reason', async () => {
  const actor = await insertStaff(db)
  const refuse = async (csv: string) => {
    const outcome = await importTicketsCsv(db, { actor, csv, now })
    return outcome.ok ? null : { status: outcome.status, code: outcome.code, params: outcome.params }
  }
  expect(await refuse('external_id,email,created_at\nX-1,a@example.com,2026-01-01')).toEqual({
    status: 400,
    code: 'support_insights.import.missing_columns',
    params: { columns: 'requester_email, status' },
  })
  expect(await refuse('external_id,requester_email,created_at,status\n')).toMatchObject({
    code: 'support_insights.import.empty',
  })
  expect(
    await refuse('external_id,requester_email,created_at,status\n"X-1,a@example.com,2026-01-01,open'),
  ).toMatchObject({
    code: 'support_insights.import.unreadable',
  })

  const header = 'external_id,requester_email,created_at,status\n'
  const tooMany =
    header +
    Array.from({ length: TICKET_IMPORT_MAX_ROWS + 1 }, (_, i) => `M-${i},a@example.com,2026-01-01,open`).join('\n')
  expect(await refuse(tooMany)).toEqual({
    status: 413,
    code: 'support_insights.import.too_many_rows',
    params: { max: TICKET_IMPORT_MAX_ROWS },
  })
  const tooLarge = `${header}L-1,a@example.com,2026-01-01,open,${'x'.repeat(TICKET_IMPORT_MAX_BYTES)}`
  expect(await refuse(tooLarge)).toMatchObject({ status: 413, code: 'support_insights.import.too_large' })
  expect(
    await db
      .select()
      .from(tickets)
      .where(inArray(tickets.externalId, ['M-0', 'L-1'])),
  ).toHaveLength(0)

  const member = await insertUser(db)
  const outcome = await importTicketsCsv(db, { actor: member, csv: `${header}F-1,a@example.com,2026-01-01,open`, now })
  expect(outcome).toMatchObject({ ok: false, status: 403 })
})

test('created_at accepts ISO 8601 dates and date-times, and nothing that names no real instant', () => {
  expect(parseIsoInstant('2026-02-28')).toEqual(new Date('2026-02-28T00:00:00Z'))
  expect(parseIsoInstant('2024-02-29T23:59:59Z')).toEqual(new Date('2024-02-29T23:59:59Z'))
  expect(parseIsoInstant('2026-04-01T09:30:00+09:00')).toEqual(new Date('2026-04-01T00:30:00Z'))
  expect(parseIsoInstant('2026-04-01 09:30-0500')).toEqual(new Date('2026-04-01T14:30:00Z'))
  expect(parseIsoInstant('2026-04-01T09:30:15.250')).toEqual(new Date('2026-04-01T09:30:15.250Z'))
  for (const bad of [
    '2026-02-29',
    '2026-13-01',
    '2026-04-01T24:00:00Z',
    '2026-4-1',
    '01/04/2026',
    '2026-04-01T09:30+25:00',
  ]) {
    expect(parseIsoInstant(bad), bad).toBeNull()
  }
})

test('a large file imports in one go', async () => {
  const p = `D${randomUUID().slice(0, 6)}-`
  const account = await insertAccount(db)
  const rows = Array.from({ length: 1200 }, (_, i) => `${p}${i},user${i}@${account.domains[0]},2026-05-01,open`)
  const report: TicketImportReport = await importCsv(
    ['external_id,requester_email,created_at,status', ...rows].join('\n'),
  )
  expect(report).toMatchObject({ created: 1200, matchedDomain: 1200, unmatchedCount: 0 })
  expect(await ticketsWithPrefix(p)).toHaveLength(1200)
})
