import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { startTestIdp, type TestIdp } from '../sso/idp.ts'
import {
  accountMenu,
  DEMO_PASSWORD,
  demoUsers,
  expect,
  expectNoSeriousA11yViolations,
  signOut,
  test,
} from './fixtures.ts'

// Single sign-on in the browser, with JavaScript on and off: the admin adds a provider through
// /admin/sso pointing at a real OpenID Connect provider this spec starts on 127.0.0.1 (the server runs
// with WEBHOOKS_ALLOW_PRIVATE, which lets loopback issuers through), signs out, and a new member signs
// in with the provider's button, through the provider's login page and back, signed in.

test.describe.configure({ mode: 'serial' })

const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`
const CLIENT = { clientId: `community-${run}`, clientSecret: `secret-${run}-0123456789` }
const modes = [
  { js: true, slug: `acme-js-${run}` },
  { js: false, slug: `acme-nojs-${run}` },
] as const

let idp: TestIdp

test.beforeAll(async () => {
  // The app's address as playwright.config.ts makes it (APP_URL): the callback the provider accepts.
  const baseURL = `http://localhost:${process.env.E2E_PORT ?? 3210}`
  idp = await startTestIdp({
    clients: [{ ...CLIENT, redirectUris: modes.map((m) => `${baseURL}/auth/sso/${m.slug}/callback`) }],
  })
})

test.afterAll(async () => {
  await idp?.close()
})

/** The admin signs in with a session of this test's own (signing out ends it, not the suite's). The
 *  button is named exactly: the page may also show "Sign in with …" buttons. */
async function signInAsAdmin(page: Page) {
  await page.goto('/login')
  await page.getByLabel('Email').fill(demoUsers.admin.email)
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  // By the account menu, not the admin's name: the every-form spec renames the admin on the way.
  await expect(page.locator('.account-menu summary')).toBeVisible()
}

/** Signs the admin out, whatever name they carry by now. */
async function signOutAdmin(page: Page) {
  await page.locator('.account-menu summary').click()
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
}

/** No horizontal scroll at a phone's width. */
async function fitsPhone(page: Page) {
  await page.setViewportSize({ width: 390, height: 844 })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await page.setViewportSize({ width: 1280, height: 800 })
}

for (const { js, slug } of modes) {
  test(`an admin adds a provider and a new member signs in with it (JavaScript ${js ? 'on' : 'off'})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled: js })
    const page = await context.newPage()
    const consoleErrors: string[] = []
    page.on('console', (message) => {
      // The refused submissions below answer 400 on purpose; the browser logs each.
      if (message.type() === 'error' && !/status of 400/.test(message.text())) consoleErrors.push(message.text())
    })
    const name = `Acme Cloud ${js ? 'JS' : 'HTML'}`
    try {
      await signInAsAdmin(page)
      await page.goto('/admin')
      await page
        .getByRole('navigation', { name: 'Administration sections' })
        .getByRole('link', { name: 'Single sign-on' })
        .click()
      await expect(page).toHaveURL(/\/admin\/sso$/)
      await fitsPhone(page)

      const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add provider' }) })
      await form.getByLabel('Name on the button').fill(name)
      await form.getByLabel('URL name').fill(slug)
      await form.getByLabel('Issuer URL').fill('not a url')
      await form.getByLabel('Client ID').fill(CLIENT.clientId)
      await form.getByLabel('Client secret').fill(CLIENT.clientSecret)
      await form.getByLabel('Scopes').fill('openid email profile account')
      await form.getByRole('button', { name: 'Add provider' }).click()
      await expect(form.getByText('Enter the issuer URL, for example https://login.example.com.')).toBeVisible()
      await expect(form.getByLabel('Name on the button')).toHaveValue(name)
      await expect(form.getByLabel('Issuer URL')).toHaveValue('not a url')

      // An http issuer that is not on this machine: only the server can tell, and it keeps what was typed.
      await form.getByLabel('Issuer URL').fill('http://192.0.2.10/realms/acme')
      await form.getByLabel('Client secret').fill(CLIENT.clientSecret)
      await form.getByRole('button', { name: 'Add provider' }).click()
      await expect(page.getByText('The issuer must use https')).toBeVisible()
      await expect(form.getByLabel('Name on the button')).toHaveValue(name)
      await expect(form.getByLabel('URL name')).toHaveValue(slug)
      // The server never sends the secret back (with JavaScript the field simply keeps what was typed).
      if (!js) await expect(form.getByLabel('Client secret')).toHaveValue('')

      await form.getByLabel('Issuer URL').fill(idp.issuer)
      await form.getByLabel('Client secret').fill(CLIENT.clientSecret)
      await form.getByRole('button', { name: 'Add provider' }).click()
      await expect(page).toHaveURL(/\/admin\/sso\/\d+\?done=created$/)
      await expect(page.getByText('The provider was added.')).toBeVisible()
      // The exact address to register at the provider, ready to copy.
      await expect(page.getByLabel('Callback URL to register at the provider')).toHaveValue(
        `http://localhost:${process.env.E2E_PORT ?? 3210}/auth/sso/${slug}/callback`,
      )
      const providerUrl = new URL(page.url()).pathname
      await fitsPhone(page)
      if (js) await expectNoSeriousA11yViolations(page)

      await signOutAdmin(page)

      const sub = `member-${slug}`
      const email = `${sub}@sso.e2e.example`
      idp.accounts.set(sub, { email, email_verified: true, name: `Sso Member ${js ? 'JS' : 'HTML'}`, locale: 'en' })
      await page.goto('/login')
      await fitsPhone(page)
      if (js) await expectNoSeriousA11yViolations(page)
      await page.getByRole('link', { name: `Sign in with ${name}` }).click()
      await expect(page.getByRole('heading', { name: 'Test provider sign-in' })).toBeVisible()
      expect(new URL(page.url()).origin).toBe(idp.issuer)
      await page.getByLabel('Login').fill(sub)
      await page.getByRole('button', { name: 'Continue' }).click()
      await expect(accountMenu(page, `Sso Member ${js ? 'JS' : 'HTML'}`)).toBeVisible()
      expect(new URL(page.url()).pathname).toBe('/')

      // The admin deletes the provider again (the specs after this one see no button), typing its name.
      await signOut(page, `Sso Member ${js ? 'JS' : 'HTML'}`)
      await signInAsAdmin(page)
      await page.goto(providerUrl)
      await expect(page.getByText('Linked members')).toBeVisible()
      const remove = page.locator('form').filter({ has: page.getByRole('button', { name: 'Delete provider' }) })
      await remove.getByLabel('URL name to confirm').fill('something-else')
      await remove.getByRole('button', { name: 'Delete provider' }).click()
      await expect(remove.getByText('Type the provider’s URL name exactly to confirm.')).toBeVisible()
      await remove.getByLabel('URL name to confirm').fill(slug)
      await remove.getByRole('button', { name: 'Delete provider' }).click()
      await expect(page).toHaveURL(/\/admin\/sso\?done=deleted$/)
      await expect(page.getByText('The provider was deleted.')).toBeVisible()
      expect(consoleErrors).toEqual([])
    } finally {
      await context.close()
    }
  })
}

test('the sign-in page and the admin pages in Japanese; a refused sign-in says why', async ({ browser }) => {
  const visitor = await browser.newContext({ locale: 'ja-JP', extraHTTPHeaders: { 'Accept-Language': 'ja' } })
  const context = await browser.newContext()
  const page = await context.newPage()
  const slug = `acme-ja-${run}`
  try {
    // The provider's redirect came back to a browser that did not start it: the page says so, in the
    // reader's language.
    const reader = await visitor.newPage()
    await reader.goto('/login?sso_error=state_mismatch')
    await expect(reader.locator('html')).toHaveAttribute('lang', 'ja')
    await expect(reader.getByRole('alert')).toContainText('別のブラウザーやタブで開始された')
    await fitsPhone(reader)

    await signInAsAdmin(page)
    await page.goto('/admin/sso')
    // The page follows the user's language setting: switched here, and back at the end.
    await page.getByRole('button', { name: '日本語' }).click()
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
    await expect(page.getByRole('heading', { name: 'シングルサインオン（OpenID Connect）' })).toBeVisible()
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'プロバイダーを追加' }) })
    await form.getByLabel('ボタンに表示する名前').fill('Acme 日本')
    await form.getByLabel('URL（スラッグ）').fill(slug)
    await form.getByLabel('発行者 URL').fill('https://169.254.169.254')
    await form.getByLabel('クライアント ID').fill('ja-client')
    await form.getByRole('button', { name: 'プロバイダーを追加' }).click()
    await expect(page.getByText('プライベートネットワークを指している')).toBeVisible()
    await expect(form.getByLabel('ボタンに表示する名前')).toHaveValue('Acme 日本')
    await fitsPhone(page)
  } finally {
    // Back to English for the specs after this one.
    await page.goto('/')
    if ((await page.locator('html').getAttribute('lang')) === 'ja') {
      await page.getByRole('button', { name: 'English' }).click()
      await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    }
    await context.close()
    await visitor.close()
  }
})
