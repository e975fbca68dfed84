import { randomUUID } from 'node:crypto'
import { Meilisearch } from 'meilisearch'
import { afterAll, describe } from 'vitest'
import { MeilisearchEngine } from '#search/meilisearch.server.ts'
import { conformanceSuite } from './conformance.ts'

// The suite needs no database, so one project runs it; the other reports it as not run.
const host = process.env.MEILI_URL
const apiKey = process.env.MEILI_KEY
const prefix = `conformance_${randomUUID().replaceAll('-', '').slice(0, 12)}`

if (process.env.TEST_DRIVER !== 'pglite') {
  describe.skip('Meilisearch conformance suite NOT RUN here: it runs in the pglite project', () => {
    conformanceSuite(
      'meilisearch',
      async () => new MeilisearchEngine({ host: host ?? '', apiKey, indexPrefix: prefix }),
    )
  })
} else if (!host) {
  // No Meilisearch server can be installed on CI machines: say so, and report the suite as skipped.
  console.info('Meilisearch conformance suite NOT RUN: MEILI_URL is unset')
  describe.skip('Meilisearch conformance suite NOT RUN: MEILI_URL is unset', () => {
    conformanceSuite('meilisearch', async () => new MeilisearchEngine({ host: '', indexPrefix: prefix }))
  })
} else {
  conformanceSuite('meilisearch', async () => new MeilisearchEngine({ host, apiKey, indexPrefix: prefix }))

  // Every index this run made: the live one and any build left by a failed rebuild.
  afterAll(async () => {
    const client = new Meilisearch({ host, apiKey })
    const { results } = await client.getRawIndexes({ limit: 1000 })
    for (const { uid } of results) {
      if (uid === prefix || uid.startsWith(`${prefix}_`)) await client.deleteIndex(uid).waitTask()
    }
  })
}
