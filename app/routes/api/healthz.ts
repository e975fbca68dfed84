import { databaseContext } from '#app/lib/context.ts'
import { APP_VERSION } from '#app/lib/version.ts'
import { pingDatabase } from '#db/client.server.ts'
import type { Route } from './+types/healthz'

/** Liveness and readiness: answers only once the database answers a query. */
export async function loader({ context }: Route.LoaderArgs) {
  const database = context.get(databaseContext)
  await pingDatabase(database.db)
  return Response.json(
    { status: 'ok', db: database.driver, version: APP_VERSION },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}
