import { and, eq, ne } from 'drizzle-orm'
import { z } from 'zod'
import { dispatchEmails } from '#app/lib/mail.server.ts'
import { type Failure, fail, ok, type Success } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { tickets } from '#db/schema/support.ts'
import { readTicketDocument, type TicketDocument } from './handoff.server.ts'
import { type TicketStatus, ticketStatuses } from './options.ts'
import { notifyTicketUpdated } from './ticket-notices.server.ts'

export const EXTERNAL_ID_MAX = 200

/** The body of `PATCH /api/v1/tickets/:id`. Unknown fields are refused rather than ignored, so a typo
 *  in an integration shows at once instead of silently changing nothing. `external_id: null` clears it. */
export const HelpdeskUpdateSchema = z
  .object({
    status: z.enum(ticketStatuses, { error: `must be one of: ${ticketStatuses.join(', ')}` }).optional(),
    external_id: z
      .string({ error: 'must be a string or null' })
      .trim()
      .min(1, 'must not be empty (send null to clear it)')
      .max(EXTERNAL_ID_MAX, `must be at most ${EXTERNAL_ID_MAX} characters`)
      .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')
      .nullable()
      .optional(),
  })
  .strict()
  .refine((value) => value.status !== undefined || value.external_id !== undefined, {
    error: 'send at least one of: status, external_id',
  })
export type HelpdeskUpdate = z.infer<typeof HelpdeskUpdateSchema>

/** A failure of the API, with a message per offending field for a 400. */
export type ApiFailure = Failure & { fields?: Record<string, string> }

/** Field problems of a helpdesk update as `{ field: message }` (`_` for the body as a whole), or null
 *  when the body is acceptable. */
export function parseHelpdeskUpdate(input: unknown): { ok: true; value: HelpdeskUpdate } | ApiFailure {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ...fail(400, 'support_helpdesk.api.invalid_fields'), fields: { _: 'the body must be a JSON object' } }
  }
  const parsed = HelpdeskUpdateSchema.safeParse(input)
  if (parsed.success) return { ok: true, value: parsed.data }
  const fields: Record<string, string> = {}
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] ??= 'is not a field of a ticket update'
      continue
    }
    const field = issue.path.length ? issue.path.join('.') : '_'
    fields[field] ??= issue.message
  }
  return { ...fail(400, 'support_helpdesk.api.invalid_fields'), fields }
}

function isResolved(status: TicketStatus): boolean {
  return status === 'solved' || status === 'closed'
}

/** Applies a status or external id sent by the helpdesk to one ticket, under a row lock. `resolved_at`
 *  is set when the status becomes solved or closed (kept when it moves from one to the other) and
 *  cleared when the ticket is reopened. An external id another ticket holds is a 409. A body that
 *  changes nothing leaves `updated_at` alone. A new status tells the ticket's member
 *  (`support_updated`, dispatched after commit). Returns the ticket in the API's JSON shape. */
export async function updateTicketFromHelpdesk(
  db: Db,
  { ticketId, input, now = new Date() }: { ticketId: number; input: unknown; now?: Date },
): Promise<Success<TicketDocument> | ApiFailure> {
  const parsed = parseHelpdeskUpdate(input)
  if (!parsed.ok) return parsed
  const update = parsed.value
  const emailIds: number[] = []
  try {
    const result = await db.transaction(async (tx): Promise<Success<TicketDocument> | ApiFailure> => {
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update')
      if (!ticket) return fail(404, 'support_helpdesk.api.ticket_not_found')

      if (update.external_id) {
        const [holder] = await tx
          .select({ id: tickets.id })
          .from(tickets)
          .where(and(eq(tickets.externalId, update.external_id), ne(tickets.id, ticketId)))
        if (holder) return externalIdTaken()
      }

      const changes: Partial<typeof tickets.$inferInsert> = {}
      if (update.status !== undefined && update.status !== ticket.status) {
        changes.status = update.status
        if (isResolved(update.status) && !isResolved(ticket.status)) changes.resolvedAt = now
        if (!isResolved(update.status)) changes.resolvedAt = null
      }
      if (update.external_id !== undefined && update.external_id !== ticket.externalId) {
        changes.externalId = update.external_id
      }
      if (Object.keys(changes).length > 0) {
        await tx
          .update(tickets)
          .set({ ...changes, updatedAt: now })
          .where(eq(tickets.id, ticketId))
      }
      if (changes.status)
        emailIds.push(...(await notifyTicketUpdated(tx, { ticketId, status: changes.status, at: now })))
      return ok((await readTicketDocument(tx, ticketId))!)
    })
    if (result.ok) await dispatchEmails(emailIds)
    return result
  } catch (error) {
    // Two requests claiming the same external id at once: the unique index decides.
    if (isUniqueViolation(error, 'tickets_external_id_key')) return externalIdTaken()
    throw error
  }
}

function externalIdTaken(): ApiFailure {
  return {
    ...fail(409, 'support_helpdesk.api.external_id_taken', { field: 'external_id' }),
    fields: { external_id: 'another ticket already has this external id' },
  }
}
