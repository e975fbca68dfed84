import { expect, test } from 'vitest'
import { db } from '#tests/db.ts'
import { newVisitorsPerAddress, readerOf, VISITOR_COOKIE } from './visitor.server.ts'

const request = (headers: Record<string, string>) => new Request('http://localhost/help', { headers })
let address = 0
/** An address of its own per test, so the per-address allowance of one cannot spill into another. */
const ip = () => `203.0.${process.pid % 250}.${++address}`

test('a confirmed member reads as their user id; an unconfirmed one as a visitor', async () => {
  expect(await readerOf(db, request({}), { id: 7, emailVerified: true })).toMatchObject({ key: 'u:7', setCookie: null })
  const unconfirmed = await readerOf(db, request({}), { id: 8, emailVerified: false }, ip())
  expect(unconfirmed.key).toMatch(/^v:/)
  expect(unconfirmed.userId).toBeNull()
})

test('a new visitor gets a signed id as a cookie, which names the same reader next time', async () => {
  const from = ip()
  const first = await readerOf(db, request({ 'user-agent': 'Mozilla/5.0 Firefox/140.0' }), null, from)
  expect(first.key).toMatch(/^v:/)
  expect(first.setCookie).toContain(`${VISITOR_COOKIE}=`)
  expect(first.setCookie).toContain('HttpOnly')
  expect(first.key).not.toContain(from)
  const cookie = first.setCookie!.split(';')[0]!
  const next = await readerOf(db, request({ cookie }), null, from)
  expect(next).toMatchObject({ key: first.key, setCookie: null })
})

test('an unsigned, tampered or made-up visitor id is no id', async () => {
  const from = ip()
  const first = await readerOf(db, request({}), null, from)
  const signed = first.setCookie!.split(';')[0]!.split('=')[1]!
  // The last character changed (to another one: a signature may well end in "x").
  const tampered = `${signed.slice(0, -1)}${signed.endsWith('x') ? 'y' : 'x'}`
  for (const forged of ['abcdefghijklmnop1234', tampered, `other.${signed.split('.')[1]}`]) {
    const reader = await readerOf(db, request({ cookie: `${VISITOR_COOKIE}=${forged}` }), null, from)
    expect(reader.key).not.toBe(`v:${forged}`)
    expect(reader.key).not.toBe(first.key)
  }
})

test('an address that keeps dropping its cookie gets a few ids a day, then reads as the address', async () => {
  const from = ip()
  const keys = new Set<string>()
  for (let i = 0; i < newVisitorsPerAddress.limit + 10; i++) {
    keys.add((await readerOf(db, request({ 'user-agent': `agent ${i}` }), null, from)).key)
  }
  // Twenty visitor ids, then one more reader for every request after: the address.
  expect(keys.size).toBe(newVisitorsPerAddress.limit + 1)
  const over = await readerOf(db, request({}), null, from)
  expect(over).toMatchObject({ setCookie: null })
  expect(over.key).toMatch(/^a:/)
})

test('crawlers are recognised by their user agent and use up nothing', async () => {
  expect((await readerOf(db, request({ 'user-agent': 'Googlebot/2.1' }), null, ip())).crawler).toBe(true)
  expect((await readerOf(db, request({ 'user-agent': 'Mozilla/5.0 Safari/605.1' }), null, ip())).crawler).toBe(false)
})
