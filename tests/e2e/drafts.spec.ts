import type { Page } from '@playwright/test'
import { DEMO_PASSWORD, expect, signedInPage, submitLogin, test } from './fixtures.ts'

// Drafts that survive (issue 23, docs/decisions/040), in Chromium with JavaScript on and off. Alice is
// the writer: no other spec's forms are hers, and every draft this spec makes is published or
// discarded before it ends, so later specs (every-form.spec) find the forms as they were.

const alice = 'alice@acme.example'

test.describe.configure({ mode: 'serial' })

let questionUrl = ''

/** The ask form, with any draft an earlier attempt of this spec left discarded first. */
async function openAskForm(page: Page) {
  await page.goto('/questions/new')
  const discard = page.getByRole('button', { name: 'Discard draft' })
  if (await discard.count()) {
    await discard.first().click()
    await expect(page.getByText('Draft discarded.')).toBeVisible()
  }
}

/** Types as a person does (a click, then keys), so the page counts it as the reader's own input. */
async function typeInto(page: Page, label: string, text: string) {
  await page.getByLabel(label, { exact: true }).click()
  await page.keyboard.type(text)
}

test('with JavaScript, a half-written question is saved as it is typed, restored after a reload and on another device, and gone once posted', async ({
  browser,
}) => {
  const page = await signedInPage(browser, alice)
  const title = `Where do I find the audit export? ${Date.now().toString(36)}`
  await openAskForm(page)
  await typeInto(page, 'Title', title)
  await typeInto(page, 'Details', 'I looked under Reports but only see PDF.')
  await expect(page.locator('.draft-status')).toHaveText(/^Draft saved at /)

  await page.reload()
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue(title)
  await expect(page.getByLabel('Details', { exact: true })).toHaveValue('I looked under Reports but only see PDF.')
  await expect(page.getByText(/^Restored your draft from /)).toBeVisible()

  // Another browser, signed in afresh through the form, finds the same draft.
  const other = await browser.newContext()
  const second = await other.newPage()
  await submitLogin(second, alice, DEMO_PASSWORD)
  await expect(second).not.toHaveURL(/\/login/)
  await second.goto('/questions/new')
  await expect(second.getByLabel('Title', { exact: true })).toHaveValue(title)
  await typeInto(second, 'Details', ' Is there a CSV export for the audit log?')
  await second.getByRole('button', { name: 'Post your question' }).click()
  await expect(second).toHaveURL(/\/questions\/\d+/)
  await expect(second.getByRole('heading', { level: 1, name: title })).toBeVisible()
  questionUrl = new URL(second.url()).pathname
  await other.close()

  // Posting deleted the draft: the first browser opens an empty form.
  await page.goto('/questions/new')
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('')
  await expect(page.getByText(/^Restored your draft/)).toHaveCount(0)
  await page.context().close()
})

test('with JavaScript, leaving with an unsaved change asks first and keeps it; a link inside the app saves, then goes', async ({
  browser,
}) => {
  const page = await signedInPage(browser, alice)
  await openAskForm(page)
  // Leaving the site (a reload, another address) before the pause after typing: the browser asks.
  await typeInto(page, 'Title', 'Typed just before leaving')
  const dialog = page.waitForEvent('dialog')
  const leaving = page.goto('/help').catch(() => null)
  const asked = await dialog
  expect(asked.type()).toBe('beforeunload')
  await asked.accept()
  await leaving
  // What was typed went with the page as it left.
  await expect(async () => {
    await page.goto('/questions/new')
    await expect(page.getByLabel('Title', { exact: true })).toHaveValue('Typed just before leaving', { timeout: 1000 })
  }).toPass({ timeout: 10_000 })

  // A link inside the app: no question, the change is saved on the way.
  page.on('dialog', (unexpected) => {
    throw new Error(`unexpected ${unexpected.type()} dialog`)
  })
  await typeInto(page, 'Details', 'Followed a link.')
  await page.getByRole('banner').getByRole('link', { name: 'Questions', exact: true }).click()
  await expect(page).toHaveURL(/\/questions$/)
  await page.goto('/questions/new')
  await expect(page.getByLabel('Details', { exact: true })).toHaveValue('Followed a link.')

  // Discarding empties what was written and forgets the draft.
  await page.getByRole('button', { name: 'Discard draft' }).click()
  await expect(page.getByText('Draft discarded.')).toBeVisible()
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('')
  await page.reload()
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('')
  await expect(page.getByRole('button', { name: 'Discard draft' })).toHaveCount(0)
  await page.context().close()
})

test('without JavaScript, "Save draft" keeps an answer, a reload restores it and "Discard draft" clears it', async ({
  browser,
}) => {
  expect(questionUrl, 'the first test posted a question').not.toBe('')
  const page = await signedInPage(browser, alice, { javaScriptEnabled: false })
  await page.goto(questionUrl)
  const answer = page.getByLabel('Your answer', { exact: true })
  await answer.fill('Settings → Audit log → Export. Kept without JavaScript.')
  await page.getByRole('button', { name: 'Save draft' }).click()
  await expect(page.getByText(/^Draft saved at /)).toBeVisible()
  await expect(answer).toHaveValue('Settings → Audit log → Export. Kept without JavaScript.')

  await page.goto(questionUrl)
  await expect(answer).toHaveValue('Settings → Audit log → Export. Kept without JavaScript.')
  await expect(page.getByText(/^Restored your draft from /)).toBeVisible()

  await page.getByRole('button', { name: 'Discard draft' }).click()
  await expect(page.getByText('Draft discarded.')).toBeVisible()
  await expect(answer).toHaveValue('')
  await page.goto(questionUrl)
  await expect(answer).toHaveValue('')
  await expect(page.getByRole('button', { name: 'Discard draft' })).toHaveCount(0)
  await page.context().close()
})
