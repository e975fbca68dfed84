import { printDemoLogins, seedDemo, seedDemoIfEmpty } from '#app/server/seed/demo.server.ts'
import { openFromEnv } from '#db/client.server.ts'

/** Seeds demo data: into an empty database by default, or anyway with --force. */
const database = await openFromEnv()
await database.migrate()
if (process.argv.includes('--force')) printDemoLogins(await seedDemo(database.db))
else if (!(await seedDemoIfEmpty(database.db)))
  console.info('The database already has users; nothing seeded (use --force).')
await database.close()
