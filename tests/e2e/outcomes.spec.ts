import type { Page } from '@playwright/test'
import { demoUsers, expect, expectNoSeriousA11yViolations, signedInPage, test } from './fixtures.ts'

// Outcomes on the admin's account page and the outcome import. Each test makes its own account, so no
// demo account changes.

function tag() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
}

/** Creates an account with an ARR from the admin form and opens its page. */
async function newAccount(page: Page, name: string) {
  await page.goto('/admin/accounts/new')
  await page.getByLabel('Name').fill(name)
  await page.getByLabel('ARR', { exact: true }).fill('2400000')
  await page.getByLabel('Contract start').fill('2025-04-01')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('status')).toHaveText('The account has been created.')
}

async function expectFitsPhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, 'page wider than the 390 px viewport').toBeLessThanOrEqual(390)
}

for (const javaScriptEnabled of [true, false]) {
  test(`an admin records a renewal and a churn; bad input keeps what was typed (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    browser,
  }) => {
    const page = await signedInPage(browser, demoUsers.admin.email, { javaScriptEnabled })
    const name = `Outcome ${javaScriptEnabled ? 'js' : 'nojs'} ${tag()}`
    await newAccount(page, name)
    const accountPage = new URL(page.url()).pathname
    const history = page.getByRole('region', { name: 'Outcome history, newest first' })
    await expect(history.getByRole('row')).toHaveCount(2)
    await expect(history).toContainText('New')

    // An expansion that does not raise the ARR: a translated error, what was typed kept.
    await page.getByLabel('Outcome', { exact: true }).selectOption('expansion')
    await page.getByLabel('Effective day').fill('2026-02-01')
    await page.getByLabel('New ARR (JPY)').fill('1000')
    await page.getByLabel('Note').fill('Typed before the error')
    await page.getByRole('button', { name: 'Record outcome' }).click()
    await expect(page.getByText('An expansion must raise the ARR above what it was on that day.')).toBeVisible()
    await expect(page.getByLabel('New ARR (JPY)')).toHaveValue('1000')
    await expect(page.getByLabel('Note')).toHaveValue('Typed before the error')

    // A renewal.
    await page.getByLabel('Outcome', { exact: true }).selectOption('renewal')
    await page.getByLabel('Effective day').fill('2026-04-01')
    await page.getByLabel('New ARR (JPY)').fill('2,600,000')
    await page.getByLabel('Next renewal day').fill('2027-04-01')
    await page.getByLabel('Note').fill('Renewed for a year')
    await page.getByRole('button', { name: 'Record outcome' }).click()
    await expect(page.getByRole('status')).toHaveText('The outcome has been recorded.')
    await expect(history.getByRole('row')).toHaveCount(3)
    await expect(history.getByRole('row').nth(1)).toContainText('Renewal')
    await expect(history.getByRole('row').nth(1)).toContainText('2,600,000')

    // A churn with its reason; without JavaScript the ARR and next renewal fields show but stay empty.
    await page.getByLabel('Outcome', { exact: true }).selectOption('churn')
    await page.getByLabel('Effective day').fill('2026-06-30')
    if (!javaScriptEnabled) {
      await page.getByLabel('New ARR (JPY)').fill('')
      await page.getByLabel('Next renewal day').fill('')
    } else {
      await expect(page.getByLabel('Next renewal day')).toBeHidden()
    }
    await page.getByLabel('Reason category').selectOption('budget')
    await page.getByLabel('Note').fill('Budget cut')
    await page.getByRole('button', { name: 'Record outcome' }).click()
    await expect(page.getByRole('status')).toHaveText('The outcome has been recorded.')
    await expect(history.getByRole('row').nth(1)).toContainText('Churn')
    await expect(history.getByRole('row').nth(1)).toContainText('Budget cut')
    await expect(page.getByText(/^Churned on /)).toBeVisible()

    // The account leaves the active list and shows among the churned ones, marked.
    await page.goto(`/admin/accounts?q=${encodeURIComponent(name)}`)
    await expect(page.getByText('No accounts match this search.')).toBeVisible()
    await page.goto(`/admin/accounts?q=${encodeURIComponent(name)}&status=churned`)
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText('Churned')

    // A churn recorded by mistake is removed (after a confirmation), and the account is active again.
    await page.goto(accountPage)
    const churnRow = history.getByRole('row').nth(1)
    await churnRow.locator('summary').click()
    const remove = churnRow.getByRole('button', { name: /^Remove the Churn of / })
    await expect(remove).toHaveAccessibleDescription(/The ARR and status of the account will follow the rows left/)
    await remove.click()
    await expect(page.getByRole('status')).toHaveText('The outcome has been removed.')
    await expect(history.getByRole('row')).toHaveCount(3)
    await expect(page.getByText(/^Churned on /)).toHaveCount(0)
    await page.goto(`/admin/accounts?q=${encodeURIComponent(name)}`)
    await expect(page.getByRole('row').filter({ hasText: name })).toBeVisible()
    await page.close()
  })
}

test('the outcome import reports the refused line; without JavaScript too; on a phone', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await signedInPage(browser, demoUsers.admin.email, { javaScriptEnabled })
    const name = `Import outcome ${tag()}`
    await newAccount(page, name)
    await page.goto('/admin/accounts')
    await page.getByRole('link', { name: 'Import outcomes' }).click()
    await expect(page).toHaveURL(/\/admin\/accounts\/outcomes\/import$/)
    await page
      .getByLabel('Or paste CSV text')
      .fill(
        `account,kind,effective_on,arr,next_renewal_on,reason,external_id\n${name},renewal,2026-04-01,2600000,2027-04-01,,E2E-${tag()}\n${name},churn,2026-05-01,,,,`,
      )
    await page.getByRole('button', { name: 'Import' }).click()
    await expect(page.getByText('1 recorded, 0 already recorded, 1 rejected.')).toBeVisible()
    const rejected = page.getByRole('table').filter({ hasText: 'Line' })
    await expect(rejected.getByRole('row').nth(1)).toContainText('3')
    await expect(rejected).toContainText('Choose the reason category of the churn.')
    await page.close()
  }

  const phone = await signedInPage(browser, demoUsers.admin.email)
  await phone.setViewportSize({ width: 390, height: 844 })
  const name = `Phone outcome ${tag()}`
  await newAccount(phone, name)
  await expectFitsPhone(phone)
  await expectNoSeriousA11yViolations(phone)
  await phone.goto('/admin/accounts/outcomes/import')
  await expectFitsPhone(phone)
  await expectNoSeriousA11yViolations(phone)
  await phone.close()
})
