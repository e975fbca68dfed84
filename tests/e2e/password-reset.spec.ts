import { expect, linkMailedTo, strongPassword, submitLogin, test } from './fixtures.ts'

// tara@cobalt.example, one of the demo's background members, is used by no other spec, so no other spec
// finds a password changed. Without SMTP_URL the reset email lands in the outbox, where an admin can
// read it: the test follows the link from there.

test('a forgotten password is reset through the emailed link, which then stops working', async ({ browser, page }) => {
  const email = 'tara@cobalt.example'
  await page.goto('/forgot-password')
  await page.getByLabel('Email').fill(email)
  await page.getByRole('button', { name: 'Send reset link' }).click()
  await expect(page.getByRole('status')).toContainText(`If an account exists for ${email}`)

  const link = await linkMailedTo(browser, email, 'password_reset')

  const password = strongPassword()
  await page.goto(link)
  await page.getByLabel('New password', { exact: true }).fill(password)
  await page.getByLabel('Confirm new password').fill(password)
  await page.getByRole('button', { name: 'Set new password' }).click()
  await expect(page.getByRole('status')).toHaveText('Your password has been changed. Sign in with the new one.')

  await submitLogin(page, email, password)
  await expect(page.getByRole('banner').getByText('Tara', { exact: true })).toBeVisible()

  await page.goto(link)
  await expect(page.getByRole('heading', { name: 'This link cannot be used' })).toBeVisible()
})
