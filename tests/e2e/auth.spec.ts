import { demoUsers, expect, newUser, signOut, signUp, signUpAndConfirm, submitLogin, test } from './fixtures.ts'

test('a new member signs up, signs out from the account menu and signs back in', async ({ page, login }) => {
  const user = newUser()

  await signUpAndConfirm(page, user)
  await expect(page).toHaveURL('/?welcome=1')
  await expect(page.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()

  await signOut(page, user.displayName)
  await expect(page.getByRole('banner').getByText(user.displayName, { exact: true })).toHaveCount(0)

  await login(user.email, user.password)
  await expect(page.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()
})

test('a wrong password is refused with a translated error, and the email stays filled in', async ({ page }) => {
  await submitLogin(page, demoUsers.bob.email, 'not-the-right-password')

  await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.')
  await expect(page.getByLabel('Email')).toHaveValue(demoUsers.bob.email)
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
})

test('a common password is refused at sign-up, keeping the email and display name', async ({ page }) => {
  const user = newUser({ password: 'password123' })

  await signUp(page, user)

  await expect(page.getByText('This password is too common. Choose one that is harder to guess.')).toBeVisible()
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByLabel('Email')).toHaveValue(user.email)
  await expect(page.getByLabel('Display name')).toHaveValue(user.displayName)
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible()
})

test('a passphrase of more than 64 characters works for sign-up and sign-in', async ({ page, login }) => {
  const password = 'a long passphrase about tidal lanterns, quiet orbits and seventy-two paper cranes'
  expect(password.length).toBeGreaterThan(64)
  const user = newUser({ password })

  await signUpAndConfirm(page, user)
  await expect(page.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()
  await signOut(page, user.displayName)

  await login(user.email, password)
  await expect(page.getByRole('banner').getByText(user.displayName, { exact: true })).toBeVisible()
})
