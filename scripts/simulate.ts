// `npm run simulate`: does the health score mean anything? Generates a year of community activity for
// many accounts (default 500) whose latent health drifts, some declining and churning with a chance
// that rises as their engagement, breadth and self-service fall and their tickets rise; runs the real
// scoring (recomputeScores) over that ledger on a few days; and prints, per health level, the share of
// scored accounts that churned in the following 90 days, with the AUC of the overall score as a churn
// predictor. Exits 1 when BAD accounts did not churn at least twice as often as GOOD ones.
//   npm run simulate                                  (in-memory PGlite; no server needed)
//   npm run simulate -- --accounts 200 --seed 7
//   SIMULATE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/simulate npm run simulate
// The database named by SIMULATE_DATABASE_URL is dropped and created again on every run.
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { eq, sql } from 'drizzle-orm'
import { hashPassword } from '#app/domain/identity/passwords.server.ts'
import { defaultScoringSettings, healthMeasures, type ScoringSettings } from '#app/domain/scoring/settings.ts'
import { recomputeScores } from '#app/domain/scoring/snapshots.server.ts'
import { addDays } from '#app/lib/days.ts'
import { type Database, type Db, openDatabase } from '#db/client.server.ts'
import { eventSurveys, events } from '#db/schema/events.ts'
import { accounts, users } from '#db/schema/identity.ts'
import { accountScores } from '#db/schema/scoring.ts'
import {
  churnAuc,
  count,
  DAY_MS,
  eventCalendar,
  formatAuc,
  formatLevelTable,
  formatMeasureTable,
  formatTierTable,
  type LevelRow,
  levelTable,
  type MeasureRow,
  measureTable,
  percent,
  type ScoredSample,
  type SimAccount,
  type SimEvent,
  type SimulatedAccount,
  separationVerdict,
  simulateAccount,
  tierTable,
  type Verdict,
} from './simulate-lib.ts'

export type SimulationOptions = {
  accounts: number
  seed: number
  /** The first simulated day, `YYYY-MM-DD` (UTC). */
  start?: string
  days?: number
  /** Days (0-based, into the simulated year) on which the scores are computed and then followed up. */
  scoringDays?: readonly number[]
  followUpDays?: number
  settings?: ScoringSettings
  onProgress?: (message: string) => void
}

export type SimulationResult = {
  accounts: number
  members: number
  ledgerRows: number
  surveys: number
  /** Accounts that churned at any time in the simulated year. */
  churnedInYear: number
  scoringDates: string[]
  followUpDays: number
  samples: ScoredSample[]
  levels: LevelRow[]
  /** AUC of the overall score over the samples that have one, and how many were left out. */
  auc: number | null
  withoutScore: number
  measures: MeasureRow[]
  verdict: Verdict
  /** Milliseconds spent generating, writing the ledger and scoring. */
  timings: { generate: number; write: number; score: number }
}

const DEFAULT_START = '2025-01-01'
const DEFAULT_DAYS = 365
/** Three snapshots, 45 days apart, each followed for 90 days inside the year: about three samples per
 *  account, though those of one account are not independent. */
const DEFAULT_SCORING_DAYS = [180, 225, 270]
const FOLLOW_UP_DAYS = 90
/** Rows per insert: well under PostgreSQL's 65,535 parameters for the users and surveys inserts, and
 *  a JSON parameter of about a megabyte for the ledger's. */
const BATCH = 5000

/** Generates the world, writes it to an empty, migrated database, recomputes the scores of each
 *  scoring day in date order with the given settings (the defaults unless told) and measures them
 *  against the churn that followed. Deterministic in (accounts, seed, start, days). */
export async function runSimulation(db: Db, options: SimulationOptions): Promise<SimulationResult> {
  const start = Date.parse(`${options.start ?? DEFAULT_START}T00:00:00Z`)
  const days = options.days ?? DEFAULT_DAYS
  const scoringDays = [...(options.scoringDays ?? DEFAULT_SCORING_DAYS)].sort((a, b) => a - b)
  const followUpDays = options.followUpDays ?? FOLLOW_UP_DAYS
  const settings = options.settings ?? defaultScoringSettings
  const progress = options.onProgress ?? (() => {})
  if (scoringDays.some((day) => day < 0 || day + followUpDays > days)) {
    throw new Error(`runSimulation: every scoring day needs ${followUpDays} days of follow-up inside ${days} days`)
  }

  const calendar = eventCalendar({ start, days })
  // The whole year is simulated, so churn in the last follow-up is drawn as it would be; but no
  // snapshot reads a ledger row dated after its own day, so those rows are not written.
  const until = start + (scoringDays.at(-1)! + 1) * DAY_MS
  const written = await writeWorld(db, {
    count: options.accounts,
    generate: (index) => simulateAccount(index, { seed: options.seed, start, days }, calendar),
    calendar,
    start,
    until,
    progress,
  })
  const { generate, write, members, ledgerRows, surveys: surveyRows } = written
  await db.execute(sql`analyze`)
  progress(`wrote the world in ${seconds(write)} (generated in ${seconds(generate)}); scoring`)

  const mark = performance.now()
  const samples: ScoredSample[] = []
  const byId = new Map(written.accounts.map((account) => [account.id, account]))
  const scoringDates: string[] = []
  for (const scoringDay of scoringDays) {
    const date = addDays(options.start ?? DEFAULT_START, scoringDay)
    scoringDates.push(date)
    await recomputeScores(db, { day: date, settings })
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
    const from = start + (scoringDay + 1) * DAY_MS
    const until = from + followUpDays * DAY_MS
    for (const row of rows) {
      const account = byId.get(row.accountId)
      if (!account) continue
      const churned = account.churnedAt !== null && account.churnedAt >= from && account.churnedAt < until
      samples.push({ ...row, churned })
    }
    progress(`scored ${date}: ${count(rows.length)} accounts`)
  }
  const score = performance.now() - mark

  const levels = levelTable(samples)
  const scored = samples.flatMap((sample) =>
    sample.score === null ? [] : [{ score: sample.score, churned: sample.churned }],
  )
  return {
    accounts: options.accounts,
    members,
    ledgerRows,
    surveys: surveyRows,
    churnedInYear: written.accounts.filter((account) => account.churnedAt !== null).length,
    scoringDates,
    followUpDays,
    samples,
    levels,
    auc: churnAuc(scored),
    withoutScore: samples.length - scored.length,
    measures: measureTable(samples, healthMeasures),
    verdict: separationVerdict(levels),
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
    // faster on PGlite, and the same statement on both drivers.
    for (let i = 0; i < ledger.length; i += BATCH) {
      await db.execute(sql`
        insert into activity_events (occurred_at, user_id, account_id, type, subject_type, subject_id, unique_key)
        select occurred_at, user_id, account_id, type, subject_type, subject_id, unique_key
        from json_to_recordset(${JSON.stringify(ledger.slice(i, i + BATCH))}::json) as r(
          occurred_at timestamptz, user_id int, account_id int, type text, subject_type text, subject_id text,
          unique_key text)`)
    }

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

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** How the silent hard risk, which makes an account BAD whatever its measures say, fared. */
function hardRiskLine(result: SimulationResult): string {
  const silent = result.samples.filter((sample) => sample.hardRisk === 'silent')
  const churned = silent.filter((sample) => sample.churned).length
  return (
    `Hard risk "silent for ${defaultScoringSettings.health.silentDays} days" (BAD whatever the measures say): ` +
    `${count(silent.length)} snapshots, ${count(churned)} churned (${percent(silent.length > 0 ? churned / silent.length : null)}).`
  )
}

/** The printed report of a run. */
export function formatReport(result: SimulationResult, { seed, totalMs }: { seed: number; totalMs: number }): string {
  const scored = result.samples.length - result.withoutScore
  const lines = [
    `Simulated ${count(result.accounts)} accounts (seed ${seed}): ${count(result.members)} members, ` +
      `${count(result.ledgerRows)} ledger rows, ${count(result.surveys)} event surveys; ` +
      `${count(result.churnedInYear)} accounts churned during the year.`,
    `Scored on ${result.scoringDates.join(', ')} with the default scoring settings: ${count(result.samples.length)} account ` +
      `snapshots (an account scored on several days counts once per day), each followed for ${result.followUpDays} days.`,
    '',
    formatLevelTable(result.levels, result.followUpDays),
    '',
    `AUC of the overall score as a churn predictor (lower score = riskier, ties half): ${formatAuc(result.auc)}, ` +
      `over ${count(scored)} snapshots with a score` +
      (result.withoutScore > 0
        ? `; ${count(result.withoutScore)} without a score left out.`
        : '; none without a score.'),
    result.verdict.message,
    '',
    hardRiskLine(result),
    '',
    'Per touch tier:',
    formatTierTable(tierTable(result.samples), result.followUpDays),
    '',
    'Each measure on its own:',
    formatMeasureTable(result.measures, result.followUpDays),
    '',
    `Run time: ${seconds(totalMs)} (generate ${seconds(result.timings.generate)}, write ${seconds(result.timings.write)}, ` +
      `score ${seconds(result.timings.score)}).`,
  ]
  return lines.join('\n')
}

async function openScratchDatabase(): Promise<Database> {
  const url = process.env.SIMULATE_DATABASE_URL
  if (!url) return openDatabase({ driver: 'pglite' })
  // Only the PostgreSQL run needs it, and it brings the benchmark's HTTP tooling along.
  const { recreateDatabase } = await import('./bench/lib.ts')
  await recreateDatabase(url)
  return openDatabase({ driver: 'postgres', url })
}

function wholeNumber(name: string, value: string, { min, max }: { min: number; max: number }): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < min || number > max) {
    console.error(`${name} must be a whole number from ${min} to ${max}, not "${value}".`)
    process.exit(2)
  }
  return number
}

async function main() {
  const started = performance.now()
  const { values } = parseArgs({
    options: { accounts: { type: 'string', default: '500' }, seed: { type: 'string', default: '20250101' } },
  })
  const accountCount = wholeNumber('--accounts', values.accounts, { min: 10, max: 100_000 })
  const seed = wholeNumber('--seed', values.seed, { min: 0, max: Number.MAX_SAFE_INTEGER })
  const database = await openScratchDatabase()
  let ok = false
  try {
    await database.migrate()
    console.info(`simulating ${count(accountCount)} accounts on ${database.driver}…`)
    const result = await runSimulation(database.db, {
      accounts: accountCount,
      seed,
      onProgress: (message) => console.info(`  ${message}`),
    })
    console.info(`\n${formatReport(result, { seed, totalMs: performance.now() - started })}`)
    ok = result.verdict.ok
  } finally {
    await database.close()
  }
  if (!ok) {
    console.info('\nThe health score did not separate the churners: BAD must churn at least twice as often as GOOD.')
    process.exitCode = 1
  }
}

// Run by `npm run simulate`; imported by its test without running.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main()
