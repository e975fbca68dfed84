import type { Page } from '@playwright/test'
import { expect, signedInPage, switchLanguage, test } from './fixtures.ts'

// The health track record (/manage/health-check) on the full demo, whose year of outcomes is enough for
// figures (the "not enough outcomes yet" state is covered by app/domain/reporting tests). Everything here
// reads; nothing applies the fitted weights (tests/http and the server tests cover the writer), so the
// rest of the demo keeps its settings.

const manager = 'manager@community.example'

function weight(page: Page, measure: string) {
  return page.getByRole('group', { name: 'Weights to try' }).getByLabel(measure, { exact: true })
}

test('a manager reads the track record, its figures and their explanation', async ({ page, login, axe }) => {
  await login(manager)
  await switchLanguage(page, 'en')
  await page.goto('/manage/health-check')
  await expect(page.getByRole('heading', { level: 1, name: 'Health track record' })).toBeVisible()
  await expect(page.getByText('AUC (churn)', { exact: true }).first()).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Not enough outcomes yet' })).toHaveCount(0)
  await expect(page.getByText(/0\.5 is chance/)).toBeVisible()
  await expect(page.getByRole('table', { name: 'Churn within the horizon by health level' })).toBeVisible()
  await expect(page.getByRole('table', { name: 'AUC of each measure' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Churns and contractions, and the level before them' })).toBeVisible()
  // Today's weights prefill the form.
  await expect(weight(page, 'Engagement per seat')).toHaveValue('4')
  await axe.expectNoSeriousA11yViolations(page)

  await switchLanguage(page, 'ja')
  await page.goto('/manage/health-check')
  await expect(page.getByRole('heading', { level: 1, name: 'ヘルススコアの実績検証' })).toBeVisible()
  await switchLanguage(page, 'en')
})

test('what if, without JavaScript: other weights show the AUC they would have had; a negative weight is refused in words, keeping what was typed', async ({
  browser,
  login,
  page,
}) => {
  await login(manager)
  await switchLanguage(page, 'en')
  const noScript = await signedInPage(browser, manager, { javaScriptEnabled: false })
  await noScript.goto('/manage/health-check')
  await weight(noScript, 'Events attended').fill('0')
  await weight(noScript, 'Breadth').fill('6')
  await noScript.getByRole('button', { name: 'Show the AUC' }).click()
  await expect(noScript).toHaveURL(/whatIf=1/)
  const result = noScript.getByRole('status').filter({ hasText: 'With these weights: AUC' })
  await expect(result).toBeVisible()
  await expect(result).toHaveText(/With these weights: AUC \d\.\d+\. Today’s weights, computed the same way: \d\.\d+/)
  // The form keeps the weights tried.
  await expect(weight(noScript, 'Breadth')).toHaveValue('6')
  await expect(weight(noScript, 'Events attended')).toHaveValue('0')

  await weight(noScript, 'Engagement per seat').fill('-1')
  await weight(noScript, 'Activity trend').fill('2.5')
  await noScript.getByRole('button', { name: 'Show the AUC' }).click()
  await expect(noScript.getByText('Enter a weight from 0 to 100.')).toBeVisible()
  await expect(weight(noScript, 'Engagement per seat')).toHaveValue('-1')
  await expect(weight(noScript, 'Activity trend')).toHaveValue('2.5')
  await expect(weight(noScript, 'Engagement per seat')).toHaveAttribute('aria-invalid', 'true')
  await noScript.context().close()
})

test('the what-if form checks the weights before asking the server when JavaScript runs, in Japanese too', async ({
  page,
  login,
}) => {
  await login(manager)
  await switchLanguage(page, 'ja')
  await page.goto('/manage/health-check')
  const engagement = page
    .getByRole('group', { name: '試す重み' })
    .getByLabel(/エンゲージメント|Engagement/)
    .first()
  await engagement.fill('-3')
  await page.getByRole('button', { name: 'AUC を表示' }).click()
  await expect(page.getByText('重みは 0 から 100 の範囲で入力してください。')).toBeVisible()
  await expect(engagement).toHaveValue('-3')
  await switchLanguage(page, 'en')
})

test('on a phone the page is no wider than the screen', async ({ page, login }) => {
  await login(manager)
  await switchLanguage(page, 'en')
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/manage/health-check')
  await expect(page.getByRole('heading', { level: 1, name: 'Health track record' })).toBeVisible()
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow).toBeLessThanOrEqual(0)
})
