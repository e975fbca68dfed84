import { and, count, desc, eq } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { requireVerified } from '#app/domain/identity/email-verification.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { hitRateLimit, rateRules, waitParams } from '#app/lib/rate-limit.server.ts'
import type { Db } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import { deflectedKey, lockAttempt } from './attempts.server.ts'
import { dispatchHandOff, queueTicketHandOff } from './handoff.server.ts'
import { TICKETS_PER_PAGE } from './options.ts'
import type { ContactInput } from './schemas.ts'
import { notifyTicketReceived } from './ticket-notices.server.ts'

export type Ticket = typeof tickets.$inferSelect

export function ticketFiledKey(ticketId: number): string {
  return `ticket_filed:ticket:${ticketId}`
}

/** Sends the member's request: one ticket for the attempt, credited to the member and their account,
 *  handed to the helpdesk (webhook and/or email) once committed, and a receipt for the member
 *  (`support_received`: its number and page). Sending the same attempt twice (a
 *  double click, a resubmitted form) returns the first ticket. A member who marked a suggestion as
 *  the answer and then sends the request anyway was not deflected: the attempt becomes `filed` and
 *  its `ticket_deflected` ledger row is withdrawn in the same transaction. */
export async function fileTicket(
  db: Db,
  { user, input, now = new Date() }: { user: SessionUser; input: ContactInput; now?: Date },
): Promise<Outcome<{ ticket: Ticket; created: boolean }>> {
  const unverified = requireVerified(user)
  if (unverified) return unverified
  const pace = await hitRateLimit(db, `support:ticket:${user.id}`, rateRules.ticketsPerUser)
  if (!pace.allowed) {
    return fail(429, 'support.errors.too_many_tickets', {
      params: waitParams(pace.retryAfterSeconds, 'minutes'),
    })
  }
  const result = await db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, user, input.attempt, { create: true })
    if (!attempt) return fail(404, 'support.errors.attempt_invalid')
    if (attempt.outcome === 'filed') {
      const [existing] = await tx.select().from(tickets).where(eq(tickets.attemptId, attempt.id))
      if (existing) return ok({ ticket: existing, created: false, handOff: null })
    }
    const [ticket] = await tx
      .insert(tickets)
      .values({
        source: 'portal',
        userId: user.id,
        accountId: user.accountId,
        attemptId: attempt.id,
        requesterEmail: user.email,
        subject: input.subject,
        body: input.description,
        productArea: input.productArea,
        urgency: input.urgency,
        locale: user.locale,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
    if (attempt.outcome === 'explicit') {
      await tx.delete(activityEvents).where(eq(activityEvents.uniqueKey, deflectedKey(attempt.id)))
    }
    await tx
      .update(deflectionAttempts)
      .set({ outcome: 'filed', query: input.subject, decidedAt: now, updatedAt: now })
      .where(eq(deflectionAttempts.id, attempt.id))
    await recordActivity(tx, {
      type: 'ticket_filed',
      user,
      subject: { type: 'ticket', id: ticket!.id },
      uniqueKey: ticketFiledKey(ticket!.id),
      occurredAt: now,
    })
    const handOff = await queueTicketHandOff(tx, ticket!.id)
    handOff.emailIds.push(...(await notifyTicketReceived(tx, ticket!.id)))
    return ok({ ticket: ticket!, created: true, handOff })
  })
  if (!result.ok) return result
  const { handOff, ...value } = result.value
  if (handOff) await dispatchHandOff(handOff)
  return ok(value)
}

export type TicketRow = Pick<
  Ticket,
  'id' | 'subject' | 'status' | 'urgency' | 'productArea' | 'source' | 'createdAt' | 'updatedAt'
> & { requester: string | null; accountName: string | null }

/** The member's own tickets, newest first; with `all`, every ticket (staff who may read them). */
export async function listTickets(
  db: Db,
  { user, all = false, page = 1 }: { user: SessionUser; all?: boolean; page?: number },
): Promise<{ tickets: TicketRow[]; total: number; all: boolean }> {
  const everyone = all && can(user, 'support.view_tickets')
  const where = everyone ? undefined : eq(tickets.userId, user.id)
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: tickets.id,
        subject: tickets.subject,
        status: tickets.status,
        urgency: tickets.urgency,
        productArea: tickets.productArea,
        source: tickets.source,
        createdAt: tickets.createdAt,
        updatedAt: tickets.updatedAt,
        requester: users.displayName,
        accountName: accounts.name,
      })
      .from(tickets)
      .leftJoin(users, eq(users.id, tickets.userId))
      .leftJoin(accounts, eq(accounts.id, tickets.accountId))
      .where(where)
      .orderBy(desc(tickets.createdAt), desc(tickets.id))
      .limit(TICKETS_PER_PAGE)
      .offset((page - 1) * TICKETS_PER_PAGE),
    db.select({ n: count() }).from(tickets).where(where),
  ])
  return { tickets: rows, total: total?.n ?? 0, all: everyone }
}

export type TicketDetail = Ticket & {
  requester: string | null
  accountName: string | null
  attempt: Pick<typeof deflectionAttempts.$inferSelect, 'query' | 'shown' | 'opened' | 'solvedDoc'> | null
}

/** One ticket, for its requester or for staff who may read tickets; anyone else gets a 404, the same
 *  answer as for a ticket that does not exist, so ids reveal nothing. */
export async function getTicket(db: Db, { user, ticketId }: { user: SessionUser; ticketId: number }) {
  const [row] = await db
    .select({
      ticket: tickets,
      requester: users.displayName,
      accountName: accounts.name,
      query: deflectionAttempts.query,
      shown: deflectionAttempts.shown,
      opened: deflectionAttempts.opened,
      solvedDoc: deflectionAttempts.solvedDoc,
    })
    .from(tickets)
    .leftJoin(users, eq(users.id, tickets.userId))
    .leftJoin(accounts, eq(accounts.id, tickets.accountId))
    .leftJoin(deflectionAttempts, eq(deflectionAttempts.id, tickets.attemptId))
    .where(
      can(user, 'support.view_tickets')
        ? eq(tickets.id, ticketId)
        : and(eq(tickets.id, ticketId), eq(tickets.userId, user.id)),
    )
  if (!row) return fail(404, 'support.errors.ticket_not_found')
  const { ticket, query, shown, opened, solvedDoc, ...names } = row
  const detail: TicketDetail = {
    ...ticket,
    ...names,
    attempt: query === null ? null : { query, shown: shown ?? [], opened: opened ?? [], solvedDoc },
  }
  return ok(detail)
}
