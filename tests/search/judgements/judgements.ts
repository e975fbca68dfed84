// The relevance set over the demo corpus (demo.json, explained in README.md): loading it, finding the
// judged documents' ids in a seeded database, and the two measures bench:relevance prints.
import { readFileSync } from 'node:fs'
import { and, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { events } from '#db/schema/events.ts'
import { articles } from '#db/schema/help.ts'
import { questions } from '#db/schema/qa.ts'
import { type SearchDocType, type SearchLocale, searchDocId, searchDocTypes } from '#search/engine.ts'

export type Grade = 1 | 2 | 3

/** A seeded document, named by what the demo seed gives it: its type and exact title. Database ids
 *  are assigned at seed time, so they cannot be written down. */
export type JudgedDocument = { type: SearchDocType; title: string }

export type JudgedQuery = {
  q: string
  /** The reader's language: the query is run with this locale. */
  locale: SearchLocale
  /** What the query stands for (keywords, question, typo, prefix, error, mixed); for reading results. */
  kind: string
  /** Document key → grade. Documents not listed are graded 0. */
  grades: Record<string, Grade>
}

export type JudgementSet = {
  documents: Record<string, JudgedDocument>
  queries: JudgedQuery[]
}

const demoPath = new URL('./demo.json', import.meta.url)

/** Reads demo.json and checks its shape, so a typo in a hand-edited file fails loudly. */
export function loadDemoJudgements(): JudgementSet {
  const set = JSON.parse(readFileSync(demoPath, 'utf8')) as JudgementSet
  for (const [key, doc] of Object.entries(set.documents)) {
    if (!searchDocTypes.includes(doc.type) || !doc.title) throw new Error(`judged document ${key}: bad type or title`)
  }
  for (const query of set.queries) {
    if (!query.q.trim() || (query.locale !== 'en' && query.locale !== 'ja')) {
      throw new Error(`judged query ${JSON.stringify(query.q)}: empty or bad locale`)
    }
    const grades = Object.entries(query.grades)
    if (!grades.some(([, grade]) => grade >= 2)) throw new Error(`judged query ${query.q}: nothing graded 2 or 3`)
    for (const [key, grade] of grades) {
      if (!set.documents[key]) throw new Error(`judged query ${query.q}: unknown document ${key}`)
      if (![1, 2, 3].includes(grade)) throw new Error(`judged query ${query.q}: grade ${grade} for ${key}`)
    }
  }
  return set
}

/** Finds every judged document in a database holding the demo seed: key → search id (`article:4`).
 *  Each must be exactly one row that everyone may read (published, not hidden or deleted, not
 *  restricted), since the relevance set searches as a member. Throws, listing every key that failed. */
export async function resolveJudgedDocuments(db: Db, set: JudgementSet): Promise<Map<string, string>> {
  const titles = (type: SearchDocType) =>
    Object.values(set.documents)
      .filter((doc) => doc.type === type)
      .map((doc) => doc.title)
  const rows: { type: SearchDocType; id: number; title: string }[] = []
  for (const row of await db
    .select({ id: questions.id, title: questions.title })
    .from(questions)
    .where(and(inArray(questions.title, titles('question')), isNull(questions.hiddenAt), isNull(questions.deletedAt))))
    rows.push({ type: 'question', ...row })
  for (const row of await db
    .select({ id: articles.id, title: articles.title })
    .from(articles)
    .where(and(inArray(articles.title, titles('article')), eq(articles.status, 'published'))))
    rows.push({ type: 'article', ...row })
  for (const row of await db
    .select({ id: events.id, title: events.title })
    .from(events)
    .where(
      and(inArray(events.title, titles('event')), eq(events.status, 'published'), eq(events.audience, 'everyone')),
    ))
    rows.push({ type: 'event', ...row })

  const ids = new Map<string, string>()
  const problems: string[] = []
  for (const [key, doc] of Object.entries(set.documents)) {
    const found = rows.filter((row) => row.type === doc.type && row.title === doc.title)
    if (found.length !== 1) problems.push(`${key} (${found.length} readable ${doc.type}s titled "${doc.title}")`)
    else ids.set(key, searchDocId(doc.type, found[0]!.id))
  }
  if (problems.length) throw new Error(`judged documents not in the demo seed: ${problems.join('; ')}`)
  return ids
}

/** Graded nDCG at k with the standard log2 discount; the ideal ranking is the judged grades, best
 *  first. `gains` are the grades of the returned documents in order (0 for unjudged). */
export function ndcgAt(k: number, gains: number[], judged: number[]): number {
  const dcg = (grades: number[]) =>
    grades.slice(0, k).reduce((sum, grade, i) => sum + (2 ** grade - 1) / Math.log2(i + 2), 0)
  const ideal = dcg([...judged].sort((a, b) => b - a))
  return ideal === 0 ? 0 : dcg(gains) / ideal
}

/** 1 / the rank of the first result graded at least `minGrade`; 0 when none is returned. */
export function reciprocalRank(gains: number[], minGrade = 2): number {
  const index = gains.findIndex((grade) => grade >= minGrade)
  return index === -1 ? 0 : 1 / (index + 1)
}
