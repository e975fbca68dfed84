import { eq, inArray } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { RENDER_VERSION, renderMarkdown } from '#app/lib/markdown.server.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { db } from '#tests/db.ts'
import { insertUser } from '#tests/factories/index.ts'
import { insertAnswer, insertQuestion } from '#tests/factories/qa.ts'
import { type RerenderProgress, rerenderMarkdown } from './rerender-markdown.ts'

const STALE = '<p>rendered by an old version</p>'

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
  })
  expect(progress).toEqual([
    { name: 'questions', done: 2, total: 2 },
    { name: 'answers', done: 1, total: 1 },
  ])

  const questionRows = await db.select().from(questions)
  for (const question of staleQuestions) {
    expect(questionRows.find((row) => row.id === question.id)).toMatchObject({
      bodyHtml: renderMarkdown(question.bodyMd),
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

  expect(await rerenderMarkdown(db)).toEqual({ questions: 0, answers: 0 })
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
