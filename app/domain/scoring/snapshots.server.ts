import { channel } from 'node:diagnostics_channel'
import { eq, lt, lte, max, sql } from 'drizzle-orm'
import { isDay } from '#app/lib/days.ts'
import type { Db } from '#db/client.server.ts'
import { accountScores, type StoredHealthComponent, userScores } from '#db/schema/scoring.ts'
import { type AccountHealthInput, accountHealth, healthContext, type PreviousLevel } from './health.ts'
import { accountHealthInputs, endOfUtcDay } from './health-inputs.server.ts'
import { type HardRisk, hardRisks } from './measures.ts'
import { memberEngagement } from './member-engagement.server.ts'
import { suggestedPlay } from './plays.ts'
import { type BilingualText, describeChange, type HealthSnapshot } from './reasons.ts'
import { readScoringSettings } from './settings.server.ts'
import type { HealthLevel, MemberLevel, ScoringSettings } from './settings.ts'

/** Names "score snapshots" among the advisory locks; the day's number is the second key. */
const SNAPSHOT_LOCK = 7_245_010
/** Rows per insert statement. A batch travels as one JSON parameter (about 5 MB for either table),
 *  since binding every value as its own parameter costs more in building the statement than in
 *  storing the rows. */
const USER_BATCH = 20_000
const ACCOUNT_BATCH = 2_000

/** The diagnostics channel on which a recompute publishes `{ day, phase, ms }` as each of its phases
 *  ends (benchmarks and tracing subscribe to it; without a subscriber it costs nothing). */
export const RECOMPUTE_PHASE_CHANNEL = 'scoring:recompute-phase'
const phaseChannel = channel(RECOMPUTE_PHASE_CHANNEL)

/** Times consecutive phases: each call publishes the time since the call before (or since the start). */
function phaseClock(day: string): (phase: string) => void {
  let last = performance.now()
  return (phase) => {
    const now = performance.now()
    if (phaseChannel.hasSubscribers) phaseChannel.publish({ day, phase, ms: now - last })
    last = now
  }
}

/** An account whose level differs from the snapshot before (the `health.changed` signal). */
export type LevelChange = {
  accountId: number
  day: string
  from: HealthLevel
  to: HealthLevel
  score: number | null
  summary: BilingualText
  change: BilingualText | null
}

export type RecomputeResult = {
  day: string
  /** The snapshot compared with, if any. */
  previousDay: string | null
  users: number
  accounts: number
  changes: LevelChange[]
}

type PreviousAccount = {
  level: HealthLevel
  levelSince: string
  candidateLevel: HealthLevel | null
  candidateSince: string | null
  components: StoredHealthComponent[]
  hardRisk: string | null
}

/** Computes the member and account scores of one UTC day from the activity ledger and stores them as
 *  that day's snapshot, replacing any snapshot of the day: idempotent, so a day can be recomputed after
 *  a settings change or a backfill as often as needed. A snapshot counts everything up to the end of
 *  its day (for today: up to now). Member levels keep their hysteresis against the latest earlier
 *  snapshot, and each account's "since" date and change description are against it too, so history is
 *  best recomputed in date order (the backfill does). Two recomputes of one day take turns on an
 *  advisory lock. Set-based: a fixed number of queries whatever the number of accounts. */
export async function recomputeScores(
  db: Db,
  {
    day,
    settings,
    rejudge = false,
  }: {
    day: string
    settings?: ScoringSettings
    /** Levels follow the measures at once, without the confirmation days: for the recompute that
     *  follows a settings change (decision 035). */
    rejudge?: boolean
  },
): Promise<RecomputeResult> {
  if (!isDay(day)) throw new Error(`recomputeScores: not a day: ${day}`)
  const scoring = settings ?? (await readScoringSettings(db))
  const asOf = new Date(endOfUtcDay(new Date(`${day}T00:00:00Z`)).getTime() - 1)

  return db.transaction(async (tx) => {
    const phase = phaseClock(day)
    await tx.execute(
      sql`select pg_advisory_xact_lock(${SNAPSHOT_LOCK}, ${Date.parse(`${day}T00:00:00Z`) / 86_400_000})`,
    )
    // The ledger queries are single passes whose estimated cost grows with the ledger; past the JIT
    // thresholds PostgreSQL compiles them with LLVM first, which costs more (up to seconds once it
    // inlines and optimizes) than it can save on one pass.
    await tx.execute(sql`set local jit = off`)
    const previousDay = await previousSnapshotDay(tx, day)
    const previousLevels = new Map<number, MemberLevel>()
    const previousAccounts = new Map<number, PreviousAccount>()
    if (previousDay) {
      const [levels, accounts] = await Promise.all([
        tx
          .select({ userId: userScores.userId, level: userScores.level })
          .from(userScores)
          .where(eq(userScores.asOf, previousDay)),
        tx
          .select({
            accountId: accountScores.accountId,
            level: accountScores.level,
            levelSince: accountScores.levelSince,
            candidateLevel: accountScores.candidateLevel,
            candidateSince: accountScores.candidateSince,
            components: accountScores.components,
            hardRisk: accountScores.hardRisk,
          })
          .from(accountScores)
          .where(eq(accountScores.asOf, previousDay)),
      ])
      for (const row of levels) previousLevels.set(row.userId, row.level)
      for (const { accountId, ...row } of accounts) previousAccounts.set(accountId, row)
    }
    phase('previous snapshot')

    const members = await memberEngagement(tx, { asOf, settings: scoring, previousLevels })
    phase('member engagement')
    const inputs = await accountHealthInputs(tx, { asOf, settings: scoring, members })
    phase('account inputs')
    const context = healthContext(inputs)

    const changes: LevelChange[] = []
    const accountRows = inputs.map((input) => {
      const row = accountSnapshot(input, day, previousAccounts.get(input.accountId) ?? null, previousDay, {
        context,
        settings: scoring,
        rejudge,
      })
      const before = previousAccounts.get(input.accountId)
      if (before && before.level !== row.level) {
        changes.push({
          accountId: input.accountId,
          day,
          from: before.level,
          to: row.level,
          score: row.score,
          summary: row.summary,
          change: row.change,
        })
      }
      return row
    })
    const userRows = [...members]
      .filter(([, member]) => member.points > 0 || member.level !== 'observer')
      .map(([userId, member]) => ({
        userId,
        asOf: day,
        accountId: member.accountId ?? null,
        points: member.points,
        level: member.level,
        components: member.byType,
        lastActiveAt: member.lastActiveAt ?? null,
      }))
    phase('scoring')

    await tx.delete(userScores).where(eq(userScores.asOf, day))
    await tx.delete(accountScores).where(eq(accountScores.asOf, day))
    phase('delete the day')
    // In key order, each batch adds to neighbouring pages of the primary key instead of all over it.
    userRows.sort((a, b) => a.userId - b.userId)
    for (let i = 0; i < userRows.length; i += USER_BATCH) {
      await insertUserScores(tx, userRows.slice(i, i + USER_BATCH))
    }
    phase('insert user_scores')
    for (let i = 0; i < accountRows.length; i += ACCOUNT_BATCH) {
      await insertAccountScores(tx, accountRows.slice(i, i + ACCOUNT_BATCH))
    }
    phase('insert account_scores')
    return { day, previousDay, users: userRows.length, accounts: accountRows.length, changes }
  })
}

type UserScoreRow = Omit<typeof userScores.$inferSelect, 'computedAt'>
type AccountScoreRow = Omit<typeof accountScores.$inferSelect, 'computedAt'>

/** Stores member snapshot rows in one statement. The rows travel as one JSON array of arrays, in the
 *  order of the column list: scalars are read with each column's input function, as bound parameters
 *  would be, and jsonb values are taken out as they are (`->`), which costs a fraction of turning them
 *  back into text to parse them again. */
async function insertUserScores(db: Db, rows: UserScoreRow[]): Promise<void> {
  const values = rows.map((r) => [r.userId, r.asOf, r.accountId, r.points, r.level, r.components, r.lastActiveAt])
  await db.execute(sql`
    insert into user_scores (user_id, as_of, account_id, points, level, components, last_active_at)
    select (e ->> 0)::integer, (e ->> 1)::date, (e ->> 2)::integer, (e ->> 3)::real, (e ->> 4)::member_level,
           e -> 5, (e ->> 6)::timestamptz
    from jsonb_array_elements(${JSON.stringify(values)}::jsonb) as e`)
}

/** Stores account snapshot rows in one statement, as `insertUserScores` does; a null change is SQL null. */
async function insertAccountScores(db: Db, rows: AccountScoreRow[]): Promise<void> {
  const values = rows.map((r) => [
    r.accountId,
    r.asOf,
    r.level,
    r.score,
    r.coverage,
    r.tier,
    r.components,
    r.summary,
    r.change,
    r.levelSince,
    r.candidateLevel,
    r.candidateSince,
    r.hardRisk,
    r.play,
    r.playReason,
    r.engagementPoints,
    r.activeMembers,
    r.champions,
  ])
  await db.execute(sql`
    insert into account_scores (account_id, as_of, level, score, coverage, tier, components, summary, change,
                                level_since, candidate_level, candidate_since, hard_risk, play, play_reason,
                                engagement_points, active_members, champions)
    select (e ->> 0)::integer, (e ->> 1)::date, (e ->> 2)::health_level, (e ->> 3)::real, (e ->> 4)::real,
           (e ->> 5)::touch_tier, e -> 6, e -> 7, nullif(e -> 8, 'null'::jsonb), (e ->> 9)::date,
           (e ->> 10)::health_level, (e ->> 11)::date, e ->> 12, e ->> 13, e -> 14, (e ->> 15)::real,
           (e ->> 16)::integer, (e ->> 17)::integer
    from jsonb_array_elements(${JSON.stringify(values)}::jsonb) as e`)
}

/** The latest day before `day` with an account snapshot, or null. */
async function previousSnapshotDay(db: Db, day: string): Promise<string | null> {
  const [row] = await db
    .select({ day: max(accountScores.asOf) })
    .from(accountScores)
    .where(lt(accountScores.asOf, day))
  return row?.day ?? null
}

/** One account's snapshot row: its health, play, the run its level is in and what changed. */
function accountSnapshot(
  input: AccountHealthInput,
  day: string,
  previous: PreviousAccount | null,
  previousDay: string | null,
  {
    context,
    settings,
    rejudge,
  }: { context: ReturnType<typeof healthContext>; settings: ScoringSettings; rejudge: boolean },
): AccountScoreRow {
  const held: PreviousLevel | null =
    previous && previousDay
      ? {
          day: previousDay,
          level: previous.level,
          levelSince: previous.levelSince,
          candidate: previous.candidateLevel,
          candidateSince: previous.candidateSince,
        }
      : null
  const health = accountHealth(input, context, settings, { day, previous: held, rejudge })
  const play = suggestedPlay({
    tier: input.tier,
    level: health.level,
    champions: input.champions,
    hardRisk: health.hardRisk,
  })
  const levelSince = health.levelSince
  const current: HealthSnapshot = {
    level: health.level,
    asOf: day,
    components: health.components,
    hardRisk: health.hardRisk,
  }
  const before: HealthSnapshot | null =
    previous && previousDay
      ? {
          level: previous.level,
          asOf: previousDay,
          components: previous.components,
          hardRisk: isHardRisk(previous.hardRisk) ? previous.hardRisk : null,
        }
      : null
  return {
    accountId: input.accountId,
    asOf: day,
    level: health.level,
    score: health.score,
    coverage: health.coverage,
    tier: input.tier,
    components: health.components,
    summary: health.summary,
    change: describeChange(before, current, levelSince),
    levelSince,
    candidateLevel: health.candidate,
    candidateSince: health.candidateSince,
    hardRisk: health.hardRisk,
    play: play.play,
    playReason: play.reason,
    engagementPoints: input.engagementPoints,
    activeMembers: input.activeMembers,
    champions: input.champions,
  }
}

function isHardRisk(value: string | null): value is HardRisk {
  return (hardRisks as readonly (string | null)[]).includes(value)
}

/** The latest day with an account snapshot on or before `day` (default: any), or null. */
export async function latestSnapshotDay(db: Db, day?: string): Promise<string | null> {
  const [row] = await db
    .select({ day: max(accountScores.asOf) })
    .from(accountScores)
    .where(day ? lte(accountScores.asOf, day) : undefined)
  return row?.day ?? null
}
