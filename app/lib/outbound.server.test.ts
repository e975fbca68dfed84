import { expect, test } from 'vitest'
import { freePort } from '#tests/free-port.ts'
import { endlessBody, hangs, hugeBody, redirectsTo, startWebhookReceiver } from '#tests/webhook-receiver.ts'
import {
  checkOutboundUrl,
  isAllowedAddress,
  MAX_REPLY_BYTES,
  parseOutboundUrl,
  redactUrl,
  sendOutbound,
} from './outbound.server.ts'

// Only loopback is ever connected to here. Public-looking addresses are judged, never contacted.

const off = { allowPrivate: false }
const on = { allowPrivate: true }
/** At most one socket read (64 KB) past the limit reaches the process before it closes the socket. */
const READ_BOUND = MAX_REPLY_BYTES + 64 * 1024

function post(url: string, extra: { allowPrivate?: boolean; timeoutMs?: number } = {}) {
  return sendOutbound(url, { body: '{"event":"ping"}', timeoutMs: 5_000, ...on, ...extra })
}

test('every spelling of loopback, private, link-local, unique-local, unspecified and multicast is refused before any lookup', () => {
  for (const url of [
    'http://127.0.0.1:8080/in',
    'http://0.0.0.0/',
    'http://0/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://0177.0.0.1/',
    'http://%31%32%37.0.0.1/',
    'http://127.0.0.1./',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::127.0.0.1]/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fd00:ec2::254]/',
    'http://224.0.0.1/',
    'http://[ff02::1]/',
    'http://255.255.255.255/',
    'http://[64:ff9b::7f00:1]/',
    'http://[2002:7f00:1::]/',
    'http://192.0.2.10/',
  ]) {
    expect(parseOutboundUrl(url, off), url).toEqual({ ok: false, reason: 'refused_address' })
  }
  expect(parseOutboundUrl('http://user:pass@hooks.example.com/', off)).toEqual({ ok: false, reason: 'credentials' })
  expect(parseOutboundUrl('https://token@hooks.example.com/', off)).toEqual({ ok: false, reason: 'credentials' })
  expect(parseOutboundUrl('ftp://files.example.com/', off)).toEqual({ ok: false, reason: 'scheme' })
  expect(parseOutboundUrl('file:///etc/passwd', off)).toEqual({ ok: false, reason: 'scheme' })
  expect(parseOutboundUrl('gopher://127.0.0.1:6379/_INFO', off)).toEqual({ ok: false, reason: 'scheme' })
  expect(parseOutboundUrl('hooks.example.com/in', off)).toEqual({ ok: false, reason: 'invalid' })
})

test('public unicast passes; allowing private targets lets loopback and private networks through, never metadata or multicast', () => {
  expect(parseOutboundUrl('http://93.184.216.34/hook', off)).toMatchObject({ ok: true, isAddress: true })
  expect(parseOutboundUrl('https://[2606:4700:4700::1111]/hook', off)).toMatchObject({
    ok: true,
    host: '2606:4700:4700::1111',
  })
  expect(parseOutboundUrl('https://hooks.example.com/in', off)).toMatchObject({ ok: true, isAddress: false })

  for (const address of [
    '127.0.0.1',
    '127.8.9.1',
    '::1',
    '10.0.0.1',
    '192.168.1.1',
    '::ffff:10.1.2.3',
    'fc00::1',
    '100.64.0.1',
  ]) {
    expect(isAllowedAddress(address, on), address).toBe(true)
    expect(isAllowedAddress(address, off), address).toBe(false)
  }
  for (const address of [
    '0.0.0.0',
    '::',
    '169.254.169.254',
    '::ffff:169.254.169.254',
    'fe80::1',
    'fd00:ec2::254',
    '100.100.100.200',
    '224.0.0.1',
    'ff02::1',
    '255.255.255.255',
    '::127.0.0.1',
    'not an address',
  ]) {
    expect(isAllowedAddress(address, on), address).toBe(false)
  }
  expect(isAllowedAddress('93.184.216.34', off)).toBe(true)
  expect(isAllowedAddress('[2606:4700:4700::1111]', off)).toBe(true)
})

test('saving resolves a host name and refuses it when any address is inside; a name that does not resolve is left to the connect check', async () => {
  expect(await checkOutboundUrl('http://localhost:8080/in', off)).toEqual({ ok: false, reason: 'refused_address' })
  expect(await checkOutboundUrl('http://LOCALHOST:8080/in', off)).toEqual({ ok: false, reason: 'refused_address' })
  expect(await checkOutboundUrl('http://localhost:8080/in', on)).toMatchObject({ ok: true, resolved: true })
  expect(await checkOutboundUrl('http://93.184.216.34/in', off)).toMatchObject({ ok: true, resolved: true })
  expect(await checkOutboundUrl('http://a:b@93.184.216.34/in', off)).toEqual({ ok: false, reason: 'credentials' })

  const started = Date.now()
  const unresolved = await checkOutboundUrl('https://hooks.invalid/in', { ...off, timeoutMs: 500 })
  expect(unresolved).toEqual({ ok: true, url: 'https://hooks.invalid/in', resolved: false })
  expect(Date.now() - started).toBeLessThan(2_000)
})

test('a URL shown to people has no credentials', () => {
  expect(redactUrl('https://hook-user:hunter2@hooks.example.com/in?x=1')).toBe('https://hooks.example.com/in?x=1')
  expect(redactUrl('https://hooks.example.com/in')).toBe('https://hooks.example.com/in')
  expect(redactUrl('not a url hunter2')).toBeNull()
  expect(redactUrl(null)).toBeNull()
})

test('a request reaches a receiver on loopback when private targets are allowed, and answers its status', async () => {
  const receiver = await startWebhookReceiver({ status: 202 })
  try {
    const result = await post(receiver.url, { allowPrivate: true })
    expect(result).toMatchObject({ ok: true, status: 202 })
    expect(receiver.requests).toHaveLength(1)
    expect(receiver.requests[0]).toMatchObject({ method: 'POST', body: '{"event":"ping"}' })
    expect(receiver.requests[0]!.headers['content-length']).toBe('16')
  } finally {
    await receiver.close()
  }
})

test('DNS rebinding: a name that resolves to loopback is refused on the address connected to, and the receiver gets nothing', async () => {
  const receiver = await startWebhookReceiver()
  try {
    const port = new URL(receiver.url).port
    // The syntax check alone lets a host name through: only the connect-time lookup knows it is loopback.
    expect(parseOutboundUrl(`http://localhost:${port}/webhook`, off)).toMatchObject({ ok: true, isAddress: false })
    expect(await post(`http://localhost:${port}/webhook`, off)).toMatchObject({ ok: false, kind: 'refused_address' })
    expect(await post(`http://127.0.0.1:${port}/webhook`, off)).toMatchObject({ ok: false, kind: 'refused_address' })
    expect(await post(`http://0x7f.1:${port}/webhook`, off)).toMatchObject({ ok: false, kind: 'refused_address' })
    expect(await post(`http://u:p@localhost:${port}/webhook`, on)).toMatchObject({ ok: false, kind: 'invalid_url' })
    expect(receiver.requests).toEqual([])

    // The same name, allowed: it arrives.
    expect(await post(`http://localhost:${port}/webhook`, on)).toMatchObject({ ok: true, status: 200 })
    expect(receiver.requests).toHaveLength(1)
  } finally {
    await receiver.close()
  }
})

test('a 64 MB answer is read only a few KB: the try ends promptly with the status', async () => {
  for (const status of [200, 500]) {
    const receiver = await startWebhookReceiver({ status, answer: hugeBody() })
    try {
      const started = Date.now()
      const result = await post(receiver.url)
      expect(result).toMatchObject({ ok: true, status })
      if (!result.ok) throw new Error('unreachable')
      expect(result.bytesRead).toBeGreaterThan(0)
      expect(result.bytesRead).toBeLessThanOrEqual(READ_BOUND)
      expect(Date.now() - started).toBeLessThan(3_000)
    } finally {
      await receiver.close()
    }
  }
})

test('an endless, slow answer is cut off soon after its status, not at the time limit', async () => {
  const receiver = await startWebhookReceiver({ answer: endlessBody })
  try {
    const started = Date.now()
    const result = await post(receiver.url, { timeoutMs: 10_000 })
    expect(result).toMatchObject({ ok: true, status: 200 })
    if (!result.ok) throw new Error('unreachable')
    expect(result.bytesRead).toBeLessThanOrEqual(MAX_REPLY_BYTES)
    expect(Date.now() - started).toBeLessThan(3_000)
  } finally {
    await receiver.close()
  }
})

test('no answer in time is a timeout; a closed port is refused; a redirect is reported, not followed', async () => {
  const silent = await startWebhookReceiver({ answer: hangs })
  const elsewhere = await startWebhookReceiver()
  const moved = await startWebhookReceiver({ status: 301, answer: redirectsTo(elsewhere.url) })
  try {
    expect(await post(silent.url, { timeoutMs: 200 })).toMatchObject({ ok: false, kind: 'timeout' })
    expect(silent.requests).toHaveLength(1)

    const closed = await freePort()
    expect(await post(`http://127.0.0.1:${closed}/in`)).toMatchObject({ ok: false, kind: 'connection_refused' })

    expect(await post(moved.url)).toMatchObject({ ok: true, status: 301 })
    expect(moved.requests).toHaveLength(1)
    expect(elsewhere.requests).toEqual([])
  } finally {
    await silent.close()
    await elsewhere.close()
    await moved.close()
  }
})
