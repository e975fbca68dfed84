import { env } from '#app/lib/env.server.ts'
import type { Db } from '#db/client.server.ts'
import { EmbeddedSearchEngine } from './embedded.server.ts'
import type { SearchEngine } from './engine.ts'
import { MeilisearchEngine } from './meilisearch.server.ts'

let meili: MeilisearchEngine | undefined

/** The engine this process searches and indexes with: Meilisearch when MEILI_URL is set, otherwise the
 *  embedded engine on the app's own database. */
export function activeSearchEngine(db: Db): SearchEngine {
  const { MEILI_URL, MEILI_KEY } = env()
  if (!MEILI_URL) return new EmbeddedSearchEngine(db)
  meili ??= new MeilisearchEngine({ host: MEILI_URL, apiKey: MEILI_KEY })
  return meili
}
