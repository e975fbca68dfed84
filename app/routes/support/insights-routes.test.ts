import { randomUUID } from 'node:crypto'
import { like } from 'drizzle-orm'
import { expect, test } from 'vitest'
import type { SessionUser } from '#app/domain/identity/permissions.ts'
import { TICKET_IMPORT_MAX_BYTES } from '#app/domain/support/import.server.ts'
import {
  insertAccount,
  insertAttempt,
  insertStaff,
  insertTicket,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { tickets } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { action as importAction, loader as importLoader } from './import.tsx'
import { loader as insightsLoader } from './insights.tsx'

function insights(query: string, user: SessionUser | null) {
  const request = new Request(`http://localhost/support/insights${query}`)
  return settle(() => insightsLoader({ request, context: routeContext(user), params: {} } as never))
}

function upload(user: SessionUser, fields: { file?: File; csv?: string }) {
  const body = new FormData()
  if (fields.file) body.set('file', fields.file)
  body.set('csv', fields.csv ?? '')
  const request = new Request('http://localhost/support/import', { method: 'POST', body })
  return settle(() => importAction({ request, context: routeContext(user), params: {} } as never))
}

test('support insights are for staff; filters from the address narrow the figures, and bad ones are ignored', async () => {
  const staff = await insertStaff(db)
  const account = await insertAccount(db, { name: `Route Co ${randomUUID().slice(0, 6)}` })
  const member = await insertUser(db, { accountId: account.id })
  const attempt = await insertAttempt(db, member, { outcome: 'filed', query: 'route subject' })
  await insertTicket(db, member, { attemptId: attempt.id })
  await insertAttempt(db, member, { outcome: 'explicit', query: 'route subject' })
  await insertTicket(db, null, { source: 'import', externalId: `R-${randomUUID()}` })

  expect((await insights('', member)).status).toBe(403)
  expect((await insights('', null)).status).toBe(302)

  const narrowed = await insights(`?days=7&account=${account.id}&outcome=filed`, staff)
  expect(narrowed).toMatchObject({
    status: 200,
    body: {
      days: 7,
      account: { id: account.id },
      outcome: 'filed',
      figures: { tickets: 1, explicit: 1, filed: 1, deflectionRate: 0.5 },
      attempts: { total: 1 },
      // Staff import and read the delivery log; the cost setting is a manager's, the hand-off an admin's.
      links: { import: true, deliveries: true, settings: false, cost: false },
    },
  })

  const fallback = await insights('?days=12&account=abc&outcome=won&page=-1', staff)
  expect(fallback).toMatchObject({ status: 200, body: { days: 30, account: null, outcome: null } })
  const all = fallback.body as { figures: { tickets: number }; byAccount: { accountId: number }[] }
  expect(all.figures.tickets).toBeGreaterThanOrEqual(2)
  expect(all.byAccount.map((row) => row.accountId)).toContain(account.id)

  expect((await insights('?account=999999999', staff)).status).toBe(404)
  const manager = await insertUser(db, { role: 'manager' })
  expect(await insights('', manager)).toMatchObject({ body: { links: { settings: false, cost: true } } })
})

test('a CSV file uploaded without JavaScript is imported, and the result summarised', async () => {
  const staff = await insertStaff(db)
  const p = `U${randomUUID().slice(0, 6)}-`
  const csv = `external_id,requester_email,created_at,status\n${p}1,a@example.com,2026-01-05,open\n${p}2,b@example.com,2026-01-06,solved\n`
  const file = new File([new TextEncoder().encode(csv)], 'tickets.csv', { type: 'text/csv' })

  expect(
    (
      await settle(() =>
        importLoader({
          request: new Request('http://localhost/support/import'),
          context: routeContext(staff),
          params: {},
        } as never),
      )
    ).status,
  ).toBe(200)
  const done = await upload(staff, { file })
  expect(done).toMatchObject({ status: 200, body: { error: null, report: { imported: true, created: 2 } } })
  expect(
    await db
      .select()
      .from(tickets)
      .where(like(tickets.externalId, `${p}%`)),
  ).toHaveLength(2)

  // A file in Shift_JIS (as Excel saves Japanese CSV) is read as such.
  const sjis = new Uint8Array([
    ...new TextEncoder().encode(
      `external_id,requester_email,created_at,status,subject\n${p}3,c@example.com,2026-01-07,open,`,
    ),
    // 請求 in Shift_JIS
    0x90,
    0xbf,
    0x8b,
    0x81,
  ])
  const fromExcel = await upload(staff, { file: new File([sjis], 'excel.csv') })
  expect(fromExcel).toMatchObject({ status: 200, body: { report: { created: 1 } } })
  const [excel] = await db
    .select()
    .from(tickets)
    .where(like(tickets.externalId, `${p}3`))
  expect(excel?.subject).toBe('請求')
})

test('bad uploads are refused with a reason, keeping pasted text; members cannot import', async () => {
  const staff = await insertStaff(db)
  // Browsers send a textarea's line breaks as CRLF.
  const pasted = 'external_id,requester_email,created_at,status\r\nX-1,not-an-email,2026-01-05,open'
  expect(await upload(staff, { csv: pasted })).toMatchObject({
    status: 400,
    body: { csv: pasted, report: { imported: false, errors: [{ line: 2 }] } },
  })
  expect(await upload(staff, { csv: '  ' })).toMatchObject({
    status: 400,
    body: { error: { code: 'support_insights.import.nothing' } },
  })
  const big = new File([new Uint8Array(TICKET_IMPORT_MAX_BYTES + 1).fill(0x61)], 'big.csv')
  expect(await upload(staff, { file: big, csv: pasted })).toMatchObject({
    status: 413,
    body: { csv: pasted, error: { code: 'support_insights.import.too_large', params: { megabytes: 2 } } },
  })
  const member = await insertUser(db)
  expect((await upload(member, { csv: pasted })).status).toBe(403)
})
