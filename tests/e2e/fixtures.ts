import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { type Browser, type BrowserContext, test as base, expect, type Page } from '@playwright/test'

/** Every demo user (app/server/seed/demo.server.ts) signs in with this password. */
export const DEMO_PASSWORD = 'community-demo-2026'

export const demoUsers = {
  admin: { email: 'admin@community.example', displayName: 'Admin' },
  staff: { email: 'staff@community.example', displayName: 'Sato Haruka (CS)' },
  alice: { email: 'alice@acme.example', displayName: 'Alice Tanaka' },
  bob: { email: 'bob@bluebird.example', displayName: 'Bob Rivera' },
  nina: { email: 'nina@northwind.example', displayName: 'Nina Park' },
} as const

/** An address no other test (or earlier retry) has used; its domain belongs to no customer account. */
export function uniqueEmail(prefix = 'e2e'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@e2e.example`
}

/** The headers of a person at an address of their own. The end-to-end server trusts X-Forwarded-For
 *  (TRUST_PROXY, as behind a deployment's proxy), so the specs that sign up new members come from
 *  different addresses, as new members do, and the sign-up limit per address stays on. */
export function ownAddress(): Record<string, string> {
  const [a, b] = randomBytes(2)
  // 198.18.0.0/15 is set aside for tests (RFC 2544): no real person is there.
  return { 'X-Forwarded-For': `198.18.${a}.${((b ?? 0) % 254) + 1}` }
}

/** A password that passes the length and common-password rules. */
export function strongPassword(): string {
  return `tidal lantern ${randomBytes(4).toString('hex')} orbit`
}

export type NewUser = { email: string; displayName: string; password: string }

export function newUser(overrides: Partial<NewUser> = {}): NewUser {
  return {
    email: uniqueEmail(),
    displayName: `Tester ${randomBytes(2).toString('hex')}`,
    password: strongPassword(),
    ...overrides,
  }
}

/** Fills in and submits the real /signup form. Sign-ups count against a per-IP limit (10 an hour), so
 *  the suite signs up only where a fresh account is the point of the test. */
export async function signUp(page: Page, user: NewUser): Promise<void> {
  await page.setExtraHTTPHeaders(ownAddress())
  await page.goto('/signup')
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Display name').fill(user.displayName)
  await page.getByLabel('Password', { exact: true }).fill(user.password)
  await page.getByRole('button', { name: 'Create account' }).click()
}

/** The link of the newest email to `email` of `template`, read as the admin reads the outbox (with no
 *  SMTP server the outbox is how mail reaches people). */
export async function linkMailedTo(browser: Browser, email: string, template = 'email_verify'): Promise<string> {
  const admin = await signedInPage(browser, demoUsers.admin.email)
  try {
    await admin.goto('/admin/mail')
    const row = admin.getByRole('row').filter({ hasText: email }).filter({ hasText: template }).first()
    const message = await row.getByRole('link').getAttribute('href')
    if (!message) throw new Error(`no ${template} mail to ${email} in the outbox`)
    // The outbox shows a message's link once the mail job has stored it (until then it is queued and its
    // link masked, as for a message sent by SMTP): read it again until it is there.
    let link = ''
    await expect(async () => {
      await admin.goto(message)
      const body = (await admin.locator('pre.mail-body').textContent()) ?? ''
      link = /https?:\/\/\S+\/(?:verify-email|reset-password)\/[a-z0-9]+/.exec(body)?.[0] ?? ''
      expect(link, `the ${template} link in the mail to ${email} (${message}): ${body.slice(0, 200)}`).not.toBe('')
    }).toPass({ timeout: 15_000 })
    return new URL(link).pathname
  } finally {
    await admin.context().close()
  }
}

/** Signs up through the real form, then confirms the address through the link mailed to it, as a new
 *  member does: they end signed in on the home page. */
export async function signUpAndConfirm(page: Page, user: NewUser): Promise<void> {
  await signUp(page, user)
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible()
  const browser = page.context().browser()
  if (!browser) throw new Error('the page has no browser')
  await page.goto(await linkMailedTo(browser, user.email))
  await page.getByRole('button', { name: 'Confirm my address' }).click()
  await expect(page).toHaveURL('/?welcome=1')
  await expect(page.getByText('Your email address is confirmed.')).toBeVisible()
}

/** Fills in and submits the real /login form, without asserting the outcome. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

// Signing in once per demo user (docs/decisions/028-test-suite-budget.md): the first test that needs a
// demo user signs in through the real form and keeps the browser's storage state (the session cookie)
// in data/e2e-<run>-auth/<email>.json; every later test of the run starts from it. Sessions are only
// ended by signing out, a password change, a reset or a disabled account: tests that do any of that to
// a user sign in through the form themselves (signInThroughForm), or use a user of their own.

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>
const storageStates = new Map<string, Promise<StorageState>>()

function storageStatePath(email: string): string | undefined {
  const run = process.env.E2E_RUN_ID
  if (!run) return undefined
  return path.resolve('data', `e2e-${run}-auth`, `${email.replace(/[^a-z0-9@._-]/gi, '_')}.json`)
}

/** The storage state of `email` signed in with the demo password: read from this run's file, or made
 *  once by signing in through the form. */
export function demoStorageState(browser: Browser, email: string): Promise<StorageState> {
  let state = storageStates.get(email)
  if (!state) {
    state = (async () => {
      const file = storageStatePath(email)
      if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StorageState
      const context = await browser.newContext()
      try {
        const page = await context.newPage()
        await submitLogin(page, email, DEMO_PASSWORD)
        await expect(page).not.toHaveURL(/\/login(\?|$)/)
        await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toHaveCount(0)
        const made = await context.storageState()
        if (file) {
          mkdirSync(path.dirname(file), { recursive: true })
          const tmp = `${file}.${process.pid}.tmp`
          writeFileSync(tmp, JSON.stringify(made))
          renameSync(tmp, file)
        }
        return made
      } finally {
        await context.close()
      }
    })()
    state.catch(() => storageStates.delete(email))
    storageStates.set(email, state)
  }
  return state
}

/** A signed-in user (with the demo password) in a browser context of their own, for tests where several
 *  people take turns. The context starts from the user's stored session (signed in through the form
 *  once per run); the page is blank: go to where the test begins. */
export async function signedInPage(browser: Browser, email: string, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ ...options, storageState: await demoStorageState(browser, email) })
  return context.newPage()
}

/** Switches the signed-in user's language (the choice is stored on the user). The staff demo user
 *  reads Japanese; tests that need one language say so. */
export async function switchLanguage(page: Page, locale: 'en' | 'ja') {
  await page.goto('/')
  if ((await page.locator('html').getAttribute('lang')) === locale) return
  await page.getByRole('button', { name: locale === 'ja' ? '日本語' : 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', locale)
}

/** The header's account menu: a <details> whose summary is the signed-in user's display name. */
export function accountMenu(page: Page, displayName: string) {
  return page.getByRole('banner').getByText(displayName, { exact: true })
}

export async function signOut(page: Page, displayName: string): Promise<void> {
  await accountMenu(page, displayName).click()
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
}

// @axe-core/playwright evaluates axe over the DevTools protocol, which the page's CSP does not govern, so
// the page keeps its real CSP (no bypassCSP) and the audit sees what users get. Legacy mode runs the
// whole audit in the page: the app has no iframes, and the default mode opens a second page per scan to
// merge frame results, which doubles a scan's time on a two-core machine.

/** Runs axe on the page as it is now and fails on any serious or critical violation, listing each one. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).analyze()
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const report = serious
    .map((v) => {
      const nodes = v.nodes
        .map(
          (n) =>
            `    - ${JSON.stringify(n.target)}\n      ${n.html}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
        )
        .join('\n')
      return `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`
    })
    .join('\n\n')
  expect(
    serious.map((v) => `${v.impact} ${v.id}`),
    `axe found serious or critical violations on ${page.url()}:\n\n${report}\n`,
  ).toEqual([])
}

const expectedConsoleErrors = [
  // The browser's own note on a 4xx/5xx response, expected where a test asks for one.
  /^Failed to load resource/,
]

type Fixtures = {
  /** Fails the test when the page throws or logs an error (a hydration mismatch, a crashed effect). */
  failOnPageErrors: undefined
  /** Signs the page in and waits on the home page until the app has let the user in: with the demo
   *  password from the user's stored session, otherwise (or with signInThroughForm) through the form. */
  login: (email: string, password?: string) => Promise<void>
  /** Specs about signing in and ending sessions sign in through the real /login form every time. */
  signInThroughForm: boolean
  axe: { expectNoSeriousA11yViolations: (page: Page) => Promise<void> }
}

export const test = base.extend<Fixtures>({
  failOnPageErrors: [
    async ({ page }, use) => {
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`))
      page.on('console', (message) => {
        if (message.type() === 'error' && !expectedConsoleErrors.some((pattern) => pattern.test(message.text()))) {
          errors.push(`console.error: ${message.text()}`)
        }
      })
      await use(undefined)
      expect(errors, 'errors in the browser console').toEqual([])
    },
    { auto: true },
  ],
  signInThroughForm: [false, { option: true }],
  login: async ({ page, browser, signInThroughForm }, use) => {
    await use(async (email, password = DEMO_PASSWORD) => {
      if (signInThroughForm || password !== DEMO_PASSWORD) {
        await submitLogin(page, email, password)
        await expect(page).not.toHaveURL(/\/login(\?|$)/)
      } else {
        await page.context().addCookies((await demoStorageState(browser, email)).cookies)
        await page.goto('/')
      }
      await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toHaveCount(0)
    })
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their dependencies.
  axe: async ({}, use) => {
    await use({ expectNoSeriousA11yViolations })
  },
})

export { expect }
