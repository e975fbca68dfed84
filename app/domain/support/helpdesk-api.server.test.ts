import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertTicket, insertUser } from '#app/server/seed/factories/index.ts'
import { tickets } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { parseHelpdeskUpdate, updateTicketFromHelpdesk } from './helpdesk-api.server.ts'

async function ticketRow(id: number) {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id))
  return row!
}

test('resolved_at is set when a ticket is solved, kept when it is then closed, and cleared when it reopens', async () => {
  const member = await insertUser(db)
  const ticket = await insertTicket(db, member)
  const solvedAt = new Date('2026-06-01T10:00:00Z')

  const solved = await updateTicketFromHelpdesk(db, { ticketId: ticket.id, input: { status: 'solved' }, now: solvedAt })
  expect(solved).toMatchObject({
    ok: true,
    value: { id: ticket.id, status: 'solved', resolved_at: solvedAt.toISOString() },
  })
  expect(await ticketRow(ticket.id)).toMatchObject({ status: 'solved', resolvedAt: solvedAt, updatedAt: solvedAt })

  const closedAt = new Date('2026-06-03T10:00:00Z')
  await updateTicketFromHelpdesk(db, { ticketId: ticket.id, input: { status: 'closed' }, now: closedAt })
  expect(await ticketRow(ticket.id)).toMatchObject({ status: 'closed', resolvedAt: solvedAt, updatedAt: closedAt })

  // The same status again changes nothing, not even updated_at.
  await updateTicketFromHelpdesk(db, { ticketId: ticket.id, input: { status: 'closed' }, now: new Date() })
  expect(await ticketRow(ticket.id)).toMatchObject({ updatedAt: closedAt })

  const reopenedAt = new Date('2026-06-04T10:00:00Z')
  const reopened = await updateTicketFromHelpdesk(db, {
    ticketId: ticket.id,
    input: { status: 'pending' },
    now: reopenedAt,
  })
  expect(reopened).toMatchObject({ ok: true, value: { status: 'pending', resolved_at: null } })
  expect(await ticketRow(ticket.id)).toMatchObject({ status: 'pending', resolvedAt: null, updatedAt: reopenedAt })
})

test('an external id is set, cleared with null, and refused when another ticket holds it', async () => {
  const member = await insertUser(db)
  const first = await insertTicket(db, member)
  const second = await insertTicket(db, member)

  expect(await updateTicketFromHelpdesk(db, { ticketId: first.id, input: { external_id: ' ZD-1001 ' } })).toMatchObject(
    { ok: true, value: { external_id: 'ZD-1001' } },
  )
  expect(await updateTicketFromHelpdesk(db, { ticketId: second.id, input: { external_id: 'ZD-1001' } })).toMatchObject({
    ok: false,
    status: 409,
    field: 'external_id',
    fields: { external_id: expect.any(String) },
  })
  expect((await ticketRow(second.id)).externalId).toBeNull()

  // Sending a ticket its own external id again is fine.
  expect(
    await updateTicketFromHelpdesk(db, { ticketId: first.id, input: { external_id: 'ZD-1001', status: 'open' } }),
  ).toMatchObject({ ok: true })
  expect(await updateTicketFromHelpdesk(db, { ticketId: first.id, input: { external_id: null } })).toMatchObject({
    ok: true,
    value: { external_id: null },
  })
  expect(await updateTicketFromHelpdesk(db, { ticketId: second.id, input: { external_id: 'ZD-1001' } })).toMatchObject({
    ok: true,
  })
})

test('an unknown ticket is a 404, and a body that is not a ticket update is a 400 naming each field', async () => {
  expect(await updateTicketFromHelpdesk(db, { ticketId: 987_654, input: { status: 'closed' } })).toMatchObject({
    ok: false,
    status: 404,
  })
  const fieldsOf = (input: unknown) => {
    const parsed = parseHelpdeskUpdate(input)
    return parsed.ok ? null : parsed.fields
  }
  expect(fieldsOf({ status: 'done' })).toEqual({ status: expect.stringContaining('open, pending, solved, closed') })
  expect(fieldsOf({ stauts: 'closed' })).toEqual({ stauts: expect.any(String) })
  expect(fieldsOf({})).toEqual({ _: expect.any(String) })
  expect(fieldsOf([])).toEqual({ _: expect.any(String) })
  expect(fieldsOf('closed')).toEqual({ _: expect.any(String) })
  expect(fieldsOf({ external_id: 42 })).toEqual({ external_id: expect.any(String) })
  expect(fieldsOf({ external_id: '' })).toEqual({ external_id: expect.any(String) })
  expect(fieldsOf({ external_id: 'x'.repeat(201) })).toEqual({ external_id: expect.any(String) })
  expect(fieldsOf({ external_id: 'a\u0000b' })).toEqual({ external_id: expect.any(String) })
  expect(fieldsOf({ status: 'solved', external_id: 'ZD-9' })).toBeNull()

  const member = await insertUser(db)
  const ticket = await insertTicket(db, member)
  expect(await updateTicketFromHelpdesk(db, { ticketId: ticket.id, input: { status: 'nope' } })).toMatchObject({
    ok: false,
    status: 400,
  })
  expect((await ticketRow(ticket.id)).status).toBe('open')
})
