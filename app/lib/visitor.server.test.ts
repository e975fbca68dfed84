import { expect, test } from 'vitest'
import { readerOf, VISITOR_COOKIE } from './visitor.server.ts'

const request = (headers: Record<string, string>) => new Request('http://localhost/help', { headers })

test('a member reads as their user id; a visitor by the id in their cookie', () => {
  expect(readerOf(request({}), { id: 7 })).toMatchObject({ key: 'u:7', setCookie: null })
  const visitor = readerOf(request({ cookie: `${VISITOR_COOKIE}=abcdefghijklmnop1234` }), null)
  expect(visitor).toMatchObject({ key: 'v:abcdefghijklmnop1234', setCookie: null, crawler: false })
})

test('a visitor without the cookie gets a stable daily id, not tied visibly to the address, as a new cookie', () => {
  const headers = { 'user-agent': 'Mozilla/5.0 Firefox/140.0' }
  const first = readerOf(request(headers), null, '203.0.113.7')
  const again = readerOf(request(headers), null, '203.0.113.7')
  const elsewhere = readerOf(request(headers), null, '198.51.100.2')
  expect(first.key).toBe(again.key)
  expect(first.key).not.toBe(elsewhere.key)
  expect(first.key).not.toContain('203.0.113.7')
  expect(first.setCookie).toContain(`${VISITOR_COOKIE}=${first.key.slice(2)};`)
  expect(first.setCookie).toContain('HttpOnly')
  // The cookie it sets names the same reader on the next request.
  const next = readerOf(request({ ...headers, cookie: first.setCookie!.split(';')[0]! }), null, '203.0.113.7')
  expect(next.key).toBe(first.key)
})

test('crawlers are recognised by their user agent', () => {
  expect(readerOf(request({ 'user-agent': 'Googlebot/2.1' }), null).crawler).toBe(true)
  expect(readerOf(request({ 'user-agent': 'Mozilla/5.0 Safari/605.1' }), null).crawler).toBe(false)
})
