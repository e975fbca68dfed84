import type { ReactNode } from 'react'

/** A box a wide table scrolls sideways in, so the page itself never does. It takes focus, so the
 *  keyboard can scroll it too (WCAG 2.1.1), and is a named region, so a screen reader says what the
 *  focus landed on. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (axe scrollable-region-focusable).
    <div className="table-scroll" role="region" tabIndex={0} aria-label={label}>
      {children}
    </div>
  )
}
