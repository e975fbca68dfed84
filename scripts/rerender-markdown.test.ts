import { eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import {
  FALLBACK_RENDER_VERSION,
  GAVE_UP_RENDER_VERSION,
  RENDER_VERSION,
  REPAIR_DEADLINE_MS,
  renderMarkdown,
} from '#app/lib/markdown.server.ts'
import { insertEvent } from '#app/server/seed/factories/events.ts'
import { insertArticle } from '#app/server/seed/factories/help.ts'
import { insertUser } from '#app/server/seed/factories/index.ts'
import { insertAnswer, insertQuestion } from '#app/server/seed/factories/qa.ts'
import { events } from '#db/schema/events.ts'
import { articles } from '#db/schema/help.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { type RerenderProgress, rerenderMarkdown } from './rerender-markdown.ts'

const STALE = '<p>rendered by an old version</p>'
const FALLBACK = '<p>shown as plain text</p>'

test('only rows from an older renderer are re-rendered, and a second run finds nothing', async () => {
  const author = await insertUser(db)
  const fresh = await insertQuestion(db, { author, bodyMd: 'Up to **date**' })
  const staleQuestions = [
    await insertQuestion(db, { author, bodyMd: 'Old **bold** text' }),
    await insertQuestion(db, { author, bodyMd: '設定画面で`通知`をオンにします' }),
  ]
  const freshAnswer = await insertAnswer(db, fresh, { author, bodyMd: 'A current answer' })
  const staleAnswer = await insertAnswer(db, fresh, { author, bodyMd: 'Try <script>alert(1)</script> *this*' })
  await db
    .update(questions)
    .set({ bodyHtml: STALE, renderVersion: 0 })
    .where(
      inArray(
        questions.id,
        staleQuestions.map((question) => question.id),
      ),
    )
  await db.update(answers).set({ bodyHtml: STALE, renderVersion: 0 }).where(eq(answers.id, staleAnswer.id))
  await db.update(answers).set({ bodyHtml: '<p>kept as is</p>' }).where(eq(answers.id, freshAnswer.id))

  const progress: RerenderProgress[] = []
  expect(await rerenderMarkdown(db, { onProgress: (step) => progress.push(step) })).toEqual({
    questions: 2,
    answers: 1,
    articles: 0,
    events: 0,
  })
  expect(progress).toEqual([
    { name: 'questions', done: 2, total: 2 },
    { name: 'answers', done: 1, total: 1 },
  ])

  const questionRows = await db.select().from(questions)
  for (const question of staleQuestions) {
    expect(questionRows.find((row) => row.id === question.id)).toMatchObject({
      bodyHtml: await renderMarkdown(question.bodyMd),
      renderVersion: RENDER_VERSION,
    })
  }
  expect(questionRows.find((row) => row.id === fresh.id)).toMatchObject({
    bodyHtml: fresh.bodyHtml,
    updatedAt: fresh.updatedAt,
  })
  const answerRows = await db.select().from(answers)
  expect(answerRows.find((row) => row.id === staleAnswer.id)).toMatchObject({
    bodyHtml: '<p>Try  <em>this</em></p>\n',
    renderVersion: RENDER_VERSION,
  })
  expect(answerRows.find((row) => row.id === freshAnswer.id)).toMatchObject({ bodyHtml: '<p>kept as is</p>' })

  expect(await rerenderMarkdown(db)).toEqual({ questions: 0, answers: 0, articles: 0, events: 0 })
})

test('hundreds of stale rows are re-rendered in batches of 200, with progress after each batch', async () => {
  const author = await insertUser(db)
  const question = await insertQuestion(db, { author })
  const inserted = await db
    .insert(answers)
    .values(
      Array.from({ length: 450 }, (_, index) => ({
        questionId: question.id,
        authorId: author.id,
        bodyMd: `Answer number **${index}**`,
        bodyHtml: STALE,
        renderVersion: RENDER_VERSION - 1,
      })),
    )
    .returning({ id: answers.id })

  const progress: RerenderProgress[] = []
  const counts = await rerenderMarkdown(db, { onProgress: (step) => progress.push(step) })

  expect(counts.answers).toBe(450)
  expect(progress.filter((step) => step.name === 'answers')).toEqual([
    { name: 'answers', done: 200, total: 450 },
    { name: 'answers', done: 400, total: 450 },
    { name: 'answers', done: 450, total: 450 },
  ])
  const rows = await db
    .select({ bodyHtml: answers.bodyHtml, renderVersion: answers.renderVersion })
    .from(answers)
    .where(
      inArray(
        answers.id,
        inserted.map((row) => row.id),
      ),
    )
  expect(rows.every((row) => row.renderVersion === RENDER_VERSION && row.bodyHtml.startsWith('<p>Answer number'))).toBe(
    true,
  )
})

test('a row whose render runs out of time again keeps its HTML and is given up on by the job, not by the command; articles and events are re-rendered too', async () => {
  const author = await insertUser(db)
  const question = await insertQuestion(db, { author })
  const slow = await insertAnswer(db, question, { author, bodyMd: 'short' })
  // Quadratic for marked: far past the render deadline.
  const hostile = '_a'.repeat(50_000)
  await db
    .update(answers)
    .set({ bodyMd: hostile, bodyHtml: FALLBACK, renderVersion: FALLBACK_RENDER_VERSION })
    .where(eq(answers.id, slow.id))
  const article = await insertArticle(db, { bodyMd: 'An **article**' })
  await db.update(articles).set({ bodyHtml: STALE, renderVersion: 0 }).where(eq(articles.id, article.id))
  const event = await insertEvent(db, { bodyMd: 'An *event*' })
  await db.update(events).set({ bodyHtml: STALE, renderVersion: 0 }).where(eq(events.id, event.id))

  const counts = await rerenderMarkdown(db, { retryGaveUp: false })

  expect(counts).toMatchObject({ answers: 0, articles: 1, events: 1 })
  const [answer] = await db.select().from(answers).where(eq(answers.id, slow.id))
  expect(answer).toMatchObject({ bodyHtml: FALLBACK, renderVersion: GAVE_UP_RENDER_VERSION })
  // The job leaves it alone from now on; the command tries it again.
  const started = performance.now()
  expect(await rerenderMarkdown(db, { retryGaveUp: false })).toMatchObject({ answers: 0 })
  expect(performance.now() - started).toBeLessThan(REPAIR_DEADLINE_MS)
  const [articleRow] = await db.select().from(articles).where(eq(articles.id, article.id))
  expect(articleRow).toMatchObject({ bodyHtml: '<p>An <strong>article</strong></p>\n', renderVersion: RENDER_VERSION })
  const [eventRow] = await db.select().from(events).where(eq(events.id, event.id))
  expect(eventRow).toMatchObject({ bodyHtml: '<p>An <em>event</em></p>\n', renderVersion: RENDER_VERSION })
})
