import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import postgres from 'postgres'
import { type Database, openDatabase } from '#db/client.server.ts'
import { migrationsHash, pgliteTemplatePath, postgresTemplateName, withDatabase } from './templates.ts'

let opened: { database: Database; drop?: () => Promise<void> } | undefined

/** A fresh, migrated database for this test file on the driver of the running project:
 *  PGlite loaded from the template dump, or a Postgres database copied from the template. */
export async function openTestDatabase(): Promise<Database> {
  if (opened) return opened.database
  const hash = migrationsHash()
  if (process.env.TEST_DRIVER === 'postgres') {
    const url = process.env.TEST_DATABASE_URL
    if (!url) throw new Error('TEST_DRIVER=postgres needs TEST_DATABASE_URL')
    const name = `ct_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database "${name}" template "${postgresTemplateName(hash)}"`)
    const database = await openDatabase({ driver: 'postgres', url: withDatabase(url, name), max: 5 })
    opened = {
      database,
      drop: async () => {
        await admin.unsafe(`drop database if exists "${name}" with (force)`)
        await admin.end()
      },
    }
    return database
  }
  const dump = readFileSync(pgliteTemplatePath(hash))
  const database = await openDatabase({ driver: 'pglite', loadDataDir: new Blob([dump]) })
  opened = { database }
  return database
}

export async function closeTestDatabase(): Promise<void> {
  if (!opened) return
  const { database, drop } = opened
  opened = undefined
  await database.close()
  await drop?.()
}
