import { desc, eq, sql } from 'drizzle-orm'
import { recordAudit } from '#app/domain/identity/audit.server.ts'
import { can, type SessionUser } from '#app/domain/identity/permissions.ts'
import { fail, type Outcome, ok } from '#app/lib/outcome.ts'
import type { Db } from '#db/client.server.ts'
import { users } from '#db/schema/identity.ts'
import { searchSynonyms } from '#db/schema/search.ts'
import { activeSearchEngine } from '#search/active.server.ts'
import type { SearchEngine, SynonymMap } from '#search/engine.ts'
import { normalizeQuery } from '#search/text.ts'
import { type SynonymForm, synonymLimits } from './schemas.ts'
import type { SynonymRule } from './types.ts'

// Synonyms staff manage at /search/insights (docs/decisions/045). The rules in `search_synonyms` are
// the truth; the engine holds an expanded copy (`SynonymMap`), replaced whole after every change and at
// start. Changes take an advisory lock, so two staff saving at once take turns: no rule is stored twice,
// the cap holds, and the engine receives the maps in the order the changes were made.

/** Names "synonym rules" among the advisory locks. */
const SYNONYMS_LOCK = 7_245_050

type RuleShape = Pick<SynonymRule, 'terms' | 'oneWay'>

/** Separators staff type between terms: commas (ASCII, full-width, Japanese) and line breaks. */
const SEPARATORS = /[,，、\r\n]+/u

/** The terms of a rule as typed, split and normalised as queries are, or the reason they cannot be a
 *  rule: fewer than two or more than ten terms, a term longer than 60 characters, a term twice. */
export function parseSynonymTerms(text: string): Outcome<string[]> {
  const terms = text
    .split(SEPARATORS)
    .map(normalizeQuery)
    .filter((term) => term.length > 0)
  const field = 'terms'
  if (terms.length < synonymLimits.minTerms) return fail(400, 'search.synonyms.errors.not_enough_terms', { field })
  if (terms.length > synonymLimits.maxTerms) {
    return fail(400, 'search.synonyms.errors.too_many_terms', { field, params: { max: synonymLimits.maxTerms } })
  }
  const long = terms.find((term) => [...term].length > synonymLimits.maxTermLength)
  if (long) {
    return fail(400, 'search.synonyms.errors.term_too_long', {
      field,
      params: { term: `${[...long].slice(0, 20).join('')}…`, max: synonymLimits.maxTermLength },
    })
  }
  const twice = terms.find((term, index) => terms.indexOf(term) !== index)
  if (twice) return fail(400, 'search.synonyms.errors.duplicate_term', { field, params: { term: twice } })
  return ok(terms)
}

/** The map both engines take: a two-way rule maps every term to the others, a one-way rule its first
 *  term to the rest. A term in several rules finds the alternatives of each, once, in rule order. */
export function expandSynonyms(rules: RuleShape[]): SynonymMap {
  const map = new Map<string, string[]>()
  const add = (term: string, alternatives: string[]) => {
    const list = map.get(term) ?? []
    for (const alternative of alternatives)
      if (alternative !== term && !list.includes(alternative)) list.push(alternative)
    map.set(term, list)
  }
  for (const { terms, oneWay } of rules) {
    const sources = oneWay ? terms.slice(0, 1) : terms
    for (const source of sources) add(source, terms)
  }
  return Object.fromEntries([...map].filter(([, alternatives]) => alternatives.length > 0))
}

/** Two rules are the same when they go the same way between the same terms (in any order, but for
 *  a one-way rule's first term). */
function ruleKey({ terms, oneWay }: RuleShape): string {
  const [first, ...rest] = terms
  return oneWay
    ? `one-way\u0000${first}\u0000${rest.sort().join('\u0000')}`
    : `two-way\u0000${[...terms].sort().join('\u0000')}`
}

async function storedRules(db: Db): Promise<(RuleShape & { id: number })[]> {
  return db
    .select({ id: searchSynonyms.id, terms: searchSynonyms.terms, oneWay: searchSynonyms.oneWay })
    .from(searchSynonyms)
    .orderBy(searchSynonyms.id)
}

/** The synonyms the engine should hold: every stored rule, expanded. */
export async function synonymMap(db: Db): Promise<SynonymMap> {
  return expandSynonyms(await storedRules(db))
}

/** Every rule, newest first, with who made it (staff with `search.insights`). */
export async function listSynonyms(db: Db, { actor }: { actor: SessionUser }): Promise<Outcome<SynonymRule[]>> {
  if (!can(actor, 'search.insights')) return fail(403, 'errors.forbidden')
  const rows = await db
    .select({
      id: searchSynonyms.id,
      terms: searchSynonyms.terms,
      oneWay: searchSynonyms.oneWay,
      createdAt: searchSynonyms.createdAt,
      createdByName: users.displayName,
    })
    .from(searchSynonyms)
    .leftJoin(users, eq(users.id, searchSynonyms.createdBy))
    .orderBy(desc(searchSynonyms.id))
  return ok(rows)
}

/** Thrown inside a change's transaction when the engine refuses the new map, so the change is undone. */
class EngineRefused extends Error {}

/** Runs a change under the lock and hands the engine the new map before the commit: a change the engine
 *  did not take is rolled back and answered with a 503, so the rules and what searches use never part. */
async function changeSynonyms<T>(db: Db, change: (tx: Db) => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SYNONYMS_LOCK})`)
      const outcome = await change(tx)
      if (!outcome.ok) return outcome
      const map = await synonymMap(tx)
      try {
        await activeSearchEngine(tx).setSynonyms(map)
      } catch (error) {
        throw new EngineRefused('the search engine refused the synonyms', { cause: error })
      }
      return outcome
    })
  } catch (error) {
    if (!(error instanceof EngineRefused)) throw error
    console.error('[search] synonyms not applied', error.cause)
    return fail(503, 'search.synonyms.errors.engine')
  }
}

/** Adds a rule (staff with `search.insights`), audited. Refused: terms that cannot be a rule (see
 *  `parseSynonymTerms`), the same rule again (409, also when two staff add it at once), more than
 *  500 rules (409). */
export async function addSynonym(
  db: Db,
  { actor, input }: { actor: SessionUser; input: SynonymForm },
): Promise<Outcome<{ id: number; terms: string[]; oneWay: boolean }>> {
  if (!can(actor, 'search.insights')) return fail(403, 'errors.forbidden')
  const terms = parseSynonymTerms(input.terms)
  if (!terms.ok) return terms
  const rule = { terms: terms.value, oneWay: input.direction === 'one-way' }
  return changeSynonyms(db, async (tx) => {
    const existing = await storedRules(tx)
    if (existing.length >= synonymLimits.maxRules) {
      return fail(409, 'search.synonyms.errors.too_many_rules', { params: { max: synonymLimits.maxRules } })
    }
    const key = ruleKey(rule)
    if (existing.some((other) => ruleKey(other) === key)) {
      return fail(409, 'search.synonyms.errors.rule_exists', { field: 'terms' })
    }
    const [row] = await tx
      .insert(searchSynonyms)
      .values({ ...rule, createdBy: actor.id })
      .returning({ id: searchSynonyms.id })
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'search.synonym_added',
      targetType: 'search_synonym',
      targetId: row!.id,
      details: rule,
    })
    return ok({ id: row!.id, ...rule })
  })
}

/** Deletes a rule (staff with `search.insights`), audited; one already gone is a 404. */
export async function deleteSynonym(
  db: Db,
  { actor, id }: { actor: SessionUser; id: number },
): Promise<Outcome<{ id: number }>> {
  if (!can(actor, 'search.insights')) return fail(403, 'errors.forbidden')
  return changeSynonyms(db, async (tx) => {
    const [gone] = await tx
      .delete(searchSynonyms)
      .where(eq(searchSynonyms.id, id))
      .returning({ terms: searchSynonyms.terms, oneWay: searchSynonyms.oneWay })
    if (!gone) return fail(404, 'search.synonyms.errors.not_found')
    await recordAudit(tx, {
      actorUserId: actor.id,
      action: 'search.synonym_deleted',
      targetType: 'search_synonym',
      targetId: id,
      details: gone,
    })
    return ok({ id })
  })
}

/** Hands the engine the stored synonyms at start: Meilisearch may have lost them (a new server, an index
 *  rebuilt elsewhere). An engine that cannot be reached does not stop the start; it is logged. */
export async function applySynonymsAtStart(db: Db, engine: SearchEngine = activeSearchEngine(db)): Promise<void> {
  try {
    await engine.setSynonyms(await synonymMap(db))
  } catch (error) {
    console.error('[search] could not apply the synonyms at start', error)
  }
}
