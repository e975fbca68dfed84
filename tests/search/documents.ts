import { type SearchDocType, type SearchDocument, searchDocId } from '#search/engine.ts'

export type Fields = Partial<Omit<SearchDocument, 'id' | 'type' | 'docId' | 'title'>>

/** A search document with plain defaults, for tests of either engine. */
export function doc(type: SearchDocType, docId: number, title: string, fields: Fields = {}): SearchDocument {
  return {
    id: searchDocId(type, docId),
    type,
    docId,
    locale: 'en',
    title,
    body: '',
    answers: '',
    tags: [],
    category: null,
    url: `/${type}s/${docId}`,
    answerCount: 0,
    accepted: false,
    score: 0,
    startsAt: null,
    restricted: false,
    audienceAccountIds: [],
    audienceTiers: [],
    group: searchDocId(type, docId),
    otherLocales: [],
    translations: '',
    updatedAt: new Date('2030-01-01T00:00:00Z'),
    ...fields,
  }
}
