import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import postgres from 'postgres'
import { openDatabase } from '#db/client.server.ts'
import { migrationsHash, pgliteTemplatePath, postgresTemplateName, withDatabase } from './templates.ts'

/** Builds a migrated template once per migrations version: a PGlite data-dir dump that every test file
 *  loads, and (with TEST_DATABASE_URL) a Postgres template database every test file copies. */
export default async function globalSetup() {
  const hash = migrationsHash()

  const dump = pgliteTemplatePath(hash)
  if (!existsSync(dump)) {
    mkdirSync(dirname(dump), { recursive: true })
    const database = await openDatabase({ driver: 'pglite' })
    await database.migrate()
    const file = await database.pglite!.dumpDataDir('none')
    await database.close()
    const tmp = `${dump}.${process.pid}.tmp`
    writeFileSync(tmp, Buffer.from(await file.arrayBuffer()))
    renameSync(tmp, dump)
  }

  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const template = postgresTemplateName(hash)
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    try {
      // Serialised across concurrent runs by an advisory lock; built under a temporary name and
      // renamed, so no run ever copies a half-migrated template.
      await admin`select pg_advisory_lock(872341)`
      const [exists] = await admin`select 1 from pg_database where datname = ${template}`
      if (!exists) {
        const building = `${template}_building`
        await admin.unsafe(`drop database if exists "${building}"`)
        await admin.unsafe(`create database "${building}"`)
        const database = await openDatabase({ driver: 'postgres', url: withDatabase(url, building), max: 1 })
        await database.migrate()
        await database.close()
        await admin.unsafe(`alter database "${building}" rename to "${template}"`)
      }
      // Templates of older migrations are of no further use, unless runs of other checkouts with
      // other migrations share this server (TEST_KEEP_TEMPLATES=1 while working in several worktrees).
      const stale = process.env.TEST_KEEP_TEMPLATES
        ? []
        : await admin<{ datname: string }[]>`
        select datname from pg_database where datname like 'ct\_template\_%' and datname <> ${template}`
      for (const { datname } of stale) await admin.unsafe(`drop database if exists "${datname}"`)
      await admin`select pg_advisory_unlock(872341)`
    } finally {
      await admin.end()
    }
  }
}
