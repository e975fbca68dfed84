import type { Locale } from '#app/lib/i18n.ts'
import type { HighlightPart } from '#search/engine.ts'

// What the contact flow shows before a request is sent: a plain module, so components may use it.

export type Suggestion = {
  /** The search document id: `article:3`, `question:12`. */
  doc: string
  type: 'article' | 'question'
  title: string
  url: string
  snippet: HighlightPart[]
  titleParts: HighlightPart[]
  /** Questions: an answer was accepted. */
  accepted: boolean
  locale: Locale
}

/** A suggestion opened in place: its readable content. */
export type SuggestionContent = { doc: string; title: string; url: string; html: string; answerHtml: string | null }
