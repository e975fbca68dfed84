import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { expect, test } from 'vitest'
import { withDatabase } from '#tests/setup/templates.ts'
import { type Database, openDatabase } from './client.server.ts'

async function tableNames(database: Database): Promise<string[]> {
  const result = await database.db.execute<{ table_name: string }>(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
  )
  const rows = Array.isArray(result) ? result : (result as { rows: { table_name: string }[] }).rows
  return rows.map((r) => r.table_name)
}

test('migrations build the schema from nothing, and applying them again (even concurrently) changes nothing', async () => {
  if (process.env.TEST_DRIVER === 'postgres') {
    const url = process.env.TEST_DATABASE_URL!
    const name = `ct_migrate_${randomUUID().replaceAll('-', '').slice(0, 12)}`
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database "${name}"`)
    const processes = await Promise.all(
      [1, 2, 3].map(() => openDatabase({ driver: 'postgres', url: withDatabase(url, name) })),
    )
    try {
      // Three app processes starting at once: the advisory lock makes them take turns.
      await Promise.all(processes.map((p) => p.migrate()))
      expect(await tableNames(processes[0]!)).toEqual(expect.arrayContaining(['users', 'accounts', 'activity_events']))
    } finally {
      await Promise.all(processes.map((p) => p.close()))
      await admin.unsafe(`drop database "${name}" with (force)`)
      await admin.end()
    }
    return
  }
  const database = await openDatabase({ driver: 'pglite' })
  try {
    await database.migrate()
    await database.migrate()
    expect(await tableNames(database)).toEqual(expect.arrayContaining(['users', 'accounts', 'activity_events']))
  } finally {
    await database.close()
  }
})
