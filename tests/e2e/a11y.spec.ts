import { demoUsers, expect, test } from './fixtures.ts'

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
