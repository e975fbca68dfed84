import { DEMO_PASSWORD, demoUsers, expect, submitLogin, test } from './fixtures.ts'

// These tests change demo users no other spec uses (chris@cobalt.example, ken@acme.example).

test('an admin imports accounts from pasted CSV: good rows land, the bad row is reported by its line', async ({
  page,
  login,
}) => {
  await login(demoUsers.admin.email)
  await page.goto('/admin/accounts/import')
  const name = `Imported ${Date.now().toString(36)}`
  await page
    .getByLabel('Or paste CSV text')
    .fill(
      `name,domains,arr,currency,seats\n${name},imported-${Date.now().toString(36)}.example,2400000,JPY,12\n,bad.example,lots,JPY,1`,
    )
  await page.getByRole('button', { name: 'Import' }).click()

  await expect(page.getByText('1 created, 0 updated, 1 rejected.')).toBeVisible()
  const rejected = page.getByRole('table').filter({ hasText: 'Line' })
  await expect(rejected.getByRole('row').nth(1)).toContainText('3')
  await expect(rejected).toContainText('This field is required.')

  await page.goto(`/admin/accounts?q=${encodeURIComponent(name)}`)
  await expect(page.getByRole('link', { name })).toBeVisible()
})

test('an admin changes a role; the audit log shows who did it', async ({ page, login }) => {
  await login(demoUsers.admin.email)
  await page.goto('/admin/users?q=chris%40cobalt.example')
  await page.getByRole('link', { name: 'Chris Ito' }).click()
  await page.getByLabel('New role').selectOption('staff')
  await page.getByRole('button', { name: 'Change role' }).click()
  await expect(page.getByRole('status')).toHaveText('The role has been changed.')

  await page.goto('/admin/audit')
  const entry = page.getByRole('row').filter({ hasText: 'Role changed' }).first()
  await expect(entry).toContainText('Admin')
  await expect(entry).toContainText('"to":"staff"')
})

test('a disabled user is signed out at once and cannot sign in again', async ({ browser, page, login }) => {
  const kenContext = await browser.newContext()
  const ken = await kenContext.newPage()
  await submitLogin(ken, 'ken@acme.example', DEMO_PASSWORD)
  await expect(ken.getByRole('banner').getByText('山田 健', { exact: true })).toBeVisible()

  await login(demoUsers.admin.email)
  await page.goto('/admin/users?q=ken%40acme.example')
  await page.getByRole('link', { name: '山田 健' }).click()
  await page.getByRole('button', { name: 'Disable user' }).click()
  await expect(page.getByRole('status')).toContainText('disabled')

  // Signed out, Ken's page follows his browser's language (English) rather than his Japanese setting.
  await ken.reload()
  await expect(ken.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
  await submitLogin(ken, 'ken@acme.example', DEMO_PASSWORD)
  await expect(ken.getByRole('alert')).toContainText('This account has been disabled')
  await kenContext.close()
})

test('/healthz reports the driver and the version', async ({ request }) => {
  const response = await request.get('/healthz')
  expect(response.status()).toBe(200)
  expect(await response.json()).toEqual({
    status: 'ok',
    db: 'pglite',
    version: expect.stringMatching(/^\d+\.\d+\.\d+/),
  })
})
