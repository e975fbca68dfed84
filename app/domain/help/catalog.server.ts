import { and, asc, count, desc, eq, inArray, max, ne, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import type { Locale } from '#app/lib/i18n.ts'
import { claimOneTimeKey, type OneTimeKey, settleOneTimeKey } from '#app/lib/one-time-key.server.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import { slugify } from '#app/lib/paths.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { isUniqueViolation } from '#db/errors.ts'
import { articles, helpCategories, helpSections } from '#db/schema/help.ts'
import { users } from '#db/schema/identity.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { activeSearchEngine } from '#search/active.server.ts'
import { searchDocId } from '#search/engine.ts'
import type { CatalogCategory } from './catalog.ts'
import { categoryDescription, categoryName, sectionName } from './names.ts'
import {
  type CategoryInput,
  HELP_SLUG_MAX,
  RESERVED_CATEGORY_SLUGS,
  type SectionInput,
  STAFF_ARTICLES_PER_PAGE,
} from './schemas.ts'

export type Direction = 'up' | 'down'
export type ArticleStatus = (typeof articles.$inferSelect)['status']

const forbidden = () => fail(403, 'errors.forbidden')
const categoryNotFound = () => fail(404, 'help_browse.category_not_found')
const sectionNotFound = () => fail(404, 'help_browse.section_not_found')

/** Translations share a group; an article that has none yet is its own group. */
const groupKey = sql`coalesce(${articles.translationGroup}, ${articles.id})`

// ---------------------------------------------------------------------------------------------
// Staff management: categories and sections

/** The slug a category gets: the one typed, or one made from the English name; always lower case. */
function categorySlug(input: CategoryInput): Outcome<string> {
  const slug = slugify(input.slug ?? input.nameEn, HELP_SLUG_MAX)
  if (!slug) return fail(400, 'help_browse.validation.slug_invalid', { field: 'slug' })
  if (RESERVED_CATEGORY_SLUGS.includes(slug)) {
    return fail(400, 'help_browse.slug_reserved', { field: 'slug', params: { slug } })
  }
  return ok(slug)
}

function slugConflict(error: unknown) {
  return isUniqueViolation(error, 'help_categories_slug_key')
    ? fail(409, 'help_browse.slug_taken', { field: 'slug' })
    : null
}

/** Moves one row of an ordered list (categories, or the sections of one category) past its neighbour
 *  and renumbers the list 0..n-1, which also clears ties left by concurrent creates. The rows are
 *  locked, so two moves at once take turns. False when the row is not in the list. */
async function moveWithin(
  tx: Db,
  table: typeof helpCategories | typeof helpSections,
  scope: SQL,
  id: number,
  direction: Direction,
): Promise<boolean> {
  const rows = rowsOf<{ id: number; position: number }>(
    await tx.execute(sql`select id, position from ${table} where ${scope} order by position, id for update`),
  )
  const order = rows.map((row) => row.id)
  const from = order.indexOf(id)
  if (from === -1) return false
  const to = direction === 'up' ? from - 1 : from + 1
  if (to >= 0 && to < order.length) [order[from], order[to]] = [order[to]!, order[from]!]
  for (const [position, rowId] of order.entries()) {
    if (rows.find((row) => row.id === rowId)?.position === position) continue
    await tx.execute(sql`update ${table} set position = ${position} where id = ${rowId}`)
  }
  return true
}

/** Creates a category at the end of the list (staff with `help.manage`), audited. The slug is unique
 *  and never one of the help center's own path words. */
export async function createCategory(
  db: Db,
  { actor, input, once }: { actor: SessionUser; input: CategoryInput; once?: OneTimeKey },
): Promise<Outcome<{ id: number; slug: string }>> {
  if (!can(actor, 'help.manage')) return forbidden()
  const slug = categorySlug(input)
  if (!slug.ok) return slug
  try {
    return await db.transaction(async (tx) => {
      // A form sent twice (same one-time key, docs/decisions/027) creates once; the copy goes where the
      // first went instead of being told its own slug is taken.
      const replay = once ? await claimOneTimeKey(tx, once) : null
      if (replay) return replay
      const [last] = await tx.select({ position: max(helpCategories.position) }).from(helpCategories)
      const [category] = await tx
        .insert(helpCategories)
        .values({
          slug: slug.value,
          nameEn: input.nameEn,
          nameJa: input.nameJa,
          descriptionEn: input.descriptionEn,
          descriptionJa: input.descriptionJa,
          position: (last?.position ?? -1) + 1,
        })
        .returning({ id: helpCategories.id, slug: helpCategories.slug })
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: 'help_category.created',
        targetType: 'help_category',
        targetId: category!.id,
        details: { slug: slug.value, name: input.nameEn },
      })
      if (once) await settleOneTimeKey(tx, once, categoriesDonePath('category_created', `category-${category!.id}`))
      return ok(category!)
    })
  } catch (error) {
    const conflict = slugConflict(error)
    if (conflict) return conflict
    throw error
  }
}

/** Renames a category or changes its slug or descriptions, audited. A new name reaches the search
 *  index of its published articles, whose documents carry the category. */
export async function updateCategory(
  db: Db,
  { actor, categoryId, input }: { actor: SessionUser; categoryId: number; input: CategoryInput },
): Promise<Outcome<{ id: number; slug: string }>> {
  if (!can(actor, 'help.manage')) return forbidden()
  const slug = categorySlug(input)
  if (!slug.ok) return slug
  try {
    return await db.transaction(async (tx) => {
      const [current] = await tx.select().from(helpCategories).where(eq(helpCategories.id, categoryId)).for('update')
      if (!current) return categoryNotFound()
      await tx
        .update(helpCategories)
        .set({
          slug: slug.value,
          nameEn: input.nameEn,
          nameJa: input.nameJa,
          descriptionEn: input.descriptionEn,
          descriptionJa: input.descriptionJa,
        })
        .where(eq(helpCategories.id, categoryId))
      if (current.nameEn !== input.nameEn || current.nameJa !== input.nameJa) {
        await tx.execute(sql`
          insert into ${searchOutbox} (doc_type, doc_id, op)
          select 'article', ${articles.id}::text, 'upsert' from ${articles}
          where ${articles.categoryId} = ${categoryId} and ${articles.status} = 'published'`)
      }
      await recordAudit(tx, {
        actorUserId: actor.id,
        action: 'help_category.updated',
        targetType: 'help_category',
        targetId: categoryId,
        details: { slug: slug.value, previousSlug: current.slug, name: input.nameEn },
      })
      return ok({ id: categoryId, slug: slug.value })
    })
  } catch (error) {
    const conflict = slugConflict(error)
    if (conflict) return conflict
    throw error
  }
}

/** Deletes a category and its sections, audited. Refused while any article (of any status) is in
 *  it: articles are moved or deleted first, so none is left without a category. */
export async function deleteCategory(
  db: Db,
  { actor, categoryId }: { actor: SessionUser; categoryId: number },
): Promise<Outcome<undefined>> {
  if (!can(actor, 'help.manage')) return forbidden()
  return db.transaction(async (tx) => {
    // The lock also makes a concurrent article insert into this category wait, then fail.
    const [category] = await tx.select().from(helpCategories).where(eq(helpCategories.id, categoryId)).for('update')
    if (!category) return categoryNotFound()
    const [inside] = await tx.select({ n: count() }).from(articles).where(eq(articles.categoryId, categoryId))
    if (inside && inside.n > 0) return fail(409, 'help_browse.category_not_empty', { params: { count: inside.n } })
    await tx.delete(helpCategories).where(eq(helpCategories.id, categoryId))
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'help_category.deleted',
      targetType: 'help_category',
      targetId: categoryId,
      details: { slug: category.slug, name: category.nameEn },
    })
    return ok()
  })
}

/** Moves a category one place up or down the list, audited. At either end it stays where it is. */
export async function moveCategory(
  db: Db,
  { actor, categoryId, direction }: { actor: SessionUser; categoryId: number; direction: Direction },
): Promise<Outcome<undefined>> {
  if (!can(actor, 'help.manage')) return forbidden()
  return db.transaction(async (tx) => {
    if (!(await moveWithin(tx, helpCategories, sql`true`, categoryId, direction))) return categoryNotFound()
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'help_category.moved',
      targetType: 'help_category',
      targetId: categoryId,
      details: { direction },
    })
    return ok()
  })
}

/** Adds a section at the end of a category, audited. */
export async function createSection(
  db: Db,
  {
    actor,
    categoryId,
    input,
    once,
  }: { actor: SessionUser; categoryId: number; input: SectionInput; once?: OneTimeKey },
): Promise<Outcome<{ id: number }>> {
  if (!can(actor, 'help.manage')) return forbidden()
  return db.transaction(async (tx) => {
    // Shared lock: a concurrent delete of the category waits for this insert, then sees the section.
    const [category] = await tx
      .select({ id: helpCategories.id })
      .from(helpCategories)
      .where(eq(helpCategories.id, categoryId))
      .for('share')
    if (!category) return categoryNotFound()
    // A form sent twice (same one-time key) adds one section; the copy goes where the first went.
    const replay = once ? await claimOneTimeKey(tx, once) : null
    if (replay) return replay
    const [last] = await tx
      .select({ position: max(helpSections.position) })
      .from(helpSections)
      .where(eq(helpSections.categoryId, categoryId))
    const [section] = await tx
      .insert(helpSections)
      .values({ categoryId, nameEn: input.nameEn, nameJa: input.nameJa, position: (last?.position ?? -1) + 1 })
      .returning({ id: helpSections.id })
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'help_section.created',
      targetType: 'help_section',
      targetId: section!.id,
      details: { categoryId, name: input.nameEn },
    })
    if (once) await settleOneTimeKey(tx, once, categoriesDonePath('section_created', `category-${categoryId}`))
    return ok(section!)
  })
}

/** Renames a section, audited. */
export async function updateSection(
  db: Db,
  { actor, sectionId, input }: { actor: SessionUser; sectionId: number; input: SectionInput },
): Promise<Outcome<{ id: number }>> {
  if (!can(actor, 'help.manage')) return forbidden()
  return db.transaction(async (tx) => {
    const [section] = await tx
      .update(helpSections)
      .set({ nameEn: input.nameEn, nameJa: input.nameJa })
      .where(eq(helpSections.id, sectionId))
      .returning({ id: helpSections.id, categoryId: helpSections.categoryId })
    if (!section) return sectionNotFound()
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'help_section.updated',
      targetType: 'help_section',
      targetId: sectionId,
      details: { categoryId: section.categoryId, name: input.nameEn },
    })
    return ok({ id: sectionId })
  })
}

/** Deletes a section, audited. Its articles stay in the category, outside any section (the
 *  foreign key sets their section to null). */
export async function deleteSection(
  db: Db,
  { actor, sectionId }: { actor: SessionUser; sectionId: number },
): Promise<Outcome<undefined>> {
  if (!can(actor, 'help.manage')) return forbidden()
  return db.transaction(async (tx) => {
    const [section] = await tx.delete(helpSections).where(eq(helpSections.id, sectionId)).returning()
    if (!section) return sectionNotFound()
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'help_section.deleted',
      targetType: 'help_section',
      targetId: sectionId,
      details: { categoryId: section.categoryId, name: section.nameEn },
    })
    return ok()
  })
}

/** Moves a section one place up or down within its category, audited. */
export async function moveSection(
  db: Db,
  { actor, sectionId, direction }: { actor: SessionUser; sectionId: number; direction: Direction },
): Promise<Outcome<undefined>> {
  if (!can(actor, 'help.manage')) return forbidden()
  return db.transaction(async (tx) => {
    const [section] = await tx
      .select({ categoryId: helpSections.categoryId })
      .from(helpSections)
      .where(eq(helpSections.id, sectionId))
    if (!section) return sectionNotFound()
    const scope = eq(helpSections.categoryId, section.categoryId)
    if (!(await moveWithin(tx, helpSections, scope, sectionId, direction))) return sectionNotFound()
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'help_section.moved',
      targetType: 'help_section',
      targetId: sectionId,
      details: { categoryId: section.categoryId, direction },
    })
    return ok()
  })
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Every category in order, each with its sections in order and its number of published articles
 *  (an article and its translations count once), named in the reader's language. */
export async function listHelpCatalog(
  db: Db,
  { locale, viewer }: { locale: Locale; viewer: SessionUser | null },
): Promise<CatalogCategory[]> {
  const [categoryRows, sectionRows, counts] = await Promise.all([
    db.select().from(helpCategories).orderBy(asc(helpCategories.position), asc(helpCategories.id)),
    db.select().from(helpSections).orderBy(asc(helpSections.position), asc(helpSections.id)),
    db
      .select({
        categoryId: articles.categoryId,
        published: sql<number>`count(distinct ${groupKey}) filter (where ${articles.status} = 'published')`.mapWith(
          Number,
        ),
        drafts: sql<number>`count(*) filter (where ${articles.status} = 'draft')`.mapWith(Number),
      })
      .from(articles)
      .groupBy(articles.categoryId),
  ])
  const staff = can(viewer, 'help.write')
  return categoryRows.map((category) => {
    const tally = counts.find((row) => row.categoryId === category.id)
    return {
      ...category,
      name: categoryName(category, locale),
      description: categoryDescription(category, locale),
      articleCount: tally?.published ?? 0,
      draftCount: staff ? (tally?.drafts ?? 0) : null,
      sections: sectionRows
        .filter((section) => section.categoryId === category.id)
        .map((section) => ({
          id: section.id,
          categoryId: section.categoryId,
          nameEn: section.nameEn,
          nameJa: section.nameJa,
          position: section.position,
          name: sectionName(section, locale),
        })),
    }
  })
}

export type CategoryChoice = {
  id: number
  nameEn: string
  nameJa: string
  sections: { id: number; nameEn: string; nameJa: string }[]
}

/** Every category in order with its sections in order: the places the article editor offers. */
export async function articleCategoryChoices(db: Db): Promise<CategoryChoice[]> {
  const [categoryRows, sectionRows] = await Promise.all([
    db
      .select({ id: helpCategories.id, nameEn: helpCategories.nameEn, nameJa: helpCategories.nameJa })
      .from(helpCategories)
      .orderBy(asc(helpCategories.position), asc(helpCategories.id)),
    db
      .select({
        id: helpSections.id,
        categoryId: helpSections.categoryId,
        nameEn: helpSections.nameEn,
        nameJa: helpSections.nameJa,
      })
      .from(helpSections)
      .orderBy(asc(helpSections.position), asc(helpSections.id)),
  ])
  return categoryRows.map((category) => ({
    ...category,
    sections: sectionRows
      .filter((section) => section.categoryId === category.id)
      .map(({ id, nameEn, nameJa }) => ({ id, nameEn, nameJa })),
  }))
}

export type CategoryArticle = {
  id: number
  slug: string
  title: string
  locale: Locale
  updatedAt: Date
  /** Shown only to staff, marked as a draft. */
  draft: boolean
}

export type CategoryPageGroup = {
  /** Null for the final group of articles outside any section ("Other"). */
  section: { id: number; name: string } | null
  articles: CategoryArticle[]
}

export type CategoryPage = {
  category: { id: number; slug: string; name: string; description: string }
  groups: CategoryPageGroup[]
}

/** A category's page: its sections in order, each with its articles, and a final group for articles
 *  outside any section. One entry per translation group: the version in the reader's language when
 *  there is one, else the other language's, listed after the reader's own. Readers see published
 *  articles; staff who write (`help.write`) see drafts too, marked. Every section is listed, even
 *  empty; the "Other" group only when it has articles. */
export async function getCategoryPage(
  db: Db,
  { slug, locale, viewer }: { slug: string; locale: Locale; viewer: SessionUser | null },
): Promise<Outcome<CategoryPage>> {
  const [category] = await db.select().from(helpCategories).where(eq(helpCategories.slug, slug))
  if (!category) return categoryNotFound()
  const visible: ArticleStatus[] = can(viewer, 'help.write') ? ['published', 'draft'] : ['published']
  const [sections, rows] = await Promise.all([
    db
      .select()
      .from(helpSections)
      .where(eq(helpSections.categoryId, category.id))
      .orderBy(asc(helpSections.position), asc(helpSections.id)),
    db
      .selectDistinctOn([groupKey], {
        id: articles.id,
        slug: articles.slug,
        title: articles.title,
        locale: articles.locale,
        updatedAt: articles.updatedAt,
        status: articles.status,
        sectionId: articles.sectionId,
      })
      .from(articles)
      .where(and(eq(articles.categoryId, category.id), inArray(articles.status, visible)))
      .orderBy(groupKey, desc(sql`${articles.locale} = ${locale}`)),
  ])
  const collator = new Intl.Collator(locale)
  const listed = rows
    .map((row) => ({ ...row, own: row.locale === locale }))
    .sort((a, b) => Number(b.own) - Number(a.own) || collator.compare(a.title, b.title) || a.id - b.id)
  function articlesOf(sectionId: number | null): CategoryArticle[] {
    return listed
      .filter((row) => row.sectionId === sectionId)
      .map((row) => ({
        id: row.id,
        slug: row.slug,
        title: row.title,
        locale: row.locale,
        updatedAt: row.updatedAt,
        draft: row.status === 'draft',
      }))
  }
  const groups: CategoryPageGroup[] = sections.map((section) => ({
    section: { id: section.id, name: sectionName(section, locale) },
    articles: articlesOf(section.id),
  }))
  const other = articlesOf(null)
  if (other.length) groups.push({ section: null, articles: other })
  return ok({
    category: {
      id: category.id,
      slug: category.slug,
      name: categoryName(category, locale),
      description: categoryDescription(category, locale),
    },
    groups,
  })
}

/** One page of every article for staff (`help.write`): newest change first, with status, language,
 *  category and author; optionally one status or one category. */
export async function listArticlesForStaff(
  db: Db,
  {
    actor,
    status,
    categoryId,
    page = 1,
    perPage = STAFF_ARTICLES_PER_PAGE,
  }: { actor: SessionUser; status?: ArticleStatus; categoryId?: number; page?: number; perPage?: number },
) {
  if (!can(actor, 'help.write')) return forbidden()
  const where = and(
    status ? eq(articles.status, status) : undefined,
    categoryId ? eq(articles.categoryId, categoryId) : undefined,
  )
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: articles.id,
        slug: articles.slug,
        title: articles.title,
        status: articles.status,
        locale: articles.locale,
        updatedAt: articles.updatedAt,
        publishedAt: articles.publishedAt,
        authorName: users.displayName,
        category: {
          id: helpCategories.id,
          slug: helpCategories.slug,
          nameEn: helpCategories.nameEn,
          nameJa: helpCategories.nameJa,
        },
      })
      .from(articles)
      .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
      .leftJoin(users, eq(users.id, articles.authorId))
      .where(where)
      .orderBy(desc(articles.updatedAt), desc(articles.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    db.select({ n: count() }).from(articles).where(where),
  ])
  const n = total?.n ?? 0
  return ok({ articles: rows, total: n, page, perPage, pageCount: Math.max(1, Math.ceil(n / perPage)) })
}

export type RelatedArticle = {
  id: number
  slug: string
  title: string
  locale: Locale
  updatedAt: Date
  categorySlug: string
}

/** Articles related to one, best first: those the search engine finds most alike (its title and tags
 *  searched among articles in the reader's language), then those the catalogue relates (shared tags,
 *  section, category). Each translation group appears once; the article and its translations never. */
export async function relatedArticles(
  db: Db,
  { articleId, locale, limit = 5 }: { articleId: number; locale: Locale; limit?: number },
): Promise<RelatedArticle[]> {
  const [alike, catalogued] = await Promise.all([
    alikeArticles(db, { articleId, locale, limit }),
    cataloguedRelatedArticles(db, { articleId, locale, limit }),
  ])
  const seen = new Set<number>()
  const related: RelatedArticle[] = []
  for (const article of [...alike, ...catalogued]) {
    if (seen.has(article.group)) continue
    seen.add(article.group)
    related.push(article.row)
  }
  return related.slice(0, limit)
}

type Grouped = { group: number; row: RelatedArticle }

const relatedColumns = {
  id: articles.id,
  slug: articles.slug,
  title: articles.title,
  locale: articles.locale,
  updatedAt: articles.updatedAt,
  categorySlug: helpCategories.slug,
}

/** The search engine's articles most like this one, in the reader's language. Search trouble leaves
 *  only the catalogue's relation. */
async function alikeArticles(
  db: Db,
  { articleId, locale, limit }: { articleId: number; locale: Locale; limit: number },
): Promise<Grouped[]> {
  const [source] = await db
    .select({ title: articles.title, tags: articles.tags, group: groupKey.mapWith(Number) })
    .from(articles)
    .where(eq(articles.id, articleId))
  if (!source) return []
  const ownGroup = await db.select({ id: articles.id }).from(articles).where(sql`${groupKey} = ${source.group}`)
  let ids: number[]
  try {
    const { hits } = await activeSearchEngine(db).search({
      q: `${source.title} ${source.tags.join(' ')} `,
      types: ['article'],
      matching: 'any',
      locale,
      limit,
      filters: { locale, excludeIds: ownGroup.map((a) => searchDocId('article', a.id)) },
    })
    ids = hits.map((hit) => hit.docId)
  } catch (error) {
    console.error('[search] related articles', error)
    return []
  }
  if (!ids.length) return []
  const rows = await db
    .select({ ...relatedColumns, group: groupKey.mapWith(Number) })
    .from(articles)
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .where(and(inArray(articles.id, ids), eq(articles.status, 'published')))
  const byId = new Map(rows.map(({ group, ...row }) => [row.id, { group, row }]))
  return ids.flatMap((id) => byId.get(id) ?? [])
}

/** Published articles related to one, best first, in one query: most tags in common, then the same
 *  section, then the same category; the reader's language breaks ties, then the newest change. The
 *  article itself and its translations are left out, and each other translation group appears once, in
 *  the reader's language when it has that version. Only articles sharing a tag or the category count
 *  as related. */
async function cataloguedRelatedArticles(
  db: Db,
  { articleId, locale, limit }: { articleId: number; locale: Locale; limit: number },
): Promise<Grouped[]> {
  const source = alias(articles, 'source')
  const sharedTags = sql<number>`cardinality(array(select unnest(${articles.tags}) intersect select unnest(${source.tags})))`
  // Never null: a null would sort first under `desc`.
  const sameSection = sql<boolean>`coalesce(${articles.sectionId} = ${source.sectionId}, false)`
  const sameCategory = sql<boolean>`${articles.categoryId} = ${source.categoryId}`
  const inLocale = sql<boolean>`${articles.locale} = ${locale}`
  const candidates = db
    .selectDistinctOn([groupKey], {
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      locale: articles.locale,
      updatedAt: articles.updatedAt,
      // Aliased: the subquery's columns need distinct names, and both tables have a slug.
      categorySlug: sql<string>`${helpCategories.slug}`.as('category_slug'),
      sharedTags: sharedTags.mapWith(Number).as('shared_tags'),
      sameSection: sameSection.as('same_section'),
      sameCategory: sameCategory.as('same_category'),
      inLocale: inLocale.as('in_locale'),
      group: groupKey.mapWith(Number).as('group_key'),
    })
    .from(articles)
    .innerJoin(source, eq(source.id, articleId))
    .innerJoin(helpCategories, eq(helpCategories.id, articles.categoryId))
    .where(
      and(
        eq(articles.status, 'published'),
        ne(groupKey, sql`coalesce(${source.translationGroup}, ${source.id})`),
        or(sql`${articles.tags} && ${source.tags}`, sameCategory),
      ),
    )
    .orderBy(groupKey, desc(inLocale))
    .as('candidates')
  const rows = await db
    .select({
      id: candidates.id,
      slug: candidates.slug,
      title: candidates.title,
      locale: candidates.locale,
      updatedAt: candidates.updatedAt,
      categorySlug: candidates.categorySlug,
      group: candidates.group,
    })
    .from(candidates)
    .orderBy(
      desc(candidates.sharedTags),
      desc(candidates.sameSection),
      desc(candidates.sameCategory),
      desc(candidates.inLocale),
      desc(candidates.updatedAt),
      desc(candidates.id),
    )
    .limit(limit)
  return rows.map(({ group, ...row }) => ({ group, row }))
}

/** Where the categories page lands after a change: its notice and the place changed. */
export function categoriesDonePath(kind: string, anchor?: string): string {
  return `/help/manage/categories?done=${kind}${anchor ? `#${anchor}` : ''}`
}
