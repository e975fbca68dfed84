import type { Locator, Page } from '@playwright/test'
import { demoUsers, expect, signedInPage, test } from './fixtures.ts'

// The editor (docs/decisions/042): with JavaScript the toolbar and its shortcuts write markdown, a live
// preview follows the text, "@" suggests people and the mention links and notifies, and the tags field
// suggests existing tags with counts. Without JavaScript staff merge tags through the plain form.

/** Selects `text` inside the textarea, as a person drags over it. */
async function select(textarea: Locator, text: string) {
  await textarea.evaluate((element, wanted) => {
    const field = element as HTMLTextAreaElement
    const start = field.value.indexOf(wanted)
    if (start === -1) throw new Error(`"${wanted}" is not in the textarea`)
    field.focus()
    field.setSelectionRange(start, start + wanted.length)
  }, text)
}

async function caretAtEnd(textarea: Locator) {
  await textarea.evaluate((element) => {
    const field = element as HTMLTextAreaElement
    field.focus()
    field.setSelectionRange(field.value.length, field.value.length)
  })
}

test('the toolbar and shortcuts write markdown, the preview follows, a mention is suggested, links and notifies', async ({
  browser,
}) => {
  const bob = await signedInPage(browser, demoUsers.bob.email)
  const title = `Who can approve the data export? ${Date.now()}`
  await bob.goto('/questions/new')
  await bob.getByLabel('Title').fill(title)
  const body = bob.getByLabel('Details')
  const toolbar = bob.getByRole('toolbar', { name: 'Formatting' })
  await expect(toolbar).toBeVisible()

  await body.fill('make this bold')
  await select(body, 'this')
  await body.press('Control+b')
  await expect(body).toHaveValue('make **this** bold')
  await select(body, 'bold')
  await toolbar.getByRole('button', { name: 'Italic' }).click()
  await expect(body).toHaveValue('make **this** _bold_')

  await body.fill('see the guide\n\nstep one\nstep two\n\nnpm test')
  await select(body, 'the guide')
  await toolbar.getByRole('button', { name: 'Insert link' }).click()
  // The address is selected: typing replaces it.
  await body.pressSequentially('https://example.com/guide')
  await select(body, 'step one\nstep two')
  await toolbar.getByRole('button', { name: 'Bulleted list' }).click()
  await select(body, 'npm test')
  await toolbar.getByRole('button', { name: 'Code' }).click()
  await expect(body).toHaveValue('see [the guide](https://example.com/guide)\n\n- step one\n- step two\n\n`npm test`')
  // The toolbar is one tab stop; the arrow keys move along it.
  await toolbar.getByRole('button', { name: 'Bold' }).focus()
  await bob.keyboard.press('ArrowLeft')
  await expect(toolbar.getByRole('button', { name: 'Insert image' })).toBeFocused()
  // The image button opens the upload control's file picker.
  const picker = bob.waitForEvent('filechooser')
  await bob.keyboard.press('Enter')
  await picker
  await caretAtEnd(body)
  await toolbar.getByRole('button', { name: 'Quote' }).click()
  await expect(body).toHaveValue(/\n> `npm test`$/)
  await body.press('Control+z')
  await expect(body).toHaveValue(/\n`npm test`$/)

  // The preview beside the text follows it without pressing Preview.
  const preview = bob.getByRole('region', { name: 'Preview' })
  await expect(preview.getByRole('link', { name: 'the guide' })).toBeVisible()
  await expect(preview.locator('li')).toHaveText(['step one', 'step two'])

  // "@" and a few letters suggest people; Enter inserts the whole name.
  await caretAtEnd(body)
  await body.pressSequentially('\n\nCould @Ali')
  const people = bob.getByRole('listbox', { name: 'People to mention' })
  await expect(people.getByRole('option', { name: demoUsers.alice.displayName })).toBeVisible()
  await body.pressSequentially('ce Ta')
  await expect(people.getByRole('option', { name: demoUsers.alice.displayName })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await body.press('Enter')
  await expect(people).toBeHidden()
  await body.pressSequentially('approve it?')
  await expect(body).toHaveValue(/Could @Alice Tanaka approve it\?$/)

  // The tags field suggests existing tags with their question counts.
  const tags = bob.getByLabel('Tags')
  await tags.pressSequentially('repo')
  const suggestion = bob
    .getByRole('listbox', { name: 'Tag suggestions' })
    .getByRole('option', { name: /^reports \d+ questions?$/ })
  await expect(suggestion).toBeVisible()
  await tags.press('ArrowDown')
  await tags.press('ArrowUp')
  await tags.press('Enter')
  await expect(tags).toHaveValue('reports, ')

  await bob.getByRole('button', { name: 'Post your question' }).click()
  await expect(bob.getByRole('heading', { level: 1, name: title })).toBeVisible()
  const mention = bob.locator('.post').first().getByRole('link', { name: '@Alice Tanaka' })
  await expect(mention).toHaveAttribute('href', /^\/users\/\d+$/)
  await expect(mention).toHaveClass(/mention/)

  const alice = await signedInPage(browser, demoUsers.alice.email)
  await alice.goto('/notifications')
  await expect(
    alice.getByRole('button', { name: `${demoUsers.bob.displayName} mentioned you in “${title}”` }),
  ).toBeVisible()
  await mention.click()
  await expect(bob.getByRole('heading', { level: 1, name: demoUsers.alice.displayName })).toBeVisible()
  await Promise.all([alice.context().close(), bob.context().close()])
})

/** A question asked without JavaScript, found by its field names (staff read Japanese). */
async function askWithTags(page: Page, tags: string) {
  await page.goto('/questions/new')
  await page.locator('[name="title"]').fill(`Tags to tidy ${tags}`)
  await page.locator('[name="body"]').fill('A question whose tags the staff tidy up in this test.')
  await page.locator('[name="tags"]').fill(tags)
  await page.locator('button[name="intent"][value="ask"]').click()
  await expect(page).toHaveURL(/\/questions\/\d+/)
}

test('without JavaScript staff merge two tags through the form; a bad merge keeps the input with a message', async ({
  browser,
}) => {
  const staff = await signedInPage(browser, demoUsers.staff.email, { javaScriptEnabled: false })
  const run = Date.now().toString(36)
  const [from, into] = [`e2e-old-${run}`, `e2e-new-${run}`]
  await askWithTags(staff, `${from}, ${into}`)
  await askWithTags(staff, from)

  await staff.goto('/tags')
  await staff.locator('a[href="/tags/manage"]').click()
  const merge = staff.locator('form', { has: staff.locator('button[name="intent"][value="merge"]') })
  await merge.locator('[name="from"]').fill(from)
  await merge.locator('[name="into"]').fill(into)
  await merge.locator('button[name="intent"][value="merge"]').click()
  await expect(staff).toHaveURL(/\/tags\/manage\?done=merged&/)
  await expect(staff.getByRole('status').filter({ hasText: from })).toHaveText(
    `「${from}」を「${into}」に統合しました（質問 2 件）。`,
  )

  // The old tag is gone: merging it again is refused beside its field, and what was typed stays.
  await merge.locator('[name="from"]').fill(from)
  await merge.locator('[name="into"]').fill(into)
  await merge.locator('button[name="intent"][value="merge"]').click()
  await expect(merge.locator('.field-errors')).toHaveText(
    `「${from}」というタグはありません。タグの一覧で綴りを確認してください。`,
  )
  await expect(merge.locator('[name="from"]')).toHaveValue(from)
  await expect(merge.locator('[name="into"]')).toHaveValue(into)

  await staff.goto(`/tags/${into}`)
  await expect(staff.locator('main a[href^="/questions/"]', { hasText: 'Tags to tidy' })).toHaveCount(2)
  await staff.context().close()
})
