import { afterAll, beforeAll, expect, test } from 'vitest'
import { DEMO_PASSWORD } from '#app/server/seed/demo.server.ts'
import { type AppServer, startApp, Visitor } from './app-server.ts'
import { personaEmails } from './personas.ts'

// Sessions on the wire, as deployed behind a proxy that ends TLS (APP_URL is https://): the cookie's
// attributes, one session per sign-in, and sign-out ending the session on the server.

let app: AppServer

beforeAll(async () => {
  app = await startApp({ env: { APP_URL: 'https://community.example' } })
})

afterAll(async () => {
  await app?.stop()
})

test('the session cookie is HttpOnly, SameSite=Lax, Secure, for the whole site, with a Max-Age', async () => {
  const reply = await new Visitor(app).post('/login', { email: personaEmails.member, password: DEMO_PASSWORD })
  expect(reply.status).toBe(302)
  const cookie = reply.headers.getSetCookie().find((line) => line.startsWith('ct_session='))
  expect(cookie).toMatch(/^ct_session=[a-z2-7]{32}; /)
  const attributes = cookie!.split('; ').slice(1)
  expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax', 'Secure']))
  expect(Number(attributes.find((a) => a.startsWith('Max-Age='))?.slice(8))).toBeGreaterThan(29 * 86_400)
  expect(reply.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
})

test('signing in again ends the session the browser carried; signing out ends it on the server', async () => {
  const visitor = new Visitor(app)
  await visitor.signIn(personaEmails.member)
  const first = visitor.sessionToken!
  await visitor.signIn(personaEmails.other)
  const second = visitor.sessionToken!
  expect(second).not.toBe(first)

  const replay = async (token: string) =>
    (await fetch(new URL('/settings', app.origin), { headers: { cookie: `ct_session=${token}` }, redirect: 'manual' }))
      .status
  expect(await replay(first)).toBe(302)
  expect(await replay(second)).toBe(200)

  await visitor.post('/logout')
  expect(visitor.sessionToken).toBeUndefined()
  expect(await replay(second)).toBe(302)
})
