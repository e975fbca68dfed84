import { DEMO_PASSWORD, demoUsers, expect, test } from './fixtures.ts'

test('the first Tab reaches the skip link, and Enter on it moves past the header', async ({ page }) => {
  await page.goto('/')

  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()

  await page.keyboard.press('Enter')
  await expect(page).toHaveURL('/#main')
  // The next Tab continues inside the main content, not back in the header.
  await page.keyboard.press('Tab')
  await expect(page.getByRole('main').getByRole('link', { name: 'Join the community' })).toBeFocused()
})

test('the header sign-in link is reachable and usable with the keyboard alone', async ({ page }) => {
  await page.goto('/')
  const signIn = page.getByRole('banner').getByRole('link', { name: 'Sign in' })

  for (let presses = 0; presses < 15 && !(await signIn.evaluate((el) => el === document.activeElement)); presses++) {
    await page.keyboard.press('Tab')
  }
  await expect(signIn).toBeFocused()

  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible()

  await page.getByLabel('Email').focus()
  await page.keyboard.type(demoUsers.bob.email)
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused()
  await page.keyboard.type(DEMO_PASSWORD)
  await page.keyboard.press('Enter')

  await expect(page.getByRole('banner').getByText(demoUsers.bob.displayName, { exact: true })).toBeVisible()
})
