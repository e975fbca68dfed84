import { useEffect, useRef, useState } from 'react'
import { Prose } from '#app/components/prose.tsx'
import { Highlighted } from '#app/components/search/highlighted.tsx'
import { useT } from '#app/components/translation.tsx'
import type { Suggestion, SuggestionContent } from '#app/domain/support/suggestions.ts'
import './support.css'

/** The ids of the two small forms the suggestion buttons submit (with the `form` attribute, since a
 *  form cannot hold another): "this solved my problem", and "open in a new tab". */
export const SOLVED_FORM_ID = 'support-solved'
export const OPEN_FORM_ID = 'support-open'

const DEBOUNCE_MS = 350

/** Suggestions for the subject as it is typed, asked for after a short pause (each request is recorded
 *  on the attempt); newer typing cancels an older request. Before JavaScript runs, or when the server
 *  sent suggestions with a submit, those are shown. */
export function useContactSuggestions(subject: string, attempt: string, fromServer: Suggestion[] | null) {
  const [state, setState] = useState<{ query: string; suggestions: Suggestion[] } | null>(null)
  const trimmed = subject.trim()
  useEffect(() => {
    if (trimmed.length < 3 || trimmed === state?.query) return
    const controller = new AbortController()
    const timer = setTimeout(async () => {
      try {
        const response = await fetch('/support/suggest', {
          method: 'POST',
          body: new URLSearchParams({ attempt, q: trimmed }),
          signal: controller.signal,
          headers: { Accept: 'application/json' },
        })
        if (!response.ok) return
        const body = (await response.json()) as { suggestions: Suggestion[]; query: string }
        setState({ query: body.query, suggestions: body.suggestions })
      } catch {
        // Cancelled by newer typing, or the network is down: sending the form still shows suggestions.
      }
    }, DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [trimmed, attempt, state?.query])
  return state?.suggestions ?? fromServer ?? []
}

/** The help articles and answered questions that may already solve the request. Each opens in place
 *  (expanded under its title, recorded when JavaScript runs) or in a new tab (recorded by the server),
 *  and has "This solved my problem" beside it. */
export function ContactSuggestions({
  suggestions,
  attempt,
  headingId,
}: {
  suggestions: Suggestion[]
  attempt: string
  headingId: string
}) {
  const { t } = useT()
  return (
    <section className="support-suggestions" aria-labelledby={headingId}>
      <h2 id={headingId} className="support-suggestions-heading">
        {t('support.suggestions.heading')}
      </h2>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {t('support.suggestions.count', { count: suggestions.length })}
      </p>
      {suggestions.length ? (
        <ol className="support-suggestion-list">
          {suggestions.map((suggestion) => (
            <SuggestionItem key={suggestion.doc} suggestion={suggestion} attempt={attempt} />
          ))}
        </ol>
      ) : null}
    </section>
  )
}

function SuggestionItem({ suggestion, attempt }: { suggestion: Suggestion; attempt: string }) {
  const { t } = useT()
  const [content, setContent] = useState<SuggestionContent | null>(null)
  const requested = useRef(false)
  async function onToggle(event: React.SyntheticEvent<HTMLDetailsElement>) {
    if (!event.currentTarget.open || requested.current) return
    requested.current = true
    try {
      const response = await fetch('/support/open', {
        method: 'POST',
        body: new URLSearchParams({ attempt, doc: suggestion.doc, mode: 'inline' }),
        headers: { Accept: 'application/json' },
      })
      if (response.ok) setContent((await response.json()) as SuggestionContent)
    } catch {
      requested.current = false
    }
  }
  return (
    <li className="support-suggestion" lang={suggestion.locale}>
      <details onToggle={onToggle}>
        <summary>
          <span className="badge">{t(`support.suggestions.kind.${suggestion.type}`)}</span>{' '}
          <span className="support-suggestion-title">
            <Highlighted parts={suggestion.titleParts} />
          </span>
          {suggestion.accepted ? (
            <span className="badge badge-answered">{t('support.suggestions.accepted')}</span>
          ) : null}
        </summary>
        <div className="support-suggestion-body">
          {content ? (
            <>
              <Prose html={content.html} />
              {content.answerHtml ? (
                <div className="support-suggestion-answer">
                  <h3>{t('support.suggestions.answer')}</h3>
                  <Prose html={content.answerHtml} />
                </div>
              ) : null}
            </>
          ) : (
            <p>
              <Highlighted parts={suggestion.snippet} />
            </p>
          )}
        </div>
      </details>
      <div className="support-suggestion-actions">
        <button type="submit" form={OPEN_FORM_ID} name="doc" value={suggestion.doc} className="link-button">
          {t('support.suggestions.open_new_tab')}
          <span className="visually-hidden">: {suggestion.title}</span>
        </button>
        <button
          type="submit"
          form={SOLVED_FORM_ID}
          name="doc"
          value={suggestion.doc}
          className="button button-secondary button-small"
        >
          {t('support.suggestions.solved')}
          <span className="visually-hidden">: {suggestion.title}</span>
        </button>
      </div>
    </li>
  )
}
