import { eq } from 'drizzle-orm'
import { dispatchDeliveries, queueWebhookDeliveries } from '#app/domain/notify/webhooks.server.ts'
import { env } from '#app/lib/env.server.ts'
import { formatDateTime } from '#app/lib/format.ts'
import { isLocale, translator } from '#app/lib/i18n.ts'
import { dispatchEmails, queueEmail } from '#app/lib/mail.server.ts'
import type { Db } from '#db/client.server.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import { readHelpdeskSettings } from './settings.server.ts'

/** The hand-off of a new ticket: the ticket as the helpdesk sees it, sent as a `ticket.created`
 *  webhook (signed, queued and retried by app/domain/notify/webhooks.server.ts) and as an email to the
 *  support address. */

/** What the transaction that filed a ticket queued for the helpdesk; dispatched after commit. */
export type HandOff = { deliveryIds: number[]; emailIds: number[] }

export const TICKET_CREATED_EVENT = 'ticket.created'

/* ------------------------------------------------------------------------------------------------ */
/* The ticket as the helpdesk sees it                                                                */

export type TicketDocument = {
  id: number
  /** The helpdesk's own id, once the helpdesk API or an import set it. */
  external_id: string | null
  source: 'portal' | 'import'
  /** The ticket's page in the community (absolute). */
  url: string
  subject: string
  body: string
  product_area: string | null
  urgency: string
  status: string
  locale: string
  created_at: string
  updated_at: string
  resolved_at: string | null
  requester: { id: number | null; email: string; display_name: string | null }
  account: { id: number; name: string } | null
  /** What the member searched and saw before filing; null for imported tickets. */
  deflection: { query: string; suggestions_shown: string[]; suggestions_opened: string[] } | null
}

/** The absolute address of a ticket's page, for the helpdesk and emails. */
export function ticketUrl(ticketId: number): string {
  return new URL(`/support/tickets/${ticketId}`, env().APP_URL).toString()
}

/** One ticket with its requester, account and the attempt that preceded it, in the JSON shape of the
 *  webhook and the helpdesk API (snake_case, ISO 8601 times); null when there is no such ticket. */
export async function readTicketDocument(db: Db, ticketId: number): Promise<TicketDocument | null> {
  const [row] = await db
    .select({
      ticket: tickets,
      requester: { id: users.id, displayName: users.displayName },
      account: { id: accounts.id, name: accounts.name },
      attempt: { query: deflectionAttempts.query, shown: deflectionAttempts.shown, opened: deflectionAttempts.opened },
    })
    .from(tickets)
    .leftJoin(users, eq(users.id, tickets.userId))
    .leftJoin(accounts, eq(accounts.id, tickets.accountId))
    .leftJoin(deflectionAttempts, eq(deflectionAttempts.id, tickets.attemptId))
    .where(eq(tickets.id, ticketId))
  if (!row) return null
  const { ticket, requester, account, attempt } = row
  return {
    id: ticket.id,
    external_id: ticket.externalId,
    source: ticket.source,
    url: ticketUrl(ticket.id),
    subject: ticket.subject,
    body: ticket.body,
    product_area: ticket.productArea,
    urgency: ticket.urgency,
    status: ticket.status,
    locale: ticket.locale,
    created_at: iso(ticket.createdAt),
    updated_at: iso(ticket.updatedAt),
    resolved_at: ticket.resolvedAt ? iso(ticket.resolvedAt) : null,
    requester: {
      id: requester?.id ?? null,
      email: ticket.requesterEmail,
      display_name: requester?.displayName ?? null,
    },
    account: account ? { id: account.id, name: account.name } : null,
    deflection: attempt
      ? {
          query: attempt.query,
          suggestions_shown: [...attempt.shown].sort((a, b) => a.rank - b.rank).map((s) => s.doc),
          suggestions_opened: attempt.opened.map((o) => o.doc),
        }
      : null,
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString()
}

/** The `ticket` object of a `ticket.created` payload: what the helpdesk needs to open its own ticket. */
function webhookTicket(doc: TicketDocument) {
  return {
    id: doc.id,
    url: doc.url,
    subject: doc.subject,
    body: doc.body,
    product_area: doc.product_area,
    urgency: doc.urgency,
    status: doc.status,
    locale: doc.locale,
    created_at: doc.created_at,
    requester: doc.requester,
    account: doc.account,
    deflection: doc.deflection,
  }
}

/* ------------------------------------------------------------------------------------------------ */
/* Queueing the hand-off                                                                             */

/** Queues the hand-off of a newly filed ticket, inside the transaction that filed it: a signed webhook
 *  delivery when a webhook URL is set, an email to the support address when one is set (both, one or
 *  neither). Nothing leaves the process here; call `dispatchHandOff` after commit. A delivery or email
 *  whose dispatch is lost is picked up by its sweeper. */
export async function queueTicketHandOff(tx: Db, ticketId: number): Promise<HandOff> {
  const handOff: HandOff = { deliveryIds: [], emailIds: [] }
  const settings = await readHelpdeskSettings(tx)
  if (!settings.webhookUrl && !settings.supportEmail) return handOff
  const doc = await readTicketDocument(tx, ticketId)
  if (!doc) throw new Error(`queueTicketHandOff: ticket ${ticketId} does not exist`)

  if (settings.webhookUrl) {
    const ids = await queueWebhookDeliveries(tx, 'helpdesk', [
      {
        event: TICKET_CREATED_EVENT,
        ticketId,
        url: settings.webhookUrl,
        body: (deliveryId) => ({
          event: TICKET_CREATED_EVENT,
          delivery_id: deliveryId,
          created_at: new Date().toISOString(),
          ticket: webhookTicket(doc),
        }),
      },
    ])
    handOff.deliveryIds.push(...ids)
  }
  if (settings.supportEmail) {
    handOff.emailIds.push(await queueEmail(tx, { to: settings.supportEmail, ...ticketEmail(doc) }))
  }
  return handOff
}

/** Sends what `queueTicketHandOff` queued. Call after the filing transaction committed. */
export async function dispatchHandOff(handOff: HandOff): Promise<void> {
  await dispatchDeliveries(handOff.deliveryIds)
  await dispatchEmails(handOff.emailIds)
}

/** The email to the support team, in the language the member wrote in. */
function ticketEmail(doc: TicketDocument) {
  const locale = isLocale(doc.locale) ? doc.locale : 'en'
  const t = translator(locale)
  const none = t('support_helpdesk.email.none')
  const requester = doc.requester.display_name
    ? `${doc.requester.display_name} <${doc.requester.email}>`
    : doc.requester.email
  /** "Label: value" in English, 「ラベル：値」 in Japanese. */
  const line = (label: string, value: string) => t('support_helpdesk.email.line', { label: t(label), value })
  const lines = [
    t('support_helpdesk.email.intro'),
    '',
    line('support_helpdesk.email.ticket', `#${doc.id}`),
    line('support_helpdesk.email.subject_label', doc.subject),
    line('support_helpdesk.email.requester', requester),
    line('support_helpdesk.email.account', doc.account ? `${doc.account.name} (#${doc.account.id})` : none),
    line('support_helpdesk.email.urgency', t(`support.urgency.${doc.urgency}`, { defaultValue: doc.urgency })),
    line(
      'support_helpdesk.email.product_area',
      doc.product_area ? t(`support.area.${doc.product_area}`, { defaultValue: doc.product_area }) : none,
    ),
    line('support_helpdesk.email.filed_at', `${formatDateTime(doc.created_at, locale, 'UTC')} (UTC)`),
    '',
    line('support_helpdesk.email.description', '').trimEnd(),
    doc.body || none,
  ]
  if (doc.deflection) {
    lines.push(
      '',
      line('support_helpdesk.email.searched', doc.deflection.query || none),
      t('support_helpdesk.email.suggestions', {
        shown: doc.deflection.suggestions_shown.length,
        opened: doc.deflection.suggestions_opened.length,
      }),
    )
  }
  lines.push('', line('support_helpdesk.email.link', doc.url))
  return {
    subject: t('support_helpdesk.email.subject', { id: doc.id, subject: doc.subject }),
    text: lines.join('\n'),
    template: 'support.ticket_created',
  }
}
