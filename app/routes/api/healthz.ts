import { APP_VERSION } from '#app/lib/version.ts'
import { databaseContext } from '#app/server/context.ts'
import { isOverloaded } from '#app/server/overload.server.ts'
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '#app/server/unavailable.server.ts'
import { pingDatabase } from '#db/client.server.ts'
import type { Route } from './+types/healthz'

/** How long the database may take to answer `select 1` before it counts as down: a health check that
 *  hangs is no answer to a load balancer. */
export const PING_TIMEOUT_MS = 2_000

/** Liveness and readiness: 200 once the database answers a query, 503 while it does not (the process
 *  itself is up: it answered). Never shed under overload (scripts/start.js), so it reports that too. */
export async function loader({ context }: Route.LoaderArgs) {
  const database = context.get(databaseContext)
  const reachable = await withTimeout(pingDatabase(database.db), PING_TIMEOUT_MS).then(
    () => true,
    () => false,
  )
  const overloaded = isOverloaded() ? { overloaded: true } : {}
  if (!reachable) {
    return Response.json(
      { status: 'unavailable', db: database.driver, database: 'down', version: APP_VERSION, ...overloaded },
      { status: 503, headers: { 'Cache-Control': 'no-store', 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } },
    )
  }
  return Response.json(
    { status: 'ok', db: database.driver, version: APP_VERSION, ...overloaded },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
