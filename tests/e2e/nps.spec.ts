import type { Browser, Page } from '@playwright/test'
import {
  demoUsers,
  expect,
  expectNoSeriousA11yViolations,
  newUser,
  signedInPage,
  signUpAndConfirm,
  switchLanguage,
  test,
  uniqueEmail,
} from './fixtures.ts'

// Relationship NPS from end to end: a manager turns the survey on at /manage/surveys and sends it, a new
// member of Acme finds the email in the outbox (as the admin reads it with no SMTP server), answers
// with one click without JavaScript on a phone, changes the answer, adds a comment, unsubscribes, and
// turns survey emails back on in their settings; in English and Japanese.

const phone = { width: 375, height: 740 }
const SCANNER = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'

/** The body of the newest survey email to `email`, read at /admin/mail once the mail job stored it. */
async function surveyMailTo(browser: Browser, email: string): Promise<string> {
  const admin = await signedInPage(browser, demoUsers.admin.email)
  try {
    await admin.goto('/admin/mail')
    const row = admin.getByRole('row').filter({ hasText: email }).filter({ hasText: 'nps_survey' }).first()
    const message = await row.getByRole('link').getAttribute('href')
    if (!message) throw new Error(`no survey email to ${email}`)
    let body = ''
    await expect(async () => {
      await admin.goto(message)
      body = (await admin.locator('pre.mail-body').textContent()) ?? ''
      // Until the mail job has stored it, the outbox shows the links masked.
      expect(body).toMatch(/\/surveys\/nps\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\/10/)
      // Every due member of the tier is mailed at once, and the mail worker takes them one by one.
    }).toPass({ timeout: 150_000, intervals: [2_000] })
    return body
  } finally {
    await admin.context().close()
  }
}

function pathOf(body: string, pattern: RegExp): string {
  const match = pattern.exec(body)
  if (!match) throw new Error(`no ${pattern} in the email:\n${body}`)
  return new URL(match[0]).pathname
}

async function fitsThePhone(page: Page) {
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth])
  expect(widths[0], 'the page is no wider than the phone').toBeLessThanOrEqual(widths[1]!)
}

test('a manager turns the survey on; a member answers from the email with one click, comments and unsubscribes', async ({
  browser,
  page,
}) => {
  test.setTimeout(360_000)
  // A new member of Acme (its domain): confirmed, so the survey may go to them.
  const member = newUser({ email: uniqueEmail('nps').replace(/@.*/, '@acme.example') })
  await signUpAndConfirm(page, member)

  // The manager: a bad number is refused in words and kept; then the survey is turned on and sent.
  const manager = await signedInPage(browser, demoUsers.admin.email)
  await switchLanguage(manager, 'ja')
  await manager.goto('/manage/surveys')
  await expect(manager.getByRole('heading', { level: 1, name: '推奨度（NPS）調査' })).toBeVisible()
  await manager.getByLabel('参加から最初のアンケートまで（日）').fill('あした')
  await manager.getByRole('button', { name: 'アンケートの設定を保存' }).click()
  await expect(manager.getByText('0〜365 の整数で日数を入力してください。')).toBeVisible()
  await expect(manager.getByLabel('参加から最初のアンケートまで（日）')).toHaveValue('あした')
  await switchLanguage(manager, 'en')
  await manager.goto('/manage/surveys')
  await manager.getByLabel('Who receives it').selectOption('tiers')
  for (const tier of ['High-touch', 'Low-touch', 'Tech-touch']) await manager.getByLabel(tier).uncheck()
  await manager.getByLabel('First survey after joining (days)').fill('soon')
  await manager.getByRole('button', { name: 'Save survey settings' }).click()
  await expect(manager.getByText('Enter a whole number of days from 0 to 365.')).toBeVisible()
  await expect(manager.getByText('Choose at least one touch tier.')).toBeVisible()
  await expect(manager.getByLabel('First survey after joining (days)')).toHaveValue('soon')
  // Only the high-touch accounts (Acme's tier): the fewer emails, the sooner the mail worker reaches ours.
  await manager.getByLabel('High-touch').check()
  await manager.getByLabel('Send the survey').check()
  await manager.getByLabel('First survey after joining (days)').fill('0')
  await manager.getByLabel('Name in the question').fill('Acme Community')
  await manager.getByRole('button', { name: 'Save survey settings' }).click()
  await expect(manager.getByText('Survey settings saved.')).toBeVisible()
  await expect(manager.getByLabel('Send the survey')).toBeChecked()
  await manager.getByRole('button', { name: 'Send due surveys now' }).click()
  await expect(manager.getByText(/\d+ survey emails? queued\./)).toBeVisible()

  const body = await surveyMailTo(browser, member.email)
  expect(body).toContain('How likely are you to recommend Acme Community to a colleague?')
  const answer = (score: number) => pathOf(body, new RegExp(`https?://\\S+/surveys/nps/[^/\\s]+/${score}(?=\\s)`))
  const unsubscribe = pathOf(body, /https?:\/\/\S+\/surveys\/unsubscribe\/\S+/)

  // A link scanner opens a link first: nothing is recorded, the page offers to send.
  const scanner = await browser.newContext({ userAgent: SCANNER, javaScriptEnabled: false })
  const scanned = await scanner.newPage()
  await scanned.goto(answer(3))
  await expect(scanned.getByRole('button', { name: 'Send my answer' })).toBeVisible()
  await expect(scanned.getByText('Thank you!')).toHaveCount(0)
  await scanner.close()

  // The member, on a phone, JavaScript off, not signed in: one click answers.
  const phoneContext = await browser.newContext({ viewport: phone, javaScriptEnabled: false, locale: 'en-US' })
  const reader = await phoneContext.newPage()
  await reader.goto(answer(9))
  await expect(reader.getByRole('heading', { level: 1 })).toHaveText(
    'How likely are you to recommend Acme Community to a colleague?',
  )
  await expect(reader.getByText('Thank you! Your answer (9) is recorded.')).toBeVisible()
  await fitsThePhone(reader)
  // Another choice changes it.
  await reader.getByRole('button', { name: 'Answer 6' }).click()
  await expect(reader.getByText('Thank you! Your answer (6) is recorded.')).toBeVisible()
  // A comment: too long is refused in words and kept; then a short one is saved.
  const long = `Too long ${'x'.repeat(2000)}`
  await reader.getByLabel('Comment (optional)').fill(long)
  await reader.getByRole('button', { name: 'Send comment' }).click()
  await expect(reader.getByText('Please keep the comment under 2,000 characters.')).toBeVisible()
  await expect(reader.getByLabel('Comment (optional)')).toHaveValue(long)
  await reader.getByLabel('Comment (optional)').fill('Answers come fast; the search could be better.')
  await reader.getByRole('button', { name: 'Send comment' }).click()
  await expect(reader.getByText('Thank you for your comment.')).toBeVisible()
  await expect(reader.getByLabel('Comment (optional)')).toHaveValue('Answers come fast; the search could be better.')
  await fitsThePhone(reader)

  // Unsubscribe: the link asks first, the button stops survey emails.
  await reader.goto(unsubscribe)
  await reader.getByRole('button', { name: 'Stop survey emails' }).click()
  await expect(reader.getByText('Done: you will receive no more survey emails.')).toBeVisible()
  await fitsThePhone(reader)
  await phoneContext.close()

  // In Japanese: the same link thanks in Japanese, and the answer changes to 8.
  const japanese = await browser.newContext({ viewport: phone, javaScriptEnabled: false, locale: 'ja-JP' })
  const yomu = await japanese.newPage()
  await yomu.goto(answer(8))
  await expect(yomu.getByText('ありがとうございます。回答（8）を記録しました。')).toBeVisible()
  await fitsThePhone(yomu)
  await yomu.goto(unsubscribe)
  await expect(yomu.getByRole('button', { name: 'アンケートのメールを停止' })).toBeVisible()
  await japanese.close()

  // The member turns survey emails back on in their settings.
  await page.goto('/settings')
  await expect(page.getByText('You receive no survey emails.')).toBeVisible()
  await page.getByRole('button', { name: 'Turn survey emails on' }).click()
  await expect(page.getByText('Survey emails turned on.')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Turn survey emails off' })).toBeVisible()

  // The manager sees the answer in the trend and the comment with the account's name.
  await manager.goto('/manage/surveys')
  await expect(manager.getByText('Answers come fast; the search could be better.')).toBeVisible()
  await expect(manager.getByText(/Acme.* · answer 8 · /)).toBeVisible()
  await expect(manager.getByRole('link', { name: 'Download CSV' }).first()).toHaveAttribute(
    'href',
    '/manage/surveys/export.csv',
  )
  await expectNoSeriousA11yViolations(manager)
  // Off again, as the demo had it: the specs after this one meet no survey job.
  await manager.getByLabel('Send the survey').uncheck()
  await manager.getByRole('button', { name: 'Save survey settings' }).click()
  await expect(manager.getByText('Survey settings saved.')).toBeVisible()
  await expect(manager.getByLabel('Send the survey')).not.toBeChecked()
  await manager.context().close()
})
