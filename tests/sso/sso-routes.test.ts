import { afterAll, beforeAll, expect, test } from 'vitest'
import { validateSessionToken } from '#app/domain/identity/sessions.server.ts'
import { createSsoProvider, ssoCallbackUrl } from '#app/domain/identity/sso.server.ts'
import { SsoProviderSchema } from '#app/domain/identity/sso-schemas.ts'
import { loader as callbackLoader } from '#app/routes/auth/sso-callback.ts'
import { loader as startLoader } from '#app/routes/auth/sso-start.ts'
import { insertAdmin } from '#app/server/seed/factories/index.ts'
import { db } from '#tests/db.ts'
import { routeContext, settle } from '#tests/route-harness.ts'
import { signInAtIdp, startTestIdp, type TestIdp } from './idp.ts'

// The two routes of a sign-in, as React Router calls them: the cookie that binds the attempt to the
// browser, and where each answer sends it.

const SLUG = 'acme-routes'
const CLIENT = { clientId: 'routes-client', clientSecret: 'routes-secret-0123456789' }
let idp: TestIdp

beforeAll(async () => {
  idp = await startTestIdp({ clients: [{ ...CLIENT, redirectUris: [ssoCallbackUrl(SLUG)] }] })
  const admin = await insertAdmin(db)
  const input = SsoProviderSchema.parse({
    name: 'Acme',
    slug: SLUG,
    issuer: idp.issuer,
    ...CLIENT,
    scopes: 'openid email profile',
    passwordSignIn: 'on',
    enabled: 'on',
  })
  const created = await createSsoProvider(db, { actor: admin, input })
  if (!created.ok) throw new Error(created.code)
})

afterAll(async () => {
  await idp?.close()
})

function start(query = '') {
  const request = new Request(`http://localhost/auth/sso/${SLUG}${query}`)
  return settle(() => startLoader({ request, params: { slug: SLUG }, context: routeContext(null) } as never))
}

function callback(search: string, cookie: string | null) {
  const request = new Request(`http://localhost/auth/sso/${SLUG}/callback${search}`, {
    headers: cookie ? { cookie } : {},
  })
  return settle(() => callbackLoader({ request, params: { slug: SLUG }, context: routeContext(null) } as never))
}

test('the start sets a short httpOnly Lax cookie with the state and sends the browser to the provider with PKCE', async () => {
  const answer = await start('?redirectTo=https://evil.example/')
  expect(answer.status).toBe(302)
  const to = new URL(answer.location!)
  expect(to.origin).toBe(idp.issuer)
  expect(to.searchParams.get('code_challenge_method')).toBe('S256')
  expect(to.searchParams.get('nonce')).toBeTruthy()
  expect(to.searchParams.get('redirect_uri')).toBe(ssoCallbackUrl(SLUG))
  const cookie = answer.headers.get('set-cookie')!
  expect(cookie).toMatch(new RegExp(`^ct_sso_state=${to.searchParams.get('state')};`))
  expect(cookie).toMatch(/Path=\/auth\/sso; HttpOnly; SameSite=Lax; Max-Age=600/)
})

test('the callback signs in with the cookie, and goes only to a same-site page', async () => {
  const started = await start('?redirectTo=//evil.example/x')
  const state = new URL(started.location!).searchParams.get('state')!
  idp.accounts.set('route-member', {
    email: 'route-member@customer.example',
    email_verified: true,
    name: 'Route Member',
  })
  const back = await signInAtIdp(started.location!, 'route-member')

  const answer = await callback(back.search, `ct_sso_state=${state}`)
  expect(answer.status).toBe(302)
  expect(answer.location).toBe('/')
  const cookies = answer.headers.getSetCookie()
  expect(cookies.some((c) => /^ct_sso_state=;.*Max-Age=0/.test(c))).toBe(true)
  const session = cookies.find((c) => c.startsWith('ct_session='))!
  const token = session.split(';')[0]!.split('=')[1]!
  expect((await validateSessionToken(db, token))?.user.email).toBe('route-member@customer.example')

  // The same callback again: to the sign-in page, with the reason.
  const again = await callback(back.search, `ct_sso_state=${state}`)
  expect(again.location).toBe('/login?sso_error=attempt_invalid')
})

test('a callback without the cookie goes to the sign-in page with the reason; an unknown provider goes there too', async () => {
  const started = await start()
  const back = await signInAtIdp(started.location!, 'route-member')
  const answer = await callback(back.search, null)
  expect(answer.status).toBe(302)
  expect(answer.location).toBe('/login?sso_error=state_mismatch')
  expect(answer.headers.getSetCookie().some((c) => c.startsWith('ct_session='))).toBe(false)

  const request = new Request('http://localhost/auth/sso/nobody/callback?code=x&state=y')
  const unknown = await settle(() =>
    callbackLoader({ request, params: { slug: 'nobody' }, context: routeContext(null) } as never),
  )
  expect(unknown.status).toBe(302)
  expect(unknown.location).toBe('/login?sso_error=provider_unknown')
})
