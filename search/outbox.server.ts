import type { Db } from '#db/client.server.ts'
import { searchOutbox } from '#db/schema/search.ts'
import type { SearchDocType } from './engine.ts'

/** Notes that a document changed, for the search sync to pick up. Call it inside the transaction of
 *  the change, so the index can never miss a committed write. `delete` removes the document (deleted or
 *  hidden content); `upsert` (re)indexes it from the database. */
export async function queueSearchUpdate(
  db: Db,
  docType: SearchDocType,
  docId: number | string,
  op: 'upsert' | 'delete' = 'upsert',
): Promise<void> {
  await db.insert(searchOutbox).values({ docType, docId: String(docId), op })
}
