import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { expect, test } from 'vitest'
import { giveFeedback, recordArticleView } from '#app/domain/help/feedback.server.ts'
import { helpSettings, markReviewed, setReviewInterval } from '#app/domain/help/review.server.ts'
import { listAudit } from '#app/domain/identity/audit.server.ts'
import { insertArticle, insertCategory, insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { articleFeedback, articles } from '#db/schema/help.ts'
import { db } from '#tests/db.ts'
import { getHelpInsights } from './help.server.ts'

const DAY = 24 * 60 * 60 * 1000

function visitor() {
  return { key: `v:${randomUUID().replaceAll('-', '')}` }
}

/** Answers from fresh visitors: `yes` helpful and `no` not. */
async function answers(articleId: number, yes: number, no: number, comment?: string) {
  for (let i = 0; i < yes + no; i++) {
    const input = { helpful: i < yes ? ('yes' as const) : ('no' as const), comment }
    await giveFeedback(db, { articleId, reader: visitor(), user: null, input })
  }
}

async function insightsFor(ids: number[], period: { from?: string; to?: string } = {}) {
  const staff = await insertStaff(db)
  const outcome = await getHelpInsights(db, { actor: staff, ...period })
  if (!outcome.ok) throw new Error(outcome.code)
  return { ...outcome.value, articles: outcome.value.articles.filter((article) => ids.includes(article.id)) }
}

test('insights put the least helpful article first, with percentages and counts', async () => {
  const category = await insertCategory(db)
  const good = await insertArticle(db, { category, title: 'Good' })
  const poor = await insertArticle(db, { category, title: 'Poor' })
  const tiedFewerNo = await insertArticle(db, { category, title: 'Tied, fewer no' })
  const tiedMoreNo = await insertArticle(db, { category, title: 'Tied, more no' })
  const unansweredRead = await insertArticle(db, { category, title: 'Unanswered, read' })
  const unansweredUnread = await insertArticle(db, { category, title: 'Unanswered, unread' })
  const draft = await insertArticle(db, { category, status: 'draft' })
  await answers(good.id, 3, 1)
  await answers(poor.id, 1, 2)
  await answers(tiedFewerNo.id, 1, 1)
  await answers(tiedMoreNo.id, 2, 2)
  await recordArticleView(db, { articleId: unansweredRead.id, reader: visitor(), user: null })

  const { articles: rows } = await insightsFor([
    good.id,
    poor.id,
    tiedFewerNo.id,
    tiedMoreNo.id,
    unansweredRead.id,
    unansweredUnread.id,
    draft.id,
  ])
  expect(rows.map((row) => row.title)).toEqual([
    'Poor',
    'Tied, more no',
    'Tied, fewer no',
    'Good',
    'Unanswered, read',
    'Unanswered, unread',
  ])
  expect(rows[0]).toMatchObject({ helpfulYes: 1, helpfulNo: 2, helpfulPercent: 33, categorySlug: category.slug })
  expect(rows[3]).toMatchObject({ helpfulYes: 3, helpfulNo: 1, helpfulPercent: 75 })
  expect(rows[4]).toMatchObject({ helpfulYes: 0, helpfulNo: 0, helpfulPercent: null, views: 1, uniqueReaders: 1 })
})

test('unique readers count each reader once, and a period counts only its days', async () => {
  const article = await insertArticle(db, { status: 'published' })
  const member = await insertUser(db)
  const guest = visitor()
  const memberReader = { key: `u:${member.id}` }
  for (const day of ['2026-01-10', '2026-01-11', '2026-02-20']) {
    await recordArticleView(db, { articleId: article.id, reader: memberReader, user: member, day })
  }
  await recordArticleView(db, { articleId: article.id, reader: guest, user: null, day: '2026-01-11' })

  const all = await insightsFor([article.id])
  expect(all.articles[0]).toMatchObject({ viewCount: 4, views: 4, uniqueReaders: 2 })
  const january = await insightsFor([article.id], { from: '2026-01-11', to: '2026-01-31' })
  expect(january.period).toEqual({ from: '2026-01-11', to: '2026-01-31' })
  expect(january.articles[0]).toMatchObject({ viewCount: 4, views: 2, uniqueReaders: 2 })
  const february = await insightsFor([article.id], { from: '2026-02-01', to: '2026-02-28' })
  expect(february.articles[0]).toMatchObject({ views: 1, uniqueReaders: 1 })
})

test('each article shows its three newest comments, and answers outside the period are left out', async () => {
  const article = await insertArticle(db)
  for (const [i, comment] of ['first', 'second', 'third', 'fourth'].entries()) {
    await giveFeedback(db, {
      articleId: article.id,
      reader: visitor(),
      user: null,
      input: { helpful: i === 3 ? 'yes' : 'no', comment },
    })
    await db
      .update(articleFeedback)
      .set({ updatedAt: new Date(Date.UTC(2026, 0, 10 + i)) })
      .where(eq(articleFeedback.comment, comment))
  }
  await answers(article.id, 1, 0)

  const { articles: rows } = await insightsFor([article.id])
  expect(rows[0]!.latestComments.map((c) => [c.comment, c.helpful])).toEqual([
    ['fourth', true],
    ['third', false],
    ['second', false],
  ])
  expect(rows[0]!.latestComments[0]!.at).toEqual(new Date(Date.UTC(2026, 0, 13)))

  const { articles: inPeriod } = await insightsFor([article.id], { from: '2026-01-10', to: '2026-01-11' })
  expect(inPeriod[0]).toMatchObject({ helpfulYes: 0, helpfulNo: 2, helpfulPercent: 0 })
  expect(inPeriod[0]!.latestComments.map((c) => c.comment)).toEqual(['second', 'first'])
})

test('archived articles are in the insights; drafts are not', async () => {
  const archived = await insertArticle(db, { status: 'archived' })
  const draft = await insertArticle(db, { status: 'draft' })
  const { articles: rows } = await insightsFor([archived.id, draft.id])
  expect(rows.map((row) => [row.id, row.status])).toEqual([[archived.id, 'archived']])
})

test('articles not reviewed within the interval need review, oldest first, and the interval can change', async () => {
  const staff = await insertStaff(db)
  const ago = (days: number) => new Date(Date.now() - days * DAY)
  const old = await insertArticle(db, { publishedAt: ago(400), title: 'Old' })
  const older = await insertArticle(db, { publishedAt: ago(500), title: 'Older' })
  const reviewed = await insertArticle(db, { publishedAt: ago(500), reviewedAt: ago(10), title: 'Reviewed' })
  const middling = await insertArticle(db, { publishedAt: ago(100), title: 'Middling' })
  const oldDraft = await insertArticle(db, { status: 'draft', createdAt: ago(900) })
  const ids = [old.id, older.id, reviewed.id, middling.id, oldDraft.id]
  const due = async () => {
    const outcome = await getHelpInsights(db, { actor: staff })
    if (!outcome.ok) throw new Error(outcome.code)
    return outcome.value.needsReview.filter((row) => ids.includes(row.id)).map((row) => row.title)
  }

  expect(await helpSettings(db)).toEqual({ reviewAfterDays: 180 })
  expect(await due()).toEqual(['Older', 'Old'])

  expect(await setReviewInterval(db, { actor: staff, days: 90 })).toEqual({ ok: true, value: { reviewAfterDays: 90 } })
  expect(await helpSettings(db)).toEqual({ reviewAfterDays: 90 })
  expect(await due()).toEqual(['Older', 'Old', 'Middling'])
  const [entry] = await listAudit(db, { limit: 1 })
  expect(entry).toMatchObject({
    action: 'help.review_interval_changed',
    actorId: staff.id,
    details: { from: 180, to: 90 },
  })

  for (const days of [29, 731, 90.5]) {
    expect(await setReviewInterval(db, { actor: staff, days })).toMatchObject({
      ok: false,
      status: 400,
      code: 'help_insights.validation.interval_range',
      field: 'days',
    })
  }
})

test('marking an article reviewed takes it off the list and is audited', async () => {
  const staff = await insertStaff(db)
  const article = await insertArticle(db, { publishedAt: new Date(Date.now() - 365 * DAY) })
  const isDue = async () => {
    const outcome = await getHelpInsights(db, { actor: staff })
    return outcome.ok && outcome.value.needsReview.some((row) => row.id === article.id)
  }
  expect(await isDue()).toBe(true)

  const outcome = await markReviewed(db, { actor: staff, articleId: article.id })
  expect(outcome.ok).toBe(true)
  expect(await isDue()).toBe(false)
  const [row] = await db.select({ reviewedAt: articles.reviewedAt }).from(articles).where(eq(articles.id, article.id))
  expect(Date.now() - row!.reviewedAt!.getTime()).toBeLessThan(60_000)
  const [entry] = await listAudit(db, { limit: 1 })
  expect(entry).toMatchObject({ action: 'help.article_reviewed', targetType: 'article', targetId: String(article.id) })

  const draft = await insertArticle(db, { status: 'draft' })
  expect(await markReviewed(db, { actor: staff, articleId: draft.id })).toMatchObject({ ok: false, status: 404 })
})

test('members cannot see insights, mark reviews or change the interval', async () => {
  const member = await insertUser(db)
  const article = await insertArticle(db, { publishedAt: new Date(Date.now() - 365 * DAY) })
  const forbidden = { ok: false, status: 403, code: 'errors.forbidden' }
  expect(await getHelpInsights(db, { actor: member })).toMatchObject(forbidden)
  expect(await markReviewed(db, { actor: member, articleId: article.id })).toMatchObject(forbidden)
  expect(await setReviewInterval(db, { actor: member, days: 60 })).toMatchObject(forbidden)
  const [row] = await db.select({ reviewedAt: articles.reviewedAt }).from(articles).where(eq(articles.id, article.id))
  expect(row!.reviewedAt).toBeNull()
})

test('a malformed or reversed period is a 400, not an error', async () => {
  const staff = await insertStaff(db)
  for (const from of ['2026-02-30', '2026-13-01', '20260101', "2026-01-01'"]) {
    expect(await getHelpInsights(db, { actor: staff, from })).toMatchObject({
      ok: false,
      status: 400,
      code: 'help_insights.validation.date_invalid',
      field: 'from',
    })
  }
  expect(await getHelpInsights(db, { actor: staff, from: '2026-03-01', to: '2026-02-01' })).toMatchObject({
    ok: false,
    status: 400,
    field: 'to',
  })
  expect(await getHelpInsights(db, { actor: staff, to: '2026-02-01' })).toMatchObject({ ok: true })
})

test('the insights take a fixed number of queries, however many articles there are', async () => {
  const staff = await insertStaff(db)
  const count = async () => {
    let queries = 0
    const counting = new Proxy(db, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver)
        if (property === 'select' || property === 'execute') {
          return (...args: unknown[]) => {
            queries++
            return (value as (...a: unknown[]) => unknown).apply(target, args)
          }
        }
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    await getHelpInsights(counting, { actor: staff })
    return queries
  }
  const before = await count()
  for (let i = 0; i < 5; i++) await answers((await insertArticle(db)).id, 1, 1, `comment ${i}`)
  expect(await count()).toBe(before)
})
