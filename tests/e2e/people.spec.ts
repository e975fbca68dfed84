import type { Browser, Page } from '@playwright/test'
import sharp from 'sharp'
import { demoUsers, expect, newUser, signedInPage, signUpAndConfirm, test } from './fixtures.ts'

// People (issue 23, docs/decisions/043): a member's picture, title, bio and company, set in the settings
// without JavaScript and seen on the profile, beside their posts and in the header; and the answer
// sort links with JavaScript. The member and their account are made here, so no demo user changes.

function tag() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
}

/** A customer account of this run with its own domain, made through the admin form. */
async function newAccount(browser: Browser, name: string, domain: string) {
  const admin = await signedInPage(browser, demoUsers.admin.email)
  try {
    await admin.goto('/admin/accounts/new')
    await admin.getByLabel('Name').fill(name)
    await admin.locator('[name="domains"]').fill(domain)
    await admin.getByRole('button', { name: 'Create account' }).click()
    await expect(admin.getByRole('status')).toHaveText('The account has been created.')
  } finally {
    await admin.context().close()
  }
}

/** A photo as a phone takes it: a JPEG with the place it was taken in its metadata. */
function phonePhoto() {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#2f6fb0' } })
    .jpeg()
    .withExif({
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '35/1 40/1 12/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '139/1 45/1 0/1',
      },
    })
    .toBuffer()
}

/** The bodies of the answers as the page lists them, by their first word. */
async function answerOrder(page: Page) {
  const texts = await page.locator('ol.answer-list > li .prose').allTextContents()
  return texts.map((text) => text.trim().split(' ')[0])
}

test.use({ javaScriptEnabled: false })

test('a member sets a picture, title and bio, hides the company, and answers sort by votes, newest and oldest', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000)
  const unique = tag()
  const company = `People Co ${unique}`
  const domain = `people-${unique}.example`
  await newAccount(browser, company, domain)
  const member = newUser({ email: `pat-${unique}@${domain}`, displayName: `Pat ${unique} Lee` })
  await signUpAndConfirm(page, member)
  const banner = page.getByRole('banner')
  let profilePath = ''
  // Without a picture the header shows the member's initials.
  await expect(banner.locator('.account-menu .avatar-initials')).toHaveAttribute('data-initials', 'PL')

  await test.step('a file that is not a picture is refused, and what was typed stays', async () => {
    await page.goto('/settings')
    await page.getByLabel('Title', { exact: true }).fill('IT administrator')
    await page.getByLabel('Bio', { exact: true }).fill('I look after our rollout.')
    await page.getByLabel('New picture').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<!doctype html><script>alert(1)</script>'),
    })
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByText('Choose a picture in JPEG, PNG, WebP, GIF or AVIF format.')).toBeVisible()
    await expect(page.getByLabel('Bio', { exact: true })).toHaveValue('I look after our rollout.')
    await expect(page.getByLabel('Title', { exact: true })).toHaveValue('IT administrator')
  })

  await test.step('a photo becomes the picture, in the header and on the profile, its location gone', async () => {
    await page
      .getByLabel('New picture')
      .setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto() })
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByRole('status')).toHaveText('Your settings have been saved.')
    const src = await banner.locator('.account-menu img.avatar').getAttribute('src')
    expect(src).toMatch(/^\/users\/\d+\/avatar\/\d+$/)
    const picture = await page.request.get(src!)
    expect(picture.headers()['content-type']).toBe('image/webp')
    expect(picture.headers()['cache-control']).toBe('public, max-age=31536000, immutable')
    const metadata = await sharp(await picture.body()).metadata()
    expect(metadata).toMatchObject({ width: 256, height: 256 })
    expect(metadata.exif).toBeUndefined()

    profilePath = src!.replace(/\/avatar\/\d+$/, '')
    await page.goto(profilePath)
    await expect(page.getByRole('heading', { level: 1, name: member.displayName })).toBeVisible()
    await expect(page.locator('.profile-header img.avatar')).toHaveAttribute('src', src!)
    await expect(page.getByText('IT administrator')).toBeVisible()
    await expect(page.getByText('I look after our rollout.')).toBeVisible()
    await expect(page.getByRole('definition').filter({ hasText: company })).toBeVisible()
    await expect(page.locator('.profile-header')).toContainText('Member level:')
  })

  let questionUrl = ''
  await test.step('the picture stands beside the member’s posts and in the question list', async () => {
    await page.goto('/questions/new')
    const title = `How do we roll out single sign-on? ${unique}`
    await page.getByLabel('Title').fill(title)
    await page.getByLabel('Details').fill('We want every team on SSO by next quarter. Where do we start?')
    await page.getByRole('button', { name: 'Post your question' }).click()
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
    questionUrl = new URL(page.url()).pathname
    const byline = page.locator('article.post .byline').first()
    await expect(byline.locator('img.avatar')).toHaveAttribute('src', /^\/users\/\d+\/avatar\/\d+$/)
    await expect(byline.locator('img.avatar')).toHaveAttribute('alt', '')
    for (const word of ['First', 'Second', 'Third']) {
      await page.getByLabel('Your answer').fill(`${word} answer: check the identity provider settings.`)
      await page.getByRole('button', { name: 'Post your answer' }).click()
      await expect(page.locator('ol.answer-list .prose').filter({ hasText: `${word} answer` })).toBeVisible()
    }
    // Accepting the second puts it first by votes; newest and oldest go by time alone.
    await page
      .locator('ol.answer-list > li')
      .filter({ hasText: 'Second answer' })
      .getByRole('button', { name: 'Accept this answer' })
      .click()
    await expect(page.getByRole('navigation', { name: 'Sort answers' })).toBeVisible()
    await page.goto('/questions?tab=newest')
    const row = page.locator('.question-summary').filter({ hasText: title })
    await expect(row.locator('img.avatar')).toHaveAttribute('src', /^\/users\/\d+\/avatar\/\d+$/)
  })

  await test.step('hiding the company hides it on the profile; removing the picture brings the initials', async () => {
    await page.goto('/settings')
    await page.getByLabel('Hide my company on my profile').check()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByRole('status')).toHaveText('Your settings have been saved.')
    await page.getByRole('button', { name: 'Remove picture' }).click()
    await expect(page.getByRole('status')).toHaveText('Your picture has been removed. Your initials are shown instead.')
    await expect(page.getByLabel('Hide my company on my profile')).toBeChecked()
    await page.goto(profilePath)
    await expect(page.getByRole('heading', { level: 1, name: member.displayName })).toBeVisible()
    await expect(page.locator('main')).not.toContainText(company)
    await expect(page.locator('.profile-header .avatar-initials')).toHaveAttribute('data-initials', 'PL')
  })

  await test.step('with JavaScript, the sort links reorder the answers', async () => {
    const context = await browser.newContext({ storageState: await page.context().storageState() })
    const reader = await context.newPage()
    await reader.goto(questionUrl)
    const sort = reader.getByRole('navigation', { name: 'Sort answers' })
    await expect(sort.getByRole('link', { name: 'Votes' })).toHaveAttribute('aria-current', 'page')
    expect(await answerOrder(reader)).toEqual(['Second', 'First', 'Third'])
    await sort.getByRole('link', { name: 'Newest' }).click()
    await expect(sort.getByRole('link', { name: 'Newest' })).toHaveAttribute('aria-current', 'page')
    await expect.poll(() => answerOrder(reader)).toEqual(['Third', 'Second', 'First'])
    await sort.getByRole('link', { name: 'Oldest' }).click()
    await expect.poll(() => answerOrder(reader)).toEqual(['First', 'Second', 'Third'])
    expect(new URL(reader.url()).searchParams.get('sort')).toBe('oldest')
    await sort.getByRole('link', { name: 'Votes' }).click()
    await expect.poll(() => answerOrder(reader)).toEqual(['Second', 'First', 'Third'])
    await context.close()
  })
})
