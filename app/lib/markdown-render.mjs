// The markdown renderer itself: marked, sanitize-html and their configuration, the nesting cap and the
// plain-text fallback. Plain JavaScript, because it runs in the render workers
// (app/lib/markdown-worker.mjs), which plain `node` starts without a TypeScript loader in production;
// app/lib/markdown.server.ts imports the same module for the fallback, so both use one configuration.
import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

/** Container depth (blockquotes and list items, together) kept as written; markers past it are
 *  escaped and read as text. marked recurses once per level and overflows the stack at a few thousand. */
export const MAX_NESTING = 16

const marked = new Marked({ gfm: true, breaks: false, async: false })

/** What survives sanitizing: the markdown vocabulary and a few harmless inline tags, plus nothing
 *  that can run or load code. Links may point to http(s), mailto or a path on this site; images
 *  only to absolute http(s) URLs or to an upload of this site (`/uploads/<id>/<name>`, nothing else
 *  relative: any other path would make every reader's browser request a URL of this site that the
 *  author chose). No element keeps a style, id or event attribute.
 *  @type {import('sanitize-html').IOptions} */
const sanitizeOptions = {
  allowedTags: [
    'p',
    'div',
    'span',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'pre',
    'code',
    'kbd',
    'samp',
    'em',
    'strong',
    'b',
    'i',
    'u',
    'small',
    'abbr',
    'del',
    's',
    'sub',
    'sup',
    'mark',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'details',
    'summary',
    'input',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    abbr: ['title'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    code: ['class'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { code: [/^language-[\w+#-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // User links must not pass reputation or reach window.opener.
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'nofollow ugc noopener noreferrer' },
    }),
    img: (tagName, { src, ...attribs }) => ({
      tagName,
      attribs: { ...attribs, ...(src && (isAbsoluteHttp(src) || isUploadPath(src)) ? { src } : {}), loading: 'lazy' },
    }),
    // Task-list boxes show state; readers cannot tick someone else's post.
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: '' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
}

/** @param {string} url */
function isAbsoluteHttp(url) {
  return /^https?:\/\/[^/\\]/i.test(url.trim())
}

/** An uploaded file's address as the editor writes it: the 22-character id, then a name of letters,
 *  digits, `.`, `-`, `_` and percent-escapes, optionally `?size=full`.
 *  @param {string} url */
export function isUploadPath(url) {
  return /^\/uploads\/[A-Za-z0-9_-]{22}\/(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2}){1,300}(?:\?size=full)?$/.test(url)
}

/** Markdown in, safe HTML out: the nesting cap, then marked renders and sanitize-html removes anything
 *  that could run script. Its time is not bounded; the server calls it only inside a render worker.
 *  @param {string} markdown
 *  @returns {string} */
export function renderHtml(markdown) {
  return sanitizeHtml(/** @type {string} */ (marked.parse(capNesting(markdown))), sanitizeOptions)
}

/** @type {Record<string, string>} */
const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

/** What a reader sees when rendering failed or ran out of time: the text as typed, escaped, in
 *  paragraphs at blank lines and with its line breaks. Linear in the input and safe by construction.
 *  @param {string} markdown
 *  @returns {string} */
export function fallbackHtml(markdown) {
  return markdown
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map(
      (paragraph) =>
        `<p>${paragraph
          .replace(/\0/g, '\uFFFD')
          .replace(/[&<>"]/g, (char) => escapes[char] ?? char)
          .replace(/[ \t]*\n/g, '<br />\n')}</p>\n`,
    )
    .join('')
}

/** The column after `text[from]`, a tab advancing to the next multiple of 4 as CommonMark counts it.
 *  @param {string} char @param {number} column */
function advance(char, column) {
  return char === '\t' ? column + 4 - (column % 4) : column + 1
}

/** @param {string | undefined} char */
function isSpaceOrEnd(char) {
  return char === undefined || char === ' ' || char === '\t' || char === '\r'
}

/** Whether the rest of the line from `start` is a thematic break made of `char` (`- - -`, `***`),
 *  which CommonMark reads before a list item.
 *  @param {string} line @param {number} start @param {string} char */
function isThematicBreak(line, start, char) {
  let count = 0
  for (let i = start; i < line.length; i++) {
    const c = line[i]
    if (c === char) count++
    else if (c !== ' ' && c !== '\t' && c !== '\r') return false
  }
  return count >= 3
}

/** An opening code fence at `start`: its character and length, or null.
 *  @param {string} line @param {number} start */
function fenceAt(line, start) {
  const char = line[start]
  if (char !== '`' && char !== '~') return null
  let end = start
  while (line[end] === char) end++
  return end - start >= 3 ? { char, length: end - start } : null
}

/** Caps the depth of containers, blockquotes and list items together, at `maxDepth`: the marker that
 *  would open one more is escaped (`\>`, `\-`, `1\.`) so it reads as text. One pass over the lines,
 *  following CommonMark's container rules closely enough to count depth through `>`, list markers
 *  and the indentation that continues a list item, and to leave fenced and indented code alone. Where
 *  it is unsure it counts more, never less; a document within the cap comes back as it was.
 *  @param {string} markdown
 *  @param {number} [maxDepth]
 *  @returns {string} */
export function capNesting(markdown, maxDepth = MAX_NESTING) {
  const lines = markdown.split('\n')
  /** Open containers, outermost first: a blockquote, or a list item with the column its content starts at.
   *  @type {({ quote: true } | { quote: false, column: number })[]} */
  const stack = []
  /** @type {{ char: string, length: number, depth: number } | null} */
  let fence = null
  let paragraph = false
  let changed = false
  for (let index = 0; index < lines.length; index++) {
    const line = /** @type {string} */ (lines[index])
    let last = line.length - 1
    while (last >= 0 && (line[last] === ' ' || line[last] === '\t' || line[last] === '\r')) last--
    let pos = 0
    let column = 0
    /** Skips spaces and tabs from the current position, without moving it. */
    const skip = (limit = Number.POSITIVE_INFINITY) => {
      let p = pos
      let c = column
      while (p <= last && (line[p] === ' ' || line[p] === '\t') && c < limit)
        c = advance(/** @type {string} */ (line[p++]), c)
      return { p, c }
    }

    // Which open containers this line continues.
    let matched = 0
    for (; matched < stack.length; matched++) {
      const container = /** @type {(typeof stack)[number]} */ (stack[matched])
      if (container.quote) {
        const { p, c } = skip()
        if (c - column > 3 || line[p] !== '>') break
        pos = p + 1
        column = c + 1
        if (line[pos] === ' ' || line[pos] === '\t') column = advance(/** @type {string} */ (line[pos++]), column)
      } else {
        const { p, c } = skip(container.column)
        if (p > last) {
          pos = p
          column = c
          continue
        }
        if (c < container.column) break
        pos = p
        column = c
      }
    }

    if (fence) {
      if (matched >= fence.depth) {
        const { p, c } = skip()
        const closing = c - column < 4 ? fenceAt(line, p) : null
        if (closing && closing.char === fence.char && closing.length >= fence.length) {
          let q = p + closing.length
          while (q <= last && (line[q] === ' ' || line[q] === '\t')) q++
          if (q > last) fence = null
        }
        continue
      }
      fence = null
    }

    // The containers this line opens.
    let opened = false
    let depth = matched
    for (;;) {
      const { p, c } = skip()
      if (p > last || c - column >= 4) break
      const char = line[p]
      let marker = -1
      let end = p + 1
      if (char === '>') marker = p
      else if ((char === '-' || char === '*' || char === '+') && isSpaceOrEnd(line[p + 1])) {
        if (char !== '+' && isThematicBreak(line, p, char)) break
        marker = p
      } else if (char !== undefined && char >= '0' && char <= '9') {
        let q = p
        while (
          q - p < 9 &&
          line[q] !== undefined &&
          /** @type {string} */ (line[q]) >= '0' &&
          /** @type {string} */ (line[q]) <= '9'
        )
          q++
        if ((line[q] === '.' || line[q] === ')') && isSpaceOrEnd(line[q + 1])) {
          marker = q
          end = q + 1
        }
      }
      if (marker < 0) break
      if (depth >= maxDepth) {
        lines[index] = `${line.slice(0, marker)}\\${line.slice(marker)}`
        changed = true
        break
      }
      if (!opened) stack.length = matched
      opened = true
      depth++
      let after = c + (end - p)
      pos = end
      if (char === '>') {
        if (line[pos] === ' ' || line[pos] === '\t') after = advance(/** @type {string} */ (line[pos++]), after)
        column = after
        stack.push({ quote: true })
        continue
      }
      // A list item's content starts after the marker and 1–4 spaces; with more, or none before the
      // end of the line, one column after the marker.
      let q = pos
      let spaced = after
      while (q <= last && (line[q] === ' ' || line[q] === '\t') && spaced - after < 5)
        spaced = advance(/** @type {string} */ (line[q++]), spaced)
      if (q > last || spaced - after > 4) {
        column = after + 1
        pos = Math.min(pos + 1, line.length)
      } else {
        column = spaced
        pos = q
      }
      stack.push({ quote: false, column })
    }

    const { p, c } = skip()
    const blank = p > last
    if (!opened) {
      // A blank line ends the blockquotes it does not continue; a line of text that continues none of
      // them may be a lazy continuation of the paragraph before, which keeps them open.
      if (blank || !paragraph) stack.length = matched
    }
    if (blank) {
      paragraph = false
    } else if (c - column >= 4 && !paragraph) {
      // Indented code.
    } else {
      const opening = c - column < 4 ? fenceAt(line, p) : null
      if (opening) {
        fence = { ...opening, depth: stack.length }
        paragraph = false
      } else {
        paragraph = line[p] !== '#'
      }
    }
  }
  return changed ? lines.join('\n') : markdown
}
