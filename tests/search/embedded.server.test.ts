import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import { db } from '#tests/db.ts'
import { conformanceSuite } from './conformance.ts'

conformanceSuite('embedded', async () => new EmbeddedSearchEngine(db))
