import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm'
import nodemailer, { type Transporter } from 'nodemailer'
import { env } from '#app/lib/env.server.ts'
import { enqueue, type JobDefinition } from '#app/lib/jobs.server.ts'
import type { Db } from '#db/client.server.ts'
import { emailOutbox } from '#db/schema/notify.ts'

export type MailMessage = {
  to: string
  subject: string
  text: string
  template: string
  /** Extra headers (e.g. `List-Unsubscribe` and `List-Unsubscribe-Post`, RFC 8058), stored with the
   *  message and handed to the SMTP server as they are. */
  headers?: Record<string, string>
}

/** Links that act for whoever holds them: a password reset, an address confirmation, a survey's answer
 *  and unsubscribe links. */
const SECRET_LINK = /\/(reset-password|verify-email)\/[A-Za-z0-9_-]{8,}/g
/** A survey's signed token (`value.signature`). */
const SURVEY_LINK = /\/surveys\/(nps|unsubscribe)\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{8,}/g

/** The text with every secret link cut to its page: the link was for the recipient, not for whoever
 *  reads the outbox. Once a message has gone out by SMTP its stored copy is scrubbed like this. */
export function maskSecretLinks(text: string): string {
  return text.replace(SECRET_LINK, '/$1/••••••••').replace(SURVEY_LINK, '/surveys/$1/••••••••')
}

function maskedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, maskSecretLinks(value)]))
}

export const SEND_EMAIL_JOB = 'email.send'
export const SWEEP_EMAIL_JOB = 'email.sweep'
const MAX_ATTEMPTS = 5

/** Writes the message to the outbox. Call inside the transaction of the action that sends it, then
 *  `dispatchEmails` after commit; a message whose dispatch is lost is picked up by the sweeper. */
export async function queueEmail(db: Db, message: MailMessage): Promise<number> {
  const [row] = await db
    .insert(emailOutbox)
    .values({
      toAddress: message.to,
      subject: message.subject,
      textBody: message.text,
      template: message.template,
      headers: message.headers ?? null,
    })
    .returning({ id: emailOutbox.id })
  return row!.id
}

export async function dispatchEmails(ids: number[]): Promise<void> {
  for (const id of ids) await enqueue(SEND_EMAIL_JOB, { id })
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
      ...(message.headers ? { headers: message.headers } : {}),
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
