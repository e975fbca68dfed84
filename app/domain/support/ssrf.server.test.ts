import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { listDeliveryAttempts, sendTestDelivery } from '#app/domain/notify/webhook-deliveries.server.ts'
import { deliverWebhook } from '#app/domain/notify/webhooks.server.ts'
import { env } from '#app/lib/env.server.ts'
import { insertAdmin, insertTicket, insertUser } from '#app/server/seed/factories/index.ts'
import { webhookDeliveries } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { startWebhookReceiver } from '#tests/webhook-receiver.ts'
import { queueTicketHandOff } from './handoff.server.ts'
import { saveCrmSettings, saveHandOffSettings } from './helpdesk-settings.server.ts'
import { readCrmSettings, readHelpdeskSettings, writeCrmSettings, writeHelpdeskSettings } from './settings.server.ts'

// This file runs as production does, with private targets refused. env() reads the environment on its
// first use, which is after this line (tests/setup/setup-test-env.ts turned it on for the other files).
process.env.WEBHOOKS_ALLOW_PRIVATE = 'false'

const SECRET = 'whsec_ssrf'

test('the environment of this file refuses private targets', () => {
  expect(env().WEBHOOKS_ALLOW_PRIVATE).toBe(false)
})

test('no spelling of this machine or a private network can be saved as the helpdesk or CRM webhook', async () => {
  const admin = await insertAdmin(db)
  const before = { helpdesk: await readHelpdeskSettings(db), crm: await readCrmSettings(db) }
  const hostile: [string, string][] = [
    ['http://127.0.0.1:8080/in', 'support_helpdesk.validation.url_private'],
    ['http://localhost:8080/in', 'support_helpdesk.validation.url_private'],
    ['http://0.0.0.0/', 'support_helpdesk.validation.url_private'],
    ['http://2130706433/', 'support_helpdesk.validation.url_private'],
    ['http://0x7f.1/', 'support_helpdesk.validation.url_private'],
    ['http://127.1/', 'support_helpdesk.validation.url_private'],
    ['http://[::ffff:127.0.0.1]/', 'support_helpdesk.validation.url_private'],
    ['http://[::1]/', 'support_helpdesk.validation.url_private'],
    ['http://10.0.0.1/', 'support_helpdesk.validation.url_private'],
    ['http://169.254.169.254/latest/meta-data/', 'support_helpdesk.validation.url_private'],
    ['http://[fe80::1]/', 'support_helpdesk.validation.url_private'],
    ['http://[fc00::1]/', 'support_helpdesk.validation.url_private'],
    ['http://224.0.0.1/', 'support_helpdesk.validation.url_private'],
    ['http://user:pass@hooks.example.com/', 'support_helpdesk.validation.url_credentials'],
    ['ftp://files.example.com/', 'support_helpdesk.validation.url_invalid'],
  ]
  for (const [webhookUrl, code] of hostile) {
    expect(await saveHandOffSettings(db, { actor: admin, input: { webhookUrl } }), webhookUrl).toMatchObject({
      ok: false,
      status: 400,
      field: 'webhookUrl',
      code,
    })
    expect(await saveCrmSettings(db, { actor: admin, input: { webhookUrl } }), webhookUrl).toMatchObject({
      ok: false,
      status: 400,
      field: 'webhookUrl',
      code,
    })
  }
  expect({ helpdesk: await readHelpdeskSettings(db), crm: await readCrmSettings(db) }).toEqual(before)

  // A public address is saved (and not contacted: saving only judges it).
  expect(
    await saveHandOffSettings(db, { actor: admin, input: { webhookUrl: 'http://93.184.216.34/hooks' } }),
  ).toMatchObject({ ok: true, value: { webhookUrl: 'http://93.184.216.34/hooks' } })
})

/** A delivery queued for a URL stored without the save check: before it existed, while private targets
 *  were allowed, or a name that resolved to a public address then and to loopback now. */
async function queuedFor(url: string) {
  const admin = await insertAdmin(db)
  await writeHelpdeskSettings(db, { webhookUrl: url, webhookSecret: SECRET, supportEmail: null }, admin.id)
  const member = await insertUser(db)
  const ticket = await insertTicket(db, member, { subject: 'Rebinding' })
  const handOff = await db.transaction((tx) => queueTicketHandOff(tx, ticket.id))
  return handOff.deliveryIds[0]!
}

test('DNS rebinding: a stored URL whose name resolves to loopback is refused on connecting, and the receiver gets nothing', async () => {
  const receiver = await startWebhookReceiver()
  try {
    const port = new URL(receiver.url).port
    for (const url of [`http://localhost:${port}/webhook`, receiver.url]) {
      const deliveryId = await queuedFor(url)
      await expect(deliverWebhook(db, deliveryId)).rejects.toThrow(/refused_address/)
      const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId))
      expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null, lastError: 'refused_address' })
      expect(await listDeliveryAttempts(db, [deliveryId])).toMatchObject([
        { statusCode: null, error: 'refused_address' },
      ])
    }

    // The admin's test delivery is refused the same way.
    const admin = await insertAdmin(db)
    await writeCrmSettings(db, { webhookUrl: `http://localhost:${port}/crm`, webhookSecret: SECRET }, admin.id)
    expect(await sendTestDelivery(db, { actor: admin, target: 'crm' })).toMatchObject({
      ok: true,
      value: { delivered: false, statusCode: null, error: 'refused_address' },
    })
    expect(receiver.requests).toEqual([])
  } finally {
    await receiver.close()
  }
})

test('a stored URL with credentials is not sent, and what is stored about the try holds none of them', async () => {
  const receiver = await startWebhookReceiver()
  try {
    const port = new URL(receiver.url).port
    const deliveryId = await queuedFor(`http://hook-user:hunter2@localhost:${port}/webhook`)
    await expect(deliverWebhook(db, deliveryId)).rejects.toThrow(/invalid_url/)
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId))
    expect(row!.lastError).toBe('invalid_url')
    expect(JSON.stringify(await listDeliveryAttempts(db, [deliveryId]))).not.toContain('hunter2')
    expect(receiver.requests).toEqual([])
  } finally {
    await receiver.close()
  }
})
