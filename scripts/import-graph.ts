/**
 * The import graph of the application code and the direction it must keep (docs/architecture.md section 3):
 *
 *   routes → server → domain → lib / db / search
 *
 * `npx tsx scripts/import-graph.ts` prints the layers, how many imports run between each pair, the longest
 * modules, and every import that breaks the direction or closes a cycle. `scripts/import-graph.test.ts`
 * fails on any of those; Biome's `noRestrictedImports` (biome.json) catches most of them while typing.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'

export type Layer = 'routes' | 'components' | 'server' | 'domain' | 'lib' | 'locales' | 'search' | 'db'

/** The layers each layer may import, besides itself. Tests, scripts and benchmarks may import anything. */
export const allowedImports: Record<Layer, readonly Layer[]> = {
  routes: ['server', 'domain', 'components', 'lib', 'locales', 'search', 'db'],
  components: ['domain', 'lib', 'locales', 'search', 'db'],
  server: ['domain', 'lib', 'locales', 'search', 'db'],
  domain: ['lib', 'locales', 'search', 'db'],
  lib: ['locales', 'db'],
  locales: ['lib'],
  search: ['lib', 'db'],
  db: [],
}

/** Domain contexts bottom-up: each may import only the ones before it (docs/architecture.md section 3). */
export const contextOrder = [
  'activity',
  'identity',
  'notify',
  'scoring',
  'uploads',
  'people',
  'events',
  'qa',
  'help',
  'drafts',
  'support',
  'retention',
  'search',
  'reporting',
] as const

export type Module = { path: string; layer: Layer; lines: number; imports: Import[] }
export type Import = { to: string; typeOnly: boolean }

const roots = ['app', 'db', 'search']
const sourceFile = /\.(ts|tsx|mjs|js)$/
const importPattern =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** The layer a repository path belongs to, or null for code outside the application (tests, scripts). */
export function layerOf(path: string): Layer | null {
  if (/\.test\.tsx?$/.test(path)) return null
  if (path.startsWith('db/')) return 'db'
  if (path.startsWith('search/')) return 'search'
  if (path.startsWith('app/routes/') || /^app\/(root|routes|entry\.\w+)\.tsx?$/.test(path)) return 'routes'
  if (path.startsWith('app/components/')) return 'components'
  if (path.startsWith('app/server/')) return 'server'
  if (path.startsWith('app/domain/')) return 'domain'
  if (path.startsWith('app/lib/')) return 'lib'
  if (path.startsWith('app/locales/')) return 'locales'
  return null
}

/** The domain context of a path (`qa` for `app/domain/qa/votes.server.ts`), or null outside the domain. */
export function contextOf(path: string): string | null {
  return /^app\/domain\/([^/]+)\//.exec(path)?.[1] ?? null
}

function resolveSpecifier(from: string, specifier: string): string | null {
  const bare = specifier.replace(/\?.*$/, '')
  const aliased = /^#(app|db|search|tests)\/(.*)$/.exec(bare)
  if (aliased) return normalize(`${aliased[1] === 'app' ? 'app' : aliased[1]}/${aliased[2]}`)
  if (bare.startsWith('.')) return normalize(join(dirname(from), bare))
  return null
}

/** Every application module (tests excluded) with its imports of other repository files. */
export function readGraph(root = process.cwd()): Module[] {
  const modules: Module[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'migrations') walk(path)
        continue
      }
      const layer = layerOf(path)
      if (!layer || !sourceFile.test(entry.name) || entry.name.endsWith('.d.mts')) continue
      const text = readFileSync(join(root, path), 'utf8')
      const imports: Import[] = []
      for (const match of text.matchAll(importPattern)) {
        const to = resolveSpecifier(path, match[3] ?? match[4] ?? '')
        if (to) imports.push({ to: relative('.', to), typeOnly: Boolean(match[2]) })
      }
      modules.push({ path, layer, lines: text.split('\n').length, imports })
    }
  }
  for (const dir of roots) walk(dir)
  return modules.sort((a, b) => a.path.localeCompare(b.path))
}

export type Violation = { from: string; to: string; why: string }

/** Imports that run against the direction: a layer importing one it may not, the browser importing a
 *  server module, application code importing tests or scripts. */
export function directionViolations(modules: readonly Module[]): Violation[] {
  const violations: Violation[] = []
  for (const module of modules) {
    for (const { to } of module.imports) {
      if (/^(tests|scripts)\//.test(to)) {
        violations.push({ from: module.path, to, why: 'application code imports tests or scripts' })
        continue
      }
      const target = layerOf(to)
      if (!target) continue
      if (target !== module.layer && !allowedImports[module.layer].includes(target)) {
        violations.push({ from: module.path, to, why: `${module.layer} may not import ${target}` })
      } else if (module.layer === 'components' && /\.server\.tsx?$/.test(to)) {
        violations.push({ from: module.path, to, why: 'components may not import server modules' })
      }
    }
  }
  return violations
}

/** Imports of a context that comes later in `contextOrder` (or of a context missing from it). */
export function contextOrderViolations(modules: readonly Module[]): Violation[] {
  const rank = (context: string) => (contextOrder as readonly string[]).indexOf(context)
  const violations: Violation[] = []
  for (const module of modules) {
    const from = contextOf(module.path)
    if (!from) continue
    for (const { to } of module.imports) {
      const target = contextOf(to)
      if (!target || target === from) continue
      if (rank(from) < 0 || rank(target) < 0 || rank(target) > rank(from)) {
        violations.push({ from: module.path, to, why: `${from} may not import ${target} (contextOrder)` })
      }
    }
  }
  return violations
}

/** Cycles between files (type-only imports included: a cycle of types still couples two modules). */
export function fileCycles(modules: readonly Module[]): string[][] {
  const edges = new Map(modules.map((m) => [m.path, m.imports.map((i) => i.to)]))
  return cyclesOf(edges)
}

/** Cycles between domain contexts: `qa` importing `notify` while `notify` imports `qa`. */
export function contextCycles(modules: readonly Module[]): string[][] {
  const edges = new Map<string, string[]>()
  for (const module of modules) {
    const from = contextOf(module.path)
    if (!from) continue
    const list = edges.get(from) ?? []
    for (const { to } of module.imports) {
      const target = contextOf(to)
      if (target && target !== from && !list.includes(target)) list.push(target)
    }
    edges.set(from, list)
  }
  return cyclesOf(edges)
}

/** Strongly connected components with more than one member (Tarjan), each sorted. */
function cyclesOf(edges: Map<string, string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string) => {
    index.set(node, next)
    low.set(node, next)
    next += 1
    stack.push(node)
    onStack.add(node)
    for (const target of edges.get(node) ?? []) {
      if (!edges.has(target)) continue
      if (!index.has(target)) {
        visit(target)
        low.set(node, Math.min(low.get(node)!, low.get(target)!))
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!))
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const node of edges.keys()) if (!index.has(node)) visit(node)
  return found
}

/** How many imports run from each layer to each other layer. */
export function layerMatrix(modules: readonly Module[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const module of modules) {
    for (const { to } of module.imports) {
      const target = layerOf(to) ?? (/^(tests|scripts)\//.test(to) ? to.split('/')[0] : null)
      if (!target || target === module.layer) continue
      const key = `${module.layer} → ${target}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  }
  return new Map([...counts].sort((a, b) => a[0].localeCompare(b[0])))
}

function report() {
  const modules = readGraph()
  const byLayer = new Map<Layer, Module[]>()
  for (const module of modules) byLayer.set(module.layer, [...(byLayer.get(module.layer) ?? []), module])
  console.info('Layers (modules, lines):')
  for (const [layer, list] of byLayer) {
    console.info(`  ${layer.padEnd(11)} ${String(list.length).padStart(4)} ${list.reduce((n, m) => n + m.lines, 0)}`)
  }
  console.info('\nImports between layers:')
  for (const [pair, count] of layerMatrix(modules)) console.info(`  ${pair.padEnd(26)} ${count}`)
  console.info('\nLongest modules:')
  for (const module of [...modules].sort((a, b) => b.lines - a.lines).slice(0, 10)) {
    console.info(`  ${String(module.lines).padStart(5)} ${module.path}`)
  }
  const violations = [...directionViolations(modules), ...contextOrderViolations(modules)]
  const cycles = fileCycles(modules)
  const contexts = contextCycles(modules)
  console.info(`\nAgainst the direction: ${violations.length}`)
  for (const v of violations) console.info(`  ${v.from} → ${v.to} (${v.why})`)
  console.info(`File cycles: ${cycles.length}`)
  for (const cycle of cycles) console.info(`  ${cycle.join(' ↔ ')}`)
  console.info(`Context cycles: ${contexts.length}`)
  for (const cycle of contexts) console.info(`  ${cycle.join(' ↔ ')}`)
  if (violations.length + cycles.length + contexts.length > 0) process.exitCode = 1
}

if (import.meta.url === `file://${process.argv[1]}`) report()
