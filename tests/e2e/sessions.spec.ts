import { randomBytes } from 'node:crypto'
import type { BrowserContext, Page } from '@playwright/test'
import { DEMO_PASSWORD, demoUsers, expect, newUser, signOut, signUpAndConfirm, submitLogin, test } from './fixtures.ts'

// Session lifetime rules: docs/decisions/017-session-lifetime.md. Signing out ending the session on the
// server is in security.spec.ts. The tests that change a user (password, disabled) use users they
// sign up themselves, so other specs never meet the change.

// These tests are about signing in and ending sessions: they sign in through the form every time, never
// from a demo user's stored session (tests/e2e/fixtures.ts).
test.use({ signInThroughForm: true })

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === 'ct_session')
}

/** A token of the right shape (32 base32 characters) that the server never issued. */
function plantedToken(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  return Array.from(randomBytes(32), (byte) => alphabet[byte % 32]).join('')
}

async function expectSignedOut(page: Page) {
  await page.goto('/settings')
  await expect(page).toHaveURL('/login?redirectTo=%2Fsettings')
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
}

test('signing in issues a new session token; a token planted beforehand signs nobody in', async ({
  page,
  context,
  browser,
  login,
}) => {
  // Visitors get no session before they sign in, so the only cookie an attacker can plant is one of
  // their own choosing, or an old one. Here it is a random, valid-looking token, sent with the sign-in.
  await login(demoUsers.nina.email)
  const earlier = (await sessionCookie(context))!.value
  await signOut(page, demoUsers.nina.displayName)

  const planted = plantedToken()
  await page.goto('/login')
  await context.addCookies([{ name: 'ct_session', value: planted, url: page.url() }])
  await page.getByLabel('Email').fill(demoUsers.nina.email)
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
  const signInRequest = page.waitForRequest(
    (r) => r.method() === 'POST' && new URL(r.url()).pathname.startsWith('/login'),
  )
  await page.getByRole('button', { name: 'Sign in' }).click()
  expect(await (await signInRequest).headerValue('cookie')).toContain(`ct_session=${planted}`)
  await expect(page.getByRole('banner').getByText(demoUsers.nina.displayName, { exact: true })).toBeVisible()

  const issued = (await sessionCookie(context))!.value
  expect(issued).toMatch(/^[a-z2-7]{32}$/)
  expect(issued).not.toBe(planted)
  expect(issued).not.toBe(earlier)

  // The planted token is still nobody's session, in a browser of its own.
  const attacker = await browser.newContext()
  const attackerPage = await attacker.newPage()
  await attackerPage.goto('/')
  await attacker.addCookies([{ name: 'ct_session', value: planted, url: attackerPage.url() }])
  await expectSignedOut(attackerPage)
  await attacker.close()
})

test('changing the password signs the user out of their other browser at its next request, and not this one', async ({
  page,
  context,
  browser,
}) => {
  const user = newUser()
  await signUpAndConfirm(page, user)
  await expect(page.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()
  const otherContext = await browser.newContext()
  const other = await otherContext.newPage()
  await submitLogin(other, user.email, user.password)
  await expect(other.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()
  const thisSession = (await sessionCookie(context))!.value

  const newPassword = `${user.password} renewed`
  await page.goto('/settings')
  const form = page.getByRole('region', { name: 'Change password' })
  await form.getByLabel('Current password').fill(user.password)
  await form.getByLabel('New password', { exact: true }).fill(newPassword)
  await form.getByLabel('Confirm new password').fill(newPassword)
  await form.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('status')).toContainText('Your password has been changed.')

  await expectSignedOut(other)
  expect(await sessionCookie(otherContext), 'the ended session’s cookie is cleared').toBeUndefined()

  await page.goto('/settings')
  await expect(page).toHaveURL('/settings')
  await expect(page.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()
  expect((await sessionCookie(context))!.value).toBe(thisSession)

  // The other browser gets back in with the new password only.
  await submitLogin(other, user.email, user.password)
  await expect(other.getByRole('alert')).toHaveText('The email or password is incorrect.')
  await submitLogin(other, user.email, newPassword)
  await expect(other.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()
  await otherContext.close()
})

test('a user an admin disables is signed out of their open session at once', async ({ page, browser, login }) => {
  const userContext = await browser.newContext()
  const userPage = await userContext.newPage()
  const user = newUser()
  await signUpAndConfirm(userPage, user)
  await expect(userPage.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()

  await login(demoUsers.admin.email)
  await page.goto(`/admin/users?q=${encodeURIComponent(user.email)}`)
  await page.getByRole('link', { name: user.displayName }).click()
  await page.getByRole('button', { name: 'Disable user' }).click()
  await expect(page.getByRole('status')).toHaveText('The user has been disabled and signed out of every session.')

  await expectSignedOut(userPage)
  expect(await sessionCookie(userContext), 'the ended session’s cookie is cleared').toBeUndefined()
  await userContext.close()
})
