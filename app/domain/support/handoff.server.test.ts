import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { deliverWebhook } from '#app/domain/notify/webhooks.server.ts'
import {
  insertAccount,
  insertAdmin,
  insertAttempt,
  insertTicket,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { webhookDeliveries } from '#db/schema/support.ts'
import { db } from '#tests/db.ts'
import { startWebhookReceiver } from '#tests/webhook-receiver.ts'
import { queueTicketHandOff } from './handoff.server.ts'
import { writeHelpdeskSettings } from './settings.server.ts'

const SECRET = 'whsec_test-secret-for-signatures'

async function configure(settings: {
  webhookUrl?: string | null
  supportEmail?: string | null
  secret?: string | null
}) {
  const admin = await insertAdmin(db)
  await writeHelpdeskSettings(
    db,
    {
      webhookUrl: settings.webhookUrl ?? null,
      webhookSecret: settings.secret === undefined ? SECRET : settings.secret,
      supportEmail: settings.supportEmail ?? null,
    },
    admin.id,
  )
}

/** A member of an account who searched, saw two suggestions, opened one, then filed a ticket. */
async function filedTicket() {
  const account = await insertAccount(db, { name: `Acme ${Math.random().toString(36).slice(2, 8)}` })
  const member = await insertUser(db, { accountId: account.id, displayName: 'Hanako Yamada' })
  const attempt = await insertAttempt(db, member, {
    query: 'export usage report',
    shown: [
      { doc: 'question:7', rank: 2, title: 'Export is empty', query: 'export', at: '2026-05-01T00:00:00.000Z' },
      { doc: 'article:3', rank: 1, title: 'Exporting reports', query: 'export', at: '2026-05-01T00:00:00.000Z' },
    ],
    opened: [{ doc: 'article:3', at: '2026-05-01T00:01:00.000Z' }],
    outcome: 'filed',
  })
  const ticket = await insertTicket(db, member, {
    attemptId: attempt.id,
    subject: 'Usage export downloads nothing',
    body: 'The Export button on the usage report does nothing.',
    productArea: 'reporting',
    urgency: 'high',
    locale: 'en',
  })
  return { account, member, attempt, ticket }
}

async function deliveryRow(id: number) {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id))
  return row!
}

test('with neither a webhook nor a support address, a ticket queues nothing', async () => {
  await configure({ webhookUrl: null, supportEmail: null })
  const { ticket } = await filedTicket()
  const handOff = await db.transaction((tx) => queueTicketHandOff(tx, ticket.id))
  expect(handOff).toEqual({ deliveryIds: [], emailIds: [] })
  expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.ticketId, ticket.id))).toEqual([])
})

test('a ticket queues one signed-payload delivery and one email to the support address', async () => {
  await configure({ webhookUrl: 'https://helpdesk.example/hooks/community', supportEmail: 'support@example.com' })
  const { account, member, ticket } = await filedTicket()

  const handOff = await db.transaction((tx) => queueTicketHandOff(tx, ticket.id))
  expect(handOff.deliveryIds).toHaveLength(1)
  expect(handOff.emailIds).toHaveLength(1)

  const delivery = await deliveryRow(handOff.deliveryIds[0]!)
  expect(delivery).toMatchObject({
    event: 'ticket.created',
    ticketId: ticket.id,
    url: 'https://helpdesk.example/hooks/community',
    status: 'pending',
    attempts: 0,
  })
  const payload = JSON.parse(delivery.payload)
  expect(payload).toEqual({
    event: 'ticket.created',
    delivery_id: delivery.id,
    created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    ticket: {
      id: ticket.id,
      url: `http://localhost:3000/support/tickets/${ticket.id}`,
      subject: 'Usage export downloads nothing',
      body: 'The Export button on the usage report does nothing.',
      product_area: 'reporting',
      urgency: 'high',
      status: 'open',
      locale: 'en',
      created_at: new Date(ticket.createdAt).toISOString(),
      requester: { id: member.id, email: member.email, display_name: 'Hanako Yamada' },
      account: { id: account.id, name: account.name },
      deflection: {
        query: 'export usage report',
        suggestions_shown: ['article:3', 'question:7'],
        suggestions_opened: ['article:3'],
      },
    },
  })

  const [email] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, handOff.emailIds[0]!))
  expect(email).toMatchObject({
    toAddress: 'support@example.com',
    subject: `[Ticket #${ticket.id}] Usage export downloads nothing`,
    template: 'support.ticket_created',
    status: 'pending',
  })
  expect(email!.textBody).toContain(`Hanako Yamada <${member.email}>`)
  expect(email!.textBody).toContain(account.name)
  expect(email!.textBody).toContain('Urgency: High')
  expect(email!.textBody).toContain('Product area: Reports and exports')
  expect(email!.textBody).toContain('The Export button on the usage report does nothing.')
  expect(email!.textBody).toContain(`http://localhost:3000/support/tickets/${ticket.id}`)
})

test('an imported-style ticket without a user, account or attempt still hands off, in Japanese when written so', async () => {
  await configure({ webhookUrl: null, supportEmail: 'support@example.com' })
  const ticket = await insertTicket(db, null, {
    subject: '請求書が届きません',
    locale: 'ja',
    requesterEmail: 'x@example.jp',
  })
  const handOff = await db.transaction((tx) => queueTicketHandOff(tx, ticket.id))
  expect(handOff.deliveryIds).toEqual([])
  const [email] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, handOff.emailIds[0]!))
  expect(email!.subject).toBe(`[問い合わせ #${ticket.id}] 請求書が届きません`)
  expect(email!.textBody).toContain('依頼者：x@example.jp')
  expect(email!.textBody).toContain('アカウント：（なし）')
})

test('a delivery cannot be signed without a secret: the try fails, says why and sends nothing', async () => {
  const receiver = await startWebhookReceiver()
  try {
    await configure({ webhookUrl: receiver.url, secret: null })
    const { ticket } = await filedTicket()
    const handOff = await db.transaction((tx) => queueTicketHandOff(tx, ticket.id))
    await expect(deliverWebhook(db, handOff.deliveryIds[0]!)).rejects.toThrow(/no_secret/)
    expect(await deliveryRow(handOff.deliveryIds[0]!)).toMatchObject({ lastError: 'no_secret' })
    expect(receiver.requests).toEqual([])
  } finally {
    await receiver.close()
  }
})
