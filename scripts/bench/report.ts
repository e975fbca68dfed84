// The pure side of `npm run bench` (scripts/bench/all.ts): the list of benchmarks, the figures they hand
// over as JSON lines, the one table of them all, and the comparison with an earlier run's file.

/** One figure of one benchmark; `bench` and `name` together identify it from one run to the next. */
export type Figure = { bench: string; name: string; figure: number; unit: string }
export type FigureRow = Omit<Figure, 'bench'>

/** How one benchmark's process ended, as the table shows it. */
export type Run = { bench: string; ok: boolean; seconds: number; error?: string }

/** What `npm run bench` writes to data/bench/, and what `--compare` reads back. */
export type FiguresFile = {
  date: string
  commit: string
  dirty: boolean
  node: string
  cpus: number
  /** The machine's 1-minute load average when the run began and ended: figures taken on a busy
   *  machine do not compare with those of an idle one. */
  load: { before: number; after: number }
  runs: Run[]
  figures: Figure[]
}

/** Every benchmark, in the order `npm run bench` runs them; each is its `bench:<name>` script without
 *  the build, which `npm run bench` does once. */
export const benchmarks = [
  { name: 'http', script: 'scripts/bench/http.js' },
  { name: 'question', script: 'scripts/bench/question-page.ts' },
  { name: 'events', script: 'scripts/bench/event-burst.ts' },
  { name: 'relevance', script: 'scripts/bench/relevance.ts' },
  { name: 'search', script: 'scripts/bench/search.ts' },
  { name: 'support', script: 'scripts/bench/support.ts' },
  { name: 'scoring', script: 'scripts/bench/scoring.ts' },
  { name: 'portfolio', script: 'scripts/bench/portfolio.ts' },
  { name: 'track-record', script: 'scripts/bench/track-record.ts' },
  { name: 'overload', script: 'scripts/bench/overload.ts' },
  { name: 'markdown', script: 'scripts/bench/markdown.ts' },
  { name: 'upload', script: 'scripts/bench/upload.ts' },
] as const satisfies readonly { name: string; script: string }[]
export type Benchmark = (typeof benchmarks)[number]

/** The benchmarks named by `--only a,b` (all of them without it), in the usual order. */
export function selectBenchmarks(only: string | undefined): Benchmark[] {
  if (only === undefined) return [...benchmarks]
  const names = only
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const unknown = names.filter((name) => !benchmarks.some((bench) => bench.name === name))
  if (unknown.length || !names.length) {
    throw new Error(
      `--only takes benchmark names separated by commas (${benchmarks.map((b) => b.name).join(', ')}); unknown: ${unknown.join(', ') || '(none given)'}`,
    )
  }
  return benchmarks.filter((bench) => names.includes(bench.name))
}

/** The throughput and latency columns of a row a benchmark prints, as figures named after its title. */
export function rowFigures(title: string, row: Partial<Record<'req/s' | 'p50 ms' | 'p95 ms' | 'p99 ms', number>>) {
  const columns = [
    ['req/s', 'throughput', 'req/s'],
    ['p50 ms', 'p50', 'ms'],
    ['p95 ms', 'p95', 'ms'],
    ['p99 ms', 'p99', 'ms'],
  ] as const
  return columns.flatMap(([column, suffix, unit]): FigureRow[] => {
    const figure = row[column]
    return figure === undefined ? [] : [{ name: `${title} ${suffix}`, figure, unit }]
  })
}

/** The JSON lines one benchmark appends to the BENCH_FIGURES file. */
export function figureLines(bench: string, rows: FigureRow[]): string {
  return rows
    .map((row) => `${JSON.stringify({ bench, name: row.name, figure: row.figure, unit: row.unit })}\n`)
    .join('')
}

/** Reads the JSON lines of figureLines back; throws on a line that is not a figure, naming it. */
export function parseFigureLines(text: string): Figure[] {
  return text.split('\n').flatMap((line, index) => {
    if (!line.trim()) return []
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw new Error(`line ${index + 1} is not JSON: ${line.slice(0, 80)}`)
    }
    if (!isFigure(value)) throw new Error(`line ${index + 1} is not a figure: ${line.slice(0, 80)}`)
    return [value]
  })
}

function isFigure(value: unknown): value is Figure {
  if (typeof value !== 'object' || value === null) return false
  const { bench, name, figure, unit } = value as Record<string, unknown>
  return (
    typeof bench === 'string' &&
    typeof name === 'string' &&
    typeof unit === 'string' &&
    typeof figure === 'number' &&
    Number.isFinite(figure)
  )
}

/** The figures of a file written by `npm run bench`, for `--compare`. */
export function parseFiguresFile(text: string): Figure[] {
  const value = JSON.parse(text) as Partial<FiguresFile>
  if (!Array.isArray(value.figures) || !value.figures.every(isFigure)) {
    throw new Error('not a figures file of npm run bench (no "figures" array of { bench, name, figure, unit })')
  }
  return value.figures
}

/** The change from `before` to `now` in percent, one decimal; null when there is nothing to divide by. */
export function changePercent(now: number, before: number): number | null {
  if (before === 0) return now === 0 ? 0 : null
  return Math.round(((now - before) / Math.abs(before)) * 1000) / 10
}

type Cell = string
type Table = { header: Cell[]; numeric: boolean[]; rows: Cell[][] }

/** The one table of a run: every figure of every benchmark run, a line for each benchmark that failed,
 *  and with `previous` the earlier figure and the change in percent (figures the earlier run had for a
 *  benchmark run this time, but this run lacks, are listed with an empty figure). */
export function buildTable(runs: Run[], figures: Figure[], previous?: Figure[]): Table {
  const compare = previous !== undefined
  const before = new Map((previous ?? []).map((figure) => [keyOf(figure), figure]))
  const rows: Cell[][] = []
  for (const run of runs) {
    const own = figures.filter((figure) => figure.bench === run.bench)
    const seen = new Set(own.map(keyOf))
    if (!run.ok) rows.push([run.bench, `FAILED: ${run.error ?? 'failed'}`, '', '', ...(compare ? ['', ''] : [])])
    for (const figure of own) {
      const earlier = before.get(keyOf(figure))
      const change = earlier === undefined ? null : changePercent(figure.figure, earlier.figure)
      rows.push([
        figure.bench,
        figure.name,
        formatNumber(figure.figure),
        figure.unit,
        ...(compare
          ? [
              earlier === undefined ? '' : formatNumber(earlier.figure),
              earlier === undefined ? 'new' : change === null ? 'n/a' : formatChange(change),
            ]
          : []),
      ])
    }
    if (compare) {
      for (const earlier of previous.filter((figure) => figure.bench === run.bench && !seen.has(keyOf(figure)))) {
        rows.push([earlier.bench, earlier.name, '', earlier.unit, formatNumber(earlier.figure), 'missing'])
      }
    }
  }
  return {
    header: ['benchmark', 'name', 'figure', 'unit', ...(compare ? ['previous', 'change'] : [])],
    numeric: [false, false, true, false, ...(compare ? [true, true] : [])],
    rows,
  }
}

/** The table as aligned plain text: numbers to the right, the rest to the left. */
export function formatPlain(table: Table): string {
  const lines = [table.header, ...table.rows]
  const widths = table.header.map((_, column) => Math.max(...lines.map((line) => width(line[column] ?? ''))))
  const format = (line: Cell[]) =>
    line
      .map((cell, column) => {
        const padding = ' '.repeat(widths[column]! - width(cell))
        return table.numeric[column] ? padding + cell : cell + padding
      })
      .join('  ')
      .trimEnd()
  return [format(table.header), widths.map((w) => '-'.repeat(w)).join('  '), ...table.rows.map(format)].join('\n')
}

/** The table as GitHub-flavoured markdown, numeric columns aligned right. */
export function formatMarkdown(table: Table): string {
  const format = (line: Cell[]) => `| ${line.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`
  const rule = `|${table.numeric.map((numeric) => (numeric ? ' ---: |' : ' --- |')).join('')}`
  return [format(table.header), rule, ...table.rows.map(format)].join('\n')
}

/** data/bench/<date>-<short sha>.json for a full run; a run of some benchmarks names them too, so it
 *  never replaces the file of a full run of the same day and commit. */
export function figuresFileName(date: Date, commit: string, only?: string[]): string {
  const day = date.toISOString().slice(0, 10)
  return `${[day, commit, ...(only ?? [])].join('-')}.json`
}

function keyOf(figure: Figure): string {
  return `${figure.bench}\u0000${figure.name}`
}

function formatNumber(n: number): string {
  return String(n)
}

function formatChange(percent: number): string {
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u

/** Terminal columns of a cell: the wide (CJK) characters take two. */
function width(text: string): number {
  let columns = 0
  for (const char of text) columns += WIDE.test(char) ? 2 : 1
  return columns
}
