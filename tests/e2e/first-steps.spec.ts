import type { Browser, Page } from '@playwright/test'
import { demoUsers, expect, newUser, signedInPage, signUpAndConfirm, test } from './fixtures.ts'

// A new member's welcome and first steps (issue 22, docs/decisions/039): the welcome email, the
// checklist that ticks itself from real actions, hiding it; staff editing the steps and the email; and
// the account's onboarding milestones on the manager's account page.

function tag() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
}

/** A fresh customer account (no contract start, so it starts with its first member) with its own
 *  domain, made through the admin form; returns its id and domain. */
async function newAccount(browser: Browser, name: string, domain: string): Promise<number> {
  const admin = await signedInPage(browser, demoUsers.admin.email)
  try {
    await admin.goto('/admin/accounts/new')
    await admin.getByLabel('Name').fill(name)
    await admin.locator('[name="domains"]').fill(domain)
    await admin.locator('[name="seats"]').fill('4')
    await admin.getByRole('button', { name: 'Create account' }).click()
    await expect(admin.getByRole('status')).toHaveText('The account has been created.')
    const id = Number(/\/admin\/accounts\/(\d+)/.exec(admin.url())?.[1])
    expect(id).toBeGreaterThan(0)
    return id
  } finally {
    await admin.context().close()
  }
}

/** The welcome email to `email`, as the admin reads it in the outbox. */
async function welcomeMail(browser: Browser, email: string): Promise<string> {
  const admin = await signedInPage(browser, demoUsers.admin.email)
  try {
    await admin.goto('/admin/mail')
    const row = admin.getByRole('row').filter({ hasText: email }).filter({ hasText: 'welcome' })
    await expect(row).toHaveCount(1)
    await row.getByRole('link').first().click()
    return (await admin.locator('pre.mail-body').textContent()) ?? ''
  } finally {
    await admin.context().close()
  }
}

function checklist(page: Page) {
  return page.getByRole('region', { name: 'Your first steps' })
}

async function expectProgress(page: Page, done: number) {
  await page.goto('/')
  await expect(checklist(page).getByText(`${done} of 4 done`)).toBeVisible()
}

async function expectFitsPhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width, 'page wider than the 390 px viewport').toBeLessThanOrEqual(390)
}

for (const javaScriptEnabled of [true, false]) {
  test(`a new member is welcomed, ticks off each first step by doing it, and hides the list (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    browser,
  }) => {
    test.setTimeout(120_000)
    const unique = tag()
    const domain = `first-steps-${unique}.example`
    const accountId = await newAccount(browser, `First Steps ${unique}`, domain)
    const user = newUser({ email: `newcomer-${unique}@${domain}` })
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await signUpAndConfirm(page, user)

    const mail = await welcomeMail(browser, user.email)
    expect(mail).toContain(`Hello ${user.displayName},`)
    expect(mail).toContain('Complete your profile')
    expect(mail).toMatch(/\/first-steps\/article/)

    const list = checklist(page)
    await expect(list.getByText('0 of 4 done')).toBeVisible()
    await expect(list.getByRole('listitem')).toHaveCount(4)
    await expectFitsPhone(page)

    // 1. The profile: saving the settings ticks it.
    await list.getByRole('link', { name: 'Complete your profile' }).click()
    await expect(page).toHaveURL(/\/settings$/)
    await page.getByLabel('Display name').fill(`${user.displayName} Jr`)
    await page.getByRole('button', { name: 'Save', exact: true }).first().click()
    await expectProgress(page, 1)
    await expect(list.locator('[data-step="profile"]')).toHaveClass(/done/)

    // 2. The getting-started article (the demo's "Set up your workspace in five steps").
    await list.getByRole('link', { name: 'Read the getting-started article' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Set up your workspace in five steps' })).toBeVisible()
    await expectProgress(page, 2)

    // 3. A first question.
    await list.getByRole('link', { name: 'Ask your first question' }).click()
    await page.getByLabel('Title').fill(`Where do I invite my team from? ${unique}`)
    await page.getByLabel('Details').fill('I am new here and cannot find the invite button in the settings.')
    await page.getByRole('button', { name: 'Post your question' }).click()
    await expect(page).toHaveURL(/\/questions\/\d+/)
    await expectProgress(page, 3)

    // 4. The onboarding webinar the step links to.
    await list.getByRole('link', { name: 'Register for an onboarding webinar' }).click()
    await expect(page).toHaveURL(/\/events\/\d+/)
    await page.getByRole('button', { name: 'Register', exact: true }).click()
    await expect(page.getByText('Your seat is saved.')).toBeVisible()
    await expectProgress(page, 4)
    await expect(list.getByText('All done')).toBeVisible()
    await expectFitsPhone(page)

    await list.getByRole('button', { name: 'Hide this list' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'The first-steps list is hidden.' })).toBeVisible()
    await expect(checklist(page)).toHaveCount(0)
    await page.goto('/')
    await expect(checklist(page)).toHaveCount(0)
    await context.close()

    // The CSM sees the young account's milestones, reached today, and what is still to come.
    const manager = await signedInPage(browser, 'manager@community.example', { javaScriptEnabled })
    await manager.setViewportSize({ width: 390, height: 844 })
    await manager.goto(`/manage/accounts/${accountId}`)
    const milestones = manager.getByRole('region', { name: 'Onboarding milestones' })
    await expect(milestones).toBeVisible()
    await expect(milestones.getByText(/\(day 1\)/).first()).toBeVisible()
    await expect(milestones.locator('[data-milestone="member_joined"] dd')).toContainText('(day 1)')
    await expect(milestones.locator('[data-milestone="first_question"] dd')).toContainText('(day 1)')
    await expect(milestones.locator('[data-milestone="first_event"] dd')).toContainText('Not yet')
    await expect(milestones.locator('[data-milestone="seats_active"] dd')).toContainText('Members active so far: 1')
    await expectFitsPhone(manager)
    await manager.context().close()
  })

  test(`staff change a step's title and the email subject; an empty title is refused and the text kept (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({
    browser,
  }) => {
    const unique = tag()
    const page = await signedInPage(browser, demoUsers.admin.email, { javaScriptEnabled })
    await page.goto('/manage/onboarding')
    const profile = page.getByRole('group', { name: /^Complete the profile/ })
    const title = profile.getByLabel('Title (English)')
    const subject = page.getByLabel('Subject (English)')
    const before = { title: await title.inputValue(), subject: await subject.inputValue() }
    try {
      await title.fill(`Fill in your profile ${unique}`)
      await subject.fill(`Welcome aboard, {name} ${unique}`)
      await page.getByRole('button', { name: 'Save', exact: true }).click()
      await expect(page.getByRole('status')).toHaveText('Saved. New members get these steps and this email.')
      await expect(title).toHaveValue(`Fill in your profile ${unique}`)
      await expect(subject).toHaveValue(`Welcome aboard, {name} ${unique}`)
      await expect(page.getByText(`Welcome aboard, Alex Example ${unique}`)).toBeVisible()

      await title.fill('')
      await subject.fill(`Hello {nmae} ${unique}`)
      await page.getByRole('button', { name: 'Save', exact: true }).click()
      await expect(profile.getByText('Enter a title.')).toBeVisible()
      await expect(page.getByText('Use only the placeholders {name}, {community}, {steps} and {link}.')).toBeVisible()
      await expect(subject).toHaveValue(`Hello {nmae} ${unique}`)
      await page.goto('/manage/onboarding')
      await expect(title).toHaveValue(`Fill in your profile ${unique}`)
    } finally {
      await page.goto('/manage/onboarding')
      await title.fill(before.title)
      await subject.fill(before.subject)
      await page.getByRole('button', { name: 'Save', exact: true }).click()
      await expect(page.getByRole('status')).toBeVisible()
      await page.context().close()
    }
  })
}
