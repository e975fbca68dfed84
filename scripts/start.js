// The production server: serves the built app (npm run build) with Express on PORT (default 3000).
// Plain JavaScript so that starting needs no compiler; the app itself comes from build/server.
// Modules are imported after NODE_ENV is set, since React picks its build when first loaded.
process.env.NODE_ENV ??= 'production'
const started = performance.now()

const { createServer } = await import('node:http')
const { default: compression } = await import('compression')
const { default: express } = await import('express')
const build = await import('../build/server/index.js')
const {
  boot,
  shutdown,
  createLoadContext,
  requestDoor,
  createDoorRequestHandler,
  staticSecurityHeaders,
  startLoadShedding,
  overloadedReply,
} = build.entry.module

await boot()

const app = express()
app.disable('x-powered-by')
if (['true', '1'].includes(process.env.TRUST_PROXY ?? '')) app.set('trust proxy', true)
app.use(compression())
// Every request passes the door first: methods, a sane address, and the body read within its cap
// (app/server/request-door.server.ts).
app.use(requestDoor)
// Static files carry the same security headers as pages.
app.use(
  '/assets',
  express.static('build/client/assets', {
    immutable: true,
    maxAge: '1y',
    fallthrough: false,
    setHeaders: staticSecurityHeaders,
  }),
)
app.use(express.static('build/client', { maxAge: '1h', setHeaders: staticSecurityHeaders }))

app.all(
  '/{*path}',
  createDoorRequestHandler({
    build,
    getLoadContext: (req) => createLoadContext(req.ip ?? req.socket.remoteAddress ?? 'unknown'),
  }),
)

// Requests Express itself rejects (a malformed percent-encoding in the path, say) are the client's
// error: answer 400 without a stack trace in the log.
app.use((error, _req, res, next) => {
  const status = Number(error?.status ?? error?.statusCode)
  if (status >= 400 && status < 500) {
    staticSecurityHeaders(res)
    return res.status(status).type('text/plain').send('Bad Request')
  }
  next(error)
})

// Load shedding comes before Express, so that a refused request costs a few microseconds: while the
// event loop runs late, or the requests in flight reach their cap, new ones get 503 with Retry-After
// at once instead of waiting in line until they time out (docs/decisions/018-overload-shedding.md).
// Never refused: /healthz (the process is alive, and says whether it is overloaded) and the build's
// static assets (cheap to send, and a page without its scripts is broken).
const shedder = startLoadShedding()
const exempt = (url = '') => url === '/healthz' || url.startsWith('/healthz?') || url.startsWith('/assets/')
const handler = shedder
  ? (req, res) => {
      if (exempt(req.url)) return app(req, res)
      if (shedder.admit()) {
        const reply = overloadedReply(req.headers['accept-language'])
        res.writeHead(reply.status, reply.headers)
        res.end(reply.body)
        return
      }
      // 'close' fires once, whether the response finished or the client went away.
      const admitted = performance.now()
      res.once('close', () => shedder.release(performance.now() - admitted))
      app(req, res)
    }
  : app

const port = Number(process.env.PORT ?? 3000)
const server = createServer(handler)
// A client gets two minutes to send its whole request (a large CSV on a slow line), ten seconds for
// its headers; a slow sender then holds no connection longer.
server.requestTimeout = 120_000
server.headersTimeout = 10_000
server.listen(port, () => {
  const ms = Math.round(performance.now() - started)
  console.info(`Community is listening on http://localhost:${port} (ready in ${ms} ms)`)
})

let closing = false
async function stop(signal) {
  if (closing) return
  closing = true
  console.info(`${signal}: shutting down`)
  server.close()
  await shutdown()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
