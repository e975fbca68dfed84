// Search benchmark on the server database: builds the embedded index of N generated documents
// (scripts/bench/search-corpus.ts: half Japanese, half English, realistic lengths, a share of the
// articles in both languages) with `engine.rebuild`, prints the build time, the indexing throughput
// and the index size, then p50/p95/p99 latency of 200 searches for each class of query, one search at
// a time, as a reader typing would send them. The same on PGlite (in memory, the app's single
// connection), over a smaller corpus: PGlite indexes several times slower.
//   npm run bench:search [-- --docs N] [-- --pglite-docs N] [-- --keep] [-- --reuse]
//                        [-- --compare FILE]
// The database `bench_search` on the server of DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres) is created for the run and dropped after it, unless
// --keep. --reuse measures the index a --keep run left, without building it again (and keeps it), to
// try changes to the search side quickly (PGlite is then skipped, unless --pglite-docs is given).
// --pglite-docs 0 skips PGlite.
// --compare prints each figure beside the same figure of an earlier run and their ratio: FILE is what
// `npm run bench` wrote (data/bench/*.json) or the lines an earlier run appended to BENCH_FIGURES.
// Meilisearch is measured too when MEILI_URL is set, into its own `bench_search` index.
import { readFileSync } from 'node:fs'
import { SingleBar } from 'cli-progress'
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { type Db, openDatabase, rowsOf } from '#db/client.server.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import type { SearchDocType, SearchEngine, SearchLocale, SearchQuery, SynonymMap } from '#search/engine.ts'
import { percentile, reportFigures, rssMb } from './lib.ts'
import { type Figure, type FigureRow, parseFigureLines, parseFiguresFile, rowFigures } from './report.ts'
import { searchCorpus } from './search-corpus.ts'

const args = process.argv.slice(2)
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const total = Number(flag('--docs') ?? 100_000)
const pgliteTotal = Number(flag('--pglite-docs') ?? 20_000)
const reuse = args.includes('--reuse')
const keep = reuse || args.includes('--keep')
const compareWith = flag('--compare')
if (!Number.isSafeInteger(total) || total < 1) throw new Error('--docs takes a positive whole number')
if (!Number.isSafeInteger(pgliteTotal) || pgliteTotal < 0) throw new Error('--pglite-docs takes a whole number')
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
    name: 'inflected English',
    locale: 'en',
    variants: words(['exporting reports', 'limiting', 'renewed subscriptions', 'syncing', 'invoiced customers']),
  },
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
  {
    name: 'kana spelled otherwise',
    locale: 'ja',
    variants: words(['へるすすこあ', 'ウエビナー', 'うぇびなー', 'だっしゅぼーど', 'ぱすわーど']),
  },
  { name: 'okurigana', locale: 'ja', variants: words(['取込み', '書出し', '締切', '取込', 'キャンセル待']) },
  {
    name: 'synonym',
    locale: 'en',
    variants: words(['cancel contract', '解約', 'single sign on', 'シングルサインオン', 'cancel contract refund']),
  },
]

/** The synonyms the `synonym` class relies on, set on every engine before it is measured. */
const synonyms: SynonymMap = {
  'cancel contract': ['解約'],
  解約: ['cancel contract'],
  'single sign on': ['sso', 'シングルサインオン'],
  sso: ['single sign on', 'シングルサインオン'],
  シングルサインオン: ['sso', 'single sign on'],
}

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

/** Builds the engine's index of `count` corpus documents, prints how long it took and returns those
 *  figures, named after `label`. */
async function build(engine: SearchEngine, label: string, count: number): Promise<FigureRow[]> {
  const bar = new SingleBar({
    format: `build (${label}) [{bar}] {value}/{total} documents  {eta_formatted}`,
    etaBuffer: 20,
    // Piped to a file, print a line every 15 s instead of redrawing.
    noTTYOutput: true,
    notTTYSchedule: 15_000,
  })
  const generation = { ms: 0 }
  bar.start(count, 0)
  const started = performance.now()
  const indexed = await engine.rebuild(searchCorpus(count, { batchSize: BATCH }, generation), count, (done) =>
    bar.update(done),
  )
  const ms = performance.now() - started
  bar.stop()
  const indexing = ms - generation.ms
  const docsPerSecond = Math.round(indexed / (indexing / 1000))
  console.info(
    `${label}: built ${indexed} documents in ${seconds(ms)} (${seconds(generation.ms)} generating them, ${seconds(indexing)} indexing: ${docsPerSecond} docs/s)`,
  )
  return [
    { name: `${label}: build`, figure: round(ms / 1000), unit: 's' },
    { name: `${label}: of which indexing`, figure: round(indexing / 1000), unit: 's' },
    { name: `${label}: indexing throughput`, figure: docsPerSecond, unit: 'docs/s' },
  ]
}

type Row = Record<string, string | number> & { 'p99 ms': number }

async function measure(engine: SearchEngine, label: string): Promise<Row[]> {
  await engine.setSynonyms(synonyms)
  for (const queryClass of classes) {
    for (let round = 0; round < WARMUP_ROUNDS; round++) {
      for (const variant of queryClass.variants) await engine.search({ ...variant, locale: queryClass.locale })
    }
  }
  const rows: Row[] = []
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
      engine: label,
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

/** The embedded index's size on `db`, printed and as figures named after `label`. */
async function indexSize(db: Db, label: string): Promise<FigureRow[]> {
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
    `${label} index size: search_documents ${size?.documents} in all (of which indexes ${size?.['documents indexes']}) for ${size?.count} documents, search_terms ${size?.terms} (${size?.['distinct terms']} terms)`,
  )
  const megabytes = (bytes: string | undefined) => Math.round(Number(bytes) / 1048576)
  return [
    { name: `${label}: documents`, figure: Number(size?.count), unit: 'docs' },
    { name: `${label}: search_documents size with indexes`, figure: megabytes(size?.['documents bytes']), unit: 'MB' },
    { name: `${label}: search_terms size`, figure: megabytes(size?.['terms bytes']), unit: 'MB' },
    { name: `${label}: distinct terms`, figure: Number(size?.['distinct terms']), unit: 'terms' },
  ]
}

/** Autovacuum does the same within a minute of a large reindex; measuring before it would measure the
 *  planner without statistics and a GIN index with its pending list still unmerged. */
async function vacuum(db: Db, label: string): Promise<FigureRow> {
  const started = performance.now()
  await db.execute(sql`vacuum analyze search_documents`)
  await db.execute(sql`vacuum analyze search_terms`)
  const ms = performance.now() - started
  console.info(`${label}: vacuum analyze: ${seconds(ms)}`)
  return { name: `${label}: vacuum analyze after the build`, figure: round(ms / 1000), unit: 's' }
}

/** The figures of an earlier run, from a file `npm run bench` wrote or from BENCH_FIGURES lines. */
function earlierFigures(file: string): Figure[] {
  const text = readFileSync(file, 'utf8')
  return (text.trimStart().startsWith('{"bench"') ? parseFigureLines(text) : parseFiguresFile(text)).filter(
    (figure) => figure.bench === 'search',
  )
}

/** Each figure of this run beside the earlier one and their ratio (now / before). */
function comparison(figures: FigureRow[], earlier: Figure[]) {
  const before = new Map(earlier.map((figure) => [figure.name, figure.figure]))
  return figures.map((figure) => {
    const was = before.get(figure.name)
    return {
      figure: figure.name,
      before: was ?? '',
      now: figure.figure,
      unit: figure.unit,
      ratio: was === undefined ? 'new' : was === 0 ? 'n/a' : `${(figure.figure / was).toFixed(2)}×`,
    }
  })
}

const earlier = compareWith ? earlierFigures(compareWith) : undefined
console.info(
  reuse
    ? `bench:search on ${url.host}${url.pathname}: reusing the index of an earlier --keep run`
    : `bench:search on ${url.host}${url.pathname}: ${total} generated documents, batches of ${BATCH}`,
)
if (!reuse) await recreateDatabase()
const database = await openDatabase({ driver: 'postgres', url: url.href, max: 4 })
const figures: FigureRow[] = []
const rows: Row[] = []
const notes: string[] = []
try {
  await database.migrate()
  const db = database.db
  const embedded = new EmbeddedSearchEngine(db)
  if (!reuse) figures.push(...(await build(embedded, 'embedded', total)), await vacuum(db, 'embedded'))
  figures.push(...(await indexSize(db, 'embedded')))
  rows.push(...(await measure(embedded, 'embedded')))
} finally {
  await database.close()
  if (keep) console.info(`kept database ${url.href}`)
  else await dropDatabase()
}

if ((!reuse || args.includes('--pglite-docs')) && pgliteTotal > 0) {
  const label = 'embedded on pglite'
  const lite = await openDatabase({ driver: 'pglite' })
  try {
    await lite.migrate()
    const engine = new EmbeddedSearchEngine(lite.db)
    figures.push(...(await build(engine, label, pgliteTotal)), await vacuum(lite.db, label))
    figures.push(...(await indexSize(lite.db, label)))
    rows.push(...(await measure(engine, label)))
    notes.push(`pglite: ${pgliteTotal} documents (in memory; --pglite-docs sets how many)`)
  } finally {
    await lite.close()
  }
} else notes.push('pglite: not run (--reuse without --pglite-docs, or --pglite-docs 0)')

if (process.env.MEILI_URL) {
  const { MeilisearchEngine } = await import('#search/meilisearch.server.ts')
  const meili = new MeilisearchEngine({
    host: process.env.MEILI_URL,
    apiKey: process.env.MEILI_KEY,
    indexPrefix: 'bench_search',
  })
  figures.push(...(await build(meili, 'meilisearch', total)))
  rows.push(...(await measure(meili, 'meilisearch')))
  notes.push(`meilisearch: measured at ${process.env.MEILI_URL} (index bench_search left in place)`)
} else notes.push('meilisearch: not run (MEILI_URL unset)')

console.info(`\n${SEARCHES} searches per class, one at a time, limit 10, after ${WARMUP_ROUNDS} warm-up rounds`)
console.table(rows)
const slow = rows.filter((row) => row['p99 ms'] >= 50)
if (slow.length) console.info(`p99 at or over 50 ms: ${slow.map((row) => `${row.engine} ${row.class}`).join(', ')}`)
else console.info('p99 under 50 ms for every class')
for (const note of notes) console.info(note)
const memory = rssMb(process.pid)
console.info(`bench process memory: ${memory} MB RSS`)
const all: FigureRow[] = [
  ...figures,
  ...rows.flatMap((row) => rowFigures(`${row.engine}: ${row.class}`, row)),
  { name: 'bench process memory', figure: memory, unit: 'MB' },
]
if (earlier) {
  console.info(`\ncompared with ${compareWith}`)
  console.table(comparison(all, earlier))
}
reportFigures('search', all)
