import { eq } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { emailOutbox } from '#db/schema/notify.ts'
import { db } from '#tests/db.ts'
import { decodedBody, parseMail, startSmtpServer } from '#tests/smtp.ts'
import {
  deliverEmail,
  dispatchEmails,
  getOutboxMessage,
  htmlFromText,
  listOutbox,
  maskSecretLinks,
  queueEmail,
  queueEmails,
  sweepPendingEmails,
} from './mail.server.ts'

let smtp: Awaited<ReturnType<typeof startSmtpServer>>
beforeAll(async () => {
  smtp = await startSmtpServer()
})
afterAll(async () => {
  await smtp.close()
})

test('a queued message is delivered over SMTP once, and marked sent', async () => {
  const id = await queueEmail(db, {
    to: 'reader@example.com',
    subject: 'こんにちは',
    text: '日本語の本文です。\nSecond line.',
    template: 'test',
  })
  const transport = nodemailer.createTransport(smtp.url)
  const before = smtp.received.length
  expect(await deliverEmail(db, id, transport)).toBe('sent')
  expect(await deliverEmail(db, id, transport)).toBe('already-done')
  const [message] = (await smtp.waitFor(before + 1)).slice(before)
  expect(message!.to).toEqual(['reader@example.com'])
  expect(decodedBody(message!.raw)).toContain('日本語の本文です。')
  expect(smtp.received).toHaveLength(before + 1)
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id))
  expect(row).toMatchObject({ status: 'sent', attempts: 1 })
  expect(row!.messageId).toBeTruthy()
})

test('without an SMTP transport a message is stored for admins to read', async () => {
  const id = await queueEmail(db, { to: 'x@example.com', subject: 's', text: 't', template: 'test' })
  expect(await deliverEmail(db, id, null)).toBe('stored')
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id))
  expect(row!.status).toBe('stored')
})

test('a failed delivery is recorded and rethrown for a retry; the fifth failure marks it failed', async () => {
  const id = await queueEmail(db, { to: 'x@example.com', subject: 's', text: 't', template: 'test' })
  // Nothing listens on port 9 of loopback: the connection is refused at once.
  const broken = nodemailer.createTransport({ host: '127.0.0.1', port: 9, connectionTimeout: 2000 })
  await expect(deliverEmail(db, id, broken)).rejects.toThrow()
  const [after1] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id))
  expect(after1).toMatchObject({ status: 'pending', attempts: 1 })
  expect(after1!.lastError).toMatch(/ECONNREFUSED/)
  for (let i = 0; i < 4; i++) await expect(deliverEmail(db, id, broken)).rejects.toThrow()
  const [after5] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id))
  expect(after5).toMatchObject({ status: 'failed', attempts: 5 })
})

test('the outbox lists the newest messages first, filtered by status, and opens one', async () => {
  const first = await queueEmail(db, { to: 'a@example.com', subject: 'first', text: 'x', template: 'test' })
  const second = await queueEmail(db, { to: 'b@example.com', subject: 'second', text: 'y', template: 'test' })
  await deliverEmail(db, second, null)
  const all = await listOutbox(db)
  expect(all.findIndex((m) => m.id === second)).toBeLessThan(all.findIndex((m) => m.id === first))
  const stored = await listOutbox(db, { status: 'stored' })
  expect(stored.every((m) => m.status === 'stored')).toBe(true)
  expect(stored.map((m) => m.id)).toContain(second)
  expect(await getOutboxMessage(db, first)).toMatchObject({ subject: 'first', status: 'pending' })
  expect(await getOutboxMessage(db, 999999)).toBeNull()
})

test('the sweeper re-dispatches only messages left pending for minutes', async () => {
  const late = await queueEmail(db, { to: 'late@example.com', subject: 's', text: 't', template: 'test' })
  const fresh = await queueEmail(db, { to: 'fresh@example.com', subject: 's', text: 't', template: 'test' })
  await db
    .update(emailOutbox)
    .set({ createdAt: new Date(Date.now() - 10 * 60 * 1000) })
    .where(eq(emailOutbox.id, late))
  const swept = await sweepPendingEmails(db)
  expect(swept).toContain(late)
  expect(swept).not.toContain(fresh)
})

test('a reset link reaches its recipient whole; once sent, nobody reading the outbox sees it', async () => {
  const link = 'http://localhost:3000/reset-password/abcdefghijklmnopqrstuvwxyz234567'
  const text = `Open this link within one hour:\n\n${link}\n`
  const id = await queueEmail(db, { to: 'owner@example.com', subject: 'Reset', text, template: 'password_reset' })
  // Still waiting for SMTP: the admin's view already hides it.
  expect((await getOutboxMessage(db, id))!.textBody).not.toContain('abcdefghijklmnop')
  const before = smtp.received.length
  expect(await deliverEmail(db, id, nodemailer.createTransport(smtp.url))).toBe('sent')
  const [message] = (await smtp.waitFor(before + 1)).slice(before)
  expect(decodedBody(message!.raw)).toContain(link)
  // The stored copy itself is scrubbed, and the list never carries bodies.
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id))
  expect(row!.textBody).toContain('/reset-password/••••••••')
  expect(row!.textBody).not.toContain('abcdefghijklmnop')
  expect(Object.keys((await listOutbox(db))[0]!)).not.toContain('textBody')
  // Without SMTP the outbox is the delivery: the admin hands the link on, so it shows.
  const stored = await queueEmail(db, { to: 'x@example.com', subject: 'Reset', text, template: 'password_reset' })
  await deliverEmail(db, stored, null)
  expect((await getOutboxMessage(db, stored))!.textBody).toContain(link)
})

test('the HTML alternative is the text escaped, in paragraphs, with its addresses as links', () => {
  const html = htmlFromText(
    'Hello <Ann> & co,\n\nOpen it: https://x.example/a?b=1&c=2.\nSecond line\n\n\n「https://x.example/%E6%97%A5」です (https://x.example/b).',
  )
  expect(html).toContain('<p>Hello &lt;Ann&gt; &amp; co,</p>')
  expect(html).toContain(
    '<a href="https://x.example/a?b=1&amp;c=2">https://x.example/a?b=1&amp;c=2</a>.<br>\nSecond line</p>',
  )
  expect(html).toContain('「<a href="https://x.example/%E6%97%A5">https://x.example/%E6%97%A5</a>」です')
  expect(html).toContain('(<a href="https://x.example/b">https://x.example/b</a>).')
  expect(html).not.toMatch(/<(?!\/?(p|a|br|html|head|meta|body)\b|!doctype)/i)
  expect(htmlFromText('<script>alert(1)</script> javascript:alert(1)')).not.toContain('<script')
})

test('a message goes with its HTML part and attachments; a dedupe key queues it once', async () => {
  const key = `test:${Date.now()}`
  const message = {
    to: 'files@example.com',
    subject: 'Your file',
    text: 'See https://x.example/page',
    template: 'test',
    attachments: [
      {
        filename: 'a.ics',
        contentType: 'text/calendar',
        contentBase64: Buffer.from('BEGIN:VCALENDAR').toString('base64'),
      },
    ],
    dedupeKey: key,
  }
  const [first, second] = await Promise.all([queueEmail(db, message), queueEmail(db, message)])
  expect([first, second].filter((id) => id !== null)).toHaveLength(1)
  expect(await queueEmails(db, [message])).toEqual([])
  const id = (first ?? second)!
  const before = smtp.received.length
  expect(await deliverEmail(db, id, nodemailer.createTransport(smtp.url))).toBe('sent')
  const [raw] = (await smtp.waitFor(before + 1)).slice(before)
  const mail = parseMail(raw!.raw)
  expect(mail.text).toBe('See https://x.example/page')
  expect(mail.html).toContain('<a href="https://x.example/page">')
  expect(mail.attachments).toEqual([
    {
      filename: 'a.ics',
      contentType: expect.stringMatching(/^text\/calendar/),
      content: Buffer.from('BEGIN:VCALENDAR'),
    },
  ])
  // Null ids (a message already queued) are skipped by the dispatch.
  await dispatchEmails([null])
})

test('notification unsubscribe links are secret links too', () => {
  expect(maskSecretLinks('Stop: http://h/unsubscribe/12-answer.abcdefghijklmnopqrstuvwxyz012345 now')).toBe(
    'Stop: http://h/unsubscribe/•••••••• now',
  )
  expect(maskSecretLinks('http://h/surveys/unsubscribe/12.abcdefghijklmnop')).toBe(
    'http://h/surveys/unsubscribe/••••••••',
  )
})
