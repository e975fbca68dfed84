// Search benchmark on the server database: builds the embedded index of N generated documents
// (scripts/bench/search-corpus.ts: half Japanese, half English, realistic lengths) with
// `engine.rebuild`, prints the build time and the index size, then p50/p95/p99 latency of ~200
// searches for each class of query, one search at a time, as a reader typing would send them.
//   npm run bench:search [-- --docs N] [-- --keep] [-- --reuse]
// The database `bench_search` on the server of DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres) is created for the run and dropped after it, unless
// --keep. --reuse measures the index a --keep run left, without building it again (and keeps it), to
// try changes to the search side quickly. Meilisearch is measured too when MEILI_URL is set, into its
// own `bench_search` index.
import { SingleBar } from 'cli-progress'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { openDatabase, rowsOf } from '#db/client.server.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import type { SearchDocType, SearchEngine, SearchLocale, SearchQuery } from '#search/engine.ts'
import { percentile, reportFigures, rssMb } from './lib.ts'
import { type FigureRow, rowFigures } from './report.ts'
import { searchCorpus } from './search-corpus.ts'

const args = process.argv.slice(2)
const docsAt = args.indexOf('--docs')
const total = docsAt >= 0 ? Number(args[docsAt + 1]) : 100_000
const reuse = args.includes('--reuse')
const keep = reuse || args.includes('--keep')
if (!Number.isSafeInteger(total) || total < 1) throw new Error('--docs takes a positive whole number')
const SEARCHES = 200
const WARMUP_ROUNDS = 3
const BATCH = 1000

const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
const url = new URL(server)
url.pathname = '/bench_search'

type QueryClass = { name: string; locale: SearchLocale; variants: Omit<SearchQuery, 'locale' | 'limit'>[] }

const words = (list: string[]) => list.map((q) => ({ q }))
const types: SearchDocType[][] = [[], ['question'], ['article'], ['event']]
// Several queries per class, taken in turn, so a class is not one query answered from cache.
const classes: QueryClass[] = [
  { name: 'empty', locale: 'en', variants: types.map((t) => ({ q: '', types: t })) },
  { name: 'one letter ("t")', locale: 'en', variants: words(['t', 's', 'c', 'p', 'd']) },
  { name: 'stop word ("the")', locale: 'en', variants: words(['the', 'to', 'and', 'of', 'is']) },
  { name: 'common word', locale: 'en', variants: words(['report', 'customer', 'billing', 'export', 'dashboard']) },
  {
    name: 'two words',
    locale: 'en',
    variants: words(['export csv', 'customer success', 'billing invoice', 'webhook retry', 'sso login']),
  },
  {
    name: '11-word sentence',
    locale: 'en',
    variants: words([
      'how do i export the monthly usage report as a csv',
      'why does the billing dashboard show the wrong invoice total today',
      'can we limit which team members see invoices and payment methods',
      'our webhook endpoint keeps failing after the api key was rotated',
      'what is the best way to set up saml single sign',
    ]),
  },
  { name: 'typo', locale: 'en', variants: words(['custmer sucess', 'webhok', 'dashbord', 'permisions', 'invoise']) },
  {
    name: 'Japanese',
    locale: 'ja',
    variants: words(['有料配信', '請求書', '権限', 'カスタマーサクセス', 'ダッシュボード']),
  },
  {
    name: 'Japanese typo',
    locale: 'ja',
    variants: words(['カスタマサクセス', 'ダッシュボド', 'エクスポト', 'タイムゾン', 'パスワド']),
  },
]

function admin() {
  return postgres(server.href, { max: 1, onnotice: () => {} })
}

async function recreateDatabase() {
  const client = admin()
  await client.unsafe('drop database if exists bench_search with (force)')
  await client.unsafe('create database bench_search')
  await client.end()
}

async function dropDatabase() {
  const client = admin()
  await client.unsafe('drop database if exists bench_search with (force)')
  await client.end()
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const round = (n: number) => Math.round(n * 10) / 10

/** Builds the engine's index of the corpus, prints how long it took and returns those figures. */
async function build(engine: SearchEngine): Promise<FigureRow[]> {
  const bar = new SingleBar({
    format: `build (${engine.name}) [{bar}] {value}/{total} documents  {eta_formatted}`,
    etaBuffer: 20,
    // Piped to a file, print a line every 15 s instead of redrawing.
    noTTYOutput: true,
    notTTYSchedule: 15_000,
  })
  const generation = { ms: 0 }
  bar.start(total, 0)
  const started = performance.now()
  const indexed = await engine.rebuild(searchCorpus(total, { batchSize: BATCH }, generation), total, (done) =>
    bar.update(done),
  )
  const ms = performance.now() - started
  bar.stop()
  const indexing = ms - generation.ms
  const docsPerSecond = Math.round(indexed / (indexing / 1000))
  console.info(
    `${engine.name}: built ${indexed} documents in ${seconds(ms)} (${seconds(generation.ms)} generating them, ${seconds(indexing)} indexing: ${docsPerSecond} docs/s)`,
  )
  return [
    { name: `${engine.name}: build`, figure: round(ms / 1000), unit: 's' },
    { name: `${engine.name}: of which indexing`, figure: round(indexing / 1000), unit: 's' },
    { name: `${engine.name}: indexing throughput`, figure: docsPerSecond, unit: 'docs/s' },
  ]
}

async function measure(engine: SearchEngine) {
  for (const queryClass of classes) {
    for (let round = 0; round < WARMUP_ROUNDS; round++) {
      for (const variant of queryClass.variants) await engine.search({ ...variant, locale: queryClass.locale })
    }
  }
  const rows = []
  for (const queryClass of classes) {
    const times: number[] = []
    const hits: number[] = []
    for (let i = 0; i < SEARCHES; i++) {
      const variant = queryClass.variants[i % queryClass.variants.length]!
      const t0 = performance.now()
      const result = await engine.search({ ...variant, locale: queryClass.locale, limit: 10 })
      times.push(performance.now() - t0)
      hits.push(result.total)
    }
    times.sort((a, b) => a - b)
    rows.push({
      engine: engine.name,
      class: queryClass.name,
      example: queryClass.variants[0]!.q || '(empty)',
      searches: SEARCHES,
      'p50 ms': round(percentile(times, 50)),
      'p95 ms': round(percentile(times, 95)),
      'p99 ms': round(percentile(times, 99)),
      'hits (avg total)': Math.round(hits.reduce((a, b) => a + b, 0) / hits.length),
    })
  }
  return rows
}

console.info(
  reuse
    ? `bench:search on ${url.host}${url.pathname}: reusing the index of an earlier --keep run`
    : `bench:search on ${url.host}${url.pathname}: ${total} generated documents, batches of ${BATCH}`,
)
if (!reuse) await recreateDatabase()
const database = await openDatabase({ driver: 'postgres', url: url.href, max: 4 })
try {
  await database.migrate()
  const db = database.db
  const embedded = new EmbeddedSearchEngine(db)
  const figures: FigureRow[] = []
  if (!reuse) {
    figures.push(...(await build(embedded)))
    // Autovacuum does the same within a minute of a large reindex; measuring before it would measure
    // the planner without statistics and a GIN index with its pending list still unmerged.
    const vacuumStarted = performance.now()
    await db.execute(sql`vacuum analyze search_documents`)
    await db.execute(sql`vacuum analyze search_terms`)
    const vacuumMs = performance.now() - vacuumStarted
    console.info(`vacuum analyze: ${seconds(vacuumMs)}`)
    figures.push({ name: 'embedded: vacuum analyze after the build', figure: round(vacuumMs / 1000), unit: 's' })
  }
  const [size] = rowsOf<Record<string, string>>(
    await db.execute(sql`select
      pg_size_pretty(pg_total_relation_size('search_documents')) as documents,
      pg_size_pretty(pg_indexes_size('search_documents')) as "documents indexes",
      pg_size_pretty(pg_total_relation_size('search_terms')) as terms,
      (select count(*) from search_documents)::text as "count",
      (select count(*) from search_terms)::text as "distinct terms",
      pg_total_relation_size('search_documents')::text as "documents bytes",
      pg_total_relation_size('search_terms')::text as "terms bytes"`),
  )
  console.info(
    `index size: search_documents ${size?.documents} in all (of which indexes ${size?.['documents indexes']}) for ${size?.count} documents, search_terms ${size?.terms} (${size?.['distinct terms']} terms)`,
  )

  const megabytes = (bytes: string | undefined) => Math.round(Number(bytes) / 1048576)
  figures.push(
    { name: 'embedded: documents', figure: Number(size?.count), unit: 'docs' },
    { name: 'embedded: search_documents size with indexes', figure: megabytes(size?.['documents bytes']), unit: 'MB' },
    { name: 'embedded: search_terms size', figure: megabytes(size?.['terms bytes']), unit: 'MB' },
    { name: 'embedded: distinct terms', figure: Number(size?.['distinct terms']), unit: 'terms' },
  )

  const rows = await measure(embedded)
  let meiliNote = 'meilisearch: not run (MEILI_URL unset)'
  if (process.env.MEILI_URL) {
    const { MeilisearchEngine } = await import('#search/meilisearch.server.ts')
    const meili = new MeilisearchEngine({
      host: process.env.MEILI_URL,
      apiKey: process.env.MEILI_KEY,
      indexPrefix: 'bench_search',
    })
    figures.push(...(await build(meili)))
    rows.push(...(await measure(meili)))
    meiliNote = `meilisearch: measured at ${process.env.MEILI_URL} (index bench_search left in place)`
  }

  console.info(`\n${SEARCHES} searches per class, one at a time, limit 10, after ${WARMUP_ROUNDS} warm-up rounds`)
  console.table(rows)
  const slow = rows.filter((row) => row['p99 ms'] >= 50)
  if (slow.length) console.info(`p99 at or over 50 ms: ${slow.map((row) => `${row.engine} ${row.class}`).join(', ')}`)
  else console.info('p99 under 50 ms for every class')
  console.info(meiliNote)
  const memory = rssMb(process.pid)
  console.info(`bench process memory: ${memory} MB RSS`)
  reportFigures('search', [
    ...figures,
    ...rows.flatMap((row) => rowFigures(`${row.engine}: ${row.class}`, row)),
    { name: 'bench process memory', figure: memory, unit: 'MB' },
  ])
} finally {
  await database.close()
  if (keep) console.info(`kept database ${url.href}`)
  else await dropDatabase()
}
