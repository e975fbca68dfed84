import { Marked } from 'marked'
import sanitizeHtml from 'sanitize-html'

/** Bump when the rendering below changes; `npm run markdown:rerender` then re-renders older rows. */
export const RENDER_VERSION = 2

const marked = new Marked({ gfm: true, breaks: false, async: false })

/** What survives sanitizing: the markdown vocabulary and a few harmless inline tags, plus nothing
 *  that can run or load code. Links may point to http(s), mailto or a path on this site; images
 *  only to absolute http(s) URLs (a relative image would make every reader's browser request a URL
 *  of this site that the author chose). No element keeps a style, id or event attribute. */
const sanitizeOptions: sanitizeHtml.IOptions = {
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
      attribs: { ...attribs, ...(src && isAbsoluteHttp(src) ? { src } : {}), loading: 'lazy' },
    }),
    // Task-list boxes show state; readers cannot tick someone else's post.
    input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: '' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
}

function isAbsoluteHttp(url: string): boolean {
  return /^https?:\/\/[^/\\]/i.test(url.trim())
}

/** Markdown in, safe HTML out: marked renders, sanitize-html removes anything that could run script. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string
  return sanitizeHtml(html, sanitizeOptions)
}

const textEntities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/** Decodes the entities sanitize-html writes, in one pass, so text that reads "&lt;" is not decoded
 *  twice into "<". */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => textEntities[entity] ?? entity)
}

const blockTag = /<\/?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|td|th|pre|blockquote|table)\b[^>]*>/gi

/** The words of stored, already sanitized HTML as plain text, for the search index: block tags become
 *  spaces, so paragraphs and list items do not run together; inline tags (strong, a) just go. */
export function plainText(sanitizedHtml: string): string {
  return decodeEntities(sanitizedHtml.replace(blockTag, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim()
}

/** The first `length` characters of the post as plain text, for lists, previews and emails. */
export function plainExcerpt(markdown: string, length = 200): string {
  const text = decodeEntities(
    sanitizeHtml(marked.parse(markdown) as string, { allowedTags: [], allowedAttributes: {} }),
  )
    .replace(/\s+/g, ' ')
    .trim()
  // Counted in code points, so an emoji is never cut in half.
  const chars = Array.from(text)
  if (chars.length <= length) return text
  const kept = chars.slice(0, length - 1).join('')
  return `${kept.trimEnd()}…`
}

/** The three stored columns of a markdown body: as typed, rendered and sanitized, and the renderer
 *  version that made it. */
export function markdownColumns(bodyMd: string) {
  return { bodyMd, bodyHtml: renderMarkdown(bodyMd), renderVersion: RENDER_VERSION }
}
