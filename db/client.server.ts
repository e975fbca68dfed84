import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema/index.ts'

export type Schema = typeof schema
/** The handle every domain function takes. Both drivers' databases satisfy it, and so does a
 *  transaction (PgTransaction extends PgDatabase), so a function can run inside a caller's transaction. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>
export type Driver = 'pglite' | 'postgres'

export type Database = {
  db: Db
  driver: Driver
  /** The PGlite instance when embedded; pg-boss shares it, since PGlite has a single connection. */
  pglite?: PGlite
  /** The server URL when on postgres.js; pg-boss opens its own pool to it. */
  url?: string
  migrate(): Promise<void>
  close(): Promise<void>
  /** Calls `onNotify` for each NOTIFY on `channel` (delivered when the notifying transaction commits).
   *  Resolves to a function that stops listening. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>
}

const migrationsFolder = resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations')

/** Any number constant will do; it names "migrations" among the advisory locks of this database. */
const MIGRATION_LOCK = 7_245_001

/** Applies migrations over a one-connection client holding an advisory lock, so processes starting
 *  at the same moment take turns instead of racing through the same migration. */
async function migrateUnderLock(url: string): Promise<void> {
  const single = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await single`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migratePostgres(drizzlePostgres(single, { schema }), { migrationsFolder })
    await single`select pg_advisory_unlock(${MIGRATION_LOCK})`
  } finally {
    await single.end({ timeout: 5 })
  }
}

export type OpenOptions =
  | { driver: 'postgres'; url: string; max?: number }
  | { driver: 'pglite'; dataDir?: string; loadDataDir?: Blob }

/** One round trip to the database; throws when it does not answer. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`)
}

/** Opens PGlite (a folder, or in memory without one) or a postgres.js pool. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.driver === 'postgres') {
    const client = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} })
    const db = drizzlePostgres(client, { schema }) as unknown as Db
    return {
      db,
      driver: 'postgres',
      url: options.url,
      migrate: () => migrateUnderLock(options.url),
      close: () => client.end({ timeout: 5 }),
      listen: async (channel, onNotify) => {
        const { unlisten } = await client.listen(channel, onNotify)
        return unlisten
      },
    }
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    // The search index's typo tolerance needs pg_trgm (migration 0004 creates it).
    extensions: { pg_trgm },
  })
  const db = drizzlePglite(pglite, { schema }) as unknown as Db
  return {
    db,
    driver: 'pglite',
    pglite,
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => pglite.close(),
    listen: (channel, onNotify) => pglite.listen(channel, onNotify),
  }
}

/** Opens the database the environment names: postgres.js with DATABASE_URL, PGlite in
 *  PGLITE_DIR (default ./data/pglite) otherwise. */
export function openFromEnv(
  env: { DATABASE_URL?: string; PGLITE_DIR?: string } = process.env as { DATABASE_URL?: string },
): Promise<Database> {
  if (env.DATABASE_URL) return openDatabase({ driver: 'postgres', url: env.DATABASE_URL })
  return openDatabase({ driver: 'pglite', dataDir: resolve(env.PGLITE_DIR ?? 'data/pglite') })
}

/** drizzle's execute() returns an array on postgres.js and `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  return ((result as { rows?: T[] }).rows ?? []) as T[]
}
