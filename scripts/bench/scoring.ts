// Score recompute at scale, on PostgreSQL: a year of ledger for many accounts, then the time and peak
// memory of one full `recomputeScores` for the last day of the data (with the day before already
// snapshotted, as the daily job finds it), each of its phases, and beside them one sequential scan of
// the ledger (`select count(*)`) as the floor to compare with.
//   npm run bench:scoring                  (10,000 accounts, 100,000 users, 2,000,000 ledger rows)
//   npm run bench:scoring -- --accounts 1000 --users 10000 --events 200000 --runs 3
//   npm run bench:scoring -- --reuse       (measure the data an earlier run left, without reseeding)
// Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_scoring), dropped and
// created again unless --reuse, and left in place afterwards for --reuse. The data is generated from
// hashes of row numbers, not random(), so every seed of the same size is the same ledger and the
// printed checksums compare one version of the scoring code with another.
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { sql } from 'drizzle-orm'
import { RECOMPUTE_PHASE_CHANNEL, recomputeScores } from '#app/domain/scoring/snapshots.server.ts'
import { addDays } from '#app/lib/days.ts'
import { openDatabase, rowsOf } from '#db/client.server.ts'
import { recreateDatabase, reportFigures } from './lib.ts'

const { values: flags } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    users: { type: 'string', default: '100000' },
    events: { type: 'string', default: '2000000' },
    // The last day of the data, the day measured; fixed so that every seed is the same ledger.
    day: { type: 'string', default: '2026-06-30' },
    runs: { type: 'string', default: '2' },
    reuse: { type: 'boolean', default: false },
  },
})
const accounts = Number(flags.accounts)
const users = Number(flags.users)
const events = Number(flags.events)
const runs = Number(flags.runs)
const membersPerAccount = users / accounts
if (![accounts, users, events, runs].every((n) => Number.isSafeInteger(n) && n > 0)) {
  throw new Error('--accounts, --users, --events and --runs take positive whole numbers')
}
if (!Number.isInteger(membersPerAccount)) throw new Error('--users must be a multiple of --accounts')
const STAFF = 20
const SEED_CHUNK = 500_000
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_scoring'

if (!flags.reuse) await recreateDatabase(url)
const database = await openDatabase({ driver: 'postgres', url, max: 4 })
const db = database.db
// A collection before each recompute, so its memory figures are its own and not the garbage of the
// run before (the flag only exposes `gc`, it changes nothing else).
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void
const seconds = (ms: number) => Math.round(ms / 100) / 10
const mb = (bytes: number) => Math.round(bytes / 1048576)

/** A number in [0, 1) from a hash of a row number and a salt: the same for the same row on every seed. */
const unit = (row: string, salt: number) =>
  `((hashint8(${row}::bigint * 64 + ${salt}) & 2147483647)::float8 / 2147483648)`

async function seed(day: string) {
  const end = `'${addDays(day, 1)}T00:00:00Z'::timestamptz`
  const started = performance.now()
  console.info(`seeding ${accounts} accounts, ${users} users and ${events} ledger rows over the year to ${day}…`)
  // Tiers about 20% high, 35% low, 40% tech, 5% unknown ARR; a few accounts without seats; 8% of them
  // younger than four months (onboarding), 2% churned before the day (left out of the snapshot).
  await db.execute(
    sql.raw(`
    insert into accounts (name, plan, arr_minor, arr_currency, seats, contract_start, created_at, churned_at)
    select 'Account ' || g, 'standard',
      case when ${unit('g', 1)} < 0.20 then 5000000 + floor(${unit('g', 2)} * 45000000)
           when ${unit('g', 1)} < 0.55 then 1000000 + floor(${unit('g', 2)} * 4000000)
           when ${unit('g', 1)} < 0.95 then floor(${unit('g', 2)} * 1000000) end,
      'JPY',
      case when ${unit('g', 3)} < 0.03 then null else ${membersPerAccount} + floor(${unit('g', 4)} * ${membersPerAccount * 1.5})::int end,
      created::date, created,
      case when ${unit('g', 5)} < 0.02 then ${end} - make_interval(days => 1 + floor(${unit('g', 6)} * 200)::int) end
    from generate_series(1, ${accounts}) g,
      lateral (select ${end} - make_interval(secs => (case when ${unit('g', 7)} < 0.08 then ${unit('g', 8)} * 120
                                                          else 400 + ${unit('g', 8)} * 1000 end) * 86400) as created) c`),
  )
  // Member u belongs to account 1 + (u - 1) % accounts, so account a's members are a, a + accounts, …
  await db.execute(
    sql.raw(`
    insert into users (account_id, email, display_name, password_hash, role)
    select 1 + (g - 1) % ${accounts}, 'm' || g || '@bench.example', 'Member ' || g, 'bench', 'member'
    from generate_series(1, ${users}) g`),
  )
  await db.execute(
    sql.raw(`
    insert into users (email, display_name, password_hash, role)
    select 'staff' || g || '@bench.example', 'Staff ' || g, 'bench', 'staff' from generate_series(1, ${STAFF}) g`),
  )
  // Cumulative shares of the ledger by type: visits, views and votes common; answers, tickets,
  // deflections and attendances rarer.
  const mix: [string, number][] = [
    ['visit_day', 0.3],
    ['article_viewed', 0.22],
    ['vote_cast', 0.12],
    ['vote_received', 0.08],
    ['search_performed', 0.08],
    ['comment_posted', 0.05],
    ['question_asked', 0.03],
    ['answer_posted', 0.03],
    ['event_registered', 0.02],
    ['article_feedback', 0.02],
    ['ticket_filed', 0.015],
    ['answer_accepted', 0.01],
    ['event_attended', 0.01],
    ['ticket_deflected', 0.008],
    ['survey_answered', 0.005],
    ['answer_promoted', 0.002],
  ]
  let cumulative = 0
  const typeCase = mix
    .map(([type, share]) => {
      cumulative += share
      return `when r.type < ${cumulative.toFixed(4)} then '${type}'`
    })
    .join(' ')
  // A few accounts are much busier than the rest; within an account a few members do most and three in
  // ten do nothing at all. Of every 32 accounts three are declining, three growing and two silent for
  // the last 40 days (the hard risk). Rows of young accounts fall after the account's creation.
  for (let from = 1; from <= events; from += SEED_CHUNK) {
    const to = Math.min(events, from + SEED_CHUNK - 1)
    await db.execute(
      sql.raw(`
      insert into activity_events (occurred_at, user_id, account_id, type, subject_type, subject_id, unique_key)
      select greatest(o.ts, a.created_at + (${end} - a.created_at) * r.late),
        case when p.staff then ${users} + 1 + g % ${STAFF}
             when p.type = 'ticket_filed' and r.anonymous < 0.1 then null
             else p.account + p.member * ${accounts} end,
        case when p.staff then null else p.account end,
        p.type,
        case when p.type in ('visit_day', 'search_performed') then null else split_part(p.type, '_', 1) end,
        case when p.type in ('visit_day', 'search_performed') then null else floor(r.subject * 5000)::text end,
        'bench:' || g
      from generate_series(${from}, ${to}) g,
        lateral (select ${unit('g', 10)} as type, ${unit('g', 11)} as late, ${unit('g', 12)} as anonymous,
                        ${unit('g', 13)} as subject, ${unit('g', 14)} as account, ${unit('g', 15)} as member,
                        ${unit('g', 16)} as staff, ${unit('g', 17)} as age) r,
        lateral (select 1 + (floor(${accounts} * power(r.account, 1.6))::bigint * 1000003) % ${accounts} as account,
                        floor(${membersPerAccount * 0.7} * power(r.member, 2))::int as member,
                        r.staff < 0.003 as staff,
                        case ${typeCase} else 'visit_day' end as type) p,
        lateral (select case when hashint8(p.account) & 31 < 3 then 365 * power(r.age, 0.6)
                             when hashint8(p.account) & 31 < 6 then 365 * power(r.age, 1.8)
                             when hashint8(p.account) & 31 < 8 then 40 + 325 * r.age
                             else 365 * r.age end as days) t,
        lateral (select ${end} - make_interval(secs => t.days * 86400) - interval '1 millisecond' as ts) o,
        accounts a
      where a.id = p.account`),
    )
    console.info(`  ledger rows ${from}–${to} (${seconds(performance.now() - started)} s)`)
  }
  // Surveys after 200 events over the year, NPS leaning positive.
  await db.execute(
    sql.raw(`
    insert into events (kind, title, body_md, body_html, render_version, starts_at, ends_at, time_zone, status)
    select 'webinar', 'Webinar ' || g, 'body', '<p>body</p>', 1, starts, starts + interval '1 hour', 'UTC', 'published'
    from generate_series(1, 200) g, lateral (select ${end} - make_interval(days => g * 365 / 200) as starts) s`),
  )
  await db.execute(
    sql.raw(`
    insert into event_surveys (event_id, user_id, rating, nps, created_at)
    select e.id, 1 + floor(${unit('g', 20)} * ${users})::int, 1 + floor(${unit('g', 21)} * 5)::int,
      least(10, floor(11 * power(${unit('g', 22)}, 0.6)))::int, e.starts_at + interval '1 day'
    from generate_series(1, ${Math.round(users / 3)}) g
    join events e on e.id = 1 + g % 200
    where e.starts_at + interval '1 day' < ${end}
    on conflict do nothing`),
  )
  await db.execute(sql`vacuum analyze`)
  console.info(`seeded in ${seconds(performance.now() - started)} s`)
}

/** The day of the latest ledger row, the day measured when reusing the data. */
async function lastDay(): Promise<string> {
  const [row] = rowsOf<{ day: string | null }>(
    await db.execute(sql`select (max(occurred_at) at time zone 'UTC')::date::text as day from activity_events`),
  )
  if (!row?.day) throw new Error('the bench database has no ledger rows: run without --reuse first')
  return row.day
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await run()
  return { ms: performance.now() - started, value }
}

/** One recompute, with its phases (from the diagnostics channel) and the process's peak memory, sampled
 *  every 50 ms and read from the kernel's high-water mark (reset first where Linux allows). */
async function measureRecompute(day: string) {
  const phases: Record<string, number> = {}
  const onPhase = (message: unknown) => {
    const { phase, ms } = message as { phase: string; ms: number }
    phases[phase] = (phases[phase] ?? 0) + ms
  }
  subscribe(RECOMPUTE_PHASE_CHANNEL, onPhase)
  collectGarbage()
  let highWaterReset = true
  try {
    writeFileSync('/proc/self/clear_refs', '5')
  } catch {
    highWaterReset = false
  }
  const before = process.memoryUsage()
  const peak = { rss: before.rss, heapUsed: before.heapUsed }
  const sample = () => {
    const now = process.memoryUsage()
    peak.rss = Math.max(peak.rss, now.rss)
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed)
  }
  const sampler = setInterval(sample, 50)
  try {
    const cpuBefore = process.cpuUsage()
    const { ms, value } = await timed(() => recomputeScores(db, { day }))
    const cpu = process.cpuUsage(cpuBefore)
    sample()
    const nodeCpuMs = (cpu.user + cpu.system) / 1000
    return { ms, nodeCpuMs, result: value, phases, before, peak, highWaterMb: highWaterReset ? highWaterMark() : null }
  } finally {
    clearInterval(sampler)
    unsubscribe(RECOMPUTE_PHASE_CHANNEL, onPhase)
  }
}

function highWaterMark(): number | null {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1])
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null
  } catch {
    return null
  }
}

/** Checksums of every stored column of the day's snapshot rows but computed_at: equal checksums on the
 *  same data mean a change to the scoring code left every figure, reason and level as it was. */
async function checksums(day: string) {
  const [row] = rowsOf<{ accounts: string; users: string }>(
    await db.execute(sql`select
      (select md5(string_agg(concat_ws('|', account_id, level, score, coverage, tier, components, summary, change,
                                       level_since, hard_risk, play, play_reason, engagement_points, active_members,
                                       champions), E'\n' order by account_id))
       from account_scores where as_of = ${day}) as accounts,
      (select md5(string_agg(concat_ws('|', user_id, account_id, points, level, components, last_active_at), E'\n'
                             order by user_id))
       from user_scores where as_of = ${day}) as users`),
  )
  return row!
}

try {
  await database.migrate()
  if (!flags.reuse) await seed(flags.day!)
  const day = flags.reuse ? await lastDay() : flags.day!
  // Recomputing a day replaces its rows, so reused data carries the dead rows of earlier runs; without
  // them every run measures the tables as the daily job finds them.
  await db.execute(sql`vacuum analyze user_scores, account_scores`)
  const [size] = rowsOf<{ rows: number; size: string }>(
    await db.execute(
      sql`select (select count(*) from activity_events)::int as rows, pg_size_pretty(pg_total_relation_size('activity_events')) as size`,
    ),
  )
  console.info(`ledger: ${size?.rows} rows, ${size?.size} with its indexes; measuring ${day}`)

  // The scan: the first run may read from disk, the later ones from the cache, as the recompute does.
  const scans: number[] = []
  for (let i = 0; i < 3; i++) scans.push((await timed(() => db.execute(sql`select count(*) from activity_events`))).ms)
  const scan = Math.min(...scans.slice(1))
  const scanPlan = rowsOf<{ 'QUERY PLAN': string }>(
    await db.execute(sql`explain select count(*) from activity_events`),
  ).map((row) => row['QUERY PLAN'])
  const workers = scanPlan.join('\n').match(/Workers Planned: (\d+)/)?.[1]
  console.info(`the scan's plan: ${workers ? `parallel, ${workers} workers and the leader` : 'one process'}`)

  // The day before first, so the measured day has a previous snapshot to compare with.
  const first = await measureRecompute(addDays(day, -1))
  const measured = []
  for (let i = 0; i < runs; i++) measured.push(await measureRecompute(day))
  const best = measured.reduce((a, b) => (b.ms < a.ms ? b : a))
  const highWater = measured.flatMap((run) => (run.highWaterMb === null ? [] : [run.highWaterMb]))

  const rows: { name: string; figure: number | string; unit: string }[] = [
    { name: 'ledger scan (count(*)), cold', figure: Math.round(scans[0]!), unit: 'ms' },
    { name: 'ledger scan (count(*)), warm', figure: Math.round(scan), unit: 'ms' },
    { name: `recompute ${addDays(day, -1)} (no previous snapshot)`, figure: seconds(first.ms), unit: 's' },
  ]
  for (const [index, run] of measured.entries()) {
    rows.push({ name: `recompute ${day}, run ${index + 1}`, figure: seconds(run.ms), unit: 's' })
  }
  rows.push({ name: '  of which CPU time in Node (best run)', figure: seconds(best.nodeCpuMs), unit: 's' })
  for (const [phase, ms] of Object.entries(best.phases)) {
    rows.push({ name: `  phase: ${phase}`, figure: seconds(ms), unit: 's' })
  }
  rows.push(
    { name: 'recompute ÷ scan (best run)', figure: Math.round((best.ms / scan) * 10) / 10, unit: '×' },
    { name: 'snapshot rows: users, accounts', figure: `${best.result.users}, ${best.result.accounts}`, unit: 'rows' },
    { name: 'level changes against the day before', figure: best.result.changes.length, unit: 'accounts' },
    { name: 'peak RSS (sampled every 50 ms)', figure: mb(Math.max(...measured.map((r) => r.peak.rss))), unit: 'MB' },
    {
      name: 'peak RSS (kernel high-water mark)',
      figure: highWater.length ? Math.max(...highWater) : 'n/a',
      unit: 'MB',
    },
    { name: 'RSS before the recompute', figure: mb(best.before.rss), unit: 'MB' },
    { name: 'peak RSS above that (best run)', figure: mb(best.peak.rss - best.before.rss), unit: 'MB' },
    { name: 'peak heap used', figure: mb(Math.max(...measured.map((r) => r.peak.heapUsed))), unit: 'MB' },
    { name: 'heap used before the recompute', figure: mb(best.before.heapUsed), unit: 'MB' },
  )
  console.table(rows)
  const sums = await checksums(day)
  console.info(`checksums of ${day}: account_scores ${sums.accounts}, user_scores ${sums.users}`)
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
  console.info(
    `targets: under 30 s ${verdict(best.ms < 30_000)}, under 10× the scan ${verdict(best.ms < 10 * scan)} (best of ${runs} runs)`,
  )
  reportFigures('scoring', [
    { name: 'ledger rows', figure: size?.rows ?? 0, unit: 'rows' },
    { name: `recompute ${day}, best of ${runs} runs`, figure: seconds(best.ms), unit: 's' },
    { name: 'snapshot rows: users', figure: best.result.users, unit: 'rows' },
    { name: 'snapshot rows: accounts', figure: best.result.accounts, unit: 'rows' },
    ...rows.flatMap(({ name, figure, unit }) =>
      typeof figure === 'number' ? [{ name: name.trim(), figure, unit }] : [],
    ),
  ])
} finally {
  await database.close()
}
