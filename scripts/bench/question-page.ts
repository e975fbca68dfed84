// Question-page benchmark on the server database: a question with 1,000 answers, its first and last
// pages and the question list, measured with autocannon against the production build, beside the
// same page-1 bytes served by a bare node:http server (the ceiling for this machine).
//   npm run bench:question
// Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_qa); the database is
// dropped and created again on every run. Only loopback is targeted; every run is bounded in time.
import { createServer } from 'node:http'
import { sql } from 'drizzle-orm'
import { ANSWERS_PER_PAGE } from '#app/domain/qa/schemas.ts'
import { RENDER_VERSION, renderMarkdown } from '#app/lib/markdown.server.ts'
import { insertUser } from '#app/server/seed/factories/identity.ts'
import { insertQuestion } from '#app/server/seed/factories/qa.ts'
import { openDatabase } from '#db/client.server.ts'
import { answers, questions } from '#db/schema/qa.ts'
import { type BenchRow, bench, recreateDatabase, reportFigures, rssMb, startServer, stopServer } from './lib.ts'
import { rowFigures } from './report.ts'

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench_qa'
const port = Number(process.env.BENCH_PORT ?? 3391)
const staticPort = port + 1
const seconds = Number(process.env.BENCH_SECONDS ?? 15)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const ANSWERS = 1000

async function seed(): Promise<{ questionId: number; path: string }> {
  const database = await openDatabase({ driver: 'postgres', url })
  await database.migrate()
  const db = database.db
  const asker = await insertUser(db, { displayName: 'Bench Asker' })
  const answerers: { id: number }[] = []
  for (let i = 0; i < 50; i++) answerers.push(await insertUser(db, { displayName: `Answerer ${i}` }))
  // Other questions, so the list has something to page through.
  for (let i = 0; i < 200; i++) {
    await insertQuestion(db, {
      author: asker,
      title: `Background question number ${i} about reports`,
      tags: ['reports', `tag-${i % 20}`],
    })
  }
  const question = await insertQuestion(db, {
    author: asker,
    title: 'How do I export a large report without timeouts?',
    bodyMd: 'We export **monthly reports** with 200k rows and the export times out. What are the options?',
    tags: ['reports', 'export', 'performance'],
  })
  const start = Date.now() - ANSWERS * 60_000
  const rows = []
  for (let i = 0; i < ANSWERS; i++) {
    const bodyMd = `Answer ${i}: split the export by **month** and use the \`/exports\` API.\n\n- step one\n- step two\n\n\`\`\`sh\ncurl -H "Authorization: Bearer $TOKEN" https://api.example/exports?page=${i}\n\`\`\`\n\nSee [the guide](https://docs.example/exports) for details.`
    rows.push({
      questionId: question.id,
      authorId: answerers[i % answerers.length]!.id,
      bodyMd,
      bodyHtml: await renderMarkdown(bodyMd),
      renderVersion: RENDER_VERSION,
      score: ((i * 7919) % 23) - 5,
      createdAt: new Date(start + i * 60_000),
    })
  }
  for (let i = 0; i < rows.length; i += 250) await db.insert(answers).values(rows.slice(i, i + 250))
  await db.execute(sql`update ${questions} set answer_count = ${ANSWERS} where id = ${question.id}`)
  await database.close()
  return { questionId: question.id, path: `/questions/${question.id}` }
}

function serveStatic(body: Buffer, contentType: string) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length })
    res.end(body)
  })
  return new Promise<typeof server>((resolve) => server.listen(staticPort, '127.0.0.1', () => resolve(server)))
}

console.info(`seeding ${url}: one question with ${ANSWERS} answers, 200 other questions…`)
await recreateDatabase(url)
const { path } = await seed()
const lastPage = Math.ceil(ANSWERS / ANSWERS_PER_PAGE)

const { child, base, ms } = await startServer({
  port,
  env: { DATABASE_URL: url, DEMO_SEED: 'false', RATE_LIMITS: 'off' },
})
const memoryAfterStart = rssMb(child.pid)
console.info(`app started on PostgreSQL in ${ms} ms; memory ${memoryAfterStart} MB RSS`)
// The canonical address carries the slug; measure it, not the redirect.
const first = await fetch(`${base}${path}`)
const canonical = new URL(first.url).pathname
const page1 = Buffer.from(await first.arrayBuffer())
const last = await fetch(`${base}${canonical}?page=${lastPage}`)
if (!first.ok || !last.ok) throw new Error(`question page answered ${first.status} / ${last.status}`)
console.info(
  `page 1: ${Math.round(page1.length / 1024)} KiB of HTML, ${ANSWERS_PER_PAGE} answers per page, ${lastPage} pages`,
)

const rows: BenchRow[] = []
const measure = (title: string, target: string) => bench({ title, url: target, connections, seconds })
rows.push(await measure('question page 1', `${base}${canonical}`))
rows.push(await measure(`question page ${lastPage} (last)`, `${base}${canonical}?page=${lastPage}`))
rows.push(await measure('/questions', `${base}/questions`))
const memory = rssMb(child.pid)
await stopServer(child)

const server = await serveStatic(page1, first.headers.get('content-type') ?? 'text/html')
const ceiling = await measure('static page-1 bytes (node:http)', `http://127.0.0.1:${staticPort}/`)
server.close()
rows.push(ceiling)

console.info(`\n${connections} connections, ${seconds}s each`)
console.table(rows)
const ratio = rows[0]!['req/s'] / ceiling['req/s']
console.info(`page 1 vs static bytes: ${rows[0]!['req/s']} ÷ ${ceiling['req/s']} req/s = ${(ratio * 100).toFixed(1)}%`)
console.info(`app memory after load: ${memory} MB RSS`)
reportFigures('question', [
  { name: 'app start (PostgreSQL)', figure: ms, unit: 'ms' },
  { name: 'memory after start', figure: memoryAfterStart, unit: 'MB' },
  { name: 'page 1 HTML', figure: Math.round(page1.length / 1024), unit: 'KiB' },
  ...rows.flatMap((row) => rowFigures(row.title, row)),
  { name: 'page 1 vs static bytes', figure: Math.round(ratio * 1000) / 10, unit: '%' },
  { name: 'memory after load', figure: memory, unit: 'MB' },
])
