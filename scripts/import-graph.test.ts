import { expect, test } from 'vitest'
import {
  contextCycles,
  contextOrder,
  contextOrderViolations,
  directionViolations,
  fileCycles,
  type Module,
  readGraph,
} from './import-graph.ts'

// The direction of docs/architecture.md section 3 and decision 034, over every import of the application.
const modules = readGraph()

test('the graph reads the application: every layer has modules, and imports were found', () => {
  const layers = new Set(modules.map((m) => m.layer))
  expect([...layers].sort()).toEqual(['components', 'db', 'domain', 'lib', 'locales', 'routes', 'search', 'server'])
  expect(modules.reduce((n, m) => n + m.imports.length, 0)).toBeGreaterThan(1000)
  const contexts = new Set(modules.map((m) => /^app\/domain\/([^/]+)\//.exec(m.path)?.[1]).filter(Boolean))
  expect([...contexts].sort()).toEqual([...contextOrder].sort())
})

test('no import runs against the direction', () => {
  expect(directionViolations(modules)).toEqual([])
})

test('each domain context imports only the contexts below it', () => {
  expect(contextOrderViolations(modules)).toEqual([])
  expect(contextCycles(modules)).toEqual([])
})

test('no two files import each other, directly or around a loop', () => {
  expect(fileCycles(modules)).toEqual([])
})

test('the checks catch what they are for', () => {
  const fake = (path: string, layer: Module['layer'], ...to: string[]): Module => ({
    path,
    layer,
    lines: 1,
    imports: to.map((target) => ({ to: target, typeOnly: false })),
  })
  const sample = [
    fake('app/lib/a.ts', 'lib', 'app/domain/qa/b.server.ts'),
    fake('app/domain/qa/b.server.ts', 'domain', 'app/domain/identity/c.ts', 'app/lib/a.ts'),
    fake('app/domain/identity/c.ts', 'domain', 'app/domain/qa/policies.ts'),
    fake('app/domain/qa/policies.ts', 'domain'),
    fake('app/components/d.tsx', 'components', 'app/domain/qa/b.server.ts', 'app/root.tsx'),
    fake('search/e.ts', 'search', 'tests/db.ts'),
  ]
  expect(directionViolations(sample).map((v) => `${v.from} → ${v.to}`)).toEqual([
    'app/lib/a.ts → app/domain/qa/b.server.ts',
    'app/components/d.tsx → app/domain/qa/b.server.ts',
    'app/components/d.tsx → app/root.tsx',
    'search/e.ts → tests/db.ts',
  ])
  expect(contextOrderViolations(sample).map((v) => v.from)).toEqual(['app/domain/identity/c.ts'])
  expect(fileCycles(sample)).toEqual([['app/domain/qa/b.server.ts', 'app/lib/a.ts']])
  expect(contextCycles(sample)).toEqual([['identity', 'qa']])
})
