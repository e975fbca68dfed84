/** The health section of the manager dashboard: the accounts' latest snapshots read across the
 *  portfolio (bands per tier, level changes, the at-risk list, insufficient data, top contributors). */
import { and, asc, desc, eq, ne, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { BilingualText } from '#app/domain/scoring/reasons.ts'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import type { HealthLevel, MemberLevel, ScoringSettings } from '#app/domain/scoring/settings.ts'
import { latestSnapshotDay } from '#app/domain/scoring/snapshots.server.ts'
import { arrInJpy, type TouchTier, touchTiers } from '#app/domain/scoring/tiers.ts'
import { addDays, utcDay } from '#app/lib/days.ts'
import type { Db } from '#db/client.server.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { accountScores, type StoredHealthComponent, userScores } from '#db/schema/scoring.ts'

/** Days between the snapshot the dashboard shows and the one it compares with ("since last week"). */
export const COMPARE_DAYS = 7

const levels: HealthLevel[] = ['GOOD', 'NORMAL', 'BAD', 'INSUFFICIENT_DATA']
const levelRank: Record<HealthLevel, number> = { BAD: 0, NORMAL: 1, GOOD: 2, INSUFFICIENT_DATA: -1 }

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
  /** Not BAD today, but with activity falling fast or the measures calling for BAD while the change
   *  is being confirmed: on the list before it turns BAD. */
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

/** The accounts that need attention on a snapshot day: every BAD account, every NORMAL account whose
 *  activity-trend measure is BAD (activity fell by more than the trend's BAD threshold against the
 *  period before, 30% by default), and every account whose measures call for BAD while the change
 *  waits for confirmation (decision 035), since those are the ones about to turn BAD. Ordered BAD first,
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
        or(
          eq(accountScores.level, 'BAD'),
          and(eq(accountScores.level, 'NORMAL'), fallingTrend),
          eq(accountScores.candidateLevel, 'BAD'),
        ),
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
      falling: row.level !== 'BAD',
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
