import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable } from '@react-router/node'
import { isbot } from 'isbot'
import type { RenderToPipeableStreamOptions } from 'react-dom/server'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import {
  type EntryContext,
  type HandleErrorFunction,
  isRouteErrorResponse,
  RouterContextProvider,
  ServerRouter,
} from 'react-router'
import { clientIpContext, localeContext, nonceContext } from '#app/server/context.ts'
import { noteDatabaseFailure } from '#app/server/unavailable.server.ts'
import { NonceProvider } from './components/nonce.tsx'
import { createI18n } from './lib/i18n.ts'

export { boot, shutdown } from '#app/server/boot.server.ts'
export { isOverloaded, overloadedReply, startLoadShedding } from '#app/server/overload.server.ts'
export { createDoorRequestHandler, requestDoor } from '#app/server/request-door.server.ts'
export { staticSecurityHeaders } from './lib/security.server.ts'

export const streamTimeout = 5_000

/** The load context the Node server builds per request (scripts/start.js). */
export function createLoadContext(clientIp: string): RouterContextProvider {
  const context = new RouterContextProvider()
  context.set(clientIpContext, clientIp)
  return context
}

/** Logs what went wrong on the server. A client's mistake the router answers itself (a POST to a page
 *  that takes none: 405; an unknown address: 404) is not a server error, and neither is a request the
 *  client gave up on. The database being out of reach is an outage: noted on the request (the root
 *  middleware answers 503) and logged in one line. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return
  if (isRouteErrorResponse(error) && error.status < 500) return
  if (noteDatabaseFailure(error, request, context)) return
  console.error(error)
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
  loadContext: RouterContextProvider,
) {
  if (request.method.toUpperCase() === 'HEAD') {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders })
  }
  const nonce = loadContext.get(nonceContext)
  const i18n = createI18n(loadContext.get(localeContext))

  return new Promise((resolve, reject) => {
    let shellRendered = false
    const userAgent = request.headers.get('user-agent')
    const readyOption: keyof RenderToPipeableStreamOptions =
      (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? 'onAllReady' : 'onShellReady'
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000)

    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        [readyOption]() {
          shellRendered = true
          const body = new PassThrough({
            final(callback) {
              clearTimeout(timeoutId)
              timeoutId = undefined
              callback()
            },
          })
          const stream = createReadableStreamFromReadable(body)
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          pipe(body)
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }))
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) console.error(error)
        },
      },
    )
  })
}
