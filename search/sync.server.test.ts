import { expect, test } from 'vitest'
import { cancelEvent } from '#app/domain/events/events.server.ts'
import { acceptAnswer, postAnswer } from '#app/domain/qa/answers.server.ts'
import { moderatePost } from '#app/domain/qa/moderation.server.ts'
import { askQuestion } from '#app/domain/qa/questions.server.ts'
import { AnswerSchema, QuestionSchema } from '#app/domain/qa/schemas.ts'
import { insertEvent } from '#app/server/seed/factories/events.ts'
import { insertArticle } from '#app/server/seed/factories/help.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/identity.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { db } from '#tests/db.ts'
import { doc } from '#tests/search/documents.ts'
import { EmbeddedSearchEngine } from './embedded.server.ts'
import type { SearchDocument, SearchEngine } from './engine.ts'
import { MeilisearchEngine } from './meilisearch.server.ts'
import { queueSearchUpdate } from './outbox.server.ts'
import { drainSearchOutbox, pendingSearchUpdates, reindexAll } from './sync.server.ts'

const engine = new EmbeddedSearchEngine(db)
const found = async (q: string) => (await engine.search({ q, locale: 'en' })).hits.map((h) => h.id)

test('asking, answering, accepting and hiding reach the index through the outbox', async () => {
  const asker = await insertUser(db)
  const answerer = await insertUser(db)
  const staff = await insertStaff(db)
  const asked = await askQuestion(db, {
    user: asker,
    input: QuestionSchema.parse({
      title: 'Quarterly invoices arrive twice',
      body: 'Every quarter the invoice email is sent twice to our finance team.',
      tags: 'billing',
    }),
  })
  if (!asked.ok) throw new Error(asked.code)
  const id = `question:${asked.value.id}`
  expect(await found('quarterly invoices')).not.toContain(id)
  expect(await pendingSearchUpdates(db)).toBeGreaterThan(0)
  expect((await drainSearchOutbox(db, engine)).upserted).toBeGreaterThan(0)
  expect(await pendingSearchUpdates(db)).toBe(0)
  expect(await found('quarterly invoices')).toContain(id)

  const answered = await postAnswer(db, {
    user: answerer,
    questionId: asked.value.id,
    input: AnswerSchema.parse({ body: 'Turn off the duplicate dispatcher under Settings → Notifications.' }),
  })
  if (!answered.ok) throw new Error(answered.code)
  expect((await acceptAnswer(db, { user: asker, answerId: answered.value.id })).ok).toBe(true)
  await drainSearchOutbox(db, engine)
  const [hit] = (await engine.search({ q: 'dispatcher', locale: 'en' })).hits
  expect(hit).toMatchObject({ id, accepted: true, answerCount: 1 })

  await moderatePost(db, { actor: staff, targetType: 'question', targetId: asked.value.id, action: 'hide' })
  await drainSearchOutbox(db, engine)
  expect(await found('quarterly invoices')).not.toContain(id)
  expect(await found('dispatcher')).not.toContain(id)
})

test('a cancelled event leaves the index; draining twice changes nothing', async () => {
  const staff = await insertStaff(db)
  const event = await insertEvent(db, { title: 'Roadmap briefing for administrators', status: 'published' })
  await queueSearchUpdate(db, 'event', event.id)
  await drainSearchOutbox(db, engine)
  expect(await found('roadmap briefing')).toEqual([`event:${event.id}`])
  expect(await drainSearchOutbox(db, engine)).toEqual({ upserted: 0, removed: 0 })
  expect((await cancelEvent(db, { actor: staff, eventId: event.id })).ok).toBe(true)
  await drainSearchOutbox(db, engine)
  expect(await found('roadmap briefing')).toEqual([])
})

test('with the engine unreachable, writes still succeed and the index catches up later', async () => {
  const asker = await insertUser(db)
  const down = new MeilisearchEngine({ host: 'http://127.0.0.1:9', indexPrefix: 'unreachable' })
  const asked = await askQuestion(db, {
    user: asker,
    input: QuestionSchema.parse({
      title: 'Webhook signatures fail after key rotation',
      body: 'After rotating the signing key every webhook is rejected.',
      tags: 'api',
    }),
  })
  expect(asked.ok).toBe(true)
  const waiting = await pendingSearchUpdates(db)
  expect(waiting).toBeGreaterThan(0)
  await expect(drainSearchOutbox(db, down)).rejects.toThrow()
  expect(await pendingSearchUpdates(db)).toBe(waiting)
  await drainSearchOutbox(db, engine)
  expect(await pendingSearchUpdates(db)).toBe(0)
  expect(await found('signatures rotation')).toHaveLength(1)
})

test('reindex builds every readable document and drops what is no longer readable', async () => {
  const visible = await insertQuestion(db, { title: 'Sandbox tenants for partner onboarding' })
  const hidden = await insertQuestion(db, { title: 'Sandbox tenants leaking data', hiddenAt: new Date() })
  const article = await insertArticle(db, { title: 'Sandbox tenants explained', status: 'published' })
  const draft = await insertArticle(db, { title: 'Sandbox tenants draft', status: 'draft' })
  await engine.upsert([doc('question', 999_999, 'Sandbox tenants stale entry', { updatedAt: new Date() })])
  const progress: number[] = []
  const indexed = await reindexAll(db, engine, (done) => progress.push(done))
  expect(indexed).toBeGreaterThanOrEqual(2)
  expect(progress.at(-1)).toBe(indexed)
  const ids = await found('sandbox tenants')
  expect(ids).toEqual(expect.arrayContaining([`question:${visible.id}`, `article:${article.id}`]))
  expect(ids).not.toContain(`question:${hidden.id}`)
  expect(ids).not.toContain(`article:${draft.id}`)
  expect(ids).not.toContain('question:999999')
})

/** An engine that, like Meilisearch, rebuilds into a new index and swaps it in at the end. `during`
 *  runs while the rebuild holds what it read and has not swapped yet. */
class SwappingEngine implements SearchEngine {
  readonly name = 'meilisearch' as const
  live = new Map<string, SearchDocument>()
  during: (() => Promise<void>) | undefined
  async upsert(docs: SearchDocument[]) {
    for (const d of docs) this.live.set(d.id, d)
  }
  async remove(ids: string[]) {
    for (const id of ids) this.live.delete(id)
  }
  async search(): Promise<never> {
    throw new Error('not used')
  }
  async reset() {
    this.live.clear()
  }
  async setSynonyms() {}
  async rebuild(batches: AsyncIterable<SearchDocument[]>) {
    const build = new Map<string, SearchDocument>()
    for await (const batch of batches) for (const d of batch) build.set(d.id, d)
    await this.during?.()
    this.live = build
    return build.size
  }
}

test('a question hidden during a rebuild stays hidden: the sync waits, and the rebuild applies it after its swap', async () => {
  const staff = await insertStaff(db)
  const question = await insertQuestion(db, { title: 'Rebuild race fixture' })
  const id = `question:${question.id}`
  const swapping = new SwappingEngine()
  swapping.during = async () => {
    await moderatePost(db, { actor: staff, targetType: 'question', targetId: question.id, action: 'hide' })
    const waiting = await pendingSearchUpdates(db)
    expect(waiting).toBeGreaterThan(0)
    // The sync job runs meanwhile: it leaves the change for the rebuild.
    expect(await drainSearchOutbox(db, swapping)).toEqual({ upserted: 0, removed: 0 })
    expect(await pendingSearchUpdates(db)).toBe(waiting)
  }
  await reindexAll(db, swapping)
  expect(swapping.live.has(id)).toBe(false)
  expect(await pendingSearchUpdates(db)).toBe(0)
  // The hold is gone: the sync applies changes again.
  await queueSearchUpdate(db, 'question', question.id)
  await drainSearchOutbox(db, swapping)
  expect(await pendingSearchUpdates(db)).toBe(0)
})

test('a sync that was applying changes when a rebuild began keeps them for the rebuild to apply', async () => {
  const question = await insertQuestion(db, { title: 'Second rebuild race fixture' })
  await drainSearchOutbox(db, engine)
  const swapping = new SwappingEngine()
  let rebuilding: Promise<number> | undefined
  let started!: () => void
  const rebuildStarted = new Promise<void>((resolve) => {
    started = resolve
  })
  let finish!: () => void
  const finishing = new Promise<void>((resolve) => {
    finish = resolve
  })
  const building = new SwappingEngine()
  building.during = async () => {
    started()
    await finishing
  }
  const upsert = swapping.upsert.bind(swapping)
  swapping.upsert = async (docs) => {
    await upsert(docs)
    // A rebuild starts while this sync is between applying its batch and clearing it.
    rebuilding ??= reindexAll(db, building)
    await rebuildStarted
  }
  await queueSearchUpdate(db, 'question', question.id)
  const waiting = await pendingSearchUpdates(db)
  await drainSearchOutbox(db, swapping)
  expect(await pendingSearchUpdates(db)).toBe(waiting)
  finish()
  await rebuilding
  expect(await pendingSearchUpdates(db)).toBe(0)
  expect(building.live.has(`question:${question.id}`)).toBe(true)
})
