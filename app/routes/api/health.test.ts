import { RouterContextProvider } from 'react-router'
import { expect, test } from 'vitest'
import type { HealthLevel } from '#app/domain/scoring/settings.ts'
import { type ApiTokenScope, createApiToken, revokeApiToken } from '#app/domain/support/api-tokens.server.ts'
import { databaseContext, localeContext, sessionContext } from '#app/server/context.ts'
import { insertAccount, insertAdmin, insertStaff } from '#app/server/seed/factories/index.ts'
import { accountDomains } from '#db/schema/identity.ts'
import { accountScores } from '#db/schema/scoring.ts'
import { database, db } from '#tests/db.ts'
import { action as accountAction, loader as accountLoader } from './account-health.ts'
import { action as listAction, loader as listLoader } from './health.ts'

// Every snapshot here is on one of two days; the list reads the later one.
const EARLIER = '2026-10-01'
const LATEST = '2026-10-02'

function context() {
  const provider = new RouterContextProvider()
  provider.set(databaseContext, database)
  // The API answers in English whatever the request's language.
  provider.set(localeContext, 'ja')
  provider.set(sessionContext, null)
  return provider
}

async function newToken(scopes: ApiTokenScope[]) {
  const admin = await insertAdmin(db)
  const outcome = await createApiToken(db, { actor: admin, name: `Token ${scopes.join('+')}`, scopes })
  if (!outcome.ok) throw new Error(outcome.code)
  return { admin, token: outcome.value.token, id: outcome.value.apiToken.id }
}

type Call = { method?: string; token?: string | null; authorization?: string }

async function send(
  path: string,
  handler: { loader: (args: never) => Promise<Response>; action: (args: never) => Response | Promise<Response> },
  params: Record<string, string>,
  { method = 'GET', token, authorization }: Call,
) {
  const headers = new Headers()
  if (authorization !== undefined) headers.set('Authorization', authorization)
  else if (token) headers.set('Authorization', `Bearer ${token}`)
  const request = new Request(`http://localhost${path}`, { method, headers })
  const args = { request, context: context(), params } as never
  const response = method === 'GET' || method === 'HEAD' ? await handler.loader(args) : await handler.action(args)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
  return { status: response.status, headers: response.headers, json: await response.json() }
}

function getList(query: string, call: Call = {}) {
  return send(`/api/v1/health${query}`, { loader: listLoader, action: listAction }, {}, call)
}

function getAccount(accountId: number | string, call: Call = {}) {
  return send(
    `/api/v1/accounts/${accountId}/health`,
    { loader: accountLoader, action: accountAction },
    { accountId: String(accountId) },
    call,
  )
}

async function snapshot(accountId: number, day: string, level: HealthLevel) {
  await db.insert(accountScores).values({
    accountId,
    asOf: day,
    level,
    score: level === 'INSUFFICIENT_DATA' ? null : level === 'BAD' ? 20 : level === 'NORMAL' ? 60 : 90,
    coverage: level === 'INSUFFICIENT_DATA' ? 0.2 : 0.9,
    tier: 'low',
    components: [
      {
        measure: 'trend',
        band: level === 'INSUFFICIENT_DATA' ? null : 'BAD',
        value: -45,
        weight: 1,
        score: 0,
        reason: {
          en: 'Activity fell 45% against the previous 30 days',
          ja: '直近 30 日の活動が前の 30 日より 45% 減少',
        },
      },
    ],
    summary: { en: `${level}: activity fell 45%`, ja: `${level}：活動が 45% 減少` },
    change: day === LATEST ? { en: `${level} since 2 Oct`, ja: `10月2日から ${level}` } : null,
    levelSince: day,
    hardRisk: null,
    play: 'workshop_invite',
    playReason: { en: 'Invite them to the next workshop', ja: '次のワークショップに招待する' },
    engagementPoints: 12,
    activeMembers: 2,
    champions: 0,
  })
}

// Five accounts on the latest day: three BAD, one GOOD, one with too little data; one more only earlier.
const fleet = (async () => {
  const csm = await insertStaff(db, { displayName: 'Kenji CSM' })
  const made: { id: number; level: HealthLevel }[] = []
  for (const level of ['BAD', 'GOOD', 'BAD', 'INSUFFICIENT_DATA', 'BAD'] as const) {
    const account = await insertAccount(db, {
      name: `Fleet ${level} ${made.length}`,
      plan: 'enterprise',
      seats: 40,
      arrMinor: 6_000_000,
      renewalDate: '2027-03-31',
      csmUserId: csm.id,
    })
    await snapshot(account.id, EARLIER, 'NORMAL')
    await snapshot(account.id, LATEST, level)
    made.push({ id: account.id, level })
  }
  const gone = await insertAccount(db, { name: 'Fleet earlier only' })
  await snapshot(gone.id, EARLIER, 'BAD')
  return { csm, accounts: made, gone }
})()

test('without a token, or with an unknown or revoked one, both health routes answer 401 with a Bearer challenge', async () => {
  const { accounts } = await fleet
  const { admin, token, id } = await newToken(['health'])
  const accountId = accounts[0]!.id

  for (const call of [getList('?band=BAD'), getAccount(accountId)]) {
    const missing = await call
    expect(missing.status).toBe(401)
    expect(missing.headers.get('WWW-Authenticate')).toBe('Bearer realm="community-api"')
    expect(missing.json).toEqual({ error: { code: 'missing_token', message: expect.stringContaining('Bearer') } })
  }
  for (const authorization of [`Bearer cst_${'Z'.repeat(43)}`, 'Bearer nonsense', `Basic ${token}`]) {
    const list = await getList('', { authorization })
    const one = await getAccount(accountId, { authorization })
    for (const refused of [list, one]) {
      expect(refused.status, authorization).toBe(401)
      expect(refused.headers.get('WWW-Authenticate')).toContain('error="invalid_token"')
      expect(refused.json.error.code).toBe('invalid_token')
    }
  }

  expect((await getAccount(accountId, { token })).status).toBe(200)
  await revokeApiToken(db, { actor: admin, tokenId: id })
  expect(await getList('', { token })).toMatchObject({ status: 401, json: { error: { code: 'invalid_token' } } })
  expect(await getAccount(accountId, { token })).toMatchObject({ status: 401 })
})

test('a helpdesk-only token is 403 insufficient_scope on both health routes', async () => {
  const { accounts } = await fleet
  const { token } = await newToken(['tickets'])
  for (const refused of [await getList('?band=BAD', { token }), await getAccount(accounts[0]!.id, { token })]) {
    expect(refused.status).toBe(403)
    expect(refused.json.error).toEqual({
      code: 'insufficient_scope',
      message: 'This API token does not have the "health" scope this endpoint needs.',
    })
    expect(refused.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="community-api", error="insufficient_scope", scope="health"',
    )
  }
})

test('one account: its latest snapshot with reasons in both languages, change, play and CRM fields', async () => {
  const { accounts, csm } = await fleet
  const { token } = await newToken(['health'])
  const bad = accounts[0]!
  await db.insert(accountDomains).values({ domain: `crm-${bad.id}.example`, accountId: bad.id })

  const answer = await getAccount(bad.id, { token })
  expect(answer.status).toBe(200)
  expect(answer.json).toEqual({
    account: {
      id: bad.id,
      name: 'Fleet BAD 0',
      plan: 'enterprise',
      seats: 40,
      arr: { amount_minor: 6_000_000, currency: 'JPY' },
      contract_start: '2026-01-01',
      renewal_date: '2027-03-31',
      churned_at: null,
      domains: expect.arrayContaining([`crm-${bad.id}.example`]),
      csm: { id: csm.id, display_name: 'Kenji CSM', email: csm.email },
    },
    health: {
      as_of: LATEST,
      level: 'BAD',
      score: 20,
      coverage: 0.9,
      tier: 'low',
      level_since: LATEST,
      summary: { en: 'BAD: activity fell 45%', ja: 'BAD：活動が 45% 減少' },
      change: { en: 'BAD since 2 Oct', ja: '10月2日から BAD' },
      hard_risk: null,
      reasons: [
        {
          measure: 'trend',
          band: 'BAD',
          value: -45,
          weight: 1,
          score: 0,
          reason: {
            en: 'Activity fell 45% against the previous 30 days',
            ja: '直近 30 日の活動が前の 30 日より 45% 減少',
          },
        },
      ],
      play: {
        id: 'workshop_invite',
        reason: { en: 'Invite them to the next workshop', ja: '次のワークショップに招待する' },
      },
      computed_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    },
  })

  // An account whose last snapshot is older answers that one, dated.
  const { gone } = await fleet
  expect((await getAccount(gone.id, { token })).json.health).toMatchObject({ as_of: EARLIER, level: 'BAD' })
})

test('an unknown account, a malformed id and an account without a snapshot are 404', async () => {
  await fleet
  const { token } = await newToken(['health'])
  for (const id of [987_654, 'abc', '0', '99999999999']) {
    const missing = await getAccount(id, { token })
    expect(missing.status, String(id)).toBe(404)
    expect(missing.json.error).toEqual({ code: 'not_found', message: 'There is no account with this id.' })
  }
  const fresh = await insertAccount(db, { name: 'No snapshot yet' })
  const none = await getAccount(fresh.id, { token })
  expect(none.status).toBe(404)
  expect(none.json.error.code).toBe('no_health')
})

test('the list filters the latest day by band and pages with next_cursor without repeats or gaps', async () => {
  const { accounts, gone } = await fleet
  const { token } = await newToken(['health', 'tickets'])
  const badIds = accounts.filter((a) => a.level === 'BAD').map((a) => a.id)

  const all = await getList('?band=BAD', { token })
  expect(all.status).toBe(200)
  expect(all.json).toMatchObject({ as_of: LATEST, band: 'BAD', next_cursor: null })
  expect(all.json.accounts.map((a: { account: { id: number } }) => a.account.id)).toEqual(badIds)
  expect(all.json.accounts[0]).toMatchObject({
    account: { id: badIds[0], plan: 'enterprise', renewal_date: '2027-03-31' },
    health: { as_of: LATEST, level: 'BAD', reasons: [expect.objectContaining({ measure: 'trend' })] },
  })
  // The account with only an earlier snapshot is not on the latest day.
  expect(all.json.accounts.map((a: { account: { id: number } }) => a.account.id)).not.toContain(gone.id)

  const seen: number[] = []
  let cursor: string | null = null
  do {
    const page: Awaited<ReturnType<typeof getList>> = await getList(
      `?band=BAD&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      { token },
    )
    expect(page.status).toBe(200)
    expect(page.json.accounts.length).toBeLessThanOrEqual(2)
    seen.push(...page.json.accounts.map((a: { account: { id: number } }) => a.account.id))
    cursor = page.json.next_cursor
  } while (cursor)
  expect(seen).toEqual(badIds)

  const good = await getList('?band=GOOD', { token })
  expect(good.json.accounts.map((a: { health: { level: string } }) => a.health.level)).toEqual(['GOOD'])
  const unsure = await getList('?band=INSUFFICIENT_DATA', { token })
  expect(unsure.json.accounts).toHaveLength(1)
  expect(unsure.json.accounts[0].health).toMatchObject({ score: null, coverage: 0.2 })
  // Without a band: every account of the latest day.
  expect((await getList('', { token })).json.accounts).toHaveLength(accounts.length)
})

test('a band, limit or cursor that is not one of the allowed values is 400 naming the parameter', async () => {
  await fleet
  const { token } = await newToken(['health'])
  for (const query of ['?band=bad', '?band=WORSE', '?band=', "?band=BAD'--", '?band=GOOD,BAD']) {
    const refused = await getList(query, { token })
    expect(refused.status, query).toBe(400)
    expect(refused.json.error).toEqual({
      code: 'invalid_parameter',
      message: 'band must be one of GOOD, NORMAL, BAD or INSUFFICIENT_DATA.',
      fields: { band: 'band must be one of GOOD, NORMAL, BAD or INSUFFICIENT_DATA.' },
    })
  }
  for (const query of ['?limit=0', '?limit=501', '?limit=ten', '?limit=-1']) {
    const refused = await getList(query, { token })
    expect(refused.status, query).toBe(400)
    expect(refused.json.error).toMatchObject({ code: 'invalid_parameter', fields: { limit: expect.any(String) } })
  }
  expect((await getList('?cursor=abc', { token })).json.error).toMatchObject({ fields: { cursor: expect.any(String) } })
})

test('other methods are 405 with the allowed ones named', async () => {
  const { accounts } = await fleet
  const { token } = await newToken(['health'])
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    for (const refused of [
      await getList('', { method, token }),
      await getAccount(accounts[0]!.id, { method, token }),
    ]) {
      expect(refused.status, method).toBe(405)
      expect(refused.headers.get('Allow')).toBe('GET, HEAD')
      expect(refused.json.error.code).toBe('method_not_allowed')
    }
  }
})
