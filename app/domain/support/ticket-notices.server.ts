import { eq } from 'drizzle-orm'
import { notify } from '#app/domain/notify/notifications.server.ts'
import { translator } from '#app/lib/i18n.ts'
import type { Db } from '#db/client.server.ts'
import { tickets } from '#db/schema/support.ts'
import type { TicketStatus } from './options.ts'

// What the member hears about their support request: that it arrived (`support_received`, with its
// number and page) and that the helpdesk changed it (`support_updated`). Both go through the notify
// context's one writer, so each follows the member's channel for its kind.

/** The ticket and the member who filed it; null for a ticket without one (an imported address nobody
 *  holds), which tells no one. */
async function ticketWithMember(tx: Db, ticketId: number) {
  const [ticket] = await tx
    .select({ id: tickets.id, userId: tickets.userId, subject: tickets.subject })
    .from(tickets)
    .where(eq(tickets.id, ticketId))
  return ticket?.userId ? { ...ticket, userId: ticket.userId } : null
}

/** Tells the member who filed the ticket that it arrived. Once per ticket, however often the filing
 *  is retried. Runs in the filing transaction; returns the email ids to dispatch after commit. */
export async function notifyTicketReceived(tx: Db, ticketId: number): Promise<number[]> {
  const ticket = await ticketWithMember(tx, ticketId)
  if (!ticket) return []
  return notify(tx, {
    kind: 'support_received',
    recipientIds: [ticket.userId],
    target: { ticketId: ticket.id },
    dedupeKey: () => `support_received:${ticket.id}`,
    email: (recipient) => {
      const t = translator(recipient.locale)
      const params = { id: ticket.id, subject: ticket.subject }
      return {
        subject: t('support.email.received.subject', params),
        paragraphs: [t('support.email.received.intro', params)],
      }
    },
  })
}

/** Tells the ticket's member that the helpdesk moved it to `status` (the API or an import). `at` is the
 *  change's time: the same change retried sends one email, a later change to the same status is news.
 *  A ticket without a member (an imported address nobody holds) tells no one. */
export async function notifyTicketUpdated(
  tx: Db,
  { ticketId, status, at }: { ticketId: number; status: TicketStatus; at: Date },
): Promise<number[]> {
  const ticket = await ticketWithMember(tx, ticketId)
  if (!ticket) return []
  return notify(tx, {
    kind: 'support_updated',
    recipientIds: [ticket.userId],
    target: { ticketId: ticket.id },
    dedupeKey: () => `support_updated:${ticket.id}:${status}:${at.getTime()}`,
    email: (recipient) => {
      const t = translator(recipient.locale)
      const params = { id: ticket.id, subject: ticket.subject, status: t(`support.status.${status}`) }
      return {
        subject: t('support.email.updated.subject', params),
        paragraphs: [t('support.email.updated.intro', params)],
      }
    },
  })
}
