import { and, desc, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { createAccount } from '#app/domain/identity/accounts.server.ts'
import { AccountSchema } from '#app/domain/identity/schemas.ts'
import { generateToken } from '#app/domain/identity/sessions.server.ts'
import { deliverWebhook, verifyWebhookSignature } from '#app/domain/notify/webhooks.server.ts'
import { createApiToken } from '#app/domain/support/api-tokens.server.ts'
import { writeCrmSettings } from '#app/domain/support/settings.server.ts'
import { insertAdmin, insertStaff } from '#app/server/seed/factories/index.ts'
import { accountOutcomes, accounts, auditLog } from '#db/schema/identity.ts'
import { webhookDeliveries } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { startWebhookReceiver } from '#tests/webhook-receiver.ts'
import {
  importOutcomesCsv,
  recordOutcome,
  recordOutcomeFromApi,
  removeAccountOutcome,
  upsertAccountByExternalId,
} from './outcomes.server.ts'
import { OutcomeFormSchema, OutcomeSchema } from './schemas.ts'

const CRM_SECRET = 'whsec_outcomes-crm-secret'

async function newAccount(arr = '2400000', currency = 'JPY') {
  const admin = await insertAdmin(db)
  const tag = generateToken(6)
  const input = AccountSchema.parse({
    name: `Retention Co ${tag}`,
    domains: `${tag}.example`,
    arr,
    arrCurrency: currency,
    contractStart: '2025-04-01',
  })
  const created = await createAccount(db, { actor: admin, input })
  if (!created.ok) throw new Error(created.code)
  return { admin, id: created.value.id, name: input.name }
}

async function crmCaller(scopes: ('crm' | 'health')[] = ['crm']) {
  const admin = await insertAdmin(db)
  const token = await createApiToken(db, { actor: admin, name: `CRM ${generateToken(4)}`, scopes })
  if (!token.ok) throw new Error(token.code)
  const { id, name, prefix } = token.value.apiToken
  return { id, name, prefix, scopes: token.value.apiToken.scopes }
}

test('the schema asks each kind for its own fields, with catalogue keys', () => {
  const issues = (value: Record<string, string>) => {
    const parsed = OutcomeSchema.safeParse(value)
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0])}:${issue.message}`)
  }
  expect(issues({ kind: 'renewal', effectiveOn: '2026-04-01' })).toEqual([
    'arr:outcomes.errors.arr_required',
    'nextRenewalOn:outcomes.errors.next_renewal_required',
  ])
  expect(issues({ kind: 'churn', effectiveOn: '2026-04-01', nextRenewalOn: '2027-01-01', arr: '5' })).toEqual([
    'arr:outcomes.errors.churn_arr',
    'nextRenewalOn:outcomes.errors.next_renewal_not_for_kind',
    'reason:outcomes.errors.reason_required',
  ])
  expect(issues({ kind: 'party', effectiveOn: '2026-02-30' })).toEqual([
    'kind:outcomes.errors.kind_required',
    'effectiveOn:validation.date_invalid',
  ])
  expect(OutcomeSchema.parse({ kind: 'expansion', effectiveOn: '2026-04-01', arr: '1,200,000.50' }).arr).toBe(
    '1200000.50',
  )
  expect(
    OutcomeFormSchema.safeParse({ intent: 'record-outcome', kind: 'churn', effectiveOn: '2026-04-01', reason: 'price' })
      .success,
  ).toBe(true)
})

test('admins record an outcome from the form: audited, and the CRM webhook is signed and delivered after commit', async () => {
  const receiver = await startWebhookReceiver()
  try {
    const { admin, id, name } = await newAccount('80000', 'USD')
    await writeCrmSettings(db, { webhookUrl: receiver.url, webhookSecret: CRM_SECRET }, admin.id)
    const staff = await insertStaff(db)
    const input = OutcomeSchema.parse({
      kind: 'expansion',
      effectiveOn: '2026-01-10',
      arr: '95000.50',
      note: 'More seats',
    })
    expect(await recordOutcome(db, { actor: staff, accountId: id, input, source: 'form' })).toMatchObject({
      ok: false,
      status: 403,
    })
    const recorded = await recordOutcome(db, { actor: admin, accountId: id, input, source: 'form' })
    expect(recorded).toMatchObject({
      ok: true,
      value: { created: true, outcome: { arrBeforeMinor: 8_000_000, arrAfterMinor: 9_500_050, currency: 'USD' } },
    })
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'account.outcome_recorded'), eq(auditLog.targetId, String(id))))
    expect(audit).toMatchObject({ actorUserId: admin.id, details: { kind: 'expansion', arrAfterMinor: 9_500_050 } })

    const [delivery] = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.accountId, id))
      .orderBy(desc(webhookDeliveries.id))
    expect(delivery).toMatchObject({ target: 'crm', event: 'account.outcome_recorded' })
    expect(await deliverWebhook(db, delivery!.id)).toBe('delivered')
    const request = receiver.requests.at(-1)!
    expect(
      verifyWebhookSignature(
        CRM_SECRET,
        request.headers['x-webhook-timestamp'] as string,
        request.body,
        request.headers['x-signature'] as string,
      ),
    ).toBe(true)
    expect(JSON.parse(request.body)).toMatchObject({
      event: 'account.outcome_recorded',
      delivery_id: delivery!.id,
      account: { id, name, arr: { amount_minor: 9_500_050, currency: 'USD' }, status: 'active' },
      outcome: {
        kind: 'expansion',
        effective_on: '2026-01-10',
        arr_before: { amount_minor: 8_000_000, currency: 'USD' },
        arr_after: { amount_minor: 9_500_050, currency: 'USD' },
        note: 'More seats',
        source: 'form',
      },
    })

    // Removing is an admin's correction, audited; the ARR follows the rows left.
    if (!recorded.ok) return
    expect(
      await removeAccountOutcome(db, { actor: staff, accountId: id, outcomeId: recorded.value.outcome.id }),
    ).toMatchObject({ ok: false, status: 403 })
    expect(
      await removeAccountOutcome(db, { actor: admin, accountId: id, outcomeId: recorded.value.outcome.id }),
    ).toMatchObject({ ok: true, value: { account: { arrMinor: 8_000_000 } } })
    const removedAudit = await db.select().from(auditLog).where(eq(auditLog.action, 'account.outcome_removed'))
    expect(removedAudit.at(-1)).toMatchObject({ actorUserId: admin.id, details: { kind: 'expansion' } })
  } finally {
    await receiver.close()
  }
})

test('the CRM records through the API: scope, field errors by key, idempotent external id', async () => {
  const { id } = await newAccount()
  const caller = await crmCaller()
  const body = {
    kind: 'renewal',
    effective_on: '2026-04-01',
    arr: '2600000',
    next_renewal_on: '2027-04-01',
    external_id: 'OPP-9',
  }
  const first = await recordOutcomeFromApi(db, { apiCaller: caller, accountId: id, body })
  expect(first).toMatchObject({
    ok: true,
    value: { created: true, outcome: { kind: 'renewal', external_id: 'OPP-9' } },
  })
  const again = await recordOutcomeFromApi(db, { apiCaller: caller, accountId: id, body })
  expect(again).toMatchObject({ ok: true, value: { created: false } })
  expect(await db.select().from(accountOutcomes).where(eq(accountOutcomes.accountId, id))).toHaveLength(2)

  expect(
    await recordOutcomeFromApi(db, { apiCaller: caller, accountId: id, body: { ...body, colour: 'red', arr: true } }),
  ).toMatchObject({
    ok: false,
    status: 400,
    fields: { colour: 'outcomes.api.unknown_field', arr: 'outcomes.api.wrong_type' },
  })
  expect(
    await recordOutcomeFromApi(db, {
      apiCaller: caller,
      accountId: id,
      body: { kind: 'churn', effective_on: '2026-05-01' },
    }),
  ).toMatchObject({ ok: false, status: 400, fields: { reason: 'outcomes.errors.reason_required' } })
  expect(
    await recordOutcomeFromApi(db, {
      apiCaller: caller,
      accountId: id,
      body: { kind: 'expansion', effective_on: '2026-05-01', arr: '100' },
    }),
  ).toMatchObject({
    ok: false,
    status: 400,
    code: 'outcomes.errors.must_raise',
    fields: { arr: 'outcomes.errors.must_raise' },
  })
  const health = await crmCaller(['health'])
  expect(await recordOutcomeFromApi(db, { apiCaller: health, accountId: id, body })).toMatchObject({
    ok: false,
    status: 403,
  })
})

test('the CRM upserts accounts by its own id: 201 then 200, ARR only while it is the first', async () => {
  const caller = await crmCaller()
  const externalId = `CRM-${generateToken(6)}`
  const name = `CRM Account ${externalId}`
  const created = await upsertAccountByExternalId(db, {
    apiCaller: caller,
    externalId,
    body: {
      name,
      arr: 1200000,
      currency: 'JPY',
      domains: [`${externalId.toLowerCase()}.example`],
      seats: 30,
      contract_start: '2025-01-01',
    },
  })
  expect(created).toMatchObject({
    ok: true,
    value: { created: true, account: { name, external_id: externalId, status: 'active' } },
  })
  if (!created.ok) return
  const accountId = created.value.account.id
  expect(await db.select().from(accountOutcomes).where(eq(accountOutcomes.accountId, accountId))).toMatchObject([
    { kind: 'new', arrAfterMinor: 1_200_000, source: 'api' },
  ])
  const updated = await upsertAccountByExternalId(db, {
    apiCaller: caller,
    externalId,
    body: { name, arr: '1300000', plan: 'pro' },
  })
  expect(updated).toMatchObject({ ok: true, value: { created: false, account: { arr: { amount_minor: 1_300_000 } } } })
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId))
  expect(row).toMatchObject({ plan: 'pro', seats: 30 })

  await recordOutcomeFromApi(db, {
    apiCaller: caller,
    accountId,
    body: { kind: 'expansion', effective_on: '2026-05-01', arr: '2000000' },
  })
  expect(await upsertAccountByExternalId(db, { apiCaller: caller, externalId, body: { arr: '5' } })).toMatchObject({
    ok: false,
    status: 409,
    fields: { arr: 'accounts.arr_from_outcomes' },
  })
  expect(
    await upsertAccountByExternalId(db, { apiCaller: caller, externalId: 'NEW-1', body: { plan: 'x' } }),
  ).toMatchObject({
    ok: false,
    status: 400,
    fields: { name: 'validation.required' },
  })
})

test('an outcome import records the good rows, skips what was recorded, and reports each bad line', async () => {
  const { admin, id, name } = await newAccount()
  const other = await newAccount('1000000')
  const csv = [
    'account,kind,effective_on,arr,next_renewal_on,reason,note,external_id',
    `${name.toUpperCase()},renewal,2026-04-01,2600000,2027-04-01,,,IMP-1`,
    `${name},expansion,2026-05-01,100,,,,IMP-2`,
    `No such account,churn,2026-05-01,,,price,,IMP-3`,
    `${other.name},churn,2026-05-31,,,budget,Budget cut,IMP-4`,
    `${other.name},churn,not-a-day,,,price,,`,
  ].join('\n')
  const first = await importOutcomesCsv(db, { actor: admin, csv })
  expect(first).toMatchObject({
    ok: true,
    value: {
      recorded: 2,
      skipped: 0,
      errors: [
        { line: 3, messages: [{ code: 'outcomes.errors.must_raise', field: 'arr' }] },
        { line: 4, messages: [{ code: 'outcomes.import.account_not_found', field: 'account' }] },
        { line: 6, messages: [{ code: 'validation.date_invalid', field: 'effective_on' }] },
      ],
    },
  })
  const [churned] = await db.select().from(accounts).where(eq(accounts.id, other.id))
  expect(churned!.churnedAt).toEqual(new Date('2026-05-31T00:00:00Z'))
  const again = await importOutcomesCsv(db, { actor: admin, csv: csv.split('\n').slice(0, 2).join('\n') })
  expect(again).toMatchObject({ ok: true, value: { recorded: 0, skipped: 1, errors: [] } })
  expect(await db.select().from(accountOutcomes).where(eq(accountOutcomes.accountId, id))).toHaveLength(2)
  expect(await importOutcomesCsv(db, { actor: admin, csv: 'name,arr\nx,1' })).toMatchObject({
    ok: false,
    code: 'outcomes.import.missing_columns',
  })
  expect(await importOutcomesCsv(db, { actor: await insertStaff(db), csv })).toMatchObject({ ok: false, status: 403 })
})
