// `npm run reindex`: rebuilds the search index from the database (DATABASE_URL or the PGlite folder)
// into the active engine (Meilisearch when MEILI_URL is set), with a progress bar and a final count.
import { SingleBar } from 'cli-progress'
import { env } from '#app/lib/env.server.ts'
import { openFromEnv } from '#db/client.server.ts'
import { activeSearchEngine } from '#search/active.server.ts'
import { reindexAll } from '#search/sync.server.ts'

const database = await openFromEnv(env())
await database.migrate()
const engine = activeSearchEngine(database.db)
const bar = new SingleBar({ format: `reindex (${engine.name}) [{bar}] {value}/{total} documents  {eta_formatted}` })
const started = performance.now()
let begun = false
const indexed = await reindexAll(database.db, engine, (done, total) => {
  if (!begun) bar.start(total, 0)
  begun = true
  bar.setTotal(total)
  bar.update(done)
})
if (begun) bar.stop()
console.info(
  `Indexed ${indexed} documents into the ${engine.name} engine in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
)
await database.close()
