import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { RENDER_VERSION, renderMarkdown } from '#app/lib/markdown.server.ts'
import type { Db } from '#db/client.server.ts'
import { answers, comments, questions, revisions, tags } from '#db/schema/qa.ts'
import { insertUser } from './identity.ts'

type Author = { id: number }

export type QuestionOverrides = Partial<
  Omit<typeof questions.$inferInsert, 'authorId' | 'bodyHtml' | 'renderVersion'>
> & {
  author?: Author
}

/** A question with its first revision and its tags, written directly (no rate limits, no ledger). */
export async function insertQuestion(db: Db, overrides: QuestionOverrides = {}) {
  const { author: given, ...values } = overrides
  const author = given ?? (await insertUser(db))
  const bodyMd = values.bodyMd ?? `How do I configure the thing? ${randomUUID().slice(0, 8)}`
  const questionTags = values.tags ?? []
  if (questionTags.length) {
    await db
      .insert(tags)
      .values(questionTags.map((name) => ({ name })))
      .onConflictDoNothing()
  }
  const [question] = await db
    .insert(questions)
    .values({
      title: `A question about setup ${randomUUID().slice(0, 8)}`,
      ...values,
      tags: questionTags,
      authorId: author.id,
      bodyMd,
      bodyHtml: await renderMarkdown(bodyMd),
      renderVersion: RENDER_VERSION,
    })
    .returning()
  await db.insert(revisions).values({
    postType: 'question',
    postId: question!.id,
    number: 1,
    authorId: author.id,
    title: question!.title,
    tags: question!.tags,
    bodyMd,
    createdAt: question!.createdAt,
  })
  return question!
}

export type AnswerOverrides = Partial<Omit<typeof answers.$inferInsert, 'authorId' | 'questionId' | 'bodyHtml'>> & {
  author?: Author
}

/** An answer with its first revision; keeps the question's answer count and activity time right. */
export async function insertAnswer(db: Db, question: { id: number }, overrides: AnswerOverrides = {}) {
  const { author: given, ...values } = overrides
  const author = given ?? (await insertUser(db))
  const bodyMd = values.bodyMd ?? `Open the settings page and turn it on. ${randomUUID().slice(0, 8)}`
  const [answer] = await db
    .insert(answers)
    .values({
      ...values,
      questionId: question.id,
      authorId: author.id,
      bodyMd,
      bodyHtml: await renderMarkdown(bodyMd),
      renderVersion: RENDER_VERSION,
    })
    .returning()
  await db.insert(revisions).values({
    postType: 'answer',
    postId: answer!.id,
    number: 1,
    authorId: author.id,
    bodyMd,
    createdAt: answer!.createdAt,
  })
  await db
    .update(questions)
    .set({
      answerCount: sql`${questions.answerCount} + 1`,
      lastActivityAt: sql`greatest(${questions.lastActivityAt}, ${answer!.createdAt.toISOString()}::timestamptz)`,
    })
    .where(eq(questions.id, question.id))
  return answer!
}

export async function insertComment(
  db: Db,
  post: { questionId: number; postType: 'question' | 'answer'; postId: number },
  overrides: { author?: Author; body?: string; createdAt?: Date } = {},
) {
  const author = overrides.author ?? (await insertUser(db))
  const [comment] = await db
    .insert(comments)
    .values({
      ...post,
      authorId: author.id,
      body: overrides.body ?? `Thanks, that helped. ${randomUUID().slice(0, 8)}`,
      ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
    })
    .returning()
  return comment!
}
