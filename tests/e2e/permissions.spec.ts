import { demoUsers, expect, test } from './fixtures.ts'

test('a member opening the user administration gets the 403 page, not a crash', async ({ page, login }) => {
  await login(demoUsers.alice.email)

  const response = await page.goto('/admin/users')

  expect(response?.status()).toBe(403)
  await expect(page.getByRole('heading', { name: 'Access denied' })).toBeVisible()
  await expect(page.getByRole('banner').getByText(demoUsers.alice.displayName, { exact: true })).toBeVisible()
})

test('a signed-out visitor opening the administration is sent to sign in', async ({ page }) => {
  await page.goto('/admin')

  await expect(page).toHaveURL('/login?redirectTo=%2Fadmin')
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible()
})

test('an unknown address shows the 404 page inside the site layout', async ({ page }) => {
  const response = await page.goto('/no-such-page/anywhere')

  expect(response?.status()).toBe(404)
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await expect(page.getByRole('banner')).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Questions' })).toBeVisible()
  await expect(page.getByRole('link', { name: 'Go to the home page' })).toBeVisible()
})
