import type { DemoObjects } from '../http/personas.ts'
import type { Persona } from '../page-policy.ts'
import { type DemoPage, demoPages, findDemoObjects, locales, personaContext, readIn } from './demo-pages.ts'
import { demoUsers, expect, newUser, signedInPage, signUpAndConfirm, test } from './fixtures.ts'

// The layout on a phone (390 × 844) and on a desktop (1280): no page is wider than the screen, the
// header is one short row with a menu that works without JavaScript, and wide tables scroll inside
// their own box.

const phone = { width: 390, height: 844 }
const desktop = { width: 1280, height: 800 }

let objects: DemoObjects
let pages: DemoPage[]
test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000)
  objects = await findDemoObjects(browser)
  pages = demoPages(objects)
})

/** How much wider than the viewport the document is, and the widest element that sticks out. */
async function overflow(page: import('@playwright/test').Page) {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth
    const width = document.documentElement.scrollWidth
    if (width <= viewport) return null
    let culprit = ''
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      const box = element.getBoundingClientRect()
      if (box.right > viewport + 1 && box.width > 0) {
        culprit = `${element.tagName.toLowerCase()}.${String(element.className).replace(/ /g, '.')} (right ${Math.round(box.right)})`
      }
    }
    return { width, culprit }
  })
}

for (const persona of ['visitor', 'member', 'staff', 'manager', 'admin'] as Persona[]) {
  for (const locale of locales) {
    test(`every page ${persona === 'visitor' ? 'signed out' : `as ${persona}`} fits a phone, in ${locale}`, async ({
      browser,
    }) => {
      const mine = pages.filter((p) => p.persona === persona)
      test.skip(mine.length === 0, `no page is read as ${persona}`)
      test.setTimeout(30_000 + mine.length * 8_000)
      // Without JavaScript: the layout is the server's, and loads are cheaper on a busy machine.
      const { context, page } = await personaContext(browser, persona, phone, { javaScriptEnabled: false })
      const restore = await readIn(page, locale, persona !== 'visitor')
      const wide: string[] = []
      try {
        for (const { url } of mine) {
          await page.goto(url)
          await expect(page.locator('html')).toHaveAttribute('lang', locale)
          const found = await overflow(page)
          if (found) wide.push(`${url}: ${found.width} px wide, ${found.culprit}`)
        }
      } finally {
        await restore()
        await context.close()
      }
      expect(wide, 'pages wider than the 390 px viewport').toEqual([])
    })
  }
}

test('the header is one short row on a phone, in both languages, and "日本語" stays whole', async ({ browser }) => {
  const { context, page } = await personaContext(browser, 'member', phone)
  try {
    for (const locale of locales) {
      const restore = await readIn(page, locale, true)
      await page.goto('/')
      const header = await page.getByRole('banner').boundingBox()
      expect(header?.height, `header height in ${locale}`).toBeLessThanOrEqual(64)
      await restore()
    }
    await context.clearCookies()
    await page.goto('/')
    await page.getByRole('banner').getByText('Menu').click()
    const language = page.getByRole('banner').getByRole('button', { name: /日本語/ })
    const box = await language.boundingBox()
    // One line of text: a button whose label broke would be two lines tall.
    expect(box?.height).toBeLessThan(40)
  } finally {
    await context.close()
  }
})

test('the menu opens and its links work without JavaScript, by keyboard too', async ({ browser }) => {
  const { context, page } = await personaContext(browser, 'member', phone, { javaScriptEnabled: false })
  try {
    await readIn(page, 'en', true)
    await page.goto('/')
    const banner = page.getByRole('banner')
    await expect(banner.getByRole('link', { name: 'Events' })).toBeHidden()
    // The summary reads "Menu" and, when there are unread notifications, their count.
    const menu = banner.locator('summary.site-menu-toggle')
    await expect(menu).toContainText('Menu')
    await menu.focus()
    await page.keyboard.press('Enter')
    await expect(banner.getByRole('link', { name: 'Events' })).toBeVisible()
    await banner.getByRole('link', { name: 'Events' }).click()
    await expect(page).toHaveURL('/events')
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()

    // The account menu inside it: the member's own pages and signing out.
    await menu.click()
    await banner.getByText(demoUsers.bob.displayName, { exact: true }).click()
    await banner.getByRole('link', { name: 'Settings' }).click()
    await expect(page).toHaveURL('/settings')
  } finally {
    await context.close()
  }
})

test('on a question page "Ask a question" does not cover the "Asked … viewed" line', async ({ browser }) => {
  const { context, page } = await personaContext(browser, 'visitor', phone)
  try {
    for (const locale of locales) {
      await readIn(page, locale, false)
      await page.goto(objects.questionPath)
      const ask = await page.locator('main .page-heading .button').first().boundingBox()
      const meta = await page.locator('main .question-meta').boundingBox()
      expect(ask && meta, 'the button and the line are on the page').toBeTruthy()
      expect(meta!.y, `in ${locale}`).toBeGreaterThanOrEqual(ask!.y + ask!.height)
    }
  } finally {
    await context.close()
  }
})

test("an event's registration card is wholly on a phone's screen", async ({ browser }) => {
  const { context, page } = await personaContext(browser, 'member', phone)
  try {
    for (const locale of locales) {
      const restore = await readIn(page, locale, true)
      await page.goto(`/events/${objects.eventId}`)
      const card = await page.locator('main .event-registration').boundingBox()
      expect(card, 'the registration card').toBeTruthy()
      expect(card!.x).toBeGreaterThanOrEqual(0)
      expect(card!.x + card!.width, `in ${locale}`).toBeLessThanOrEqual(phone.width)
      await restore()
    }
  } finally {
    await context.close()
  }
})

test('wide tables scroll inside their own box, which the keyboard can reach', async ({ browser, axe }) => {
  const { context, page } = await personaContext(browser, 'manager', phone)
  try {
    await readIn(page, 'en', true)
    await page.goto('/manage')
    const boxes = page.locator('main .table-scroll')
    expect(await boxes.count()).toBeGreaterThan(0)
    const box = boxes.first()
    await expect(box).toHaveAttribute('tabindex', '0')
    await expect(box).toHaveAttribute('role', 'region')
    await expect(box).toHaveAttribute('aria-label', /\S/)
    const sizes = await box.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
    expect(sizes.scroll).toBeGreaterThan(sizes.client)
    expect(await overflow(page)).toBeNull()
    await axe.expectNoSeriousA11yViolations(page)
  } finally {
    await context.close()
  }
})

test('at 1280 px the at-risk table shows every column', async ({ browser }) => {
  const { context, page } = await personaContext(browser, 'manager', desktop)
  try {
    for (const locale of locales) {
      const restore = await readIn(page, locale, true)
      await page.goto('/manage')
      const atRisk = page
        .locator('main .table-scroll')
        .filter({ has: page.locator('.manage-reasons') })
        .first()
      const sizes = await atRisk.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
      expect(sizes.scroll, `in ${locale}`).toBeLessThanOrEqual(sizes.client)
      await restore()
    }
  } finally {
    await context.close()
  }
})

test('at 1280 px the header stays one line with a long name and an unread badge', async ({ browser, page }) => {
  test.setTimeout(120_000)
  const user = newUser({ displayName: `Bartholomew Montgomery-Fitzwilliam ${Date.now().toString(36)}` })
  await page.setViewportSize(desktop)
  await signUpAndConfirm(page, user)
  // Someone answers their question: the header counts it.
  const title = `How do I export every dashboard at once? ${Date.now()}`
  await page.goto('/questions/new')
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Details').fill('We need the CSV files of all dashboards for the quarterly review.')
  await page.getByLabel('Tags').fill('export')
  await page.getByRole('button', { name: 'Post your question' }).click()
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible()
  const nina = await signedInPage(browser, demoUsers.nina.email)
  await nina.goto(page.url())
  await nina.getByLabel('Your answer').fill('The manager dashboard has a CSV link under every table.')
  await nina.getByRole('button', { name: 'Post your answer' }).click()
  await expect(nina.getByText('The manager dashboard has a CSV link under every table.')).toBeVisible()
  await nina.context().close()

  for (const locale of locales) {
    await page.goto('/')
    if ((await page.locator('html').getAttribute('lang')) !== locale) {
      await page.locator(`form[action="/set-locale"] button[value="${locale}"]`).click()
      await expect(page.locator('html')).toHaveAttribute('lang', locale)
    }
    const banner = page.getByRole('banner')
    await expect(banner.locator('.notification-link .notification-badge')).toHaveText('1')
    const header = await banner.boundingBox()
    expect(header?.height, `header height in ${locale}`).toBeLessThanOrEqual(64)
    const name = banner.locator('.account-menu summary')
    await expect(name).toHaveAttribute('title', user.displayName)
    await expect(name).toHaveText(user.displayName)
    const tops = await banner
      .locator('.brand, .main-nav a, .header-search, .locale-switch, .notification-link, .account-menu summary')
      .evaluateAll((elements) => elements.map((e) => Math.round(e.getBoundingClientRect().top / 10)))
    // Everything sits on one line (within the few pixels their different heights make).
    expect(Math.max(...tops) - Math.min(...tops), `one line in ${locale}`).toBeLessThanOrEqual(2)
  }
})
