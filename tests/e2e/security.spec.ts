import { DEMO_PASSWORD, demoUsers, expect, newUser, signOut, signUpAndConfirm, submitLogin, test } from './fixtures.ts'

const DAY_SECONDS = 24 * 60 * 60

// These tests are about signing in and ending sessions: they sign in through the form every time, never
// from a demo user's stored session (tests/e2e/fixtures.ts).
test.use({ signInThroughForm: true })

test('the session cookie is HttpOnly, SameSite=Lax, for the whole site, and lasts 30 days', async ({
  page,
  context,
  login,
}) => {
  await login(demoUsers.nina.email)

  const cookie = (await context.cookies()).find((c) => c.name === 'ct_session')
  expect(cookie, 'a ct_session cookie after signing in').toBeDefined()
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
  const daysAhead = (cookie!.expires - Date.now() / 1000) / DAY_SECONDS
  expect(daysAhead).toBeGreaterThan(29.9)
  expect(daysAhead).toBeLessThanOrEqual(30.01)
  // Scripts on the page cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain('ct_session')
})

test('after signing out, the old session cookie no longer signs anyone in', async ({ page, context, login }) => {
  await login(demoUsers.nina.email)
  const old = (await context.cookies()).find((c) => c.name === 'ct_session')
  expect(old?.value).toBeTruthy()

  await signOut(page, demoUsers.nina.displayName)
  await context.addCookies([old!])
  await page.goto('/settings')

  await expect(page).toHaveURL('/login?redirectTo=%2Fsettings')
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
  await expect(page.getByRole('banner').getByText(demoUsers.nina.displayName, { exact: true })).toHaveCount(0)
})

test('a sign-in posted from another site is refused with 403', async ({ request }) => {
  const response = await request.post('/login', {
    headers: { Origin: 'https://evil.example' },
    form: { email: demoUsers.nina.email, password: DEMO_PASSWORD },
    maxRedirects: 0,
  })

  expect(response.status()).toBe(403)
  expect(await response.text()).toContain('This request came from another site and was refused.')
  expect(response.headers()['set-cookie'] ?? '').not.toContain('ct_session=')
})

test('after 5 wrong passwords for an email from one address, the 6th from there is told to wait, even with the right password', async ({
  page,
}) => {
  // A fresh account, so the lock-out cannot affect other tests.
  const user = newUser()
  await signUpAndConfirm(page, user)
  await signOut(page, user.displayName)

  for (let attempt = 1; attempt <= 5; attempt++) {
    await submitLogin(page, user.email, `wrong password ${attempt}`)
    await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.')
  }

  const answer = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith('/login'),
  )
  await submitLogin(page, user.email, user.password)
  expect((await answer).status()).toBe(429)
  await expect(page.getByRole('alert')).toContainText('Too many attempts')
  await expect(page.getByLabel('Email')).toHaveValue(user.email)
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
})

test('pages carry a nonce-based Content-Security-Policy and anti-framing headers', async ({ page }) => {
  const response = await page.goto('/')
  const headers = response!.headers()

  const csp = headers['content-security-policy'] ?? ''
  const nonce = /script-src[^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
  expect(nonce, `a script nonce in: ${csp}`).toBeTruthy()
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).not.toContain("'unsafe-inline' 'unsafe-eval'")
  expect(headers['x-frame-options']).toBe('DENY')
  expect(headers['x-content-type-options']).toBe('nosniff')
  // The framework's inline scripts carry the same nonce.
  expect(await response!.text()).toContain(`nonce="${nonce}"`)
})
