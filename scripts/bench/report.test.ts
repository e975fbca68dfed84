import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import {
  benchmarks,
  buildTable,
  changePercent,
  type Figure,
  figureLines,
  figuresFileName,
  formatMarkdown,
  formatPlain,
  parseFigureLines,
  parseFiguresFile,
  type Run,
  rowFigures,
  selectBenchmarks,
} from './report.ts'

const ok = (bench: string): Run => ({ bench, ok: true, seconds: 1 })
const figure = (bench: string, name: string, value: number, unit = 'ms'): Figure => ({
  bench,
  name,
  figure: value,
  unit,
})

test('npm run bench runs every bench:* script of package.json, without its build', () => {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }
  const own = Object.entries(scripts)
    .filter(([name]) => name.startsWith('bench:'))
    .map(([name, command]) => ({
      name: name.slice('bench:'.length),
      command: command.replace('react-router build && ', ''),
    }))
  expect(benchmarks.map((bench) => ({ name: bench.name, command: `tsx ${bench.script}` }))).toEqual(
    expect.arrayContaining(own),
  )
  expect(benchmarks).toHaveLength(own.length)
})

test('--only picks benchmarks by name in the usual order, and refuses a name it does not know', () => {
  expect(selectBenchmarks(undefined)).toHaveLength(benchmarks.length)
  expect(selectBenchmarks('relevance, http').map((bench) => bench.name)).toEqual(['http', 'relevance'])
  expect(() => selectBenchmarks('http,nope')).toThrow(/unknown: nope/)
  expect(() => selectBenchmarks(',')).toThrow(/--only/)
})

test('figures survive the trip through the JSON lines of BENCH_FIGURES, and a bad line is named', () => {
  const lines =
    figureLines('http', [{ name: 'GET / p95', figure: 12.5, unit: 'ms' }]) +
    figureLines('http', [{ name: 'memory after load', figure: 180, unit: 'MB' }])
  expect(parseFigureLines(`${lines}\n`)).toEqual([
    figure('http', 'GET / p95', 12.5),
    figure('http', 'memory after load', 180, 'MB'),
  ])
  expect(() => parseFigureLines(`${lines}{"bench":"http","name":"x","figure":"fast","unit":"ms"}`)).toThrow(
    /line 3 is not a figure/,
  )
  expect(() => parseFigureLines('{"bench":')).toThrow(/line 1 is not JSON/)
  expect(parseFigureLines('')).toEqual([])
})

test('a printed row gives its throughput and percentiles as figures named after its title', () => {
  expect(rowFigures('GET /help', { 'req/s': 900, 'p50 ms': 10, 'p95 ms': 21.5, 'p99 ms': 30 })).toEqual([
    { name: 'GET /help throughput', figure: 900, unit: 'req/s' },
    { name: 'GET /help p50', figure: 10, unit: 'ms' },
    { name: 'GET /help p95', figure: 21.5, unit: 'ms' },
    { name: 'GET /help p99', figure: 30, unit: 'ms' },
  ])
  expect(rowFigures('search', { 'p50 ms': 2 })).toEqual([{ name: 'search p50', figure: 2, unit: 'ms' }])
})

test('the change is in percent of the earlier figure, one decimal', () => {
  expect(changePercent(110, 100)).toBe(10)
  expect(changePercent(90, 100)).toBe(-10)
  expect(changePercent(1, 3)).toBe(-66.7)
  expect(changePercent(0, 0)).toBe(0)
  expect(changePercent(5, 0)).toBeNull()
})

test('the plain table aligns its columns, numbers to the right, and shows a failed benchmark', () => {
  const table = buildTable(
    [ok('http'), { bench: 'events', ok: false, seconds: 3, error: 'exit code 1' }],
    [figure('http', 'GET / throughput', 1234, 'req/s'), figure('http', 'GET / p95', 8.5)],
  )
  expect(formatPlain(table).split('\n')).toEqual([
    'benchmark  name                 figure  unit',
    '---------  -------------------  ------  -----',
    'http       GET / throughput       1234  req/s',
    'http       GET / p95               8.5  ms',
    'events     FAILED: exit code 1',
  ])
})

test('a Japanese name takes two columns a character in the plain table', () => {
  const table = buildTable([ok('search')], [figure('search', '権限 p50', 3), figure('search', 'abcdefg p50', 4)])
  const [, , first, second] = formatPlain(table).split('\n')
  expect(first!.indexOf('3')).toBe(second!.indexOf('4') - 2)
})

test('the markdown table escapes pipes and aligns numbers to the right', () => {
  const table = buildTable([ok('scoring')], [figure('scoring', 'a | b', 2, 's')])
  expect(formatMarkdown(table).split('\n')).toEqual([
    '| benchmark | name | figure | unit |',
    '| --- | --- | ---: | --- |',
    '| scoring | a \\| b | 2 | s |',
  ])
})

test('with an earlier run, each figure shows the earlier one and the change; new and missing ones are marked', () => {
  const previous = [
    figure('http', 'GET / p95', 10),
    figure('http', 'GET /old p95', 4),
    figure('search', 'build', 100, 's'),
  ]
  const table = buildTable(
    [ok('http')],
    [figure('http', 'GET / p95', 12), figure('http', 'GET /new p95', 3), figure('http', 'zero', 1)],
    [...previous, figure('http', 'zero', 0)],
  )
  expect(table.header).toEqual(['benchmark', 'name', 'figure', 'unit', 'previous', 'change'])
  // Only the benchmarks run this time are compared: search was not, so its build is not listed.
  expect(table.rows).toEqual([
    ['http', 'GET / p95', '12', 'ms', '10', '+20.0%'],
    ['http', 'GET /new p95', '3', 'ms', '', 'new'],
    ['http', 'zero', '1', 'ms', '0', 'n/a'],
    ['http', 'GET /old p95', '', 'ms', '4', 'missing'],
  ])
})

test('a figures file is read back for --compare, and anything else is refused', () => {
  const figures = [figure('relevance', 'embedded: MRR, all queries', 0.9, '')]
  const file = {
    date: '2026-01-01T00:00:00.000Z',
    commit: 'abc1234',
    dirty: false,
    node: 'v20',
    cpus: 2,
    load: { before: 0.5, after: 1 },
    runs: [],
  }
  expect(parseFiguresFile(JSON.stringify({ ...file, figures }))).toEqual(figures)
  expect(() => parseFiguresFile(JSON.stringify([1, 2]))).toThrow(/not a figures file/)
})

test('the file of a full run is named by day and commit; a partial run adds the benchmarks it ran', () => {
  const date = new Date('2026-03-05T23:30:00Z')
  expect(figuresFileName(date, 'abc1234')).toBe('2026-03-05-abc1234.json')
  expect(figuresFileName(date, 'abc1234', ['http', 'relevance'])).toBe('2026-03-05-abc1234-http-relevance.json')
})
