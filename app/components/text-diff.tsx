import type { CSSProperties } from 'react'
import type { DiffPart } from '#app/lib/text-diff.ts'

type TextDiffProps = {
  parts: DiffPart[]
  /** Read out before each change ("added:", "removed:"), since screen readers do not announce
   *  <ins> and <del> by themselves. The caller translates them. */
  labels: { added: string; removed: string }
}

/** Hidden on screen, still read aloud (the usual clip pattern, inline so it needs no stylesheet). */
const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
}

/** A revision's changes in reading order: insertions in <ins>, deletions in <del>. The wrapper's
 *  class is where the stylesheet keeps whitespace as typed. */
export function TextDiff({ parts, labels }: TextDiffProps) {
  return (
    <div className="text-diff">
      {parts.map((part, index) => {
        // Parts never move or change once computed, so their position is a stable key.
        const key = `${index}-${part.kind}`
        if (part.kind === 'same') return <span key={key}>{part.text}</span>
        const Change = part.kind === 'added' ? 'ins' : 'del'
        return (
          <Change key={key}>
            <span style={visuallyHidden}>{`${labels[part.kind]} `}</span>
            {part.text}
          </Change>
        )
      })}
    </div>
  )
}
