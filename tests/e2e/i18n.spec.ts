import { expect, test } from './fixtures.ts'

test('the language switch in the header turns the page Japanese and back', async ({ page }) => {
  await page.goto('/')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  // Found by its role in the header, not its exact label, which the next test checks on its own.
  const languageSwitch = page.getByRole('banner').getByRole('button', { name: /language|言語/i })

  await languageSwitch.click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
  const nav = page.getByRole('navigation', { name: 'メイン' })
  for (const name of ['質問', 'ヘルプ', 'イベント', 'サポート']) {
    await expect(nav.getByRole('link', { name, exact: true })).toBeVisible()
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('コミュニティへようこそ')

  await languageSwitch.click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Questions' })).toBeVisible()
})

test('the language switch is named after the language it switches to', async ({ page }) => {
  // WCAG 2.5.3 (label in name): the button shows "日本語" on English pages and "English" on Japanese
  // ones, so its accessible name must contain that text.
  await page.goto('/')
  await expect(page.getByRole('banner').getByRole('button', { name: /日本語/ })).toBeVisible()

  await page
    .getByRole('banner')
    .getByRole('button', { name: /language|言語/i })
    .click()
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
  await expect(page.getByRole('banner').getByRole('button', { name: /English/ })).toBeVisible()
})

test('a browser that prefers Japanese gets Japanese on its first visit', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: 'ja-JP', baseURL })
  const page = await context.newPage()

  await page.goto('/')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
  await expect(page.getByRole('navigation', { name: 'メイン' }).getByRole('link', { name: '質問' })).toBeVisible()
  await expect(page.getByRole('banner').getByRole('link', { name: 'ログイン' })).toBeVisible()

  await context.close()
})
