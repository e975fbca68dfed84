import { expect, test } from 'vitest'
import { visitorViewer } from '#app/domain/events/audience.ts'
import type { SearchDocument } from './engine.ts'
import { audienceFilter, filterClauses, toMeiliDoc } from './meilisearch.server.ts'

// No Meilisearch server runs in CI (tests/search/meilisearch.server.test.ts reports its suite as not
// run), so what the adapter sends for audiences is checked here: the stored fields and the filter.

const briefing: SearchDocument = {
  id: 'event:304',
  type: 'event',
  docId: 304,
  locale: 'en',
  title: 'Partner roadmap briefing',
  body: 'Roadmap preview for partners.',
  answers: '',
  tags: [],
  category: 'webinar',
  url: '/events/304',
  answerCount: 0,
  accepted: false,
  score: 0,
  startsAt: new Date('2030-06-20T09:00:00Z'),
  restricted: true,
  audienceAccountIds: [41],
  audienceTiers: ['high'],
  group: 'event:304',
  otherLocales: [],
  translations: '',
  updatedAt: new Date('2030-01-01T00:00:00Z'),
}

test('a restricted event is stored with its audience, which the index can filter on', () => {
  expect(toMeiliDoc(briefing)).toMatchObject({ restricted: true, audienceAccountIds: [41], audienceTiers: ['high'] })
})

test('the audience filter: unrestricted documents, or those listing the account or the tier; none for staff', () => {
  expect(audienceFilter()).toBe('restricted = false')
  expect(audienceFilter(visitorViewer)).toBe('restricted = false')
  expect(audienceFilter({ staff: false, accountId: 41, tier: 'tech' })).toBe(
    '(restricted = false OR audienceAccountIds = 41 OR audienceTiers = "tech")',
  )
  expect(audienceFilter({ staff: false, accountId: null, tier: 'high' })).toBe(
    '(restricted = false OR audienceTiers = "high")',
  )
  expect(audienceFilter({ staff: true, accountId: null, tier: null })).toBeNull()

  const now = new Date('2030-06-01T00:00:00Z')
  expect(filterClauses({ q: '', locale: 'en' }, now)).toEqual(['restricted = false'])
  expect(
    filterClauses(
      { q: '', locale: 'en', filters: { upcoming: true, audience: { staff: false, accountId: 7, tier: 'low' } } },
      now,
    ),
  ).toEqual([
    '(restricted = false OR audienceAccountIds = 7 OR audienceTiers = "low")',
    `type = event AND startsAt >= ${now.getTime()}`,
  ])
  expect(
    filterClauses({ q: '', locale: 'en', filters: { audience: { staff: true, accountId: null, tier: null } } }, now),
  ).toEqual([])
})
