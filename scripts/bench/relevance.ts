// Relevance of the search engines over the demo corpus: every judged query of
// tests/search/judgements/demo.json, run with the query's language as the reader's locale and a limit
// of 10, scored with nDCG@10 (graded) and MRR (first result graded 2 or more), per engine, overall, per
// language and per kind of query (kana, okurigana, inflection, translation…), with the worst queries and
// what came back. The aim: nDCG@10 ≥ 0.93 overall and ≥ 0.85 for every kind.
// The engines hold the demo synonyms (staff rules of the seed), as the app's engine does after start.
//   npm run bench:relevance
// Runs on a fresh in-memory PGlite with the demo seed; Meilisearch too when MEILI_URL is set (into its
// own index, `bench_relevance`, never the app's). It is a measurement: the exit code is 0 whatever the
// figures are.

import { synonymMap } from '#app/domain/search/synonyms.server.ts'
import { seedDemo } from '#app/server/seed/demo.server.ts'
import { openDatabase } from '#db/client.server.ts'
import { EmbeddedSearchEngine } from '#search/embedded.server.ts'
import type { SearchEngine, SearchHit } from '#search/engine.ts'
import { reindexAll } from '#search/sync.server.ts'
import {
  type JudgedQuery,
  loadDemoJudgements,
  ndcgAt,
  reciprocalRank,
  resolveJudgedDocuments,
} from '#tests/search/judgements/judgements.ts'
import { reportFigures } from './lib.ts'
import type { FigureRow } from './report.ts'

const K = 10
/** nDCG@10 to reach overall, and for every kind of query. */
const AIM = 0.93
const KIND_AIM = 0.85

type Scored = { query: JudgedQuery; ndcg: number; rr: number; hits: SearchHit[]; gains: number[]; missing: string[] }

const set = loadDemoJudgements()
const database = await openDatabase({ driver: 'pglite' })
await database.migrate()
await seedDemo(database.db)
const ids = await resolveJudgedDocuments(database.db, set)
const keyOf = new Map([...ids].map(([key, id]) => [id, key]))

const engines: SearchEngine[] = [new EmbeddedSearchEngine(database.db)]
if (process.env.MEILI_URL) {
  const { MeilisearchEngine } = await import('#search/meilisearch.server.ts')
  engines.push(
    new MeilisearchEngine({
      host: process.env.MEILI_URL,
      apiKey: process.env.MEILI_KEY,
      indexPrefix: 'bench_relevance',
    }),
  )
}

const perLanguage = (locale: string) => set.queries.filter((query) => query.locale === locale).length
console.info(
  `relevance set: ${set.queries.length} queries (${perLanguage('en')} English, ${perLanguage('ja')} Japanese) over ${ids.size} judged demo documents; nDCG@${K}, MRR (grade ≥ 2)`,
)

const round = (n: number) => Math.round(n * 1000) / 1000
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0)
const summary: Record<string, string | number>[] = []
const byKind: Record<string, string | number>[] = []
const belowAim: string[] = []
const figures: FigureRow[] = []

for (const engine of engines) {
  const indexed = await reindexAll(database.db, engine)
  await engine.setSynonyms(await synonymMap(database.db))
  const scored: Scored[] = []
  for (const query of set.queries) {
    const result = await engine.search({ q: query.q, locale: query.locale, limit: K })
    const gains = result.hits.map((hit) => query.grades[keyOf.get(hit.id) ?? ''] ?? 0)
    const returned = new Set(result.hits.map((hit) => keyOf.get(hit.id)))
    scored.push({
      query,
      ndcg: ndcgAt(K, gains, Object.values(query.grades)),
      rr: reciprocalRank(gains),
      hits: result.hits,
      gains,
      missing: Object.entries(query.grades)
        .filter(([key, grade]) => grade >= 2 && !returned.has(key))
        .map(([key, grade]) => `${key}(${grade})`),
    })
  }
  for (const [label, rows] of [
    ['all', scored],
    ['en', scored.filter((s) => s.query.locale === 'en')],
    ['ja', scored.filter((s) => s.query.locale === 'ja')],
  ] as const) {
    const ndcg = round(mean(rows.map((s) => s.ndcg)))
    const mrr = round(mean(rows.map((s) => s.rr)))
    const noGoodHit = rows.filter((s) => s.rr === 0).length
    summary.push({
      engine: engine.name,
      queries: label,
      n: rows.length,
      [`nDCG@${K}`]: ndcg,
      MRR: mrr,
      'no good hit': noGoodHit,
    })
    figures.push(
      { name: `${engine.name}: nDCG@${K}, ${label} queries`, figure: ndcg, unit: '' },
      { name: `${engine.name}: MRR, ${label} queries`, figure: mrr, unit: '' },
      { name: `${engine.name}: no good hit, ${label} queries`, figure: noGoodHit, unit: 'queries' },
    )
  }
  for (const kind of [...new Set(set.queries.map((query) => query.kind))]) {
    const rows = scored.filter((s) => s.query.kind === kind)
    const ndcg = mean(rows.map((s) => s.ndcg))
    if (ndcg < KIND_AIM) {
      belowAim.push(`${engine.name}: nDCG@${K} ${ndcg.toFixed(3)} for ${kind} queries is below ${KIND_AIM}`)
    }
    figures.push({ name: `${engine.name}: nDCG@${K}, ${kind} queries`, figure: round(ndcg), unit: '' })
    byKind.push({
      engine: engine.name,
      kind,
      n: rows.length,
      [`nDCG@${K}`]: round(mean(rows.map((s) => s.ndcg))),
      MRR: round(mean(rows.map((s) => s.rr))),
    })
  }
  const overall = mean(scored.map((s) => s.ndcg))
  if (overall < AIM) belowAim.push(`${engine.name}: nDCG@${K} ${overall.toFixed(3)} is below the aim of ${AIM}`)

  console.info(`\n${engine.name}: ${indexed} documents indexed; the 8 worst queries`)
  const worst = [...scored].sort((a, b) => a.ndcg - b.ndcg || a.rr - b.rr).slice(0, 8)
  console.table(
    worst.map((s) => ({
      query: `${s.query.locale}: ${s.query.q}`,
      kind: s.query.kind,
      [`nDCG@${K}`]: round(s.ndcg),
      RR: round(s.rr),
      'returned (grade)':
        s.hits
          .slice(0, 5)
          .map((hit, i) => `${keyOf.get(hit.id) ?? shorten(hit.title)}(${s.gains[i]})`)
          .join(' ') || '(nothing)',
      'missing (grade ≥ 2)': s.missing.join(' ') || '-',
    })),
  )
}

console.info('\nper engine and language')
console.table(summary)
console.info('per kind of query')
console.table(byKind)
if (!process.env.MEILI_URL) console.info('meilisearch: not run (MEILI_URL unset)')
for (const line of belowAim) console.info(`BELOW AIM: ${line}`)
if (!belowAim.length) console.info(`every engine run reaches nDCG@${K} ≥ ${AIM}, and ≥ ${KIND_AIM} for every kind`)
await database.close()
reportFigures('relevance', figures)

function shorten(title: string): string {
  return [...title].length > 24 ? `${[...title].slice(0, 23).join('')}…` : title
}
