import { demoUsers, expect, switchLanguage, test } from './fixtures.ts'

for (const [path, heading] of [
  ['/', 'Welcome to the community'],
  ['/login', 'Sign in'],
  ['/signup', 'Join the community'],
  ['/forgot-password', 'Reset your password'],
] as const) {
  test(`${path} has no serious or critical accessibility violations`, async ({ page, axe }) => {
    await page.goto(path)
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()

    await axe.expectNoSeriousA11yViolations(page)
  })
}

test('/settings has no serious or critical accessibility violations when signed in', async ({ page, login, axe }) => {
  await login(demoUsers.alice.email)
  await page.goto('/settings')
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()

  await axe.expectNoSeriousA11yViolations(page)
})

test('the administration pages have no serious or critical accessibility violations', async ({ page, login, axe }) => {
  await login(demoUsers.admin.email)
  for (const path of [
    '/admin/users',
    '/admin/accounts',
    '/admin/accounts/new',
    '/admin/accounts/import',
    '/admin/audit',
    '/admin/mail',
  ]) {
    await page.goto(path)
    await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible()
    await axe.expectNoSeriousA11yViolations(page)
  }
})

test('the 403 and 404 pages have no serious or critical accessibility violations', async ({ page, login, axe }) => {
  await page.goto('/no-such-page')
  await axe.expectNoSeriousA11yViolations(page)
  await login(demoUsers.alice.email)
  await page.goto('/admin/users')
  await axe.expectNoSeriousA11yViolations(page)
})

test('the Q&A pages have no serious or critical accessibility violations, in English and Japanese', async ({
  page,
  login,
  axe,
}) => {
  test.setTimeout(180_000)
  await login(demoUsers.alice.email)
  for (const locale of ['en', 'ja'] as const) {
    if ((await page.locator('html').getAttribute('lang')) !== locale) {
      await page.getByRole('button', { name: locale === 'ja' ? '日本語' : 'English' }).click()
      await expect(page.locator('html')).toHaveAttribute('lang', locale)
    }
    await page.goto('/questions')
    await axe.expectNoSeriousA11yViolations(page)
    await page.getByRole('link', { name: 'How do I export the monthly usage report as CSV?' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('How do I export the monthly usage report as CSV?')
    await axe.expectNoSeriousA11yViolations(page)
    for (const path of ['/questions/new', '/tags', '/tags/api', '/notifications', '/users/1']) {
      await page.goto(path)
      await axe.expectNoSeriousA11yViolations(page)
    }
  }
  // Alice reads English in the other specs.
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
})

test('the home, question, article, event, search, support and manager pages pass axe in English and Japanese', async ({
  page,
  login,
  axe,
}) => {
  // Twenty pages, each loaded and audited.
  test.setTimeout(240_000)
  await login('manager@community.example')
  const pages = [
    '/',
    '/questions/1',
    '/help/getting-started/set-up-your-workspace-in-five-steps',
    '/events/1',
    '/search?q=csv',
    '/support',
    '/support/new',
    '/manage',
    '/manage/settings',
  ]
  for (const locale of ['en', 'ja'] as const) {
    await switchLanguage(page, locale)
    for (const path of pages) {
      await page.goto(path)
      await expect(page.locator('html')).toHaveAttribute('lang', locale)
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
      await axe.expectNoSeriousA11yViolations(page)
    }
    // An account's health page, reached as a manager would: from the dashboard.
    await page.goto('/manage')
    await page.getByRole('link', { name: 'Acme Holdings' }).first().click()
    await expect(page).toHaveURL(/\/manage\/accounts\/\d+/)
    await axe.expectNoSeriousA11yViolations(page)
  }
  // The manager reads English in the other specs.
  await switchLanguage(page, 'en')
})
