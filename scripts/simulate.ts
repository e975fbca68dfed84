// `npm run simulate`: does the health score mean anything, and does it find why accounts churn? Two
// worlds of synthetic accounts whose latent health drifts (scripts/simulate-worlds.ts): "baseline", the
// original year in which health stays, declines or dips, and "causes", in which accounts churn through
// one cause each (general decline, the champion leaving, breadth shrinking, a surge of tickets, unhappy
// people, failed onboarding) beside healthy accounts whose ledger is noisy (holiday lulls, passive
// readers, fast growth, few surveys, a key contributor on vacation). Churn is drawn from each account's
// latent state only, never from a score. Each world is written into a migrated database and scored
// with the real recomputeScores every 7 days in date order (the scoring compares each snapshot with the
// one before), and the snapshots of the monthly sample days are measured against the churn of the 90
// days that followed: churn per level, AUC overall, per tier and per cause, healthy-noisy accounts
// wrongly BAD, steady accounts changing level month on month, churners GOOD 30–90 days before, hard
// risks and each measure. Exits 1 when a target of the causes world fails (see causeTargets) or the
// baseline's BAD accounts did not churn at least twice as often as its GOOD ones.
//   npm run simulate                                  (both worlds, in-memory PGlite; no server needed)
//   npm run simulate -- --world causes --accounts 200 --seed 7
//   SIMULATE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/simulate npm run simulate
// With SIMULATE_DATABASE_URL each world gets a database named after it (simulate_baseline,
// simulate_causes), dropped and created again on every run.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { eq, sql } from 'drizzle-orm'
import { hashPassword } from '#app/domain/identity/passwords.server.ts'
import { type TrackRecord, trackRecord } from '#app/domain/reporting/track-record.ts'
import {
  defaultScoringSettings,
  type HealthLevel,
  healthMeasures,
  type ScoringSettings,
} from '#app/domain/scoring/settings.ts'
import { recomputeScores } from '#app/domain/scoring/snapshots.server.ts'
import { addDays } from '#app/lib/days.ts'
import { type Database, type Db, openDatabase, rowsOf } from '#db/client.server.ts'
import { eventSurveys, events } from '#db/schema/events.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { accountScores } from '#db/schema/scoring.ts'
import {
  type CauseRow,
  type ChurnCause,
  causeTable,
  causeTargets,
  churnCauses,
  churnEvents,
  compareTrackRecord,
  count,
  DAY_MS,
  evaluateTargets,
  eventCalendar,
  formatAuc,
  formatCauseTable,
  formatLevelTable,
  formatMeasureTable,
  formatShareTable,
  formatTargets,
  formatTierTable,
  formatTrackRecord,
  type GoodBeforeChurn,
  type GroupRow,
  goodBeforeChurn,
  hardRiskTable,
  type LevelRow,
  latentAuc,
  levelChangeTable,
  levelTable,
  type MeasureRow,
  measureTable,
  noisyProfiles,
  type Profile,
  percent,
  type ScoredSample,
  type ShareRow,
  type SimAccount,
  type SimEvent,
  type SimulatedAccount,
  scheduleDays,
  scoreAuc,
  separationVerdict,
  type TargetRow,
  type TrackRecordCheck,
  tierTable,
  trackSamples,
  type Verdict,
  wronglyBadTable,
} from './simulate-lib.ts'
import { type WorldDefinition, type WorldName, worldNames, worlds } from './simulate-worlds.ts'

export type SimulationOptions = {
  /** Which world to generate (scripts/simulate-worlds.ts); default baseline. */
  world?: WorldName
  accounts: number
  seed: number
  /** The first simulated day, `YYYY-MM-DD` (UTC); default the world's. */
  start?: string
  /** Days simulated; default the world's. */
  days?: number
  /** Sample days, counted from `start`; default the world's. */
  sampling?: WorldDefinition['sampling']
  /** Days between recomputes, and how many days before the first sample day they begin. */
  cadence?: number
  leadDays?: number
  followUpDays?: number
  settings?: ScoringSettings
  onProgress?: (message: string) => void
}

export type SimulationResult = {
  world: WorldName
  seed: number
  accounts: number
  members: number
  ledgerRows: number
  surveys: number
  start: string
  days: number
  /** Accounts per profile: causes, noisy profiles, steady (the baseline's dips last). */
  profiles: Partial<Record<Profile, number>>
  /** Accounts that churned at any time in the simulated period, in all and per cause. */
  churnedInPeriod: number
  churnByCause: Partial<Record<ChurnCause, number>>
  sampleDates: string[]
  sampleEvery: number
  recomputeDates: string[]
  cadence: number
  followUpDays: number
  samples: ScoredSample[]
  levels: LevelRow[]
  /** AUC of the overall score over the samples that have one, and how many were left out. */
  auc: number | null
  withoutScore: number
  /** AUC of the latent churn chance on the sample day, for reference (see `latentAuc`). */
  latentAuc: number | null
  tiers: GroupRow[]
  /** The causes the world has (and 'other'), each with its churners' AUC against all stayers. */
  causes: CauseRow[]
  goodBefore: GoodBeforeChurn
  wronglyBad: ShareRow[]
  levelChanges: ShareRow[]
  hardRisks: ShareRow[]
  measures: MeasureRow[]
  /** BAD against GOOD: at least 2× for the baseline, `causeTargets.badOverGood`× for the causes world. */
  verdict: Verdict
  /** The causes world's targets (null for the baseline, whose only target is the verdict). */
  targets: TargetRow[] | null
  /** The health track record (app/domain/reporting/track-record.ts, what /manage/health-check shows)
   *  on the same samples and follow-up, with each churn as a churn outcome and the weekly snapshots as
   *  the levels before it; and whether it agrees with the figures above. */
  trackRecord: TrackRecord
  trackRecordCheck: TrackRecordCheck
  /** Whether the world passed: every target met (causes), the verdict (baseline), and the track
   *  record agreeing with the simulation's own figures. */
  ok: boolean
  /** Milliseconds spent generating, writing the ledger and scoring (all recomputes). */
  timings: { generate: number; write: number; score: number }
}

const profileOrder: readonly Profile[] = [...churnCauses, ...noisyProfiles, 'steady', 'dip']
const FOLLOW_UP_DAYS = 90
/** A recompute every week, from six weeks before the first sample day: the scoring's level rules (a
 *  change confirmed over consecutive snapshots, hysteresis against the last one) see a regular history. */
const CADENCE_DAYS = 7
const LEAD_DAYS = 42
/** Rows per insert: well under PostgreSQL's 65,535 parameters for the users and surveys inserts, and
 *  a JSON parameter of about a megabyte for the ledger's. */
const BATCH = 5000

/** Generates a world, writes it to an empty, migrated database, recomputes the scores on a regular
 *  cadence in date order with the given settings (the defaults unless told), reads the snapshots of
 *  the sample days and measures them against the churn that followed. Deterministic in (world,
 *  accounts, seed, start, days, sampling, cadence). */
export async function runSimulation(db: Db, options: SimulationOptions): Promise<SimulationResult> {
  const world = worlds[options.world ?? 'baseline']
  const startDay = options.start ?? world.start
  const start = Date.parse(`${startDay}T00:00:00Z`)
  const days = options.days ?? world.days
  const sampling = options.sampling ?? world.sampling
  const cadence = options.cadence ?? CADENCE_DAYS
  const followUpDays = options.followUpDays ?? FOLLOW_UP_DAYS
  const settings = options.settings ?? defaultScoringSettings
  const progress = options.onProgress ?? (() => {})
  const { sampleDays, recomputeDays } = scheduleDays({ ...sampling, cadence, leadDays: options.leadDays ?? LEAD_DAYS })
  if (sampleDays.some((day) => day < 0 || day + followUpDays > days)) {
    throw new Error(`runSimulation: every sample day needs ${followUpDays} days of follow-up inside ${days} days`)
  }

  const calendar = eventCalendar({ start, days })
  // The whole period is simulated, so churn in the last follow-up is drawn as it would be; but no
  // snapshot reads a ledger row dated after its own day, so those rows are not written.
  const until = start + (sampleDays.at(-1)! + 1) * DAY_MS
  const written = await writeWorld(db, {
    count: options.accounts,
    generate: (index) => world.generate(index, { seed: options.seed, start, days }, calendar, sampling),
    calendar,
    start,
    until,
    progress,
  })
  const { generate, write, members, ledgerRows, surveys: surveyRows } = written
  await db.execute(sql`analyze`)
  progress(
    `wrote the world in ${seconds(write)} (generated in ${seconds(generate)}); ${recomputeDays.length} recomputes`,
  )

  const mark = performance.now()
  const samples: ScoredSample[] = []
  const byId = new Map(written.accounts.map((account) => [account.id, account]))
  const sampled = new Set(sampleDays)
  const dayOf = (at: number) => Math.floor((at - start) / DAY_MS)
  for (const day of recomputeDays) {
    const date = addDays(startDay, day)
    await recomputeScores(db, { day: date, settings })
    if (!sampled.has(day)) continue
    const rows = await db
      .select({
        accountId: accountScores.accountId,
        level: accountScores.level,
        score: accountScores.score,
        tier: accountScores.tier,
        hardRisk: accountScores.hardRisk,
        components: accountScores.components,
      })
      .from(accountScores)
      .where(eq(accountScores.asOf, date))
    // A snapshot counts everything up to the end of its day; churn is followed from then on.
    const from = start + (day + 1) * DAY_MS
    const to = from + followUpDays * DAY_MS
    for (const { accountId, ...row } of rows) {
      const account = byId.get(accountId)
      if (!account) continue
      const churned = account.churnedAt !== null && account.churnedAt >= from && account.churnedAt < to
      samples.push({
        ...row,
        account: account.index,
        day,
        profile: account.profile,
        churned,
        churnDay: account.churnedAt === null ? null : dayOf(account.churnedAt),
        churnCause: account.churnCause,
        onsetDay: account.onsetDay,
        churnChance: account.churnChance[day] ?? 0,
      })
    }
    progress(`sampled ${date}: ${count(rows.length)} accounts (${seconds(performance.now() - mark)} of scoring so far)`)
  }
  const score = performance.now() - mark

  // Counted in a fixed order (causes, noisy profiles, steady), whatever order the accounts came in.
  const profiles: Partial<Record<Profile, number>> = {}
  const churnByCause: Partial<Record<ChurnCause, number>> = {}
  for (const profile of profileOrder) {
    const rows = written.accounts.filter((account) => account.profile === profile)
    if (rows.length > 0) profiles[profile] = rows.length
  }
  for (const cause of [...churnCauses, 'other'] as const) {
    const churned = written.accounts.filter((account) => account.churnCause === cause).length
    if (churned > 0) churnByCause[cause] = churned
  }
  const levels = levelTable(samples)
  const auc = scoreAuc(samples)
  const causes = causeTable(
    samples,
    [...churnCauses, 'other'].filter((cause) => cause === 'other' || profiles[cause as Profile]) as ChurnCause[],
  )
  const wronglyBad = wronglyBadTable(samples)
  const levelChanges = levelChangeTable(samples, sampling.every)
  const isCauses = world.name === 'causes'
  const verdict = separationVerdict(levels, isCauses ? causeTargets.badOverGood : 2)
  const targets = isCauses
    ? evaluateTargets({
        auc,
        causes: causes.filter((row) => row.cause !== 'other'),
        badOverGood: verdict.ratio,
        wronglyBad: wronglyBad.find((row) => row.group === 'all noisy')?.share ?? null,
        levelChange: levelChanges.find((row) => row.group === 'all steady')?.share ?? null,
      })
    : null
  // The page's track record on the same samples: every simulated churn recorded as an outcome, every
  // weekly snapshot a level to look back on.
  const indexOf = new Map(written.accounts.map((account) => [account.id, account.index]))
  const history = rowsOf<{ account_id: number; day: string; level: HealthLevel }>(
    await db.execute(sql`select account_id, as_of::text as day, level from account_scores`),
  ).flatMap((row) => {
    const index = indexOf.get(row.account_id)
    return index === undefined ? [] : [{ accountId: index, day: row.day, level: row.level }]
  })
  const record = trackRecord({
    samples: trackSamples(samples, startDay),
    events: churnEvents(written.accounts, startDay),
    history,
    observedUntil: addDays(startDay, days),
    todayWeights: settings.health.weights,
    fit: false,
    options: { horizonDays: followUpDays, spacingDays: sampling.every },
  })
  const trackRecordCheck = compareTrackRecord(record, { auc, levels, ratio: verdict.ratio })
  return {
    world: world.name,
    seed: options.seed,
    accounts: options.accounts,
    members,
    ledgerRows,
    surveys: surveyRows,
    start: startDay,
    days,
    profiles,
    churnedInPeriod: written.accounts.filter((account) => account.churnedAt !== null).length,
    churnByCause,
    sampleDates: sampleDays.map((day) => addDays(startDay, day)),
    sampleEvery: sampling.every,
    recomputeDates: recomputeDays.map((day) => addDays(startDay, day)),
    cadence,
    followUpDays,
    samples,
    levels,
    auc,
    withoutScore: samples.filter((sample) => sample.score === null).length,
    latentAuc: latentAuc(samples),
    tiers: tierTable(samples),
    causes,
    goodBefore: goodBeforeChurn(samples),
    wronglyBad,
    levelChanges,
    hardRisks: hardRiskTable(samples),
    measures: measureTable(samples, healthMeasures),
    verdict,
    targets,
    trackRecord: record,
    trackRecordCheck,
    ok: (targets ? targets.every((row) => row.ok) : verdict.ok) && trackRecordCheck.ok,
    timings: { generate, write, score },
  }
}

/** How many accounts are generated and written together: the ledger of a chunk is held in memory
 *  only until it is written, so a run's memory does not grow with the number of accounts. */
const CHUNK_ACCOUNTS = 50

type WrittenWorld = {
  /** Every account as generated, with its database id; their activity is not kept. */
  accounts: (SimAccount & { id: number })[]
  members: number
  ledgerRows: number
  surveys: number
  /** Milliseconds spent generating and writing. */
  generate: number
  write: number
}

/** Generates the accounts chunk by chunk and writes each chunk in bulk: accounts, members, ledger
 *  rows and event surveys (the events they belong to first). */
async function writeWorld(
  db: Db,
  {
    count: total,
    generate,
    calendar,
    start,
    until,
    progress,
  }: {
    count: number
    generate: (index: number) => SimulatedAccount
    calendar: readonly SimEvent[]
    start: number
    /** Ledger rows and surveys from this moment on are left out. */
    until: number
    progress: (message: string) => void
  },
): Promise<WrittenWorld> {
  const written: WrittenWorld = { accounts: [], members: 0, ledgerRows: 0, surveys: 0, generate: 0, write: 0 }
  let mark = performance.now()
  const eventRows = await db
    .insert(events)
    .values(
      calendar.map((event) => ({
        kind: event.kind,
        title: `Simulated ${event.kind} ${event.index + 1}`,
        bodyMd: 'Simulated event.',
        bodyHtml: '<p>Simulated event.</p>',
        renderVersion: 1,
        startsAt: new Date(event.startsAt),
        endsAt: new Date(event.startsAt + 3_600_000),
        timeZone: 'Asia/Tokyo',
        status: 'published' as const,
        publishedAt: new Date(event.startsAt - 30 * DAY_MS),
      })),
    )
    .returning({ id: events.id })
  const eventIds = eventRows.map((row) => row.id)
  // Simulated members never sign in: one hash of a password nobody knows serves them all (argon2 is
  // deliberately slow, so one hash per member would take minutes).
  const passwordHash = await hashPassword(randomUUID())
  const skipTriggers = await canSkipTriggers(db)
  written.write += performance.now() - mark

  for (let first = 0; first < total; first += CHUNK_ACCOUNTS) {
    mark = performance.now()
    const chunk = Array.from({ length: Math.min(CHUNK_ACCOUNTS, total - first) }, (_, i) => generate(first + i))
    written.generate += performance.now() - mark
    mark = performance.now()

    const accountRows = await db
      .insert(accounts)
      .values(
        chunk.map(({ account }) => {
          const started = new Date(start + account.startDay * DAY_MS)
          return {
            name: account.name,
            plan: 'standard',
            arrMinor: account.arrMinor,
            arrCurrency: account.arrCurrency,
            seats: account.seats,
            contractStart: started.toISOString().slice(0, 10),
            createdAt: started,
            churnedAt: account.churnedAt === null ? null : new Date(account.churnedAt),
          }
        }),
      )
      .returning({ id: accounts.id, name: accounts.name })
    const accountIdByName = new Map(accountRows.map((row) => [row.name, row.id]))
    const accountIds = chunk.map(({ account }) => accountIdByName.get(account.name)!)

    const memberRows = chunk.flatMap(({ account }, a) =>
      account.members.map((member, m) => ({
        accountId: accountIds[a]!,
        email: `member-${account.index + 1}-${m + 1}@simulated.example`,
        displayName: `Member ${m + 1} of account ${account.index + 1}`,
        passwordHash,
        createdAt: new Date(start + member.joinDay * DAY_MS),
        emailVerifiedAt: new Date(start + member.joinDay * DAY_MS),
      })),
    )
    const userIdByEmail = new Map<string, number>()
    for (let i = 0; i < memberRows.length; i += BATCH) {
      const rows = await db
        .insert(users)
        .values(memberRows.slice(i, i + BATCH))
        .returning({ id: users.id, email: users.email })
      for (const row of rows) userIdByEmail.set(row.email, row.id)
    }
    const memberIds = chunk.map(({ account }) =>
      account.members.map((_, m) => userIdByEmail.get(`member-${account.index + 1}-${m + 1}@simulated.example`)!),
    )

    const ledger = chunk.flatMap(({ account, activity }, a) =>
      activity
        .filter((row) => row.at < until)
        .map((row, k) => ({
          occurred_at: new Date(row.at).toISOString(),
          user_id: memberIds[a]![row.member]!,
          account_id: accountIds[a]!,
          type: row.type,
          subject_type: row.subjectType,
          subject_id: row.subjectId,
          unique_key: `simulated:${account.index}:${k}`,
        })),
    )
    // One JSON parameter per batch rather than seven parameters a row: the same insert, several times
    // faster on PGlite, and the same statement on both drivers. The rows name the accounts and members
    // just inserted, so the foreign-key triggers (two a row, half the time of the insert) are skipped
    // where the connection may.
    await db.transaction(async (tx) => {
      if (skipTriggers) await tx.execute(sql`set local session_replication_role = replica`)
      for (let i = 0; i < ledger.length; i += BATCH) {
        await tx.execute(sql`
          insert into activity_events (occurred_at, user_id, account_id, type, subject_type, subject_id, unique_key)
          select occurred_at, user_id, account_id, type, subject_type, subject_id, unique_key
          from json_to_recordset(${JSON.stringify(ledger.slice(i, i + BATCH))}::json) as r(
            occurred_at timestamptz, user_id int, account_id int, type text, subject_type text, subject_id text,
            unique_key text)`)
      }
    })

    const surveys = chunk.flatMap(({ surveys }, a) =>
      surveys
        .filter((survey) => survey.at < until)
        .map((survey) => ({
          eventId: eventIds[survey.event]!,
          userId: memberIds[a]![survey.member]!,
          rating: survey.rating,
          nps: survey.nps,
          createdAt: new Date(survey.at),
        })),
    )
    for (let i = 0; i < surveys.length; i += BATCH) await db.insert(eventSurveys).values(surveys.slice(i, i + BATCH))

    chunk.forEach(({ account }, a) => {
      written.accounts.push({ ...account, id: accountIds[a]! })
    })
    written.members += memberRows.length
    written.ledgerRows += ledger.length
    written.surveys += surveys.length
    written.write += performance.now() - mark
    progress(
      `${count(first + chunk.length)} of ${count(total)} accounts written (${count(written.ledgerRows)} ledger rows)`,
    )
  }
  return written
}

/** Whether this database lets a transaction skip triggers (`session_replication_role`, for superusers
 *  only): PGlite always does, a server when the simulation connects as a superuser. */
async function canSkipTriggers(db: Db): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`)
    })
    return true
  } catch {
    return false
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function countsLine(counts: Partial<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([key, value]) => `${key} ${count(value ?? 0)}`)
    .join(', ')
}

/** The printed report of one world. */
export function formatReport(result: SimulationResult, { totalMs }: { totalMs: number }): string {
  const world = worlds[result.world]
  const scored = result.samples.length - result.withoutScore
  const follow = result.followUpDays
  const lines = [
    `World "${result.world}": ${world.description}.`,
    `Simulated ${count(result.accounts)} accounts (seed ${result.seed}) over ${count(result.days)} days from ` +
      `${result.start}: ${count(result.members)} members, ${count(result.ledgerRows)} ledger rows and ` +
      `${count(result.surveys)} event surveys (written up to the last sample day); ` +
      `${count(result.churnedInPeriod)} accounts churned in the period (${countsLine(result.churnByCause)}).`,
    `Profiles: ${countsLine(result.profiles)}.`,
    `Scored every ${result.cadence} days from ${result.recomputeDates[0]} to ${result.recomputeDates.at(-1)} ` +
      `(${result.recomputeDates.length} recomputes, default scoring settings); sampled every ${result.sampleEvery} days ` +
      `on ${result.sampleDates.length} days (${result.sampleDates[0]} … ${result.sampleDates.at(-1)}): ` +
      `${count(result.samples.length)} samples (one per account and sample day), each followed for ${follow} days.`,
    '',
    formatLevelTable(result.levels, follow),
    '',
    `BAD ÷ GOOD: ${result.verdict.message}`,
    `AUC of the overall score as a churn predictor (lower score = riskier, ties half): ${formatAuc(result.auc)}, ` +
      `over ${count(scored)} samples with a score` +
      (result.withoutScore > 0 ? `; ${count(result.withoutScore)} without a score left out.` : '; none without one.'),
    `For reference, the AUC of the latent churn chance on the sample day (the world's own state, which no ` +
      `score sees; not a ceiling): ${formatAuc(result.latentAuc)}.`,
    '',
    'Per touch tier:',
    formatTierTable(result.tiers, follow),
    '',
    "Per churn cause (the cause's churning samples against every sample that stayed; 'other': churn before a " +
      'cause set in, or with none):',
    formatCauseTable(result.causes, follow),
    `Churners GOOD on a sample day 30–90 days before they churned: ${count(result.goodBefore.good)} of ` +
      `${count(result.goodBefore.churners)} (${percent(result.goodBefore.share)}; churners with such a sample day).`,
    '',
    `Healthy accounts that stayed ${follow} days, scored BAD (noisy profiles should be no worse than steady):`,
    formatShareTable(result.wronglyBad, ['profile', 'samples that stayed', 'BAD']),
    '',
    `Healthy accounts that never churned, level changed between sample days ${result.sampleEvery} days apart ` +
      '(pairs that start INSUFFICIENT_DATA left out):',
    formatShareTable(result.levelChanges, ['profile', 'pairs', 'changed']),
    '',
    'Hard risks, as stored in account_scores.hard_risk:',
    formatShareTable(result.hardRisks, ['hard risk', 'samples', `churned in ${follow} days`]),
    '',
    'Each measure on its own:',
    formatMeasureTable(result.measures, follow),
    '',
    formatTrackRecord(result.trackRecord, result.trackRecordCheck, { auc: result.auc }),
    '',
    `Run time: ${seconds(totalMs)} (generate ${seconds(result.timings.generate)}, write ${seconds(result.timings.write)}, ` +
      `score ${seconds(result.timings.score)}: ${seconds(result.timings.score / result.recomputeDates.length)} a recompute).`,
  ]
  if (result.targets) lines.push('', `TARGETS (${result.world} world):`, formatTargets(result.targets))
  return lines.join('\n')
}

/** A fresh database for one world: in-memory PGlite, or on the server of SIMULATE_DATABASE_URL a
 *  database named after it and the world (`simulate_causes`), dropped and created again, so worlds
 *  simulated side by side never share one. */
async function openScratchDatabase(world: WorldName): Promise<Database> {
  const url = process.env.SIMULATE_DATABASE_URL
  if (!url) return openDatabase({ driver: 'pglite' })
  const target = new URL(url)
  target.pathname = `${target.pathname}_${world}`
  // Only the PostgreSQL run needs it, and it brings the benchmark's HTTP tooling along.
  const { recreateDatabase } = await import('./bench/lib.ts')
  await recreateDatabase(target.href)
  return openDatabase({ driver: 'postgres', url: target.href })
}

function wholeNumber(name: string, value: string, { min, max }: { min: number; max: number }): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < min || number > max) {
    console.error(`${name} must be a whole number from ${min} to ${max}, not "${value}".`)
    process.exit(2)
  }
  return number
}

type RunOptions = { accounts: number; seed: number }

/** One world on a scratch database of its own: generated, scored, reported. Progress goes to stderr,
 *  the report to stdout. */
async function simulateWorld(world: WorldName, options: RunOptions): Promise<SimulationResult> {
  const started = performance.now()
  const database = await openScratchDatabase(world)
  try {
    await database.migrate()
    console.error(`simulating the ${world} world: ${count(options.accounts)} accounts on ${database.driver}…`)
    const result = await runSimulation(database.db, {
      world,
      ...options,
      onProgress: (message) => console.error(`  [${world}] ${message}`),
    })
    console.info(formatReport(result, { totalMs: performance.now() - started }))
    if (!result.ok) console.info(`\nFAIL: ${failureOf(result)}.`)
    return result
  } finally {
    await database.close()
  }
}

function failureOf(result: SimulationResult): string {
  if (!result.trackRecordCheck.ok) {
    return `the health track record disagrees with the ${result.world} world's own figures (${result.trackRecordCheck.problems.join('; ')})`
  }
  return result.targets
    ? `the ${result.world} world missed ${result.targets.filter((row) => !row.ok).length} of its targets`
    : `the ${result.world} world's BAD accounts did not churn at least twice as often as its GOOD ones`
}

/** Every world at once, each in a process of its own running this script with `--world` (a PGlite
 *  database runs on one core; two worlds side by side take the time of the longer one). Progress shows
 *  as it comes; the reports are printed in the order of the worlds once all are done. Resolves to the
 *  worlds that failed. */
async function simulateSideBySide(chosen: readonly WorldName[], options: RunOptions): Promise<string[]> {
  const runs = await Promise.all(
    chosen.map(
      (world) =>
        new Promise<{ world: WorldName; code: number; report: string }>((resolve, reject) => {
          const args = ['--world', world, '--accounts', String(options.accounts), '--seed', String(options.seed)]
          // execArgv carries tsx's loader, so the child runs this TypeScript file as the parent does.
          const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
            stdio: ['ignore', 'pipe', 'inherit'],
          })
          let report = ''
          child.stdout.setEncoding('utf8')
          child.stdout.on('data', (chunk: string) => {
            report += chunk
          })
          child.on('error', reject)
          child.on('close', (code) => resolve({ world, code: code ?? 1, report }))
        }),
    ),
  )
  console.info(`\n${runs.map((run) => run.report.trimEnd()).join(`\n\n${'='.repeat(100)}\n\n`)}`)
  return runs.flatMap((run) =>
    run.code === 0
      ? []
      : [run.code === 1 ? `the ${run.world} world failed` : `the ${run.world} world did not finish (exit ${run.code})`],
  )
}

async function main() {
  const started = performance.now()
  const { values } = parseArgs({
    options: {
      world: { type: 'string', default: 'all' },
      accounts: { type: 'string', default: '500' },
      seed: { type: 'string', default: '20250101' },
    },
  })
  const chosen = values.world === 'all' ? [...worldNames] : worldNames.filter((name) => name === values.world)
  if (chosen.length === 0) {
    console.error(`--world must be ${[...worldNames, 'all'].join(', ')}, not "${values.world}".`)
    process.exit(2)
  }
  const options = {
    accounts: wholeNumber('--accounts', values.accounts, { min: 10, max: 100_000 }),
    seed: wholeNumber('--seed', values.seed, { min: 0, max: Number.MAX_SAFE_INTEGER }),
  }
  if (chosen.length === 1) {
    const result = await simulateWorld(chosen[0]!, options)
    if (!result.ok) process.exitCode = 1
    return
  }
  const failures = await simulateSideBySide(chosen, options)
  console.info(`\nAll worlds in ${seconds(performance.now() - started)}, side by side.`)
  if (failures.length > 0) {
    console.info(`FAIL: ${failures.join('; ')}.`)
    process.exitCode = 1
  }
}

// Run by `npm run simulate`; imported by its test without running.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main()
