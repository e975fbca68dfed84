import { demoUsers, expect, signedInPage, switchLanguage, test } from './fixtures.ts'

// Search over the demo content (indexed at boot): the header box, the search page and staff insights.

const headerBoxLabel = 'Search questions, help articles and events'
const csvQuestion = 'How do I export the monthly usage report as CSV?'

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the header search box is a plain form that reaches the search page with results', async ({ page }) => {
    await page.goto('/questions')
    const box = page.getByRole('search', { name: 'Site search' })
    await box.getByLabel(headerBoxLabel).fill('csv')
    await box.getByLabel(headerBoxLabel).press('Enter')

    await expect(page).toHaveURL(/\/search\?q=csv$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible()
    await expect(page.getByLabel('What are you looking for?')).toHaveValue('csv')
    const result = page.getByRole('main').getByRole('link', { name: csvQuestion })
    await expect(result).toBeVisible()
    await result.click()
    await expect(page.getByRole('heading', { level: 1, name: csvQuestion })).toBeVisible()
  })
})

test('suggestions appear as you type and are used with the keyboard', async ({ page }) => {
  await page.goto('/')
  const box = page.getByRole('combobox', { name: headerBoxLabel })
  await expect(box).toHaveAttribute('aria-expanded', 'false')
  await box.fill('webhook')

  const list = page.getByRole('listbox', { name: 'Suggestions' })
  await expect(list).toBeVisible()
  await expect(box).toHaveAttribute('aria-expanded', 'true')
  const options = list.getByRole('option')
  await expect(options.first()).toContainText(/webhook/i)
  await expect(options.first().locator('mark').first()).toHaveText(/webhook/i)
  await expect(options.last()).toHaveText('Search for “webhook”')

  // Down moves to the first option, Up from there wraps to the last.
  await box.press('ArrowDown')
  const firstId = await options.first().getAttribute('id')
  await expect(box).toHaveAttribute('aria-activedescendant', firstId!)
  await expect(options.first()).toHaveAttribute('aria-selected', 'true')
  await box.press('ArrowUp')
  await expect(box).toHaveAttribute('aria-activedescendant', (await options.last().getAttribute('id'))!)

  await box.press('Escape')
  await expect(list).toBeHidden()
  await expect(box).toHaveAttribute('aria-expanded', 'false')
  await expect(box).not.toHaveAttribute('aria-activedescendant')

  // Enter on the active suggestion opens it.
  await box.press('ArrowDown')
  await expect(list).toBeVisible()
  const title = (await options.first().locator('[lang]').textContent())!.trim()
  await box.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
  await expect(list).toBeHidden()

  // Enter with no option chosen searches for what was typed.
  await box.fill('saml')
  await expect(list).toBeVisible()
  await box.press('Enter')
  await expect(page).toHaveURL(/\/search\?q=saml$/)
  await expect(page.getByRole('status').filter({ hasText: 'for “saml”' })).toBeVisible()
})

test('the search page highlights matches, counts each kind and filters by kind', async ({ page, axe }) => {
  await page.goto('/search?q=export')
  await expect(page).toHaveTitle(/“export”/)
  const results = page.getByRole('region', { name: 'Results' })
  await expect(results.getByRole('link', { name: csvQuestion })).toBeVisible()
  await expect(results.locator('mark').first()).toHaveText(/export/i)

  const kinds = page.getByRole('navigation', { name: 'Kind of result' })
  await expect(kinds.getByRole('link', { name: /^All \d+$/ })).toHaveAttribute('aria-current', 'page')
  const articles = kinds.getByRole('link', { name: /^Help articles \d+$/ })
  const articleCount = Number((await articles.textContent())!.replace(/\D/g, ''))
  expect(articleCount).toBeGreaterThan(0)
  await axe.expectNoSeriousA11yViolations(page)

  await articles.click()
  await expect(page).toHaveURL(/[?&]type=article/)
  await expect(kinds.getByRole('link', { name: /^Help articles \d+$/ })).toHaveAttribute('aria-current', 'page')
  const items = results.getByRole('listitem')
  await expect(items.first()).toBeVisible()
  for (const badge of await results.locator('.search-result-kind .badge:first-child').allTextContents()) {
    expect(badge).toBe('Help article')
  }
  await expect(page.getByRole('status').filter({ hasText: /results? for “export”/ })).toContainText(
    String(articleCount),
  )

  // A tag filter shows as a chip that removes it; questions get the answered filter.
  await kinds.getByRole('link', { name: /^Questions \d+$/ }).click()
  // The filter form is re-rendered for the new kind: fill it once the navigation has landed.
  await expect(page).toHaveURL(/type=question/)
  await expect(page.getByLabel('Answers')).toBeVisible()
  await page.getByLabel('Tag', { exact: true }).fill('csv')
  await page.getByLabel('Answers').selectOption({ label: 'With an accepted answer' })
  await page.getByRole('button', { name: 'Apply filters' }).click()
  await expect(page).toHaveURL(/tag=csv/)
  await expect(results.getByRole('link', { name: csvQuestion })).toBeVisible()
  const filters = page.getByRole('list', { name: 'Active filters' })
  await expect(filters).toContainText('Tag: csv')
  await filters.getByRole('link', { name: 'Remove filter: Tag: csv' }).click()
  await expect(page).not.toHaveURL(/tag=/)
  await expect(page).toHaveURL(/answered=yes/)
})

test('nothing found says so and offers the search without filters; bad parameters are ignored', async ({ page }) => {
  const response = await page.goto('/search?q=export&type=event&tag=no-such-tag-anywhere&page=abc&upcoming=maybe')
  expect(response?.status()).toBe(200)
  await expect(page.getByText('Nothing matches “export”.')).toBeVisible()
  await page.getByRole('link', { name: 'search again without filters' }).click()
  await expect(page).toHaveURL(/\/search\?q=export$/)
  await expect(page.getByRole('region', { name: 'Results' }).getByRole('link', { name: csvQuestion })).toBeVisible()

  expect((await page.goto('/search?type=nonsense&answered=perhaps&page=-3'))?.status()).toBe(200)
  await expect(page.getByText('Type a few words to search questions, help articles and events.')).toBeVisible()
})

test('a Japanese query finds Japanese questions and articles from the English interface', async ({ page }) => {
  await page.goto('/')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
  await page.goto(`/search?q=${encodeURIComponent('日本時間')}`)
  const results = page.getByRole('region', { name: 'Results' })
  await expect(results.getByRole('link', { name: 'ダッシュボードの日付を日本時間で表示したい' })).toBeVisible()
  await expect(results.getByRole('link', { name: 'レポートとダッシュボードの日付を日本時間で表示する' })).toBeVisible()
  await expect(results.locator('mark', { hasText: '日本時間' }).first()).toBeVisible()
})

test('staff see the searches people made in search insights, in English and Japanese', async ({
  page,
  browser,
  axe,
}) => {
  // A visitor searches for something nobody wrote about, and for something they then open.
  const gap = `zqxwv${Date.now().toString(36)}`
  await page.goto(`/search?q=${gap}`)
  await expect(page.getByText(`Nothing matches “${gap}”.`)).toBeVisible()
  await page.goto('/search?q=webhook%20retries')
  const click = page.waitForRequest((request) => request.url().endsWith('/search/click') && request.method() === 'POST')
  await page.getByRole('region', { name: 'Results' }).getByRole('link').first().click()
  await click

  const alice = await signedInPage(browser, demoUsers.alice.email)
  const forbidden = await alice.goto('/search/insights')
  expect(forbidden?.status()).toBe(403)
  await alice.context().close()

  const staff = await signedInPage(browser, demoUsers.staff.email)
  await switchLanguage(staff, 'en')
  await staff.goto('/search')
  await staff.getByRole('link', { name: 'Search insights' }).click()
  await expect(staff.getByRole('heading', { level: 1, name: 'Search insights' })).toBeVisible()
  const top = staff.getByRole('table', { name: 'Most frequent queries of the period' })
  await expect(top.getByRole('row').filter({ hasText: gap })).toBeVisible()
  await expect(top.getByRole('row').filter({ hasText: 'webhook retries' })).toBeVisible()
  const gaps = staff.getByRole('table', { name: 'Queries that found nothing, most frequent first' })
  await expect(gaps.getByRole('row').filter({ hasText: gap })).toBeVisible()
  await expect(gaps.getByRole('row').filter({ hasText: 'webhook retries' })).toHaveCount(0)
  await axe.expectNoSeriousA11yViolations(staff)

  await staff.getByLabel('Show the last').selectOption({ label: '7 days' })
  await staff.getByRole('button', { name: 'Show', exact: true }).click()
  await expect(staff).toHaveURL(/days=7/)
  await expect(top.getByRole('row').filter({ hasText: gap })).toBeVisible()

  await switchLanguage(staff, 'ja')
  await staff.goto('/search/insights')
  await expect(staff.getByRole('heading', { level: 1, name: '検索の分析' })).toBeVisible()
  await expect(staff.getByRole('table', { name: '何も見つからなかったキーワード（多い順）' })).toContainText(gap)
  await axe.expectNoSeriousA11yViolations(staff)
  await staff.context().close()
})

test('the search page passes axe in Japanese, with results and suggestions', async ({ page, axe }) => {
  await switchLanguage(page, 'ja')
  await page.goto('/search?q=csv')
  await expect(page.getByRole('heading', { level: 1, name: '検索' })).toBeVisible()
  await expect(
    page.getByRole('navigation', { name: '結果の種類' }).getByRole('link', { name: /^すべて/ }),
  ).toHaveAttribute('aria-current', 'page')

  const box = page.getByRole('combobox', { name: '質問・ヘルプ記事・イベントを検索' })
  await box.fill('CSV')
  await expect(page.getByRole('listbox', { name: '候補' }).getByRole('option').last()).toHaveText('「CSV」で検索')
  await axe.expectNoSeriousA11yViolations(page)
})
