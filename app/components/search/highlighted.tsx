import { Fragment } from 'react'
import type { HighlightPart } from '#search/engine.ts'

/** Highlighted text from the search engine: matched parts in <mark>, everything as text (React
 *  escapes it), so a document can never inject markup into the results. */
export function Highlighted({ parts }: { parts: readonly HighlightPart[] }) {
  return (
    <>
      {parts.map((part, index) =>
        part.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts are a fixed sequence, never reordered
          <mark key={index}>{part.text}</mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts are a fixed sequence, never reordered
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  )
}
