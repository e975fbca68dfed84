import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { eq, max, sql } from 'drizzle-orm'
import postgres from 'postgres'
import { describe, expect, onTestFinished, test } from 'vitest'
import { enqueue, startJobs, stopJobs } from '#app/lib/jobs.server.ts'
import { seedDemo } from '#app/server/seed/demo.server.ts'
import {
  insertAccount,
  insertAnswer,
  insertArticle,
  insertEvent,
  insertQuestion,
  insertRegistration,
  insertStaff,
  insertTicket,
  insertUser,
} from '#app/server/seed/factories/index.ts'
import { type Database, type Db, openDatabase, rowsOf } from '#db/client.server.ts'
import { eventRegistrations } from '#db/schema/events.ts'
import { articles } from '#db/schema/help.ts'
import { users } from '#db/schema/identity.ts'
import { questions } from '#db/schema/qa.ts'
import { tickets } from '#db/schema/support.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { reindexAll } from '#search/sync.server.ts'
import { migrationsHash, pgliteTemplatePath, postgresTemplateName, withDatabase } from '#tests/setup/templates.ts'

// The backup procedures of the README's "Backup and restore", run for real: pg_dump / pg_restore on the
// server, a copy of the stopped data folder on PGlite.

const run = promisify(execFile)

/** Rows of every kind this test reads back, and one queued job so the pgboss schema holds rows too. */
async function fillCommunity(database: Database) {
  const { db } = database
  const account = await insertAccount(db, { name: 'Backup Holdings', domains: ['backup.example'] })
  const member = await insertUser(db, {
    email: 'restored@backup.example',
    displayName: '復元 太郎',
    accountId: account.id,
  })
  const staff = await insertStaff(db)
  const question = await insertQuestion(db, {
    author: member,
    title: 'Does pg_restore keep the sequences?',
    bodyMd: 'After a **restore**, do new rows get fresh `id`s?\n\n- users\n- tickets',
    tags: ['backup'],
  })
  await insertAnswer(db, question, { author: staff, bodyMd: 'Yes: the dump sets every sequence to its last value.' })
  await insertAnswer(db, question)
  const article = await insertArticle(db, { authorId: staff.id, locale: 'ja', title: 'バックアップの取り方' })
  const event = await insertEvent(db, { capacity: 20 })
  await insertRegistration(db, event, member)
  const ticket = await insertTicket(db, member, { subject: 'Restore drill' })
  await startJobs(database, [{ name: 'backup-check', handler: async () => {} }])
  // An hour away, so the worker leaves it queued.
  await enqueue('backup-check', { ticketId: ticket.id }, { startAfter: 3600 })
  await stopJobs()
  return { member, question, article, event, ticket }
}

type Snapshot = { tables: Record<string, { rows: number; digest: string }>; sequences: Record<string, string | null> }

/** Row count and a digest of the contents of every table outside the system schemas, and the last
 *  value of every sequence: equal snapshots mean equal databases. */
async function snapshot(db: Db): Promise<Snapshot> {
  const names = rowsOf<{ name: string }>(
    await db.execute(sql`
      select format('%I.%I', n.nspname, c.relname) as name
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'
      order by 1`),
  )
  const tables: Snapshot['tables'] = {}
  for (const { name } of names) {
    const [row] = rowsOf<{ rows: number; digest: string }>(
      await db.execute(
        sql.raw(`select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest
                 from ${name} t`),
      ),
    )
    tables[name] = row!
  }
  const sequences = rowsOf<{ name: string; last: string | null }>(
    await db.execute(
      sql`select format('%I.%I', schemaname, sequencename) as name, last_value::text as last from pg_sequences`,
    ),
  )
  return { tables, sequences: Object.fromEntries(sequences.map((s) => [s.name, s.last])) }
}

/** What a user would check first after a restore: their sign-in, their question, an article, a seat. */
async function keyRows(db: Db, data: Awaited<ReturnType<typeof fillCommunity>>) {
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, data.member.id))
  const [question] = await db
    .select({ title: questions.title, bodyHtml: questions.bodyHtml, answerCount: questions.answerCount })
    .from(questions)
    .where(eq(questions.id, data.question.id))
  const [article] = await db
    .select({ title: articles.title, bodyHtml: articles.bodyHtml })
    .from(articles)
    .where(eq(articles.id, data.article.id))
  const [registration] = await db
    .select({ userId: eventRegistrations.userId, status: eventRegistrations.status })
    .from(eventRegistrations)
    .where(eq(eventRegistrations.eventId, data.event.id))
  const [ticket] = await db.select({ subject: tickets.subject }).from(tickets).where(eq(tickets.id, data.ticket.id))
  const [job] = rowsOf<{ state: string; data: unknown }>(
    await db.execute(sql`select state, data from pgboss.job where name = 'backup-check'`),
  )
  return { user, question, article, registration, ticket, job }
}

async function maxIds(db: Db) {
  const [user] = await db.select({ id: max(users.id) }).from(users)
  const [ticket] = await db.select({ id: max(tickets.id) }).from(tickets)
  return { user: user!.id!, ticket: ticket!.id! }
}

describe.runIf(process.env.TEST_DRIVER === 'postgres')('PostgreSQL: pg_dump and pg_restore', () => {
  test('a custom-format dump restores into an empty database with every row, sequence and migration', async () => {
    const url = process.env.TEST_DATABASE_URL!
    const name = `ct_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`
    const [sourceName, restoredName] = [`${name}_source`, `${name}_restored`]
    const work = mkdtempSync(join(tmpdir(), 'ct-backup-'))
    const admin = postgres(url, { max: 1, onnotice: () => {} })
    const opened: Database[] = []
    onTestFinished(async () => {
      for (const database of opened) await database.close()
      for (const db of [sourceName, restoredName]) await admin.unsafe(`drop database if exists "${db}" with (force)`)
      await admin.end()
      rmSync(work, { recursive: true, force: true })
    })

    await admin.unsafe(`create database "${sourceName}" template "${postgresTemplateName(migrationsHash())}"`)
    const source = await openDatabase({ driver: 'postgres', url: withDatabase(url, sourceName), max: 2 })
    opened.push(source)
    // The demo seed and the embedded search index for breadth (about 10 s): the ledger, scores and search
    // documents (tsvectors, trigram-indexed terms) get rows too.
    await seedDemo(source.db, { portfolio: false })
    await reindexAll(source.db, new EmbeddedSearchEngine(source.db))
    const data = await fillCommunity(source)
    const before = await snapshot(source.db)
    const rows = await keyRows(source.db, data)
    const ids = await maxIds(source.db)

    const file = join(work, 'backup.dump')
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, withDatabase(url, sourceName)])
    await admin.unsafe(`create database "${restoredName}" template template0`)
    await run('pg_restore', ['--no-owner', '--exit-on-error', '-d', withDatabase(url, restoredName), file])

    const restored = await openDatabase({ driver: 'postgres', url: withDatabase(url, restoredName), max: 2 })
    opened.push(restored)
    expect(Object.keys(before.tables)).toEqual(
      expect.arrayContaining(['drizzle.__drizzle_migrations', 'public.users', 'pgboss.job', 'pgboss.queue']),
    )
    expect(before.tables['pgboss.job']!.rows).toBeGreaterThan(0)
    expect(await snapshot(restored.db)).toEqual(before)
    expect(await keyRows(restored.db, data)).toEqual(rows)
    expect(rows.user!.passwordHash).toMatch(/^\$argon2id\$/)
    expect(rows.question!.bodyHtml).toContain('<strong>restore</strong>')
    expect(rows.job).toMatchObject({ state: 'created', data: { ticketId: data.ticket.id } })

    // The app migrates on start: on a restore of the current version there is nothing to apply.
    await restored.migrate()
    expect(await snapshot(restored.db)).toEqual(before)

    const newcomer = await insertUser(restored.db)
    const ticket = await insertTicket(restored.db, newcomer)
    expect(newcomer.id).toBeGreaterThan(ids.user)
    expect(ticket.id).toBeGreaterThan(ids.ticket)
  }, 180_000)
})

describe.runIf(process.env.TEST_DRIVER === 'pglite')('PGlite: copying the data folder', () => {
  test('a copy of the stopped app’s data folder opens with every row and needs no migration', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ct-backup-'))
    const opened: Database[] = []
    onTestFinished(async () => {
      for (const database of opened) if (!database.pglite!.closed) await database.close()
      rmSync(work, { recursive: true, force: true })
    })
    const dataDir = join(work, 'data/pglite')
    const backupDir = join(work, 'backups/pglite-2026-05-01')

    // The migrated test template, unpacked into the folder: what the app leaves there on first start.
    const template = new Blob([readFileSync(pgliteTemplatePath(migrationsHash()))])
    const original = await openDatabase({ driver: 'pglite', dataDir, loadDataDir: template })
    opened.push(original)
    await original.migrate()
    const data = await fillCommunity(original)
    const before = await snapshot(original.db)
    const rows = await keyRows(original.db, data)
    const ids = await maxIds(original.db)
    await original.close()

    // Putting the copy back is one more copy: opening it where it lies is the same test.
    cpSync(dataDir, backupDir, { recursive: true })
    const restored = await openDatabase({ driver: 'pglite', dataDir: backupDir })
    opened.push(restored)
    expect(before.tables['pgboss.job']!.rows).toBeGreaterThan(0)
    expect(await snapshot(restored.db)).toEqual(before)
    expect(await keyRows(restored.db, data)).toEqual(rows)
    expect(rows.user).toMatchObject({
      email: 'restored@backup.example',
      passwordHash: expect.stringMatching(/^\$argon2id\$/),
    })

    await restored.migrate()
    expect(await snapshot(restored.db)).toEqual(before)

    const newcomer = await insertUser(restored.db)
    expect(newcomer.id).toBeGreaterThan(ids.user)
  }, 180_000)
})
