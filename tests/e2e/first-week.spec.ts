import { demoUsers, expect, newUser, signedInPage, signUpAndConfirm, test } from './fixtures.ts'

// What a member meets in their first week, as they see it in the browser (issue 17).

test('a page past the end of the questions goes to the last page, with JavaScript on and off', async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ javaScriptEnabled })
    const page = await context.newPage()
    await page.goto('/questions?tab=newest&page=999')
    await expect(page).not.toHaveURL(/page=999/)
    await expect(page.getByText('Page 999')).toHaveCount(0)
    await expect(page.getByText('No questions yet')).toHaveCount(0)
    await expect(page.locator('.question-list li').first()).toBeVisible()
    for (const odd of ['0', '-1', 'abc']) {
      const response = await page.goto(`/questions?page=${odd}`)
      expect(response?.status(), `page=${odd}`).toBe(200)
      await expect(page.getByText('Page 1 of')).toBeVisible()
    }
    await context.close()
  }
})

test('a new member is welcomed with next steps, not "Welcome back"; a returning member is welcomed back', async ({
  page,
  browser,
}) => {
  const user = newUser()
  await signUpAndConfirm(page, user)
  await expect(page.getByText(`Welcome, ${user.displayName}!`)).toBeVisible()
  await expect(page.getByText('Welcome back')).toHaveCount(0)
  await expect(page.getByRole('link', { name: 'Ask your first question' })).toBeVisible()
  await page.goto('/')
  await expect(page.getByText(`Welcome, ${user.displayName}!`)).toBeVisible()

  const alice = await signedInPage(browser, demoUsers.alice.email)
  await alice.goto('/')
  await expect(alice.getByText(`Welcome back, ${demoUsers.alice.displayName}.`)).toBeVisible()
  await expect(alice.getByRole('link', { name: 'Ask your first question' })).toHaveCount(0)
  await alice.context().close()
})

test('my events show only my own status; an event that ended says so, and thanks those who answered its survey', async ({
  browser,
}) => {
  // The demo data: Bob waits for the full SSO workshop, and attended the admin training two weeks ago
  // and answered its survey.
  const bob = await signedInPage(browser, demoUsers.bob.email)
  await bob.goto('/events?tab=mine')
  const upcoming = bob.getByRole('region', { name: 'Coming up' })
  const waiting = upcoming.getByRole('listitem').filter({ has: bob.getByText('Waitlisted', { exact: true }) })
  await expect(waiting.first()).toBeVisible()
  await expect(upcoming.getByText('join the waitlist')).toHaveCount(0)

  const past = bob.getByRole('region', { name: 'Past events' })
  const training = past.getByRole('listitem').filter({ hasText: 'Admin training: users, roles and permissions' })
  await expect(training).toBeVisible()
  await expect(training.getByText(/seats? left|Open seats|Full/)).toHaveCount(0)

  await training.getByRole('link', { name: 'Admin training: users, roles and permissions' }).click()
  const registration = bob.getByRole('complementary', { name: 'Registration' })
  await expect(registration.getByText(/^This event ended on /)).toBeVisible()
  await expect(bob.getByText('the event has started')).toHaveCount(0)
  await expect(registration.getByText('Thanks for your feedback.')).toBeVisible()
  await expect(bob.getByRole('link', { name: /Tell us how it went/ })).toHaveCount(0)
  await bob.context().close()
})
