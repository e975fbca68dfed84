import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm'
import { plainText } from '#app/lib/markdown.server.ts'
import { articlePath, questionPath } from '#app/lib/paths.ts'
import type { Db } from '#db/client.server.ts'
import { events } from '#db/schema/events.ts'
import { articleFeedback, articles, helpCategories } from '#db/schema/help.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { type SearchDocType, type SearchDocument, type SearchLocale, searchDocId } from './engine.ts'

/** Indexed text per document is capped: the start of a long article says what it is about, and
 *  the cap keeps index rows and snippet work small. */
const MAX_TEXT = 20_000

function capped(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text
}

/** An article's translation group; articles written before groups were set have none and are their own. */
const articleGroup = sql<number>`coalesce(${articles.translationGroup}, ${articles.id})`.mapWith(Number)

export type DocumentRef = { type: SearchDocType; id: number }

/** The current search documents of some content, read from the database. Content that no longer
 *  exists or is not published (hidden, deleted, draft, archived, cancelled) comes back in `gone`, to be
 *  removed from the index. */
export async function loadSearchDocuments(
  db: Db,
  refs: DocumentRef[],
): Promise<{ docs: SearchDocument[]; gone: string[] }> {
  const byType = (type: SearchDocType) => [...new Set(refs.filter((r) => r.type === type).map((r) => r.id))]
  const docs = [
    ...(await loadQuestions(db, byType('question'))),
    ...(await loadArticles(db, byType('article'))),
    ...(await loadEvents(db, byType('event'))),
  ]
  const found = new Set(docs.map((d) => d.id))
  const gone = [...new Set(refs.map((r) => searchDocId(r.type, r.id)))].filter((id) => !found.has(id))
  return { docs, gone }
}

async function loadQuestions(db: Db, ids: number[]): Promise<SearchDocument[]> {
  if (!ids.length) return []
  const rows = await db
    .select({
      id: questions.id,
      title: questions.title,
      bodyHtml: questions.bodyHtml,
      locale: questions.locale,
      tags: questions.tags,
      score: questions.score,
      acceptedAnswerId: questions.acceptedAnswerId,
      updatedAt: questions.updatedAt,
    })
    .from(questions)
    .where(and(inArray(questions.id, ids), isNull(questions.hiddenAt), isNull(questions.deletedAt)))
  if (!rows.length) return []
  const answerRows = await db
    .select({ questionId: answers.questionId, id: answers.id, bodyHtml: answers.bodyHtml })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(
      and(
        inArray(
          answers.questionId,
          rows.map((r) => r.id),
        ),
        isNull(answers.hiddenAt),
        isNull(answers.deletedAt),
      ),
    )
    .orderBy(
      answers.questionId,
      desc(sql`${answers.id} = ${questions.acceptedAnswerId}`),
      desc(answers.score),
      asc(answers.id),
    )
  const answersOf = new Map<number, { id: number; text: string }[]>()
  for (const a of answerRows) {
    const list = answersOf.get(a.questionId) ?? []
    list.push({ id: a.id, text: plainText(a.bodyHtml) })
    answersOf.set(a.questionId, list)
  }
  return rows.map((q) => {
    const visible = answersOf.get(q.id) ?? []
    return {
      id: searchDocId('question', q.id),
      type: 'question',
      docId: q.id,
      locale: q.locale,
      title: q.title,
      body: capped(plainText(q.bodyHtml)),
      answers: capped(visible.map((a) => a.text).join('\n\n')),
      tags: q.tags,
      category: null,
      url: questionPath(q),
      answerCount: visible.length,
      accepted: visible.some((a) => a.id === q.acceptedAnswerId),
      score: q.score,
      startsAt: null,
      restricted: false,
      audienceAccountIds: [],
      audienceTiers: [],
      ...ungrouped(searchDocId('question', q.id)),
      updatedAt: q.updatedAt,
    }
  })
}

async function loadArticles(db: Db, ids: number[]): Promise<SearchDocument[]> {
  if (!ids.length) return []
  const helpfulness = db
    .select({
      articleId: articleFeedback.articleId,
      net: sql<number>`sum(case when ${articleFeedback.helpful} then 1 else -1 end)::int`.as('net'),
    })
    .from(articleFeedback)
    .where(inArray(articleFeedback.articleId, ids))
    .groupBy(articleFeedback.articleId)
    .as('helpfulness')
  const rows = await db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      bodyHtml: articles.bodyHtml,
      locale: articles.locale,
      group: articleGroup,
      tags: articles.tags,
      categorySlug: helpCategories.slug,
      net: sql<number>`coalesce(${helpfulness.net}, 0)`,
      updatedAt: articles.updatedAt,
    })
    .from(articles)
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .leftJoin(helpfulness, eq(helpfulness.articleId, articles.id))
    .where(and(inArray(articles.id, ids), eq(articles.status, 'published')))
  const versions = await publishedVersions(db, rows)
  return rows.map((a) => {
    const body = capped(plainText(a.bodyHtml))
    const others = (versions.get(a.group) ?? []).filter((v) => v.id !== a.id)
    return {
      id: searchDocId('article', a.id),
      type: 'article',
      docId: a.id,
      locale: a.locale,
      title: a.title,
      body,
      answers: '',
      tags: a.tags,
      category: a.categorySlug,
      url: articlePath(a),
      answerCount: 0,
      accepted: false,
      score: Number(a.net),
      startsAt: null,
      restricted: false,
      audienceAccountIds: [],
      audienceTiers: [],
      ...(others.length
        ? {
            group: `article-group:${a.group}`,
            otherLocales: [...new Set(others.map((v) => v.locale))].sort(),
            translations: capped(others.map((v) => `${v.title}\n\n${v.text()}`).join('\n\n')),
          }
        : ungrouped(searchDocId('article', a.id))),
      updatedAt: a.updatedAt,
    }
  })
}

type Version = { id: number; locale: SearchLocale; title: string; text: () => string }

/** The published versions of the given articles' translation groups, by group. Only published ones: a
 *  draft translation neither names its language on the hit nor lends its words. Each body is turned into
 *  plain text once, when a document asks for it (a batch of a reindex usually holds both versions). */
async function publishedVersions(db: Db, rows: { group: number }[]): Promise<Map<number, Version[]>> {
  const groups = [...new Set(rows.map((row) => row.group))]
  const byGroup = new Map<number, Version[]>()
  if (!groups.length) return byGroup
  const members = await db
    .select({
      id: articles.id,
      group: articleGroup,
      locale: articles.locale,
      title: articles.title,
      bodyHtml: articles.bodyHtml,
    })
    .from(articles)
    // The group column is indexed (one version per language); an article with none is its own group.
    .where(
      and(
        or(inArray(articles.translationGroup, groups), inArray(articles.id, groups)),
        eq(articles.status, 'published'),
      ),
    )
    .orderBy(asc(articles.locale), asc(articles.id))
  for (const member of members) {
    let text: string | undefined
    const list = byGroup.get(member.group) ?? []
    list.push({
      id: member.id,
      locale: member.locale,
      title: member.title,
      text: () => {
        text ??= capped(plainText(member.bodyHtml))
        return text
      },
    })
    byGroup.set(member.group, list)
  }
  return byGroup
}

/** The group fields of a document that has no other versions: its own group of one. */
function ungrouped(id: string): Pick<SearchDocument, 'group' | 'otherLocales' | 'translations'> {
  return { group: id, otherLocales: [], translations: '' }
}

async function loadEvents(db: Db, ids: number[]): Promise<SearchDocument[]> {
  if (!ids.length) return []
  const rows = await db
    .select({
      id: events.id,
      kind: events.kind,
      title: events.title,
      bodyHtml: events.bodyHtml,
      locale: events.locale,
      startsAt: events.startsAt,
      audience: events.audience,
      audienceAccountIds: events.audienceAccountIds,
      audienceTiers: events.audienceTiers,
      updatedAt: events.updatedAt,
    })
    .from(events)
    .where(and(inArray(events.id, ids), eq(events.status, 'published')))
  return rows.map((e) => {
    const restricted = e.audience === 'restricted'
    return {
      id: searchDocId('event', e.id),
      type: 'event',
      docId: e.id,
      locale: e.locale,
      title: e.title,
      body: capped(plainText(e.bodyHtml)),
      answers: '',
      tags: [],
      category: e.kind,
      url: `/events/${e.id}`,
      answerCount: 0,
      accepted: false,
      score: 0,
      startsAt: e.startsAt,
      restricted,
      audienceAccountIds: restricted ? e.audienceAccountIds : [],
      audienceTiers: restricted ? e.audienceTiers : [],
      ...ungrouped(searchDocId('event', e.id)),
      updatedAt: e.updatedAt,
    }
  })
}

const sources = [
  { type: 'question', table: questions, id: questions.id },
  { type: 'article', table: articles, id: articles.id },
  { type: 'event', table: events, id: events.id },
] as const

/** How many rows the reindex will read (an upper bound on the documents it makes). */
export async function countSearchSources(db: Db): Promise<number> {
  let total = 0
  for (const source of sources) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(source.table)
    total += Number(row?.n ?? 0)
  }
  return total
}

/** Every document of the database, in batches, for a full reindex: keyset pages by id per kind. */
export async function* allSearchDocuments(db: Db, batchSize = 500): AsyncGenerator<SearchDocument[]> {
  for (const source of sources) {
    let after = 0
    for (;;) {
      const page = await db
        .select({ id: source.id })
        .from(source.table)
        .where(gt(source.id, after))
        .orderBy(asc(source.id))
        .limit(batchSize)
      const last = page.at(-1)
      if (!last) break
      after = last.id
      const { docs } = await loadSearchDocuments(
        db,
        page.map((row) => ({ type: source.type, id: row.id })),
      )
      if (docs.length) yield docs
    }
  }
}
