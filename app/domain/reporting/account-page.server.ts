/** `/manage/accounts/:id`: one account read across contexts (its health snapshots, members, tickets,
 *  deflections, events attended and support figures). */
import { and, asc, type Column, desc, eq, gte, inArray, lt, lte, max, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { listOutcomes, type OutcomeHistoryRow } from '#app/domain/identity/outcomes.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import type { BilingualText } from '#app/domain/scoring/reasons.ts'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import type { HealthBand, HealthLevel, MemberLevel } from '#app/domain/scoring/settings.ts'
import type { TouchTier } from '#app/domain/scoring/tiers.ts'
import { utcDay } from '#app/lib/days.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { accountScores, type StoredHealthComponent, userScores } from '#db/schema/scoring.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import { supportFigures } from './deflection.server.ts'
import type { SupportFigures } from './deflection.ts'
import { type DashboardPeriod, dashboardPeriods, lastDays } from './periods.ts'

const memberLevelRank: Record<MemberLevel, number> = { observer: 0, participant: 1, contributor: 2, champion: 3 }

/** One day of an account's health history. */
export type HistoryPoint = { day: string; level: HealthLevel; score: number | null; coverage: number }

/** A snapshot as the account page shows it. */
export type AccountSnapshot = {
  day: string
  level: HealthLevel
  score: number | null
  coverage: number
  tier: TouchTier
  components: StoredHealthComponent[]
  summary: BilingualText
  change: BilingualText | null
  levelSince: string
  hardRisk: string | null
  play: string
  playReason: BilingualText
  engagementPoints: number
  activeMembers: number
  champions: number
}

/** How one measure moved between the previous snapshot and the latest. */
export type MeasureChange = {
  measure: string
  fromBand: HealthBand | null
  toBand: HealthBand | null
  fromValue: number | null
  toValue: number | null
}

export type AccountMember = {
  userId: number
  displayName: string
  disabled: boolean
  /** From the latest snapshot; a member without a row there is an observer with no points. */
  level: MemberLevel
  points: number
  /** The member's latest row in the activity ledger, of any type, up to now. */
  lastActiveAt: Date | null
}

export type AccountTicket = {
  id: number
  subject: string
  status: string
  source: string
  urgency: string
  createdAt: Date
  requester: string
}

export type AccountDeflection = {
  id: number
  query: string
  outcome: 'explicit' | 'implicit'
  createdAt: Date
  member: string | null
}

export type AccountEventAttended = {
  eventId: number
  title: string
  kind: string
  startsAt: Date
  member: string
}

export type AccountPage = {
  days: DashboardPeriod
  periods: readonly DashboardPeriod[]
  from: Date
  to: Date
  account: {
    id: number
    name: string
    plan: string | null
    seats: number | null
    arrMinor: number | null
    arrCurrency: string
    contractStart: string | null
    renewalDate: string | null
    churnedAt: Date | null
    csmName: string | null
  }
  /** The latest snapshot on or before the period's end, and the one before it. */
  latest: AccountSnapshot | null
  previous: AccountSnapshot | null
  /** The measures whose band or value differs between `previous` and `latest`. */
  changes: MeasureChange[]
  history: HistoryPoint[]
  /** The overall score's band thresholds, for the history chart. */
  thresholds: { goodFrom: number; normalFrom: number }
  members: AccountMember[]
  tickets: AccountTicket[]
  deflections: AccountDeflection[]
  eventsAttended: AccountEventAttended[]
  support: SupportFigures
  /** What happened to the contract, newest first (app/domain/identity/outcomes.server.ts). */
  outcomes: OutcomeHistoryRow[]
}

const snapshotColumns = {
  day: accountScores.asOf,
  level: accountScores.level,
  score: accountScores.score,
  coverage: accountScores.coverage,
  tier: accountScores.tier,
  components: accountScores.components,
  summary: accountScores.summary,
  change: accountScores.change,
  levelSince: accountScores.levelSince,
  hardRisk: accountScores.hardRisk,
  play: accountScores.play,
  playReason: accountScores.playReason,
  engagementPoints: accountScores.engagementPoints,
  activeMembers: accountScores.activeMembers,
  champions: accountScores.champions,
}

/** The measures whose band or value moved between two snapshots, in the latest snapshot's order. */
function measureChanges(previous: AccountSnapshot | null, latest: AccountSnapshot | null): MeasureChange[] {
  if (!previous || !latest) return []
  const before = new Map(previous.components.map((component) => [component.measure, component]))
  return latest.components.flatMap((component) => {
    const old = before.get(component.measure)
    const fromBand = old?.band ?? null
    const fromValue = old?.value ?? null
    if (fromBand === component.band && fromValue === component.value) return []
    return [{ measure: component.measure, fromBand, toBand: component.band, fromValue, toValue: component.value }]
  })
}

/** Everything `/manage/accounts/:id` shows for the last `days` days, for anyone with
 *  `manage.dashboard`; 404 for an unknown account. Health now (the latest snapshot on or before the
 *  period's end) with each measure, what changed since the snapshot before, and the play; the level and
 *  score of every snapshot day in the period; the members with their level and last activity; the
 *  period's tickets, deflections (explicit and implicit contact-flow outcomes) and events attended
 *  (published events that ended in the period, attendance marked), newest first; and the account's
 *  support figures for the period. A fixed number of queries, one per list. */
export async function getAccountPage(
  db: Db,
  {
    actor,
    accountId,
    days,
    now = new Date(),
  }: { actor: SessionUser; accountId: number; days: DashboardPeriod; now?: Date },
): Promise<Outcome<AccountPage>> {
  if (!can(actor, 'manage.dashboard')) return fail(403, 'errors.forbidden')
  const csm = alias(users, 'csm')
  const [account] = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      plan: accounts.plan,
      seats: accounts.seats,
      arrMinor: accounts.arrMinor,
      arrCurrency: accounts.arrCurrency,
      contractStart: accounts.contractStart,
      renewalDate: accounts.renewalDate,
      churnedAt: accounts.churnedAt,
      csmName: csm.displayName,
    })
    .from(accounts)
    .leftJoin(csm, eq(csm.id, accounts.csmUserId))
    .where(eq(accounts.id, accountId))
  if (!account) return fail(404, 'errors.not_found')

  const period = lastDays(days, now)
  const lastDay = utcDay(period.to)
  const inPeriod = (column: Column) => and(gte(column, period.from), lt(column, period.to))

  const [snapshots, history, settings, ticketRows, deflectionRows, eventRows, support, outcomes] = await Promise.all([
    db
      .select(snapshotColumns)
      .from(accountScores)
      .where(and(eq(accountScores.accountId, accountId), lte(accountScores.asOf, lastDay)))
      .orderBy(desc(accountScores.asOf))
      .limit(2),
    db
      .select({
        day: accountScores.asOf,
        level: accountScores.level,
        score: accountScores.score,
        coverage: accountScores.coverage,
      })
      .from(accountScores)
      .where(
        and(
          eq(accountScores.accountId, accountId),
          gte(accountScores.asOf, utcDay(period.from)),
          lte(accountScores.asOf, lastDay),
        ),
      )
      .orderBy(asc(accountScores.asOf)),
    readScoringSettings(db),
    db
      .select({
        id: tickets.id,
        subject: tickets.subject,
        status: tickets.status,
        source: tickets.source,
        urgency: tickets.urgency,
        createdAt: tickets.createdAt,
        requesterName: users.displayName,
        requesterEmail: tickets.requesterEmail,
      })
      .from(tickets)
      .leftJoin(users, eq(users.id, tickets.userId))
      .where(and(eq(tickets.accountId, accountId), inPeriod(tickets.createdAt)))
      .orderBy(desc(tickets.createdAt), desc(tickets.id)),
    db
      .select({
        id: deflectionAttempts.id,
        query: deflectionAttempts.query,
        outcome: deflectionAttempts.outcome,
        createdAt: deflectionAttempts.createdAt,
        member: users.displayName,
      })
      .from(deflectionAttempts)
      .leftJoin(users, eq(users.id, deflectionAttempts.userId))
      .where(
        and(
          eq(deflectionAttempts.accountId, accountId),
          inArray(deflectionAttempts.outcome, ['explicit', 'implicit']),
          inPeriod(deflectionAttempts.createdAt),
        ),
      )
      .orderBy(desc(deflectionAttempts.createdAt), desc(deflectionAttempts.id)),
    db
      .select({
        eventId: events.id,
        title: events.title,
        kind: events.kind,
        startsAt: events.startsAt,
        member: users.displayName,
      })
      .from(eventRegistrations)
      .innerJoin(events, eq(events.id, eventRegistrations.eventId))
      .innerJoin(users, eq(users.id, eventRegistrations.userId))
      .where(
        and(
          eq(users.accountId, accountId),
          eq(eventRegistrations.status, 'attended'),
          eq(events.status, 'published'),
          inPeriod(events.endsAt),
        ),
      )
      .orderBy(desc(events.startsAt), asc(users.displayName)),
    supportFigures(db, { ...period, accountId }),
    listOutcomes(db, accountId),
  ])
  const [latest = null, previous = null] = snapshots
  const members = await accountMembers(db, { accountId, day: latest?.day ?? null })

  return ok({
    days,
    periods: dashboardPeriods,
    ...period,
    account,
    latest,
    previous,
    changes: measureChanges(previous, latest),
    history,
    thresholds: {
      goodFrom: settings.health.overall.goodFrom,
      normalFrom: settings.health.overall.normalFrom,
    },
    members,
    tickets: ticketRows.map(({ requesterName, requesterEmail, ...row }) => ({
      ...row,
      requester: requesterName ?? requesterEmail,
    })),
    deflections: deflectionRows.map((row) => ({ ...row, outcome: row.outcome as 'explicit' | 'implicit' })),
    eventsAttended: eventRows,
    support,
    outcomes,
  })
}

/** The account's users with their level and points on `day` and their latest ledger row, champions
 *  first, then by points and name. One query; the last activity is grouped over the members' ledger
 *  rows (whatever account the ledger credited, so a member moved between accounts keeps it). */
async function accountMembers(
  db: Db,
  { accountId, day }: { accountId: number; day: string | null },
): Promise<AccountMember[]> {
  const lastActive = db
    .select({ userId: activityEvents.userId, at: max(activityEvents.occurredAt).as('last_at') })
    .from(activityEvents)
    .innerJoin(users, eq(users.id, activityEvents.userId))
    .where(eq(users.accountId, accountId))
    .groupBy(activityEvents.userId)
    .as('last_active')
  const rows = await db
    .select({
      userId: users.id,
      displayName: users.displayName,
      disabledAt: users.disabledAt,
      level: userScores.level,
      points: userScores.points,
      lastActiveAt: lastActive.at,
    })
    .from(users)
    .leftJoin(userScores, and(eq(userScores.userId, users.id), day ? eq(userScores.asOf, day) : sql`false`))
    .leftJoin(lastActive, eq(lastActive.userId, users.id))
    .where(eq(users.accountId, accountId))
  return rows
    .map((row) => ({
      userId: row.userId,
      displayName: row.displayName,
      disabled: row.disabledAt !== null,
      level: row.level ?? 'observer',
      points: row.points ?? 0,
      lastActiveAt: row.lastActiveAt === null ? null : new Date(row.lastActiveAt),
    }))
    .sort(
      (a, b) =>
        memberLevelRank[b.level] - memberLevelRank[a.level] ||
        b.points - a.points ||
        a.displayName.localeCompare(b.displayName),
    )
}
