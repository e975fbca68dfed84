import { DEMO_PASSWORD, demoUsers, expect, newUser, signUpAndConfirm, submitLogin, test } from './fixtures.ts'

// Forms are plain HTML posts first; everything here must work before (or without) JavaScript.
test.use({ javaScriptEnabled: false })

test('signing in works without JavaScript', async ({ page }) => {
  await submitLogin(page, demoUsers.bob.email, DEMO_PASSWORD)

  await expect(page).toHaveURL('/')
  await expect(page.getByRole('banner').getByText(demoUsers.bob.displayName, { exact: true })).toBeVisible()
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toHaveCount(0)
})

test('a wrong password without JavaScript shows the error and keeps the email', async ({ page }) => {
  await submitLogin(page, demoUsers.nina.email, 'not-the-right-password')

  await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.')
  await expect(page.getByLabel('Email')).toHaveValue(demoUsers.nina.email)
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('')
})

test('signing up works without JavaScript', async ({ page }) => {
  const user = newUser()

  await signUpAndConfirm(page, user)

  await expect(page).toHaveURL('/?welcome=1')
  await expect(page.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()
})
