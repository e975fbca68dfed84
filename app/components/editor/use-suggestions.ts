import { useEffect, useRef } from 'react'

/** How long after the last keystroke suggestions are asked for. */
const SUGGEST_DELAY_MS = 150

/** An input event this soon after a key press is typing: suggestion lists open on what a person types,
 *  not on text set all at once (a paste, autofill, a restored draft, a script). */
export const TYPED_WITHIN_MS = 1000

/** Suggestions from one of the app's JSON endpoints (`/users/suggest`, `/tags/suggest`) for what is
 *  being typed: asked shortly after typing stops, a newer URL aborting the request before it; `url`
 *  null (nothing typed) or an error or being offline gives none. `pick` reads the list out of the
 *  answer; `onResult` receives it. */
export function useSuggestions<T>(
  url: string | null,
  pick: (body: unknown) => T[],
  onResult: (items: T[]) => void,
): void {
  const latest = useRef({ pick, onResult })
  latest.current = { pick, onResult }
  useEffect(() => {
    if (!url) {
      latest.current.onResult([])
      return
    }
    const controller = new AbortController()
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: 'application/json' } })
        latest.current.onResult(response.ok ? latest.current.pick(await response.json()) : [])
      } catch {
        // Aborted by a newer query, or offline: no suggestions.
      }
    }, SUGGEST_DELAY_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [url])
}
