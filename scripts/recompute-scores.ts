// `npm run scores:recompute -- --from 2026-01-01 --to 2026-03-31`: recomputes the daily score snapshots
// of every day in the range (both included; default: today only) from the activity ledger, in date
// order so each day's levels and changes build on the day before, with a progress bar.
import { parseArgs } from 'node:util'
import { SingleBar } from 'cli-progress'
import { readScoringSettings } from '#app/domain/scoring/settings.server.ts'
import { recomputeScores } from '#app/domain/scoring/snapshots.server.ts'
import { daysBetween, isDay, utcDay } from '#app/lib/days.ts'
import { env } from '#app/lib/env.server.ts'
import { openFromEnv } from '#db/client.server.ts'

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } })
const today = utcDay(new Date())
const from = values.from ?? values.to ?? today
const to = values.to ?? (values.from ? today : from)
for (const [name, value] of [
  ['--from', from],
  ['--to', to],
] as const) {
  if (!isDay(value)) {
    console.error(`${name} must be a day written YYYY-MM-DD, not "${value}".`)
    process.exit(2)
  }
}
if (from > to) {
  console.error(`--from (${from}) is after --to (${to}).`)
  process.exit(2)
}

const database = await openFromEnv(env())
await database.migrate()
const settings = await readScoringSettings(database.db)
const days = daysBetween(from, to)
const bar = new SingleBar({ format: 'scores [{bar}] {value}/{total} days  {day}  {eta_formatted}' })
const started = performance.now()
bar.start(days.length, 0, { day: from })
let accounts = 0
let users = 0
for (const [index, day] of days.entries()) {
  const result = await recomputeScores(database.db, { day, settings })
  accounts += result.accounts
  users += result.users
  bar.update(index + 1, { day })
}
bar.stop()
const seconds = (performance.now() - started) / 1000
console.info(
  `Recomputed ${days.length} day(s) from ${from} to ${to}: ${accounts} account and ${users} member snapshots in ${seconds.toFixed(1)} s.`,
)
await database.close()
