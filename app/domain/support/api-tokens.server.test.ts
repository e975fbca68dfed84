import { and, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertAdmin, insertUser } from '#app/server/seed/factories/index.ts'
import { auditLog } from '#db/schema/identity.ts'
import { apiTokens } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { authenticateApiToken, createApiToken, listApiTokens, revokeApiToken } from './api-tokens.server.ts'

async function newToken(name = 'Zendesk production', scopes: string[] = ['tickets']) {
  const admin = await insertAdmin(db)
  const outcome = await createApiToken(db, { actor: admin, name, scopes })
  if (!outcome.ok) throw new Error(outcome.code)
  return { admin, ...outcome.value }
}

test('a new token is shown once; only its hash and first characters are stored; it authenticates', async () => {
  const { admin, token, apiToken } = await newToken('  Zendesk production  ')
  expect(token).toMatch(/^cst_[A-Za-z0-9_-]{43}$/)
  expect(apiToken).toMatchObject({
    name: 'Zendesk production',
    prefix: token.slice(0, 12),
    scopes: ['tickets'],
    revokedAt: null,
  })

  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id))
  expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/)
  expect(JSON.stringify(row)).not.toContain(token)
  expect(row!.createdById).toBe(admin.id)
  expect(row!.lastUsedAt).toBeNull()

  const now = new Date('2026-06-01T09:00:00Z')
  expect(await authenticateApiToken(db, `Bearer ${token}`, 'tickets', now)).toEqual({
    ok: true,
    value: { id: apiToken.id, name: 'Zendesk production', prefix: apiToken.prefix, scopes: ['tickets'] },
  })
  expect(await authenticateApiToken(db, `bearer   ${token}`, 'tickets', now)).toMatchObject({
    ok: true,
    value: { id: apiToken.id },
  })
  const [used] = await db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id))
  expect(used!.lastUsedAt).toEqual(now)

  // Within the same minute the use is not written again; later it is.
  await authenticateApiToken(db, `Bearer ${token}`, 'tickets', new Date(now.getTime() + 30_000))
  const [same] = await db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id))
  expect(same!.lastUsedAt).toEqual(now)
  const later = new Date(now.getTime() + 5 * 60_000)
  await authenticateApiToken(db, `Bearer ${token}`, 'tickets', later)
  const [moved] = await db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id))
  expect(moved!.lastUsedAt).toEqual(later)

  const audit = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'support.api_token_created'), eq(auditLog.targetId, String(apiToken.id))))
  expect(audit).toHaveLength(1)
  expect(JSON.stringify(audit[0]!.details)).not.toContain(token)
})

test('a missing, malformed, unknown or revoked token authenticates nobody', async () => {
  const { admin, token, apiToken } = await newToken()
  const unknown = `cst_${'A'.repeat(43)}`
  for (const header of [null, undefined, '', '   ']) {
    expect(await authenticateApiToken(db, header, 'tickets'), String(header)).toMatchObject({
      ok: false,
      status: 401,
      code: 'support_helpdesk.api.missing_token',
    })
  }
  for (const header of [
    'Bearer',
    'Bearer ',
    token,
    `Basic ${token}`,
    `Bearer ${token} extra`,
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${unknown}`,
    "Bearer cst_' or 1=1 --",
    `Bearer ${'x'.repeat(10_000)}`,
  ]) {
    expect(await authenticateApiToken(db, header, 'tickets'), String(header).slice(0, 40)).toMatchObject({
      ok: false,
      status: 401,
      code: 'support_helpdesk.api.invalid_token',
    })
  }

  expect(await revokeApiToken(db, { actor: admin, tokenId: apiToken.id })).toMatchObject({ ok: true })
  expect(await authenticateApiToken(db, `Bearer ${token}`, 'tickets')).toMatchObject({
    ok: false,
    status: 401,
    code: 'support_helpdesk.api.invalid_token',
  })
  // Revoking again changes nothing and is not audited twice.
  expect(await revokeApiToken(db, { actor: admin, tokenId: apiToken.id })).toMatchObject({ ok: true })
  const audit = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'support.api_token_revoked'), eq(auditLog.targetId, String(apiToken.id))))
  expect(audit).toHaveLength(1)
  expect(await revokeApiToken(db, { actor: admin, tokenId: 987_654 })).toMatchObject({ ok: false, status: 404 })
})

test('only admins create, list and revoke tokens; a name is required', async () => {
  const { apiToken } = await newToken('Freshdesk')
  const manager = await insertUser(db, { role: 'manager' })
  expect(await createApiToken(db, { actor: manager, name: 'Mine', scopes: ['tickets'] })).toMatchObject({
    ok: false,
    status: 403,
  })
  expect(await revokeApiToken(db, { actor: manager, tokenId: apiToken.id })).toMatchObject({ ok: false, status: 403 })

  const admin = await insertAdmin(db)
  expect(await createApiToken(db, { actor: admin, name: '   ', scopes: ['tickets'] })).toMatchObject({
    ok: false,
    status: 400,
    code: 'support_helpdesk.tokens.name_required',
    field: 'name',
  })
  expect(await createApiToken(db, { actor: admin, name: 'x'.repeat(81), scopes: ['tickets'] })).toMatchObject({
    ok: false,
    code: 'support_helpdesk.tokens.name_too_long',
  })

  const listed = await listApiTokens(db)
  const entry = listed.find((token) => token.id === apiToken.id)
  expect(entry).toMatchObject({ name: 'Freshdesk', prefix: apiToken.prefix, scopes: ['tickets'], revokedAt: null })
  expect(entry!.createdByName).toEqual(expect.any(String))
  expect(Object.keys(entry!)).not.toContain('tokenHash')
})

test('a token can use only its scopes: 403 insufficient_scope for a live token without the scope, and no use noted', async () => {
  const helpdesk = await newToken('Zendesk', ['tickets'])
  const crm = await newToken('Salesforce', ['health'])
  const both = await newToken('Integration hub', ['health', 'tickets', 'health'])
  expect(both.apiToken.scopes).toEqual(['tickets', 'health'])

  expect(await authenticateApiToken(db, `Bearer ${helpdesk.token}`, 'health')).toMatchObject({
    ok: false,
    status: 403,
    code: 'support_helpdesk.api.insufficient_scope',
    params: { scope: 'health' },
  })
  expect(await authenticateApiToken(db, `Bearer ${crm.token}`, 'tickets')).toMatchObject({
    ok: false,
    status: 403,
    params: { scope: 'tickets' },
  })
  const [refused] = await db.select().from(apiTokens).where(eq(apiTokens.id, crm.apiToken.id))
  expect(refused!.lastUsedAt).toBeNull()

  expect(await authenticateApiToken(db, `Bearer ${crm.token}`, 'health')).toMatchObject({
    ok: true,
    value: { scopes: ['health'] },
  })
  for (const scope of ['tickets', 'health'] as const) {
    expect((await authenticateApiToken(db, `Bearer ${both.token}`, scope)).ok, scope).toBe(true)
  }

  // A revoked token is 401 whatever its scopes: revocation wins over scope.
  await revokeApiToken(db, { actor: crm.admin, tokenId: crm.apiToken.id })
  expect(await authenticateApiToken(db, `Bearer ${crm.token}`, 'tickets')).toMatchObject({ status: 401 })

  const audit = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'support.api_token_created'), eq(auditLog.targetId, String(crm.apiToken.id))))
  expect(audit[0]!.details).toMatchObject({ scopes: ['health'] })
})

test('a token needs at least one known scope; the database refuses anything else too', async () => {
  const admin = await insertAdmin(db)
  for (const scopes of [[], ['admin'], ['tickets', 'everything']]) {
    expect(await createApiToken(db, { actor: admin, name: 'Bad', scopes }), JSON.stringify(scopes)).toMatchObject({
      ok: false,
      status: 400,
      code: 'support_helpdesk.tokens.scopes_required',
      field: 'scopes',
    })
  }
  const { apiToken } = await newToken('Checked')
  await expect(db.update(apiTokens).set({ scopes: [] }).where(eq(apiTokens.id, apiToken.id))).rejects.toThrow()
  await expect(
    db
      .update(apiTokens)
      .set({ scopes: ['tickets', 'root' as never] })
      .where(eq(apiTokens.id, apiToken.id)),
  ).rejects.toThrow()
})
