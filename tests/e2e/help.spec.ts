import { demoUsers, expect, signedInPage, switchLanguage, test } from './fixtures.ts'

// The help center: staff (who read Japanese) write and promote; alice reads in English.

test('staff write, preview and publish a Japanese article; a member finds it and answers No with a comment; staff see it in insights', async ({
  browser,
  axe,
}) => {
  const staff = await signedInPage(browser, demoUsers.staff.email)
  await switchLanguage(staff, 'ja')
  const title = `請求書の PDF をダウンロードする方法 ${Date.now()}`
  await staff.goto('/help/new')
  await staff.getByLabel('タイトル').fill(title)
  await staff.getByLabel('カテゴリ').selectOption({ label: 'レポートとエクスポート' })
  await staff.getByLabel('言語').selectOption('ja')
  await staff.getByLabel('タグ').fill('billing, pdf')
  await staff.getByLabel('本文').fill('## 手順\n\n1. **請求** を開く\n2. 「PDF をダウンロード」を押す')
  await staff.getByRole('button', { name: 'プレビュー' }).click()
  await expect(staff.getByRole('region', { name: 'プレビュー' }).getByRole('heading', { name: '手順' })).toBeVisible()
  await axe.expectNoSeriousA11yViolations(staff)
  await staff.getByRole('button', { name: '公開する' }).click()
  await expect(staff.getByRole('heading', { level: 1, name: title })).toBeVisible()
  const articleUrl = staff.url()
  expect(decodeURIComponent(articleUrl)).toContain('/help/reports-exports/請求書の-pdf-をダウンロードする方法')

  const alice = await signedInPage(browser, demoUsers.alice.email)
  await alice.goto('/help')
  await alice.getByRole('link', { name: 'Reports & exports' }).click()
  await alice.getByRole('link', { name: title }).click()
  await expect(alice.getByRole('heading', { level: 1, name: title })).toBeVisible()
  await axe.expectNoSeriousA11yViolations(alice)
  await alice.getByLabel('Comment (optional)').fill('The PDF button is not on my screen.')
  await alice.getByRole('button', { name: 'No', exact: true }).click()
  await expect(alice.getByRole('button', { name: 'No', exact: true })).toHaveAttribute('aria-pressed', 'true')
  await expect(alice.getByText('Your comment: “The PDF button is not on my screen.”')).toBeVisible()

  await staff.goto('/help/insights')
  const row = staff.getByRole('row').filter({ hasText: title })
  await expect(row).toContainText('0%')
  await expect(row).toContainText('The PDF button is not on my screen.')
  await axe.expectNoSeriousA11yViolations(staff)
  for (const page of [staff, alice]) await page.context().close()
})

test('an old slug keeps working after a rename, and publishing an empty article is refused with the form kept', async ({
  browser,
}) => {
  const staff = await signedInPage(browser, demoUsers.staff.email)
  await switchLanguage(staff, 'ja')
  await staff.goto('/help/new')
  const title = `Draft without a body ${Date.now()}`
  await staff.getByLabel('タイトル').fill(title)
  await staff.getByRole('button', { name: '公開する' }).click()
  await expect(staff.getByText('本文が空です。本文を書いてから公開してください。')).toBeVisible()
  await expect(staff.getByLabel('タイトル')).toHaveValue(title)
  await staff.getByLabel('本文').fill('Now with a body.')
  await staff.getByRole('button', { name: '公開する' }).click()
  await expect(staff.getByRole('heading', { level: 1, name: title })).toBeVisible()
  const oldUrl = staff.url()

  await staff.getByRole('link', { name: '記事を編集' }).click()
  await staff.getByLabel('URL（スラッグ）').fill(`renamed-${Date.now()}`)
  await staff.getByRole('button', { name: '記事を更新' }).click()
  await expect(staff.getByText('保存しました。')).toBeVisible()
  await staff.goto(oldUrl)
  await expect(staff).toHaveURL(/\/renamed-\d+$/)
  await expect(staff.getByRole('heading', { level: 1, name: title })).toBeVisible()
  await staff.context().close()
})

test('staff promote an accepted answer to a draft article that credits its author', async ({ browser }) => {
  const staff = await signedInPage(browser, demoUsers.staff.email)
  await switchLanguage(staff, 'ja')
  await staff.goto('/questions?tab=answered')
  await staff.getByRole('link', { name: 'Slack integration stopped posting notifications' }).click()
  await staff.getByRole('button', { name: 'ヘルプ記事にする' }).click()
  await expect(staff.getByText('回答をもとに下書きを作成しました。内容を編集してから公開してください。')).toBeVisible()
  await expect(staff.getByLabel('タイトル')).toHaveValue('Slack integration stopped posting notifications')
  await expect(staff.getByLabel('本文')).toHaveValue(/Disconnect and reconnect the integration/)
  await staff.getByRole('button', { name: '公開する' }).click()
  await expect(staff.getByText('公開しました。読者が閲覧できるようになりました。')).toBeVisible()
  await staff.getByRole('link', { name: '記事を表示' }).click()
  await expect(staff.getByText('この記事はコミュニティの回答をもとに作成しました。回答者：')).toBeVisible()
  await expect(staff.getByRole('link', { name: 'Alice Tanaka' })).toBeVisible()
  await staff.context().close()
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a visitor answers "Was this helpful?" and can change the answer', async ({ page }) => {
    await page.goto('/help/reports-exports')
    await page.getByRole('link').filter({ hasText: /CSV/ }).first().click()
    await expect(page.getByRole('heading', { name: 'Was this article helpful?' })).toBeVisible()
    await page.getByRole('button', { name: 'Yes', exact: true }).click()
    await expect(page.getByRole('button', { name: 'Yes', exact: true })).toHaveAttribute('aria-pressed', 'true')
    await page.getByRole('button', { name: 'No', exact: true }).click()
    await expect(page.getByRole('button', { name: 'No', exact: true })).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByRole('button', { name: 'Yes', exact: true })).toHaveAttribute('aria-pressed', 'false')
  })
})

test('the help pages have no serious or critical accessibility violations, in English and Japanese', async ({
  browser,
  axe,
}) => {
  const staff = await signedInPage(browser, demoUsers.staff.email)
  for (const locale of ['ja', 'en'] as const) {
    await switchLanguage(staff, locale)
    for (const path of ['/help', '/help/reports-exports', '/help/manage', '/help/manage/categories']) {
      await staff.goto(path)
      await axe.expectNoSeriousA11yViolations(staff)
    }
    await staff.goto('/help/reports-exports')
    await staff.getByRole('main').getByRole('listitem').getByRole('link').first().click()
    await expect(staff.getByRole('heading', { level: 1 })).toBeVisible()
    await axe.expectNoSeriousA11yViolations(staff)
  }
  await switchLanguage(staff, 'ja')
  await staff.context().close()
})

test('staff create a category without JavaScript; a reserved address is refused with the names kept', async ({
  browser,
}) => {
  const staff = await signedInPage(browser, demoUsers.staff.email, { javaScriptEnabled: false })
  await switchLanguage(staff, 'en')
  await staff.goto('/help/manage/categories')
  const form = staff.locator('form').filter({ has: staff.getByRole('button', { name: 'Create category' }) })
  await form.getByLabel('Name in English').fill('Billing')
  await form.getByLabel('Name in Japanese').fill('請求')
  await form.getByLabel('URL slug').fill('manage')
  await form.getByRole('button', { name: 'Create category' }).click()
  await expect(staff.getByLabel('Name in Japanese').last()).toHaveValue('請求')
  await expect(staff.getByText('“manage” is used by the help center itself. Choose another URL slug.')).toBeVisible()
  const retry = staff.locator('form').filter({ has: staff.getByRole('button', { name: 'Create category' }) })
  await retry.getByLabel('URL slug').fill(`billing-${Date.now()}`)
  await retry.getByRole('button', { name: 'Create category' }).click()
  await expect(staff.getByText('The category was created.')).toBeVisible()
  await staff.goto('/help')
  await expect(staff.getByRole('link', { name: 'Billing' })).toBeVisible()
  await switchLanguage(staff, 'ja')
  await staff.context().close()
})
