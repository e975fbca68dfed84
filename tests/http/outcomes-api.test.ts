import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { verifyWebhookSignature } from '#app/domain/notify/webhooks.server.ts'
import { createApiToken, revokeApiToken } from '#app/domain/support/api-tokens.server.ts'
import { writeCrmSettings } from '#app/domain/support/settings.server.ts'
import { insertAccount, insertAdmin } from '#app/server/seed/factories/index.ts'
import { accountOutcomes, accounts } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { startWebhookReceiver, type WebhookReceiver } from '#tests/webhook-receiver.ts'
import { type AppServer, startApp } from './app-server.ts'

// The CRM's write API over HTTP against the production build: bearer tokens with the `crm` scope,
// JSON errors with a code and the offending key, a bounded body, idempotent external ids, and the
// signed `account.outcome_recorded` webhook received by a real server on loopback.

const CRM_SECRET = 'whsec_http-outcomes-secret'

let app: AppServer
let receiver: WebhookReceiver
let crmToken: string
let healthToken: string
let revokedToken: string

beforeAll(async () => {
  receiver = await startWebhookReceiver()
  const admin = await insertAdmin(db)
  await writeCrmSettings(db, { webhookUrl: receiver.url, webhookSecret: CRM_SECRET }, admin.id)
  const token = async (scopes: ('crm' | 'health')[]) => {
    const created = await createApiToken(db, { actor: admin, name: `CRM ${scopes.join(' ')} ${Math.random()}`, scopes })
    if (!created.ok) throw new Error(created.code)
    return created.value
  }
  crmToken = (await token(['crm'])).token
  healthToken = (await token(['health'])).token
  const revoked = await token(['crm'])
  revokedToken = revoked.token
  await revokeApiToken(db, { actor: admin, tokenId: revoked.apiToken.id })
  app = await startApp({ seed: false, env: { WEBHOOKS_ALLOW_PRIVATE: 'true', RATE_LIMITS: 'off' } })
}, 180_000)

afterAll(async () => {
  await app?.stop()
  await receiver?.close()
})

async function call(
  method: string,
  path: string,
  { token = crmToken, body }: { token?: string | null; body?: unknown } = {},
) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  const response = await fetch(`${app.origin}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null }
}

test('tokens: none or revoked is 401 with a Bearer challenge, a token without the crm scope is 403', async () => {
  const account = await insertAccount(db)
  const path = `/api/v1/accounts/${account.id}/outcomes`
  const body = { kind: 'churn', effective_on: '2026-05-01', reason: 'price' }
  const missing = await call('POST', path, { token: null, body })
  expect(missing.status).toBe(401)
  expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/)
  expect((await call('POST', path, { token: revokedToken, body })).json.error.code).toBe('invalid_token')
  const wrongScope = await call('POST', path, { token: healthToken, body })
  expect(wrongScope.status).toBe(403)
  expect(wrongScope.json.error.code).toBe('insufficient_scope')
  expect(
    (await call('PUT', '/api/v1/accounts/by-external-id/X-1', { token: healthToken, body: { name: 'X' } })).status,
  ).toBe(403)
  expect((await call('GET', path)).status).toBe(405)
  expect(await db.select().from(accountOutcomes).where(eq(accountOutcomes.accountId, account.id))).toEqual([])
})

test('the CRM upserts an account, records a renewal once however often it retries, and the webhook is signed', async () => {
  const externalId = `SF-${Date.now()}`
  const created = await call('PUT', `/api/v1/accounts/by-external-id/${externalId}`, {
    body: { name: `Harbor ${externalId}`, arr: '2400000', currency: 'JPY', contract_start: '2025-04-01', seats: 40 },
  })
  expect(created.status).toBe(201)
  const accountId = created.json.account.id as number
  expect(created.json.account).toMatchObject({
    external_id: externalId,
    arr: { amount_minor: 2_400_000 },
    status: 'active',
  })
  const updated = await call('PUT', `/api/v1/accounts/by-external-id/${externalId}`, { body: { plan: 'enterprise' } })
  expect(updated.status).toBe(200)
  expect(updated.json.created).toBe(false)

  const path = `/api/v1/accounts/${accountId}/outcomes`
  const renewal = {
    kind: 'renewal',
    effective_on: '2026-04-01',
    arr: '2600000.00',
    next_renewal_on: '2027-04-01',
    external_id: 'OPP-77',
  }
  const results = await Promise.all([call('POST', path, { body: renewal }), call('POST', path, { body: renewal })])
  expect(results.map((r) => r.status).sort()).toEqual([200, 201])
  expect(results[0]!.json.outcome.id).toBe(results[1]!.json.outcome.id)
  expect(results[0]!.json.outcome).toMatchObject({
    kind: 'renewal',
    arr_before: { amount_minor: 2_400_000, currency: 'JPY' },
    arr_after: { amount_minor: 2_600_000, currency: 'JPY' },
    next_renewal_on: '2027-04-01',
    source: 'api',
  })
  const rows = await db.select().from(accountOutcomes).where(eq(accountOutcomes.accountId, accountId))
  expect(rows.map((row) => row.kind).sort()).toEqual(['new', 'renewal'])

  const [request] = await receiver.waitFor(1)
  expect(request!.headers['x-webhook-event']).toBe('account.outcome_recorded')
  expect(
    verifyWebhookSignature(
      CRM_SECRET,
      request!.headers['x-webhook-timestamp'] as string,
      request!.body,
      request!.headers['x-signature'] as string,
    ),
  ).toBe(true)
  expect(JSON.parse(request!.body)).toMatchObject({
    event: 'account.outcome_recorded',
    account: {
      id: accountId,
      external_id: externalId,
      arr: { amount_minor: 2_600_000, currency: 'JPY' },
      status: 'active',
    },
    outcome: { kind: 'renewal', external_id: 'OPP-77', effective_on: '2026-04-01' },
  })
  // The retry recorded nothing, so it sent nothing either.
  await new Promise((resolve) => setTimeout(resolve, 500))
  expect(receiver.requests).toHaveLength(1)

  const churn = await call('POST', path, { body: { kind: 'churn', effective_on: '2026-06-30', reason: 'budget' } })
  expect(churn.status).toBe(201)
  expect(churn.json.account).toMatchObject({ status: 'churned', arr: { amount_minor: 0 } })
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId))
  expect(row!.churnedAt).toEqual(new Date('2026-06-30T00:00:00Z'))
})

test('bad input: 400 with a code and the key, 422 for a broken rule, 404, 413 and invalid JSON', async () => {
  const account = await insertAccount(db, { arrMinor: null })
  const path = `/api/v1/accounts/${account.id}/outcomes`
  const fields = await call('POST', path, { body: { kind: 'renewal', effective_on: '2026-02-30', colour: 'red' } })
  expect(fields.status).toBe(400)
  expect(fields.json.error).toMatchObject({ code: 'invalid_body', fields: { colour: expect.any(String) } })
  const missing = await call('POST', path, { body: { kind: 'renewal', effective_on: '2026-04-01' } })
  expect(missing.status).toBe(400)
  expect(missing.json.error).toMatchObject({
    code: 'invalid_fields',
    fields: { arr: 'Enter the new ARR.', next_renewal_on: 'Enter the next renewal day.' },
  })
  const rule = await call('POST', path, {
    body: { kind: 'renewal', effective_on: '2026-04-01', arr: '100', next_renewal_on: '2027-04-01' },
  })
  expect(rule.status).toBe(409)
  expect(rule.json.error).toMatchObject({ code: 'no_contract', fields: { kind: expect.any(String) } })
  const future = await call('POST', path, { body: { kind: 'churn', effective_on: '2999-01-01', reason: 'price' } })
  expect(future.status).toBe(422)
  expect(future.json.error).toMatchObject({
    code: 'future',
    fields: { effective_on: expect.stringMatching(/tomorrow/) },
  })
  expect(
    (
      await call('POST', '/api/v1/accounts/999999999/outcomes', {
        body: { kind: 'churn', effective_on: '2026-01-01', reason: 'price' },
      })
    ).status,
  ).toBe(404)
  expect((await call('POST', path, { body: '{"kind":' })).json.error.code).toBe('invalid_json')
  const huge = await call('POST', path, { body: JSON.stringify({ note: 'x'.repeat(200 * 1024) }) })
  expect(huge.status).toBe(413)
  const unnamed = await call('PUT', '/api/v1/accounts/by-external-id/NEW-NAMELESS', { body: { plan: 'x' } })
  expect(unnamed.status).toBe(400)
  expect(unnamed.json.error.fields).toMatchObject({ name: expect.any(String) })
})
