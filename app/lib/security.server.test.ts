import { expect, test } from 'vitest'
import { safeRedirect } from '#app/server/auth.server.ts'
import { contentSecurityPolicy, crossOriginRefusal, isCrossOriginWrite } from './security.server.ts'

function post(headers: Record<string, string>, method = 'POST') {
  return new Request('http://localhost:3000/login', { method, headers })
}

test('writes from another origin are refused; same-origin and non-browser writes pass; reads always pass', () => {
  expect(isCrossOriginWrite(post({ 'sec-fetch-site': 'cross-site' }))).toBe(true)
  expect(isCrossOriginWrite(post({ 'sec-fetch-site': 'same-site' }))).toBe(true)
  expect(isCrossOriginWrite(post({ origin: 'https://evil.example' }))).toBe(true)
  expect(isCrossOriginWrite(post({ origin: 'http://localhost:3001' }))).toBe(true)
  expect(isCrossOriginWrite(post({ origin: 'null' }))).toBe(true)
  expect(isCrossOriginWrite(post({ 'sec-fetch-site': 'same-origin', origin: 'http://localhost:3000' }))).toBe(false)
  expect(isCrossOriginWrite(post({ origin: 'http://localhost:3000' }))).toBe(false)
  expect(isCrossOriginWrite(post({}))).toBe(false)
  expect(isCrossOriginWrite(post({ 'sec-fetch-site': 'cross-site' }, 'GET'))).toBe(false)
  expect(isCrossOriginWrite(post({ origin: 'https://evil.example' }, 'DELETE'))).toBe(true)
  // Either header naming another site refuses, whatever the other one says.
  expect(isCrossOriginWrite(post({ 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }))).toBe(true)
  // Behind a proxy that ends TLS the request arrives as http://, the page was https:// (APP_URL).
  const appOrigin = new URL(process.env.APP_URL ?? 'http://localhost:3000').origin
  expect(isCrossOriginWrite(post({ origin: appOrigin }))).toBe(false)
})

test('the refusal is a 403 in the reader’s language, with security headers', async () => {
  const refusal = crossOriginRefusal(post({ origin: 'https://evil.example', 'accept-language': 'ja' }))
  expect(refusal?.status).toBe(403)
  expect(await refusal!.text()).toContain('別のサイト')
  expect(refusal!.headers.get('x-frame-options')).toBe('DENY')
})

test('the CSP allows only nonce’d scripts and no framing', () => {
  const csp = contentSecurityPolicy('abc123')
  expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'")
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).toContain("object-src 'none'")
})

test('only same-site paths are followed after sign-in', () => {
  expect(safeRedirect('/questions?tab=new')).toBe('/questions?tab=new')
  expect(safeRedirect('//evil.example')).toBe('/')
  expect(safeRedirect('/\\evil.example')).toBe('/')
  expect(safeRedirect('https://evil.example')).toBe('/')
  expect(safeRedirect(null)).toBe('/')
})

test('a redirect target a browser would read as another site, or that is no valid header, goes home', () => {
  // Browsers drop tabs and line breaks inside a URL: "/\t/evil.example" is "//evil.example".
  expect(safeRedirect('/\t/evil.example')).toBe('/')
  expect(safeRedirect('/\n/evil.example')).toBe('/')
  expect(safeRedirect('/\r\nSet-Cookie: a=b')).toBe('/')
  expect(safeRedirect('/\u0000')).toBe('/')
  expect(safeRedirect('/./\\evil.example')).toBe('/')
  // Non-ASCII paths come back percent-encoded, a valid Location header.
  expect(safeRedirect('/tags/ヘルス?q=a b#top')).toBe('/tags/%E3%83%98%E3%83%AB%E3%82%B9?q=a%20b#top')
  expect(safeRedirect('/questions/../help')).toBe('/help')
})
