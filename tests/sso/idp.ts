import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import Provider, { type Configuration } from 'oidc-provider'
import { freePort } from '../free-port.ts'

// A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for the single sign-on tests, unit and
// browser alike. Its login page is ours (`interactions.url`): a plain HTML form where the person types
// the account's `sub`, so a test can sign in with fetch and a browser spec by filling in a field.
// Consent is implied (a grant is made for the client on first use).

export type IdpAccount = {
  email?: string
  /** Some providers send the boolean as a string. */
  email_verified?: boolean | 'true' | 'false'
  name?: string
  locale?: string
  /** The customer account's external id in the vendor's product (the custom claim). */
  account_id?: string
  /** An email domain, for providers matched by domain. */
  org_domain?: string
}

export type IdpClient = { clientId: string; clientSecret: string; redirectUris: string[] }

export type TestIdp = {
  issuer: string
  accounts: Map<string, IdpAccount>
  /** Token requests go to the provider as this client instead of the one that sent them (a token
   *  whose audience is another client, signed by the provider's own key). */
  tokenAs: { clientId: string; clientSecret: string } | null
  close(): Promise<void>
}

export const ACCOUNT_CLAIM = 'account_id'

function basic(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value)
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`
}

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Starts the provider; `close()` stops it. */
export async function startTestIdp({ clients }: { clients: IdpClient[] }): Promise<TestIdp> {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const accounts = new Map<string, IdpAccount>()
  const configuration: Configuration = {
    clients: clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'locale'],
      account: [ACCOUNT_CLAIM, 'org_domain'],
    },
    scopes: ['openid', 'email', 'profile', 'account'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['sso-test-cookie-key'] },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub)
      if (!account) return undefined
      return { accountId: sub, claims: () => ({ sub, ...account }) }
    },
    // Consent is implied: the person signing in agrees to every scope the client asks for.
    async loadExistingGrant(ctx) {
      const client = ctx.oidc.client!
      const session = ctx.oidc.session!
      const existing = session.grantIdFor(client.clientId)
      if (existing) return ctx.oidc.provider.Grant.find(existing)
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId! })
      grant.addOIDCScope('openid email profile account')
      await grant.save()
      session.grantIdFor(client.clientId, grant.jti)
      return grant
    },
    renderError(ctx, out) {
      ctx.type = 'text/plain'
      ctx.body = `error: ${out.error}`
    },
  }
  const provider = new Provider(issuer, configuration)
  const state: TestIdp = { issuer, accounts, tokenAs: null, close: async () => {} }
  const callback = provider.callback()

  async function interaction(req: IncomingMessage, res: ServerResponse, path: string) {
    const uid = path.split('/')[2] ?? ''
    if (req.method === 'GET') {
      await provider.interactionDetails(req, res)
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end(`<!doctype html><html lang="en"><head><meta name="viewport" content="width=device-width">
<title>Test provider</title></head><body><main><h1>Test provider sign-in</h1>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="login">Login</label> <input id="login" name="login" autocomplete="off">
<button type="submit">Continue</button></form></main></body></html>`)
      return
    }
    const body = await readBody(req)
    const login = body.get('login') ?? ''
    if (!accounts.has(login)) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'unknown login' })
      return
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false })
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname
    if (path.startsWith('/interaction/')) {
      interaction(req, res, path).catch((error) => {
        res.writeHead(400, { 'Content-Type': 'text/plain' })
        res.end(String((error as Error).message))
      })
      return
    }
    if (path === '/token' && state.tokenAs) {
      req.headers.authorization = basic(state.tokenAs.clientId, state.tokenAs.clientSecret)
    }
    callback(req, res)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}

/** A cookie jar good enough for one provider: every cookie goes with every request. */
export class CookieJar {
  private cookies = new Map<string, string>()
  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq).trim()
      const value = pair!.slice(eq + 1).trim()
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

/** Follows the provider's pages from the authorization URL to the redirect back to the app, signing in
 *  as `login`: returns the callback URL the browser would be sent to (not fetched). */
export async function signInAtIdp(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new CookieJar()
  let url = authorizationUrl
  let method: 'GET' | 'POST' = 'GET'
  let body: string | undefined
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    })
    jar.store(response)
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url)
      if (next.origin !== new URL(authorizationUrl).origin) return next
      url = next.toString()
      method = 'GET'
      body = undefined
      continue
    }
    const html = await response.text()
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]
    if (response.status !== 200 || !action)
      throw new Error(`unexpected page at the provider: ${response.status} ${html.slice(0, 200)}`)
    url = new URL(action, url).toString()
    method = 'POST'
    body = new URLSearchParams({ login }).toString()
  }
  throw new Error('too many redirects at the provider')
}
