import { and, asc, eq, ne, or, sql } from 'drizzle-orm'
import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { recordUploadRefs } from '#app/domain/uploads/refs.server.ts'
import { type Locale, translator } from '#app/lib/i18n.ts'
import { markdownColumns } from '#app/lib/markdown.server.ts'
import { claimOneTimeKey, type OneTimeKey, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { articleEditPath, articlePath, slugify } from '#app/lib/paths.ts'
import type { Db } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { articleRevisions, articleSlugs, articles, helpCategories, helpSections } from '#db/schema/help.ts'
import { users } from '#db/schema/identity.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { queueSearchUpdate } from '#search/outbox.server.ts'
import type { ArticleInput } from './schemas.ts'

export type ArticleStatus = 'draft' | 'published' | 'archived'
type SaveOptions = { publish?: boolean }

function canWrite(actor: SessionUser | null): actor is SessionUser {
  return can(actor, 'help.write')
}

/** Checks the category, the section (which must belong to it) and the translation target. */
async function checkPlacement(db: Db, input: ArticleInput, articleId?: number) {
  const [category] = await db
    .select({ id: helpCategories.id })
    .from(helpCategories)
    .where(eq(helpCategories.id, input.categoryId))
  if (!category) return { failure: fail(400, 'help.validation.category_required', { field: 'categoryId' }) }
  if (input.sectionId) {
    const [section] = await db
      .select({ id: helpSections.id })
      .from(helpSections)
      .where(and(eq(helpSections.id, input.sectionId), eq(helpSections.categoryId, input.categoryId)))
    if (!section) return { failure: fail(400, 'help.validation.section_mismatch', { field: 'sectionId' }) }
  }
  let translationGroup: number | null = null
  if (input.translationOf) {
    const [original] = await db
      .select({ group: articles.translationGroup })
      .from(articles)
      .where(eq(articles.id, input.translationOf))
    if (!original) return { failure: fail(400, 'help.validation.translation_missing', { field: 'translationOf' }) }
    translationGroup = original.group
    const [taken] = await db
      .select({ id: articles.id })
      .from(articles)
      .where(
        and(
          eq(articles.translationGroup, translationGroup ?? -1),
          eq(articles.locale, input.locale),
          articleId ? ne(articles.id, articleId) : undefined,
        ),
      )
    if (taken) return { failure: fail(409, 'help.translation_exists', { field: 'locale' }) }
  }
  return { failure: null, translationGroup }
}

function slugFor(input: ArticleInput): string {
  return slugify(input.slug ?? input.title, 80)
}

function publishFailure(input: { body: string }) {
  return input.body.trim() ? null : fail(400, 'help.body_required_to_publish', { field: 'body' })
}

/** Writes an article as a draft (or publishes it at once), with its slug and first revision. Slugs are
 *  unique across every slug any article has had, so old links never change meaning. */
export async function createArticle(
  db: Db,
  { actor, input, publish = false, once }: { actor: SessionUser; input: ArticleInput; once?: OneTimeKey } & SaveOptions,
): Promise<Outcome<{ id: number; path: string | null }>> {
  if (!canWrite(actor)) return fail(403, 'errors.forbidden')
  const slug = slugFor(input)
  if (!slug) return fail(400, 'help.validation.slug_invalid', { field: 'slug' })
  if (publish) {
    const refusal = publishFailure(input)
    if (refusal) return refusal
  }
  const placement = await checkPlacement(db, input)
  if (placement.failure) return placement.failure
  // Rendered before the transaction, which would otherwise stay open while a worker renders.
  const columns = await markdownColumns(input.body)
  try {
    return await db.transaction(async (tx) => {
      // A form sent twice (same one-time key, docs/decisions/027) creates once; the copy goes where the
      // first went instead of being told its own slug is taken.
      const replay = once ? await claimOneTimeKey(tx, once) : null
      if (replay) return replay
      const now = new Date()
      const [article] = await tx
        .insert(articles)
        .values({
          categoryId: input.categoryId,
          sectionId: input.sectionId ?? null,
          slug,
          locale: input.locale,
          translationGroup: placement.translationGroup,
          title: input.title,
          ...columns,
          tags: input.tags,
          status: publish ? 'published' : 'draft',
          authorId: actor.id,
          publishedAt: publish ? now : null,
          reviewedAt: publish ? now : null,
        })
        .returning({ id: articles.id })
      const id = article!.id
      if (placement.translationGroup === null) {
        await tx.update(articles).set({ translationGroup: id }).where(eq(articles.id, id))
      }
      await tx.insert(articleSlugs).values({ slug, articleId: id })
      await addArticleRevision(tx, {
        articleId: id,
        authorId: actor.id,
        title: input.title,
        bodyMd: input.body,
        action: publish ? 'published' : 'created',
      })
      await recordUploadRefs(tx, { subjectType: 'article', subjectId: id, authorId: actor.id, text: input.body })
      if (publish) await queueArticleSearch(tx, id, [placement.translationGroup ?? id])
      const path = publish ? await pathOf(tx, id) : null
      if (once) await settleOneTimeKey(tx, once, path ?? `${articleEditPath(id)}?saved=draft`)
      return ok({ id, path })
    })
  } catch (error) {
    return slugConflict(error)
  }
}

function slugConflict(error: unknown) {
  if (isUniqueViolation(error, 'articles_slug_key') || isUniqueViolation(error, 'article_slugs_pkey'))
    return fail(409, 'help.slug_taken', { field: 'slug' })
  if (isUniqueViolation(error, 'articles_translation_locale_key'))
    return fail(409, 'help.translation_exists', { field: 'locale' })
  throw error
}

async function addArticleRevision(
  tx: Db,
  revision: { articleId: number; authorId: number; title: string; bodyMd: string; action: string },
): Promise<number> {
  const [row] = await tx
    .insert(articleRevisions)
    .values({
      ...revision,
      number: sql`(select coalesce(max(${articleRevisions.number}), 0) + 1 from ${articleRevisions} where ${articleRevisions.articleId} = ${revision.articleId})`,
    })
    .returning({ number: articleRevisions.number })
  await tx.update(articles).set({ version: row!.number }).where(eq(articles.id, revision.articleId))
  return row!.number
}

/** Tells search that an article changed, and that the other published versions of its translation
 *  groups did too: their documents carry its language and its words (search/documents.server.ts). In the
 *  change's transaction, like every outbox write. */
async function queueArticleSearch(
  tx: Db,
  articleId: number,
  groups: (number | null)[],
  op: 'upsert' | 'delete' = 'upsert',
): Promise<void> {
  await queueSearchUpdate(tx, 'article', articleId, op)
  const known = [...new Set(groups.filter((group) => group !== null))]
  if (!known.length) return
  await tx.execute(sql`
    insert into ${searchOutbox} (doc_type, doc_id, op)
    select 'article', ${articles.id}::text, 'upsert' from ${articles}
    where ${articles.translationGroup} in ${known} and ${articles.id} <> ${articleId}
      and ${articles.status} = 'published'`)
}

async function lockArticle(tx: Db, articleId: number) {
  const [article] = await tx.select().from(articles).where(eq(articles.id, articleId)).for('update')
  return article ?? null
}

async function pathOf(db: Db, articleId: number): Promise<string | null> {
  const [row] = await db
    .select({ slug: articles.slug, categorySlug: helpCategories.slug })
    .from(articles)
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .where(eq(articles.id, articleId))
  return row ? articlePath(row) : null
}

/** Saves an edit as a new revision (and publishes it when asked, in the same transaction). A new slug
 *  is added to the article's slug history; the old one keeps redirecting. Published changes reach search. */
export async function updateArticle(
  db: Db,
  {
    actor,
    articleId,
    input,
    publish = false,
  }: { actor: SessionUser; articleId: number; input: ArticleInput } & SaveOptions,
): Promise<Outcome<{ id: number; path: string | null; revision: number | null }>> {
  if (!canWrite(actor)) return fail(403, 'errors.forbidden')
  const slug = slugFor(input)
  if (!slug) return fail(400, 'help.validation.slug_invalid', { field: 'slug' })
  if (publish) {
    const refusal = publishFailure(input)
    if (refusal) return refusal
  }
  const placement = await checkPlacement(db, input, articleId)
  if (placement.failure) return placement.failure
  // Rendered before the transaction, which would otherwise hold the article's lock while a worker renders.
  const columns = await markdownColumns(input.body)
  try {
    return await db.transaction(async (tx) => {
      const article = await lockArticle(tx, articleId)
      if (!article) return fail(404, 'help.article_not_found')
      const [owner] = await tx
        .select({ articleId: articleSlugs.articleId })
        .from(articleSlugs)
        .where(eq(articleSlugs.slug, slug))
      if (owner && owner.articleId !== articleId) return fail(409, 'help.slug_taken', { field: 'slug' })
      if (!owner) await tx.insert(articleSlugs).values({ slug, articleId })

      const unchanged =
        article.title === input.title &&
        article.bodyMd === input.body &&
        article.slug === slug &&
        article.categoryId === input.categoryId &&
        article.sectionId === (input.sectionId ?? null) &&
        article.locale === input.locale &&
        article.tags.join(' ') === input.tags.join(' ') &&
        !(input.translationOf && placement.translationGroup !== article.translationGroup)
      const publishing = publish && article.status !== 'published'
      if (unchanged && !publishing) return ok({ id: articleId, path: await pathOf(tx, articleId), revision: null })

      const now = new Date()
      await tx
        .update(articles)
        .set({
          title: input.title,
          slug,
          categoryId: input.categoryId,
          sectionId: input.sectionId ?? null,
          locale: input.locale,
          tags: input.tags,
          ...(input.translationOf && placement.translationGroup !== null
            ? { translationGroup: placement.translationGroup }
            : {}),
          ...columns,
          updatedAt: now,
          ...(publishing
            ? { status: 'published' as const, publishedAt: article.publishedAt ?? now, reviewedAt: now }
            : {}),
        })
        .where(eq(articles.id, articleId))
      const revision = await addArticleRevision(tx, {
        articleId,
        authorId: actor.id,
        title: input.title,
        bodyMd: input.body,
        action: publishing ? 'published' : 'edited',
      })
      await recordUploadRefs(tx, { subjectType: 'article', subjectId: articleId, authorId: actor.id, text: input.body })
      // Moving to another translation group changes both groups' documents.
      if (publishing || article.status === 'published')
        await queueArticleSearch(tx, articleId, [article.translationGroup, placement.translationGroup])
      return ok({ id: articleId, path: await pathOf(tx, articleId), revision })
    })
  } catch (error) {
    return slugConflict(error)
  }
}

/** Publishes, unpublishes (back to draft) or archives an article. Publishing needs a body. Each change
 *  is a revision; search is told to index or drop the article. */
export async function setArticleStatus(
  db: Db,
  { actor, articleId, status }: { actor: SessionUser; articleId: number; status: ArticleStatus },
): Promise<Outcome<{ id: number; status: ArticleStatus; path: string | null }>> {
  if (!canWrite(actor)) return fail(403, 'errors.forbidden')
  return db.transaction(async (tx) => {
    const article = await lockArticle(tx, articleId)
    if (!article) return fail(404, 'help.article_not_found')
    if (article.status === status) return ok({ id: articleId, status, path: await pathOf(tx, articleId) })
    if (status === 'published') {
      const refusal = publishFailure({ body: article.bodyMd })
      if (refusal) return refusal
    }
    const now = new Date()
    await tx
      .update(articles)
      .set({
        status,
        updatedAt: now,
        ...(status === 'published' ? { publishedAt: article.publishedAt ?? now, reviewedAt: now } : {}),
      })
      .where(eq(articles.id, articleId))
    const action = status === 'published' ? 'published' : status === 'archived' ? 'archived' : 'unpublished'
    await addArticleRevision(tx, {
      articleId,
      authorId: actor.id,
      title: article.title,
      bodyMd: article.bodyMd,
      action,
    })
    await queueArticleSearch(tx, articleId, [article.translationGroup], status === 'published' ? 'upsert' : 'delete')
    return ok({ id: articleId, status, path: await pathOf(tx, articleId) })
  })
}

/** Every revision of an article, oldest first (staff). */
export async function listArticleRevisions(db: Db, { actor, articleId }: { actor: SessionUser; articleId: number }) {
  if (!canWrite(actor)) return fail(403, 'errors.forbidden')
  const [article] = await db
    .select({ id: articles.id, title: articles.title, version: articles.version })
    .from(articles)
    .where(eq(articles.id, articleId))
  if (!article) return fail(404, 'help.article_not_found')
  const revisions = await db
    .select({
      number: articleRevisions.number,
      title: articleRevisions.title,
      bodyMd: articleRevisions.bodyMd,
      action: articleRevisions.action,
      createdAt: articleRevisions.createdAt,
      authorId: articleRevisions.authorId,
      authorName: users.displayName,
    })
    .from(articleRevisions)
    .leftJoin(users, eq(users.id, articleRevisions.authorId))
    .where(eq(articleRevisions.articleId, articleId))
    .orderBy(asc(articleRevisions.number))
  return ok({ article, revisions })
}

/** Brings back the title and body of an old revision as a new revision; nothing in between is lost. */
export async function restoreArticleRevision(
  db: Db,
  { actor, articleId, number }: { actor: SessionUser; articleId: number; number: number },
): Promise<Outcome<{ id: number; revision: number }>> {
  if (!canWrite(actor)) return fail(403, 'errors.forbidden')
  // A revision never changes once written, so it is read and rendered before the transaction, which
  // would otherwise hold the article's lock while a worker renders.
  const [old] = await db
    .select()
    .from(articleRevisions)
    .where(and(eq(articleRevisions.articleId, articleId), eq(articleRevisions.number, number)))
  const columns = old ? await markdownColumns(old.bodyMd) : null
  return db.transaction(async (tx) => {
    const article = await lockArticle(tx, articleId)
    if (!article) return fail(404, 'help.article_not_found')
    if (!old || !columns) return fail(404, 'help.revision_not_found')
    if (article.status === 'published' && !old.bodyMd.trim()) return fail(409, 'help.body_required_to_publish')
    await tx
      .update(articles)
      .set({ title: old.title, ...columns, updatedAt: new Date() })
      .where(eq(articles.id, articleId))
    const revision = await addArticleRevision(tx, {
      articleId,
      authorId: actor.id,
      title: old.title,
      bodyMd: old.bodyMd,
      action: `restored:${number}`,
    })
    await recordUploadRefs(tx, { subjectType: 'article', subjectId: articleId, authorId: actor.id, text: old.bodyMd })
    if (article.status === 'published') await queueArticleSearch(tx, articleId, [article.translationGroup])
    return ok({ id: articleId, revision })
  })
}

/** The article and what the editor needs to show it: its values as the form expects them. */
export async function getArticleForEdit(db: Db, { actor, articleId }: { actor: SessionUser; articleId: number }) {
  if (!canWrite(actor)) return fail(403, 'errors.forbidden')
  const [row] = await db
    .select({ article: articles, categorySlug: helpCategories.slug })
    .from(articles)
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .where(eq(articles.id, articleId))
  if (!row) return fail(404, 'help.article_not_found')
  const translations = await db
    .select({ id: articles.id, locale: articles.locale, title: articles.title })
    .from(articles)
    .where(and(eq(articles.translationGroup, row.article.translationGroup ?? -1), ne(articles.id, articleId)))
  return ok({
    ...row.article,
    path: articlePath({ categorySlug: row.categorySlug, slug: row.article.slug }),
    translations,
  })
}

export type ArticlePage = {
  article: {
    id: number
    title: string
    bodyHtml: string
    locale: Locale
    status: ArticleStatus
    tags: string[]
    updatedAt: Date
    publishedAt: Date | null
    authorName: string | null
    creditedUserId: number | null
    creditedName: string | null
  }
  category: { id: number; slug: string; nameEn: string; nameJa: string }
  section: { id: number; nameEn: string; nameJa: string } | null
  translations: { id: number; locale: Locale; title: string; path: string }[]
  path: string
  canWrite: boolean
}

/** An article by its category and slug, as a reader sees it. Old slugs and moved categories answer with
 *  `redirect` to the current address. Drafts and archived articles exist only for staff. */
export async function getArticlePage(
  db: Db,
  { categorySlug, slug, viewer }: { categorySlug: string; slug: string; viewer: SessionUser | null },
): Promise<Outcome<{ redirect: string } | ArticlePage>> {
  const [row] = await db
    .select({ article: articles, category: helpCategories })
    .from(articleSlugs)
    .innerJoin(articles, eq(articles.id, articleSlugs.articleId))
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .where(eq(articleSlugs.slug, slug))
  const staff = canWrite(viewer)
  if (!row || (row.article.status !== 'published' && !staff)) return fail(404, 'help.article_not_found')
  const { article, category } = row
  const path = articlePath({ categorySlug: category.slug, slug: article.slug })
  if (article.slug !== slug || category.slug !== categorySlug) return ok({ redirect: path })

  const [section, people, translations] = await Promise.all([
    article.sectionId
      ? db
          .select()
          .from(helpSections)
          .where(eq(helpSections.id, article.sectionId))
          .then((rows) => rows[0] ?? null)
      : Promise.resolve(null),
    db
      .select({ id: users.id, displayName: users.displayName })
      .from(users)
      .where(or(eq(users.id, article.authorId ?? -1), eq(users.id, article.creditedUserId ?? -1))),
    db
      .select({
        id: articles.id,
        locale: articles.locale,
        title: articles.title,
        slug: articles.slug,
        categorySlug: helpCategories.slug,
      })
      .from(articles)
      .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
      .where(
        and(
          eq(articles.translationGroup, article.translationGroup ?? -1),
          ne(articles.id, article.id),
          staff ? undefined : eq(articles.status, 'published'),
        ),
      )
      .orderBy(asc(articles.locale)),
  ])
  const nameOf = (id: number | null) => people.find((p) => p.id === id)?.displayName ?? null
  return ok({
    article: {
      id: article.id,
      title: article.title,
      bodyHtml: article.bodyHtml,
      locale: article.locale,
      status: article.status,
      tags: article.tags,
      updatedAt: article.updatedAt,
      publishedAt: article.publishedAt,
      authorName: nameOf(article.authorId),
      creditedUserId: article.creditedUserId,
      creditedName: nameOf(article.creditedUserId),
    },
    category: { id: category.id, slug: category.slug, nameEn: category.nameEn, nameJa: category.nameJa },
    section: section ? { id: section.id, nameEn: section.nameEn, nameJa: section.nameJa } : null,
    translations: translations.map((t) => ({ id: t.id, locale: t.locale, title: t.title, path: articlePath(t) })),
    path,
    canWrite: staff,
  })
}

/** Staff turn an accepted answer into a draft article: the question and the answer prefilled, the
 *  answer's author credited on the article and, once per answer, in the activity ledger. Promoting the
 *  same answer again opens the draft already made. */
export async function promoteAnswer(
  db: Db,
  { actor, answerId }: { actor: SessionUser; answerId: number },
): Promise<Outcome<{ id: number; created: boolean }>> {
  if (!canWrite(actor)) return fail(403, 'errors.forbidden')
  const [found] = await db
    .select({ answer: answers, question: questions })
    .from(answers)
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.id, answerId))
  if (!found || found.answer.deletedAt || found.question.deletedAt) return fail(404, 'qa.answer_not_found')
  if (found.question.acceptedAnswerId !== answerId) return fail(409, 'help.promote_not_accepted')
  const [existing] = await db
    .select({ id: articles.id })
    .from(articles)
    .where(eq(articles.promotedFromAnswerId, answerId))
  if (existing) return ok({ id: existing.id, created: false })
  const [category] = await db
    .select({ id: helpCategories.id })
    .from(helpCategories)
    .orderBy(asc(helpCategories.position), asc(helpCategories.id))
    .limit(1)
  if (!category) return fail(409, 'help.no_category')

  const { question, answer } = found
  const t = translator(question.locale)
  const body = `## ${t('help.promote.question_heading')}\n\n${question.bodyMd}\n\n## ${t('help.promote.answer_heading')}\n\n${answer.bodyMd}\n`
  const slug = await freeSlug(db, slugify(question.title, 70) || `answer-${answerId}`)
  const columns = await markdownColumns(body)
  try {
    return await db.transaction(async (tx) => {
      const [article] = await tx
        .insert(articles)
        .values({
          categoryId: category.id,
          slug,
          locale: question.locale,
          title: question.title,
          ...columns,
          tags: question.tags,
          status: 'draft',
          authorId: actor.id,
          creditedUserId: answer.authorId,
          promotedFromAnswerId: answerId,
        })
        .returning({ id: articles.id })
      const id = article!.id
      await tx.update(articles).set({ translationGroup: id }).where(eq(articles.id, id))
      await tx.insert(articleSlugs).values({ slug, articleId: id })
      await addArticleRevision(tx, {
        articleId: id,
        authorId: actor.id,
        title: question.title,
        bodyMd: body,
        action: 'created',
      })
      // The question's and the answer's files go with their text into the article.
      await recordUploadRefs(tx, {
        subjectType: 'article',
        subjectId: id,
        authorId: actor.id,
        text: body,
        from: [
          { subjectType: 'question', subjectId: question.id },
          { subjectType: 'answer', subjectId: answerId },
        ],
      })
      const [author] = await tx
        .select({ id: users.id, accountId: users.accountId })
        .from(users)
        .where(eq(users.id, answer.authorId))
      if (author) {
        await recordActivity(tx, {
          type: 'answer_promoted',
          user: author,
          subject: { type: 'answer', id: answerId },
          uniqueKey: `answer_promoted:answer:${answerId}`,
        })
      }
      return ok({ id, created: true })
    })
  } catch (error) {
    // Two staff promoting the same answer at once: the second opens the first one's draft.
    if (isUniqueViolation(error, 'articles_promoted_answer_key')) {
      const [made] = await db
        .select({ id: articles.id })
        .from(articles)
        .where(eq(articles.promotedFromAnswerId, answerId))
      if (made) return ok({ id: made.id, created: false })
    }
    return slugConflict(error)
  }
}

/** `base`, or `base-2`, `base-3`, … : the first slug no article has ever had. */
async function freeSlug(db: Db, base: string): Promise<string> {
  const taken = await db
    .select({ slug: articleSlugs.slug })
    .from(articleSlugs)
    .where(
      or(
        eq(articleSlugs.slug, base),
        sql`${articleSlugs.slug} like ${`${base.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`}`,
      ),
    )
  const used = new Set(taken.map((row) => row.slug))
  if (!used.has(base)) return base
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`
}
