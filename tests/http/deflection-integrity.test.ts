import { afterAll, beforeAll, expect, test } from 'vitest'
import { supportFigures } from '#app/domain/reporting/deflection.server.ts'
import { db } from '#tests/db.ts'
import { type AppServer, startApp, Visitor } from './app-server.ts'
import { issuedAttemptKey } from './forms.ts'
import { personaEmails } from './personas.ts'

// The deflection figures a manager shows their own manager (explicit deflections, the rate, money
// saved) cannot be moved by a member: only an attempt the server started for that member counts, only
// for a document it showed in that attempt, and only once. Forged, replayed and borrowed solves change
// nothing.

let app: AppServer
let member: Visitor
let other: Visitor

beforeAll(async () => {
  app = await startApp({ env: { RATE_LIMITS: 'off' } })
  member = await new Visitor(app).signIn(personaEmails.member)
  other = await new Visitor(app).signIn(personaEmails.other)
})

afterAll(async () => {
  await app?.stop()
})

function figures() {
  return supportFigures(db, { from: new Date(Date.now() - 365 * 86_400_000), to: new Date(Date.now() + 86_400_000) })
}

/** What the server suggests for a subject in an attempt it issued to `visitor`. */
async function suggestionsIn(visitor: Visitor, key: string, q = 'export report'): Promise<string[]> {
  const reply = await visitor.request('POST', '/support/suggest', { form: { attempt: key, q } })
  expect(reply.status).toBe(200)
  return (JSON.parse(reply.text) as { suggestions: { doc: string }[] }).suggestions.map((s) => s.doc)
}

function solve(visitor: Visitor, attempt: string, doc: string) {
  return visitor.post('/support/new', { intent: 'solved', attempt, doc })
}

test('forged, replayed, borrowed and unshown solves leave the figures where they were', async () => {
  const shownKey = await issuedAttemptKey(member)
  const shown = await suggestionsIn(member, shownKey)
  expect(shown.length).toBeGreaterThan(0)
  const otherKey = await issuedAttemptKey(other)
  // A real document, offered elsewhere but not in this attempt.
  const elsewhere = (await suggestionsIn(other, otherKey, 'password sign in')).find((doc) => !shown.includes(doc))
  expect(elsewhere).toBeTruthy()
  const unusedKey = await issuedAttemptKey(member)
  const before = await figures()

  const replies = []
  // Thirty made-up attempts, as the outsider sent them.
  for (let i = 0; i < 30; i++) replies.push(await solve(member, crypto.randomUUID(), shown[0]!))
  replies.push(
    // A made-up attempt dressed as a signed one.
    await solve(member, `${crypto.randomUUID()}.${'A'.repeat(32)}`, shown[0]!),
    // A key the server issued to this member, but no suggestion was ever shown in it.
    await solve(member, unusedKey, shown[0]!),
    // Another member's attempt.
    await solve(member, otherKey, shown[0]!),
    // A document the server did not show in this attempt.
    await solve(member, shownKey, 'article:999999'),
    await solve(member, shownKey, elsewhere!),
  )
  expect(replies.map((reply) => reply.status).filter((status) => status < 400 || status >= 500)).toEqual([])
  expect(await figures()).toEqual(before)

  // The real thing counts once, however often it is replayed.
  const first = await solve(member, shownKey, shown[0]!)
  expect(first).toMatchObject({ status: 303, location: '/support/new?solved=1' })
  const replayed = []
  for (let i = 0; i < 10; i++) replayed.push(await solve(member, shownKey, shown.at(-1)!))
  expect(replayed.every((reply) => reply.status === 303)).toBe(true)
  const after = await figures()
  expect(after.explicit).toBe(before.explicit + 1)
  expect(after.costSavedMinor - before.costSavedMinor).toBe(after.cost.amountMinor)
})

test('a member may not open suggestions in another member’s attempt, nor one the server did not show', async () => {
  const otherKey = await issuedAttemptKey(other)
  const [doc] = await suggestionsIn(other, otherKey)
  const borrowed = await member.post('/support/open', { attempt: otherKey, doc: doc!, mode: 'inline' })
  expect(borrowed.status).toBe(404)
  const ownKey = await issuedAttemptKey(member)
  await suggestionsIn(member, ownKey)
  const unshown = await member.post('/support/open', { attempt: ownKey, doc: 'article:999999', mode: 'inline' })
  expect(unshown.status).toBe(404)
})
