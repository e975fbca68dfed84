// Support figures at scale: a year of contact-flow use for many accounts, on PostgreSQL. Prints the
// latency of the figures (all accounts, one account, per account), the insights page's queries and
// the 72-hour outcome job, with p50/p95/p99 and memory.
//   npm run bench:support                  (defaults below; flags change them)
//   npm run bench:support -- --accounts 500 --attempts 300000 --runs 30
// Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_support), dropped and
// created again on every run.
import { parseArgs } from 'node:util'
import { sql } from 'drizzle-orm'
import { supportFigures, supportFiguresByAccount } from '#app/domain/reporting/deflection.server.ts'
import { listAttempts, ticketEndingQueries } from '#app/domain/reporting/support.server.ts'
import { decideStaleAttempts } from '#app/domain/support/attempts.server.ts'
import { openDatabase, rowsOf } from '#db/client.server.ts'
import { percentile, recreateDatabase, reportFigures, rssMb } from './lib.ts'
import { rowFigures } from './report.ts'

const { values: flags } = parseArgs({
  options: {
    accounts: { type: 'string', default: '500' },
    attempts: { type: 'string', default: '300000' },
    runs: { type: 'string', default: '30' },
  },
})
const accounts = Number(flags.accounts)
const attempts = Number(flags.attempts)
const runs = Number(flags.runs)
const membersPerAccount = 40
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_support'

await recreateDatabase(url)
const database = await openDatabase({ driver: 'postgres', url })
await database.migrate()
const db = database.db
const members = accounts * membersPerAccount
const t0 = performance.now()
console.info(`seeding ${accounts} accounts, ${members} members, ${attempts} attempts over a year…`)
await db.execute(
  sql`insert into accounts (name, seats) select 'Account ' || g, ${membersPerAccount} from generate_series(1, ${accounts}) g`,
)
await db.execute(sql`
  insert into users (account_id, email, display_name, password_hash, role)
  select 1 + (g % ${accounts}), 'm' || g || '@bench.example', 'Member ' || g, 'x', 'member'
  from generate_series(1, ${members}) g`)
await db.execute(
  sql`insert into users (email, display_name, password_hash, role) values ('staff@bench.example', 'Staff', 'x', 'staff')`,
)
// Outcomes: 30% explicit, 25% filed, 20% implicit, 15% abandoned, 10% pending (the last 72 hours).
await db.execute(sql`
  insert into deflection_attempts (key, user_id, account_id, query, shown, opened, outcome, created_at, decided_at)
  select gen_random_uuid(), u.id, u.account_id, 'subject ' || (g % 5000),
    '[{"doc":"article:1","rank":1,"title":"A","query":"q","at":"2026-01-01T00:00:00Z"}]'::jsonb,
    case when g % 20 < 10 or g % 20 = 19 then '[{"doc":"article:1","at":"2026-01-01T00:00:00Z"}]'::jsonb else '[]'::jsonb end,
    (case when g % 20 < 6 then 'explicit' when g % 20 < 11 then 'filed' when g % 20 < 15 then 'implicit'
          when g % 20 < 18 then 'abandoned' else 'pending' end)::deflection_outcome,
    now() - (case when g % 20 >= 18 then (g % 70) * interval '1 hour' else (g % 365) * interval '1 day' + interval '4 days' end),
    now()
  from generate_series(1, ${attempts}) g
  join users u on u.id = 1 + (g % ${members})`)
await db.execute(sql`
  insert into tickets (user_id, account_id, attempt_id, requester_email, subject, created_at)
  select a.user_id, a.account_id, a.id, 'm@bench.example', a.query, a.created_at
  from deflection_attempts a where a.outcome = 'filed'`)
await db.execute(sql`
  insert into tickets (source, external_id, user_id, account_id, requester_email, subject, status, created_at)
  select 'import', 'HD-' || g, 1 + (g % ${members}), 1 + (g % ${accounts}), 'm@bench.example', 'Imported', 'closed',
    now() - (g % 365) * interval '1 day'
  from generate_series(1, ${Math.round(attempts / 10)}) g`)
await db.execute(sql`
  insert into activity_events (occurred_at, user_id, account_id, type, subject_type, subject_id, unique_key)
  select now() - (g % 365) * interval '1 day', 1 + (g % ${members}), 1 + ((g % ${members}) % ${accounts}),
    'article_viewed', 'article', (g % 300)::text, 'article_viewed:' || g
  from generate_series(1, ${attempts * 3}) g`)
await db.execute(sql`
  insert into questions (author_id, title, body_md, body_html, render_version, created_at)
  select 1 + (g % ${members}), 'Question ' || g, 'body', '<p>body</p>', 1, now() - (g % 365) * interval '1 day'
  from generate_series(1, ${Math.round(attempts / 15)}) g`)
await db.execute(sql`
  insert into answers (question_id, author_id, body_md, body_html, render_version)
  select q.id, 1 + ((q.id * 7) % ${members + 1}), 'answer', '<p>answer</p>', 1 from questions q`)
await db.execute(
  sql`update questions q set accepted_answer_id = a.id from answers a where a.question_id = q.id and q.id % 3 <> 0`,
)
await db.execute(sql`vacuum analyze`)
console.info(`seeded in ${Math.round((performance.now() - t0) / 1000)} s`)

const day = 86_400_000
const now = new Date()
const period = (days: number) => ({ from: new Date(now.getTime() - days * day), to: now })

async function measure(title: string, run: () => Promise<unknown>) {
  await run()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await run()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    title,
    runs,
    'p50 ms': round(percentile(times, 50)),
    'p95 ms': round(percentile(times, 95)),
    'p99 ms': round(percentile(times, 99)),
  }
}

const rows = [
  await measure('figures, all accounts, 30 days', () => supportFigures(db, period(30))),
  await measure('figures, all accounts, 365 days', () => supportFigures(db, period(365))),
  await measure('figures, one account, 90 days', () => supportFigures(db, { ...period(90), accountId: 7 })),
  await measure(`figures per account (${accounts}), 90 days`, () => supportFiguresByAccount(db, period(90))),
  await measure('insights: attempts, page 1, 30 days', () => listAttempts(db, period(30))),
  await measure('insights: attempts, page 40, 90 days', () => listAttempts(db, { ...period(90), page: 40 })),
  await measure('insights: ticket-ending subjects, 90 days', () => ticketEndingQueries(db, period(90))),
]
console.table(rows)

// The hourly job, on the pending attempts of the last 72 hours aged past the window.
const [pending] = rowsOf<{ n: number }>(
  await db.execute(sql`select count(*)::int as n from deflection_attempts where outcome = 'pending'`),
)
const jobStart = performance.now()
const decided = await decideStaleAttempts(db, new Date(now.getTime() + 4 * day))
const jobMs = Math.round(performance.now() - jobStart)
console.info(
  `72-hour job: decided ${decided.implicit} implicit and ${decided.abandoned} abandoned of ${pending?.n} pending in ${jobMs} ms`,
)
const memory = rssMb(process.pid)
console.info(`bench process memory: ${memory} MB RSS`)
await database.close()
reportFigures('support', [
  { name: 'attempts seeded', figure: attempts, unit: 'attempts' },
  ...rows.flatMap((row) => rowFigures(row.title, row)),
  { name: '72-hour job', figure: jobMs, unit: 'ms' },
  { name: '72-hour job: attempts decided', figure: decided.implicit + decided.abandoned, unit: 'attempts' },
  { name: 'bench process memory', figure: memory, unit: 'MB' },
])
