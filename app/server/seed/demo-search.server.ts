import type { Db } from '#db/client.server.ts'
import { searchSynonyms } from '#db/schema/search.ts'

/** Synonyms a CS team would add first (/search/insights): what customers type for the same thing in
 *  both languages. Stored normalised, as staff rules are; the engine gets them at start
 *  (`applySynonymsAtStart`). */
export const demoSynonyms = [
  // Customers say 解約 in Japanese, and "cancel" in English in more than one way.
  { terms: ['解約', 'cancel contract', 'cancel subscription'], oneWay: false },
  { terms: ['sso', 'シングルサインオン', 'single sign-on'], oneWay: false },
  // One-way: asking for an identity provider also finds the named ones; a search for Okta stays about Okta.
  { terms: ['idp', 'okta', 'entra id', 'azure ad'], oneWay: true },
] as const

export async function seedDemoSynonyms(db: Db, { staffId }: { staffId: number }): Promise<void> {
  await db
    .insert(searchSynonyms)
    .values(demoSynonyms.map((rule) => ({ terms: [...rule.terms], oneWay: rule.oneWay, createdBy: staffId })))
}
