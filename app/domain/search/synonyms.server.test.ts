import { and, eq } from 'drizzle-orm'
import { beforeEach, expect, test, vi } from 'vitest'
import { demoSynonyms } from '#app/server/seed/demo-search.server.ts'
import { insertStaff, insertUser } from '#app/server/seed/factories/index.ts'
import { auditLog } from '#db/schema/identity.ts'
import { searchSynonyms } from '#db/schema/search.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import type { SearchDocument, SearchEngine } from '#search/engine.ts'
import { db } from '#tests/db.ts'
import { doc } from '#tests/search/documents.ts'
import { SynonymFormSchema, synonymLimits } from './schemas.ts'
import {
  addSynonym,
  applySynonymsAtStart,
  deleteSynonym,
  expandSynonyms,
  listSynonyms,
  parseSynonymTerms,
  synonymMap,
} from './synonyms.server.ts'

const engine = new EmbeddedSearchEngine(db)

beforeEach(async () => {
  await db.delete(searchSynonyms)
  await engine.setSynonyms({})
  vi.restoreAllMocks()
})

const form = (terms: string, direction: 'two-way' | 'one-way' = 'two-way') =>
  SynonymFormSchema.parse({ terms, direction })

function terms(text: string) {
  const outcome = parseSynonymTerms(text)
  if (!outcome.ok) throw new Error(`expected terms, got ${outcome.code}`)
  return outcome.value
}

function refusal(text: string) {
  const outcome = parseSynonymTerms(text)
  return outcome.ok ? null : { code: outcome.code, field: outcome.field, params: outcome.params }
}

async function auditOf(action: string, targetId: number) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, String(targetId))))
}

function article(docId: number, locale: 'en' | 'ja', title: string, body: string): SearchDocument {
  return doc('article', docId, title, { locale, body, category: 'billing', url: `/help/billing/${docId}` })
}

test('terms are split at commas (ASCII, full-width, 、) and line breaks, and normalised as queries are', () => {
  expect(terms('解約, Cancel  Contract\n cancel subscription ')).toEqual([
    '解約',
    'cancel contract',
    'cancel subscription',
  ])
  expect(terms('ＳＳＯ、シングルサインオン，Single Sign-On\r\n\r\n')).toEqual([
    'sso',
    'シングルサインオン',
    'single sign-on',
  ])
  // The bounds themselves are good input: two terms, ten terms, a term of 60 characters.
  expect(terms('a,b')).toEqual(['a', 'b'])
  const ten = Array.from({ length: synonymLimits.maxTerms }, (_, i) => `term${i}`)
  expect(terms(ten.join(','))).toEqual(ten)
  const longest = 'あ'.repeat(synonymLimits.maxTermLength)
  expect(terms(`${longest}, short`)).toEqual([longest, 'short'])
})

test('terms that cannot be a rule are refused with the reason, on the terms field', () => {
  expect(refusal('only one')).toMatchObject({ code: 'search.synonyms.errors.not_enough_terms', field: 'terms' })
  expect(refusal(' , ,\n、')).toMatchObject({ code: 'search.synonyms.errors.not_enough_terms' })
  const eleven = Array.from({ length: synonymLimits.maxTerms + 1 }, (_, i) => `term${i}`).join('\n')
  expect(refusal(eleven)).toMatchObject({ code: 'search.synonyms.errors.too_many_terms', params: { max: 10 } })
  expect(refusal(`${'x'.repeat(61)}, y`)).toMatchObject({
    code: 'search.synonyms.errors.term_too_long',
    params: { max: 60, term: `${'x'.repeat(20)}…` },
  })
  // The same term twice, once it is normalised: case, width and spacing do not make it another.
  expect(refusal('SSO, ＳＳＯ')).toMatchObject({
    code: 'search.synonyms.errors.duplicate_term',
    params: { term: 'sso' },
  })
  expect(refusal('cancel contract, Cancel   Contract, 解約')).toMatchObject({
    code: 'search.synonyms.errors.duplicate_term',
    params: { term: 'cancel contract' },
  })
})

test('expansion: two-way maps each term to the others, one-way only the first; overlapping rules merge', () => {
  expect(expandSynonyms([{ terms: ['解約', 'cancel contract', 'cancel subscription'], oneWay: false }])).toEqual({
    解約: ['cancel contract', 'cancel subscription'],
    'cancel contract': ['解約', 'cancel subscription'],
    'cancel subscription': ['解約', 'cancel contract'],
  })
  expect(expandSynonyms([{ terms: ['idp', 'okta', 'entra id'], oneWay: true }])).toEqual({ idp: ['okta', 'entra id'] })
  expect(
    expandSynonyms([
      { terms: ['sso', 'single sign-on'], oneWay: false },
      { terms: ['sso', 'saml', 'single sign-on'], oneWay: true },
      { terms: ['saml', 'sso'], oneWay: false },
    ]),
  ).toEqual({
    sso: ['single sign-on', 'saml'],
    'single sign-on': ['sso'],
    saml: ['sso'],
  })
  expect(expandSynonyms([])).toEqual({})
})

test('staff add a rule: stored normalised, audited, listed, and the engine finds one term by the other', async () => {
  const staff = await insertStaff(db)
  await engine.upsert([article(7001, 'ja', '契約の解約手続き', '解約は管理画面の契約ページから申し込めます。')])
  expect((await engine.search({ q: 'cancel contract', locale: 'en' })).hits).toEqual([])
  const pushed = vi.spyOn(EmbeddedSearchEngine.prototype, 'setSynonyms')

  const added = await addSynonym(db, { actor: staff, input: form('解約, Cancel Contract\ncancel subscription') })
  expect(added).toEqual({
    ok: true,
    value: { id: expect.any(Number), terms: ['解約', 'cancel contract', 'cancel subscription'], oneWay: false },
  })
  if (!added.ok) return
  expect(pushed).toHaveBeenLastCalledWith(await synonymMap(db))
  expect(await synonymMap(db)).toMatchObject({ 'cancel contract': ['解約', 'cancel subscription'] })
  expect(await auditOf('search.synonym_added', added.value.id)).toMatchObject([
    { actorUserId: staff.id, targetType: 'search_synonym', details: { terms: added.value.terms, oneWay: false } },
  ])
  const listed = await listSynonyms(db, { actor: staff })
  expect(listed.ok && listed.value).toEqual([
    {
      id: added.value.id,
      terms: added.value.terms,
      oneWay: false,
      createdAt: expect.any(Date),
      createdByName: staff.displayName,
    },
  ])
  const found = await engine.search({ q: 'cancel contract', locale: 'en' })
  expect(found.hits.map((hit) => hit.id)).toEqual(['article:7001'])
  await engine.remove(['article:7001'])
})

test('a one-way rule finds the rest from its first term only', async () => {
  const staff = await insertStaff(db)
  await engine.upsert([article(7002, 'en', 'Connect Okta', 'Add the application in your Okta admin console.')])
  const added = await addSynonym(db, { actor: staff, input: form('zxidp, okta', 'one-way') })
  expect(added.ok && added.value.oneWay).toBe(true)
  expect(await synonymMap(db)).toEqual({ zxidp: ['okta'] })
  expect((await engine.search({ q: 'zxidp', locale: 'en' })).hits.map((hit) => hit.id)).toEqual(['article:7002'])
  await engine.remove(['article:7002'])
})

test('bad input and the same rule again change nothing; the other direction is another rule', async () => {
  const staff = await insertStaff(db)
  expect(await addSynonym(db, { actor: staff, input: form('lonely') })).toMatchObject({
    ok: false,
    status: 400,
    code: 'search.synonyms.errors.not_enough_terms',
    field: 'terms',
  })
  expect(await db.select().from(searchSynonyms)).toEqual([])

  expect((await addSynonym(db, { actor: staff, input: form('sso, シングルサインオン, single sign-on') })).ok).toBe(true)
  // The same terms in another order, case or width are the same two-way rule.
  expect(
    await addSynonym(db, { actor: staff, input: form('Single Sign-On\nＳＳＯ\nシングルサインオン') }),
  ).toMatchObject({ ok: false, status: 409, code: 'search.synonyms.errors.rule_exists', field: 'terms' })
  // One-way between the same terms is another rule; the same one-way rule again is not.
  expect(
    (await addSynonym(db, { actor: staff, input: form('sso, single sign-on, シングルサインオン', 'one-way') })).ok,
  ).toBe(true)
  expect(
    await addSynonym(db, { actor: staff, input: form('sso, シングルサインオン, single sign-on', 'one-way') }),
  ).toMatchObject({ status: 409, code: 'search.synonyms.errors.rule_exists' })
  expect(
    (await addSynonym(db, { actor: staff, input: form('シングルサインオン, sso, single sign-on', 'one-way') })).ok,
  ).toBe(true)
  expect(await db.select().from(searchSynonyms)).toHaveLength(3)
})

test('two staff adding the same rule at once store it once; the other is told it exists', async () => {
  const [first, second] = [await insertStaff(db), await insertStaff(db)]
  const outcomes = await Promise.all([
    addSynonym(db, { actor: first, input: form('webhook, callback url') }),
    addSynonym(db, { actor: second, input: form('Callback URL, Webhook') }),
  ])
  expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1)
  expect(outcomes.filter((outcome) => !outcome.ok)).toMatchObject([
    { status: 409, code: 'search.synonyms.errors.rule_exists' },
  ])
  expect(await db.select().from(searchSynonyms)).toHaveLength(1)
  expect(await synonymMap(db)).toEqual({ webhook: ['callback url'], 'callback url': ['webhook'] })
})

test('no more than 500 rules', async () => {
  const staff = await insertStaff(db)
  await db
    .insert(searchSynonyms)
    .values(Array.from({ length: synonymLimits.maxRules - 1 }, (_, i) => ({ terms: [`a${i}`, `b${i}`] })))
  expect((await addSynonym(db, { actor: staff, input: form('last, one') })).ok).toBe(true)
  expect(await addSynonym(db, { actor: staff, input: form('one, too many') })).toMatchObject({
    ok: false,
    status: 409,
    code: 'search.synonyms.errors.too_many_rules',
    params: { max: 500 },
  })
  expect(Object.keys(await synonymMap(db))).toHaveLength(synonymLimits.maxRules * 2)
})

test('staff delete a rule: audited, the engine loses it; deleting it again is a 404', async () => {
  const staff = await insertStaff(db)
  const kept = await addSynonym(db, { actor: staff, input: form('invoice, 請求書') })
  const added = await addSynonym(db, { actor: staff, input: form('export, エクスポート') })
  if (!added.ok || !kept.ok) throw new Error('not added')
  const pushed = vi.spyOn(EmbeddedSearchEngine.prototype, 'setSynonyms')
  expect(await deleteSynonym(db, { actor: staff, id: added.value.id })).toEqual({
    ok: true,
    value: { id: added.value.id },
  })
  expect(pushed).toHaveBeenLastCalledWith({ invoice: ['請求書'], 請求書: ['invoice'] })
  expect(await auditOf('search.synonym_deleted', added.value.id)).toMatchObject([
    { actorUserId: staff.id, details: { terms: ['export', 'エクスポート'], oneWay: false } },
  ])
  expect(await deleteSynonym(db, { actor: staff, id: added.value.id })).toMatchObject({
    ok: false,
    status: 404,
    code: 'search.synonyms.errors.not_found',
  })
  expect(await db.select({ id: searchSynonyms.id }).from(searchSynonyms)).toEqual([{ id: kept.value.id }])
})

test('a change the engine refuses is undone and answered with a 503', async () => {
  const staff = await insertStaff(db)
  const kept = await addSynonym(db, { actor: staff, input: form('refund, 返金') })
  if (!kept.ok) throw new Error('not added')
  vi.spyOn(EmbeddedSearchEngine.prototype, 'setSynonyms').mockRejectedValue(new Error('engine down'))
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  expect(await addSynonym(db, { actor: staff, input: form('plan, プラン') })).toMatchObject({
    ok: false,
    status: 503,
    code: 'search.synonyms.errors.engine',
  })
  expect(await deleteSynonym(db, { actor: staff, id: kept.value.id })).toMatchObject({ status: 503 })
  expect(logged).toHaveBeenCalled()
  const rows = await db.select({ terms: searchSynonyms.terms }).from(searchSynonyms)
  expect(rows).toEqual([{ terms: ['refund', '返金'] }])
  expect(await auditOf('search.synonym_deleted', kept.value.id)).toEqual([])
})

test('only staff with search insights manage synonyms', async () => {
  const member = await insertUser(db)
  expect(await listSynonyms(db, { actor: member })).toMatchObject({ ok: false, status: 403 })
  expect(await addSynonym(db, { actor: member, input: form('a, b') })).toMatchObject({ ok: false, status: 403 })
  expect(await deleteSynonym(db, { actor: member, id: 1 })).toMatchObject({ ok: false, status: 403 })
  expect(await db.select().from(searchSynonyms)).toEqual([])
})

test('at start the engine gets the stored synonyms; an engine that cannot take them is only logged', async () => {
  await db.insert(searchSynonyms).values({ terms: ['sso', 'single sign-on'], oneWay: false })
  const received: unknown[] = []
  const fake = { setSynonyms: async (map: unknown) => void received.push(map) } as unknown as SearchEngine
  await applySynonymsAtStart(db, fake)
  expect(received).toEqual([{ sso: ['single sign-on'], 'single sign-on': ['sso'] }])

  const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
  const down = {
    setSynonyms: async () => {
      throw new Error('connection refused')
    },
  } as unknown as SearchEngine
  await expect(applySynonymsAtStart(db, down)).resolves.toBeUndefined()
  expect(logged).toHaveBeenCalledWith('[search] could not apply the synonyms at start', expect.any(Error))
})

test('the demo synonyms are rules staff could have typed: normalised, within the bounds', () => {
  for (const rule of demoSynonyms) expect(terms(rule.terms.join('\n'))).toEqual(rule.terms)
  expect(expandSynonyms(demoSynonyms.map((rule) => ({ terms: [...rule.terms], oneWay: rule.oneWay })))).toMatchObject({
    'cancel contract': ['解約', 'cancel subscription'],
    シングルサインオン: ['sso', 'single sign-on'],
    idp: ['okta', 'entra id', 'azure ad'],
  })
})
