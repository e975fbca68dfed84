import { and, count, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import type { DeflectionOutcome } from '#app/domain/support/options.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import { normalizeQuery } from '#search/text.ts'
import { type AccountFigures, supportFigures, supportFiguresByAccount } from './deflection.server.ts'
import type { SupportFigures } from './deflection.ts'
import {
  INSIGHT_ROWS,
  type InsightPeriod,
  insightPeriods,
  isOfferedPeriod,
  lastDays,
  type ReportPeriod,
} from './periods.ts'

/** Attempts per page of the staff view. */
export const ATTEMPTS_PER_PAGE = 25

export type SuggestionRef = { doc: string; title: string | null }

/** One use of the contact flow as staff read it. */
export type AttemptRow = {
  id: number
  createdAt: Date
  query: string
  outcome: DeflectionOutcome
  user: { id: number; displayName: string } | null
  account: { id: number; name: string } | null
  /** What was suggested, each document once, in the order the member first saw them. */
  shown: { doc: string; rank: number; title: string }[]
  /** What the member opened, first opening first, with the title it was shown under. */
  opened: (SuggestionRef & { at: Date })[]
  /** The suggestion marked "This solved my problem". */
  solved: (SuggestionRef & { at: Date | null }) | null
  /** The ticket this attempt ended in. */
  ticketId: number | null
}

export type AttemptFilter = ReportPeriod & { outcome?: DeflectionOutcome; accountId?: number }

/** A page of the period's attempts, newest first (then by id), narrowed by outcome and account, with
 *  the total for paging. Two queries: the page (with member, account and ticket joined) and the count. */
export async function listAttempts(
  db: Db,
  {
    from,
    to,
    outcome,
    accountId,
    page = 1,
    perPage = ATTEMPTS_PER_PAGE,
  }: AttemptFilter & {
    page?: number
    perPage?: number
  },
): Promise<{ rows: AttemptRow[]; total: number }> {
  const where = and(
    gte(deflectionAttempts.createdAt, from),
    lt(deflectionAttempts.createdAt, to),
    outcome ? eq(deflectionAttempts.outcome, outcome) : undefined,
    accountId === undefined ? undefined : eq(deflectionAttempts.accountId, accountId),
  )
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: deflectionAttempts.id,
        createdAt: deflectionAttempts.createdAt,
        query: deflectionAttempts.query,
        outcome: deflectionAttempts.outcome,
        shown: deflectionAttempts.shown,
        opened: deflectionAttempts.opened,
        solvedDoc: deflectionAttempts.solvedDoc,
        solvedAt: deflectionAttempts.solvedAt,
        userId: users.id,
        userName: users.displayName,
        accountId: accounts.id,
        accountName: accounts.name,
        ticketId: tickets.id,
      })
      .from(deflectionAttempts)
      .leftJoin(users, eq(users.id, deflectionAttempts.userId))
      .leftJoin(accounts, eq(accounts.id, deflectionAttempts.accountId))
      .leftJoin(tickets, eq(tickets.attemptId, deflectionAttempts.id))
      .where(where)
      .orderBy(desc(deflectionAttempts.createdAt), desc(deflectionAttempts.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    db.select({ n: count() }).from(deflectionAttempts).where(where),
  ])
  return {
    total: total?.n ?? 0,
    rows: rows.map((row) => {
      const titles = new Map<string, string>()
      const shown: AttemptRow['shown'] = []
      for (const suggestion of row.shown ?? []) {
        if (titles.has(suggestion.doc)) continue
        titles.set(suggestion.doc, suggestion.title)
        shown.push({ doc: suggestion.doc, rank: suggestion.rank, title: suggestion.title })
      }
      return {
        id: row.id,
        createdAt: row.createdAt,
        query: row.query,
        outcome: row.outcome,
        user: row.userId === null ? null : { id: row.userId, displayName: row.userName ?? '' },
        account: row.accountId === null ? null : { id: row.accountId, name: row.accountName ?? '' },
        shown,
        opened: (row.opened ?? []).map((o) => ({ doc: o.doc, title: titles.get(o.doc) ?? null, at: new Date(o.at) })),
        solved: row.solvedDoc
          ? { doc: row.solvedDoc, title: titles.get(row.solvedDoc) ?? null, at: row.solvedAt }
          : null,
        ticketId: row.ticketId,
      }
    }),
  }
}

/** A subject members keep filing tickets about: what to write next. */
export type TicketEndingQuery = {
  /** The subject as grouped: NFKC, lower case, single spaces (search's `normalizeQuery`). */
  normalized: string
  tickets: number
  explicit: number
  implicit: number
  lastFiledAt: Date
}

/** The queries that most often end in a ticket over the period: the decided attempts (filed, explicit,
 *  implicit) grouped by their normalised subject, kept when at least one was filed, most tickets first
 *  (then the most recently filed). Beside the tickets, the deflections the same subject got, so staff
 *  can tell a subject no content answers from one that is answered only sometimes. The database groups
 *  by exact subject; the few spellings of one subject are merged here, with the same normalisation as
 *  search insights. */
export async function ticketEndingQueries(
  db: Db,
  { from, to, accountId, limit = INSIGHT_ROWS }: ReportPeriod & { accountId?: number; limit?: number },
): Promise<TicketEndingQuery[]> {
  const rows = await db
    .select({
      query: deflectionAttempts.query,
      tickets: sql<number>`(count(*) filter (where ${deflectionAttempts.outcome} = 'filed'))::int`.mapWith(Number),
      explicit: sql<number>`(count(*) filter (where ${deflectionAttempts.outcome} = 'explicit'))::int`.mapWith(Number),
      implicit: sql<number>`(count(*) filter (where ${deflectionAttempts.outcome} = 'implicit'))::int`.mapWith(Number),
      lastFiledAt: sql<Date | null>`max(${deflectionAttempts.createdAt}) filter (where ${deflectionAttempts.outcome} = 'filed')`,
    })
    .from(deflectionAttempts)
    .where(
      and(
        gte(deflectionAttempts.createdAt, from),
        lt(deflectionAttempts.createdAt, to),
        inArray(deflectionAttempts.outcome, ['filed', 'explicit', 'implicit']),
        accountId === undefined ? undefined : eq(deflectionAttempts.accountId, accountId),
      ),
    )
    .groupBy(deflectionAttempts.query)

  const groups = new Map<string, TicketEndingQuery>()
  for (const row of rows) {
    const normalized = normalizeQuery(row.query)
    if (!normalized) continue
    const last = row.lastFiledAt === null ? null : new Date(row.lastFiledAt)
    const group = groups.get(normalized)
    if (!group) {
      groups.set(normalized, {
        normalized,
        tickets: row.tickets,
        explicit: row.explicit,
        implicit: row.implicit,
        lastFiledAt: last ?? new Date(0),
      })
      continue
    }
    group.tickets += row.tickets
    group.explicit += row.explicit
    group.implicit += row.implicit
    if (last && last > group.lastFiledAt) group.lastFiledAt = last
  }
  return [...groups.values()]
    .filter((group) => group.tickets > 0)
    .sort(
      (a, b) =>
        b.tickets - a.tickets ||
        b.lastFiledAt.getTime() - a.lastFiledAt.getTime() ||
        a.normalized.localeCompare(b.normalized),
    )
    .slice(0, limit)
}

export type SupportInsights = {
  days: InsightPeriod
  since: Date
  until: Date
  /** The account the cards, attempts and queries are narrowed to. */
  account: { id: number; name: string } | null
  outcome: DeflectionOutcome | null
  figures: SupportFigures
  byAccount: AccountFigures[]
  /** Tickets of the period that belong to no account (imports whose requester matched nothing); only
   *  without an account filter. */
  ticketsWithoutAccount: number
  attempts: { rows: AttemptRow[]; total: number; page: number; perPage: number }
  topQueries: TicketEndingQuery[]
}

/** Everything the support insights page shows for the last `days` days, for staff with
 *  `support.insights`: the figures (for one account when `accountId` is given), every account's figures,
 *  a page of attempts and the subjects that most often end in a ticket. The period is [now − days, now). */
export async function getSupportInsights(
  db: Db,
  {
    actor,
    days,
    accountId,
    outcome,
    page = 1,
    now = new Date(),
  }: {
    actor: SessionUser
    days: number
    accountId?: number
    outcome?: DeflectionOutcome
    page?: number
    now?: Date
  },
): Promise<Outcome<SupportInsights>> {
  if (!can(actor, 'support.insights')) return fail(403, 'errors.forbidden')
  if (!isOfferedPeriod(days, insightPeriods)) return fail(400, 'support_insights.period_invalid', { field: 'days' })
  let account: SupportInsights['account'] = null
  if (accountId !== undefined) {
    const [found] = await db
      .select({ id: accounts.id, name: accounts.name })
      .from(accounts)
      .where(eq(accounts.id, accountId))
    if (!found) return fail(404, 'support_insights.account_not_found')
    account = found
  }
  const period = lastDays(days, now)
  const [figures, byAccount, attempts, topQueries] = await Promise.all([
    supportFigures(db, { ...period, accountId }),
    supportFiguresByAccount(db, period),
    listAttempts(db, { ...period, accountId, outcome, page }),
    ticketEndingQueries(db, { ...period, accountId }),
  ])
  const assigned = byAccount.reduce((sum, row) => sum + row.tickets, 0)
  return ok({
    days,
    since: period.from,
    until: period.to,
    account,
    outcome: outcome ?? null,
    figures,
    byAccount,
    ticketsWithoutAccount: account ? 0 : Math.max(0, figures.tickets - assigned),
    attempts: { ...attempts, page, perPage: ATTEMPTS_PER_PAGE },
    topQueries,
  })
}
