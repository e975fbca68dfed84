import { and, eq, sql } from 'drizzle-orm'
import type { Locale } from '#app/lib/i18n.ts'
import type { Db } from '#db/client.server.ts'
import { answers, questions, revisions, tags } from '#db/schema/qa.ts'
import { hasCjk } from '#search/text.ts'

/** Helpers shared by the question, answer and moderation modules of this context. */

/** Japanese if the text has kana or kanji, otherwise English: the language search and readers see. */
export function detectLocale(text: string): Locale {
  return hasCjk(text) ? 'ja' : 'en'
}

/** Creates the tags that do not exist yet (tags are created on first use). */
export async function ensureTags(tx: Db, names: string[]): Promise<void> {
  if (!names.length) return
  await tx
    .insert(tags)
    .values(names.map((name) => ({ name })))
    .onConflictDoNothing()
}

/** Appends the next revision of a post. Callers hold the post's row lock, and the unique
 *  (post, number) index refuses a second writer regardless. */
export async function addRevision(
  tx: Db,
  revision: {
    postType: 'question' | 'answer'
    postId: number
    authorId: number
    bodyMd: string
    title?: string
    tags?: string[]
  },
): Promise<number> {
  const [row] = await tx
    .insert(revisions)
    .values({
      ...revision,
      number: sql`(select coalesce(max(${revisions.number}), 0) + 1 from ${revisions} where ${revisions.postType} = ${revision.postType} and ${revisions.postId} = ${revision.postId})`,
    })
    .returning({ number: revisions.number })
  return row!.number
}

export async function lockQuestion(tx: Db, questionId: number) {
  const [question] = await tx.select().from(questions).where(eq(questions.id, questionId)).for('update')
  return question ?? null
}

export async function lockAnswer(tx: Db, answerId: number) {
  const [answer] = await tx.select().from(answers).where(eq(answers.id, answerId)).for('update')
  return answer ?? null
}

export async function loadQuestion(db: Db, questionId: number) {
  const [question] = await db.select().from(questions).where(eq(questions.id, questionId))
  return question ?? null
}

export async function loadAnswer(db: Db, answerId: number) {
  const [answer] = await db.select().from(answers).where(eq(answers.id, answerId))
  return answer ?? null
}

/** The answer and its question, or null when either is missing. */
export async function loadAnswerWithQuestion(db: Db, answerId: number) {
  const [row] = await db
    .select({ answer: answers, question: questions })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.id, answerId))
  return row ?? null
}

/** Counts answers that readers see (neither hidden nor deleted), after a change to one of them. */
export async function refreshAnswerCount(tx: Db, questionId: number): Promise<void> {
  await tx
    .update(questions)
    .set({
      answerCount: sql`(select count(*)::int from ${answers} where ${and(
        eq(answers.questionId, questionId),
        sql`${answers.hiddenAt} is null`,
        sql`${answers.deletedAt} is null`,
      )})`,
    })
    .where(eq(questions.id, questionId))
}
