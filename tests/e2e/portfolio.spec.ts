import { readFile } from 'node:fs/promises'
import type { Locator, Page } from '@playwright/test'
import { expect, signedInPage, switchLanguage, test } from './fixtures.ts'

// The retention and revenue section of the manager dashboard (issue 21) on the demo data. The demo's
// outcomes may change, so the spec asserts structure and figures that follow from one another on the
// page (the chart's table adds up to the movement table), never exact demo numbers.

const manager = 'manager@community.example'

/** "¥1,234,567", "-¥600,000", "￥1,200" → the number; "–" (none) → NaN. */
const asNumber = (text: string) => Number(text.replace(/[^\d.-]/g, '') || Number.NaN)

/** The value of one headline figure, by its label. */
function figure(page: Page, label: string) {
  return page
    .locator('dl > div')
    .filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }) })
    .getByRole('definition')
}

/** The numbers of one column (1 = the first after the row header) of a table's body. */
async function column(table: Locator, index: number): Promise<number[]> {
  return (await table.locator(`tbody tr td:nth-of-type(${index})`).allTextContents()).map(asNumber)
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** The chart's table (a row per week or month) adds up to the movement table, kind by kind. */
async function expectSeriesMatchesMovement(page: Page) {
  const series = page.getByRole('table', { name: 'ARR movement per week or month, in JPY' })
  const movement = page.getByRole('table', { name: 'ARR movement by kind, in JPY' })
  await expect(series.getByRole('columnheader')).toHaveText([
    'Starting',
    'New',
    'Expansion',
    'Contraction',
    'Churn',
    'Net change',
  ])
  await expect(movement.getByRole('rowheader')).toHaveText(['New', 'Expansion', 'Contraction', 'Churn', 'Net change'])
  const totals = (await movement.locator('tbody td').allTextContents()).map(asNumber)
  for (const [index, total] of totals.entries()) {
    expect(sum(await column(series, index + 1)), `column ${index + 1} of the chart's table`).toBe(total)
  }
  // Net change = new + expansion − contraction − churn.
  const [added = 0, grown = 0, shrunk = 0, lost = 0, net] = totals
  expect(net).toBe(added + grown - shrunk - lost)
  return series
}

test('a manager reads retention and revenue, switches tier and period, and downloads a CSV file', async ({
  page,
  login,
}) => {
  await login(manager)
  await switchLanguage(page, 'en')
  await page.goto('/manage')
  const section = page.getByRole('region', { name: 'Retention and revenue' })
  await expect(section.getByRole('heading', { level: 2, name: 'Retention and revenue' })).toBeVisible()

  // The cards: each a percentage, a sum in yen or "Not defined", with its formula in words.
  for (const label of ['Logo churn', 'Gross revenue retention', 'Net revenue retention']) {
    await expect(figure(page, label).first()).toHaveText(/^(\d[\d.,]*%|–)$/)
  }
  await expect(figure(page, 'Gross revenue retention').nth(1)).toContainText('− contraction')
  await expect(figure(page, 'Average LTV').first()).toHaveText(/^(¥[\d,]+|Not defined)$/)
  await expect(figure(page, 'Average LTV').nth(1)).toHaveText(
    /ARPA ¥[\d,]+ × margin [\d.]+% ÷ revenue churn|^Not defined: /,
  )

  // The chart is an image named by what it shows, its numbers a table that matches the movement table.
  await expect(page.getByRole('img', { name: /^ARR movement\. Per week from / })).toBeVisible()
  const series = await expectSeriesMatchesMovement(page)
  // 30 days: five buckets of a week from the period's first day.
  await expect(series.locator('tbody tr')).toHaveCount(5)

  const tiers = page.getByRole('table', { name: 'Retention and revenue per touch tier' })
  await expect(tiers.getByRole('rowheader')).toHaveText(['All accounts', 'High touch', 'Low touch', 'Tech touch'])
  // All accounts are the three tiers added up: accounts at start, churned accounts, ARR at start.
  for (const index of [1, 2, 4]) {
    const [all = 0, ...each] = await column(tiers, index)
    expect(all).toBe(sum(each))
  }
  const renewals = page.getByRole('table', { name: 'Renewals in the next 30, 60 and 90 days' })
  await expect(renewals.getByRole('rowheader')).toHaveText(['Next 30 days', 'Next 60 days', 'Next 90 days'])
  const renewing = await column(renewals, 1)
  expect(renewing).toEqual([...renewing].sort((a, b) => a - b))
  const atRisk = await column(renewals, 4)
  const arr = await column(renewals, 2)
  for (const [index, value] of atRisk.entries()) expect(value).toBeLessThanOrEqual(arr[index] ?? 0)

  // One tier: a GET form that keeps the period; the CSV links follow.
  await page.getByLabel('Touch tier', { exact: true }).selectOption('low')
  await page.getByRole('button', { name: 'Change tier' }).click()
  await expect(page).toHaveURL(/\/manage\?days=30&tier=low$/)
  await expect(page.getByLabel('Touch tier', { exact: true })).toHaveValue('low')
  await expect(page.getByRole('link', { name: 'Download CSV: Retention and revenue per touch tier' })).toHaveAttribute(
    'href',
    '/manage/export/portfolio-tiers?days=30&tier=low',
  )
  await expectSeriesMatchesMovement(page)

  // Another period (the dashboard's own form), then the tier again: both in the address.
  await page.getByLabel('Period', { exact: true }).selectOption('90')
  await page.getByRole('button', { name: 'Show', exact: true }).click()
  await expect(page).toHaveURL(/\/manage\?days=90/)
  // Wait for the page of 90 days (months, not weeks) before choosing from its tier form.
  await expect(page.getByRole('img', { name: /^ARR movement\. Per calendar month from / })).toBeVisible()
  await page.getByLabel('Touch tier', { exact: true }).selectOption('high')
  await page.getByRole('button', { name: 'Change tier' }).click()
  await expect(page).toHaveURL(/\/manage\?days=90&tier=high$/)
  await expect(page.getByRole('img', { name: /^ARR movement\. Per calendar month from / })).toBeVisible()
  const monthly = await expectSeriesMatchesMovement(page)
  expect(await monthly.locator('tbody tr').count()).toBeGreaterThanOrEqual(3)
  expect(await monthly.locator('tbody tr').count()).toBeLessThanOrEqual(4)

  // The per-tier table downloads as CSV with the tier and period in its name, one line per row.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV: Retention and revenue per touch tier' }).click(),
  ])
  expect(download.suggestedFilename()).toMatch(/^portfolio-tiers-high-90d-\d{4}-\d{2}-\d{2}\.csv$/)
  const csv = await readFile((await download.path()) ?? '')
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const lines = csv.subarray(3).toString('utf8').split('\r\n').filter(Boolean)
  expect(lines[0]?.startsWith('Touch tier,Accounts at start,Churned accounts,Logo churn,ARR at start,New,')).toBe(true)
  expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['all', 'high', 'low', 'tech'])
  // Every other table of the section downloads too.
  for (const table of ['portfolio-movement', 'portfolio-series', 'portfolio-renewals', 'portfolio-renewing']) {
    const response = await page.request.get(`/manage/export/${table}?days=90&tier=high`)
    expect(response.status(), table).toBe(200)
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8')
  }

  // In Japanese: the section, the tables and the CSV headers.
  await switchLanguage(page, 'ja')
  try {
    await page.goto('/manage?days=365')
    await expect(page.getByRole('heading', { level: 2, name: 'リテンションと売上' })).toBeVisible()
    await expect(page.getByRole('table', { name: 'タッチモデル別のリテンションと売上' })).toBeVisible()
    const ja = await page.request.get('/manage/export/portfolio-renewals?days=365')
    expect((await ja.text()).replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      '期間,更新するアカウント数,ARR（円）,リスクのあるアカウント数,リスクのある ARR',
    )
  } finally {
    await switchLanguage(page, 'en')
  }
})

test('without JavaScript the tier and period forms work and the chart is there', async ({ browser }) => {
  const page = await signedInPage(browser, manager, { javaScriptEnabled: false })
  try {
    await page.goto('/manage?days=7')
    await page.getByLabel('Touch tier', { exact: true }).selectOption('tech')
    await page.getByRole('button', { name: 'Change tier' }).click()
    await expect(page).toHaveURL(/\/manage\?days=7&tier=tech$/)
    await expect(page.getByLabel('Touch tier', { exact: true })).toHaveValue('tech')
    await expect(page.getByLabel('Period', { exact: true })).toHaveValue('7')
    await expect(page.getByRole('img', { name: /^ARR movement\. Per week from / })).toBeVisible()
    await expectSeriesMatchesMovement(page)
    await page.getByLabel('Period', { exact: true }).selectOption('365')
    await page.getByRole('button', { name: 'Show', exact: true }).click()
    await expect(page).toHaveURL(/\/manage\?days=365/)
    await expect(page.getByRole('img', { name: /^ARR movement\. Per calendar month from / })).toBeVisible()
    const series = await expectSeriesMatchesMovement(page)
    expect(await series.locator('tbody tr').count()).toBeGreaterThanOrEqual(12)
  } finally {
    await page.context().close()
  }
})

test('the section fits a 390 px phone: tables scroll inside their own box', async ({ browser }) => {
  const page = await signedInPage(browser, manager, { javaScriptEnabled: false })
  try {
    await page.setViewportSize({ width: 390, height: 844 })
    for (const url of ['/manage?days=30', '/manage?days=365&tier=low']) {
      await page.goto(url)
      await expect(
        page.getByRole('heading', { level: 2, name: /Retention and revenue|リテンションと売上/ }),
      ).toBeVisible()
      const widths = await page.evaluate(() => ({
        document: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
        section: document.querySelector('[aria-labelledby="manage-portfolio"]')?.getBoundingClientRect().right ?? 0,
      }))
      expect(widths.document, url).toBeLessThanOrEqual(390)
      expect(widths.section, url).toBeLessThanOrEqual(widths.viewport + 1)
    }
  } finally {
    await page.context().close()
  }
})
