import type { Browser, Page } from '@playwright/test'
import { demoUsers, expect, signedInPage, test } from './fixtures.ts'

/** A demo member who reads English and posts in no other spec. */
const CHRIS = 'chris@cobalt.example'

// Editing a post ends where a person expects: back on the question, with the new title, text and tags
// (commit a0f752c: every question edit answered 500 because its values were parsed twice). The author
// edits with and without JavaScript, staff edit someone else's question, and an answerer edits their
// answer. Fields are found by name where the editor reads Japanese (the staff demo user).

async function ask(page: Page, title: string): Promise<string> {
  await page.goto('/questions/new')
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Details').fill('The usage report stops at the 28th of each month; the rest is missing.')
  await page.getByLabel('Tags').fill('reports')
  await page.getByRole('button', { name: 'Post your question' }).click()
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
  return page.url()
}

async function editQuestion(page: Page, questionUrl: string, values: { title: string; body: string; tags: string }) {
  await page.goto(questionUrl)
  await page.locator('.post-actions').first().locator('a[href$="/edit"]').click()
  await expect(page).toHaveURL(/\/posts\/question\/\d+\/edit$/)
  await page.locator('input[name="title"]').fill(values.title)
  await page.locator('textarea[name="body"]').fill(values.body)
  await page.locator('input[name="tags"]').fill(values.tags)
  await page.locator('button[name="intent"][value="save"]').click()
  // The success state: back on the question, which shows what was saved.
  await expect(page).toHaveURL(/\/questions\/\d+\//)
  await expect(page.getByRole('heading', { level: 1, name: values.title })).toBeVisible()
  await expect(page.locator('.post').first()).toContainText(values.body)
  for (const tag of values.tags.split(',').map((t) => t.trim())) {
    await expect(page.locator('.post').first().locator(`a[href="/tags/${tag}"]`)).toBeVisible()
  }
}

async function pageOf(browser: Browser, email: string, javaScriptEnabled = true) {
  return signedInPage(browser, email, { javaScriptEnabled })
}

for (const javaScriptEnabled of [true, false]) {
  test(`the author edits their question's title, text and tags (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    browser,
  }) => {
    // Two authors, so each run's questions are its own.
    const author = await pageOf(browser, javaScriptEnabled ? demoUsers.bob.email : CHRIS, javaScriptEnabled)
    const run = Date.now()
    const url = await ask(author, `Usage report stops early ${run}`)
    await editQuestion(author, url, {
      title: `Usage report stops at the 28th ${run}`,
      body: 'Edited: the usage report stops at the 28th, in every month but February.',
      tags: 'reports, billing',
    })
    await author.context().close()
  })
}

test('staff edit a member’s question', async ({ browser }) => {
  const bob = await pageOf(browser, demoUsers.bob.email)
  const run = Date.now()
  const url = await ask(bob, `Where is the invoice export ${run}`)
  await bob.context().close()
  const staff = await pageOf(browser, demoUsers.staff.email)
  await editQuestion(staff, url, {
    title: `Where is the invoice export? (edited by staff) ${run}`,
    body: 'Staff clarified: the invoice export lives under Billing → Documents.',
    tags: 'billing',
  })
  await staff.context().close()
})

test('the answerer edits their answer and sees it on the question', async ({ browser }) => {
  const alice = await pageOf(browser, demoUsers.alice.email)
  const url = await ask(alice, `Can the report include weekends ${Date.now()}`)
  await alice.context().close()
  const nina = await pageOf(browser, demoUsers.nina.email)
  await nina.goto(url)
  await nina.getByLabel('Your answer').fill('Yes: tick "Include weekends" in the report settings.')
  await nina.getByRole('button', { name: 'Post your answer' }).click()
  const answer = nina.getByRole('article', { name: /^Answer by/ }).filter({ hasText: 'Include weekends' })
  await expect(answer).toBeVisible()
  await answer.getByRole('link', { name: 'Edit' }).click()
  await expect(nina).toHaveURL(/\/posts\/answer\/\d+\/edit$/)
  await nina.getByLabel('Details').fill('Yes: tick "Include weekends" under Reports → Settings, then save.')
  await nina.getByRole('button', { name: 'Save changes' }).click()
  await expect(nina).toHaveURL(/\/questions\/\d+\//)
  await expect(
    nina.getByRole('article', { name: /^Answer by/ }).filter({ hasText: 'under Reports → Settings, then save.' }),
  ).toBeVisible()
  await nina.context().close()
})
