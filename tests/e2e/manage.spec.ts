import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { demoUsers, expect, switchLanguage, test } from './fixtures.ts'

// The manager dashboard and an account page on the demo data. The demo seed keeps growing, so the
// spec asserts structure and figures that follow from one another on the page (a chart's table adds
// up to the headline figure beside it), never exact demo numbers.

const manager = { email: 'manager@community.example' }

/** The value of one headline figure, by its label. */
function figure(page: Page, label: string) {
  return page
    .locator('dl > div')
    .filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }) })
    .getByRole('definition')
    .first()
}

const asNumber = (text: string) => Number(text.replace(/[^\d.-]/g, ''))

// The dashboard and account pages are audited with axe, in both languages, in a11y.spec.ts.
test('a manager reads the dashboard, a chart as a table, an account page, and downloads a CSV file', async ({
  page,
  login,
}) => {
  await login(manager.email)
  await switchLanguage(page, 'en')
  await page.goto('/manage')
  await expect(page.getByRole('heading', { level: 1, name: 'Manager dashboard' })).toBeVisible()
  for (const section of ['Deflection', 'Community', 'Account health', 'Events']) {
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible()
  }

  // The weekly chart is an image with a name that says what it shows, and its numbers are a table.
  await expect(
    page.getByRole('img', { name: /^Tickets filed and deflected per week\. Over \d+ weeks?:/ }),
  ).toBeVisible()
  const weekly = page.getByRole('table', { name: 'Tickets and deflections per week' })
  await expect(weekly).toBeVisible()
  await expect(weekly.getByRole('columnheader')).toHaveText([
    'Week starting',
    'Tickets filed',
    'Through the contact form',
    'Deflected',
    'Possibly deflected (implicit)',
    'Deflection rate',
  ])
  // 30 days touch five or six Monday-to-Sunday weeks; the weeks add up to the period's figures.
  const rows = weekly.locator('tbody tr')
  expect(await rows.count()).toBeGreaterThanOrEqual(5)
  expect(await rows.count()).toBeLessThanOrEqual(6)
  const column = async (index: number) =>
    (await rows.locator(`td:nth-of-type(${index})`).allTextContents()).reduce((sum, text) => sum + asNumber(text), 0)
  expect(await column(1)).toBe(asNumber(await figure(page, 'Tickets filed').innerText()))
  expect(await column(3)).toBe(asNumber(await figure(page, 'Deflected').innerText()))

  // The table downloads as CSV, with a BOM for Excel and the same header.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV: Tickets and deflections per week' }).click(),
  ])
  expect(download.suggestedFilename()).toMatch(/^deflection-weekly-30d-\d{4}-\d{2}-\d{2}\.csv$/)
  const csv = await readFile((await download.path()) ?? '')
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const lines = csv.subarray(3).toString('utf8').split('\r\n').filter(Boolean)
  expect(lines[0]).toBe(
    'Week starting,Tickets filed,Through the contact form,Deflected,Possibly deflected (implicit),Deflection rate',
  )
  expect(lines).toHaveLength((await rows.count()) + 1)

  // The health section names its snapshot; the band table has a row per tier and a total.
  await expect(page.getByText(/^As of the snapshot of /)).toBeVisible()
  const bands = page.getByRole('table', { name: 'Accounts per health band and touch tier' })
  await expect(bands.getByRole('rowheader')).toHaveText(['High touch', 'Low touch', 'Tech touch', 'All tiers'])

  // A shorter period is a GET form: the choice is in the address.
  await page.getByLabel('Period', { exact: true }).selectOption('7')
  await page.getByRole('button', { name: 'Show' }).click()
  await expect(page).toHaveURL(/\/manage\?days=7$/)
  await expect(page.getByRole('link', { name: 'Download CSV: Tickets and deflections per week' })).toHaveAttribute(
    'href',
    '/manage/export/deflection-weekly?days=7',
  )
  // Seven days touch one or two weeks.
  expect(await weekly.locator('tbody tr').count()).toBeLessThanOrEqual(2)

  // An account page from the per-account figures.
  const accounts = page.getByRole('table', { name: 'Support figures by account' })
  const first = accounts.getByRole('rowheader').getByRole('link').first()
  const name = (await first.innerText()).trim()
  await page.goto('/manage')
  await page.getByRole('table', { name: 'Support figures by account' }).getByRole('link', { name, exact: true }).click()
  await expect(page).toHaveURL(/\/manage\/accounts\/\d+$/)
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
  for (const section of ['Account health now', 'Account health history', 'Members', 'Support', 'Events attended']) {
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible()
  }
  await expect(page.getByRole('img', { name: /^Health score per day\./ })).toBeVisible()
  const history = page.getByRole('table', { name: 'Health level and score per day' })
  await expect(history.getByRole('columnheader')).toHaveText(['Day', 'Level', 'Score', 'Data coverage'])
  expect(await history.locator('tbody tr').count()).toBeGreaterThan(0)
  await expect(page.getByRole('table', { name: 'Members with their level and last activity' })).toBeVisible()
  const accountId = page.url().match(/accounts\/(\d+)/)?.[1]
  const members = await page.request.get(`/manage/export/account-members?days=30&account=${accountId}`)
  expect(members.headers()['content-type']).toBe('text/csv; charset=utf-8')
  expect((await members.text()).replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Member,Level,Points,Last active,Status')
  const accountPath = new URL(page.url()).pathname

  // Both pages in Japanese, the CSV headers too.
  await switchLanguage(page, 'ja')
  await page.goto('/manage')
  await expect(page.getByRole('heading', { level: 1, name: 'マネージャーダッシュボード' })).toBeVisible()
  await expect(page.getByRole('table', { name: '週ごとの問い合わせと自己解決' })).toBeVisible()
  await page.goto(accountPath)
  await expect(page.getByRole('heading', { level: 2, name: 'ヘルススコアの推移' })).toBeVisible()
  const ja = await page.request.get('/manage/export/health-bands?days=30')
  const jaHeader = (await ja.text()).replace(/^\uFEFF/, '').split('\r\n')[0]
  expect(jaHeader?.startsWith('タッチモデル,')).toBe(true)
  expect(jaHeader?.endsWith(',データ不足,合計')).toBe(true)
  await switchLanguage(page, 'en')
})

test('members are refused the dashboard and its files', async ({ page, login }) => {
  await login(demoUsers.bob.email)
  const response = await page.goto('/manage')
  expect(response?.status()).toBe(403)
  expect((await page.request.get('/manage/export/health-at-risk?days=30')).status()).toBe(403)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the dashboard, its charts, the period and an account page all work', async ({ page, login }) => {
    await login(manager.email)
    await switchLanguage(page, 'en')
    await page.goto('/manage')
    await expect(page.getByRole('heading', { level: 1, name: 'Manager dashboard' })).toBeVisible()
    // The chart is drawn on the server and its table is open from the start.
    await expect(page.locator('svg[role="img"]').first()).toBeVisible()
    await expect(page.getByRole('table', { name: 'Tickets and deflections per week' })).toBeVisible()
    await page.getByLabel('Period', { exact: true }).selectOption('90')
    await page.getByRole('button', { name: 'Show' }).click()
    await expect(page).toHaveURL(/\/manage\?days=90$/)
    await expect(page.getByLabel('Period', { exact: true })).toHaveValue('90')
    // At least 13 weeks: wait for the 13th row, since a page without JavaScript may still be streaming in
    // when its URL has changed (a bare count() read a half-parsed table once and saw no rows).
    await expect(
      page.getByRole('table', { name: 'Tickets and deflections per week' }).locator('tbody tr').nth(12),
    ).toBeAttached()

    await page
      .getByRole('table', { name: 'Support figures by account' })
      .getByRole('rowheader')
      .getByRole('link')
      .first()
      .click()
    await expect(page).toHaveURL(/\/manage\/accounts\/\d+$/)
    await expect(page.getByRole('table', { name: 'Health level and score per day' })).toBeVisible()
    await expect(
      page.getByRole('link', { name: 'Download CSV: Members with their level and last activity' }),
    ).toHaveAttribute('href', /^\/manage\/export\/account-members\?days=30&account=\d+$/)
  })
})
