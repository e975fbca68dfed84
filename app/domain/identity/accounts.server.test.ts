import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertAccount, insertAdmin, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { accounts, auditLog } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import {
  createAccount,
  getAccount,
  importAccountsCsv,
  listAccounts,
  toMinorUnits,
  updateAccount,
} from './accounts.server.ts'
import { type AccountInput, AccountSchema } from './schemas.ts'
import { generateToken } from './sessions.server.ts'

function tag() {
  return generateToken(6)
}

function input(overrides: Record<string, string> = {}): AccountInput {
  const t = tag()
  return AccountSchema.parse({
    name: `Co ${t}`,
    domains: `${t}.example`,
    arr: '1,200,000',
    arrCurrency: 'jpy',
    seats: '40',
    ...overrides,
  })
}

test('ARR is kept in minor units of its currency', () => {
  expect(toMinorUnits('1200000', 'JPY')).toBe(1_200_000)
  expect(toMinorUnits('80000.5', 'USD')).toBe(8_000_050)
  expect(toMinorUnits('10.5', 'JPY')).toBeNull()
  expect(toMinorUnits('2600000.00', 'JPY')).toBe(2_600_000)
  expect(toMinorUnits('1.230', 'USD')).toBe(123)
})

test('the account form schema normalises domains and refuses bad values with catalogue keys', () => {
  expect(AccountSchema.parse({ name: 'A', domains: ' Acme.example, @acme.co.jp ;x.example' }).domains).toEqual([
    'acme.example',
    'acme.co.jp',
    'x.example',
  ])
  const bad = AccountSchema.safeParse({
    name: '',
    domains: 'not a domain',
    arr: '12abc',
    seats: '-1',
    renewalDate: '2026-13-45',
  })
  expect(bad.success).toBe(false)
  const messages = bad.error!.issues.map((i) => `${String(i.path[0])}:${i.message}`)
  expect(messages).toEqual(
    expect.arrayContaining([
      'name:validation.required',
      'domains:validation.domain_invalid',
      'arr:validation.amount_invalid',
      'seats:validation.seats_invalid',
      'renewalDate:validation.date_invalid',
    ]),
  )
})

test('an admin creates an account; members of its domains without an account join it; it is audited', async () => {
  const admin = await insertAdmin(db)
  const staff = await insertStaff(db)
  const values = input()
  const domain = values.domains[0]!
  const loner = await insertUser(db, { email: `loner@${domain}` })
  const created = await createAccount(db, { actor: admin, input: { ...values, csmUserId: staff.id } })
  expect(created.ok).toBe(true)
  if (!created.ok) return
  const detail = await getAccount(db, { actor: admin, accountId: created.value.id })
  expect(detail).toMatchObject({
    ok: true,
    value: {
      account: { name: values.name, arrMinor: 1_200_000, arrCurrency: 'JPY', seats: 40, domains: [domain] },
      csm: { id: staff.id },
      members: [expect.objectContaining({ id: loner.id })],
    },
  })
  const audit = await db
    .select()
    .from(auditLog)
    .where(eq(auditLog.targetId, String(created.value.id)))
  expect(audit[0]).toMatchObject({ action: 'account.created', actorUserId: admin.id })
})

test('names are unique whatever their case; a domain belongs to one account; both errors name their field', async () => {
  const admin = await insertAdmin(db)
  const existing = await insertAccount(db)
  expect(await createAccount(db, { actor: admin, input: input({ name: existing.name.toUpperCase() }) })).toMatchObject({
    ok: false,
    status: 409,
    code: 'accounts.name_taken',
    field: 'name',
  })
  expect(await createAccount(db, { actor: admin, input: input({ domains: existing.domains[0]! }) })).toMatchObject({
    ok: false,
    status: 409,
    code: 'accounts.domain_taken',
    field: 'domains',
  })
})

test('the CSM must be staff; members and staff cannot create or edit accounts', async () => {
  const admin = await insertAdmin(db)
  const member = await insertUser(db)
  const staff = await insertStaff(db)
  expect(await createAccount(db, { actor: admin, input: { ...input(), csmUserId: member.id } })).toMatchObject({
    code: 'accounts.csm_not_staff',
    field: 'csmUserId',
  })
  expect(await createAccount(db, { actor: staff, input: input() })).toMatchObject({ status: 403 })
  expect(await createAccount(db, { actor: member, input: input() })).toMatchObject({ status: 403 })
  const account = await insertAccount(db)
  expect(await updateAccount(db, { actor: staff, accountId: account.id, input: input() })).toMatchObject({
    status: 403,
  })
})

test('editing replaces the domains and the figures', async () => {
  const admin = await insertAdmin(db)
  const account = await insertAccount(db)
  const values = input({ arr: '80000.50', arrCurrency: 'USD', touchTierOverride: 'high' })
  expect(await updateAccount(db, { actor: admin, accountId: account.id, input: values })).toEqual({
    ok: true,
    value: { id: account.id },
  })
  const detail = await getAccount(db, { actor: admin, accountId: account.id })
  expect(detail).toMatchObject({
    ok: true,
    value: { account: { arrMinor: 8_000_050, arrCurrency: 'USD', touchTierOverride: 'high', domains: values.domains } },
  })
  expect(await updateAccount(db, { actor: admin, accountId: 999999, input: input() })).toMatchObject({ status: 404 })
})

test('the account list counts members and filters by name', async () => {
  const staff = await insertStaff(db)
  const t = tag()
  const account = await insertAccount(db, { name: `Listed ${t}` })
  await insertUser(db, { accountId: account.id })
  await insertUser(db, { accountId: account.id })
  const listed = await listAccounts(db, { actor: staff, q: t })
  expect(listed).toMatchObject({ ok: true, value: { total: 1, accounts: [{ name: `Listed ${t}`, members: 2 }] } })
})

test('a CSV import creates and updates the good rows and reports each bad row by its line number', async () => {
  const admin = await insertAdmin(db)
  const staff = await insertStaff(db)
  const existing = await insertAccount(db)
  const [a, b] = [tag(), tag()]
  const csv = [
    'Name,Domains,Plan,ARR,Currency,Seats,Contract_Start,Renewal_Date,CSM_Email,Touch_Tier',
    `New ${a},${a}.example,enterprise,"6,000,000",JPY,120,2026-01-01,2027-01-01,${staff.email},`,
    `${existing.name},"${existing.domains[0]}, more-${a}.example",business,2400000,JPY,30,,,,low`,
    `,${b}.example,starter,10,JPY,5,,,,`,
    `Bad ${b},${b}.example,starter,lots,JPY,5,2026-02-30,,,sometimes`,
    `Dup ${b},"free-${b}.example, ${a}.example",starter,100,JPY,5,,,,`,
    `Nobody ${b},nobody-${b}.example,starter,100,JPY,5,,,not-staff@example.com,`,
  ].join('\n')
  const outcome = await importAccountsCsv(db, { actor: admin, csv })
  expect(outcome.ok).toBe(true)
  if (!outcome.ok) return
  expect(outcome.value).toMatchObject({ created: 1, updated: 1 })
  expect(outcome.value.errors.map((e) => e.line)).toEqual([4, 5, 6, 7])
  expect(outcome.value.errors[0]!.messages).toContainEqual({ code: 'validation.required', field: 'name' })
  expect(outcome.value.errors[1]!.messages.map((m) => m.code)).toEqual(
    expect.arrayContaining(['validation.amount_invalid', 'validation.date_invalid', 'validation.invalid_choice']),
  )
  expect(outcome.value.errors[1]!.messages.map((m) => m.field)).toEqual(
    expect.arrayContaining(['arr', 'contract_start', 'touch_tier']),
  )
  expect(outcome.value.errors[2]!.messages[0]).toEqual({
    code: 'accounts.domain_taken',
    field: 'domains',
    params: { domains: `${a}.example` },
  })
  expect(outcome.value.errors[3]!.messages[0]).toMatchObject({ code: 'accounts.csm_not_staff' })

  const [created] = await db
    .select()
    .from(accounts)
    .where(eq(accounts.name, `New ${a}`))
  expect(created).toMatchObject({ arrMinor: 6_000_000, seats: 120, csmUserId: staff.id })
  const updated = await getAccount(db, { actor: admin, accountId: existing.id })
  expect(updated.ok && updated.value.account).toMatchObject({ plan: 'business', touchTierOverride: 'low' })
  expect(updated.ok && updated.value.account.domains).toContain(`more-${a}.example`)
  const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'accounts.imported')).orderBy(auditLog.id)
  expect(audit).toBeDefined()
})

test('an unreadable, empty or header-less CSV is refused as a whole', async () => {
  const admin = await insertAdmin(db)
  expect(await importAccountsCsv(db, { actor: admin, csv: '' })).toMatchObject({ code: 'accounts.import_empty' })
  expect(await importAccountsCsv(db, { actor: admin, csv: 'plan,seats\nx,1' })).toMatchObject({
    code: 'accounts.import_missing_name',
  })
  expect(await importAccountsCsv(db, { actor: admin, csv: 'name,plan\n"unclosed,x\n' })).toMatchObject({
    code: 'accounts.import_unreadable',
  })
  const member = await insertUser(db)
  expect(await importAccountsCsv(db, { actor: member, csv: 'name\nx' })).toMatchObject({ status: 403 })
})
