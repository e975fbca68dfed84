// Mentions as links: the stored HTML of a post links each "@display name" that names one user to that
// user's profile. The HTML is the sanitizer's output, which has no "<" or ">" outside its tags, so one
// pass over tags and text nodes is linear and cannot open a tag the sanitizer did not allow.
import { userPath } from '#app/lib/paths.ts'
import { mentionSpans } from './mentions.ts'

/** What the lookup found for each candidate name (normalised): the one user it names, or null when
 *  several active users share it (an ambiguous name links nobody, as it notifies nobody). Names that
 *  are not in the map name nobody. */
export type ResolvedNames = ReadonlyMap<string, number | null>

/** Elements whose text is not prose: code, and links (a mention inside a link would nest links). */
const SKIPPED = new Set(['a', 'code', 'pre', 'kbd', 'samp'])

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" }
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => entities[name]!)
}

function escapeText(text: string): string {
  return text.replace(/[&<>"]/g, (c) => escapes[c]!)
}

/** One text node with its mentions linked, or null when it has none that names one user. */
function linkText(raw: string, names: ResolvedNames): string | null {
  if (!raw.includes('@')) return null
  const chars = Array.from(decode(raw))
  let out = ''
  let from = 0
  for (const span of mentionSpans(chars)) {
    if (span.at < from) continue
    // The longest candidate that names anyone decides, as for notifications: an ambiguous one is not
    // replaced by a shorter name.
    const found = [...span.candidates].reverse().find((candidate) => names.has(candidate.name))
    const userId = found ? names.get(found.name) : null
    if (!found || userId == null) continue
    out += escapeText(chars.slice(from, span.at).join(''))
    out += `<a href="${userPath(userId)}" class="mention">${escapeText(chars.slice(span.at, found.end).join(''))}</a>`
    from = found.end
  }
  if (from === 0) return null
  return out + escapeText(chars.slice(from).join(''))
}

/** The sanitized HTML with every mention of a resolved name linked to the user's profile
 *  (`<a href="/users/12" class="mention">@Alice Tanaka</a>`), outside code and existing links. Each
 *  text node is read on its own: its start counts as the start of a line. Text nodes without a
 *  mention are kept byte for byte. */
export function linkMentionsInHtml(html: string, names: ResolvedNames): string {
  if (names.size === 0 || !html.includes('@')) return html
  let skipped = 0
  return html.replace(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|[^<]+/g, (part, closing: string, tag: string | undefined) => {
    if (tag) {
      const name = tag.toLowerCase()
      if (SKIPPED.has(name) && !part.endsWith('/>')) skipped = Math.max(0, skipped + (closing ? -1 : 1))
      return part
    }
    if (skipped > 0 || part.startsWith('<')) return part
    return linkText(part, names) ?? part
  })
}
