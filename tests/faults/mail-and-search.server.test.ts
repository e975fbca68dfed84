// Faults with no HTTP server: the SMTP server and the search engine go away, and come back.
// Covered elsewhere, not repeated here: a refused SMTP connection is recorded on the message and
// rethrown, the fifth failure marks it failed (app/lib/mail.server.test.ts); a question
// asked with Meilisearch unreachable waits in the outbox and reaches the embedded engine later
// (search/sync.server.test.ts).
import { connect, createServer, type Server, type Socket } from 'node:net'
import { asc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import { moderatePost } from '#app/domain/qa/moderation.server.ts'
import { askQuestion } from '#app/domain/qa/questions.server.ts'
import { QuestionSchema } from '#app/domain/qa/schemas.ts'
import { startJobs, stopJobs } from '#app/lib/jobs.server.ts'
import { deliverEmail, dispatchEmails, mailJobs, queueEmail, sweepPendingEmails } from '#app/lib/mail.server.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { emailOutbox } from '#db/schema/notify.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import type { SearchEngine } from '#search/engine.ts'
import { MeilisearchEngine } from '#search/meilisearch.server.ts'
import { drainSearchOutbox } from '#search/sync.server.ts'
import { database, db } from '#tests/db.ts'
import { freePort } from '#tests/free-port.ts'
import { startSmtpServer } from '#tests/smtp.ts'

/** The mail server's front door: refused while closed, forwarding to the real SMTP server once open. */
function smtpFrontDoor(port: number, upstreamPort: number) {
  let server: Server | undefined
  const sockets = new Set<Socket>()
  return {
    async open() {
      server = createServer((client) => {
        const upstream = connect(upstreamPort, '127.0.0.1')
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on('close', () => sockets.delete(socket))
          socket.on('error', () => {
            client.destroy()
            upstream.destroy()
          })
        }
        client.pipe(upstream).pipe(client)
      })
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve))
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
      server = undefined
    },
  }
}

let smtp: Awaited<ReturnType<typeof startSmtpServer>>
let frontDoor: ReturnType<typeof smtpFrontDoor>

beforeAll(async () => {
  smtp = await startSmtpServer()
  const port = await freePort()
  frontDoor = smtpFrontDoor(port, Number(new URL(smtp.url).port))
  // Read by env() on first use, which is after this point in this file's module graph.
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`
  await startJobs(database, mailJobs)
})

afterAll(async () => {
  await stopJobs()
  await frontDoor.close()
  await smtp.close()
})

const outboxRow = async (id: number) => (await db.select().from(emailOutbox).where(eq(emailOutbox.id, id)))[0]!

test('with the SMTP server down, mail waits in the outbox with the error; once it is back, the sweeper delivers it once', async () => {
  const to = `waiting-${Date.now()}@example.com`
  const id = await queueEmail(db, { to, subject: 'Your webinar starts soon', text: 'See you there.', template: 'test' })
  await dispatchEmails([id])

  const waiting = await vi.waitFor(
    async () => {
      const row = await outboxRow(id)
      if (row.attempts < 1) throw new Error('not tried yet')
      return row
    },
    { timeout: 20_000, interval: 200 },
  )
  expect(waiting).toMatchObject({ status: 'pending', attempts: 1, sentAt: null })
  expect(waiting.lastError).toMatch(/ECONNREFUSED/)
  expect(waiting.textBody).toBe('See you there.')

  await frontDoor.open()
  // The job's own retry waits 30 s and more; the sweeper re-dispatches what has waited for minutes.
  await db
    .update(emailOutbox)
    .set({ createdAt: new Date(Date.now() - 10 * 60 * 1000) })
    .where(eq(emailOutbox.id, id))
  expect(await sweepPendingEmails(db)).toContain(id)
  const sent = await vi.waitFor(
    async () => {
      const row = await outboxRow(id)
      if (row.status !== 'sent') throw new Error(`still ${row.status}`)
      return row
    },
    { timeout: 20_000, interval: 200 },
  )
  expect(sent).toMatchObject({ status: 'sent', attempts: 2 })
  expect(sent.messageId).toBeTruthy()
  // The first job's retry, when it comes, finds the message sent and leaves it.
  expect(await deliverEmail(db, id)).toBe('already-done')
  expect(smtp.received.filter((mail) => mail.to.includes(to))).toHaveLength(1)
})

const engine = new EmbeddedSearchEngine(db)
const found = async (q: string) => (await engine.search({ q, locale: 'en' })).hits.map((h) => h.id)
const outboxIds = async () =>
  (await db.select({ id: searchOutbox.id }).from(searchOutbox).orderBy(asc(searchOutbox.id))).map((r) => r.id)

async function ask(title: string, body: string) {
  const asked = await askQuestion(db, {
    user: await insertUser(db),
    input: QuestionSchema.parse({ title, body, tags: 'faults' }),
  })
  if (!asked.ok) throw new Error(asked.code)
  return asked.value.id
}

test('with the search engine down, a new question and a hidden one both wait in the outbox and apply later', async () => {
  const staff = await insertStaff(db)
  const old = await ask('Expense exports drop the cost centre', 'The cost centre column is empty in every export.')
  await drainSearchOutbox(db, engine)
  expect(await found('cost centre')).toEqual([`question:${old}`])

  const down = new MeilisearchEngine({ host: `http://127.0.0.1:${await freePort()}`, indexPrefix: 'unreachable' })
  const fresh = await ask(
    'Cost centre codes rejected on import',
    'Importing cost centre codes fails with a blank error.',
  )
  const hidden = await moderatePost(db, { actor: staff, targetType: 'question', targetId: old, action: 'hide' })
  expect(hidden.ok).toBe(true)
  const waiting = await outboxIds()
  expect(waiting.length).toBeGreaterThanOrEqual(2)

  await expect(drainSearchOutbox(db, down)).rejects.toThrow()
  await expect(drainSearchOutbox(db, down)).rejects.toThrow()
  expect(await outboxIds()).toEqual(waiting)
  expect(await found('cost centre')).toEqual([`question:${old}`])

  expect(await drainSearchOutbox(db, engine)).toMatchObject({ upserted: 1, removed: 1 })
  expect(await outboxIds()).toEqual([])
  expect(await found('cost centre')).toEqual([`question:${fresh}`])
})

test('an engine that fails halfway through a batch keeps the whole batch waiting; the next drain converges', async () => {
  const staff = await insertStaff(db)
  const old = await ask('Seat reports double count guests', 'Guests appear twice in the seat report.')
  await drainSearchOutbox(db, engine)
  const fresh = await ask('Seat reports miss deactivated guests', 'Deactivated guests vanish from the seat report.')
  await moderatePost(db, { actor: staff, targetType: 'question', targetId: old, action: 'hide' })
  const waiting = await outboxIds()

  // Accepts the upserts, then dies before the removals.
  const halfBroken: SearchEngine = {
    name: 'embedded',
    upsert: (docs) => engine.upsert(docs),
    remove: async () => {
      throw new Error('the engine went away mid-batch')
    },
    search: (query) => engine.search(query),
    reset: () => engine.reset(),
    setSynonyms: (synonyms) => engine.setSynonyms(synonyms),
    rebuild: (batches, total, onProgress) => engine.rebuild(batches, total, onProgress),
  }
  await expect(drainSearchOutbox(db, halfBroken)).rejects.toThrow('mid-batch')
  expect(await outboxIds()).toEqual(waiting)

  await drainSearchOutbox(db, engine)
  expect(await outboxIds()).toEqual([])
  // Applied twice, indexed once; the hidden question is gone.
  expect(await found('seat report guests')).toEqual([`question:${fresh}`])
})
