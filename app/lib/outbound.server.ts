import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { lookup as dnsLookupAsync } from 'node:dns/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'
import { env } from './env.server.ts'

/** Requests this server makes to addresses someone typed in (the helpdesk and CRM webhooks). They must
 *  not become a way to reach this machine or the network behind it (server-side request forgery,
 *  docs/decisions/020-outbound-requests.md): only http(s) to public unicast addresses, checked when an
 *  address is saved and again on the address actually connected to, so a name that resolves to a
 *  public address when saved and to a private one later (DNS rebinding) is still refused. */

/** Why an address is refused: not an http(s) URL, credentials in it, or a target inside. */
export type UrlRefusal = 'invalid' | 'scheme' | 'credentials' | 'refused_address'

export type OutboundPolicy = {
  /** Lets loopback, private (RFC 1918), unique-local and shared (CGNAT) addresses through, for
   *  on-premises receivers and tests; defaults to the WEBHOOKS_ALLOW_PRIVATE setting. */
  allowPrivate?: boolean
}

/** The only ranges of ipaddr.js that WEBHOOKS_ALLOW_PRIVATE lets through. Link-local (the cloud
 *  metadata service at 169.254.169.254), unspecified (0.0.0.0 reaches this machine), multicast,
 *  broadcast and the reserved and translation ranges stay refused whatever the setting. */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat'])

/** Ranges ipaddr.js calls unicast, or private, that still lead somewhere inside: IPv4-compatible IPv6
 *  (::a.b.c.d), local-use NAT64 (RFC 8215), and the metadata services that live outside link-local
 *  (AWS over IPv6, Alibaba Cloud). */
const ALWAYS_REFUSED: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [
  ipaddr.parseCIDR('::/96'),
  ipaddr.parseCIDR('64:ff9b:1::/48'),
  ipaddr.parseCIDR('fd00:ec2::254/128'),
  ipaddr.parseCIDR('100.100.100.200/32'),
]

function allowPrivateDefault(policy: OutboundPolicy): boolean {
  return policy.allowPrivate ?? env().WEBHOOKS_ALLOW_PRIVATE
}

/** An IPv6 address in the WHATWG form the URL parser gives, so `::127.0.0.1` is read as the
 *  IPv4-compatible `::7f00:1` it is (ipaddr.js would take it for IPv4-mapped); IPv4 unchanged. */
function canonicalAddress(address: string): string | null {
  if (!address.includes(':')) return address
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1)
  } catch {
    return null
  }
}

/** Whether a request may go to this IP address. Only public unicast passes, IPv4-mapped IPv6 is judged
 *  as the IPv4 address it maps; anything that is not an IP address is refused. */
export function isAllowedAddress(address: string, policy: OutboundPolicy = {}): boolean {
  const bare = canonicalAddress(address.replace(/^\[|\]$/g, ''))
  if (!bare || !ipaddr.isValid(bare)) return false
  let ip = ipaddr.parse(bare)
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address()
  const range = ip.range()
  // ::1 lies inside ::/96 but is plain loopback, for WEBHOOKS_ALLOW_PRIVATE to decide.
  const refused = ALWAYS_REFUSED.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))
  if (refused && range !== 'loopback') return false
  if (range === 'unicast') return true
  return allowPrivateDefault(policy) && PRIVATE_RANGES.has(range)
}

export type ParsedTarget =
  | { ok: true; url: URL; protocol: 'http:' | 'https:'; host: string; isAddress: boolean }
  | { ok: false; reason: UrlRefusal }

/** The checks that need no DNS: an absolute http(s) URL without user name or password, its host in the
 *  WHATWG canonical form (which already turns `2130706433`, `0x7f.1` and `127.1` into `127.0.0.1`),
 *  and an IP-literal host judged at once. A host name (`localhost` included) is judged by the
 *  addresses it resolves to: when saved (`checkOutboundUrl`) and when connecting (`sendOutbound`). */
export function parseOutboundUrl(value: string, policy: OutboundPolicy = {}): ParsedTarget {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'scheme' }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials' }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (host === '') return { ok: false, reason: 'invalid' }
  const isAddress = isIP(host) !== 0
  if (isAddress && !isAllowedAddress(host, policy)) return { ok: false, reason: 'refused_address' }
  return { ok: true, url, protocol: url.protocol, host, isAddress }
}

/** How long saving a URL waits for its host name to resolve. */
export const SAVE_LOOKUP_TIMEOUT_MS = 2_000

export type UrlCheck = { ok: true; url: string; resolved: boolean } | { ok: false; reason: UrlRefusal }

/** The check when an address is saved: `parseOutboundUrl`, then every address its host name resolves
 *  to. A name that does not resolve (yet), or not within `timeoutMs`, is accepted with
 *  `resolved: false`: the check on connecting still stands between it and the network. */
export async function checkOutboundUrl(
  value: string,
  { timeoutMs = SAVE_LOOKUP_TIMEOUT_MS, ...policy }: OutboundPolicy & { timeoutMs?: number } = {},
): Promise<UrlCheck> {
  const target = parseOutboundUrl(value, policy)
  if (!target.ok) return target
  if (target.isAddress) return { ok: true, url: target.url.toString(), resolved: true }
  let timer: NodeJS.Timeout | undefined
  const addresses = await Promise.race([
    dnsLookupAsync(target.host, { all: true, verbatim: true }).catch(() => null),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs)
    }),
  ])
  clearTimeout(timer)
  if (!addresses || addresses.length === 0) return { ok: true, url: target.url.toString(), resolved: false }
  if (addresses.some((entry) => !isAllowedAddress(entry.address, policy))) {
    return { ok: false, reason: 'refused_address' }
  }
  return { ok: true, url: target.url.toString(), resolved: true }
}

/** The URL without its user name and password, for anything shown to people or written to logs. An
 *  unparsable value is shown as nothing rather than as it was typed. */
export function redactUrl(value: string | null | undefined): string | null {
  if (!value) return null
  try {
    const url = new URL(value)
    url.username = ''
    url.password = ''
    return url.toString()
  } catch {
    return null
  }
}

/** Why a request got no HTTP answer. `refused_address` and `invalid_url` were never sent. */
export const outboundFailureKinds = [
  'refused_address',
  'invalid_url',
  'timeout',
  'connection_refused',
  'dns',
  'tls',
  'reset',
  'other',
] as const
export type OutboundFailureKind = (typeof outboundFailureKinds)[number]

export type OutboundResult =
  | {
      ok: true
      status: number
      /** Bytes of the answer's body read before the connection was closed (at most one socket read
       *  past `MAX_REPLY_BYTES`); the body itself is thrown away. */
      bytesRead: number
      durationMs: number
    }
  | { ok: false; kind: OutboundFailureKind; durationMs: number }

/** How much of an answer's body is read: enough for a receiver's short reply to arrive whole, little
 *  enough that no receiver can make this process hold its answer. */
export const MAX_REPLY_BYTES = 4 * 1024
/** How long the body may take after the status arrived; a receiver that trickles it is cut off. */
const BODY_GRACE_MS = 1_000
/** Node's own default is 16 KB; a receiver needs far less for a status line and its headers. */
const MAX_HEADER_BYTES = 8 * 1024
const REFUSED_CODE = 'ERR_OUTBOUND_REFUSED'

function refusedError(): NodeJS.ErrnoException {
  return Object.assign(new Error('The address is not allowed for outbound requests.'), { code: REFUSED_CODE })
}

/** A `lookup` for node:net that resolves as usual and refuses the connection when any address it
 *  found is not allowed. Node connects to what this answers, so the address checked is the address
 *  used; IP-literal hosts skip lookup and are checked before connecting. */
function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0)
      if (addresses.length === 0 || addresses.some((entry) => !isAllowedAddress(entry.address, policy))) {
        return callback(refusedError(), '', 0)
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses)
      const [first] = addresses
      callback(null, first!.address, first!.family)
    })
  }
}

const tlsCodes = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/

/** The kind of a socket error; its message (which may name internal addresses) is dropped. */
function failureKind(error: unknown): OutboundFailureKind {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? ''
  if (code === REFUSED_CODE) return 'refused_address'
  if (code === 'ETIMEDOUT' || code === 'ERR_OUTBOUND_TIMEOUT') return 'timeout'
  if (code === 'ECONNREFUSED') return 'connection_refused'
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'ENODATA', 'ESERVFAIL'].includes(code)) return 'dns'
  if (tlsCodes.test(code)) return 'tls'
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'reset'
  return 'other'
}

export type OutboundRequest = OutboundPolicy & {
  method?: 'POST' | 'PUT'
  headers?: Record<string, string>
  body: string
  /** For the whole exchange: connecting, sending, the status and headers, the body. */
  timeoutMs: number
}

/** Sends one request to an address someone configured and reports its status, or why there was none.
 *  Redirects are not followed (the receiver must answer at the configured address), at most
 *  `MAX_REPLY_BYTES` of the body is read, and nothing of the answer but its status is kept. Never
 *  throws for a network problem. */
export function sendOutbound(value: string, request: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  const target = parseOutboundUrl(value, request)
  if (!target.ok) {
    const kind = target.reason === 'refused_address' ? 'refused_address' : 'invalid_url'
    return Promise.resolve({ ok: false, kind, durationMs: 0 })
  }
  const body = Buffer.from(request.body, 'utf8')
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest

  return new Promise<OutboundResult>((resolve) => {
    let settled = false
    let bodyTimer: NodeJS.Timeout | undefined
    const finish = (result: OutboundResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(bodyTimer)
      req.destroy()
      resolve(result)
    }
    const req = send({
      protocol: target.protocol,
      hostname: target.host,
      port: target.url.port || undefined,
      path: `${target.url.pathname}${target.url.search}`,
      method: request.method ?? 'POST',
      headers: { ...request.headers, 'Content-Length': String(body.length), Connection: 'close' },
      // A connection of its own: no pooled socket to an address checked for another request.
      agent: false,
      lookup: guardedLookup(request),
      maxHeaderSize: MAX_HEADER_BYTES,
    })
    const timer = setTimeout(() => {
      finish({ ok: false, kind: 'timeout', durationMs: elapsed() })
    }, request.timeoutMs)
    req.on('error', (error) => finish({ ok: false, kind: failureKind(error), durationMs: elapsed() }))
    req.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0
      let bytesRead = 0
      const done = () => finish({ ok: true, status, bytesRead, durationMs: elapsed() })
      bodyTimer = setTimeout(done, BODY_GRACE_MS)
      response.on('data', (chunk: Buffer) => {
        bytesRead += chunk.length
        if (bytesRead >= MAX_REPLY_BYTES) done()
      })
      response.on('end', done)
      response.on('error', done)
    })
    req.end(body)
  })
}
