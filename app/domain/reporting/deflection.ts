/** The arithmetic of the support figures (docs/architecture.md section 7), apart from the queries that
 *  count (`deflection.server.ts`), so the support insights page and the dashboard derive rates and money
 *  the same way. A plain module: the browser bundle may import it.
 *
 *  Three ratios here and in scoring sound alike and count different things, on purpose:
 *  - `deflectionRate` (here): explicit deflections ÷ (explicit + contact-flow tickets). Imported
 *    tickets stay out: they never went through the contact flow, so nothing could have deflected them.
 *  - `selfServiceRatio` (here): distinct help readers ÷ distinct ticket filers, imported tickets' filers
 *    included: how many members helped themselves for each one who asked for help in any channel.
 *  - the health measure `selfService` (`scoring/health.ts`, `selfServiceBand`): the account's
 *    `ticket_deflected` ledger rows ÷ (those + its `ticket_filed` rows), imports included, since it
 *    weighs an account's whole demand for help; it shows as "deflection rate" in an account's reasons.
 *  So imported tickets lower an account's health `selfService` and never its `deflectionRate`. */

/** What one ticket costs to handle, in minor units of its currency. */
export type TicketCost = { amountMinor: number; currency: string }

/** The raw counts of one period, for everything or for one account. */
export type SupportCounts = {
  /** Every ticket created in the period, from the contact flow and imported. */
  tickets: number
  ticketsPortal: number
  ticketsImported: number
  /** Contact-flow uses, by what became of them (the attempt's `created_at` puts it in a period). */
  explicit: number
  /** Attempts that ended in a ticket: the contact-flow tickets, the deflection rate's "filed". */
  filed: number
  implicit: number
  pending: number
  abandoned: number
  /** Distinct members who read a help article in the period. */
  helpReaders: number
  /** Distinct users who filed a ticket (either source) in the period. */
  ticketFilers: number
  /** Questions asked in the period, visible, with an accepted answer. */
  answeredQuestions: number
  /** Of those, the ones whose accepted answer was written by a customer (a member, not staff). */
  communityAnswered: number
}

export type SupportFigures = SupportCounts & {
  /** `deflectionRate(explicit, filed)`: contact-flow tickets only. */
  deflectionRate: number | null
  /** (explicit + implicit) ÷ (explicit + implicit + filed): the most the rate could be if every implicit
   *  deflection was real. Never merged into `deflectionRate`. Null when all three are 0. */
  deflectionRateUpper: number | null
  cost: TicketCost
  /** explicit × cost per ticket, in minor units of `cost.currency`. */
  costSavedMinor: number
  /** (explicit + implicit) × cost per ticket: the upper end of the range. */
  costSavedUpperMinor: number
  /** `selfServiceRatio(helpReaders, ticketFilers)`: filers of either source. */
  selfServiceRatio: number | null
  /** communityAnswered ÷ answeredQuestions; null with no answered question. */
  communityAnswerRate: number | null
}

export const emptyCounts: SupportCounts = {
  tickets: 0,
  ticketsPortal: 0,
  ticketsImported: 0,
  explicit: 0,
  filed: 0,
  implicit: 0,
  pending: 0,
  abandoned: 0,
  helpReaders: 0,
  ticketFilers: 0,
  answeredQuestions: 0,
  communityAnswered: 0,
}

/** part ÷ whole, or null when there is nothing to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole
}

/** The deflection rate: explicit deflections ÷ (explicit deflections + tickets filed through the contact
 *  flow); null when both are 0. `filed` counts contact-flow tickets only (an attempt that ended in a
 *  ticket): an imported ticket never met a suggestion, so counting it would blame the help center for
 *  requests it never saw. Given explicit + implicit it is the upper end of the range. The dashboard's
 *  weekly table uses it too. */
export function deflectionRate(explicit: number, filed: number): number | null {
  return ratio(explicit, explicit + filed)
}

/** The self-service ratio: distinct members who read a help article ÷ distinct users who filed a
 *  ticket, from the contact flow or imported; null with no filer. Not a share (it may pass 1) and not
 *  the deflection rate: it compares people, whatever channel they asked in, so imports count here. */
export function selfServiceRatio(helpReaders: number, ticketFilers: number): number | null {
  return ratio(helpReaders, ticketFilers)
}

/** The figures that follow from the counts and the cost of one ticket. */
export function deriveFigures(counts: SupportCounts, cost: TicketCost): SupportFigures {
  const upper = counts.explicit + counts.implicit
  return {
    ...counts,
    deflectionRate: deflectionRate(counts.explicit, counts.filed),
    deflectionRateUpper: deflectionRate(upper, counts.filed),
    cost,
    costSavedMinor: counts.explicit * cost.amountMinor,
    costSavedUpperMinor: upper * cost.amountMinor,
    selfServiceRatio: selfServiceRatio(counts.helpReaders, counts.ticketFilers),
    communityAnswerRate: ratio(counts.communityAnswered, counts.answeredQuestions),
  }
}
