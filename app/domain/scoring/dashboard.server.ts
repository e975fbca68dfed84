import { and, asc, type Column, desc, eq, gte, inArray, lt, lte, max, ne, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { type EventInsights, eventInsights } from '#app/domain/events/insights.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { type CommunityStats, communityStats } from '#app/domain/qa/community-stats.server.ts'
import {
  type AccountFigures,
  type SupportFigures,
  supportFigures,
  supportFiguresByAccount,
  supportWeekly,
  type WeeklySupport,
} from '#app/domain/support/figures.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { eventRegistrations, events } from '#db/schema/events.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { accountScores, type StoredHealthComponent, userScores } from '#db/schema/scoring.ts'
import { deflectionAttempts, tickets } from '#db/schema/support.ts'
import type { BilingualText } from './reasons.ts'
import { readScoringSettings } from './settings.server.ts'
import type { HealthBand, HealthLevel, MemberLevel, ScoringSettings } from './settings.ts'
import { addDays, latestSnapshotDay } from './snapshots.server.ts'
import { arrInJpy, type TouchTier, touchTiers } from './tiers.ts'

const DAY_MS = 86_400_000

/** The periods the dashboard offers, in days back from now. */
export const dashboardPeriods = [7, 30, 90, 365] as const
export type DashboardPeriod = (typeof dashboardPeriods)[number]
export const DEFAULT_DASHBOARD_PERIOD: DashboardPeriod = 30
/** Days between the snapshot the dashboard shows and the one it compares with ("since last week"). */
export const COMPARE_DAYS = 7

const levels: HealthLevel[] = ['GOOD', 'NORMAL', 'BAD', 'INSUFFICIENT_DATA']
const levelRank: Record<HealthLevel, number> = { BAD: 0, NORMAL: 1, GOOD: 2, INSUFFICIENT_DATA: -1 }
const memberLevelRank: Record<MemberLevel, number> = { observer: 0, participant: 1, contributor: 2, champion: 3 }

/** The `days` query parameter as one of the offered periods; anything else (missing, hand-edited) is
 *  the default, so an odd link shows the usual view rather than an error. */
export function parseDashboardDays(value: string | null | undefined): DashboardPeriod {
  const days = Number(value)
  return (dashboardPeriods as readonly number[]).includes(days) ? (days as DashboardPeriod) : DEFAULT_DASHBOARD_PERIOD
}

/** The period [now − days, now). */
export function dashboardPeriod(days: number, now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - days * DAY_MS), to: now }
}

/** The UTC day an instant falls in, `YYYY-MM-DD`. */
function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10)
}

// ——— Health ———

/** How many accounts sit in one cell of the band × tier table. */
export type BandTierCount = { tier: TouchTier; level: HealthLevel; accounts: number }

/** Accounts per health level and touch tier on a snapshot day: all twelve cells, empty ones as 0,
 *  tiers in their order (high, low, tech), levels GOOD, NORMAL, BAD, insufficient data. One grouped
 *  query. */
export async function healthByBandAndTier(db: Db, { day }: { day: string }): Promise<BandTierCount[]> {
  const rows = await db
    .select({
      tier: accountScores.tier,
      level: accountScores.level,
      accounts: sql<number>`count(*)::int`.mapWith(Number),
    })
    .from(accountScores)
    .where(eq(accountScores.asOf, day))
    .groupBy(accountScores.tier, accountScores.level)
  const counts = new Map(rows.map((row) => [`${row.tier}:${row.level}`, row.accounts]))
  return touchTiers.flatMap((tier) =>
    levels.map((level) => ({ tier, level, accounts: counts.get(`${tier}:${level}`) ?? 0 })),
  )
}

/** An account whose level on the day differs from its level on the compared day. */
export type LevelChangeRow = {
  accountId: number
  accountName: string
  tier: TouchTier
  from: HealthLevel
  to: HealthLevel
  /** True when the level got worse (GOOD → NORMAL, NORMAL → BAD, …); moves to or from insufficient
   *  data are neither better nor worse. */
  worse: boolean
  score: number | null
  previousScore: number | null
  /** The snapshot's own description of what changed ("BAD since 12 Nov: breadth dropped …"). */
  change: BilingualText | null
  summary: BilingualText
}

/** Accounts whose level on `day` differs from the one on `comparedDay`, worse first, then by name.
 *  Accounts without a snapshot on either day (new, or churned) did not change band and are left out.
 *  One query joining the two days. */
export async function levelChanges(
  db: Db,
  { day, comparedDay }: { day: string; comparedDay: string },
): Promise<LevelChangeRow[]> {
  const before = alias(accountScores, 'before')
  const rows = await db
    .select({
      accountId: accountScores.accountId,
      accountName: accounts.name,
      tier: accountScores.tier,
      from: before.level,
      to: accountScores.level,
      score: accountScores.score,
      previousScore: before.score,
      change: accountScores.change,
      summary: accountScores.summary,
    })
    .from(accountScores)
    .innerJoin(before, and(eq(before.accountId, accountScores.accountId), eq(before.asOf, comparedDay)))
    .innerJoin(accounts, eq(accounts.id, accountScores.accountId))
    .where(and(eq(accountScores.asOf, day), ne(accountScores.level, before.level)))
    .orderBy(asc(accounts.name), asc(accounts.id))
  return rows
    .map((row) => ({ ...row, worse: isWorse(row.from, row.to) }))
    .sort((a, b) => Number(b.worse) - Number(a.worse))
}

function isWorse(from: HealthLevel, to: HealthLevel): boolean {
  const a = levelRank[from]
  const b = levelRank[to]
  return a >= 0 && b >= 0 && b < a
}

/** One reason an account is at risk: a measure in the BAD band, with its stored reason. */
export type RiskReason = { measure: string; reason: BilingualText }

export type AtRiskAccount = {
  accountId: number
  accountName: string
  tier: TouchTier
  level: HealthLevel
  score: number | null
  levelSince: string
  /** NORMAL today, with activity falling fast: on the list before it turns BAD. */
  falling: boolean
  summary: BilingualText
  /** The measures in the BAD band (and the hard risk, when there is one). */
  reasons: RiskReason[]
  play: string
  playReason: BilingualText
  arrMinor: number | null
  arrCurrency: string
  renewalDate: string | null
  csmName: string | null
}

/** The accounts that need attention on a snapshot day: every BAD account, and every NORMAL account
 *  whose activity-trend measure is BAD (activity fell by more than the trend's BAD threshold against
 *  the period before, 20% by default), since those are the ones about to turn BAD. Ordered BAD first,
 *  then by ARR in JPY (the most revenue at stake first; unknown ARR last), then by score (lowest
 *  first) and name. Each comes with its summary, the reasons of its BAD measures, and its play. One
 *  query; the `@>` containment test finds the falling trend inside the stored components. */
export async function atRiskAccounts(
  db: Db,
  { day, settings }: { day: string; settings: ScoringSettings },
): Promise<AtRiskAccount[]> {
  const csm = alias(users, 'csm')
  const fallingTrend = sql`${accountScores.components} @> ${JSON.stringify([{ measure: 'trend', band: 'BAD' }])}::jsonb`
  const rows = await db
    .select({
      accountId: accountScores.accountId,
      accountName: accounts.name,
      tier: accountScores.tier,
      level: accountScores.level,
      score: accountScores.score,
      levelSince: accountScores.levelSince,
      summary: accountScores.summary,
      components: accountScores.components,
      hardRisk: accountScores.hardRisk,
      play: accountScores.play,
      playReason: accountScores.playReason,
      arrMinor: accounts.arrMinor,
      arrCurrency: accounts.arrCurrency,
      renewalDate: accounts.renewalDate,
      csmName: csm.displayName,
    })
    .from(accountScores)
    .innerJoin(accounts, eq(accounts.id, accountScores.accountId))
    .leftJoin(csm, eq(csm.id, accounts.csmUserId))
    .where(
      and(
        eq(accountScores.asOf, day),
        or(eq(accountScores.level, 'BAD'), and(eq(accountScores.level, 'NORMAL'), fallingTrend)),
      ),
    )
  const arr = (row: (typeof rows)[number]) => arrInJpy(row, settings) ?? -1
  return rows
    .sort(
      (a, b) =>
        levelRank[a.level] - levelRank[b.level] ||
        arr(b) - arr(a) ||
        (a.score ?? 0) - (b.score ?? 0) ||
        a.accountName.localeCompare(b.accountName),
    )
    .map(({ components, hardRisk, ...row }) => ({
      ...row,
      falling: row.level === 'NORMAL',
      reasons: riskReasons(components),
    }))
}

function riskReasons(components: StoredHealthComponent[]): RiskReason[] {
  return components
    .filter((component) => component.band === 'BAD')
    .map((component) => ({ measure: component.measure, reason: component.reason }))
}

export type InsufficientDataAccount = {
  accountId: number
  accountName: string
  tier: TouchTier
  /** Share (0–1) of the measures' weight that had data. */
  coverage: number
  levelSince: string
  summary: BilingualText
  play: string
  playReason: BilingualText
}

/** Accounts whose measures with data carried too little weight for a level on a snapshot day, the
 *  least covered first. One query. */
export async function insufficientDataAccounts(db: Db, { day }: { day: string }): Promise<InsufficientDataAccount[]> {
  return db
    .select({
      accountId: accountScores.accountId,
      accountName: accounts.name,
      tier: accountScores.tier,
      coverage: accountScores.coverage,
      levelSince: accountScores.levelSince,
      summary: accountScores.summary,
      play: accountScores.play,
      playReason: accountScores.playReason,
    })
    .from(accountScores)
    .innerJoin(accounts, eq(accounts.id, accountScores.accountId))
    .where(and(eq(accountScores.asOf, day), eq(accountScores.level, 'INSUFFICIENT_DATA')))
    .orderBy(asc(accountScores.coverage), asc(accounts.name), asc(accounts.id))
}

/** A customer with their engagement on a snapshot day. */
export type Contributor = {
  userId: number
  displayName: string
  accountId: number | null
  accountName: string | null
  level: MemberLevel
  points: number
  lastActiveAt: Date | null
}

/** The customers (members, not staff) with the most engagement points on a snapshot day, most first
 *  (then by name), and every champion among them, by the same order. Two queries over `user_scores`. */
export async function topContributors(
  db: Db,
  { day, limit = 10 }: { day: string; limit?: number },
): Promise<{ contributors: Contributor[]; champions: Contributor[] }> {
  const base = () =>
    db
      .select({
        userId: userScores.userId,
        displayName: users.displayName,
        accountId: userScores.accountId,
        accountName: accounts.name,
        level: userScores.level,
        points: userScores.points,
        lastActiveAt: userScores.lastActiveAt,
      })
      .from(userScores)
      .innerJoin(users, eq(users.id, userScores.userId))
      .leftJoin(accounts, eq(accounts.id, userScores.accountId))
      .$dynamic()
  const order = [desc(userScores.points), asc(users.displayName), asc(users.id)]
  const [contributors, champions] = await Promise.all([
    base()
      .where(and(eq(userScores.asOf, day), eq(users.role, 'member'), sql`${userScores.points} > 0`))
      .orderBy(...order)
      .limit(limit),
    base()
      .where(and(eq(userScores.asOf, day), eq(users.role, 'member'), eq(userScores.level, 'champion')))
      .orderBy(...order),
  ])
  return { contributors, champions }
}

/** The health section of the dashboard. */
export type HealthDashboard = {
  /** The snapshot shown: the latest on or before the period's end; null when scores were never computed. */
  day: string | null
  /** The snapshot compared with: the latest on or before `day` − 7 days; null without one. */
  comparedDay: string | null
  bands: BandTierCount[]
  changed: LevelChangeRow[]
  atRisk: AtRiskAccount[]
  insufficient: InsufficientDataAccount[]
  contributors: Contributor[]
  champions: Contributor[]
}

/** Everything the health section shows, as of the latest snapshot on or before `to`'s UTC day: accounts
 *  per band and tier, the accounts whose level changed since the snapshot a week earlier, the at-risk
 *  list, the accounts with insufficient data, and the top contributors and champions. */
export async function healthDashboard(
  db: Db,
  { to, settings }: { to: Date; settings?: ScoringSettings },
): Promise<HealthDashboard> {
  const [day, scoring] = await Promise.all([
    latestSnapshotDay(db, utcDay(to)),
    settings ? Promise.resolve(settings) : readScoringSettings(db),
  ])
  if (!day) {
    return {
      day: null,
      comparedDay: null,
      bands: touchTiers.flatMap((tier) => levels.map((level) => ({ tier, level, accounts: 0 }))),
      changed: [],
      atRisk: [],
      insufficient: [],
      contributors: [],
      champions: [],
    }
  }
  const comparedDay = await latestSnapshotDay(db, addDays(day, -COMPARE_DAYS))
  const [bands, changed, atRisk, insufficient, people] = await Promise.all([
    healthByBandAndTier(db, { day }),
    comparedDay ? levelChanges(db, { day, comparedDay }) : Promise.resolve([]),
    atRiskAccounts(db, { day, settings: scoring }),
    insufficientDataAccounts(db, { day }),
    topContributors(db, { day }),
  ])
  return { day, comparedDay, bands, changed, atRisk, insufficient, ...people }
}

// ——— The dashboard ———

export type ManagerDashboard = {
  days: DashboardPeriod
  periods: readonly DashboardPeriod[]
  from: Date
  to: Date
  support: SupportFigures
  weekly: WeeklySupport[]
  byAccount: AccountFigures[]
  community: CommunityStats
  health: HealthDashboard
  events: EventInsights
}

/** Everything `/manage` shows for the last `days` days ([now − days, now)), for anyone with
 *  `manage.dashboard` (staff read it, nothing on it changes anything): the support figures with the
 *  weekly series and per-account figures, the community figures, the health section and the event
 *  figures. A fixed number of set-based queries, whatever the number of accounts. */
export async function getManagerDashboard(
  db: Db,
  { actor, days, now = new Date() }: { actor: SessionUser; days: DashboardPeriod; now?: Date },
): Promise<Outcome<ManagerDashboard>> {
  if (!can(actor, 'manage.dashboard')) return fail(403, 'errors.forbidden')
  const period = dashboardPeriod(days, now)
  const [support, weekly, byAccount, community, health, eventFigures] = await Promise.all([
    supportFigures(db, period),
    supportWeekly(db, period),
    supportFiguresByAccount(db, period),
    communityStats(db, period),
    healthDashboard(db, { to: period.to }),
    eventInsights(db, period),
  ])
  return ok({
    days,
    periods: dashboardPeriods,
    ...period,
    support,
    weekly,
    byAccount,
    community,
    health,
    events: eventFigures,
  })
}

// ——— One account ———

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

  const period = dashboardPeriod(days, now)
  const lastDay = utcDay(period.to)
  const inPeriod = (column: Column) => and(gte(column, period.from), lt(column, period.to))

  const [snapshots, history, settings, ticketRows, deflectionRows, eventRows, support] = await Promise.all([
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
