import { afterAll, beforeAll, expect, test } from 'vitest'
import type { AppServer, Visitor } from './app-server.ts'
import { type DemoObjects, type Persona, personas, startWithPersonas } from './personas.ts'
import { classify, eachLimited, type Policy, policy, routeIds, stateFingerprint } from './route-policy.ts'

// The authorization matrix: every route × persona × (read, change) against tests/http/route-policy.ts.

let app: AppServer
let visitors: Record<Persona, Visitor>
let objects: DemoObjects

beforeAll(async () => {
  ;({ app, visitors, objects } = await startWithPersonas({ RATE_LIMITS: 'off' }))
})

afterAll(async () => {
  await app?.stop()
})

test('every route of app/routes.ts has a declared policy, and every policy names a route', () => {
  const ids = routeIds()
  expect(
    ids.filter((id) => !(id in policy)),
    'routes without a policy',
  ).toEqual([])
  expect(
    Object.keys(policy).filter((id) => !ids.includes(id)),
    'policies for no route',
  ).toEqual([])
  for (const [id, entry] of Object.entries(policy)) {
    if (entry === 'layout') continue
    expect(entry.read, id).toMatch(/^[yltn-]{6}$/)
    expect(entry.change, id).toMatch(/^[yltn-]{6}$/)
  }
})

test('every route answers each persona as its policy says, reading and changing, and no GET changes state', async () => {
  const entries = Object.entries(policy).filter((e): e is [string, Policy] => e[1] !== 'layout')
  const mismatches: string[] = []

  const before = await stateFingerprint()
  const reads = entries.flatMap(([id, p]) => personas.map((who) => [id, p, who] as const))
  const readActual = new Map<string, string[]>()
  await eachLimited(reads, 4, async ([id, p, who]) => {
    const reply = await visitors[who].get(p.url(objects))
    const letters = readActual.get(id) ?? Array(personas.length).fill('?')
    letters[personas.indexOf(who)] = classify(reply, 'read')
    readActual.set(id, letters)
  })
  for (const [id, p] of entries) {
    const actual = readActual.get(id)?.join('')
    if (actual !== p.read) mismatches.push(`read   ${id.padEnd(38)} declared ${p.read}  answered ${actual}`)
  }
  const after = await stateFingerprint()
  const changedByGet = Object.keys(before).filter((table) => before[table] !== after[table])
  expect(changedByGet, 'tables a GET changed').toEqual([])

  // Changes: the session-ending ones last, so every other request still runs signed in.
  const ordered = [...entries].sort((a, b) => Number(!!a[1].endsSession) - Number(!!b[1].endsSession))
  for (const [id, p] of ordered) {
    const letters = await Promise.all(
      personas.map(async (who) => {
        const reply = await visitors[who].request(p.method ?? 'POST', p.url(objects), { form: p.body?.(objects) ?? {} })
        return classify(reply, 'change')
      }),
    )
    const actual = letters.join('')
    if (actual !== p.change) mismatches.push(`change ${id.padEnd(38)} declared ${p.change}  answered ${actual}`)
  }

  expect(mismatches, `persona order: ${personas.join(', ')}\n${app.stderr().slice(-4000)}`).toEqual([])
})
