import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { DEMO_PASSWORD } from '#app/server/seed/demo.server.ts'
import { database } from '#tests/db.ts'
import { freePort } from '#tests/free-port.ts'

// The HTTP suites (tests/http/) talk to the production build exactly as deployed: scripts/start.js on a
// port of its own, on this test file's PostgreSQL database (a copy of the migrated template), seeded
// with the demo data on boot. They run in the vitest project "http" (vitest.config.ts), after
// `react-router build` (scripts/test.js builds first).

export type AppServer = {
  url: string
  origin: string
  child: ChildProcess
  /** Everything the server wrote to stderr, for a test that must show why a request failed. */
  stderr: () => string
  stop: () => Promise<void>
}

/** Starts the built app on this file's database and resolves once /healthz answers. */
export async function startApp(
  options: { env?: Record<string, string>; databaseUrl?: string; seed?: boolean } = {},
): Promise<AppServer> {
  if (!existsSync('build/server/index.js'))
    throw new Error('tests/http needs the production build: npx react-router build')
  const databaseUrl = options.databaseUrl ?? database.url
  if (!databaseUrl) throw new Error('tests/http run on PostgreSQL (TEST_DATABASE_URL)')
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  let stderr = ''
  const child = spawn('node', ['scripts/start.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      APP_URL: origin,
      DATABASE_URL: databaseUrl,
      // The demo people and accounts; the portfolio's year of history only where a suite needs it.
      DEMO_SEED: options.seed === false ? 'false' : 'core',
      // As in production; a suite that delivers to a receiver on loopback turns it on.
      WEBHOOKS_ALLOW_PRIVATE: 'false',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 120_000
  while (true) {
    if (child.exitCode !== null) throw new Error(`the app exited on start:\n${stderr}`)
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break
    } catch {}
    if (Date.now() > deadline) throw new Error(`the app did not answer /healthz in 120 s:\n${stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url: origin,
    origin,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

export type Reply = { status: number; headers: Headers; text: string; location: string | null }

/** A cookie-keeping HTTP client that behaves like a same-origin browser form, without the browser. */
export class Visitor {
  private cookies = new Map<string, string>()

  constructor(readonly app: Pick<AppServer, 'origin'>) {}

  get sessionToken(): string | undefined {
    return this.cookies.get('ct_session')
  }

  async request(
    method: string,
    path: string,
    init: {
      form?: Record<string, string | string[]> | URLSearchParams
      json?: unknown
      headers?: Record<string, string>
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'accept-language': 'en', ...init.headers }
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    if (cookie) headers.cookie = cookie
    let body: string | undefined
    if (init.form) {
      body = toFormBody(init.form).toString()
      headers['content-type'] = 'application/x-www-form-urlencoded'
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json)
      headers['content-type'] = 'application/json'
    }
    if (!['GET', 'HEAD'].includes(method)) {
      headers.origin ??= this.app.origin
      headers['sec-fetch-site'] ??= 'same-origin'
    }
    // A header given as '' is left out altogether (a forged request "without Origin").
    for (const [name, value] of Object.entries(headers)) if (value === '') delete headers[name]
    const response = await fetch(new URL(path, this.app.origin), { method, headers, body, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, ...rest] = (pair ?? '').split('=')
      if (!name) continue
      const value = rest.join('=')
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name.trim())
      else this.cookies.set(name.trim(), value)
    }
    return {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
      location: response.headers.get('location'),
    }
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers })
  }

  post(path: string, form: Record<string, string | string[]> | URLSearchParams = {}, headers?: Record<string, string>) {
    return this.request('POST', path, { form, headers })
  }

  /** Signs in through the real form; throws if the app did not sign this visitor in. */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<this> {
    const reply = await this.post('/login', { email, password })
    if (reply.status !== 302 && reply.status !== 303) {
      throw new Error(`sign-in as ${email} answered ${reply.status}`)
    }
    if (!this.sessionToken) throw new Error(`sign-in as ${email} set no session cookie`)
    return this
  }
}

export function toFormBody(form: Record<string, string | string[]> | URLSearchParams): URLSearchParams {
  if (form instanceof URLSearchParams) return form
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(form)) {
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
  }
  return body
}
