import type { Page } from '@playwright/test'
import { expect, signedInPage, switchLanguage, test } from './fixtures.ts'

// A manager changes how much a measure weighs and sees an account move band the same day, with the
// reason that moved it. Bluebird Studio (low touch) is GOOD in the demo, and the one survey answer it
// gave came from a detractor (NPS -100). Letting one answer count in full and weighing NPS 10 makes it
// NORMAL for exactly that reason, at once: a manager's new rules skip the days that confirm a change of
// level (decision 035). (Saving also confirms the moves already under way, such as Northwind's to GOOD:
// the settings put back at the end do not undo those.)

const manager = 'manager@community.example'

async function openAccount(page: Page, name: string) {
  await page.goto('/manage')
  await page.getByRole('table', { name: 'Support figures by account' }).getByRole('link', { name }).click()
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible()
  return page.url()
}

function healthNow(page: Page) {
  return page.locator('section[aria-labelledby="account-health"]')
}

function levelNow(page: Page) {
  return healthNow(page).locator('.manage-level').first()
}

function weight(page: Page, measure: string) {
  return page.getByRole('group', { name: 'Measure weights' }).getByLabel(measure, { exact: true })
}

function eventsWeight(page: Page) {
  return weight(page, 'Events attended')
}

function sentimentWeight(page: Page) {
  return weight(page, 'Sentiment (NPS)')
}

function fullWeightAnswers(page: Page) {
  return page.getByLabel('Answers for full weight', { exact: true })
}

test('a manager weighs survey answers more: an account whose one answer came from a detractor turns NORMAL that day, saying why', async ({
  page,
  login,
  axe,
}) => {
  await login(manager)
  await switchLanguage(page, 'en')
  const bluebird = await openAccount(page, 'Bluebird Studio')
  await expect(levelNow(page)).toHaveText('GOOD')
  const sentiment = page.getByRole('table', { name: 'Each measure with its band, value and reason' }).getByRole('row', {
    name: /Sentiment \(NPS\)/,
  })
  await expect(sentiment).toContainText('NPS -100 from 1 survey answer in the last 180 days')

  await page.goto('/manage/settings')
  await expect(page.getByRole('heading', { level: 1, name: 'Scoring settings' })).toBeVisible()
  await axe.expectNoSeriousA11yViolations(page)
  await expect(sentimentWeight(page)).toHaveValue('3.5')
  await expect(fullWeightAnswers(page)).toHaveValue('3')
  await sentimentWeight(page).fill('10')
  await fullWeightAnswers(page).fill('1')
  await page.getByRole('button', { name: 'Save and recompute' }).click()
  await expect(page.getByRole('status')).toContainText('2 settings changed. Today’s scores were recomputed')
  await expect(sentimentWeight(page)).toHaveValue('10')

  // The same day, without the 14 days a change of level otherwise needs.
  await page.goto(bluebird)
  await expect(levelNow(page)).toHaveText('NORMAL')
  await expect(healthNow(page)).toContainText(/NORMAL: NPS -100;/)
  // Its one answer now carries the whole weight.
  await expect(sentiment.getByRole('cell').nth(2)).toHaveText('10')
  await switchLanguage(page, 'ja')
  await page.goto(bluebird)
  await expect(healthNow(page)).toContainText('普通：NPS -100、')
  await switchLanguage(page, 'en')

  // Put the settings back, so the rest of the demo reads as before.
  await page.goto('/manage/settings')
  await sentimentWeight(page).fill('3.5')
  await fullWeightAnswers(page).fill('3')
  await page.getByRole('button', { name: 'Save and recompute' }).click()
  await expect(page.getByRole('status')).toContainText('2 settings changed.')
  await page.goto(bluebird)
  await expect(levelNow(page)).toHaveText('GOOD')
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

// Health v2 settings: a manager changes how long a new level must hold and adds a holiday period in the
// first spare row (the demo keeps the three default periods), with JavaScript on and off. The period is
// years away, so it changes no score today; both are put back, so later specs read the demo as before.

const period = { from: '2031-01-06', to: '2031-01-07', label: 'E2E offsite' }

function confirmDays(page: Page) {
  return page.getByLabel('Days a new level must hold', { exact: true })
}

/** The fields of holiday-period row `n` (1-based), by their English labels. */
function periodRow(page: Page, n: number) {
  return {
    from: page.getByLabel(`First day (row ${n})`, { exact: true }),
    to: page.getByLabel(`Last day (row ${n})`, { exact: true }),
    label: page.getByLabel(`Name (row ${n}, optional)`, { exact: true }),
  }
}

async function save(page: Page) {
  await page.getByRole('button', { name: 'Save and recompute' }).click()
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript'

  test(`${mode}: a manager sets the days to confirm a level and adds a holiday period; both are kept`, async ({
    browser,
  }) => {
    const page = await signedInPage(browser, manager, { javaScriptEnabled })
    await switchLanguage(page, 'en')
    await page.goto('/manage/settings')
    await expect(confirmDays(page)).toHaveValue('14')
    await expect(page.getByLabel('Japan’s national holidays')).toBeChecked()
    await expect(periodRow(page, 1).from).toHaveValue('12-28')
    await expect(periodRow(page, 1).to).toHaveValue('01-04')
    const spare = periodRow(page, 4)
    await expect(spare.from).toHaveValue('')

    await confirmDays(page).fill('9')
    await spare.from.fill(period.from)
    await spare.to.fill(period.to)
    await spare.label.fill(period.label)
    await save(page)
    await expect(page.getByRole('status')).toContainText('2 settings changed. Today’s scores were recomputed')

    await page.reload()
    await expect(confirmDays(page)).toHaveValue('9')
    await expect(periodRow(page, 4).from).toHaveValue(period.from)
    await expect(periodRow(page, 4).to).toHaveValue(period.to)
    await expect(periodRow(page, 4).label).toHaveValue(period.label)
    // Two spare rows again after the stored four.
    await expect(periodRow(page, 6).from).toHaveValue('')

    // Put it back: a cleared row is no period.
    await confirmDays(page).fill('14')
    for (const field of Object.values(periodRow(page, 4))) await field.fill('')
    await save(page)
    await expect(page.getByRole('status')).toContainText('2 settings changed.')
    await expect(confirmDays(page)).toHaveValue('14')
    await expect(periodRow(page, 4).from).toHaveValue('')
    await page.context().close()
  })

  test(`${mode}: a day that does not exist is refused next to it, in the reader's language, as typed`, async ({
    browser,
  }) => {
    const page = await signedInPage(browser, manager, { javaScriptEnabled })
    // English with JavaScript, Japanese without: the message is translated on either side.
    const locale = javaScriptEnabled ? 'en' : 'ja'
    await switchLanguage(page, locale)
    await page.goto('/manage/settings')
    const labels =
      locale === 'en'
        ? { from: 'First day (row 4)', to: 'Last day (row 4)', confirm: 'Days a new level must hold' }
        : { from: '最初の日（4 行目）', to: '最後の日（4 行目）', confirm: '新しい判定を確定するまでの日数' }
    const from = page.getByLabel(labels.from, { exact: true })
    await page.getByLabel(labels.confirm, { exact: true }).fill('9')
    await from.fill('13-45')
    await page.getByLabel(labels.to, { exact: true }).fill('01-04')
    await page.getByRole('button', { name: locale === 'en' ? 'Save and recompute' : '保存して再計算' }).click()

    await expect(from).toHaveAttribute('aria-invalid', 'true')
    const message =
      locale === 'en'
        ? 'Enter a day as MM-DD (every year) or YYYY-MM-DD (once), e.g. 12-28 or 2026-05-01.'
        : 'MM-DD（毎年）または YYYY-MM-DD（その年だけ）の形で入力してください（例：12-28、2026-05-01）。'
    await expect(from).toHaveAccessibleDescription(message)
    await expect(from).toHaveValue('13-45')
    await expect(page.getByLabel(labels.to, { exact: true })).toHaveValue('01-04')
    await expect(page.getByLabel(labels.confirm, { exact: true })).toHaveValue('9')
    await expect(page.getByRole('status')).toHaveCount(0)

    // Nothing was saved.
    await page.goto('/manage/settings')
    await expect(page.getByLabel(labels.confirm, { exact: true })).toHaveValue('14')
    await expect(from).toHaveValue('')
    await switchLanguage(page, 'en')
    await page.context().close()
  })
}

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
