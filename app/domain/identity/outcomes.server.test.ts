import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertAdmin } from '#app/server/seed/factories/index.ts'
import { accountOutcomes, accounts, churnReasonEnum, outcomeKindEnum, outcomeSourceEnum } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import { churnReasons, outcomeSources, recordableKinds } from '../retention/schemas.ts'
import { createAccount, getAccount, updateAccount } from './accounts.server.ts'
import { type ApplyOutcomeInput, applyOutcome, listOutcomes, removeOutcome } from './outcomes.server.ts'
import { AccountSchema } from './schemas.ts'
import { generateToken } from './sessions.server.ts'

const TODAY = '2026-06-15'

async function newAccount(arr = '2400000', extra: Record<string, string> = {}) {
  const admin = await insertAdmin(db)
  const tag = generateToken(6)
  const input = AccountSchema.parse({
    name: `Outcome Co ${tag}`,
    domains: `${tag}.example`,
    arr,
    contractStart: '2025-04-01',
    renewalDate: '2026-04-01',
    ...extra,
  })
  const created = await createAccount(db, { actor: admin, input })
  if (!created.ok) throw new Error(created.code)
  return { admin, id: created.value.id, input }
}

function apply(input: Omit<ApplyOutcomeInput, 'source' | 'recordedById'> & Partial<ApplyOutcomeInput>) {
  return db.transaction((tx) => applyOutcome(tx, { source: 'form', recordedById: null, ...input }, { today: TODAY }))
}

async function account(id: number) {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id))
  return row!
}

test('the lists the browser uses agree with the database enums', () => {
  expect([...recordableKinds, 'new'].sort()).toEqual([...outcomeKindEnum.enumValues].sort())
  expect([...churnReasons]).toEqual([...churnReasonEnum.enumValues])
  expect([...outcomeSources]).toEqual([...outcomeSourceEnum.enumValues])
})

test('creating an account with an ARR writes its new row; the form corrects it while it is the only row', async () => {
  const { admin, id, input } = await newAccount()
  expect(await listOutcomes(db, id)).toMatchObject([
    { kind: 'new', effectiveOn: '2025-04-01', arrBeforeMinor: 0, arrAfterMinor: 2_400_000, source: 'form' },
  ])
  const corrected = await updateAccount(db, {
    actor: admin,
    accountId: id,
    input: { ...input, arr: '2500000', contractStart: '2025-05-01' },
  })
  expect(corrected.ok).toBe(true)
  expect(await listOutcomes(db, id)).toMatchObject([
    { kind: 'new', effectiveOn: '2025-05-01', arrAfterMinor: 2_500_000 },
  ])
  expect((await account(id)).arrMinor).toBe(2_500_000)
  const detail = await getAccount(db, { actor: admin, accountId: id })
  expect(detail.ok && detail.value.arrFollowsOutcomes).toBe(false)
})

test('a renewal, an expansion and a contraction in order: ARR before and after, renewal date, then the form may not change the ARR', async () => {
  const { admin, id, input } = await newAccount()
  const renewal = await apply({
    accountId: id,
    kind: 'renewal',
    effectiveOn: '2026-04-01',
    arrAfterMinor: 2_600_000,
    nextRenewalOn: '2027-04-01',
  })
  expect(renewal).toMatchObject({
    ok: true,
    value: { created: true, outcome: { arrBeforeMinor: 2_400_000, arrAfterMinor: 2_600_000, currency: 'JPY' } },
  })
  expect(
    await apply({ accountId: id, kind: 'expansion', effectiveOn: '2026-05-01', arrAfterMinor: 2_600_000 }),
  ).toMatchObject({ ok: false, code: 'outcomes.errors.must_raise', field: 'arr' })
  await apply({ accountId: id, kind: 'expansion', effectiveOn: '2026-05-01', arrAfterMinor: 3_000_000 })
  await apply({
    accountId: id,
    kind: 'contraction',
    effectiveOn: '2026-06-01',
    arrAfterMinor: 2_800_000,
    reason: 'budget',
  })
  const row = await account(id)
  expect(row).toMatchObject({ arrMinor: 2_800_000, renewalDate: '2027-04-01', churnedAt: null })
  expect((await listOutcomes(db, id)).map((o) => [o.kind, o.arrBeforeMinor, o.arrAfterMinor])).toEqual([
    ['contraction', 3_000_000, 2_800_000],
    ['expansion', 2_600_000, 3_000_000],
    ['renewal', 2_400_000, 2_600_000],
    ['new', 0, 2_400_000],
  ])

  // A backdated row takes the ARR in effect on its own day; later rows keep their ARR before.
  const backdated = await apply({
    accountId: id,
    kind: 'expansion',
    effectiveOn: '2025-10-01',
    arrAfterMinor: 2_500_000,
  })
  expect(backdated).toMatchObject({ ok: true, value: { outcome: { arrBeforeMinor: 2_400_000 } } })
  expect((await listOutcomes(db, id))[1]).toMatchObject({ kind: 'expansion', arrBeforeMinor: 2_600_000 })
  expect((await account(id)).arrMinor).toBe(2_800_000)

  const edited = await updateAccount(db, { actor: admin, accountId: id, input: { ...input, arr: '9000000' } })
  expect(edited).toMatchObject({ ok: false, status: 409, code: 'accounts.arr_from_outcomes', field: 'arr' })
  const same = await updateAccount(db, {
    actor: admin,
    accountId: id,
    input: { ...input, arr: '2800000', plan: 'pro' },
  })
  expect(same.ok).toBe(true)
  const detail = await getAccount(db, { actor: admin, accountId: id })
  expect(detail.ok && detail.value.arrFollowsOutcomes).toBe(true)
})

test('the rules of each kind are refused with their field', async () => {
  const { id } = await newAccount()
  const cases: [Parameters<typeof apply>[0], string, string][] = [
    [
      { accountId: id, kind: 'renewal', effectiveOn: '2026-04-01', arrAfterMinor: 1 },
      'outcomes.errors.next_renewal_required',
      'nextRenewalOn',
    ],
    [
      { accountId: id, kind: 'renewal', effectiveOn: '2026-04-01', arrAfterMinor: 1, nextRenewalOn: '2026-04-01' },
      'outcomes.errors.next_renewal_after',
      'nextRenewalOn',
    ],
    [
      { accountId: id, kind: 'renewal', effectiveOn: '2026-04-01', nextRenewalOn: '2027-04-01' },
      'outcomes.errors.arr_required',
      'arr',
    ],
    [
      { accountId: id, kind: 'contraction', effectiveOn: '2026-04-01', arrAfterMinor: 0 },
      'outcomes.errors.must_lower',
      'arr',
    ],
    [
      { accountId: id, kind: 'contraction', effectiveOn: '2026-04-01', arrAfterMinor: 3_000_000 },
      'outcomes.errors.must_lower',
      'arr',
    ],
    [{ accountId: id, kind: 'churn', effectiveOn: '2026-04-01' }, 'outcomes.errors.reason_required', 'reason'],
    [
      { accountId: id, kind: 'churn', effectiveOn: '2026-04-01', reason: 'price', arrAfterMinor: 5 },
      'outcomes.errors.churn_arr',
      'arr',
    ],
    [
      { accountId: id, kind: 'expansion', effectiveOn: '2026-06-17', arrAfterMinor: 9_000_000 },
      'outcomes.errors.future',
      'effectiveOn',
    ],
    [
      { accountId: id, kind: 'expansion', effectiveOn: '2025-01-01', arrAfterMinor: 9_000_000 },
      'outcomes.errors.no_contract',
      'kind',
    ],
    [
      { accountId: id, kind: 'expansion', effectiveOn: '2026-04-01', arrAfterMinor: 9_000_000, currency: 'USD' },
      'outcomes.errors.currency',
      'currency',
    ],
    [
      { accountId: id, kind: 'expansion', effectiveOn: '2026-04-01', arrAfterMinor: 9_000_000, reason: 'price' },
      'outcomes.errors.reason_not_for_kind',
      'reason',
    ],
    [
      { accountId: id, kind: 'new', effectiveOn: '2026-04-01', arrAfterMinor: 9_000_000 },
      'outcomes.errors.new_after_contract',
      'kind',
    ],
  ]
  for (const [input, code, field] of cases) {
    expect(await apply(input), code).toMatchObject({ ok: false, code, field })
  }
  // Tomorrow is allowed (a team east of UTC records its own today).
  expect(
    (await apply({ accountId: id, kind: 'expansion', effectiveOn: '2026-06-16', arrAfterMinor: 9_000_000 })).ok,
  ).toBe(true)
  expect(await apply({ accountId: 999_999, kind: 'churn', effectiveOn: '2026-04-01', reason: 'price' })).toMatchObject({
    ok: false,
    status: 404,
  })
  expect(await listOutcomes(db, id)).toHaveLength(2)
})

test('a churn ends the ARR, marks the account churned, and only a new contract may follow; removing it restores the account', async () => {
  const { id } = await newAccount()
  await apply({ accountId: id, kind: 'expansion', effectiveOn: '2026-03-01', arrAfterMinor: 3_000_000 })
  expect(await apply({ accountId: id, kind: 'churn', effectiveOn: '2026-02-01', reason: 'price' })).toMatchObject({
    ok: false,
    code: 'outcomes.errors.churn_before_later',
  })
  const churn = await apply({
    accountId: id,
    kind: 'churn',
    effectiveOn: '2026-05-31',
    reason: 'budget',
    note: ' Budget cut ',
  })
  expect(churn).toMatchObject({
    ok: true,
    value: { outcome: { arrBeforeMinor: 3_000_000, arrAfterMinor: 0, note: 'Budget cut' } },
  })
  expect(await account(id)).toMatchObject({ arrMinor: 0, churnedAt: new Date('2026-05-31T00:00:00Z') })
  expect(await apply({ accountId: id, kind: 'expansion', effectiveOn: '2026-06-01', arrAfterMinor: 1 })).toMatchObject({
    ok: false,
    code: 'outcomes.errors.after_churn',
  })
  // A row dated before the churn is fine and leaves the account churned.
  expect(
    (await apply({ accountId: id, kind: 'contraction', effectiveOn: '2026-04-01', arrAfterMinor: 2_000_000 })).ok,
  ).toBe(true)
  expect((await account(id)).churnedAt).not.toBeNull()

  if (!churn.ok) return
  const removed = await db.transaction((tx) => removeOutcome(tx, { accountId: id, outcomeId: churn.value.outcome.id }))
  expect(removed).toMatchObject({ ok: true, value: { account: { arrMinor: 2_000_000, churnedAt: null } } })
  expect(
    await db.transaction((tx) => removeOutcome(tx, { accountId: id, outcomeId: churn.value.outcome.id })),
  ).toMatchObject({ ok: false, status: 404 })

  // Churned again, the customer comes back with a new contract.
  await apply({ accountId: id, kind: 'churn', effectiveOn: '2026-05-01', reason: 'competitor' })
  expect((await apply({ accountId: id, kind: 'new', effectiveOn: '2026-06-01', arrAfterMinor: 1_000_000 })).ok).toBe(
    true,
  )
  expect(await account(id)).toMatchObject({ arrMinor: 1_000_000, churnedAt: null })
})

test('an external id records once, even from two connections at the same time', async () => {
  const { id } = await newAccount()
  const input = {
    accountId: id,
    kind: 'renewal' as const,
    effectiveOn: '2026-04-01',
    arrAfterMinor: 2_600_000,
    nextRenewalOn: '2027-04-01',
    externalId: 'OPP-1',
    source: 'api' as const,
  }
  const [first, second] = await Promise.all([apply(input), apply(input)])
  expect([first, second].map((r) => r.ok && r.value.created).sort()).toEqual([false, true])
  expect(first.ok && second.ok && first.value.outcome.id === second.value.outcome.id).toBe(true)
  // A retry after later rows still answers the first row, without checking the rules again.
  await apply({ accountId: id, kind: 'expansion', effectiveOn: '2026-05-01', arrAfterMinor: 3_000_000 })
  expect(await apply(input)).toMatchObject({ ok: true, value: { created: false } })
  const rows = await db.select().from(accountOutcomes).where(eq(accountOutcomes.accountId, id))
  expect(rows.filter((row) => row.externalId === 'OPP-1')).toHaveLength(1)
})

test('an account given an ARR before outcomes existed gets its new row when the first outcome is recorded', async () => {
  const { id } = await newAccount('')
  await db.update(accounts).set({ arrMinor: 1_000_000, contractStart: '2025-01-01' }).where(eq(accounts.id, id))
  const renewal = await apply({
    accountId: id,
    kind: 'renewal',
    effectiveOn: '2026-01-01',
    arrAfterMinor: 1_200_000,
    nextRenewalOn: '2027-01-01',
  })
  expect(renewal).toMatchObject({ ok: true, value: { outcome: { arrBeforeMinor: 1_000_000 } } })
  expect((await listOutcomes(db, id)).map((row) => [row.kind, row.source])).toEqual([
    ['renewal', 'form'],
    ['new', 'system'],
  ])
})
