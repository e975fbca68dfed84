import type { HighlightPart, SearchDocType, SearchLocale } from '#search/engine.ts'

/** One suggestion of the header search box, as /search/suggest sends it. */
export type Suggestion = { id: string; type: SearchDocType; locale: SearchLocale; title: HighlightPart[]; url: string }

export type SuggestResponse = { q: string; hits: Suggestion[]; error?: string }

/** How many results the header box suggests. */
export const SUGGESTIONS = 6
