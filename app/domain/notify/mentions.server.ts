import { and, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { mentionCandidates } from './mentions.ts'

/** More "@" than this in one post are not looked at: it bounds the size of the lookup query. */
const MAX_MENTIONS_READ = 30

/** The active users a text mentions, in order of first mention, each once. One query looks up every
 *  candidate name at once; each mention then takes its longest candidate that names a user.
 *  A name shared by several active users is ambiguous: that mention notifies none of them (and does
 *  not fall back to a shorter name), because guessing would tell the wrong person. Disabled users
 *  are not looked up, so they neither receive mentions nor make a name ambiguous. */
export async function findMentionedUsers(db: Db, text: string): Promise<number[]> {
  const mentions = mentionCandidates(text).slice(0, MAX_MENTIONS_READ)
  const names = [...new Set(mentions.flat())]
  if (names.length === 0) return []
  // The same normalisation as mentionCandidates (NFKC, then lower case), applied to stored names.
  const normalized = sql<string>`lower(normalize(${users.displayName}, NFKC))`
  const rows = await db
    .select({ id: users.id, name: normalized })
    .from(users)
    .where(and(inArray(normalized, names), isNull(users.disabledAt)))
  const byName = new Map<string, number[]>()
  for (const row of rows) {
    const ids = byName.get(row.name) ?? []
    ids.push(row.id)
    byName.set(row.name, ids)
  }

  const found: number[] = []
  for (const candidates of mentions) {
    const longest = [...candidates].reverse().find((name) => byName.has(name))
    const ids = longest ? byName.get(longest)! : []
    if (ids.length === 1 && !found.includes(ids[0]!)) found.push(ids[0]!)
  }
  return found
}
