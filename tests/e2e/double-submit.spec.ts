import type { Browser, Page } from '@playwright/test'
import { demoUsers, expect, signedInPage, test } from './fixtures.ts'

// A create form sent twice creates one thing (docs/decisions/027): a double click with JavaScript, and
// without it the same form sent again (what back-and-resend or a replayed request does). With
// JavaScript the forms that stay on the page are empty (and folded ones closed) once they went through.

async function ask(page: Page, title: string, clicks: 1 | 2 = 1): Promise<string> {
  await page.goto('/questions/new')
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Details').fill('Our dashboards show yesterday’s numbers until noon. Is that expected?')
  await page.getByLabel('Tags').fill('reports')
  await page.getByRole('button', { name: 'Post your question' }).click({ clickCount: clicks })
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
  return page.url()
}

/** Sends the form's current fields (its one-time key included) once more, as a replayed POST. */
async function sendAgain(page: Page, form: string, extra: Record<string, string>) {
  const fields = await page
    .locator(form)
    .evaluateAll((forms) =>
      forms.length
        ? Object.fromEntries(new FormData(forms[0] as HTMLFormElement) as unknown as [string, string][])
        : {},
    )
  return { ...fields, ...extra }
}

async function questionsTitled(page: Page, title: string): Promise<number> {
  await page.goto(`/questions?q=${encodeURIComponent(title)}`)
  return page.getByRole('link', { name: title, exact: true }).count()
}

async function member(browser: Browser, email: string, javaScriptEnabled = true) {
  return signedInPage(browser, email, { javaScriptEnabled })
}

test('with JavaScript a double click posts one question, one answer and one comment, and the boxes empty', async ({
  browser,
}) => {
  const run = Date.now()
  const bob = await member(browser, demoUsers.bob.email)
  const title = `Dashboards lag until noon ${run}`
  const url = await ask(bob, title, 2)
  expect(await questionsTitled(bob, title)).toBe(1)
  await bob.context().close()

  const nina = await member(browser, demoUsers.nina.email)
  await nina.goto(url)
  const text = `The nightly import finishes late; check Settings → Data ${run}.`
  await nina.getByLabel('Your answer').fill(text)
  await nina.getByRole('button', { name: 'Post your answer' }).dblclick()
  await expect(nina.getByRole('article', { name: /^Answer by/ }).filter({ hasText: text })).toHaveCount(1)
  // The answer box is empty again, so a further click posts nothing.
  await expect(nina.getByLabel('Your answer')).toHaveValue('')
  await nina.reload()
  await expect(nina.getByRole('article', { name: /^Answer by/ }).filter({ hasText: text })).toHaveCount(1)

  const question = nina.getByRole('article', { name: 'Question' })
  const comment = `Which time zone is the dashboard in? ${run}`
  await question.getByText('Add a comment').click()
  await question.getByLabel('Comment').fill(comment)
  await question.getByRole('button', { name: 'Add comment' }).dblclick()
  await expect(nina.locator('.comment-body', { hasText: comment })).toHaveCount(1)
  await expect(question.locator('details.comment-form')).not.toHaveAttribute('open', '')
  await expect(question.locator('details.comment-form textarea')).toHaveValue('')
  await nina.reload()
  await expect(nina.locator('.comment-body', { hasText: comment })).toHaveCount(1)

  // The flag form closes and empties too.
  await question.getByText('Flag', { exact: true }).click()
  await question.getByLabel('Off-topic').check()
  await question.getByRole('button', { name: 'Send flag' }).dblclick()
  await expect(nina.getByText('Thank you. A moderator will review your flag.')).toBeVisible()
  await expect(nina.getByText('You have already flagged this post')).toHaveCount(0)
  await expect(question.locator('details.flag-form')).not.toHaveAttribute('open', '')
  await nina.context().close()
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a question, an answer and a comment sent twice are posted once', async ({ browser }) => {
    const run = Date.now()
    const bob = await member(browser, demoUsers.bob.email, false)
    const title = `Exports time out after a minute ${run}`
    await bob.goto('/questions/new')
    await bob.getByLabel('Title').fill(title)
    await bob.getByLabel('Details').fill('Large exports stop after sixty seconds with an empty file.')
    await bob.getByLabel('Tags').fill('reports')
    const question = await sendAgain(bob, 'form:has(button[value="ask"])', { intent: 'ask' })
    await bob.getByRole('button', { name: 'Post your question' }).click()
    await expect(bob.getByRole('heading', { level: 1, name: title })).toBeVisible()
    const url = bob.url()
    const replay = await bob.request.post('/questions/new', { form: question, maxRedirects: 0 })
    expect(replay.status()).toBe(302)
    expect(new URL(replay.headers().location!, url).pathname).toBe(new URL(url).pathname)
    expect(await questionsTitled(bob, title)).toBe(1)
    await bob.context().close()

    // Alice answers, so this run's answer is not Nina's from the test before.
    const alice = await member(browser, demoUsers.alice.email, false)
    await alice.goto(url)
    const text = `Split the export by month; each part finishes in time ${run}.`
    await alice.getByLabel('Your answer').fill(text)
    const answer = await sendAgain(alice, 'form#answer', { intent: 'answer' })
    await alice.getByRole('button', { name: 'Post your answer' }).click()
    await expect(alice.getByRole('article', { name: /^Answer by/ }).filter({ hasText: text })).toHaveCount(1)
    expect((await alice.request.post(url, { form: answer, maxRedirects: 0 })).status()).toBe(302)

    const comment = `Does this happen with CSV and Excel alike? ${run}`
    const questionPost = alice.getByRole('article', { name: 'Question' })
    await questionPost.getByText('Add a comment').click()
    await questionPost.getByLabel('Comment').fill(comment)
    const commentForm = await sendAgain(alice, 'details.comment-form >> nth=0 >> form', {})
    await questionPost.getByRole('button', { name: 'Add comment' }).click()
    await expect(alice.locator('.comment-body', { hasText: comment })).toHaveCount(1)
    expect((await alice.request.post(url, { form: commentForm, maxRedirects: 0 })).status()).toBe(302)

    await alice.goto(url)
    await expect(alice.getByRole('article', { name: /^Answer by/ }).filter({ hasText: text })).toHaveCount(1)
    await expect(alice.locator('.comment-body', { hasText: comment })).toHaveCount(1)
    await alice.context().close()
  })
})
