import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import nodemailer, { type Transporter } from 'nodemailer'
import { env } from '#app/lib/env.server.ts'
import { enqueue, type JobDefinition } from '#app/lib/jobs.server.ts'
import type { Db } from '#db/client.server.ts'
import { emailOutbox, type MailAttachment } from '#db/schema/notify.ts'

export type { MailAttachment }

export type MailMessage = {
  to: string
  subject: string
  text: string
  template: string
  /** Extra headers (e.g. `List-Unsubscribe` and `List-Unsubscribe-Post`, RFC 8058), stored with the
   *  message and handed to the SMTP server as they are. */
  headers?: Record<string, string>
  /** Files sent with the message (an event's `.ics`). */
  attachments?: MailAttachment[]
  /** What makes the message one of a kind: a second message with the same key is not queued, so an
   *  action retried or raced sends one email (`queueEmail` then returns null). */
  dedupeKey?: string
}

/** Links that act for whoever holds them: a password reset, an address confirmation, a survey's answer
 *  and unsubscribe links. */
const SECRET_LINK = /\/(reset-password|verify-email)\/[A-Za-z0-9_-]{8,}/g
/** A survey's signed token (`value.signature`). */
const SURVEY_LINK = /\/surveys\/(nps|unsubscribe)\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{8,}/g
/** A notification unsubscribe link's signed token (`/unsubscribe/<user>-<kind>.signature`). */
const UNSUBSCRIBE_LINK = /\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{8,}/g

/** The text with every secret link cut to its page: the link was for the recipient, not for whoever
 *  reads the outbox. Once a message has gone out by SMTP its stored copy is scrubbed like this. */
export function maskSecretLinks(text: string): string {
  return text
    .replace(SECRET_LINK, '/$1/••••••••')
    .replace(SURVEY_LINK, '/surveys/$1/••••••••')
    .replace(UNSUBSCRIBE_LINK, '/unsubscribe/••••••••')
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** An http(s) address in escaped text. Our links are ASCII (paths are percent-encoded), so one ends at
 *  white space, at any other character (「…」 around it in Japanese), and not on prose punctuation. */
const LINK = /https?:\/\/[!#-&(-;=?-~]*[#-&(*+\-/-9=?-Z\\^-z|~]/g

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)
}

/** The HTML alternative of a plain-text email, made from the same text so the two never disagree:
 *  escaped, a paragraph per blank-line-separated block (its line breaks kept), every http(s) address a
 *  link. The text part stays the message; this is how it reads in an HTML mail client. */
export function htmlFromText(text: string, lang?: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const inner = escapeHtml(block)
        .replace(LINK, (url) => `<a href="${url}">${url}</a>`)
        .replace(/\n/g, '<br>\n')
      return `<p>${inner}</p>`
    })
  const langAttribute = lang ? ` lang="${escapeHtml(lang)}"` : ''
  return `<!doctype html>\n<html${langAttribute}><head><meta charset="utf-8"></head><body style="font-family: sans-serif; line-height: 1.5">\n${paragraphs.join('\n')}\n</body></html>\n`
}

function maskedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, maskSecretLinks(value)]))
}

export const SEND_EMAIL_JOB = 'email.send'
export const SWEEP_EMAIL_JOB = 'email.sweep'
const MAX_ATTEMPTS = 5

function outboxRow(message: MailMessage) {
  return {
    toAddress: message.to,
    subject: message.subject,
    textBody: message.text,
    template: message.template,
    headers: message.headers ?? null,
    attachments: message.attachments?.length ? message.attachments : null,
    dedupeKey: message.dedupeKey ?? null,
  }
}

/** Writes the message to the outbox. Call inside the transaction of the action that sends it, then
 *  `dispatchEmails` after commit; a message whose dispatch is lost is picked up by the sweeper.
 *  A message with a `dedupeKey` already queued is not queued again. */
export async function queueEmail(db: Db, message: MailMessage & { dedupeKey?: undefined }): Promise<number>
export async function queueEmail(db: Db, message: MailMessage): Promise<number | null>
export async function queueEmail(db: Db, message: MailMessage): Promise<number | null> {
  const [row] = await db
    .insert(emailOutbox)
    .values(outboxRow(message))
    .onConflictDoNothing({ target: emailOutbox.dedupeKey })
    .returning({ id: emailOutbox.id })
  return row?.id ?? null
}

/** `queueEmail` for several messages in one statement; returns the ids of those queued (a message
 *  whose `dedupeKey` was already queued is left out). */
export async function queueEmails(db: Db, messages: MailMessage[]): Promise<number[]> {
  if (messages.length === 0) return []
  const rows = await db
    .insert(emailOutbox)
    .values(messages.map(outboxRow))
    .onConflictDoNothing({ target: emailOutbox.dedupeKey })
    .returning({ id: emailOutbox.id })
  return rows.map((row) => row.id)
}

export async function dispatchEmails(ids: readonly (number | null)[]): Promise<void> {
  for (const id of ids) if (id !== null) await enqueue(SEND_EMAIL_JOB, { id })
}

let transport: Transporter | null | undefined

function smtpTransport(): Transporter | null {
  if (transport === undefined) transport = env().SMTP_URL ? nodemailer.createTransport(env().SMTP_URL) : null
  return transport
}

export type DeliveryResult = 'sent' | 'stored' | 'already-done' | 'missing'

/** Delivers one outbox message. Idempotent: a message already sent is left alone. Without an SMTP
 *  transport the message is marked `stored` (readable at /admin/mail). A failure is recorded and
 *  rethrown so the job retries with backoff; after the last attempt the message is `failed`. */
export async function deliverEmail(
  db: Db,
  id: number,
  via: Transporter | null = smtpTransport(),
): Promise<DeliveryResult> {
  const [message] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id))
  if (!message) return 'missing'
  if (message.status === 'sent' || message.status === 'stored') return 'already-done'
  if (!via) {
    await db.update(emailOutbox).set({ status: 'stored' }).where(eq(emailOutbox.id, id))
    return 'stored'
  }
  try {
    const info = await via.sendMail({
      from: env().MAIL_FROM,
      to: message.toAddress,
      subject: message.subject,
      text: message.textBody,
      html: htmlFromText(message.textBody),
      ...(message.headers ? { headers: message.headers } : {}),
      ...(message.attachments?.length
        ? {
            attachments: message.attachments.map((file) => ({
              filename: file.filename,
              contentType: file.contentType,
              content: Buffer.from(file.contentBase64, 'base64'),
            })),
          }
        : {}),
    })
    await db
      .update(emailOutbox)
      .set({
        status: 'sent',
        sentAt: new Date(),
        messageId: info.messageId,
        attempts: sql`${emailOutbox.attempts} + 1`,
        textBody: maskSecretLinks(message.textBody),
        headers: message.headers ? maskedHeaders(message.headers) : null,
      })
      .where(eq(emailOutbox.id, id))
    return 'sent'
  } catch (error) {
    const attempts = message.attempts + 1
    await db
      .update(emailOutbox)
      .set({
        attempts,
        lastError: String(error).slice(0, 500),
        status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
      })
      .where(eq(emailOutbox.id, id))
    throw error
  }
}

/** Re-dispatches messages left pending for over two minutes (a lost dispatch, a crash after commit). */
export async function sweepPendingEmails(db: Db): Promise<number[]> {
  const stale = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.status, 'pending'), lt(emailOutbox.createdAt, new Date(Date.now() - 2 * 60 * 1000))))
    .limit(500)
  const ids = stale.map((r) => r.id)
  await dispatchEmails(ids)
  return ids
}

/** The outbox, newest first: what the list shows, never the bodies (they hold links meant for one
 *  person; `getOutboxMessage` shows one, masked as it says). */
export async function listOutbox(db: Db, { status, limit = 50 }: { status?: string; limit?: number } = {}) {
  const statuses = ['pending', 'sent', 'failed', 'stored'] as const
  const filter = statuses.find((s) => s === status)
  return db
    .select({
      id: emailOutbox.id,
      toAddress: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      template: emailOutbox.template,
      status: emailOutbox.status,
      attempts: emailOutbox.attempts,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
    })
    .from(emailOutbox)
    .where(filter ? inArray(emailOutbox.status, [filter]) : undefined)
    .orderBy(desc(emailOutbox.id))
    .limit(limit)
}

/** One message as an admin may read it. Secret links show only while the outbox is the way mail is
 *  delivered (no SMTP server: `stored`, the admin hands them on); a message going or gone by SMTP
 *  never shows them, whatever its state. */
export async function getOutboxMessage(db: Db, id: number) {
  const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id))
  if (!row) return null
  return row.status === 'stored' ? row : { ...row, textBody: maskSecretLinks(row.textBody) }
}

export const mailJobs: JobDefinition[] = [
  {
    name: SEND_EMAIL_JOB,
    handler: async (db, data: { id: number }) => {
      await deliverEmail(db, data.id)
    },
    options: { retryLimit: MAX_ATTEMPTS - 1, retryDelay: 30, retryBackoff: true },
  },
  {
    name: SWEEP_EMAIL_JOB,
    handler: async (db) => {
      await sweepPendingEmails(db)
    },
    cron: '*/5 * * * *',
  },
]
