// Markdown rendering, the old way against the new (docs/decisions/021-markdown-bounds.md): render time
// p50/p95/p99 for ordinary posts and for hostile texts, and how late the event loop runs meanwhile.
// - sync: marked and sanitize-html called on the main thread, as renderMarkdown did before (the same
//   renderer module, so the same output; the nesting cap included, or the deep shapes would only throw);
// - workers: renderMarkdown as the app calls it now: a pool of worker threads, the render deadline and
//   the plain-text fallback.
//   npm run bench:markdown
// BENCH_ROUNDS (default 200) renders of each ordinary post; BENCH_HOSTILE_ROUNDS (default 2) of each
// hostile text on the main thread, which takes seconds each, and 10 through the workers. No database,
// no server.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { ARTICLE_BODY_MAX } from '#app/domain/help/schemas.ts'
import { BODY_MAX } from '#app/domain/qa/schemas.ts'
import {
  markdownRenderStats,
  renderWithFallback,
  startMarkdownRendering,
  stopMarkdownRendering,
} from '#app/lib/markdown.server.ts'
import { renderHtml } from '#app/lib/markdown-render.mjs'
import { percentile, reportFigures } from './lib.ts'
import type { FigureRow } from './report.ts'

const rounds = Number(process.env.BENCH_ROUNDS ?? 200)
const hostileRounds = Number(process.env.BENCH_HOSTILE_ROUNDS ?? 2)
const WORKER_HOSTILE_ROUNDS = 10

function repeated(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
}

const answer =
  'Split the export by **month** and use the `/exports` API:\n\n- step one\n- step two\n\n```sh\ncurl -H "Authorization: Bearer $TOKEN" https://api.example/exports?page=2\n```\n\nSee [the guide](https://docs.example/exports) for details.'
const article = repeated(
  '## Setting up exports\n\nOpen **Settings › Exports** and choose a schedule. Exports run at night, in your time zone.\n\n| format | rows | notes |\n|:--|--:|:--|\n| CSV | 1M | one file per month |\n| XLSX | 100k | one sheet |\n\n1. Pick the report\n2. Pick the format\n   - CSV for tools\n   - XLSX for people\n\n> Large exports are split into parts; each part is a link in the email.\n\n',
  10_000,
)
const ordinary: Record<string, string> = {
  'a short question': 'How do I schedule the monthly usage export? The settings page shows *no option* for it.',
  'an answer with code': answer,
  'a 10,000-character article': article,
  'a 30,000-character article': repeated(article, 30_000),
}

/** The shapes that are quadratic for marked, or overflowed its stack before the nesting cap. */
function hostile(length: number): Record<string, string> {
  return {
    '"_a"': repeated('_a', length),
    '"*a"': repeated('*a', length),
    '"**a"': repeated('**a', length),
    '"[a"': repeated('[a', length),
    '"`a"': repeated('`a', length),
    '"<a"': repeated('<a', length),
    '">"': repeated('>', length),
    'a mixture': repeated('_a*a**a[a![a`a<a&#|> - 1. ', length),
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b)
  return {
    p50: round1(percentile(sorted, 50)),
    p95: round1(percentile(sorted, 95)),
    p99: round1(percentile(sorted, 99)),
    max: round1(sorted.at(-1) ?? 0),
  }
}

/** Runs `work`, timing each call, with the event loop's delay watched meanwhile. */
async function measure(inputs: string[], times: number, render: (text: string) => unknown | Promise<unknown>) {
  const delay = monitorEventLoopDelay({ resolution: 5 })
  const durations: number[] = []
  let fallbacks = 0
  delay.enable()
  for (let round = 0; round < times; round++) {
    for (const input of inputs) {
      const started = performance.now()
      const result = await render(input)
      durations.push(performance.now() - started)
      if (typeof result === 'object' && result && 'complete' in result && !result.complete) fallbacks++
      // Give the loop a turn, so that a render that blocks it shows up as delay.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  delay.disable()
  return {
    ...summary(durations),
    loopP99: round1(delay.percentile(99) / 1e6),
    loopMax: round1(delay.max / 1e6),
    fallbacks,
    renders: durations.length,
  }
}

console.info('starting the render workers…')
const startedAt = performance.now()
await startMarkdownRendering()
console.info(`render workers ready in ${Math.round(performance.now() - startedAt)} ms`)

const sync = (text: string) => renderHtml(text)
const workers = (text: string) => renderWithFallback(text)
const ordinaryTexts = Object.values(ordinary)
const hostileQuestion = Object.values(hostile(BODY_MAX))
const hostileArticle = Object.values(hostile(ARTICLE_BODY_MAX))

console.info(`ordinary posts: ${ordinaryTexts.length} texts × ${rounds} rounds, each way…`)
// Both ways once first, so that neither pays for compiling marked.
for (const text of ordinaryTexts) {
  sync(text)
  await workers(text)
}
const ordinarySync = await measure(ordinaryTexts, rounds, sync)
const ordinaryWorkers = await measure(ordinaryTexts, rounds, workers)
console.info(
  `hostile texts at ${BODY_MAX} characters: ${hostileQuestion.length} shapes × ${hostileRounds} on the main thread…`,
)
const hostileSync = await measure(hostileQuestion, hostileRounds, sync)
console.info(`…and × ${WORKER_HOSTILE_ROUNDS} through the workers, also at ${ARTICLE_BODY_MAX} characters`)
const hostileWorkers = await measure(hostileQuestion, WORKER_HOSTILE_ROUNDS, workers)
const hostileArticleWorkers = await measure(hostileArticle, WORKER_HOSTILE_ROUNDS, workers)
const stats = markdownRenderStats()
await stopMarkdownRendering()

const rows = [
  { title: 'ordinary posts, sync', ...ordinarySync },
  { title: 'ordinary posts, workers', ...ordinaryWorkers },
  { title: `hostile ${BODY_MAX / 1000}k, sync`, ...hostileSync },
  { title: `hostile ${BODY_MAX / 1000}k, workers`, ...hostileWorkers },
  { title: `hostile ${ARTICLE_BODY_MAX / 1000}k, workers`, ...hostileArticleWorkers },
]
console.info('\nrender time and event-loop delay, in ms (fallbacks: shown as plain text past the deadline)')
console.table(
  rows.map(({ title, p50, p95, p99, max, loopP99, loopMax, fallbacks, renders }) => ({
    title,
    'p50 ms': p50,
    'p95 ms': p95,
    'p99 ms': p99,
    'max ms': max,
    'loop delay p99 ms': loopP99,
    'loop delay max ms': loopMax,
    fallbacks: `${fallbacks}/${renders}`,
  })),
)
const ordinaryCost = ordinaryWorkers.p50 / Math.max(ordinarySync.p50, 0.01)
const hostileGain = hostileSync.p99 / Math.max(hostileWorkers.p99, 0.01)
const loopGain = hostileSync.loopMax / Math.max(hostileWorkers.loopMax, 0.01)
console.info(`ordinary posts, p50 workers ÷ sync: ${ordinaryCost.toFixed(2)}× (the cost of a message to a thread)`)
console.info(`hostile texts, p99 sync ÷ workers: ${hostileGain.toFixed(1)}×`)
console.info(`event loop during hostile renders, longest delay sync ÷ workers: ${loopGain.toFixed(1)}×`)
console.info(`pool: ${JSON.stringify(stats)}`)

const figures: FigureRow[] = rows.flatMap(({ title, p50, p95, p99, loopP99, loopMax }) => [
  { name: `${title} p50`, figure: p50, unit: 'ms' },
  { name: `${title} p95`, figure: p95, unit: 'ms' },
  { name: `${title} p99`, figure: p99, unit: 'ms' },
  { name: `${title} event-loop delay p99`, figure: loopP99, unit: 'ms' },
  { name: `${title} event-loop delay max`, figure: loopMax, unit: 'ms' },
])
figures.push(
  { name: 'ordinary posts p50, workers ÷ sync', figure: round1(ordinaryCost * 10) / 10, unit: '×' },
  { name: 'hostile p99, sync ÷ workers', figure: round1(hostileGain), unit: '×' },
  { name: 'event-loop delay max during hostile renders, sync ÷ workers', figure: round1(loopGain), unit: '×' },
)
reportFigures('markdown', figures)
