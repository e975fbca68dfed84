import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fallbackHtml } from './markdown-render.mjs'
import { createWorkerPool, type PoolResult, type WorkerPool } from './worker-pool.server.ts'

// Markdown is rendered off the main thread, in a small pool of worker threads, under a deadline: marked
// takes quadratic time on some inputs (docs/decisions/021-markdown-bounds.md), and no request may wait
// for it, or make others wait, longer than that. The renderer itself is app/lib/markdown-render.mjs.

/** Bump when the rendering changes; `npm run markdown:rerender` then re-renders older rows. */
export const RENDER_VERSION = 4

/** The version stored with the plain-text fallback: older than any renderer, so that the
 *  `markdown.rerender` job (and `npm run markdown:rerender`) render such rows again, with more time. */
export const FALLBACK_RENDER_VERSION = 0

/** The version of a row whose render ran out of time even with REPAIR_DEADLINE_MS: it keeps what it
 *  has, and the job does not try it again until the renderer changes. */
export const GAVE_UP_RENDER_VERSION = -RENDER_VERSION

/** The most time one render gets once a worker has taken it; past it the text is shown as plain text.
 *  A render that does not end costs a request at most RENDER_DEADLINE_MS + RENDER_MARGIN_MS. */
export const RENDER_DEADLINE_MS = 80
export const RENDER_MARGIN_MS = 20

/** The deadline of re-rendering in the background, where no request waits: long legitimate texts
 *  (a 100,000-character article takes marked 100–300 ms on two busy cores) get their full render. */
export const REPAIR_DEADLINE_MS = 2_000

const WORKER_FILE = 'app/lib/markdown-worker.mjs'

/** The worker's module, found from this module's own place: app/lib/ under vite dev and vitest,
 *  build/server/ in production, where this module is bundled and the worker is not. */
function workerFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, WORKER_FILE)
    if (existsSync(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) return join(process.cwd(), WORKER_FILE)
    dir = parent
  }
}

let pool: WorkerPool<string, string> | undefined

function renderPool(): WorkerPool<string, string> {
  pool ??= createWorkerPool<string, string>({
    file: workerFile(),
    // Two renders at a time leave the main thread a core of its own on a two-core machine.
    size: 2,
    deadlineMs: RENDER_DEADLINE_MS,
    // The worker's own stop lands a few milliseconds late (up to 16 ms measured on two busy cores).
    marginMs: RENDER_MARGIN_MS,
    graceMs: 1000,
    maxWaitMs: 1000,
    // Only before the first worker is up: a cold start on a busy machine can take seconds.
    startTimeoutMs: 30_000,
    maxQueue: 256,
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  })
  return pool
}

/** Starts the render workers and resolves once one can render; the server awaits it at boot, so
 *  that a worker that cannot load stops the start instead of turning every post into plain text. */
export function startMarkdownRendering(): Promise<void> {
  return renderPool().ready()
}

export async function stopMarkdownRendering(): Promise<void> {
  const closing = pool
  pool = undefined
  await closing?.close()
}

/** How the pool has fared since it started: renders done, past their deadline, failed, turned away. */
export function markdownRenderStats() {
  return renderPool().stats()
}

export type Rendered = { html: string; complete: boolean }

function why(result: Exclude<PoolResult<string>, { ok: true }>): string {
  const reasons = {
    deadline: 'ran past its deadline',
    error: 'failed',
    busy: 'found the render workers busy',
    unavailable: 'found no render worker',
  }
  return result.reason === 'deadline' || !result.detail
    ? reasons[result.reason]
    : `${reasons[result.reason]} (${result.detail})`
}

/** Renders through the pool; when the render runs out of time, fails or cannot be had, the text is
 *  shown as escaped plain text instead, so the caller always gets safe HTML and never an error. */
export async function renderWithFallback(
  markdown: string,
  { deadlineMs = RENDER_DEADLINE_MS }: { deadlineMs?: number } = {},
): Promise<Rendered> {
  if (markdown.trim() === '') return { html: '', complete: true }
  const result = await renderPool().run(markdown, { deadlineMs })
  if (result.ok) return { html: result.value, complete: true }
  console.warn(
    `markdown: a text of ${markdown.length} characters is shown as plain text: its render ${why(result)} (${deadlineMs} ms)`,
  )
  return { html: fallbackHtml(markdown), complete: false }
}

/** Markdown in, safe HTML out: marked renders and sanitize-html removes anything that could run script,
 *  in a worker thread, within the render deadline (plain text past it). */
export async function renderMarkdown(markdown: string): Promise<string> {
  return (await renderWithFallback(markdown)).html
}

/** The three stored columns of a markdown body: as typed, rendered and sanitized, and the renderer
 *  version that made it (FALLBACK_RENDER_VERSION for plain text, to be rendered again later). */
export async function markdownColumns(bodyMd: string, options: { deadlineMs?: number } = {}) {
  const { html, complete } = await renderWithFallback(bodyMd, options)
  return { bodyMd, bodyHtml: html, renderVersion: complete ? RENDER_VERSION : FALLBACK_RENDER_VERSION }
}

const textEntities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/** Decodes the entities sanitize-html writes, in one pass, so text that reads "&lt;" is not decoded
 *  twice into "<". */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => textEntities[entity] ?? entity)
}

const blockTag = /<\/?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|td|th|pre|blockquote|table)\b[^>]*>/gi

/** The words of stored, already sanitized HTML as plain text, for the search index: block tags become
 *  spaces, so paragraphs and list items do not run together; inline tags (strong, a) just go. Linear:
 *  sanitized HTML has no "<" or ">" outside its tags. */
export function plainText(sanitizedHtml: string): string {
  return decodeEntities(sanitizedHtml.replace(blockTag, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim()
}

/** The first `length` characters of a post as plain text, for lists, previews and emails, from its
 *  stored HTML (`body_html`): reading the HTML takes linear time, parsing the markdown again would not. */
export function plainExcerpt(sanitizedHtml: string, length = 200): string {
  const text = plainText(sanitizedHtml)
  // Counted in code points, so an emoji is never cut in half (a code point is at most two units).
  const chars = Array.from(text.slice(0, 2 * length + 2))
  if (chars.length <= length) return text
  const kept = chars.slice(0, length - 1).join('')
  return `${kept.trimEnd()}…`
}
