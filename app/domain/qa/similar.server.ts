import { and, desc, isNull, type SQL, sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { questions } from '#db/schema/qa.ts'

const stopWords = new Set(
  'a an and are as at be but by can do does for from how i if in into is it its my not of on or our so that the their then there these this to was what when where which who why will with you your'.split(
    ' ',
  ),
)
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' })

/** The words worth matching in a title: word-like segments (Japanese is segmented too), without stop
 *  words and one-letter Latin words, longest first, at most eight. */
export function significantWords(text: string): string[] {
  const words = new Set<string>()
  for (const { segment, isWordLike } of segmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (!isWordLike) continue
    const latin = /^[\p{Script=Latin}\p{N}]+$/u.test(segment)
    if (latin ? segment.length < 3 || stopWords.has(segment) : segment.length < 2) continue
    words.add(segment)
  }
  return [...words].sort((a, b) => b.length - a.length).slice(0, 8)
}

function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Questions whose titles share the most words with `text`, for "similar questions" while asking.
 *  A plain database match; the search engine replaces it when it lands. */
export async function similarQuestions(
  db: Db,
  { text, excludeId, limit = 5 }: { text: string; excludeId?: number; limit?: number },
) {
  const words = significantWords(text)
  if (!words.length) return []
  const matches: SQL[] = words.map((word) => sql`(${questions.title} ilike ${likePattern(word)})::int`)
  const hits = sql<number>`(${sql.join(matches, sql` + `)})`
  return db
    .select({
      id: questions.id,
      title: questions.title,
      answerCount: questions.answerCount,
      accepted: sql<boolean>`${questions.acceptedAnswerId} is not null`,
      score: questions.score,
    })
    .from(questions)
    .where(
      and(
        isNull(questions.hiddenAt),
        isNull(questions.deletedAt),
        excludeId ? sql`${questions.id} <> ${excludeId}` : undefined,
        sql`${hits} > 0`,
      ),
    )
    .orderBy(desc(hits), desc(questions.score), desc(questions.id))
    .limit(limit)
}
