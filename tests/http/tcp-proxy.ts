import { connect, createServer, type Server, type Socket } from 'node:net'

// A TCP proxy between the app and PostgreSQL, so a test can take "the database" away from one app
// without touching the server that the other test files share: cutting the proxy's connections looks,
// from the app, like a restart (every connection dropped, new ones refused until it is back).

export type TcpProxy = {
  port: number
  /** Connections currently passing through. */
  connections(): number
  /** The local ports of the proxy's connections to the target: PostgreSQL's `client_port` of the
   *  backends serving them. */
  upstreamPorts(): number[]
  /** Stops listening: new connections are refused; open ones carry on. */
  refuse(): Promise<void>
  /** Destroys every open connection, both sides. */
  dropAll(): void
  /** Listens again on the same port. */
  restore(): Promise<void>
  close(): Promise<void>
}

/** Starts a proxy on a free port of 127.0.0.1 that forwards every connection to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>()
  const upstreams = new Set<Socket>()
  let port = 0
  let server: Server | null = null

  function listen(onPort: number): Promise<void> {
    const next = createServer((client) => {
      const upstream = connect(target.port, target.host)
      open.add(client)
      upstreams.add(upstream)
      const drop = () => {
        client.destroy()
        upstream.destroy()
        open.delete(client)
        upstreams.delete(upstream)
      }
      client.on('error', drop).on('close', drop)
      upstream.on('error', drop).on('close', drop)
      client.pipe(upstream)
      upstream.pipe(client)
    })
    return new Promise((resolve, reject) => {
      next.once('error', reject)
      next.listen(onPort, '127.0.0.1', () => {
        const address = next.address()
        port = typeof address === 'object' && address ? address.port : onPort
        server = next
        resolve()
      })
    })
  }

  /** Closes the listening socket at once; the open connections carry on until dropped (the close
   *  callback, which waits for them, is not waited for). */
  async function stopListening(): Promise<void> {
    server?.close()
    server = null
  }

  function dropAll() {
    for (const socket of [...open, ...upstreams]) socket.destroy()
    open.clear()
    upstreams.clear()
  }

  await listen(0)
  return {
    get port() {
      return port
    },
    connections: () => open.size,
    upstreamPorts: () => [...upstreams].map((socket) => socket.localPort).filter((p): p is number => !!p),
    refuse: stopListening,
    dropAll,
    restore: () => listen(port),
    async close() {
      await stopListening()
      dropAll()
    },
  }
}
