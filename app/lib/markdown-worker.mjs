// A render worker of the pool in app/lib/markdown.server.ts: markdown in, sanitized HTML out, one job at a
// time. Plain JavaScript, so that `node scripts/start.js` (no TypeScript loader), `vite dev` and vitest
// all start it the same way (the protocol is in app/lib/worker-pool.server.ts).

import vm from 'node:vm'
import { workerData } from 'node:worker_threads'
import { renderHtml } from './markdown-render.mjs'

/** @type {import('node:worker_threads').MessagePort} */
const port = workerData?.port
if (!port) throw new Error('markdown-worker.mjs runs as a worker thread of the pool, which hands it a port')

// vm's timeout interrupts the synchronous render from a watchdog and leaves this thread usable, so a
// render past its deadline costs the deadline and not a new thread (about 0.3 ms a render to arm).
const context = vm.createContext({ renderHtml, input: '' })
const script = new vm.Script('renderHtml(input)')

/** @param {string} input @param {number} timeout */
function render(input, timeout) {
  context.input = input
  try {
    return /** @type {string} */ (script.runInContext(context, { timeout }))
  } finally {
    context.input = ''
  }
}

// The first renders compile marked's and sanitize-html's code (tens of milliseconds); they happen here,
// before the pool is told this worker is ready, and not in some user's render.
const sample = [
  '# Heading\n\nSome *soft* and **loud** text with `code`, ~~gone~~, a [link](https://example.com/a) and <b>html</b>.',
  '- one\n- two\n  1. nested\n  2. [x] task\n\n> quoted\n> > twice',
  '```ts\nconst a = 1 < 2\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n![image](https://example.com/a.png) https://example.com/x',
].join('\n\n')
for (let i = 0; i < 30; i++) render(sample, 10_000)

port.on('message', (/** @type {{ id: number, input: string, deadlineMs: number }} */ { id, input, deadlineMs }) => {
  try {
    port.postMessage({ id, output: render(input, deadlineMs) })
  } catch (error) {
    // Past the deadline, a stack overflow or any other failure: reported, and the caller falls back.
    const timedOut = /** @type {{ code?: string }} */ (error)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
    port.postMessage({
      id,
      timedOut,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    })
  }
})
port.postMessage({ ready: true })
