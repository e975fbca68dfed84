import { and, inArray, isNull, sql } from 'drizzle-orm'
import { type Db, rowsOf } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { linkMentionsInHtml } from './mention-links.ts'
import { MENTION_MAX_CHARS, mentionCandidates, normalizeName } from './mentions.ts'

/** More "@" than this in one post are not looked at: it bounds the size of the lookup query. */
const MAX_MENTIONS_READ = 30

/** Every candidate name of the text's mentions (at most MAX_MENTIONS_READ of them) that names an
 *  active user: the user's id, or null when several active users share the name. One query. */
export async function resolveMentionNames(db: Db, text: string): Promise<Map<string, number | null>> {
  const names = [...new Set(mentionCandidates(text).slice(0, MAX_MENTIONS_READ).flat())]
  const resolved = new Map<string, number | null>()
  if (names.length === 0) return resolved
  // The same normalisation as mentionCandidates (NFKC, then lower case), applied to stored names.
  const normalized = sql<string>`lower(normalize(${users.displayName}, NFKC))`
  const rows = await db
    .select({ id: users.id, name: normalized })
    .from(users)
    .where(and(inArray(normalized, names), isNull(users.disabledAt)))
  for (const row of rows) resolved.set(row.name, resolved.has(row.name) ? null : row.id)
  return resolved
}

/** The active users a text mentions, in order of first mention, each once. One query looks up every
 *  candidate name at once; each mention then takes its longest candidate that names a user.
 *  A name shared by several active users is ambiguous: that mention notifies none of them (and does
 *  not fall back to a shorter name), because guessing would tell the wrong person. Disabled users
 *  are not looked up, so they neither receive mentions nor make a name ambiguous. */
export async function findMentionedUsers(db: Db, text: string): Promise<number[]> {
  const mentions = mentionCandidates(text).slice(0, MAX_MENTIONS_READ)
  const byName = await resolveMentionNames(db, text)
  const found: number[] = []
  for (const candidates of mentions) {
    const longest = [...candidates].reverse().find((name) => byName.has(name))
    const id = longest ? byName.get(longest) : null
    if (id != null && !found.includes(id)) found.push(id)
  }
  return found
}

/** A post's stored columns with its mentions linked to the profiles of the users they name (the same
 *  users a mention notifies: active, and not sharing the name with another active user), so readers
 *  see links and the re-render keeps them. Reads the users once; writes nothing. */
export async function withMentionLinks<T extends { bodyMd: string; bodyHtml: string }>(db: Db, columns: T): Promise<T> {
  if (!columns.bodyHtml.includes('@')) return columns
  const names = await resolveMentionNames(db, columns.bodyMd)
  return { ...columns, bodyHtml: linkMentionsInHtml(columns.bodyHtml, names) }
}

/** The tables whose stored HTML links mentions, for the markdown re-render: a re-rendered question or
 *  answer keeps its links. */
export const mentionLinkedTables = { questions: withMentionLinks, answers: withMentionLinks }

/** The longest name prefix a suggestion lookup reads: a mention's name is at most this long. */
export const SUGGEST_QUERY_MAX = MENTION_MAX_CHARS
export const SUGGEST_LIMIT = 8

export type MentionSuggestion = { id: number; name: string; avatarUpdatedAt: Date | null }

/** Who "@" + `query` may mention, for the editor's suggestions: active users whose display name
 *  starts with the query (after the mention's NFKC and lower-case normalisation), at most 8, the exact
 *  name first, then shorter names. A name shared by several active users is left out, since its
 *  mention would link and notify nobody; so is the viewer. An empty query finds nobody. */
export async function suggestMentions(
  db: Db,
  { viewer, query }: { viewer: { id: number }; query: string },
): Promise<MentionSuggestion[]> {
  const prefix = Array.from(normalizeName(query.trim())).slice(0, SUGGEST_QUERY_MAX).join('')
  if (!prefix) return []
  const rows = await db.execute(sql`
    select id, display_name as name, avatar_updated_at as "avatarUpdatedAt" from (
      select id, display_name, avatar_updated_at, name, count(*) over (partition by name) as sharing
      from (
        select ${users.id} as id, ${users.displayName} as display_name, ${users.avatarUpdatedAt} as avatar_updated_at,
          lower(normalize(${users.displayName}, NFKC)) as name
        from ${users}
        where ${users.disabledAt} is null
      ) active
      where starts_with(name, ${prefix})
    ) found
    where sharing = 1 and id <> ${viewer.id}
    order by name = ${prefix} desc, char_length(name), name, id
    limit ${SUGGEST_LIMIT}`)
  return rowsOf<{ id: number; name: string; avatarUpdatedAt: Date | string | null }>(rows).map((row) => ({
    id: Number(row.id),
    name: row.name,
    avatarUpdatedAt: row.avatarUpdatedAt ? new Date(row.avatarUpdatedAt) : null,
  }))
}
