import type { IncomingMessage, ServerResponse } from 'node:http'
import { writeReadableStreamToWritable } from '@react-router/node'
import { createRequestHandler, type RouterContextProvider, type ServerBuild } from 'react-router'
import { readCookie } from '#app/lib/cookies.ts'
import { defaultLocale, isLocale, localeCookieName, localeFromAcceptLanguage, translator } from '#app/lib/i18n.ts'
import { crossOriginRefusal, staticSecurityHeaders, withoutAmbientCredentials } from '#app/lib/security.server.ts'
import { attachMaxBytes, formMaxBytes, uploadMaxBytes } from './request-body.server.ts'

// The door of the Node server (scripts/start.js): what every request must pass before any route, any
// parser or the session lookup sees it. It refuses, cheaply and in the reader's language, what no route
// could answer sensibly: a method no page takes, a NUL or a control character in the address, an
// address that is not valid percent-encoding, and a body larger than the cap of its route, counted on
// the bytes actually streamed. The body is read here, so a route never waits on a slow client and never
// sees more bytes than its cap.

/** Routes that take a CSV upload, and the settings page (a profile picture): the upload cap instead of
 *  the form cap. Each of them reads its form with `readForm(..., { upload: true })`;
 *  tests/http/request-limits.test.ts posts a file larger than the form cap to each CSV route. */
const uploadPaths = [
  /^\/admin\/accounts\/import\/?$/,
  /^\/admin\/accounts\/outcomes\/import\/?$/,
  /^\/support\/import\/?$/,
  /^\/events\/\d{1,9}\/attendance\/?$/,
  /^\/settings\/?$/,
]

/** Routes whose forms take attached files (a markdown field's file input, or the upload route): the
 *  form cap plus the hard cap on one file. Each reads its form with `readForm(..., { attach })`. */
const attachPaths = [
  /^\/uploads\/?$/,
  /^\/questions\/new\/?$/,
  /^\/questions\/\d{1,9}(?:\/[^/]*)?\/?$/,
  /^\/posts\/(?:question|answer)\/\d{1,9}\/edit\/?$/,
  /^\/help\/new\/?$/,
  /^\/help\/articles\/\d{1,9}\/edit\/?$/,
  /^\/events\/new\/?$/,
  /^\/events\/\d{1,9}\/edit\/?$/,
]

/** What pages accept; the JSON API under /api/ answers other methods itself, with its own Allow. */
const PAGE_METHODS = 'GET, HEAD, POST'
const API_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'])

export type DoorRequest = IncomingMessage & { rawBody?: Buffer }
type Next = (error?: unknown) => void

function localeOf(req: IncomingMessage) {
  const cookie = readCookie(req.headers.cookie ?? null, localeCookieName)
  if (isLocale(cookie)) return cookie
  return localeFromAcceptLanguage(req.headers['accept-language'] ?? null) ?? defaultLocale
}

/** Answers the request at the door in the reader's language: a small page for a person, the API's
 *  error shape under /api/. After a refused body the connection closes, so the rest of it is not read. */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  key: string,
  {
    headers = {},
    close = false,
    cap = formMaxBytes(),
  }: { headers?: Record<string, string>; close?: boolean; cap?: number } = {},
) {
  if (res.headersSent) return
  const api = (req.url ?? '').startsWith('/api/')
  // The API speaks English (app/server/api.server.ts).
  const locale = api ? 'en' : localeOf(req)
  const t = translator(locale)
  const message = t(key, { size: `${Math.round(cap / 1024 / 1024)} MB` })
  staticSecurityHeaders(res)
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Content-Language', locale)
  // No "Connection: close": Node would close the socket as soon as the answer is out, resetting a
  // client still sending, which then never reads the answer. lingerThenClose decides instead.
  res.statusCode = status
  if (status === 204) res.end()
  else if (api) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8')
    res.end(JSON.stringify({ error: { code: doorCodes[key] ?? 'bad_request', message } }))
  } else {
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    res.end(
      `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8">` +
        '<meta name="viewport" content="width=device-width, initial-scale=1">' +
        `<title>${escapeHtml(t('app.name'))}</title></head><body><main>` +
        `<h1>${escapeHtml(message)}</h1><p><a href="/">${escapeHtml(t('errors.page.home'))}</a></p>` +
        '</main></body></html>',
    )
  }
  if (close) lingerThenClose(req)
}

/** The API's stable codes for the door's refusals. */
const doorCodes: Record<string, string> = {
  'errors.body_too_large': 'payload_too_large',
  'errors.method_not_allowed': 'method_not_allowed',
  'errors.bad_address': 'bad_request',
  'errors.malformed_body': 'bad_request',
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** After a refusal the client may still be sending. Closing at once resets the connection before it
 *  reads the answer, so, like nginx's lingering close, what still arrives is read and dropped for a
 *  little while (at most LINGER_BYTES, LINGER_MS), then the connection closes. */
const LINGER_BYTES = 16 * 1024 * 1024
const LINGER_MS = 2_000

function lingerThenClose(req: IncomingMessage) {
  let dropped = 0
  const close = () => {
    clearTimeout(timer)
    req.socket.destroy()
  }
  const timer = setTimeout(close, LINGER_MS)
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length
    if (dropped > LINGER_BYTES) close()
  })
  req.on('end', () => clearTimeout(timer))
  req.resume()
}

/** The path and query of a request line, or null when it holds a NUL or a control character, or its
 *  path is not valid percent-encoding. */
function checkedTarget(url: string): { path: string } | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]|%00/i.test(url)) return null
  const queryAt = url.indexOf('?')
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt)
  try {
    const path = decodeURIComponent(rawPath)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
    if (/[\u0000-\u001f\u007f]/.test(path)) return null
    return { path: rawPath }
  } catch {
    return null
  }
}

/** Express middleware: the checks above, then the body read into `req.rawBody` within its cap. */
export function requestDoor(req: DoorRequest, res: ServerResponse, next: Next) {
  const method = (req.method ?? 'GET').toUpperCase()
  const target = checkedTarget(req.url ?? '/')
  if (!target) return refuse(req, res, 400, 'errors.bad_address', { close: true })
  const api = target.path.startsWith('/api/')
  if (method === 'OPTIONS') return refuse(req, res, 204, '', { headers: { Allow: PAGE_METHODS } })
  if (!(api ? API_METHODS.has(method) : ['GET', 'HEAD', 'POST'].includes(method))) {
    return refuse(req, res, 405, 'errors.method_not_allowed', { headers: { Allow: PAGE_METHODS } })
  }

  const cap = uploadPaths.some((pattern) => pattern.test(target.path))
    ? uploadMaxBytes()
    : attachPaths.some((pattern) => pattern.test(target.path))
      ? attachMaxBytes()
      : formMaxBytes()
  const declared = req.headers['content-length']
  if (declared !== undefined && !/^\d{1,15}$/.test(declared)) {
    return refuse(req, res, 400, 'errors.malformed_body', { close: true })
  }
  if (Number(declared ?? 0) > cap) return refuse(req, res, 413, 'errors.body_too_large', { close: true, cap })
  const chunked = req.headers['transfer-encoding'] !== undefined
  if (!chunked && Number(declared ?? 0) === 0) {
    req.rawBody = Buffer.alloc(0)
    return next()
  }

  const chunks: Buffer[] = []
  let size = 0
  let done = false
  const finish = (error?: unknown) => {
    if (done) return
    done = true
    req.off('data', onData)
    req.off('end', onEnd)
    req.off('error', onError)
    if (error) return next(error)
    req.rawBody = Buffer.concat(chunks)
    next()
  }
  const onData = (chunk: Buffer) => {
    size += chunk.length
    if (size > cap) {
      done = true
      req.off('data', onData)
      refuse(req, res, 413, 'errors.body_too_large', { close: true, cap })
      return
    }
    chunks.push(chunk)
  }
  const onEnd = () => finish()
  // A client that goes away mid-body leaves nothing to answer.
  const onError = () => {
    done = true
    req.socket.destroy()
  }
  req.on('data', onData)
  req.on('end', onEnd)
  req.on('error', onError)
}

/** A Host header as a URL can hold it (name or address, optional port), or null. */
function hostOf(value: string | undefined): string | null {
  return value && /^[a-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9a-f:.]{2,45}\](:\d{1,5})?$/i.test(value) ? value : null
}

type ExpressLikeRequest = DoorRequest & {
  protocol: string
  originalUrl: string
  get(name: string): string | undefined
  app?: { enabled(setting: string): boolean }
  hostname: string
}
type ExpressLikeResponse = ServerResponse & { append(name: string, value: string): unknown }

/** React Router's request handler for Express, reading the body the door kept instead of the socket.
 *  A 405 from the router (a POST to a page without a form) says which methods the page takes. */
export function createDoorRequestHandler({
  build,
  getLoadContext,
  mode = process.env.NODE_ENV,
}: {
  build: ServerBuild
  getLoadContext: (req: ExpressLikeRequest) => RouterContextProvider
  mode?: string
}) {
  const handle = createRequestHandler(build, mode)
  return async (req: ExpressLikeRequest, res: ExpressLikeResponse, next: Next) => {
    try {
      const controller = new AbortController()
      res.on('close', () => {
        if (!res.writableFinished) controller.abort()
      })
      const method = (req.method ?? 'GET').toUpperCase()
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (Array.isArray(value)) for (const one of value) headers.append(name, one)
        else if (value !== undefined) headers.set(name, value)
      }
      const forwarded = req.app?.enabled('trust proxy') ? req.get('x-forwarded-host') : undefined
      const url = new URL(
        `${req.protocol}://${hostOf(forwarded) ?? hostOf(req.get('host')) ?? 'localhost'}${req.originalUrl}`,
      )
      const request = withoutAmbientCredentials(
        new Request(url, {
          method,
          headers,
          signal: controller.signal,
          ...(method === 'GET' || method === 'HEAD' ? {} : { body: bytesOf(req.rawBody) }),
        }),
      )
      // Cross-origin writes get the app's translated 403 before React Router's own origin check (a bare 400).
      const response = crossOriginRefusal(request) ?? (await handle(request, getLoadContext(req)))
      if (res.destroyed || res.writableEnded) {
        await response.body?.cancel()
        return
      }
      res.statusCode = response.status
      if (response.statusText) res.statusMessage = response.statusText
      for (const [name, value] of response.headers) res.append(name, value)
      if (response.status === 405 && !response.headers.has('allow')) res.setHeader('Allow', 'GET, HEAD')
      if (response.body) await writeReadableStreamToWritable(response.body, res)
      else res.end()
    } catch (error) {
      if (res.destroyed || res.writableEnded) return
      next(error)
    }
  }
}

/** The kept body as a view of the same memory (a Request takes a Uint8Array, not a Buffer). */
function bytesOf(body: Buffer | undefined): Uint8Array<ArrayBuffer> {
  if (!body) return new Uint8Array(0)
  return new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength)
}
