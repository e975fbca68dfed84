import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceivedRequest = {
  method: string
  path: string
  /** Header names in lower case, as node gives them. */
  headers: IncomingHttpHeaders
  /** The raw body as received, which is what a signature covers. */
  body: string
  /** The status this receiver answered with. */
  answered: number
}

/** How a receiver answers once it has read a request; the default writes the status and a short body. */
export type Answer = (response: ServerResponse, status: number) => void

/** Never answers: the sender's time limit has to end the try. */
export const hangs: Answer = () => {}

/** Answers with a redirect to `location`, which a sender must not follow. */
export function redirectsTo(location: string): Answer {
  return (response, status) => {
    response.writeHead(status, { Location: location, 'Content-Type': 'text/plain', Connection: 'close' })
    response.end(`moved to ${location}`)
  }
}

/** Answers with a body of `bytes` bytes (64 MB unless told), written as fast as the sender reads it. */
export function hugeBody(bytes = 64 * 1024 * 1024): Answer {
  return (response, status) => {
    const chunk = Buffer.alloc(64 * 1024, 'x')
    let written = 0
    response.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': String(bytes) })
    const pump = () => {
      while (written < bytes && !response.destroyed) {
        written += chunk.length
        if (!response.write(chunk)) return void response.once('drain', pump)
      }
      if (!response.destroyed) response.end()
    }
    pump()
  }
}

/** Sends the status at once, then a few bytes of body every 20 ms, forever. */
export const endlessBody: Answer = (response, status) => {
  response.writeHead(status, { 'Content-Type': 'text/plain' })
  const timer = setInterval(() => {
    if (response.destroyed) clearInterval(timer)
    else response.write('still going\n')
  }, 20)
  response.on('close', () => clearInterval(timer))
}

/** A real HTTP server on loopback (random port) that records every request and answers with the
 *  status it is told (200 unless told otherwise), the way `answer` says. `close()` stops it, so the next
 *  delivery finds the receiver down (connection refused). Used by domain tests and by Playwright. */
export async function startWebhookReceiver({ status = 200, answer: how }: { status?: number; answer?: Answer } = {}) {
  const requests: ReceivedRequest[] = []
  const waiters: (() => void)[] = []
  let answer = status
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const answered = answer
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered,
      })
      for (const wake of waiters.splice(0)) wake()
      if (how) return how(response, answered)
      response.writeHead(answered, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
      response.end(answered >= 200 && answered < 300 ? 'ok' : `receiver answered ${answered}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let closed = false
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    requests,
    /** Answers later requests with this status. */
    setStatus(next: number) {
      answer = next
    },
    /** Resolves once `count` requests have arrived, or rejects after `timeoutMs`. */
    async waitFor(count: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests, got ${requests.length}`)
        await new Promise<void>((resolve) => {
          waiters.push(resolve)
          setTimeout(resolve, 250)
        })
      }
      return requests
    },
    /** Stops listening and drops open connections: the receiver is down from now on. */
    close() {
      if (closed) return Promise.resolve()
      closed = true
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>
