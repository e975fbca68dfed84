import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type HighlightPart,
  type SearchAudience,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  searchLimits,
} from '#search/engine.ts'
import { doc, type Fields } from './documents.ts'

/** The behaviour every search engine must share, run against each engine by its own test file
 *  (tests/search/*.test.ts). The fixtures are small and hand-made so each case knows exactly which
 *  documents must, and must not, come back. */

/** The clock for `upcoming`: far from the real one, so an engine ignoring `now` fails. */
const now = new Date('2030-06-01T00:00:00Z')

const question = (docId: number, title: string, fields: Fields = {}) => doc('question', docId, title, fields)
const article = (docId: number, title: string, category: string, fields: Fields = {}) =>
  doc('article', docId, title, { category, ...fields })
const event = (docId: number, title: string, category: string, startsAt: string, fields: Fields = {}) =>
  doc('event', docId, title, { category, startsAt: new Date(startsAt), ...fields })

const longBody = `${'We send events to our endpoint every minute and most of them arrive as expected. '.repeat(12)}The ones that fail all hit a gateway timeout after thirty seconds.`

const q = {
  inviteTeam: question(101, 'How do I invite my customer success team?', {
    body: 'We want to add the whole customer success team to our workspace at once.',
    answers: 'Open Settings, then Members, and paste a list of addresses.',
    tags: ['onboarding', 'teams'],
    answerCount: 2,
    accepted: true,
    score: 5,
  }),
  exportReports: question(102, 'Export monthly reports to CSV', {
    body: 'Is there a way to export the monthly reports as spreadsheet files?',
    tags: ['reports', 'export'],
    score: 1,
  }),
  webhookFailures: question(103, 'Webhook deliveries fail without an error', {
    body: longBody,
    answers: 'Check the delivery log in the developer console.',
    tags: ['api', 'webhooks'],
    answerCount: 1,
    score: 2,
  }),
  tokyoStreaming: question(104, '東京オフィスで有料配信を始めるには', {
    locale: 'ja',
    body: '東京の会場から有料配信をしたいのですが、料金の設定はどこでできますか。',
    answers: '管理画面の配信設定から料金を設定できます。',
    tags: ['streaming'],
    answerCount: 1,
    accepted: true,
    score: 3,
  }),
  customerSuccessJa: question(105, 'カスタマーサクセスの担当者を変更したい', {
    locale: 'ja',
    body: '契約中のカスタマーサクセス担当者を変更する手続きを教えてください。',
    tags: ['account'],
  }),
  templates: question(106, 'Where can I find onboarding templates?', {
    body: 'I read the customer success playbook but could not find the templates it mentions.',
    answers: 'They are linked from the resources page.',
    tags: ['onboarding'],
    answerCount: 3,
    accepted: true,
    score: 20,
  }),
  // A pair that differs only by the accepted answer; the unaccepted one has the shorter title and is
  // indexed first, so only the static rank can put the accepted one ahead.
  passkeyLaptop: question(107, 'Passkey login on a shared laptop', {
    body: 'My passkey prompt stopped appearing after an update.',
    answers: 'Try clearing the browser cache and cookies first.',
    answerCount: 1,
    score: 1,
  }),
  passkeyPhone: question(108, 'Passkey login on a replacement phone', {
    body: 'My passkey prompt stopped appearing after an update.',
    answers: 'Remove the old device from your account first.',
    answerCount: 1,
    accepted: true,
    score: 1,
  }),
  sandboxLimits: question(109, 'Sandbox account limits', {
    body: 'How many requests can a sandbox account make per minute?',
  }),
  htmlLike: question(110, 'Can I use <script> tags & inline styles in email templates?', {
    body: 'Our email templates strip <b>bold</b> markup.',
    tags: ['email'],
  }),
}

const a = {
  playbook: article(201, 'Customer success playbook', 'guides', {
    body: 'A playbook for onboarding new customers: kickoff calls, health scores and renewals.',
    tags: ['onboarding'],
    score: 12,
  }),
  invoices: article(202, 'Billing and invoices', 'billing', {
    body: 'Download invoices, change the payment method and read about taxes for each country.',
    tags: ['billing'],
    score: 4,
  }),
  // Kanji only, title and body: no kana to anchor the language.
  nittoCase: article(203, '日東電工様導入事例', 'case-studies', {
    locale: 'ja',
    body: '日東電工株式会社様全社導入。品質管理部門活用方法紹介。',
    score: 2,
  }),
  invoicesJa: article(204, '請求書のダウンロード方法', 'billing', {
    locale: 'ja',
    body: '請求書は管理画面の支払い設定からダウンロードできます。',
    score: 2,
  }),
  sandbox: article(205, 'Using the sandbox', 'developers', {
    body: 'The sandbox lets you try the API without touching live data.',
    score: 1,
  }),
  // A pair that differs only by helpful votes; the unhelpful one has the shorter title and comes first.
  signaturesFaq: article(206, 'Webhook signatures FAQ', 'developers', {
    body: 'How each request is signed and how to verify it on your server.',
    score: -2,
  }),
  signaturesGuide: article(207, 'Webhook signatures reference guide', 'developers', {
    body: 'How each request is signed and how to verify it on your server.',
    score: 15,
  }),
}

const e = {
  webinar: event(301, 'Customer success webinar', 'webinar', '2030-06-10T09:00:00Z', {
    body: 'A live session on renewals and onboarding.',
  }),
  workshop: event(302, 'Reporting workshop', 'workshop', '2030-05-01T09:00:00Z', {
    body: 'Build dashboards from monthly reports.',
  }),
  tokyoMeetup: event(303, '東京ユーザー会', 'meetup', '2030-07-01T10:00:00Z', {
    locale: 'ja',
    body: '東京で開催するユーザー会です。当日は有料配信も行います。',
  }),
  briefing: event(304, 'Partner roadmap briefing', 'briefing', '2030-06-20T09:00:00Z', {
    body: 'Roadmap preview for partners.',
    restricted: true,
    audienceAccountIds: [41],
    audienceTiers: ['high'],
  }),
  officeHours: event(305, 'Sandbox office hours', 'webinar', '2030-06-05T09:00:00Z', {
    body: 'Bring your questions about the sandbox.',
  }),
  hackathon: event(306, 'Sandbox hackathon', 'workshop', '2030-04-10T09:00:00Z', {
    body: 'A day of building on the sandbox.',
  }),
}

const fixtures: SearchDocument[] = [...Object.values(q), ...Object.values(a), ...Object.values(e)]
const visible = fixtures.filter((d) => !d.restricted)
/** Staff find every event, restricted ones included. */
const staff: SearchAudience = { staff: true, accountId: null, tier: null }

function ids(result: SearchResult): string[] {
  return result.hits.map((hit) => hit.id)
}

function idsOf(docs: SearchDocument[]): string[] {
  return docs.map((d) => d.id).sort()
}

function joined(parts: HighlightPart[]): string {
  return parts.map((part) => part.text).join('')
}

function matched(parts: HighlightPart[]): string[] {
  return parts.filter((part) => part.match).map((part) => part.text)
}

function hitOf(result: SearchResult, d: SearchDocument): SearchHit {
  const hit = result.hits.find((h) => h.id === d.id)
  if (!hit) throw new Error(`${d.id} is not among the hits: ${ids(result).join(', ')}`)
  return hit
}

/** Fails fast instead of hanging the run when an engine blocks (e.g. a search waiting on a rebuild
 *  that holds the database's only connection). */
async function answersWithin<T>(ms: number, what: string, run: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([run(), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Registers the conformance cases for one engine. `makeEngine` runs once, before the cases. */
export function conformanceSuite(name: string, makeEngine: () => Promise<SearchEngine>): void {
  describe(`search engine conformance: ${name}`, () => {
    let engine: SearchEngine
    const search = (text: string, query: Partial<SearchQuery> = {}) =>
      engine.search({ q: text, locale: 'en', limit: searchLimits.maxLimit, now, ...query })

    beforeAll(async () => {
      engine = await makeEngine()
      await engine.reset()
      await engine.upsert(fixtures)
    })

    describe('matching', () => {
      test('the last word is matched as a prefix: "custo" finds "customer"', async () => {
        const found = ids(await search('custo'))
        expect(found).toEqual(expect.arrayContaining([a.playbook.id, q.inviteTeam.id, e.webinar.id]))
        expect(ids(await search('invo'))).toContain(a.invoices.id)
      })

      test('typos: "custmer sucess" finds "customer success", "playbok" finds "playbook"', async () => {
        expect(ids(await search('custmer sucess'))).toEqual(
          expect.arrayContaining([a.playbook.id, q.inviteTeam.id, e.webinar.id]),
        )
        expect(ids(await search('playbok'))).toContain(a.playbook.id)
      })

      test('a word that matches nothing returns nothing', async () => {
        const result = await search('xylograph')
        expect(result.hits).toEqual([])
        expect(result.total).toBe(0)
      })

      test('Japanese without spaces: 東京 finds the documents that say 東京, and not 日東電工', async () => {
        const found = ids(await search('東京'))
        expect(found).toEqual(expect.arrayContaining([q.tokyoStreaming.id, e.tokyoMeetup.id]))
        expect(found).not.toContain(a.nittoCase.id)
      })

      test('Japanese compounds and the words inside them: 有料配信, 配信', async () => {
        expect(ids(await search('有料配信'))).toEqual(expect.arrayContaining([q.tokyoStreaming.id, e.tokyoMeetup.id]))
        expect(ids(await search('配信'))).toContain(q.tokyoStreaming.id)
      })

      test('a kanji-only company name: 日東電工 finds its case study first', async () => {
        expect(ids(await search('日東電工'))[0]).toBe(a.nittoCase.id)
      })

      test('kanji-only documents are found by the words in them: 導入事例, 品質管理', async () => {
        expect(ids(await search('導入事例'))).toContain(a.nittoCase.id)
        expect(ids(await search('品質管理'))).toContain(a.nittoCase.id)
      })

      test('katakana: カスタマーサクセス, and the variant without the long-vowel mark カスタマサクセス', async () => {
        expect(ids(await search('カスタマーサクセス'))).toContain(q.customerSuccessJa.id)
        expect(ids(await search('カスタマサクセス'))).toContain(q.customerSuccessJa.id)
      })

      test('English and Japanese content is found from either reader language', async () => {
        expect(ids(await search('東京', { locale: 'en' }))).toContain(q.tokyoStreaming.id)
        expect(ids(await search('東京', { locale: 'ja' }))).toContain(q.tokyoStreaming.id)
        expect(ids(await search('invoices', { locale: 'ja' }))).toContain(a.invoices.id)
        expect(ids(await search('invoices', { locale: 'en' }))).toContain(a.invoices.id)
      })
    })

    describe('ranking', () => {
      test('matching "any": a whole title finds the document sharing most of its words first', async () => {
        const found = ids(await search('Passkey login on a new laptop', { matching: 'any' }))
        expect(found[0]).toBe(q.passkeyLaptop.id)
      })

      test('an exact title match ranks above a document that only mentions the words in its body', async () => {
        // The body-only document has the higher static rank (accepted answer, 20 votes).
        const found = ids(await search('customer success playbook'))
        expect(found[0]).toBe(a.playbook.id)
        expect(found).toContain(q.templates.id)
      })

      test('between equal text matches, the accepted answer comes first', async () => {
        const found = ids(await search('passkey login'))
        expect(found.slice(0, 2)).toEqual([q.passkeyPhone.id, q.passkeyLaptop.id])
      })

      test('between equal text matches, the helpful article comes first', async () => {
        const found = ids(await search('webhook signatures'))
        expect(found.slice(0, 2)).toEqual([a.signaturesGuide.id, a.signaturesFaq.id])
      })

      test('the empty query lists the best first: helpful articles, accepted questions', async () => {
        const articles = ids(await search('', { types: ['article'] }))
        expect(articles[0]).toBe(a.signaturesGuide.id)
        expect(articles.indexOf(a.signaturesGuide.id)).toBeLessThan(articles.indexOf(a.signaturesFaq.id))
        const questions = (await search('', { types: ['question'] })).hits
        expect(questions[0]?.accepted).toBe(true)
      })
    })

    describe('filters', () => {
      test('types: only the kinds asked for', async () => {
        const result = await search('customer', { types: ['article'] })
        expect(ids(result)).toContain(a.playbook.id)
        expect(result.hits.every((hit) => hit.type === 'article')).toBe(true)
        const two = await search('customer', { types: ['article', 'event'] })
        expect(ids(two)).toEqual(expect.arrayContaining([a.playbook.id, e.webinar.id]))
        expect(ids(two)).not.toContain(q.inviteTeam.id)
      })

      test('tags: every listed tag must be on the document', async () => {
        expect(ids(await search('', { filters: { tags: ['onboarding'] } })).sort()).toEqual(
          idsOf([q.inviteTeam, q.templates, a.playbook]),
        )
        expect(ids(await search('', { filters: { tags: ['onboarding', 'teams'] } }))).toEqual([q.inviteTeam.id])
        expect(ids(await search('', { filters: { tags: ['onboarding', 'nothing-has-this'] } }))).toEqual([])
      })

      test('answered: only questions with an accepted answer', async () => {
        const result = await search('', { filters: { answered: true } })
        expect(ids(result).sort()).toEqual(idsOf(visible.filter((d) => d.type === 'question' && d.accepted)))
      })

      test('unanswered: only questions with no answer at all', async () => {
        const result = await search('', { filters: { answered: false } })
        expect(ids(result).sort()).toEqual(idsOf(visible.filter((d) => d.type === 'question' && d.answerCount === 0)))
        // Answered but not accepted is neither.
        expect(ids(result)).not.toContain(q.webhookFailures.id)
        expect(ids(await search('', { filters: { answered: true } }))).not.toContain(q.webhookFailures.id)
      })

      test('upcoming: only events starting at or after `now`, by the clock given', async () => {
        const upcoming = (at: string) => search('', { filters: { upcoming: true }, now: new Date(at) })
        expect(ids(await upcoming('2030-06-01T00:00:00Z')).sort()).toEqual(
          idsOf([e.webinar, e.tokyoMeetup, e.officeHours]),
        )
        expect(ids(await upcoming('2030-06-07T00:00:00Z')).sort()).toEqual(idsOf([e.webinar, e.tokyoMeetup]))
        expect(ids(await upcoming('2030-04-01T00:00:00Z')).sort()).toEqual(
          idsOf([e.webinar, e.workshop, e.tokyoMeetup, e.officeHours, e.hackathon]),
        )
        // Starting exactly now still counts.
        expect(ids(await upcoming('2030-06-05T09:00:00Z'))).toContain(e.officeHours.id)
      })

      test('locale: only content written in that language', async () => {
        const ja = await search('', { filters: { locale: 'ja' } })
        expect(ids(ja).sort()).toEqual(idsOf(visible.filter((d) => d.locale === 'ja')))
        const en = await search('', { filters: { locale: 'en' }, locale: 'ja' })
        expect(ids(en).sort()).toEqual(idsOf(visible.filter((d) => d.locale === 'en')))
      })

      test('category: the article category or the event kind', async () => {
        expect(ids(await search('', { filters: { category: 'billing' } })).sort()).toEqual(
          idsOf([a.invoices, a.invoicesJa]),
        )
        expect(ids(await search('', { filters: { category: 'webinar' } })).sort()).toEqual(
          idsOf([e.webinar, e.officeHours]),
        )
      })

      test('excludeIds: the listed documents are left out, the rest still found', async () => {
        expect(ids(await search('customer success'))).toContain(a.playbook.id)
        const found = ids(
          await search('customer success', { filters: { excludeIds: [a.playbook.id, 'article:99999'] } }),
        )
        expect(found).not.toContain(a.playbook.id)
        expect(found).toEqual(expect.arrayContaining([q.inviteTeam.id, e.webinar.id]))
      })

      test('restricted events are found only by their audience and staff', async () => {
        expect(ids(await search('roadmap briefing'))).toEqual([])
        expect(ids(await search(''))).not.toContain(e.briefing.id)
        const member = (accountId: number | null, tier: SearchAudience['tier']): SearchAudience => ({
          staff: false,
          accountId,
          tier,
        })
        const outsiders = [member(null, null), member(7, 'low'), member(42, 'tech'), member(null, 'low')]
        const upcoming = (audience: SearchAudience) =>
          search('', { types: ['event'], filters: { upcoming: true, audience } })
        const othersUpcoming = (await upcoming(member(null, null))).facets.type.event
        for (const audience of outsiders) {
          expect(ids(await search('roadmap briefing', { filters: { audience } }))).toEqual([])
          const all = await search('', { filters: { audience } })
          expect(ids(all)).not.toContain(e.briefing.id)
          expect(all.total).toBe(visible.length)
          expect((await upcoming(audience)).facets.type.event).toBe(othersUpcoming)
        }
        for (const audience of [member(41, 'tech'), member(7, 'high'), member(null, 'high'), staff]) {
          expect(ids(await search('roadmap briefing', { filters: { audience } }))).toEqual([e.briefing.id])
          const found = await upcoming(audience)
          expect(ids(found)).toContain(e.briefing.id)
          expect(found.facets.type.event).toBe(othersUpcoming + 1)
        }
      })

      test('the empty query returns everything the filters allow', async () => {
        const all = await search('')
        expect(all.total).toBe(visible.length)
        expect(ids(all).sort()).toEqual(idsOf(visible))
        const events = await search('', { types: ['event'] })
        expect(ids(events).sort()).toEqual(idsOf(visible.filter((d) => d.type === 'event')))
        expect(events.total).toBe(visible.filter((d) => d.type === 'event').length)
        const everything = await search('', { filters: { audience: staff } })
        expect(everything.total).toBe(fixtures.length)
      })
    })

    describe('results', () => {
      test('hits have the SearchHit shape and the document fields', async () => {
        const result = await search('reporting workshop')
        const hit = hitOf(result, e.workshop)
        expect(Object.keys(hit).sort()).toEqual(
          [
            'accepted',
            'answerCount',
            'category',
            'docId',
            'highlights',
            'id',
            'locale',
            'otherLocales',
            'score',
            'startsAt',
            'tags',
            'title',
            'type',
            'url',
          ].sort(),
        )
        const { id, type, docId, locale, title, url, tags, category, answerCount, accepted, score } = e.workshop
        expect(hit).toMatchObject({ id, type, docId, locale, title, url, tags, category, answerCount, accepted, score })
        expect(hit.startsAt).toBeInstanceOf(Date)
        expect(hit.startsAt?.getTime()).toBe(e.workshop.startsAt?.getTime())
        expect(typeof result.tookMs).toBe('number')

        const qHit = hitOf(await search('invite customer success team'), q.inviteTeam)
        expect(qHit).toMatchObject({ answerCount: 2, accepted: true, score: 5, tags: ['onboarding', 'teams'] })
        expect(qHit.startsAt).toBeNull()
        expect(qHit.category).toBeNull()
      })

      test('highlights: the matched word is marked in the title and the snippet; the title is whole', async () => {
        const hit = hitOf(await search('invoices'), a.invoices)
        expect(joined(hit.highlights.title)).toBe(a.invoices.title)
        expect(matched(hit.highlights.title).map((t) => t.toLowerCase())).toEqual(['invoices'])
        expect(hit.highlights.title.filter((p) => !p.match).some((p) => /invoices/i.test(p.text))).toBe(false)
        expect(matched(hit.highlights.snippet).map((t) => t.toLowerCase())).toContain('invoices')
      })

      test('highlights are plain text: markup in content comes back as written, never escaped or parsed', async () => {
        const hit = hitOf(await search('script tags'), q.htmlLike)
        expect(joined(hit.highlights.title)).toBe(q.htmlLike.title)
        expect(matched(hit.highlights.title).map((t) => t.toLowerCase())).toContain('script')
        expect(joined(hit.highlights.snippet)).toContain('<b>bold</b>')
      })

      test('Japanese highlights mark the matched words inside unspaced text', async () => {
        const hit = hitOf(await search('有料配信'), q.tokyoStreaming)
        expect(joined(hit.highlights.title)).toBe(q.tokyoStreaming.title)
        const marked = matched(hit.highlights.title).join('')
        expect(marked).toContain('有料')
        expect(marked).toContain('配信')
        expect(marked).not.toContain('東京')
        expect(matched(hit.highlights.snippet).join('')).toContain('配信')
      })

      test('the snippet is a window around the first match of a long body', async () => {
        const hit = hitOf(await search('gateway timeout'), q.webhookFailures)
        const text = joined(hit.highlights.snippet)
        expect(matched(hit.highlights.snippet).map((t) => t.toLowerCase())).toContain('timeout')
        expect(text.length).toBeLessThan(320)
        expect(text.startsWith('We send events')).toBe(false)
      })

      test('the snippet comes from the answers when only they match', async () => {
        const hit = hitOf(await search('resources page'), q.templates)
        expect(matched(hit.highlights.snippet).map((t) => t.toLowerCase())).toContain('resources')
      })

      test('with no match in the body, the snippet is the start of the body', async () => {
        const hit = hitOf(await search('billing'), a.invoices)
        expect(matched(hit.highlights.snippet)).toEqual([])
        expect(joined(hit.highlights.snippet).startsWith('Download invoices')).toBe(true)
      })

      test('facets count every kind with every other filter; the kind filter applies to hits only', async () => {
        const events = await search('sandbox', { types: ['event'] })
        expect(ids(events).sort()).toEqual(idsOf([e.officeHours, e.hackathon]))
        expect(events.total).toBe(2)
        expect(events.facets.type).toEqual({ question: 1, article: 1, event: 2 })

        const everything = await search('sandbox')
        expect(everything.total).toBe(4)
        expect(everything.facets.type).toEqual({ question: 1, article: 1, event: 2 })

        const upcoming = await search('sandbox', { filters: { upcoming: true } })
        expect(ids(upcoming)).toEqual([e.officeHours.id])
        expect(upcoming.facets.type).toEqual({ question: 0, article: 0, event: 1 })

        const unanswered = await search('sandbox', { filters: { answered: false }, types: ['article'] })
        expect(unanswered.hits).toEqual([])
        expect(unanswered.total).toBe(0)
        expect(unanswered.facets.type).toEqual({ question: 1, article: 0, event: 0 })
      })

      test('pagination: pages do not overlap and follow one order; the total is the same on each', async () => {
        const first = await search('', { limit: 4, offset: 0 })
        const second = await search('', { limit: 4, offset: 4 })
        const both = await search('', { limit: 8, offset: 0 })
        expect(first.hits).toHaveLength(4)
        expect(second.hits).toHaveLength(4)
        expect([...ids(first), ...ids(second)]).toEqual(ids(both))
        expect(new Set([...ids(first), ...ids(second)]).size).toBe(8)
        expect(second.total).toBe(first.total)
        const past = await search('', { limit: 4, offset: 1000 })
        expect(past.hits).toEqual([])
        expect(past.total).toBe(visible.length)
      })

      test('the limit defaults to 10', async () => {
        const result = await engine.search({ q: '', locale: 'en', now })
        expect(result.hits).toHaveLength(searchLimits.defaultLimit)
        expect(result.total).toBe(visible.length)
      })
    })

    describe('translation groups', () => {
      // An article and its translation: one group. Each carries the other's words (`translations`),
      // so either is found by words of both; the search returns one of them, in the reader's language.
      const jaText = { title: '契約を解約する', body: '解約は契約ページからいつでも申し込めます。' }
      const enText = { title: 'Cancel your contract', body: 'Open the contract page and choose Cancel at any time.' }
      const group = 'article-group:401'
      const cancelJa = article(401, jaText.title, 'billing', {
        locale: 'ja',
        body: jaText.body,
        group,
        otherLocales: ['en'],
        translations: `${enText.title}\n\n${enText.body}`,
        score: 3,
      })
      const cancelEn = article(402, enText.title, 'billing', {
        body: enText.body,
        group,
        otherLocales: ['ja'],
        translations: `${jaText.title}\n\n${jaText.body}`,
        score: 1,
      })
      const groupIds = [cancelJa.id, cancelEn.id]

      beforeAll(async () => {
        await engine.upsert([cancelJa, cancelEn])
      })
      afterAll(async () => {
        await engine.remove(groupIds)
      })

      const groupHits = (result: SearchResult) => ids(result).filter((id) => groupIds.includes(id))

      test('one hit per group, in the reader’s language', async () => {
        expect(groupHits(await search('cancel contract', { locale: 'en' }))).toEqual([cancelEn.id])
        expect(groupHits(await search('cancel contract', { locale: 'ja' }))).toEqual([cancelJa.id])
        expect(groupHits(await search('解約', { locale: 'ja' }))).toEqual([cancelJa.id])
        expect(groupHits(await search('解約', { locale: 'en' }))).toEqual([cancelEn.id])
        // The empty query lists the group once too.
        expect(groupHits(await search('', { locale: 'en', types: ['article'] }))).toEqual([cancelEn.id])
      })

      test('a version is found by the words of the other version', async () => {
        // Only the Japanese version says 解約, only the English one says "cancel": each reader still gets
        // the version in their language.
        expect(ids(await search('解約', { locale: 'en' }))).toContain(cancelEn.id)
        expect(ids(await search('cancel', { locale: 'ja' }))).toContain(cancelJa.id)
        // Its own words rank it where they would anyway: the English title still finds the English
        // version first for an English reader.
        expect(ids(await search('cancel your contract', { locale: 'en' }))[0]).toBe(cancelEn.id)
      })

      test('the locale filter applies before the group is chosen', async () => {
        expect(groupHits(await search('cancel contract', { locale: 'ja', filters: { locale: 'en' } }))).toEqual([
          cancelEn.id,
        ])
        expect(groupHits(await search('cancel contract', { locale: 'en', filters: { locale: 'ja' } }))).toEqual([
          cancelJa.id,
        ])
      })

      test('the hit names the languages of the group’s other versions; a hit without versions names none', async () => {
        expect(hitOf(await search('cancel contract', { locale: 'en' }), cancelEn).otherLocales).toEqual(['ja'])
        expect(hitOf(await search('解約', { locale: 'ja' }), cancelJa).otherLocales).toEqual(['en'])
        expect(hitOf(await search('invoices'), a.invoices).otherLocales).toEqual([])
      })

      test('totals and facets count a group once', async () => {
        const found = await search('cancel contract', { locale: 'en' })
        expect(found.total).toBe(1)
        expect(found.facets.type).toEqual({ question: 0, article: 1, event: 0 })
        const articles = fixtures.filter((d) => d.type === 'article').length
        const all = await search('', { locale: 'ja', types: ['article'] })
        expect(all.total).toBe(articles + 1)
        expect(all.facets.type.article).toBe(articles + 1)
        expect(groupHits(all)).toEqual([cancelJa.id])
      })
    })

    describe('analysis: kana, okurigana, stems, empty queries, synonyms, snippets', () => {
      // Own documents, removed afterwards; the synonyms are set for this block only.
      const kana = article(501, 'ヘルススコアの見方', 'guides', {
        locale: 'ja',
        body: 'ヘルススコアは顧客アカウントの状態を表す指標です。',
      })
      const webinar = event(502, 'ウェビナーの録画を公開しました', 'webinar', '2030-06-15T09:00:00Z', {
        locale: 'ja',
        body: '過去のウェビナーは録画で見られます。',
      })
      const users = article(503, 'ユーザー管理の基本', 'guides', { locale: 'ja', body: 'ユーザーの追加と削除。' })
      const belongings = event(504, 'ハンズオン研修のご案内', 'workshop', '2030-06-20T09:00:00Z', {
        locale: 'ja',
        body: '持ち物はノート PC です。',
      })
      const applyLong = question(505, '申し込みを取り消したい', {
        locale: 'ja',
        body: '研修の申し込みを取り消す方法。',
      })
      const applyShort = question(506, '申込みの締め切りはいつですか', { locale: 'ja', body: '研修の締め切りの確認。' })
      const exportExact = question(507, 'Exporting audit logs', { body: 'Exporting takes a minute.' })
      // The stem-only match has the higher static rank: only the exact word can put the other first.
      const exportStem = article(508, 'Export audit logs', 'guides', { body: 'Each export is a file.', score: 10 })
      const rateLimit = article(509, 'Upload rate limit', 'developers', { body: 'At most 100 files per hour.' })
      const cancelJa = article(510, '契約の解約手続き', 'billing', { locale: 'ja', body: '管理画面から申請できます。' })
      const cancelEn = question(511, 'Can I cancel the contract early?', { body: 'Our yearly contract ends in May.' })
      const ssoJa = article(512, 'シングルサインオンの設定', 'security', {
        locale: 'ja',
        body: 'ID プロバイダーと連携します。',
      })
      const ssoEn = question(513, 'SSO login loops back to the start page', {
        body: 'The redirect lands on the start.',
      })
      const okta = article(514, 'Connect Okta', 'security', { body: 'Create an app in Okta and paste its metadata.' })
      const idp = article(515, 'Identity providers (IdP) overview', 'security', {
        body: 'Which IdP features we support.',
      })
      // One bigram short of the synonym's Japanese alternative (シングルサインオン).
      const ssoCut = question(517, 'シングルサインオ', { locale: 'ja', body: '途中で切れたタイトル。' })
      const centred = question(516, 'Slow uploads', {
        body: `${'Uploads go through the edge and the storage layer before they show. '.repeat(6)}Some fail with a quokka error after thirty seconds. ${'Retries happen in the background and take a few minutes each. '.repeat(6)}`,
      })
      // Over 32 words start with "zqx": too many to list, the prefix stays a prefix.
      const crowded = question(518, 'Crowded prefixes', {
        body: Array.from({ length: 40 }, (_, i) => `zqx${String.fromCharCode(97 + (i % 26))}${i}word`).join(' '),
      })
      const own = [
        crowded,
        kana,
        webinar,
        users,
        belongings,
        applyLong,
        applyShort,
        exportExact,
        exportStem,
        rateLimit,
        cancelJa,
        cancelEn,
        ssoJa,
        ssoEn,
        okta,
        idp,
        centred,
        ssoCut,
      ]
      const synonyms = {
        'cancel contract': ['解約'],
        解約: ['cancel contract'],
        sso: ['シングルサインオン'],
        シングルサインオン: ['sso'],
        idp: ['okta'],
      }

      beforeAll(async () => {
        await engine.upsert(own)
        await engine.setSynonyms(synonyms)
      })
      afterAll(async () => {
        await engine.setSynonyms({})
        await engine.remove(own.map((d) => d.id))
      })

      test('kana: hiragana typed for a katakana word finds it, and the particle rule does not eat it', async () => {
        const hit = hitOf(await search('へるすすこあ', { locale: 'ja' }), kana)
        expect(matched(hit.highlights.title)).toEqual(['ヘルススコア'])
        expect(ids(await search('へるすすこあの見方', { locale: 'ja' }))).toContain(kana.id)
        // Particles typed in hiragana between words still do not have to match.
        expect(ids(await search('ウェビナーの録画', { locale: 'ja' }))).toContain(webinar.id)
      })

      test('small kana, long-vowel marks and half-width kana: ウエビナー, ウェビナ, ｳｪﾋﾞﾅｰ, ユーザ', async () => {
        for (const text of ['ウエビナー', 'ウェビナ', 'ｳｪﾋﾞﾅｰ', 'うぇびなー']) {
          const hit = hitOf(await search(text, { locale: 'ja' }), webinar)
          expect(matched(hit.highlights.title), text).toEqual(['ウェビナー'])
        }
        expect(ids(await search('ユーザ', { locale: 'ja' }))).toContain(users.id)
      })

      test('okurigana: 持物 finds 持ち物; 申込み finds 申し込み and 申し込み finds 申込み', async () => {
        const hit = hitOf(await search('持物', { locale: 'ja' }), belongings)
        expect(matched(hit.highlights.snippet)).toContain('持ち物')
        expect(ids(await search('申込み', { locale: 'ja' }))).toEqual(
          expect.arrayContaining([applyLong.id, applyShort.id]),
        )
        expect(ids(await search('申し込み', { locale: 'ja' }))).toEqual(
          expect.arrayContaining([applyLong.id, applyShort.id]),
        )
      })

      test('stemming: "exporting" finds "export", the exact word first; "limiting" finds "limit"', async () => {
        const found = ids(await search('exporting audit logs'))
        expect(found).toEqual(expect.arrayContaining([exportExact.id, exportStem.id]))
        expect(found.indexOf(exportExact.id)).toBeLessThan(found.indexOf(exportStem.id))
        const hit = hitOf(await search('exporting audit logs'), exportStem)
        expect(matched(hit.highlights.title).map((t) => t.toLowerCase())).toEqual(['export', 'audit', 'logs'])
        expect(ids(await search('limiting'))).toContain(rateLimit.id)
      })

      test('a typo correction never replaces a word whose stem is indexed: "exporting" is not "reporting"', async () => {
        const found = ids(await search('exporting'))
        expect(found).toEqual(expect.arrayContaining([q.exportReports.id, exportExact.id, exportStem.id]))
        expect(found).not.toContain(e.workshop.id)
        // A word nothing is indexed under still gets its corrections.
        expect(ids(await search('exportng'))).toContain(exportExact.id)
      })

      test('a query that analyses to nothing finds nothing; the empty query still lists everything', async () => {
        for (const text of ['!!!', '？', '・・・', ' - ']) {
          const result = await search(text)
          expect(result.hits, text).toEqual([])
          expect(result.total, text).toBe(0)
        }
        expect((await search('')).total).toBeGreaterThan(own.length)
      })

      test('synonyms, two-way, between an English phrase and a Japanese word: cancel contract ↔ 解約', async () => {
        expect(ids(await search('cancel contract'))).toEqual(expect.arrayContaining([cancelEn.id, cancelJa.id]))
        expect(ids(await search('解約', { locale: 'ja' }))).toEqual(expect.arrayContaining([cancelJa.id, cancelEn.id]))
        // The Japanese key inside a longer query word.
        expect(ids(await search('解約したい', { locale: 'ja' }))).toContain(cancelEn.id)
      })

      test('synonyms, two-way, between a word and katakana: sso ↔ シングルサインオン', async () => {
        expect(ids(await search('sso'))).toEqual(expect.arrayContaining([ssoEn.id, ssoJa.id]))
        expect(ids(await search('シングルサインオン', { locale: 'ja' }))).toEqual(
          expect.arrayContaining([ssoJa.id, ssoEn.id]),
        )
      })

      test("a synonym's alternative is matched as staff wrote it, not with a character missing", async () => {
        const found = ids(await search('sso'))
        expect(found).toContain(ssoJa.id)
        expect(found).not.toContain(ssoCut.id)
      })

      test('synonyms, one-way: idp also finds okta; okta does not find idp', async () => {
        expect(ids(await search('idp'))).toEqual(expect.arrayContaining([idp.id, okta.id]))
        const found = ids(await search('okta'))
        expect(found).toContain(okta.id)
        expect(found).not.toContain(idp.id)
      })

      test('setSynonyms replaces every synonym', async () => {
        await engine.setSynonyms({ idp: ['okta'] })
        try {
          expect(ids(await search('sso'))).not.toContain(ssoJa.id)
          expect(ids(await search('idp'))).toContain(okta.id)
        } finally {
          await engine.setSynonyms(synonyms)
        }
      })

      test('the word being typed matches every word it may become, however many there are', async () => {
        // A few completions, listed as words: "quok" is "quokka".
        expect(ids(await search('quok'))).toContain(centred.id)
        expect(ids(await search('slow quok'))).toContain(centred.id)
        // Too many to list.
        const hit = hitOf(await search('zqx'), crowded)
        expect(matched(hit.highlights.snippet).length).toBeGreaterThan(1)
        expect(ids(await search('crowded zqxa'))).toContain(crowded.id)
        // A finished word (a space after it) is not a prefix.
        expect(ids(await search('quok '))).not.toContain(centred.id)
      })

      test('the snippet is centred on the match, not started just before it', async () => {
        const parts = hitOf(await search('quokka'), centred).highlights.snippet
        const text = joined(parts)
        const at = text.toLowerCase().indexOf('quokka')
        expect(at).toBeGreaterThan(text.length * 0.25)
        expect(at).toBeLessThan(text.length * 0.75)
      })
    })

    describe('word rules both engines share: any word, stop words, fallbacks, counts, query syntax, languages', () => {
      // Own documents, removed afterwards (docs/decisions/046-meilisearch-adapter.md: each case is a
      // way the Meilisearch adapter once answered differently).
      const rare = question(701, 'Zanzibar import fails with error -1', { body: 'The zanzibar importer stops.' })
      const large = question(702, 'Import fails for large spreadsheets', { body: 'Files over 10 MB stop halfway.' })
      const errorOne = question(703, 'Error 1 during import', { body: 'Error 1 shows after the upload.' })
      const portal = question(704, 'Customer portal login', { body: 'The portal asks for a password twice.' })
      const ssoJa = question(705, 'SSO エラー', { locale: 'ja', score: 2 })
      const ssoEn = question(706, 'SSO error', { score: 1 })
      const tagged = article(707, 'Rollout checklist', 'guides', { tags: ['導入支援'], body: 'Steps for a rollout.' })
      const notes = article(708, 'Importer notes', 'guides', { body: 'What the importer writes to its log.' })
      const own = [rare, large, errorOne, portal, ssoJa, ssoEn, tagged, notes]

      beforeAll(async () => {
        await engine.upsert(own)
      })
      afterAll(async () => {
        await engine.remove(own.map((d) => d.id))
      })

      test('matching "any": a title whose rarest word only the excluded document has still finds the others', async () => {
        const found = ids(
          await search('Zanzibar import fails with error -1', { matching: 'any', filters: { excludeIds: [rare.id] } }),
        )
        expect(found).not.toContain(rare.id)
        expect(found).toEqual(expect.arrayContaining([large.id, errorOne.id]))
        // "error", "1" and "import": the most words shared, so first.
        expect(found[0]).toBe(errorOne.id)
      })

      test('stop words are not required: "how do I export reports" is about exporting reports', async () => {
        const found = ids(await search('how do I export reports'))
        expect(found[0]).toBe(q.exportReports.id)
        expect(found).not.toContain(q.inviteTeam.id)
      })

      test('stop words are not marked when the query has other words; alone, they are', async () => {
        const hit = hitOf(await search('how do I export the reports'), q.exportReports)
        const marked = [...matched(hit.highlights.title), ...matched(hit.highlights.snippet)].map((t) =>
          t.toLowerCase(),
        )
        expect(marked).toEqual(expect.arrayContaining(['export', 'reports']))
        expect(marked).not.toContain('the')
        const alone = hitOf(await search('the'), q.exportReports)
        expect(matched(alone.highlights.snippet).map((t) => t.toLowerCase())).toContain('the')
      })

      test('when no document has every word, those with most of them come first, counted as such', async () => {
        // Two words in one question, one word ("zanzibar", "spreadsheet") in others.
        const result = await search('zanzibar spreadsheets halfway')
        expect(ids(result)[0]).toBe(large.id)
        expect(ids(result)).toEqual(expect.arrayContaining([rare.id, q.exportReports.id]))
        expect(result.total).toBe(ids(result).length)
        expect(result.facets.type).toEqual({ question: result.total, article: 0, event: 0 })
        // Decided over the kinds asked for: a question has both words, no article has, so for articles
        // the search falls back to any word; over every kind it does not.
        expect(ids(await search('zanzibar importer'))).not.toContain(notes.id)
        const articles = await search('zanzibar importer', { types: ['article'] })
        expect(ids(articles)).toEqual([notes.id])
        expect(articles.total).toBe(1)
      })

      test('a typo in a short first word: the documents with the other words are returned', async () => {
        const result = await search('tesm playbook')
        expect(ids(result)).toContain(a.playbook.id)
        expect(result.total).toBeGreaterThan(0)
      })

      test('totals and facets count the documents with every word, not those with some of them', async () => {
        const result = await search('customer success')
        const every = [q.inviteTeam, q.templates, a.playbook, e.webinar]
        expect(ids(result).sort()).toEqual(idsOf(every))
        expect(result.total).toBe(every.length)
        expect(result.facets.type).toEqual({ question: 2, article: 1, event: 1 })
        expect(ids(result)).not.toContain(portal.id)
      })

      test('quotes and minus signs are text, not query syntax', async () => {
        // A quote would start a phrase ("fails import" next to each other, in that order).
        expect(ids(await search('"fails import'))).toContain(large.id)
        // A minus would exclude every document with the word after it.
        expect(ids(await search('error -1'))).toContain(errorOne.id)
        expect(ids(await search('import -fails'))).toEqual(expect.arrayContaining([large.id, rare.id]))
      })

      test("a Japanese title match does not outrank an English one: the reader's language breaks the tie", async () => {
        // The Japanese question has the (slightly) higher static rank.
        const en = ids(await search('sso', { locale: 'en' }))
        expect(en.indexOf(ssoEn.id)).toBeLessThan(en.indexOf(ssoJa.id))
        const ja = ids(await search('sso', { locale: 'ja' }))
        expect(ja.indexOf(ssoJa.id)).toBeLessThan(ja.indexOf(ssoEn.id))
        expect(ja.indexOf(ssoEn.id)).toBeGreaterThan(-1)
      })

      test('a kanji-only tag is read as Japanese: 導入支援 finds its document by 支援', async () => {
        expect(ids(await search('支援', { locale: 'ja' }))).toContain(tagged.id)
        expect(ids(await search('導入支援'))).toContain(tagged.id)
      })

      test('a rebuilt index keeps the synonyms', async () => {
        await engine.setSynonyms({ tanganyika: ['zanzibar'] })
        try {
          expect(ids(await search('tanganyika'))).toEqual([rare.id])
          async function* batches() {
            yield [...fixtures, ...own]
          }
          await engine.rebuild(batches(), fixtures.length + own.length)
          expect(ids(await search('tanganyika'))).toEqual([rare.id])
        } finally {
          await engine.setSynonyms({})
        }
      })
    })

    describe('changes', () => {
      test('removed documents are not returned; removing unknown ids is fine', async () => {
        const temp = question(901, 'Zephyrine gateway migration', { body: 'Moving the zephyrine cluster.' })
        await engine.upsert([temp])
        try {
          expect(ids(await search('zephyrine'))).toEqual([temp.id])
          await engine.remove([temp.id, 'question:987654', 'article:987654'])
          const after = await search('zephyrine')
          expect(after.hits).toEqual([])
          expect(after.total).toBe(0)
          await engine.remove([temp.id])
          await engine.remove([])
        } finally {
          await engine.remove([temp.id])
        }
      })

      test('upsert replaces by id and is idempotent: the new title is found, the old one is not', async () => {
        const before = article(902, 'Quokka migration checklist', 'guides', { body: 'Steps for moving a workspace.' })
        const after = { ...before, title: 'Wombat migration checklist', tags: ['migration'] }
        await engine.upsert([before])
        try {
          expect(ids(await search('quokka'))).toEqual([before.id])
          await engine.upsert([after])
          await engine.upsert([after])
          expect(ids(await search('quokka'))).toEqual([])
          const found = await search('wombat')
          expect(ids(found)).toEqual([after.id])
          expect(found.hits[0]).toMatchObject({ title: after.title, tags: ['migration'] })
          expect((await search('migration checklist')).total).toBe(1)
        } finally {
          await engine.remove([before.id])
        }
      })

      test('rebuild swaps in a complete new index; documents not in the batches are gone', async () => {
        const added = article(950, 'Xylophone tuning guide', 'guides', { body: 'Tune each bar by ear.' })
        const dropped = e.workshop
        // The new document comes last, so the count seen midway is the previous index's.
        const docs = [...fixtures.filter((d) => d.id !== dropped.id), added]
        const progress: [number, number][] = []
        const seenMidway: string[][] = []
        async function* batches() {
          for (let i = 0; i < docs.length; i += 5) {
            // Searches during the build still find every document of the previous index (the one left
            // out included) until the new index takes its place.
            if (i > 0) {
              seenMidway.push(
                await answersWithin(5_000, 'a search during rebuild()', async () => [
                  ...ids(await search('dashboards')),
                  String((await search('', { filters: { audience: staff } })).total),
                ]),
              )
            }
            yield docs.slice(i, i + 5)
          }
        }
        const count = await engine.rebuild(batches(), docs.length, (indexed, total) => progress.push([indexed, total]))
        expect(count).toBe(docs.length)
        expect(progress.at(-1)).toEqual([docs.length, docs.length])
        expect(seenMidway.length).toBeGreaterThan(0)
        for (const seen of seenMidway) expect(seen).toEqual([dropped.id, String(fixtures.length)])

        expect(ids(await search('dashboards'))).toEqual([])
        expect(ids(await search('xylophone'))).toEqual([added.id])
        expect(ids(await search('customer success playbook'))[0]).toBe(a.playbook.id)
        expect((await search('', { filters: { audience: staff } })).total).toBe(docs.length)
      })

      test('reset empties the index', async () => {
        await engine.reset()
        const result = await search('', { filters: { audience: staff } })
        expect(result.hits).toEqual([])
        expect(result.total).toBe(0)
      })
    })

    describe('reset and synonyms', () => {
      test('reset removes the synonyms too', async () => {
        const ja = article(601, 'シングルサインオンの設定', 'security', { locale: 'ja' })
        await engine.setSynonyms({ sso: ['シングルサインオン'] })
        await engine.upsert([ja])
        expect(ids(await search('sso'))).toEqual([ja.id])
        await engine.reset()
        await engine.upsert([ja])
        try {
          expect(ids(await search('sso'))).toEqual([])
        } finally {
          await engine.reset()
        }
      })
    })
  })
}
