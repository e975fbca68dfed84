import { eq, sql } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { rowsOf } from '#db/client.server.ts'
import { questions, tags } from '#db/schema/qa.ts'
import { searchOutbox } from '#db/schema/search.ts'
import { MAX_TAG_LENGTH, normalizeTag } from './tags.ts'

// Staff tidy the tag vocabulary at /tags/manage: a tag is renamed (a new name nobody uses yet) or
// merged into another (both in use). Either way every question carrying the old tag carries the new one
// instead, once and in the old one's place, the old tag's row goes, the questions' search documents
// are queued for reindexing and the audit log says who did it, all in one transaction. Revisions keep
// the tags each version had. Help articles keep tags of their own and are not touched.

export type TagChange = { from: string; to: string; questions: number }

type Names = { from: string; to: string }

/** The two names as staff typed them, normalised as the tags field normalises them; a failure names
 *  the field it belongs to. */
function checkNames(input: Names, toField: 'to' | 'into'): Outcome<Names> {
  const from = normalizeTag(input.from)
  const to = normalizeTag(input.to)
  if (!from) return fail(400, 'editor.tags.errors.unknown', { field: 'from', params: { name: input.from.trim() } })
  if (!to || to.length > MAX_TAG_LENGTH)
    return fail(400, 'editor.tags.errors.invalid_name', { field: toField, params: { max: MAX_TAG_LENGTH } })
  if (from === to) return fail(400, 'editor.tags.errors.same', { field: toField })
  return ok({ from, to })
}

/** The tag rows, locked for the rest of the transaction, so that two staff changing the same tag at
 *  once run one after the other and the second sees what the first left. */
async function lockTags(tx: Db, names: string[]) {
  const rows = await tx.execute(
    sql`select ${tags.name} as name from ${tags} where ${tags.name} in ${names} order by ${tags.name} for update`,
  )
  return new Set(rowsOf<{ name: string }>(rows).map((row) => row.name))
}

/** Replaces `from` by `to` in every question's tags, keeping the first place either had and dropping
 *  the copy when the question already carried `to`; queues each question's search document. Returns
 *  how many questions changed. */
async function retag(tx: Db, { from, to }: Names): Promise<number> {
  const changed = await tx.execute(sql`
    update ${questions} q set tags = (
      select array_agg(name order by first) from (
        select name, min(position) as first
        from unnest(array_replace(q.tags, ${from}, ${to})) with ordinality as t(name, position)
        group by name
      ) kept
    )
    where q.tags @> array[${from}]::text[]
    returning q.id`)
  const ids = rowsOf<{ id: number }>(changed).map((row) => row.id)
  if (ids.length > 0) {
    await tx
      .insert(searchOutbox)
      .values(ids.map((id) => ({ docType: 'question', docId: String(id), op: 'upsert' as const })))
  }
  return ids.length
}

async function change(
  db: Db,
  { actor, input, mode }: { actor: SessionUser; input: Names; mode: 'rename' | 'merge' },
): Promise<Outcome<TagChange>> {
  const toField = mode === 'rename' ? 'to' : 'into'
  if (!can(actor, 'qa.manage_tags')) return fail(403, 'errors.forbidden')
  const names = checkNames(input, toField)
  if (!names.ok) return names
  const { from, to } = names.value
  return db.transaction(async (tx) => {
    const existing = await lockTags(tx, [from, to])
    if (!existing.has(from)) return fail(404, 'editor.tags.errors.unknown', { field: 'from', params: { name: from } })
    if (mode === 'rename' && existing.has(to))
      return fail(409, 'editor.tags.errors.taken', { field: 'to', params: { name: to } })
    if (mode === 'merge' && !existing.has(to))
      return fail(404, 'editor.tags.errors.unknown', { field: 'into', params: { name: to } })
    if (mode === 'rename') {
      const [old] = await tx.select({ createdAt: tags.createdAt }).from(tags).where(eq(tags.name, from))
      await tx.insert(tags).values({ name: to, createdAt: old?.createdAt })
    }
    const count = await retag(tx, { from, to })
    await tx.delete(tags).where(eq(tags.name, from))
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: mode === 'rename' ? 'qa.tag_renamed' : 'qa.tags_merged',
      targetType: 'tag',
      targetId: to,
      details: { from, to, questions: count },
    })
    return ok({ from, to, questions: count })
  })
}

/** Renames a tag (staff): `to` must be a valid name no tag has yet (else merge). Every question with
 *  the tag carries the new name in its place; one transaction, audited. */
export function renameTag(db: Db, { actor, from, to }: { actor: SessionUser; from: string; to: string }) {
  return change(db, { actor, input: { from, to }, mode: 'rename' })
}

/** Merges tag `from` into tag `into` (staff; both must exist): every question with `from` carries
 *  `into` instead, once, and `from` is gone. One transaction, audited. */
export function mergeTags(db: Db, { actor, from, into }: { actor: SessionUser; from: string; into: string }) {
  return change(db, { actor, input: { from, to: into }, mode: 'merge' })
}

export const TAG_SUGGEST_LIMIT = 8
/** How many tags that match a query are counted before the best are picked: a one-letter query matches
 *  many, and counting each one's questions is what costs. */
const TAG_SUGGEST_CANDIDATES = 200

export type TagSuggestion = { name: string; questions: number }

/** Existing tags for the tag being typed, each with the number of listed questions carrying it: names
 *  that start with it first, then names with a later word that does (`export` finds `csv-export`),
 *  the most used first within each. The query is normalised like the tags field; tags only hidden or
 *  deleted questions carry are left out, as on /tags. */
export async function suggestTags(db: Db, { query }: { query: string }): Promise<TagSuggestion[]> {
  const prefix = normalizeTag(query.slice(0, 4 * MAX_TAG_LENGTH)).slice(0, MAX_TAG_LENGTH)
  if (!prefix) return []
  const rows = await db.execute(sql`
    with candidates as (
      select ${tags.name} as name, starts_with(${tags.name}, ${prefix}) as leading
      from ${tags}
      where starts_with(${tags.name}, ${prefix}) or strpos(${tags.name}, ${`-${prefix}`}) > 0
      order by 2 desc, 1
      limit ${TAG_SUGGEST_CANDIDATES}
    )
    select c.name, count(q.id)::int as questions
    from candidates c
    join ${questions} q on q.tags @> array[c.name]::text[] and q.hidden_at is null and q.deleted_at is null
    group by c.name, c.leading
    order by c.leading desc, count(q.id) desc, c.name
    limit ${TAG_SUGGEST_LIMIT}`)
  return rowsOf<TagSuggestion>(rows).map((row) => ({ name: row.name, questions: Number(row.questions) }))
}
