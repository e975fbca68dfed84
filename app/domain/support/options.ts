/** The fixed choices of the support domain, in a module the browser bundle may import. Labels are
 *  catalogue keys under `support.` (see app/locales/en/support.ts). */
export const ticketStatuses = ['open', 'pending', 'solved', 'closed'] as const
export type TicketStatus = (typeof ticketStatuses)[number]

export const ticketUrgencies = ['low', 'normal', 'high', 'urgent'] as const

/** What the request is about; the helpdesk routes on it. */
export const productAreas = ['account', 'billing', 'integrations', 'reporting', 'permissions', 'other'] as const
export type ProductArea = (typeof productAreas)[number]

export const deflectionOutcomes = ['pending', 'explicit', 'filed', 'implicit', 'abandoned'] as const
export type DeflectionOutcome = (typeof deflectionOutcomes)[number]

/** An attempt still pending this long after it began is decided by the outcome job: implicit when a
 *  suggestion was opened and no ticket followed, abandoned otherwise. */
export const IMPLICIT_WINDOW_HOURS = 72

/** Tickets per page on /support/tickets. */
export const TICKETS_PER_PAGE = 20
