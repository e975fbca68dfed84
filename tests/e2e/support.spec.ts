import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Page } from '@playwright/test'
import { startWebhookReceiver } from '#tests/webhook-receiver.ts'
import { demoUsers, expect, signedInPage, test } from './fixtures.ts'

// The contact flow end to end, on the demo data (Acme Holdings starts with no support history): one
// member is answered by a suggestion, another files a ticket that reaches a real webhook receiver on
// loopback, the helpdesk closes it through the API, and the account's figures add up.

// Mei is Acme's other member (ken is disabled by the admin spec); she reads Japanese.
const mei = { email: 'mei@acme.example' }

/** The value of one figure card on /support/insights. */
function figure(page: Page, label: string) {
  return page
    .locator('dl > div')
    .filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }) })
    .getByRole('definition')
    .first()
}

/** The documented scheme: HMAC-SHA256 over `timestamp.body` with the shared secret, hex, "sha256=". */
function validSignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`)
  const given = Buffer.from(header)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

test('a suggestion deflects one request, a ticket reaches the helpdesk, the API closes it, the figures add up', async ({
  page,
  login,
  browser,
}) => {
  const receiver = await startWebhookReceiver()
  try {
    // The admin points the hand-off at the receiver and creates a token for the helpdesk.
    await login(demoUsers.admin.email)
    await page.goto('/support/settings')
    await page.getByLabel('Webhook URL').fill(receiver.url)
    await page.getByRole('region', { name: 'Hand-off to the helpdesk' }).getByRole('button', { name: 'Save' }).click()
    await expect(page.getByText('Saved. New tickets are handed off with these settings.')).toBeVisible()
    const secret = await page.getByLabel('Secret', { exact: true }).inputValue()
    expect(secret).toMatch(/^whsec_/)

    await page.goto('/admin/api-tokens')
    await page.getByLabel('Name').fill('Helpdesk e2e')
    await page.getByRole('button', { name: 'Create token' }).click()
    const token = await page.getByLabel('Token', { exact: true }).inputValue()
    expect(token).toMatch(/^cst_/)

    // Alice types a question the help center answers, reads the answer in place and marks it solved.
    const alice = await signedInPage(browser, demoUsers.alice.email)
    await alice.goto('/support/new')
    await alice.getByLabel('Subject').fill('export the monthly usage report')
    const suggestions = alice.getByRole('region', { name: 'These may answer your question' })
    const suggestion = suggestions.getByRole('listitem').filter({ hasText: 'How do I export the monthly usage report' })
    await expect(suggestion).toBeVisible()
    await suggestion.locator('summary').click()
    await expect(suggestion.getByText('Export → CSV')).toBeVisible()
    await suggestion.getByRole('button', { name: /^This solved my problem/ }).click()
    await expect(alice.getByRole('heading', { level: 1, name: 'Glad that helped' })).toBeVisible()

    // Mei (Japanese) files a ticket; the receiver gets it, signed.
    const meiPage = await signedInPage(browser, mei.email)
    await meiPage.goto('/support/new')
    await meiPage.getByLabel('件名').fill('SSO のログインがループする')
    await expect(meiPage.getByRole('region', { name: 'こちらで解決するかもしれません' })).toBeVisible()
    await meiPage.getByLabel('製品分野').selectOption('account')
    await meiPage.getByLabel('お問い合わせ内容').fill('SAML を有効にした後、ログイン画面に戻されてしまいます。')
    await meiPage.getByRole('button', { name: 'お問い合わせを送信', exact: true }).click()
    await expect(meiPage.getByRole('status')).toContainText('をサポートチームに送信しました')
    const ticketId = Number(/\/support\/tickets\/(\d+)/.exec(meiPage.url())?.[1])
    expect(ticketId).toBeGreaterThan(0)

    await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1)
    const delivery = receiver.requests.find((r) => r.headers['x-webhook-event'] === 'ticket.created')!
    expect(delivery.method).toBe('POST')
    expect(delivery.path).toBe(new URL(receiver.url).pathname)
    expect(
      validSignature(
        secret,
        String(delivery.headers['x-webhook-timestamp']),
        delivery.body,
        String(delivery.headers['x-signature']),
      ),
    ).toBe(true)
    expect(
      validSignature(
        'whsec_wrong',
        String(delivery.headers['x-webhook-timestamp']),
        delivery.body,
        String(delivery.headers['x-signature']),
      ),
    ).toBe(false)
    const payload = JSON.parse(delivery.body)
    expect(payload).toMatchObject({
      event: 'ticket.created',
      ticket: { id: ticketId, subject: 'SSO のログインがループする', account: { name: 'Acme Holdings' } },
    })

    // The helpdesk closes the ticket through the API; a wrong token is refused.
    const endpoint = `/api/v1/tickets/${ticketId}`
    const refused = await page.request.patch(endpoint, {
      headers: { Authorization: 'Bearer cst_not-a-token', 'Content-Type': 'application/json' },
      data: { status: 'closed' },
    })
    expect(refused.status()).toBe(401)
    const closed = await page.request.patch(endpoint, {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      data: { status: 'closed', external_id: `HD-${ticketId}` },
    })
    expect(closed.status()).toBe(200)
    expect((await closed.json()).ticket).toMatchObject({ id: ticketId, status: 'closed' })
    await meiPage.reload()
    await expect(meiPage.getByText('終了', { exact: true })).toBeVisible()

    // Staff see the delivery in the log, and Acme's figures: 1 deflection, 1 ticket, 50%.
    await page.goto('/support/deliveries')
    await expect(page.getByRole('link', { name: `#${ticketId}` }).first()).toBeVisible()
    await page.goto('/support/insights')
    await page
      .getByRole('table', { name: 'Support figures per account' })
      .getByRole('link', { name: 'Acme Holdings' })
      .click()
    await expect(page.getByRole('heading', { name: 'Figures for Acme Holdings' })).toBeVisible()
    await expect(figure(page, 'Tickets filed')).toHaveText('1')
    await expect(figure(page, 'Explicit deflections')).toHaveText('1')
    await expect(figure(page, 'Deflection rate')).toHaveText('50%')
    await expect(figure(page, 'Cost saved')).toHaveText('¥2,500')
    await alice.context().close()
    await meiPage.context().close()
  } finally {
    await receiver.close()
  }
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a first send shows the suggestions and asks to confirm; nothing typed is lost; the next send files it', async ({
    page,
    login,
  }) => {
    await login(demoUsers.bob.email)
    await page.goto('/support/new')
    await page.getByLabel('Subject').fill('Export a report as CSV')
    await page.getByLabel('Product area').selectOption('reporting')
    await page.getByLabel('Description').fill('The export of the usage report stops after a minute with an error.')
    await page.getByRole('button', { name: 'Send request' }).click()

    await expect(page.getByRole('status')).toContainText('Before you send it')
    await expect(page.getByRole('region', { name: 'These may answer your question' })).toBeVisible()
    await expect(page.getByLabel('Subject')).toHaveValue('Export a report as CSV')
    await expect(page.getByLabel('Description')).toHaveValue(
      'The export of the usage report stops after a minute with an error.',
    )
    await page.getByRole('button', { name: 'None of these helped: send my request' }).click()
    await expect(page).toHaveURL(/\/support\/tickets\/\d+\?sent=1$/)
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Export a report as CSV')

    // Bad input: a translated error next to the field, and the form keeps the rest.
    await page.goto('/support/new')
    await page.getByLabel('Subject').fill('Billing question about the invoice address')
    await page.getByRole('button', { name: 'Send request' }).click()
    await expect(page.getByText('Describe what you need.')).toBeVisible()
    await expect(page.getByText('Choose the product area.')).toBeVisible()
    await expect(page.getByLabel('Subject')).toHaveValue('Billing question about the invoice address')
  })
})

test('the support pages have no serious accessibility violations', async ({ page, login, axe }) => {
  await login(demoUsers.nina.email)
  await page.goto('/support/new')
  await page.getByLabel('Subject').fill('webhook retries')
  await expect(page.getByRole('region', { name: 'These may answer your question' })).toBeVisible()
  await axe.expectNoSeriousA11yViolations(page)
  for (const path of ['/support', '/support/tickets']) {
    await page.goto(path)
    await axe.expectNoSeriousA11yViolations(page)
  }
  await page.goto('/support/tickets')
  await page.getByRole('table').getByRole('link').first().click()
  await axe.expectNoSeriousA11yViolations(page)

  await page.context().clearCookies()
  await login(demoUsers.admin.email)
  for (const path of [
    '/support/insights',
    '/support/settings',
    '/support/deliveries',
    '/support/import',
    '/admin/api-tokens',
  ]) {
    await page.goto(path)
    await axe.expectNoSeriousA11yViolations(page)
  }
})
