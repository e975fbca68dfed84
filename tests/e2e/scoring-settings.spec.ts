import type { Page } from '@playwright/test'
import { expect, signedInPage, switchLanguage, test } from './fixtures.ts'

// A manager changes how much a measure weighs and sees an account move band with the reason that
// moved it. Cobalt Labs (tech touch) is NORMAL in the demo and none of its members attended an event
// in the last 90 days; weighing events heavily makes it BAD for exactly that reason.

const manager = 'manager@community.example'

async function openCobalt(page: Page) {
  await page.goto('/manage')
  await page
    .getByRole('table', { name: 'Support figures by account' })
    .getByRole('link', { name: 'Cobalt Labs' })
    .click()
  await expect(page.getByRole('heading', { level: 1, name: 'Cobalt Labs' })).toBeVisible()
}

function healthNow(page: Page) {
  return page.locator('section[aria-labelledby="account-health"]')
}

function eventsWeight(page: Page) {
  return page.getByRole('group', { name: 'Measure weights' }).getByLabel('Events attended', { exact: true })
}

test('a manager weighs events more: an account without event attendance turns BAD, saying why', async ({
  page,
  login,
  axe,
}) => {
  await login(manager)
  await switchLanguage(page, 'en')
  await openCobalt(page)
  const cobalt = page.url()
  await expect(healthNow(page).locator('.manage-level').first()).toHaveText('NORMAL')
  const events = page.getByRole('table', { name: 'Each measure with its band, value and reason' }).getByRole('row', {
    name: /Events attended/,
  })
  await expect(events).toContainText('No member attended an event in the last 90 days')

  await page.goto('/manage/settings')
  await expect(page.getByRole('heading', { level: 1, name: 'Scoring settings' })).toBeVisible()
  await axe.expectNoSeriousA11yViolations(page)
  await expect(eventsWeight(page)).toHaveValue('1')
  await eventsWeight(page).fill('10')
  await page.getByRole('button', { name: 'Save and recompute' }).click()
  await expect(page.getByRole('status')).toContainText('1 setting changed. Today’s scores were recomputed')
  await expect(eventsWeight(page)).toHaveValue('10')

  await page.goto(cobalt)
  await expect(healthNow(page).locator('.manage-level').first()).toHaveText('BAD')
  await expect(healthNow(page)).toContainText('BAD: 0 event attendances')
  // Events weigh 10 × 1.5 for a tech-touch account.
  await expect(events).toContainText('15')
  await switchLanguage(page, 'ja')
  await page.goto(cobalt)
  await expect(
    page.getByRole('table').filter({ hasText: '直近 90 日にイベントに出席したメンバーはいません' }),
  ).toBeVisible()
  await switchLanguage(page, 'en')

  // Put the weight back, so the rest of the demo reads as before.
  await page.goto('/manage/settings')
  await eventsWeight(page).fill('1')
  await page.getByRole('button', { name: 'Save and recompute' }).click()
  await expect(page.getByRole('status')).toContainText('1 setting changed.')
  await page.goto(cobalt)
  await expect(healthNow(page).locator('.manage-level').first()).toHaveText('NORMAL')
})

test.describe('without JavaScript', () => {
  test('a weight out of range comes back with the message next to it and every value as typed', async ({ browser }) => {
    const page = await signedInPage(browser, manager, { javaScriptEnabled: false })
    await switchLanguage(page, 'en')
    await page.goto('/manage/settings')
    await eventsWeight(page).fill('-3')
    await page.getByLabel('Half-life (days)').fill('45')
    await page.getByRole('button', { name: 'Save and recompute' }).click()
    await expect(eventsWeight(page)).toHaveValue('-3')
    await expect(eventsWeight(page)).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByText('Enter a number from 0 to 100.')).toBeVisible()
    await expect(page.getByLabel('Half-life (days)')).toHaveValue('45')
    // Nothing was saved.
    await page.goto('/manage/settings')
    await expect(page.getByLabel('Half-life (days)')).toHaveValue('30')
    await page.context().close()
  })
})

test('staff read the settings but cannot change them; members are refused', async ({ browser }) => {
  const staff = await signedInPage(browser, 'staff@community.example')
  await switchLanguage(staff, 'en')
  await staff.goto('/manage/settings')
  await expect(staff.getByText('Only managers can change these settings.')).toBeVisible()
  await expect(staff.getByRole('button', { name: 'Save and recompute' })).toHaveCount(0)
  await expect(eventsWeight(staff)).toBeDisabled()
  await staff.context().close()

  const member = await signedInPage(browser, 'sam@cobalt.example')
  const response = await member.goto('/manage/settings')
  expect(response?.status()).toBe(403)
  await member.context().close()
})
