import { randomUUID } from 'node:crypto'
import { and, eq, like } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { insertArticle, insertUser } from '#app/server/seed/factories/index.ts'
import { activityEvents } from '#db/schema/activity.ts'
import { articles } from '#db/schema/help.ts'
import { db } from '#tests/db.ts'
import { anonymousFeedbackLimit, feedbackOf, giveFeedback, recordArticleView } from './feedback.server.ts'
import { FeedbackSchema } from './schemas.ts'

function visitor() {
  return { key: `v:${randomUUID().replaceAll('-', '')}` }
}

function readerFor(user: { id: number }) {
  return { key: `u:${user.id}` }
}

async function viewCountOf(articleId: number) {
  const [row] = await db.select({ viewCount: articles.viewCount }).from(articles).where(eq(articles.id, articleId))
  return row!.viewCount
}

async function ledgerKeys(type: string, articleId: number) {
  const rows = await db
    .select({ key: activityEvents.uniqueKey })
    .from(activityEvents)
    .where(and(eq(activityEvents.type, type), like(activityEvents.uniqueKey, `${type}:article:${articleId}:%`)))
  return rows.map((row) => row.key).sort()
}

test('a view counts once per reader per day, in the counter and in the ledger', async () => {
  const article = await insertArticle(db)
  const member = await insertUser(db)
  const args = { articleId: article.id, reader: readerFor(member), user: member }

  expect(await recordArticleView(db, { ...args, day: '2026-03-01' })).toBe(true)
  expect(await recordArticleView(db, { ...args, day: '2026-03-01' })).toBe(false)
  expect(await recordArticleView(db, { ...args, day: '2026-03-02' })).toBe(true)

  expect(await viewCountOf(article.id)).toBe(2)
  expect(await ledgerKeys('article_viewed', article.id)).toEqual([
    `article_viewed:article:${article.id}:${member.id}:2026-03-01`,
    `article_viewed:article:${article.id}:${member.id}:2026-03-02`,
  ])
})

test('a visitor and a member are different readers; only the member is in the ledger', async () => {
  const article = await insertArticle(db)
  const member = await insertUser(db)
  const guest = visitor()

  expect(await recordArticleView(db, { articleId: article.id, reader: guest, user: null })).toBe(true)
  expect(await recordArticleView(db, { articleId: article.id, reader: guest, user: null })).toBe(false)
  expect(await recordArticleView(db, { articleId: article.id, reader: readerFor(member), user: member })).toBe(true)

  expect(await viewCountOf(article.id)).toBe(2)
  expect(await ledgerKeys('article_viewed', article.id)).toHaveLength(1)
})

test('reading a draft or archived article is not counted', async () => {
  const member = await insertUser(db)
  for (const status of ['draft', 'archived'] as const) {
    const article = await insertArticle(db, { status })
    expect(await recordArticleView(db, { articleId: article.id, reader: readerFor(member), user: member })).toBe(false)
    expect(await viewCountOf(article.id)).toBe(0)
  }
  expect(await recordArticleView(db, { articleId: 999_999, reader: visitor(), user: null })).toBe(false)
})

test('feedback can be changed and counts once in the ledger', async () => {
  const article = await insertArticle(db)
  const member = await insertUser(db)
  const reader = readerFor(member)
  const give = (input: { helpful: 'yes' | 'no'; comment?: string }) =>
    giveFeedback(db, { articleId: article.id, reader, user: member, input })

  expect(await feedbackOf(db, { articleId: article.id, reader })).toBeNull()
  expect(await give({ helpful: 'no', comment: 'The screenshots are outdated.' })).toEqual({
    ok: true,
    value: { helpful: false, comment: 'The screenshots are outdated.' },
  })
  // The same answer again without a comment keeps the comment.
  expect(await give({ helpful: 'no' })).toMatchObject({
    value: { helpful: false, comment: 'The screenshots are outdated.' },
  })
  // A flipped answer drops the comment that explained the old one.
  expect(await give({ helpful: 'yes' })).toMatchObject({ value: { helpful: true, comment: null } })
  expect(await give({ helpful: 'yes', comment: 'Clear now, thanks.' })).toMatchObject({
    value: { helpful: true, comment: 'Clear now, thanks.' },
  })

  expect(await feedbackOf(db, { articleId: article.id, reader })).toEqual({
    helpful: true,
    comment: 'Clear now, thanks.',
  })
  expect(await ledgerKeys('article_feedback', article.id)).toEqual([
    `article_feedback:article:${article.id}:${member.id}`,
  ])
})

test('a visitor and a member answer separately, and a visitor leaves nothing in the ledger', async () => {
  const article = await insertArticle(db)
  const member = await insertUser(db)
  const guest = visitor()
  await giveFeedback(db, { articleId: article.id, reader: guest, user: null, input: { helpful: 'no' } })
  await giveFeedback(db, { articleId: article.id, reader: readerFor(member), user: member, input: { helpful: 'yes' } })

  expect(await feedbackOf(db, { articleId: article.id, reader: guest })).toEqual({ helpful: false, comment: null })
  expect(await feedbackOf(db, { articleId: article.id, reader: readerFor(member) })).toEqual({
    helpful: true,
    comment: null,
  })
  expect(await feedbackOf(db, { articleId: article.id, reader: visitor() })).toBeNull()
  expect(await ledgerKeys('article_feedback', article.id)).toHaveLength(1)
})

test('feedback on an article that is not published is refused', async () => {
  const member = await insertUser(db)
  const draft = await insertArticle(db, { status: 'draft' })
  const archived = await insertArticle(db, { status: 'archived' })
  for (const articleId of [draft.id, archived.id, 999_999]) {
    expect(
      await giveFeedback(db, { articleId, reader: readerFor(member), user: member, input: { helpful: 'yes' } }),
    ).toMatchObject({ ok: false, status: 404, code: 'help_insights.article_not_found' })
  }
  expect(await ledgerKeys('article_feedback', draft.id)).toEqual([])
})

test('a visitor answering over and over is slowed down', async () => {
  const article = await insertArticle(db)
  const guest = visitor()
  for (let i = 0; i < anonymousFeedbackLimit.limit; i++) {
    const outcome = await giveFeedback(db, {
      articleId: article.id,
      reader: guest,
      user: null,
      input: { helpful: i % 2 ? 'yes' : 'no' },
    })
    expect(outcome.ok).toBe(true)
  }
  expect(
    await giveFeedback(db, { articleId: article.id, reader: guest, user: null, input: { helpful: 'yes' } }),
  ).toMatchObject({ ok: false, status: 429, code: 'errors.rate_limited', params: { minutes: 60 } })
  // Another visitor is not affected.
  expect(
    await giveFeedback(db, { articleId: article.id, reader: visitor(), user: null, input: { helpful: 'yes' } }),
  ).toMatchObject({ ok: true })
})

test('the feedback form schema: an answer is required, the comment is trimmed, capped and cleaned', () => {
  expect(FeedbackSchema.safeParse({}).error?.issues[0]?.message).toBe('help_insights.validation.helpful_required')
  expect(FeedbackSchema.safeParse({ helpful: 'maybe' }).success).toBe(false)
  expect(FeedbackSchema.parse({ helpful: 'yes', comment: '  Great\u0000 guide  ' })).toEqual({
    helpful: 'yes',
    comment: 'Great guide',
  })
  expect(FeedbackSchema.safeParse({ helpful: 'no', comment: 'x'.repeat(1001) }).error?.issues[0]?.message).toBe(
    'help_insights.validation.comment_too_long',
  )
  expect(FeedbackSchema.safeParse({ helpful: 'no', comment: 'x'.repeat(1000) }).success).toBe(true)
})
