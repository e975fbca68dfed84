import { randomBytes } from 'node:crypto'
import AxeBuilder from '@axe-core/playwright'
import { type Browser, test as base, expect, type Page } from '@playwright/test'

/** Every demo user (scripts/seed-demo.server.ts) signs in with this password. */
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
  await page.goto('/signup')
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Display name').fill(user.displayName)
  await page.getByLabel('Password', { exact: true }).fill(user.password)
  await page.getByRole('button', { name: 'Create account' }).click()
}

/** Fills in and submits the real /login form, without asserting the outcome. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** A second signed-in user in a context of their own, for tests where several people take turns. */
export async function signedInPage(browser: Browser, email: string, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext(options)
  const page = await context.newPage()
  await submitLogin(page, email, DEMO_PASSWORD)
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toHaveCount(0)
  return page
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
  // React Router's lazy route discovery, cut short when a test navigates (page.goto) while it is
  // fetching the routes of the page's links; a user moving on that quickly loses nothing either.
  /^Failed to fetch manifest patches TypeError: Failed to fetch/,
]

type Fixtures = {
  /** Fails the test when the page throws or logs an error (a hydration mismatch, a crashed effect). */
  failOnPageErrors: undefined
  /** Signs in through the real /login form and waits until the app has let the user in. */
  login: (email: string, password?: string) => Promise<void>
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
  login: async ({ page }, use) => {
    await use(async (email, password = DEMO_PASSWORD) => {
      await submitLogin(page, email, password)
      await expect(page).not.toHaveURL(/\/login(\?|$)/)
      await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toHaveCount(0)
    })
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their dependencies.
  axe: async ({}, use) => {
    await use({ expectNoSeriousA11yViolations })
  },
})

export { expect }
