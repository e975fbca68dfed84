import type { Locale } from '#app/lib/i18n.ts'
import type { Db } from '#db/client.server.ts'
import { activeSearchEngine } from '#search/active.server.ts'
import { searchDocId } from '#search/engine.ts'
import { isMeaningful, parseQuery } from '#search/text.ts'

export type SimilarQuestion = {
  id: number
  title: string
  url: string
  answerCount: number
  accepted: boolean
  score: number
}

/** Questions like `text` (a title being typed), for "similar questions" while asking: the search
 *  engine in `any` mode, so a question sharing some of the words still shows, most shared first.
 *  Search trouble leaves the list empty rather than getting in the way of asking. */
export async function similarQuestions(
  db: Db,
  { text, excludeId, limit = 5, locale = 'en' }: { text: string; excludeId?: number; limit?: number; locale?: Locale },
): Promise<SimilarQuestion[]> {
  if (!parseQuery(text).some(isMeaningful)) return []
  try {
    const { hits } = await activeSearchEngine(db).search({
      q: text,
      types: ['question'],
      matching: 'any',
      locale,
      limit,
      filters: { excludeIds: excludeId ? [searchDocId('question', excludeId)] : undefined },
    })
    return hits.map((hit) => ({
      id: hit.docId,
      title: hit.title,
      url: hit.url,
      answerCount: hit.answerCount,
      accepted: hit.accepted,
      score: hit.score,
    }))
  } catch (error) {
    console.error('[search] similar questions', error)
    return []
  }
}
