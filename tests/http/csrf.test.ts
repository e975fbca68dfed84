import { afterAll, beforeAll, expect, test } from 'vitest'
import { type AppServer, startApp, Visitor } from './app-server.ts'
import { type DemoObjects, demoObjects, personaEmails } from './personas.ts'
import { eachLimited, type Policy, policy, stateFingerprint } from './route-policy.ts'

// Cross-site request forgery: every route refuses a state-changing method sent from another site,
// before any route code runs, however it is dressed; the same request from the app's own pages passes.

const refusal = 'This request came from another site and was refused.'

/** The ways a forged request shows where it came from, as browsers send them. */
const forgeries: { name: string; headers: Record<string, string> }[] = [
  { name: 'a foreign Origin', headers: { origin: 'https://evil.example', 'sec-fetch-site': '' } },
  { name: 'Sec-Fetch-Site: cross-site', headers: { origin: '', 'sec-fetch-site': 'cross-site' } },
  { name: 'Sec-Fetch-Site: same-site (a sibling subdomain)', headers: { 'sec-fetch-site': 'same-site' } },
  { name: 'Origin: null (a sandboxed frame or data: page)', headers: { origin: 'null', 'sec-fetch-site': '' } },
  {
    name: 'a foreign Origin beside Sec-Fetch-Site: same-origin (headers a browser never mixes)',
    headers: { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' },
  },
]

let app: AppServer
let admin: Visitor
let objects: DemoObjects

beforeAll(async () => {
  app = await startApp({ env: { RATE_LIMITS: 'off' } })
  admin = await new Visitor(app).signIn(personaEmails.admin)
  objects = await demoObjects()
})

afterAll(async () => {
  await app?.stop()
})

function routesWithUrls(): [string, Policy][] {
  return Object.entries(policy).filter((entry): entry is [string, Policy] => entry[1] !== 'layout')
}

test('every route refuses POST, PUT, PATCH and DELETE from another site before any route code runs, and nothing changes', async () => {
  const before = await stateFingerprint()
  // POST in every disguise; the other methods with the plainest one.
  const requests = routesWithUrls().flatMap(([id, p]) => [
    ...forgeries.map((forgery) => ({ id, p, method: 'POST', forgery })),
    ...['PUT', 'PATCH', 'DELETE'].map((method) => ({ id, p, method, forgery: forgeries[0]! })),
  ])
  const wrong: string[] = []
  await eachLimited(requests, 4, async ({ id, p, method, forgery }) => {
    // Empty header values are dropped: a forgery "without Origin" sends none at all.
    const headers = Object.fromEntries(Object.entries(forgery.headers).filter(([, value]) => value !== ''))
    const reply = await admin.request(method, p.url(objects), {
      form: p.body?.(objects) ?? { intent: 'delete' },
      headers: { origin: '', 'sec-fetch-site': '', ...headers },
    })
    // Pages take no PUT, PATCH or DELETE from anyone: the door answers 405 before the origin matters.
    // Everything else sent from another site is the translated 403.
    // A token-authorised write (the one-click unsubscribe) is taken from any site, as if sent with no
    // cookies: a token that names nobody is the 404 it is for everyone.
    const pageMethod = method !== 'POST' && !p.url(objects).startsWith('/api/')
    const refused = pageMethod
      ? reply.status === 405 && reply.headers.get('allow') === 'GET, HEAD, POST'
      : p.tokenWrite
        ? reply.status === 404
        : reply.status === 403 && reply.text.includes(refusal)
    if (!refused || reply.headers.get('set-cookie')) {
      wrong.push(`${method} ${id} with ${forgery.name}: ${reply.status} ${reply.text.slice(0, 80)}`)
    }
  })
  expect(wrong).toEqual([])
  expect(await stateFingerprint()).toEqual(before)
  // The admin is still signed in: a refused request does not touch the session.
  expect((await admin.get('/settings')).status).toBe(200)
})

test('the refusal is in the reader’s language', async () => {
  const reply = await admin.request('POST', '/settings', {
    headers: { origin: 'https://evil.example', 'accept-language': 'ja' },
  })
  expect(reply.status).toBe(403)
  expect(reply.text).toBe('別のサイトから送信されたリクエストのため、受け付けられませんでした。')
})

test('the same request from the app’s own page, and from a client that sends no browser headers, is let through', async () => {
  // Same origin: the settings form answers with its validation errors, not the CSRF refusal.
  const own = await admin.request('POST', '/settings', {
    form: {},
    headers: { origin: app.origin, 'sec-fetch-site': 'same-origin' },
  })
  expect(own.status).toBe(400)
  expect(own.text).not.toContain(refusal)
  // A user typing the address (Sec-Fetch-Site: none) is not another site.
  const typed = await admin.request('POST', '/settings', { form: {}, headers: { 'sec-fetch-site': 'none' } })
  expect(typed.status).toBe(400)
  // A server-to-server API client sends neither header: the API's own bearer check answers.
  const api = await new Visitor(app).request('PATCH', `/api/v1/tickets/${objects.ticketId}`, {
    json: { status: 'closed' },
    headers: { origin: '', 'sec-fetch-site': '' },
  })
  expect(api.status).toBe(401)
})
