import type { Browser, Page } from '@playwright/test'
import { demoUsers, expect, newUser, signedInPage, signUpAndConfirm, test } from './fixtures.ts'

// A member's notification settings (one channel per kind) and the one-click unsubscribe link of an
// email, opened signed out, with JavaScript on and off. Each run uses a member of its own, so the demo
// users keep the settings other specs expect.

/** An upcoming event with a free seat, found as a member finds one: the first on /events whose page
 *  offers "Register" (other specs rename, fill and cancel demo events on the way, so no title is fixed). */
async function eventWithSeat(page: Page): Promise<string> {
  await page.goto('/events')
  const hrefs = await page
    .locator('main a[href^="/events/"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
  for (const href of [...new Set(hrefs.filter((h) => /^\/events\/\d+$/.test(h)))]) {
    await page.goto(href)
    if (await page.getByRole('button', { name: 'Register', exact: true }).count()) return href
  }
  throw new Error('no upcoming event with a free seat on /events')
}

/** The unsubscribe address in the newest `template` email to `email`, read as the admin reads the
 *  outbox (with no SMTP server the outbox is how mail reaches people). */
async function unsubscribeLinkMailedTo(browser: Browser, email: string, template: string): Promise<string> {
  const admin = await signedInPage(browser, demoUsers.admin.email)
  try {
    let link = ''
    await expect(async () => {
      await admin.goto('/admin/mail')
      const row = admin.getByRole('row').filter({ hasText: email }).filter({ hasText: template }).first()
      const message = await row.getByRole('link').getAttribute('href', { timeout: 2_000 })
      if (!message) throw new Error(`no ${template} mail to ${email}`)
      await admin.goto(message)
      const body = (await admin.locator('pre.mail-body').textContent()) ?? ''
      link = /https?:\/\/\S+\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(body)?.[0] ?? ''
      expect(link, `the unsubscribe link in ${template} to ${email}: ${body.slice(0, 300)}`).not.toBe('')
    }).toPass({ timeout: 20_000 })
    return new URL(link).pathname
  } finally {
    await admin.context().close()
  }
}

async function changeChannels(page: Page) {
  await page.goto('/settings')
  await page.getByRole('link', { name: 'Change notification settings' }).click()
  await expect(page).toHaveURL('/settings/notifications')
  await expect(page.getByRole('heading', { name: 'Notification settings', level: 1 })).toBeVisible()
  // Kinds that always come by email are said, not offered.
  await expect(page.getByText('An event you registered for is cancelled: always by email')).toBeVisible()
  await page.getByLabel('A new answer to a question you watch').selectOption({ label: 'Digest email' })
  await page.getByLabel('We received your support request').selectOption({ label: 'Off' })
  await page.getByLabel('A comment on your post').selectOption({ label: 'Notifications page only' })
  await page.getByRole('button', { name: 'Save notification settings' }).click()
  await expect(page.getByRole('status')).toHaveText('Your notification settings have been saved.')
  await page.reload()
  await expect(page.getByLabel('A new answer to a question you watch')).toHaveValue('digest')
  await expect(page.getByLabel('We received your support request')).toHaveValue('none')
  await expect(page.getByLabel('A comment on your post')).toHaveValue('in_app')
  await expect(page.getByLabel('Someone mentions you')).toHaveValue('email')
}

async function unsubscribeSignedOut(browser: Browser, page: Page, email: string, javaScriptEnabled: boolean) {
  // A registration sends its confirmation, with an unsubscribe link for that kind.
  const eventPage = await eventWithSeat(page)
  await page.getByRole('button', { name: 'Register', exact: true }).click()
  await expect(page.getByText('Your seat is saved.', { exact: false })).toBeVisible()
  const link = await unsubscribeLinkMailedTo(browser, email, 'notification_event_registered')

  const visitor = await (await browser.newContext({ javaScriptEnabled })).newPage()
  try {
    await visitor.goto(link)
    await expect(visitor.getByRole('heading', { name: 'Unsubscribe' })).toBeVisible()
    await expect(
      visitor.getByText('Stop the emails about: Your registration is confirmed (with a calendar file).'),
    ).toBeVisible()
    // Opening the link changed nothing yet (a link scanner opens it too).
    await page.goto('/settings/notifications')
    await expect(page.getByLabel('Your registration is confirmed (with a calendar file)')).toHaveValue('email')
    await visitor.getByRole('button', { name: 'Unsubscribe' }).click()
    await expect(visitor.getByRole('status')).toHaveText('Done. You will no longer receive these emails.')
    // A forged link is refused, in words.
    await visitor.goto(`${link.slice(0, -2)}xx`)
    await expect(visitor.getByRole('alert')).toContainText('This unsubscribe link is not valid.')
  } finally {
    await visitor.context().close()
  }
  await page.goto('/settings/notifications')
  await expect(page.getByLabel('Your registration is confirmed (with a calendar file)')).toHaveValue('in_app')

  // Put the seat back for the specs after this one.
  await page.goto(eventPage)
  await page.getByRole('button', { name: 'Cancel my registration' }).click()
  await expect(page.getByText('Your registration is cancelled.')).toBeVisible()
}

test('a member sets a channel per kind and unsubscribes from one kind by the link in its email', async ({
  browser,
  page,
}) => {
  const user = newUser()
  await signUpAndConfirm(page, user)
  await changeChannels(page)
  await unsubscribeSignedOut(browser, page, user.email, true)
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the settings and the unsubscribe page are plain form posts', async ({ browser, page }) => {
    const user = newUser()
    await signUpAndConfirm(page, user)
    await changeChannels(page)
    await unsubscribeSignedOut(browser, page, user.email, false)
  })
})
