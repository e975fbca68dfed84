import { expect, test } from 'vitest'
import { translator } from '#app/lib/i18n.ts'
import { outboundFailureKinds } from '#app/lib/outbound.server.ts'
import { deliveryErrorKind, deliveryErrorKinds, deliveryErrorMessage } from './delivery-errors.ts'

test('every kind of failure has words in English and Japanese, and covers every outbound failure', () => {
  for (const kind of outboundFailureKinds) expect(deliveryErrorKinds).toContain(kind)
  for (const locale of ['en', 'ja'] as const) {
    const t = translator(locale)
    for (const kind of deliveryErrorKinds) {
      const message = deliveryErrorMessage(kind, kind === 'http_status' ? 500 : kind === 'redirect' ? 301 : null)!
      const text = t(message.key, message.params)
      expect(text, `${locale} ${kind}`).not.toBe(message.key)
      if (kind === 'http_status') expect(text).toContain('500')
    }
  }
})

test('errors stored before the kinds are read back as a kind, never shown as written', () => {
  const body = 'HTTP 500: {"debug":"stack trace","password":"db-pass"}'
  expect(deliveryErrorKind(body, 500)).toBe('http_status')
  expect(deliveryErrorKind('HTTP 302: moved', 302)).toBe('redirect')
  expect(deliveryErrorKind('HTTP 404', null)).toBe('http_status')
  expect(deliveryErrorKind('No answer within 10 seconds.', null)).toBe('timeout')
  expect(deliveryErrorKind('No signing secret is set.', null)).toBe('no_secret')
  expect(deliveryErrorKind('fetch failed: connect ECONNREFUSED 10.1.2.3:8443', null)).toBe('connection_refused')
  expect(deliveryErrorKind('fetch failed: getaddrinfo ENOTFOUND hooks.internal', null)).toBe('dns')
  expect(deliveryErrorKind('fetch failed: other side closed', null)).toBe('reset')
  expect(
    deliveryErrorKind('fetch failed: unable to verify the first certificate; UNABLE_TO_VERIFY_LEAF_SIGNATURE', null),
  ).toBe('tls')
  expect(deliveryErrorKind('something nobody expected at 10.0.0.7', null)).toBe('other')
  expect(deliveryErrorKind(null, 200)).toBeNull()
  expect(deliveryErrorKind('refused_address', null)).toBe('refused_address')

  const t = translator('en')
  const shown = deliveryErrorMessage(body, 500)!
  expect(t(shown.key, shown.params)).toBe('The receiver answered HTTP 500.')
  const legacy = deliveryErrorMessage('HTTP 503: maintenance page', null)!
  expect(t(legacy.key, legacy.params)).toBe('The receiver answered HTTP 503.')
})
