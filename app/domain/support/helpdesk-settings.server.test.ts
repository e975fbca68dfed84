import { and, desc, eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertAdmin, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { auditLog } from '#db/schema/identity.ts'
import { db } from '#tests/db.ts'
import {
  CostSettingsSchema,
  costAmountText,
  rotateWebhookSecret,
  saveCostPerTicket,
  saveCrmSettings,
  saveHandOffSettings,
} from './helpdesk-settings.server.ts'
import { readCostPerTicket, readCrmSettings, readHelpdeskSettings, writeHelpdeskSettings } from './settings.server.ts'

async function lastAudit(action: string) {
  const [row] = await db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.id)).limit(1)
  return row
}

test('an admin sets the webhook and support address; the first webhook gets a signing secret that later saves keep', async () => {
  const admin = await insertAdmin(db)
  const saved = await saveHandOffSettings(db, {
    actor: admin,
    input: { webhookUrl: ' https://helpdesk.example/hooks ', supportEmail: 'support@example.com' },
  })
  expect(saved).toMatchObject({
    ok: true,
    value: { webhookUrl: 'https://helpdesk.example/hooks', supportEmail: 'support@example.com' },
  })
  const settings = await readHelpdeskSettings(db)
  expect(settings.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
  const audit = await lastAudit('support.helpdesk_changed')
  expect(audit).toMatchObject({
    actorUserId: admin.id,
    details: { to: { webhookUrl: 'https://helpdesk.example/hooks', supportEmail: 'support@example.com' } },
  })
  expect(JSON.stringify(audit!.details)).not.toContain(settings.webhookSecret!)

  await saveHandOffSettings(db, { actor: admin, input: { webhookUrl: 'http://10.0.0.5:8080/in', supportEmail: '' } })
  expect(await readHelpdeskSettings(db)).toEqual({
    webhookUrl: 'http://10.0.0.5:8080/in',
    webhookSecret: settings.webhookSecret,
    supportEmail: null,
  })

  const rotated = await rotateWebhookSecret(db, { actor: admin })
  expect(rotated.ok && rotated.value.webhookSecret).toMatch(/^whsec_/)
  expect((await readHelpdeskSettings(db)).webhookSecret).not.toBe(settings.webhookSecret)
  expect(await lastAudit('support.webhook_secret_rotated')).toMatchObject({ actorUserId: admin.id })

  // Clearing both turns the hand-off off.
  await saveHandOffSettings(db, { actor: admin, input: { webhookUrl: '', supportEmail: null } })
  expect(await readHelpdeskSettings(db)).toMatchObject({ webhookUrl: null, supportEmail: null })
})

test('a webhook that is not an http(s) address or a malformed email is refused next to its field, and nothing is saved', async () => {
  const admin = await insertAdmin(db)
  await saveHandOffSettings(db, { actor: admin, input: { webhookUrl: 'https://ok.example/', supportEmail: 'a@b.co' } })
  for (const webhookUrl of [
    'ftp://files.example/',
    'javascript:alert(1)',
    'helpdesk.example/hooks',
    'https://',
    'x'.repeat(3000),
  ]) {
    const outcome = await saveHandOffSettings(db, { actor: admin, input: { webhookUrl } })
    expect(outcome, webhookUrl.slice(0, 30)).toMatchObject({ ok: false, status: 400, field: 'webhookUrl' })
  }
  for (const supportEmail of ['support', 'support@', 'a b@example.com', 'Support <s@example.com>']) {
    const outcome = await saveHandOffSettings(db, { actor: admin, input: { supportEmail } })
    expect(outcome, supportEmail).toMatchObject({ ok: false, field: 'supportEmail', code: 'validation.email_invalid' })
  }
  expect(await readHelpdeskSettings(db)).toMatchObject({ webhookUrl: 'https://ok.example/', supportEmail: 'a@b.co' })
})

test('managers set the cost per ticket but not the hand-off; staff set neither', async () => {
  const manager = await insertUser(db, { role: 'manager' })
  const staff = await insertStaff(db)
  expect(await saveHandOffSettings(db, { actor: manager, input: { webhookUrl: 'https://x.example/' } })).toMatchObject({
    ok: false,
    status: 403,
  })
  expect(await rotateWebhookSecret(db, { actor: manager })).toMatchObject({ ok: false, status: 403 })
  expect(await saveCostPerTicket(db, { actor: staff, cost: { amountMinor: 1, currency: 'JPY' } })).toMatchObject({
    ok: false,
    status: 403,
  })

  expect(await readCostPerTicket(db)).toEqual({ amountMinor: 2500, currency: 'JPY' })
  expect(await saveCostPerTicket(db, { actor: manager, cost: { amountMinor: 4200, currency: 'USD' } })).toEqual({
    ok: true,
    value: { amountMinor: 4200, currency: 'USD' },
  })
  expect(await readCostPerTicket(db)).toEqual({ amountMinor: 4200, currency: 'USD' })
  expect(await lastAudit('support.cost_changed')).toMatchObject({
    actorUserId: manager.id,
    details: { from: { amountMinor: 2500, currency: 'JPY' }, to: { amountMinor: 4200, currency: 'USD' } },
  })
  expect(await saveCostPerTicket(db, { actor: manager, cost: { amountMinor: -5, currency: 'USD' } })).toMatchObject({
    ok: false,
    field: 'amount',
  })
  expect(await saveCostPerTicket(db, { actor: manager, cost: { amountMinor: 5, currency: 'ABC' } })).toMatchObject({
    ok: false,
    field: 'currency',
  })
  expect(await readCostPerTicket(db)).toEqual({ amountMinor: 4200, currency: 'USD' })
  const audits = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'support.cost_changed'), eq(auditLog.actorUserId, manager.id)))
  expect(audits).toHaveLength(1)
})

test('the cost form reads major units in the currency and turns them into minor units', () => {
  const parse = (amount: string | undefined, currency: string) => {
    const result = CostSettingsSchema.safeParse({ amount, currency })
    return result.success ? result.data : result.error.issues.map((issue) => `${issue.path.join('.')}:${issue.message}`)
  }
  expect(parse('2,500', 'jpy')).toEqual({ amountMinor: 2500, currency: 'JPY' })
  expect(parse(' 12.50 ', 'USD')).toEqual({ amountMinor: 1250, currency: 'USD' })
  expect(parse('12.5', 'USD')).toEqual({ amountMinor: 1250, currency: 'USD' })
  expect(parse('0', 'EUR')).toEqual({ amountMinor: 0, currency: 'EUR' })
  expect(parse('12.5', 'JPY')).toEqual(['amount:support_helpdesk.validation.amount_decimals'])
  expect(parse('1.234', 'USD')).toEqual(['amount:support_helpdesk.validation.amount_decimals'])
  expect(parse('-3', 'USD')).toEqual(['amount:validation.amount_invalid'])
  expect(parse('ten', 'USD')).toEqual(['amount:validation.amount_invalid'])
  expect(parse('', 'USD')).toEqual(['amount:support_helpdesk.validation.amount_required'])
  expect(parse(undefined, 'USD')).toEqual(['amount:support_helpdesk.validation.amount_required'])
  expect(parse('10', 'ABC')).toEqual(['currency:validation.currency_invalid'])
  expect(parse('10', 'yen')).toEqual(['currency:validation.currency_invalid'])
  expect(parse('10', 'US')).toEqual(['currency:validation.currency_invalid'])
  expect(parse('  ', 'USD')).toEqual(['amount:support_helpdesk.validation.amount_required'])

  expect(costAmountText({ amountMinor: 2500, currency: 'JPY' })).toBe('2500')
  expect(costAmountText({ amountMinor: 1250, currency: 'USD' })).toBe('12.50')
  expect(costAmountText({ amountMinor: 5, currency: 'USD' })).toBe('0.05')
  expect(costAmountText({ amountMinor: 1234, currency: 'KWD' })).toBe('1.234')
})

test('an admin sets the CRM receiver: it gets its own signing secret, separate from the helpdesk one, rotated on its own', async () => {
  const admin = await insertAdmin(db)
  await saveHandOffSettings(db, { actor: admin, input: { webhookUrl: 'https://helpdesk.example/in' } })
  const helpdeskSecret = (await readHelpdeskSettings(db)).webhookSecret

  expect(
    await saveCrmSettings(db, { actor: admin, input: { webhookUrl: ' https://crm.example/health ' } }),
  ).toMatchObject({
    ok: true,
    value: { webhookUrl: 'https://crm.example/health' },
  })
  const crm = await readCrmSettings(db)
  expect(crm.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
  expect(crm.webhookSecret).not.toBe(helpdeskSecret)
  const audit = await lastAudit('crm.settings_changed')
  expect(audit).toMatchObject({
    actorUserId: admin.id,
    details: { from: { webhookUrl: null }, to: { webhookUrl: 'https://crm.example/health' }, secretCreated: true },
  })
  expect(JSON.stringify(audit!.details)).not.toContain(crm.webhookSecret!)

  const rotated = await rotateWebhookSecret(db, { actor: admin, target: 'crm' })
  expect(rotated.ok && rotated.value.webhookSecret).toMatch(/^whsec_/)
  expect((await readCrmSettings(db)).webhookSecret).not.toBe(crm.webhookSecret)
  expect((await readHelpdeskSettings(db)).webhookSecret).toBe(helpdeskSecret)
  expect(await lastAudit('support.webhook_secret_rotated')).toMatchObject({
    targetId: 'crm.sync',
    details: { target: 'crm', replaced: true },
  })

  expect(await saveCrmSettings(db, { actor: admin, input: { webhookUrl: 'ftp://crm.example/' } })).toMatchObject({
    ok: false,
    status: 400,
    field: 'webhookUrl',
    code: 'support_helpdesk.validation.url_invalid',
  })
  // Clearing the URL stops the notifications and keeps the secret for when it is set again.
  await saveCrmSettings(db, { actor: admin, input: { webhookUrl: '' } })
  expect(await readCrmSettings(db)).toMatchObject({ webhookUrl: null, webhookSecret: expect.stringMatching(/^whsec_/) })

  const manager = await insertUser(db, { role: 'manager' })
  expect(await saveCrmSettings(db, { actor: manager, input: { webhookUrl: 'https://x.example/' } })).toMatchObject({
    ok: false,
    status: 403,
  })
  expect(await rotateWebhookSecret(db, { actor: manager, target: 'crm' })).toMatchObject({ ok: false, status: 403 })
})

test('allowing private targets (as the tests do) still refuses credentials, the metadata service, unspecified and multicast', async () => {
  const admin = await insertAdmin(db)
  // A URL stored before credentials were refused: the audit of the next save does not repeat them.
  await writeHelpdeskSettings(
    db,
    { webhookUrl: 'https://hook-user:hunter2@helpdesk.example/in', webhookSecret: 'whsec_x', supportEmail: null },
    admin.id,
  )
  for (const [webhookUrl, code] of [
    ['https://hook-user:hunter2@helpdesk.example/in', 'support_helpdesk.validation.url_credentials'],
    ['http://169.254.169.254/latest/meta-data/', 'support_helpdesk.validation.url_private'],
    ['http://[fe80::1]/', 'support_helpdesk.validation.url_private'],
    ['http://0.0.0.0:8080/', 'support_helpdesk.validation.url_private'],
    ['http://224.0.0.1/', 'support_helpdesk.validation.url_private'],
  ] as const) {
    expect(await saveHandOffSettings(db, { actor: admin, input: { webhookUrl } }), webhookUrl).toMatchObject({
      ok: false,
      field: 'webhookUrl',
      code,
    })
  }
  expect(await saveHandOffSettings(db, { actor: admin, input: { webhookUrl: 'http://127.0.0.1:9/in' } })).toMatchObject(
    {
      ok: true,
    },
  )
  const audit = await lastAudit('support.helpdesk_changed')
  expect(audit).toMatchObject({ details: { from: { webhookUrl: 'https://helpdesk.example/in' } } })
  expect(JSON.stringify(audit!.details)).not.toContain('hunter2')
})
