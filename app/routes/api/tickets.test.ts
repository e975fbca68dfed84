import { eq } from 'drizzle-orm'
import { RouterContextProvider } from 'react-router'
import { expect, test } from 'vitest'
import { createApiToken, revokeApiToken } from '#app/domain/support/api-tokens.server.ts'
import { databaseContext, localeContext, sessionContext } from '#app/server/context.ts'
import { insertAdmin, insertTicket, insertUser } from '#app/server/seed/factories/index.ts'
import { tickets } from '#db/schema/support.ts'
import { database, db } from '#tests/db.ts'
import { action, loader } from './tickets.ts'

function context() {
  const provider = new RouterContextProvider()
  provider.set(databaseContext, database)
  provider.set(localeContext, 'ja')
  provider.set(sessionContext, null)
  return provider
}

async function newToken() {
  const admin = await insertAdmin(db)
  const outcome = await createApiToken(db, { actor: admin, name: 'Helpdesk', scopes: ['tickets'] })
  if (!outcome.ok) throw new Error(outcome.code)
  return { admin, token: outcome.value.token, id: outcome.value.apiToken.id }
}

type Call = { method?: string; token?: string | null; authorization?: string; body?: string }

async function call(ticketId: number | string, { method = 'PATCH', token, authorization, body }: Call = {}) {
  const headers = new Headers({ 'Content-Type': 'application/json' })
  if (authorization !== undefined) headers.set('Authorization', authorization)
  else if (token) headers.set('Authorization', `Bearer ${token}`)
  const request = new Request(`http://localhost/api/v1/tickets/${ticketId}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  })
  const args = { request, context: context(), params: { ticketId: String(ticketId) } } as never
  const response: Response = method === 'GET' || method === 'HEAD' ? await loader(args) : await action(args)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  return { status: response.status, headers: response.headers, json: await response.json() }
}

test('without a token, or with an unknown, malformed or revoked one, the API answers 401 with a Bearer challenge', async () => {
  const { admin, token, id } = await newToken()
  const ticket = await insertTicket(db, await insertUser(db))
  const body = JSON.stringify({ status: 'closed' })

  const missing = await call(ticket.id, { body })
  expect(missing.status).toBe(401)
  expect(missing.headers.get('WWW-Authenticate')).toMatch(/^Bearer/)
  expect(missing.json).toEqual({ error: { code: 'missing_token', message: expect.any(String) } })

  for (const authorization of [`Bearer cst_${'Z'.repeat(43)}`, 'Bearer nonsense', `Basic ${token}`]) {
    const refused = await call(ticket.id, { authorization, body })
    expect(refused.status, authorization).toBe(401)
    expect(refused.headers.get('WWW-Authenticate')).toContain('error="invalid_token"')
    expect(refused.json.error.code).toBe('invalid_token')
  }
  expect((await call(ticket.id, { method: 'GET', authorization: 'Bearer nonsense' })).status).toBe(401)

  expect((await call(ticket.id, { method: 'GET', token })).status).toBe(200)
  await revokeApiToken(db, { actor: admin, tokenId: id })
  const revoked = await call(ticket.id, { token, body })
  expect(revoked.status).toBe(401)
  expect(revoked.json.error.code).toBe('invalid_token')
  const [row] = await db.select().from(tickets).where(eq(tickets.id, ticket.id))
  expect(row!.status).toBe('open')
})

test('the helpdesk closes a ticket: 200 with the ticket, resolved_at set, and GET shows the same', async () => {
  const { token } = await newToken()
  const member = await insertUser(db)
  const ticket = await insertTicket(db, member, { subject: 'Cannot invite a colleague' })

  const closed = await call(ticket.id, { token, body: JSON.stringify({ status: 'closed', external_id: 'ZD-77' }) })
  expect(closed.status).toBe(200)
  expect(closed.json.ticket).toMatchObject({
    id: ticket.id,
    status: 'closed',
    external_id: 'ZD-77',
    subject: 'Cannot invite a colleague',
    url: `http://localhost:3000/support/tickets/${ticket.id}`,
    requester: { id: member.id, email: member.email },
    resolved_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
  })
  const [row] = await db.select().from(tickets).where(eq(tickets.id, ticket.id))
  expect(row).toMatchObject({ status: 'closed', externalId: 'ZD-77', resolvedAt: expect.any(Date) })

  const read = await call(ticket.id, { method: 'GET', token })
  expect(read.status).toBe(200)
  expect(read.json.ticket).toEqual(closed.json.ticket)
})

test('an unknown ticket is 404, a body that is not JSON or not an update is 400, a taken external id is 409', async () => {
  const { token } = await newToken()
  const member = await insertUser(db)
  const [first, second] = [await insertTicket(db, member), await insertTicket(db, member)]

  for (const id of [987_654, 'abc', '0', '99999999999']) {
    const missing = await call(id, { token, body: JSON.stringify({ status: 'closed' }) })
    expect(missing.status, String(id)).toBe(404)
    expect(missing.json.error.code).toBe('not_found')
  }
  expect((await call(987_654, { method: 'GET', token })).status).toBe(404)

  const notJson = await call(first.id, { token, body: '{"status": "closed"' })
  expect(notJson).toMatchObject({ status: 400, json: { error: { code: 'invalid_json' } } })
  expect((await call(first.id, { token, body: '' })).json.error.code).toBe('invalid_json')

  const badFields = await call(first.id, { token, body: JSON.stringify({ status: 'finished', colour: 'red' }) })
  expect(badFields.status).toBe(400)
  expect(badFields.json.error).toEqual({
    code: 'invalid_fields',
    // The API speaks English whatever the request's language.
    message: expect.stringContaining('fields'),
    fields: { status: expect.any(String), colour: expect.any(String) },
  })
  expect((await call(first.id, { token, body: 'null' })).json.error.code).toBe('invalid_fields')
  expect((await call(first.id, { token, body: 'x'.repeat(70_000) })).status).toBe(413)

  expect((await call(first.id, { token, body: JSON.stringify({ external_id: 'ZD-1' }) })).status).toBe(200)
  const taken = await call(second.id, { token, body: JSON.stringify({ external_id: 'ZD-1' }) })
  expect(taken.status).toBe(409)
  expect(taken.json.error).toMatchObject({ code: 'external_id_taken', fields: { external_id: expect.any(String) } })
})

test('other methods are 405 with the allowed ones named', async () => {
  const { token } = await newToken()
  const ticket = await insertTicket(db, await insertUser(db))
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const refused = await call(ticket.id, { method, token, body: JSON.stringify({ status: 'closed' }) })
    expect(refused.status, method).toBe(405)
    expect(refused.headers.get('Allow')).toBe('GET, HEAD, PATCH')
    expect(refused.json.error.code).toBe('method_not_allowed')
  }
  const [row] = await db.select().from(tickets).where(eq(tickets.id, ticket.id))
  expect(row!.status).toBe('open')
})

test('a CRM token (health scope only) may not read or change tickets: 403 insufficient_scope', async () => {
  const admin = await insertAdmin(db)
  const created = await createApiToken(db, { actor: admin, name: 'CRM', scopes: ['health'] })
  if (!created.ok) throw new Error(created.code)
  const ticket = await insertTicket(db, await insertUser(db))

  for (const method of ['GET', 'PATCH']) {
    const refused = await call(ticket.id, {
      method,
      token: created.value.token,
      body: JSON.stringify({ status: 'closed' }),
    })
    expect(refused.status, method).toBe(403)
    expect(refused.json.error).toEqual({ code: 'insufficient_scope', message: expect.stringContaining('"tickets"') })
    expect(refused.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="community-api", error="insufficient_scope", scope="tickets"',
    )
  }
  const [row] = await db.select().from(tickets).where(eq(tickets.id, ticket.id))
  expect(row!.status).toBe('open')
})
