import { DEMO_PASSWORD, expect, submitLogin, test } from './fixtures.ts'

// yui@sakura-tech.example (Japanese, Asia/Tokyo) is used by no other spec.

test('settings show the saved language and time zone, and saving new ones applies them at once', async ({ page }) => {
  await submitLogin(page, 'yui@sakura-tech.example', DEMO_PASSWORD)
  await expect(page.getByRole('banner').getByText('佐藤 結衣', { exact: true })).toBeVisible()
  await page.goto('/settings')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
  await expect(page.getByLabel('タイムゾーン', { exact: true })).toHaveValue('Asia/Tokyo')
  await expect(page.getByLabel('言語', { exact: true })).toHaveValue('ja')

  await page.getByLabel('言語', { exact: true }).selectOption('en')
  await page.getByLabel('タイムゾーン', { exact: true }).selectOption('UTC')
  await page.getByRole('button', { name: '保存' }).click()

  await expect(page.getByRole('status')).toHaveText('Your settings have been saved.')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByLabel('Time zone')).toHaveValue('UTC')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a member switches answer notifications to the digest and back, from the settings page', async ({
    page,
    login,
  }) => {
    await login('alice@acme.example')
    await page.goto('/settings')
    await page.getByRole('link', { name: 'Change notification settings' }).click()
    const answers = page.getByLabel('A new answer to a question you watch')
    await answers.selectOption({ label: 'Digest email' })
    await page.getByRole('button', { name: 'Save notification settings' }).click()
    await expect(page.getByText('Your notification settings have been saved.')).toBeVisible()
    await expect(answers).toHaveValue('digest')
    await answers.selectOption('email')
    await page.getByRole('button', { name: 'Save notification settings' }).click()
    await expect(answers).toHaveValue('email')
  })
})
