// Registration burst: N members register for one event at the same moment, over HTTP, against the
// production build on the server database; the event has N/4 seats. Prints throughput, latency
// percentiles and the final registered / waitlisted counts, which must equal the capacity and the rest.
//   npm run bench:events            (N = 400; BENCH_REQUESTS to change it)
// Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_events), dropped and
// created again on every run. Only loopback is targeted.
import { and, count, eq } from 'drizzle-orm'
import { hashPassword } from '#app/domain/identity/passwords.server.ts'
import { createSession, generateToken, SESSION_COOKIE } from '#app/domain/identity/sessions.server.ts'
import { insertEvent } from '#app/server/seed/factories/events.ts'
import { openDatabase } from '#db/client.server.ts'
import { eventRegistrations } from '#db/schema/events.ts'
import { users } from '#db/schema/identity.ts'
import { percentile, recreateDatabase, reportFigures, rssMb, startServer, stopServer } from './lib.ts'
import { rowFigures } from './report.ts'

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_events'
const port = Number(process.env.BENCH_PORT ?? 3393)
const requests = Number(process.env.BENCH_REQUESTS ?? 400)
const capacity = Math.max(1, Math.floor(requests / 4))

console.info(`seeding ${url}: ${requests} members with sessions, one event with ${capacity} seats…`)
await recreateDatabase(url)
const database = await openDatabase({ driver: 'postgres', url })
await database.migrate()
const db = database.db
const passwordHash = await hashPassword('bench-password-not-used-0')
const members = await db
  .insert(users)
  .values(
    Array.from({ length: requests }, (_, i) => ({
      email: `member-${i}@bench.example`,
      displayName: `Member ${i}`,
      passwordHash,
      createdAt: new Date(Date.now() - 30 * 86_400_000),
      emailVerifiedAt: new Date(Date.now() - 30 * 86_400_000),
    })),
  )
  .returning({ id: users.id })
const cookies: string[] = []
for (const member of members) {
  const token = generateToken()
  await createSession(db, token, member.id)
  cookies.push(`${SESSION_COOKIE}=${token}`)
}
const event = await insertEvent(db, { capacity, title: 'Burst workshop' })
await database.close()

const { child, base, ms } = await startServer({
  port,
  // Load shedding off: the burst arrives at once by design, and this measures registration under it;
  // shedding has its own benchmark (bench:overload). With it on, most of the 400 get a 503.
  env: {
    DATABASE_URL: url,
    DEMO_SEED: 'false',
    RATE_LIMITS: 'off',
    OVERLOAD_DELAY_MS: process.env.OVERLOAD_DELAY_MS ?? 'off',
    MAX_IN_FLIGHT: process.env.MAX_IN_FLIGHT ?? 'off',
  },
})
console.info(`app started on PostgreSQL in ${ms} ms; memory ${rssMb(child.pid)} MB RSS`)

// Warm the route once (module loading, prepared statements) so the burst measures registration.
await fetch(`${base}/events/${event.id}`)
const latencies: number[] = []
const statuses = new Map<number, number>()
const started = performance.now()
await Promise.all(
  cookies.map(async (cookie) => {
    const t0 = performance.now()
    const res = await fetch(`${base}/events/${event.id}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, cookie },
      body: 'intent=register',
    })
    await res.arrayBuffer()
    latencies.push(performance.now() - t0)
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
  }),
)
const seconds = (performance.now() - started) / 1000
const memory = rssMb(child.pid)
await stopServer(child)

const check = await openDatabase({ driver: 'postgres', url })
const tally = async (status: 'registered' | 'waitlisted') =>
  (
    await check.db
      .select({ n: count() })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.status, status)))
  )[0]!.n
const [registered, waitlisted] = [await tally('registered'), await tally('waitlisted')]
await check.close()

latencies.sort((a, b) => a - b)
const round = (n: number) => Math.round(n * 10) / 10
const burst = {
  requests,
  capacity,
  'req/s': Math.round(requests / seconds),
  'p50 ms': round(percentile(latencies, 50)),
  'p95 ms': round(percentile(latencies, 95)),
  'p99 ms': round(percentile(latencies, 99)),
  registered,
  waitlisted,
}
console.table([burst])
console.info(
  `HTTP statuses: ${[...statuses].map(([status, n]) => `${status}×${n}`).join(', ')}; app memory ${memory} MB RSS`,
)
const exact = registered === capacity && waitlisted === requests - capacity
console.info(exact ? 'capacity held: registered = capacity, waitlisted = the rest' : 'CAPACITY BROKEN')
if (!exact) process.exitCode = 1
reportFigures('events', [
  { name: 'app start (PostgreSQL)', figure: ms, unit: 'ms' },
  { name: 'registrations sent at once', figure: requests, unit: 'requests' },
  ...rowFigures('registration burst', burst),
  { name: 'memory after the burst', figure: memory, unit: 'MB' },
])
