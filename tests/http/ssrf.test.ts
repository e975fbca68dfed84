import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readCrmSettings, readHelpdeskSettings, writeHelpdeskSettings } from '#app/domain/support/settings.server.ts'
import { users } from '#db/schema/identity.ts'
import { webhookAttempts, webhookDeliveries } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { startWebhookReceiver, type WebhookReceiver } from '#tests/webhook-receiver.ts'
import { type AppServer, startApp, Visitor } from './app-server.ts'
import { personaEmails } from './personas.ts'

// Server-side request forgery through the webhooks, over HTTP against the production build, with
// WEBHOOKS_ALLOW_PRIVATE off as in production: the admin's settings form refuses every address that
// reaches this server or a private network, however it is spelled; an address that was stored anyway
// (before this check, or by a name that now resolves to loopback) is refused when connecting, and the
// receiver behind it gets nothing; staff never see a receiver's body or the credentials of a URL.

let app: AppServer
let admin: Visitor
let staff: Visitor
let receiver: WebhookReceiver
let port: number

beforeAll(async () => {
  receiver = await startWebhookReceiver({ status: 500 })
  port = Number(new URL(receiver.url).port)
  app = await startApp({ env: { RATE_LIMITS: 'off', WEBHOOKS_ALLOW_PRIVATE: 'false' } })
  admin = await new Visitor(app).signIn(personaEmails.admin)
  staff = await new Visitor(app).signIn(personaEmails.staff)
})

afterAll(async () => {
  await app?.stop()
  await receiver?.close()
})

const PRIVATE = 'Webhooks are sent only to public addresses'
const PRIVATE_JA = 'Webhook はインターネットに公開されたエンドポイントにだけ送信します'
const CREDENTIALS = 'Leave the user name and password out of the address'
const NOT_HTTP = 'Enter a full web address that starts with https:// or http://.'

/** Every spelling of this machine, a private network, link-local (the cloud metadata service),
 *  unique-local, unspecified and multicast, with the message the form answers. */
function hostileUrls(): [string, string][] {
  return [
    [`http://127.0.0.1:${port}/webhook`, PRIVATE],
    [`http://localhost:${port}/webhook`, PRIVATE],
    ['http://0.0.0.0/', PRIVATE],
    [`http://2130706433:${port}/webhook`, PRIVATE],
    [`http://0x7f.1:${port}/webhook`, PRIVATE],
    [`http://127.1:${port}/webhook`, PRIVATE],
    [`http://[::ffff:127.0.0.1]:${port}/webhook`, PRIVATE],
    ['http://[::1]/', PRIVATE],
    ['http://10.0.0.1/', PRIVATE],
    ['http://192.168.1.20:8080/in', PRIVATE],
    ['http://169.254.169.254/latest/meta-data/', PRIVATE],
    ['http://[fe80::1]/', PRIVATE],
    ['http://[fc00::1]/', PRIVATE],
    ['http://224.0.0.1/', PRIVATE],
    ['http://hook-user:hunter2@hooks.example.com/in', CREDENTIALS],
    ['ftp://files.example.com/in', NOT_HTTP],
  ]
}

test('the admin cannot point the helpdesk or the CRM webhook at this server or a private network, however it is spelled', async () => {
  const before = { helpdesk: await readHelpdeskSettings(db), crm: await readCrmSettings(db) }
  const failures: string[] = []
  for (const [url, message] of hostileUrls()) {
    const handoff = await admin.post('/support/settings', { intent: 'handoff', webhookUrl: url, supportEmail: '' })
    if (handoff.status !== 400) failures.push(`helpdesk ${url}: answered ${handoff.status}`)
    else if (!handoff.text.includes(message)) failures.push(`helpdesk ${url}: no "${message}"`)
    const crm = await admin.post('/support/settings', { intent: 'crm', webhookUrl: url })
    if (crm.status !== 400) failures.push(`crm ${url}: answered ${crm.status}`)
    else if (!crm.text.includes(message)) failures.push(`crm ${url}: no "${message}"`)
  }
  expect(failures).toEqual([])
  // Nothing was stored, and nothing was sent.
  expect({ helpdesk: await readHelpdeskSettings(db), crm: await readCrmSettings(db) }).toEqual(before)
  expect(receiver.requests).toEqual([])

  // In Japanese too (the admin's own language setting decides, so it is switched for one request).
  await admin.post('/set-locale', { locale: 'ja', redirectTo: '/support/settings' })
  try {
    const ja = await admin.post('/support/settings', {
      intent: 'handoff',
      webhookUrl: `http://localhost:${port}/webhook`,
      supportEmail: '',
    })
    expect(ja.status).toBe(400)
    expect(ja.text).toContain(PRIVATE_JA)
  } finally {
    await admin.post('/set-locale', { locale: 'en', redirectTo: '/support/settings' })
  }
})

test('an address stored before the check, whose host is loopback, is refused when connecting: the receiver gets nothing', async () => {
  const [adminRow] = await db.select().from(users).where(eq(users.email, personaEmails.admin))
  // As a URL saved while private targets were allowed, or a name that now resolves to loopback.
  await writeHelpdeskSettings(
    db,
    { webhookUrl: `http://localhost:${port}/webhook`, webhookSecret: 'whsec_ssrf-suite', supportEmail: null },
    adminRow!.id,
  )
  const test = await admin.post('/support/settings', { intent: 'test', target: 'helpdesk' })
  expect(test.status).toBe(200)
  expect(test.text).toContain('The test delivery failed.')
  expect(test.text).toContain('Not sent: the address points at this server or a private network.')
  const [ping] = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.event, 'ping'))
    .orderBy(webhookDeliveries.id)
  expect(ping).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null, lastError: 'refused_address' })

  // A staff retry goes through the job queue to the same address, and is refused there too.
  const retry = await staff.post('/support/deliveries', { deliveryId: String(ping!.id) })
  expect(retry.status).toBe(302)
  const deadline = Date.now() + 30_000
  while (true) {
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, ping!.id))
    if (row!.attempts >= 2) {
      expect(row).toMatchObject({ status: 'failed', lastError: 'refused_address' })
      break
    }
    if (Date.now() > deadline) throw new Error(`the retried delivery was not tried:\n${app.stderr().slice(-2000)}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  expect(receiver.requests).toEqual([])
})

test('the delivery log and the settings page never show a receiver body, raw socket errors or URL credentials', async () => {
  const [adminRow] = await db.select().from(users).where(eq(users.email, personaEmails.admin))
  const secretUrl = 'http://hook-user:hunter2-secret@hooks.example.com/in'
  await writeHelpdeskSettings(
    db,
    { webhookUrl: secretUrl, webhookSecret: 'whsec_ssrf-suite', supportEmail: null },
    adminRow!.id,
  )
  // Rows written before errors were reduced to a short kind: a receiver's body and a socket message.
  const body = `HTTP 500: {"debug":"LEAKED-BODY-MARKER","password":"db-pass"} ${'x'.repeat(5000)}`
  const socket = 'fetch failed: connect ECONNREFUSED 10.1.2.3:8443'
  const [legacy] = await db
    .insert(webhookDeliveries)
    .values({
      target: 'helpdesk',
      event: 'ticket.created',
      url: secretUrl,
      payload: '{}',
      status: 'failed',
      attempts: 2,
      lastStatusCode: null,
      lastError: socket,
      lastAttemptAt: new Date(),
    })
    .returning()
  await db.insert(webhookAttempts).values([
    { deliveryId: legacy!.id, attemptedAt: new Date(), statusCode: 500, error: body, durationMs: 12 },
    { deliveryId: legacy!.id, attemptedAt: new Date(), statusCode: null, error: socket, durationMs: 3 },
  ])

  for (const [visitor, path] of [
    [staff, '/support/deliveries'],
    [admin, '/support/deliveries'],
    [admin, '/support/settings'],
  ] as const) {
    const page = await visitor.get(path)
    expect(page.status, path).toBe(200)
    for (const leak of [
      'LEAKED-BODY-MARKER',
      'db-pass',
      'xxxxxxxxxx',
      'hunter2',
      'hook-user',
      '10.1.2.3',
      'ECONNREFUSED',
    ]) {
      expect(page.text, `${path} shows ${leak}`).not.toContain(leak)
    }
  }
  // What staff read instead: the status and a short line in their language (the demo staff reads Japanese).
  const log = await admin.get('/support/deliveries')
  expect(log.text).toContain('The receiver answered HTTP 500.')
  expect(log.text).toContain('The receiver refused the connection.')
  const ja = await staff.get('/support/deliveries')
  expect(ja.text).toContain('受信側が HTTP 500 で応答しました。')
  expect(ja.text).toContain('受信側が接続を拒否しました。')
})
