import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { readCostPerTicket } from '#app/domain/support/settings.server.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import { deriveFigures, emptyCounts, type SupportCounts, type SupportFigures } from './deflection.ts'
import type { ReportPeriod } from './periods.ts'

export type AccountFigures = SupportFigures & { accountId: number; accountName: string }

/** The support figures of docs/architecture.md section 7 for a period, for everything or for one account.
 *
 *  What puts a row into the period, and into an account:
 *  - a ticket: its `created_at` (when it was filed, or the helpdesk's creation time for an import) and its
 *    `account_id`. `tickets` counts both sources; the rate's `filed` counts only contact-flow tickets.
 *  - an attempt: its `created_at` (when the member began typing), never the time it was decided, so an
 *    attempt is in the same period whatever its outcome and however late the 72-hour job decides it. An
 *    attempt begun just before the period's end may therefore be `filed` in this period while its ticket
 *    is counted in the next one. Account: the attempt's `account_id`.
 *  - a help reader: a member (staff reading their own help center are not self-service) with an
 *    `article_viewed` ledger row in the period, in the account the ledger credited.
 *  - a ticket filer: a user (any source) with a ticket created in the period, in the ticket's account.
 *  - a question: asked (`created_at`) in the period, neither hidden nor deleted, with an accepted answer
 *    that is not deleted; it belongs to the account of its author. The answer is a community answer when
 *    its author is a member (a customer), not staff.
 *
 *  Four grouped queries and the cost setting, whatever the volume. */
export async function supportFigures(
  db: Db,
  { from, to, accountId }: ReportPeriod & { accountId?: number },
): Promise<SupportFigures> {
  const scope = { from, to, accountId, grouped: false }
  const [cost, measured] = await Promise.all([readCostPerTicket(db), measure(db, scope)])
  return deriveFigures(measured.get(null) ?? emptyCounts, cost)
}

/** The figures of every account with anything to count in the period (a ticket, an attempt, a help
 *  reader or an answered question), by account name. Set-based: one query per measure, grouped by
 *  account, however many accounts there are. Tickets and activity without an account (an import whose
 *  requester matched nobody, staff) appear only in `supportFigures` without an account. */
export async function supportFiguresByAccount(db: Db, { from, to }: ReportPeriod): Promise<AccountFigures[]> {
  const [cost, measured] = await Promise.all([readCostPerTicket(db), measure(db, { from, to, grouped: true })])
  const ids = [...measured.keys()].filter((id): id is number => id !== null)
  if (ids.length === 0) return []
  const names = await db
    .select({ id: accounts.id, name: accounts.name })
    .from(accounts)
    .where(inArray(accounts.id, ids))
    .orderBy(asc(accounts.name), asc(accounts.id))
  return names.map(({ id, name }) => ({
    accountId: id,
    accountName: name,
    ...deriveFigures(measured.get(id) ?? emptyCounts, cost),
  }))
}

type Scope = ReportPeriod & { accountId?: number; grouped: boolean }
type Measured = Map<number | null, SupportCounts>

const int = (expression: SQL) => sql<number>`(${expression})::int`.mapWith(Number)

/** The counts of the scope: one entry (key null) when not grouped, otherwise one per account. */
async function measure(db: Db, scope: Scope): Promise<Measured> {
  const [ticketRows, attemptRows, readerRows, questionRows] = await Promise.all([
    countTickets(db, scope),
    countAttempts(db, scope),
    countReaders(db, scope),
    countQuestions(db, scope),
  ])
  const result: Measured = new Map()
  const add = (rows: ({ accountId: number | null } & Partial<SupportCounts>)[]) => {
    for (const { accountId, ...counts } of rows) {
      const key = scope.grouped ? accountId : null
      result.set(key, { ...(result.get(key) ?? emptyCounts), ...counts })
    }
  }
  add(ticketRows)
  add(attemptRows)
  add(readerRows)
  add(questionRows)
  // Grouped, activity without an account belongs to no account row.
  if (scope.grouped) result.delete(null)
  return result
}

/** The account column of a measure: the real one when grouping, a constant otherwise. */
function accountKey(column: SQL, grouped: boolean) {
  return (grouped ? sql<number | null>`${column}` : sql<number | null>`null::int`).mapWith((value) =>
    value === null ? null : Number(value),
  )
}

function countTickets(db: Db, { from, to, accountId, grouped }: Scope) {
  const query = db
    .select({
      accountId: accountKey(sql`${tickets.accountId}`, grouped),
      tickets: int(sql`count(*)`),
      ticketsPortal: int(sql`count(*) filter (where ${tickets.source} = 'portal')`),
      ticketsImported: int(sql`count(*) filter (where ${tickets.source} = 'import')`),
      ticketFilers: int(sql`count(distinct ${tickets.userId})`),
    })
    .from(tickets)
    .where(
      and(
        gte(tickets.createdAt, from),
        lt(tickets.createdAt, to),
        accountId === undefined ? undefined : eq(tickets.accountId, accountId),
      ),
    )
    .$dynamic()
  return grouped ? query.groupBy(tickets.accountId) : query
}

function countAttempts(db: Db, { from, to, accountId, grouped }: Scope) {
  const outcome = (name: string) => int(sql`count(*) filter (where ${deflectionAttempts.outcome} = ${name})`)
  const query = db
    .select({
      accountId: accountKey(sql`${deflectionAttempts.accountId}`, grouped),
      explicit: outcome('explicit'),
      filed: outcome('filed'),
      implicit: outcome('implicit'),
      pending: outcome('pending'),
      abandoned: outcome('abandoned'),
    })
    .from(deflectionAttempts)
    .where(
      and(
        gte(deflectionAttempts.createdAt, from),
        lt(deflectionAttempts.createdAt, to),
        accountId === undefined ? undefined : eq(deflectionAttempts.accountId, accountId),
      ),
    )
    .$dynamic()
  return grouped ? query.groupBy(deflectionAttempts.accountId) : query
}

function countReaders(db: Db, { from, to, accountId, grouped }: Scope) {
  const query = db
    .select({
      accountId: accountKey(sql`${activityEvents.accountId}`, grouped),
      helpReaders: int(sql`count(distinct ${activityEvents.userId})`),
    })
    .from(activityEvents)
    .innerJoin(users, eq(users.id, activityEvents.userId))
    .where(
      and(
        eq(activityEvents.type, 'article_viewed'),
        gte(activityEvents.occurredAt, from),
        lt(activityEvents.occurredAt, to),
        eq(users.role, 'member'),
        accountId === undefined ? undefined : eq(activityEvents.accountId, accountId),
      ),
    )
    .$dynamic()
  return grouped ? query.groupBy(activityEvents.accountId) : query
}

const asker = alias(users, 'asker')
const answerer = alias(users, 'answerer')

function countQuestions(db: Db, { from, to, accountId, grouped }: Scope) {
  const query = db
    .select({
      accountId: accountKey(sql`${asker.accountId}`, grouped),
      answeredQuestions: int(sql`count(*)`),
      communityAnswered: int(sql`count(*) filter (where ${answerer.role} = 'member')`),
    })
    .from(questions)
    .innerJoin(answers, eq(answers.id, questions.acceptedAnswerId))
    .innerJoin(answerer, eq(answerer.id, answers.authorId))
    .innerJoin(asker, eq(asker.id, questions.authorId))
    .where(
      and(
        gte(questions.createdAt, from),
        lt(questions.createdAt, to),
        isNotNull(questions.acceptedAnswerId),
        isNull(questions.deletedAt),
        isNull(questions.hiddenAt),
        isNull(answers.deletedAt),
        accountId === undefined ? undefined : eq(asker.accountId, accountId),
      ),
    )
    .$dynamic()
  return grouped ? query.groupBy(asker.accountId) : query
}

/** One week of the filed-vs-deflected series; `week` is the Monday (UTC) it starts on, `YYYY-MM-DD`. */
export type WeeklySupport = {
  week: string
  /** Tickets created in the week, from the contact flow and imported. */
  tickets: number
  /** Contact-flow uses begun in the week, by what became of them: the rate's "filed", "explicit" and
   *  the implicit upper range, counted exactly as in `supportFigures`. */
  filed: number
  explicit: number
  implicit: number
}

type WeeklyRow = {
  week: string
  tickets: number | string
  filed: number | string
  explicit: number | string
  implicit: number | string
}

/** The period's tickets and deflections per week, for the filed-vs-deflected chart: one row for every
 *  ISO week (Monday to Sunday, UTC) the period touches, weeks without anything included as zeros. The
 *  rows are counted by the same rules as `supportFigures` (a ticket by its `created_at`, an attempt by
 *  its `created_at` whatever its outcome, `[from, to)`), so the weeks of a period add up to its
 *  figures; the first and last weeks count only the part inside the period. One grouped query over
 *  each table, joined to the generated weeks, whatever the volume. */
export async function supportWeekly(
  db: Db,
  { from, to, accountId }: ReportPeriod & { accountId?: number },
): Promise<WeeklySupport[]> {
  if (from >= to) return []
  const start = from.toISOString()
  const end = to.toISOString()
  const ticketScope = accountId === undefined ? sql`true` : sql`${tickets.accountId} = ${accountId}`
  const attemptScope = accountId === undefined ? sql`true` : sql`${deflectionAttempts.accountId} = ${accountId}`
  const week = (column: SQL) => sql`date_trunc('week', ${column} at time zone 'UTC')`
  const result = await db.execute(sql`
    with weeks as (
      select generate_series(
        date_trunc('week', ${start}::timestamptz at time zone 'UTC'),
        date_trunc('week', (${end}::timestamptz - interval '1 microsecond') at time zone 'UTC'),
        interval '1 week'
      ) as week
    ),
    ticket_weeks as (
      select ${week(sql`${tickets.createdAt}`)} as week, count(*)::int as tickets
      from ${tickets}
      where ${tickets.createdAt} >= ${start}::timestamptz and ${tickets.createdAt} < ${end}::timestamptz
        and ${ticketScope}
      group by 1
    ),
    attempt_weeks as (
      select ${week(sql`${deflectionAttempts.createdAt}`)} as week,
             count(*) filter (where ${deflectionAttempts.outcome} = 'filed')::int as filed,
             count(*) filter (where ${deflectionAttempts.outcome} = 'explicit')::int as explicit,
             count(*) filter (where ${deflectionAttempts.outcome} = 'implicit')::int as implicit
      from ${deflectionAttempts}
      where ${deflectionAttempts.createdAt} >= ${start}::timestamptz
        and ${deflectionAttempts.createdAt} < ${end}::timestamptz
        and ${attemptScope}
      group by 1
    )
    select to_char(weeks.week, 'YYYY-MM-DD') as week,
           coalesce(ticket_weeks.tickets, 0) as tickets,
           coalesce(attempt_weeks.filed, 0) as filed,
           coalesce(attempt_weeks.explicit, 0) as explicit,
           coalesce(attempt_weeks.implicit, 0) as implicit
    from weeks
    left join ticket_weeks on ticket_weeks.week = weeks.week
    left join attempt_weeks on attempt_weeks.week = weeks.week
    order by weeks.week`)
  return rowsOf<WeeklyRow>(result).map((row) => ({
    week: String(row.week),
    tickets: Number(row.tickets),
    filed: Number(row.filed),
    explicit: Number(row.explicit),
    implicit: Number(row.implicit),
  }))
}
