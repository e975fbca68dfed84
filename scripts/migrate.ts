import { openFromEnv } from '#db/client.server.ts'

/** Applies pending migrations to the database the environment names (PGlite by default). */
const database = await openFromEnv()
await database.migrate()
console.info(`Migrations applied (${database.driver}).`)
await database.close()
