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

  test('a member switches notification emails to a daily digest and back', async ({ page, login }) => {
    await login('alice@acme.example')
    await page.goto('/settings')
    await page.getByLabel('Email me').selectOption({ label: 'Once a day, as a digest' })
    await page.getByRole('button', { name: 'Update email notifications' }).click()
    await expect(page.getByText('Your email notification setting has been updated.')).toBeVisible()
    await expect(page.getByLabel('Email me')).toHaveValue('digest')
    await page.getByLabel('Email me').selectOption('each')
    await page.getByRole('button', { name: 'Update email notifications' }).click()
    await expect(page.getByLabel('Email me')).toHaveValue('each')
  })
})
