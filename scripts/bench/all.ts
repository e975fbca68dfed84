// Every benchmark of scripts/bench/, one after the other, each in its own process with its usual output,
// then one table of all their figures, written as JSON to data/bench/ to compare with a later run.
//   npm run bench                                      (builds once, then runs them all: long)
//   npm run bench -- --only relevance,http             (some of them; names as in report.ts)
//   npm run bench -- --compare data/bench/<file>.json  (adds the earlier figure and the change in %)
//   npm run bench -- --markdown                        (the table as markdown)
// Each benchmark keeps its default sizes and reads its own environment variables; the figures come
// back through the file named by BENCH_FIGURES (reportFigures in lib.ts). A benchmark that fails is a
// line of the table and makes the exit code 1; the others still run.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  type Benchmark,
  buildTable,
  type Figure,
  type FiguresFile,
  figuresFileName,
  formatMarkdown,
  formatPlain,
  parseFigureLines,
  parseFiguresFile,
  type Run,
  selectBenchmarks,
} from './report.ts'

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    compare: { type: 'string' },
    markdown: { type: 'boolean', default: false },
  },
})
const root = fileURLToPath(new URL('../..', import.meta.url))
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const selected = selectBenchmarks(flags.only)
// Read before the long run, so a wrong path fails at once.
const previous = flags.compare ? parseFiguresFile(readFileSync(flags.compare, 'utf8')) : undefined

function round(n: number): number {
  return Math.round(n * 100) / 100
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return ''
  }
}

/** Runs one benchmark as `tsx <script>`, its output passed through; resolves with why it failed, if it did. */
function runProcess(bench: Benchmark, figuresFile: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [bench.script], {
      cwd: root,
      env: { ...process.env, BENCH_FIGURES: figuresFile },
      stdio: 'inherit',
    })
    child.once('error', (error) => resolve(`could not start: ${error.message}`))
    child.once('exit', (code, signal) =>
      resolve(signal ? `killed by ${signal}` : code === 0 ? undefined : `exit code ${code}`),
    )
  })
}

/** One benchmark: its process, then the figures it left in its own file. */
async function runBenchmark(bench: Benchmark, dir: string): Promise<{ run: Run; figures: Figure[] }> {
  const file = join(dir, `${bench.name}.jsonl`)
  const started = performance.now()
  let error = await runProcess(bench, file)
  const seconds = Math.round((performance.now() - started) / 100) / 10
  let figures: Figure[] = []
  try {
    figures = existsSync(file) ? parseFigureLines(readFileSync(file, 'utf8')) : []
  } catch (cause) {
    error ??= `its figures could not be read (${(cause as Error).message})`
  }
  const misnamed = [...new Set(figures.filter((figure) => figure.bench !== bench.name).map((figure) => figure.bench))]
  if (misnamed.length) error ??= `reported figures as ${misnamed.join(', ')}, not ${bench.name}`
  if (!figures.length) error ??= 'reported no figures'
  return { run: { bench: bench.name, ok: error === undefined, seconds, error }, figures }
}

const date = new Date()
const loadBefore = loadavg()[0]!
const commit = git(['rev-parse', '--short', 'HEAD']) || 'unknown'
const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== ''
const runs: Run[] = []
const figures: Figure[] = []
const dir = mkdtempSync(join(tmpdir(), 'bench-figures-'))
try {
  for (const [index, bench] of selected.entries()) {
    console.info(`\n▶ bench ${index + 1}/${selected.length}: ${bench.name} (tsx ${bench.script})`)
    const result = await runBenchmark(bench, dir)
    runs.push(result.run)
    figures.push(...result.figures)
    const { ok, seconds, error } = result.run
    console.info(
      `${ok ? '✔' : '✖'} ${bench.name}: ${seconds} s, ${result.figures.length} figures${error ? `; FAILED: ${error}` : ''}`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const output = join(root, 'data', 'bench', figuresFileName(date, commit, flags.only ? runs.map((r) => r.bench) : []))
const file: FiguresFile = {
  date: date.toISOString(),
  commit,
  dirty,
  node: process.version,
  cpus: cpus().length,
  load: { before: round(loadBefore), after: round(loadavg()[0]!) },
  runs,
  figures,
}
mkdirSync(join(root, 'data', 'bench'), { recursive: true })
writeFileSync(output, `${JSON.stringify(file, null, 2)}\n`)

const table = buildTable(runs, figures, previous)
const failed = runs.filter((run) => !run.ok)
const minutes = Math.round(runs.reduce((sum, run) => sum + run.seconds, 0) / 6) / 10
console.info(
  `\nbenchmarks at ${commit}${dirty ? ' (with uncommitted changes)' : ''}, ${date.toISOString().slice(0, 10)}, ${file.cpus} CPUs, load average ${file.load.before} → ${file.load.after}${flags.compare ? `; previous: ${flags.compare}` : ''}\n`,
)
console.info(flags.markdown ? formatMarkdown(table) : formatPlain(table))
console.info(
  `\n${runs.length} benchmark${runs.length === 1 ? '' : 's'} in ${minutes} min, ${figures.length} figures${failed.length ? `; FAILED: ${failed.map((run) => run.bench).join(', ')}` : ''}`,
)
console.info(`figures written to ${output.slice(root.length)}`)
if (failed.length) process.exitCode = 1
